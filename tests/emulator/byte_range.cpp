/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "byte_range.h"

#include <cstring>

namespace {

// Parses the digits at *text; false when there are none or they overflow.
bool read_number(const char *&text, goffset &value) {
  if (!g_ascii_isdigit(*text)) {
    return false;
  }
  char *end = nullptr;
  guint64 parsed = g_ascii_strtoull(text, &end, 10);
  if (parsed > G_MAXINT64) {
    return false;
  }
  value = static_cast<goffset>(parsed);
  text = end;
  return true;
}

ByteRange whole_file() {
  return ByteRange{};
}

ByteRange unsatisfiable() {
  return ByteRange{ByteRange::Kind::kUnsatisfiable, 0, 0};
}

}  // namespace

ByteRange ByteRange::parse(const char *header, goffset size) {
  if (!header || !g_str_has_prefix(header, "bytes=")) {
    return whole_file();
  }
  const char *spec = header + strlen("bytes=");
  goffset first = 0;
  goffset last = size - 1;
  if (*spec == '-') {  // "bytes=-N": the last N bytes
    spec++;
    goffset suffix = 0;
    if (!read_number(spec, suffix) || *spec != '\0') {
      return whole_file();
    }
    if (suffix == 0 || size == 0) {
      return unsatisfiable();
    }
    first = suffix >= size ? 0 : size - suffix;
  } else {  // "bytes=A-" or "bytes=A-B"
    if (!read_number(spec, first) || *spec++ != '-') {
      return whole_file();
    }
    if (*spec != '\0') {
      goffset requested_last = 0;
      if (!read_number(spec, requested_last) || *spec != '\0' || requested_last < first) {
        return whole_file();
      }
      last = MIN(requested_last, size - 1);
    }
    if (first >= size) {
      return unsatisfiable();
    }
  }
  return ByteRange{Kind::kPartial, first, last};
}
