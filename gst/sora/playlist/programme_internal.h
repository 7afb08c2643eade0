/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the files of Programme share (programme.cpp, programme_shots.cpp,
 * programme_timeline.cpp, programme_output.cpp, programme_pacing.cpp,
 * programme_negotiation.cpp): its constants and two sample helpers. Not
 * for use outside them. */
#pragma once

#include "gst_ptr.h"

#include <gst/gst.h>

namespace sora::playlist::programme_internal {

inline constexpr char kShotMessage[] = "sora-playlist";
inline constexpr char kProgressCode[] = "sora-playlist";
/* Buffers pushed per pad before the thread looks at everything else again. */
inline constexpr int kBatch = 8;
/* What the appsrcs may hold before the programme waits for them to drain
 * (non-live): a few frames, ~0.3 s of audio. */
inline constexpr guint kVideoQueue = 4;
inline constexpr guint kAudioQueue = 16;
/* A live programme: how late a shot's frame or audio may come before a
 * repeated frame or silence takes its place. Within the latency the appsrcs
 * declare, so sinks still see every buffer in time. */
inline constexpr GstClockTime kLiveGrace = 100 * GST_MSECOND;
/* Audio within this of where it belongs is taken as continuous (as audio
 * sinks do); further off, silence fills the gap or the overlap is cut. */
inline constexpr GstClockTime kAudioTolerance = 40 * GST_MSECOND;
inline constexpr GstClockTime kSilenceChunk = 20 * GST_MSECOND;
/* A container's duration runs past the video by up to the audio's last
 * frame: an estimate from it takes this much of a frame off. */
inline constexpr double kEstimateSlack = 0.3;
inline constexpr guint kDefaultSeconds = 4;
inline constexpr char kStandBy[] = "Please stand by";

inline GstClockTime running_time(GstSample *sample) {
  GstBuffer *buffer = gst_sample_get_buffer(sample);
  const GstSegment *segment = gst_sample_get_segment(sample);
  if (!buffer || !GST_BUFFER_PTS_IS_VALID(buffer))
    return GST_CLOCK_TIME_NONE;
  if (!segment || segment->format != GST_FORMAT_TIME)
    return GST_BUFFER_PTS(buffer);
  return gst_segment_to_running_time(segment, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
}

inline BufferPtr copy_of(GstSample *sample) {
  GstBuffer *buffer = sample ? gst_sample_get_buffer(sample) : nullptr;
  return BufferPtr(buffer ? gst_buffer_copy(buffer) : nullptr);
}

}  // namespace sora::playlist::programme_internal
