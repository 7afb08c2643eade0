/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The pipeline that decodes one generated clip into the programme's format:
 *
 *   filesrc (the clip) ! decodebin
 *     video -> videoconvertscale (borders, never stretched) ! videorate
 *              ! capsfilter (the programme's video caps) ! appsink
 *     audio -> audioconvert ! audioresample ! capsfilter (programme audio) ! appsink
 *
 * Made only for the shot on air and the next one; preroll (ASYNC_DONE on
 * its bus) takes milliseconds, the clip being on disk. The appsinks hold a
 * few frames each, so decoding runs only as fast as the programme takes
 * the samples. Its bus is read synchronously and every message goes to the
 * hooks, on whatever thread posted it. */
#pragma once

#include "gst_ptr.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

namespace sora::playlist {

struct DecoderHooks {
  /* A message of the decoder's bus: errors, ASYNC_DONE. */
  std::function<void(size_t index, GstMessage *message)> message;
  /* A sample, an EOS: the programme has work. */
  std::function<void()> wake;
};

class ShotDecoder {
 public:
  ShotDecoder(size_t index, std::string path, GstCaps *video_caps, GstCaps *audio_caps,
              DecoderHooks hooks);
  ~ShotDecoder();
  ShotDecoder(const ShotDecoder &) = delete;
  ShotDecoder &operator=(const ShotDecoder &) = delete;

  /* Builds the pipeline and sets it to PAUSED. False when it could not. */
  bool start(std::string &error);
  /* After preroll: lets the decoded samples flow into the appsinks. */
  void play();
  /* To NULL: joins its threads. */
  void stop();
  bool playing() const { return playing_; }

  bool has_video() const { return video_sink_.load() != nullptr; }
  bool has_audio() const { return audio_sink_.load() != nullptr; }

  /* Non-blocking; null when nothing is queued. */
  GstSample *pull_video();
  GstSample *pull_audio();
  bool video_eos() const;
  bool audio_eos() const;
  /* The end (running time) of the last decoded frame so far: the clip's
   * video length once video_eos(). NONE before the first frame. */
  GstClockTime decoded_video_end() const { return decoded_video_end_.load(); }

 private:
  static void on_pad_added(GstElement *decodebin, GstPad *pad, gpointer self);
  static GstBusSyncReply on_message(GstBus *bus, GstMessage *message, gpointer self);
  static GstPadProbeReturn on_decoded(GstPad *pad, GstPadProbeInfo *info, gpointer self);
  void link_branch(GstPad *pad);
  GstElement *video_branch(GstPad **input);
  GstElement *audio_branch(GstPad **input);
  GstElement *make_sink();

  size_t index_;
  std::string path_;
  CapsPtr video_caps_;
  CapsPtr audio_caps_;
  DecoderHooks hooks_;
  ElementPtr pipeline_;
  std::atomic<GstElement *> video_sink_{nullptr};
  std::atomic<GstElement *> audio_sink_{nullptr};
  std::atomic<GstClockTime> decoded_video_end_{GST_CLOCK_TIME_NONE};
  std::mutex segment_lock_;
  GstSegment video_segment_; /* as the decoded frames carry it */
  bool stopped_ = false;
  bool playing_ = false;
};

}  // namespace sora::playlist
