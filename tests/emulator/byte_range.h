/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Reading an HTTP Range header (RFC 9110 section 14) against a file of known size. Only single
// byte ranges are served partially; a header this does not understand is ignored and the whole
// file is sent, as the RFC allows.
#pragma once

#include <glib.h>

struct ByteRange {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };

  Kind kind = Kind::kWhole;
  goffset first = 0;  // inclusive
  goffset last = 0;   // inclusive

  goffset length() const { return last - first + 1; }

  // @header may be null (no Range header).
  static ByteRange parse(const char *header, goffset size);
};
