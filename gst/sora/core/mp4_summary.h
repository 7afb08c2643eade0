/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What an MP4 says of itself in its moov box: the movie's duration, the
 * video track's own length, its size and frame rate. Read from the moov
 * alone (a few kilobytes whatever the clip's size, a millisecond), where a
 * GstDiscoverer runs a decoding pipeline that cannot be cancelled.
 *
 * The video's length comes from its media header (mdhd): the container's
 * duration (what demuxers and the discoverer give) runs past it by the
 * audio's last AAC frame, and a shot lasts as long as its video. The size
 * is the sample description's (what the decoder outputs), else the track
 * header's; the frame rate is the media timescale over the sample duration
 * most samples have (stts), reduced. */
#pragma once

#include <gst/gst.h>

#include <optional>
#include <string>

namespace sora {

struct Mp4VideoTrack {
  GstClockTime length = GST_CLOCK_TIME_NONE; /* the track's own, from mdhd */
  int width = 0;
  int height = 0;
  int fps_n = 0; /* 0: unknown (no sample table) */
  int fps_d = 1;
};

struct Mp4Summary {
  GstClockTime duration = GST_CLOCK_TIME_NONE; /* the movie's, from mvhd */
  std::optional<Mp4VideoTrack> video;          /* the first video track */
};

/* Nothing when the file has no readable moov box. */
std::optional<Mp4Summary> read_mp4_summary(const std::string &path);

}  // namespace sora
