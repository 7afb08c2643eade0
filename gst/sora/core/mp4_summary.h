/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The length of an MP4's video track, from its media header (mdhd): the
 * video's own length, where the container's duration (what demuxers and
 * the discoverer give) runs past it by the audio's last AAC frame. A shot
 * lasts as long as its video, so the programme's duration is only right
 * with this one. Reads the moov box alone: a few kilobytes whatever the
 * clip's size. */
#pragma once

#include <gst/gst.h>

#include <optional>
#include <string>

namespace sora::playlist {

/* Nothing when the file is not an MP4 with a video track. */
std::optional<GstClockTime> mp4_video_length(const std::string &path);

}  // namespace sora::playlist
