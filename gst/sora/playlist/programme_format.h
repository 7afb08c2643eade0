/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The one format of a whole programme, and positions in it.
 *
 * Video is counted in frames and audio in samples from the programme's
 * start; timestamps are derived from those counts, never added up, so they
 * are continuous across shots and audio never drifts from video however
 * long the programme runs: the audio of the first N frames is always
 * round(N * rate / fps) samples. */
#pragma once

#include "gst_ptr.h"

#include <gst/audio/audio.h>
#include <gst/video/video.h>

#include <optional>
#include <string>

namespace sora::playlist {

/* A frame size and rate, as a clip or a request gives them. */
struct FrameShape {
  int width = 0;
  int height = 0;
  int fps_n = 0; /* 0: unknown (a still, or variable) */
  int fps_d = 1;
};

/* "1280x720" -> 1280, 720; nothing for other forms ("720P", ""). */
std::optional<FrameShape> shape_from_size(const std::string &size);
/* The size and rate of raw video caps. */
std::optional<FrameShape> shape_from_caps(const GstCaps *caps);

/* Downstream decides, as it does for videotestsrc and audiotestsrc: the
 * programme's format is the first system-memory structure of what
 * downstream accepts (`downstream`, the peer's caps query; null or ANY:
 * anything), narrowed by `requested` (the video-caps or audio-caps
 * property; null: anything), then fixated as those sources do: video
 * nearest `preferred` (the first shot's size and rate; 1280x720 and 30/1
 * when it says nothing), I420 when allowed, square pixels, progressive;
 * audio nearest 48 kHz stereo, native S16 when allowed, interleaved. Null
 * when downstream and `requested` have nothing in common, or nothing one
 * raw format fits. */
GstCaps *negotiate_video_caps(const GstCaps *requested, const GstCaps *downstream,
                              const FrameShape &preferred);
GstCaps *negotiate_audio_caps(const GstCaps *requested, const GstCaps *downstream);

/* The same without downstream: what the properties alone give. */
GstCaps *programme_video_caps(const GstCaps *requested, const FrameShape &fallback);
GstCaps *programme_audio_caps(const GstCaps *requested);

class ProgrammeFormat {
 public:
  /* Takes the fixed caps made above. */
  ProgrammeFormat(GstCaps *video_caps, GstCaps *audio_caps);

  GstCaps *video_caps() const { return video_caps_.get(); }
  GstCaps *audio_caps() const { return audio_caps_.get(); }
  const GstVideoInfo &video() const { return video_; }
  const GstAudioInfo &audio() const { return audio_; }

  GstClockTime frame_time(guint64 frame) const;
  GstClockTime frame_duration() const { return frame_time(1); }
  /* Whole frames in `time`, rounded to the nearest. */
  guint64 frames_in(GstClockTime time) const;
  /* Whole frames that start before `time` (rounded down). */
  guint64 frames_before(GstClockTime time) const;
  /* The audio sample at which frame `frame` starts. */
  guint64 sample_at_frame(guint64 frame) const;
  GstClockTime sample_time(guint64 sample) const;
  guint64 samples_in(GstClockTime time) const;
  int rate() const { return GST_AUDIO_INFO_RATE(&audio_); }
  int bytes_per_frame() const { return GST_AUDIO_INFO_BPF(&audio_); }

  /* `samples` of silence. */
  GstBuffer *silence(guint64 samples) const;

 private:
  CapsPtr video_caps_;
  CapsPtr audio_caps_;
  GstVideoInfo video_;
  GstAudioInfo audio_;
};

}  // namespace sora::playlist
