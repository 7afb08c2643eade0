/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "programme_format.h"

#include <cstdlib>

namespace sora::playlist {

namespace {

constexpr int kDefaultFpsN = 30;

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

namespace {

/* `requested` narrowed by `downstream`, in downstream's order of
 * preference, cut to its first structure in system memory; null when
 * nothing is left or it is not `media`. */
GstCaps *narrowed(const GstCaps *requested, const GstCaps *downstream, const char *media) {
  CapsPtr base(requested && !gst_caps_is_empty(requested) && !gst_caps_is_any(requested)
                   ? gst_caps_copy(requested)
                   : gst_caps_new_empty_simple(media));
  if (downstream && !gst_caps_is_any(downstream))
    base.reset(gst_caps_intersect_full(const_cast<GstCaps *>(downstream), base.get(),
                                       GST_CAPS_INTERSECT_FIRST));
  for (guint i = 0; i < gst_caps_get_size(base.get()); i++) {
    GstCapsFeatures *features = gst_caps_get_features(base.get(), i);
    if (features && !gst_caps_features_is_any(features) &&
        !gst_caps_features_is_equal(features, GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
      continue;
    const GstStructure *s = gst_caps_get_structure(base.get(), i);
    if (!gst_structure_has_name(s, media))
      return nullptr;
    GstCaps *one = gst_caps_new_empty();
    gst_caps_append_structure(one, gst_structure_copy(s));
    return one;
  }
  return nullptr;
}

void fixate_int(GstStructure *s, const char *field, int target) {
  if (gst_structure_has_field(s, field))
    gst_structure_fixate_field_nearest_int(s, field, target);
  else
    gst_structure_set(s, field, G_TYPE_INT, target, nullptr);
}

void fixate_fraction(GstStructure *s, const char *field, int n, int d) {
  if (gst_structure_has_field(s, field))
    gst_structure_fixate_field_nearest_fraction(s, field, n, d);
  else
    gst_structure_set(s, field, GST_TYPE_FRACTION, n, d, nullptr);
}

void fixate_string(GstStructure *s, const char *field, const char *preferred) {
  if (gst_structure_has_field(s, field))
    gst_structure_fixate_field_string(s, field, preferred);
  else
    gst_structure_set(s, field, G_TYPE_STRING, preferred, nullptr);
}

}  // namespace

GstCaps *negotiate_video_caps(const GstCaps *requested, const GstCaps *downstream,
                              const FrameShape &preferred) {
  GstCaps *caps = narrowed(requested, downstream, "video/x-raw");
  if (!caps)
    return nullptr;
  GstStructure *s = gst_caps_get_structure(caps, 0);
  fixate_string(s, "format", "I420");
  bool sized = preferred.width > 0 && preferred.height > 0;
  fixate_int(s, "width", sized ? preferred.width : 1280);
  fixate_int(s, "height", sized ? preferred.height : 720);
  if (preferred.fps_n > 0)
    fixate_fraction(s, "framerate", preferred.fps_n, preferred.fps_d);
  else
    fixate_fraction(s, "framerate", kDefaultFpsN, 1);
  fixate_fraction(s, "pixel-aspect-ratio", 1, 1);
  if (gst_structure_has_field(s, "interlace-mode"))
    gst_structure_fixate_field_string(s, "interlace-mode", "progressive");
  caps = gst_caps_fixate(caps);
  GstVideoInfo info;
  if (!gst_video_info_from_caps(&info, caps) || GST_VIDEO_INFO_FPS_N(&info) <= 0 ||
      GST_VIDEO_INFO_IS_INTERLACED(&info)) {
    gst_caps_unref(caps);
    return nullptr;
  }
  return caps;
}

GstCaps *negotiate_audio_caps(const GstCaps *requested, const GstCaps *downstream) {
  GstCaps *caps = narrowed(requested, downstream, "audio/x-raw");
  if (!caps)
    return nullptr;
  GstStructure *s = gst_caps_get_structure(caps, 0);
  fixate_string(s, "format", GST_AUDIO_NE(S16));
  fixate_int(s, "rate", 48000);
  fixate_int(s, "channels", 2);
  fixate_string(s, "layout", "interleaved");
  caps = gst_caps_fixate(caps);
  GstAudioInfo info;
  if (!gst_audio_info_from_caps(&info, caps) ||
      GST_AUDIO_INFO_LAYOUT(&info) != GST_AUDIO_LAYOUT_INTERLEAVED) {
    gst_caps_unref(caps);
    return nullptr;
  }
  /* Channel positions as audioconvert will make them, so that the caps of
   * every shot and of the silence agree. */
  s = gst_caps_get_structure(caps, 0);
  if (GST_AUDIO_INFO_CHANNELS(&info) > 2 && !gst_structure_has_field(s, "channel-mask")) {
    guint64 mask = gst_audio_channel_get_fallback_mask(GST_AUDIO_INFO_CHANNELS(&info));
    caps = gst_caps_make_writable(caps);
    gst_caps_set_simple(caps, "channel-mask", GST_TYPE_BITMASK, mask, nullptr);
  }
  return caps;
}

GstCaps *programme_video_caps(const GstCaps *requested, const FrameShape &fallback) {
  return negotiate_video_caps(requested, nullptr, fallback);
}

GstCaps *programme_audio_caps(const GstCaps *requested) {
  return negotiate_audio_caps(requested, nullptr);
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
