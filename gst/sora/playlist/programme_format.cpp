/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "programme_format.h"

#include <cstdlib>

namespace sora::playlist {

namespace {

constexpr int kDefaultFpsN = 30;

void set_if_missing(GstStructure *s, const char *field, GType type, int value) {
  if (!gst_structure_has_field(s, field))
    gst_structure_set(s, field, type, value, nullptr);
}

}  // namespace

std::optional<FrameShape> shape_from_size(const std::string &size) {
  char *end = nullptr;
  long width = std::strtol(size.c_str(), &end, 10);
  if (end == size.c_str() || *end != 'x')
    return std::nullopt;
  const char *height_text = end + 1;
  long height = std::strtol(height_text, &end, 10);
  if (end == height_text || *end || width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return std::nullopt;
  FrameShape shape;
  shape.width = static_cast<int>(width);
  shape.height = static_cast<int>(height);
  return shape;
}

std::optional<FrameShape> shape_from_caps(const GstCaps *caps) {
  if (!caps || gst_caps_is_empty(caps))
    return std::nullopt;
  const GstStructure *s = gst_caps_get_structure(caps, 0);
  FrameShape shape;
  if (!gst_structure_get_int(s, "width", &shape.width) ||
      !gst_structure_get_int(s, "height", &shape.height))
    return std::nullopt;
  if (!gst_structure_get_fraction(s, "framerate", &shape.fps_n, &shape.fps_d) || shape.fps_d <= 0)
    shape.fps_n = 0, shape.fps_d = 1;
  return shape;
}

GstCaps *programme_video_caps(const GstCaps *requested, const FrameShape &fallback) {
  GstCaps *caps = requested && !gst_caps_is_empty(requested) && !gst_caps_is_any(requested)
                      ? gst_caps_copy(requested)
                      : gst_caps_new_empty_simple("video/x-raw");
  caps = gst_caps_truncate(caps);
  GstStructure *s = gst_caps_get_structure(caps, 0);
  if (!gst_structure_has_name(s, "video/x-raw")) {
    gst_caps_unref(caps);
    return nullptr;
  }
  if (!gst_structure_has_field(s, "format"))
    gst_structure_set(s, "format", G_TYPE_STRING, "I420", nullptr);
  if (fallback.width > 0 && fallback.height > 0) {
    set_if_missing(s, "width", G_TYPE_INT, fallback.width);
    set_if_missing(s, "height", G_TYPE_INT, fallback.height);
  }
  if (!gst_structure_has_field(s, "framerate")) {
    if (fallback.fps_n > 0)
      gst_structure_set(s, "framerate", GST_TYPE_FRACTION, fallback.fps_n, fallback.fps_d, nullptr);
    else
      gst_structure_set(s, "framerate", GST_TYPE_FRACTION, kDefaultFpsN, 1, nullptr);
  }
  if (!gst_structure_has_field(s, "pixel-aspect-ratio"))
    gst_structure_set(s, "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, nullptr);
  caps = gst_caps_fixate(caps);
  GstVideoInfo info;
  if (!gst_video_info_from_caps(&info, caps) || GST_VIDEO_INFO_FPS_N(&info) <= 0) {
    gst_caps_unref(caps);
    return nullptr;
  }
  return caps;
}

GstCaps *programme_audio_caps(const GstCaps *requested) {
  GstCaps *caps = requested && !gst_caps_is_empty(requested) && !gst_caps_is_any(requested)
                      ? gst_caps_copy(requested)
                      : gst_caps_new_empty_simple("audio/x-raw");
  caps = gst_caps_truncate(caps);
  GstStructure *s = gst_caps_get_structure(caps, 0);
  if (!gst_structure_has_name(s, "audio/x-raw")) {
    gst_caps_unref(caps);
    return nullptr;
  }
  if (!gst_structure_has_field(s, "format"))
    gst_structure_set(s, "format", G_TYPE_STRING, GST_AUDIO_NE(S16), nullptr);
  set_if_missing(s, "rate", G_TYPE_INT, 48000);
  set_if_missing(s, "channels", G_TYPE_INT, 2);
  if (!gst_structure_has_field(s, "layout"))
    gst_structure_set(s, "layout", G_TYPE_STRING, "interleaved", nullptr);
  caps = gst_caps_fixate(caps);
  GstAudioInfo info;
  if (!gst_audio_info_from_caps(&info, caps) ||
      GST_AUDIO_INFO_LAYOUT(&info) != GST_AUDIO_LAYOUT_INTERLEAVED) {
    gst_caps_unref(caps);
    return nullptr;
  }
  /* Channel positions as audioconvert will make them, so that the caps of
   * every shot and of the silence agree. */
  if (GST_AUDIO_INFO_CHANNELS(&info) > 2 && !gst_structure_has_field(s, "channel-mask")) {
    guint64 mask = gst_audio_channel_get_fallback_mask(GST_AUDIO_INFO_CHANNELS(&info));
    caps = gst_caps_make_writable(caps);
    gst_caps_set_simple(caps, "channel-mask", GST_TYPE_BITMASK, mask, nullptr);
  }
  return caps;
}

ProgrammeFormat::ProgrammeFormat(GstCaps *video_caps, GstCaps *audio_caps)
    : video_caps_(video_caps), audio_caps_(audio_caps) {
  gst_video_info_from_caps(&video_, video_caps);
  gst_audio_info_from_caps(&audio_, audio_caps);
}

GstClockTime ProgrammeFormat::frame_time(guint64 frame) const {
  return gst_util_uint64_scale(frame, GST_SECOND * GST_VIDEO_INFO_FPS_D(&video_),
                               GST_VIDEO_INFO_FPS_N(&video_));
}

guint64 ProgrammeFormat::frames_in(GstClockTime time) const {
  return gst_util_uint64_scale_round(time, GST_VIDEO_INFO_FPS_N(&video_),
                                     GST_SECOND * GST_VIDEO_INFO_FPS_D(&video_));
}

guint64 ProgrammeFormat::frames_before(GstClockTime time) const {
  return gst_util_uint64_scale_ceil(time, GST_VIDEO_INFO_FPS_N(&video_),
                                    GST_SECOND * GST_VIDEO_INFO_FPS_D(&video_));
}

guint64 ProgrammeFormat::sample_at_frame(guint64 frame) const {
  return gst_util_uint64_scale_round(frame,
                                     static_cast<guint64>(rate()) * GST_VIDEO_INFO_FPS_D(&video_),
                                     GST_VIDEO_INFO_FPS_N(&video_));
}

GstClockTime ProgrammeFormat::sample_time(guint64 sample) const {
  return gst_util_uint64_scale(sample, GST_SECOND, rate());
}

guint64 ProgrammeFormat::samples_in(GstClockTime time) const {
  return gst_util_uint64_scale_round(time, rate(), GST_SECOND);
}

GstBuffer *ProgrammeFormat::silence(guint64 samples) const {
  gsize size = samples * bytes_per_frame();
  GstBuffer *buffer = gst_buffer_new_allocate(nullptr, size, nullptr);
  GstMapInfo map;
  gst_buffer_map(buffer, &map, GST_MAP_WRITE);
  gst_audio_format_info_fill_silence(audio_.finfo, map.data, size);
  gst_buffer_unmap(buffer, &map);
  return buffer;
}

}  // namespace sora::playlist
