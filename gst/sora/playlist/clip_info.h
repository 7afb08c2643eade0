/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What a generated clip on disk is: its length (its video track's, else
 * the container's) and its video's size and frame rate. Read from the MP4's
 * moov (a millisecond; GstDiscoverer only for a clip whose moov says too
 * little) when a shot of a programme that is not live is generated, for the
 * duration query and for the programme's format when video-caps leaves it
 * to the first shot. */
#pragma once

#include "programme_format.h"

#include <gst/gst.h>

#include <optional>
#include <string>

namespace sora::playlist {

struct ClipInfo {
  GstClockTime duration = GST_CLOCK_TIME_NONE;     /* the container's */
  GstClockTime video_length = GST_CLOCK_TIME_NONE; /* the video track's, when it says */
  std::optional<FrameShape> video;                 /* none: no video stream */
};

/* Nothing when the file cannot be read as media; `error` says why. */
std::optional<ClipInfo> read_clip_info(const std::string &path, std::string &error);

}  // namespace sora::playlist
