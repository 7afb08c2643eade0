/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The generation of one shot: its own soravideosrc (the bin's defaults,
 * then the shot's settings) writing the finished clip to a file.
 *
 *   soravideosrc location=FILE ! fakesink
 *
 * Going to PAUSED starts the task; the clip is on disk when the source
 * posts its COMPLETE progress. Then the pipeline is stopped: the clip waits
 * as a file (cheap) until its turn, when a ShotDecoder plays it, so any
 * number of shots can be generated ahead with only max-parallel of these in
 * flight. The bus is read synchronously and every message goes to the
 * hook, on whatever thread posted it (soravideosrc's I/O thread mostly). */
#pragma once

#include "gst_ptr.h"
#include "shot_defaults.h"
#include "shot_spec.h"

#include <gst/gst.h>

#include <functional>
#include <string>

namespace sora::playlist {

class ShotGeneration {
 public:
  using MessageHook = std::function<void(size_t index, GstMessage *message)>;

  ShotGeneration(size_t index, const ShotSpec &spec, const ShotDefaults &defaults, std::string path,
                 MessageHook hook);
  ~ShotGeneration();
  ShotGeneration(const ShotGeneration &) = delete;
  ShotGeneration &operator=(const ShotGeneration &) = delete;

  /* Sets it to PAUSED: the task is created (or found in the cache). False
   * when it could not start; soravideosrc has posted why. */
  bool start(std::string &error);
  /* To NULL: cancels the task's requests if it is still running (the task
   * goes on on the server, and the cache's journal remembers it). */
  void stop();

  std::string video_id() const;
  /* Where the clip is (the shot's own location, or the given path). */
  const std::string &path() const { return path_; }

 private:
  static GstBusSyncReply on_message(GstBus *bus, GstMessage *message, gpointer self);

  size_t index_;
  const ShotSpec &spec_;
  const ShotDefaults &defaults_;
  std::string path_;
  MessageHook hook_;
  ElementPtr pipeline_;
  GstElement *source_ = nullptr; /* owned by the pipeline */
  bool stopped_ = false;
};

}  // namespace sora::playlist
