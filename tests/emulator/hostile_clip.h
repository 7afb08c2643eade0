/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Clips a hostile or broken server sends, for the client's limits (the fault actions huge_clip
// and corrupt_moov):
// - a huge clip: the start of an MP4 (ftyp, then an mdat box that runs to 8 bytes before the
//   announced end, where the moov would be: "moov at the end"), then zeros, as fast as the
//   client reads; announced with any Content-Length (20 GB, 10^15), or with none (chunked) and
//   sent to any length. A Range answers 206 with zeros and the announced total.
// - a rendered clip whose moov holds absurd sample counts: every stsz sample_count and stco /
//   co64 entry_count patched, the boxes' sizes untouched (a demuxer must refuse it, not wait).
#pragma once

#include "api_request.h"

#include <glib.h>

#include <optional>
#include <string>

// @announced: the Content-Length, or none (chunked); @sent: the bytes sent (@announced when
// unset).
void send_huge_clip(ApiRequest &request, std::optional<gint64> announced,
                    std::optional<gint64> sent);

// The bytes of the MP4 at @path with its sample tables' counts set to @count; null (and @error
// set) when the file cannot be read.
GBytes *corrupt_moov_clip(const std::string &path, guint32 count, GError **error);
