/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/printable_text.h"

#include <glib.h>

namespace sora {

namespace {

void append_escape(std::string &out, const char *format, unsigned value) {
  char escape[8];
  g_snprintf(escape, sizeof escape, format, value);
  out += escape;
}

}  // namespace

std::string printable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  while (at < text.size()) {
    auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
      if (byte == '\n')
        out += "\\n";
      else if (byte == '\r')
        out += "\\r";
      else if (byte == '\t')
        out += "\\t";
      else if (byte < 0x20 || byte == 0x7f)
        append_escape(out, "\\x%02x", byte);
      else
        out += static_cast<char>(byte);
      at++;
      continue;
    }
    gunichar c = g_utf8_get_char_validated(text.data() + at, static_cast<gssize>(text.size() - at));
    if (c == static_cast<gunichar>(-1) || c == static_cast<gunichar>(-2)) {
      append_escape(out, "\\x%02x", byte);
      at++;
      continue;
    }
    size_t length = static_cast<size_t>(g_utf8_skip[byte]);
    if (c >= 0x80 && c <= 0x9f)
      append_escape(out, "\\u%04x", c);
    else
      out.append(text.substr(at, length));
    at += length;
  }
  return out;
}

}  // namespace sora
