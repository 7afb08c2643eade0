/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Sends a response body piece by piece from the main loop, for the answers that a plain response
// cannot give: a download slowed to a given rate (throttle), one cut off after some bytes with
// the connection closed (truncate), and filler bodies too big to hold in memory. A piece is only
// queued once the previous one was written, so memory stays at one piece whatever the size.
#pragma once

#include <libsoup/soup.h>

#include <optional>

struct BodyPacing {
  guint64 bytes_per_second = 0;        // 0 = as fast as the client reads
  std::optional<goffset> cut_after;    // close the connection after this many body bytes
  std::optional<double> cut_fraction;  // or after this share of them (chaos mode), 0 <= f < 1
  bool chunked = false;                // no Content-Length: the body is sent chunked

  bool is_paced() const {
    return bytes_per_second > 0 || cut_after.has_value() || cut_fraction.has_value() || chunked;
  }
  // Where the body of @length bytes stops: @length, or the cut.
  goffset end_of(goffset length) const;
};

// Sets Content-Length to @length (unless @pacing says chunked) and sends @length bytes of @source,
// which is repeated when it is shorter. The caller has set the status and the other headers; not
// for HEAD requests.
void stream_body(SoupServerMessage *message, GBytes *source, goffset length,
                 const BodyPacing &pacing);
