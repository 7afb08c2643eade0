/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* PipelineRun: builds a pipeline from a gst-launch description, plays it to
 * the end and records what a test asserts on: decoded frames counted on the
 * sinks named "vsink" and "asink", the first error with its details, and the
 * element, progress and tag messages the bus carried. */
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <string>
#include <vector>

namespace sora_test {

struct PipelineResult {
  bool eos = false;
  bool timed_out = false;
  /* The first error, if any. */
  GQuark error_domain = 0;
  gint error_code = 0;
  std::string error_message;
  std::string error_debug;
  GstStructure *error_details = nullptr;

  guint video_frames = 0;
  guint audio_buffers = 0;
  GstClockTime audio_duration = 0;
  gint width = 0;
  gint height = 0;

  std::vector<std::string> warnings;            /* the texts of warning messages */
  /* Copies, each with "arrived-us": when it came, on g_get_monotonic_time(). */
  std::vector<GstStructure *> element_messages;
  std::vector<GstStructure *> progress_messages;
  std::vector<GstTagList *> tags;

  /* Wall time from the request to go to PLAYING to the first decoded video
   * frame, when there was one. */
  GstClockTime time_to_first_frame = GST_CLOCK_TIME_NONE;
  gint64 started_us = 0; /* when play() asked for PLAYING, g_get_monotonic_time() */

  PipelineResult() = default;
  PipelineResult(const PipelineResult &) = delete;
  PipelineResult &operator=(const PipelineResult &) = delete;
  PipelineResult(PipelineResult &&other) noexcept;
  ~PipelineResult();

  bool has_error() const { return error_domain != 0; }
  /* Element messages named `name`. */
  std::vector<const GstStructure *> messages_named(const char *name) const;
};

class PipelineRun {
 public:
  explicit PipelineRun(const std::string &description);
  ~PipelineRun();
  PipelineRun(const PipelineRun &) = delete;
  PipelineRun &operator=(const PipelineRun &) = delete;

  GstElement *pipeline() const { return pipeline_; }
  /* A named element, without a new reference. */
  GstElement *element(const char *name) const;

  /* Counts on these sinks too: for sinks that are not children of the
   * pipeline yet, such as playbin's video-sink and audio-sink. Either may be
   * null. */
  void count_on(GstElement *video_sink, GstElement *audio_sink);

  /* Plays to EOS or the first error, then sets the pipeline to NULL. The
   * result counts this run only, so a pipeline can be played again. */
  PipelineResult play(guint timeout_s = 60);

  /* Reads the bus into `result` until EOS, an error or the timeout,
   * without changing the state: for tests that drive the states. */
  void collect(PipelineResult &result, guint timeout_s);
  /* Reads what is left on the bus now into `result`, without waiting. */
  void drain(PipelineResult &result);

 private:
  void take(PipelineResult &result, GstMessage *msg);
  void attach_counters();
  void attach_counter(GstElement *sink, GstPadProbeCallback callback);
  static GstPadProbeReturn on_video(GstPad *pad, GstPadProbeInfo *info, gpointer self);
  static GstPadProbeReturn on_audio(GstPad *pad, GstPadProbeInfo *info, gpointer self);

  GstElement *pipeline_ = nullptr;
  std::atomic<guint> video_frames_{0};
  std::atomic<guint> audio_buffers_{0};
  std::atomic<guint64> audio_duration_{0};
  std::atomic<gint64> first_frame_at_{0};
  std::atomic<gint> width_{0};
  std::atomic<gint> height_{0};
  gint64 started_at_ = 0;
};

/* What an application gives the source playbin or uridecodebin made from a
 * URI, in their source-setup signal: `properties` ("api-key=K base-url=U",
 * values without spaces), the key and the server a URI cannot carry. The
 * factory of the source is noted. */
struct SourceSetup {
  std::string properties;
  std::string factory;
};
void connect_source_setup(GstElement *uri_bin, SourceSetup *setup);

/* playbin playing `uri` to fakesinks that count, the source set up as
 * `setup` says. */
PipelineResult play_with_playbin(const std::string &uri, SourceSetup &setup, guint timeout_s = 60);

/* The description most tests use: soravideosrc with `src_properties`,
 * decoded, video to "vsink" and audio to "asink". The cache is off unless
 * `src_properties` sets cache-mode: tests that count requests must not be
 * served from an earlier test's clip. */
std::string decode_pipeline(const std::string &src_properties);

}  // namespace sora_test
