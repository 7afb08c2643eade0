/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "clip_info.h"

#include "core/mp4_summary.h"

#include <gst/pbutils/pbutils.h>

namespace sora::playlist {

namespace {

/* A local file: anything slower than this is a broken file. */
constexpr GstClockTime kDiscoverTimeout = 10 * GST_SECOND;

/* A clip that is no MP4, or whose moov says too little: what a decoding
 * pipeline finds. */
std::optional<ClipInfo> discover_clip_info(const std::string &path, std::string &error) {
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
  return clip;
}

}  // namespace

std::optional<ClipInfo> read_clip_info(const std::string &path, std::string &error) {
  std::optional<Mp4Summary> mp4 = read_mp4_summary(path);
  if (mp4 && mp4->video && mp4->video->width > 0 && mp4->video->height > 0 &&
      mp4->video->fps_n > 0) {
    ClipInfo clip;
    clip.duration = mp4->duration;
    clip.video_length = mp4->video->length;
    clip.video =
        FrameShape{mp4->video->width, mp4->video->height, mp4->video->fps_n, mp4->video->fps_d};
    return clip;
  }
  std::optional<ClipInfo> clip = discover_clip_info(path, error);
  if (clip && mp4 && mp4->video)
    clip->video_length = mp4->video->length;
  return clip;
}

}  // namespace sora::playlist
