/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "clip_info.h"

#include "mp4_video_length.h"

#include <gst/pbutils/pbutils.h>

namespace sora::playlist {

namespace {

/* A local file: anything slower than this is a broken file. */
constexpr GstClockTime kDiscoverTimeout = 10 * GST_SECOND;

}  // namespace

std::optional<ClipInfo> read_clip_info(const std::string &path, std::string &error) {
  g_autoptr(GError) failure = nullptr;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new(kDiscoverTimeout, &failure);
  if (!discoverer) {
    error = failure ? failure->message : "no discoverer";
    return std::nullopt;
  }
  g_autofree char *uri = g_filename_to_uri(path.c_str(), nullptr, &failure);
  if (!uri) {
    error = failure->message;
    return std::nullopt;
  }
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri(discoverer, uri, &failure);
  if (!info || gst_discoverer_info_get_result(info) != GST_DISCOVERER_OK) {
    error = failure ? failure->message : "the clip cannot be read";
    return std::nullopt;
  }
  ClipInfo clip;
  clip.duration = gst_discoverer_info_get_duration(info);
  GList *videos = gst_discoverer_info_get_video_streams(info);
  if (videos) {
    auto *video = GST_DISCOVERER_VIDEO_INFO(videos->data);
    FrameShape shape;
    shape.width = static_cast<int>(gst_discoverer_video_info_get_width(video));
    shape.height = static_cast<int>(gst_discoverer_video_info_get_height(video));
    shape.fps_n = static_cast<int>(gst_discoverer_video_info_get_framerate_num(video));
    shape.fps_d = static_cast<int>(gst_discoverer_video_info_get_framerate_denom(video));
    if (shape.fps_d <= 0)
      shape.fps_n = 0, shape.fps_d = 1;
    if (shape.width > 0 && shape.height > 0)
      clip.video = shape;
  }
  gst_discoverer_stream_info_list_free(videos);
  clip.video_length = mp4_video_length(path).value_or(GST_CLOCK_TIME_NONE);
  return clip;
}

}  // namespace sora::playlist
