/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* BatchGeneration: shots generated side by side, each by a soravideosrc of
 * its own, at most max_parallel at a time, in order of the list.
 *
 *   soravideosrc (the shot's settings) ! fakesink
 *
 * The element does the work exactly as in any pipeline: its cache, its task
 * journal (a run that finds a task journalled attaches to it instead of
 * paying again), its checks, its error texts. A shot is over when its source
 * posts its end message (sora-status with the clip's size: the clip is in
 * the cache, and at `location` when set) or an error; its pipeline then goes to NULL and the next shot starts.
 *
 * Everything happens on the thread that runs the default GMainContext (bus
 * watches): events are called there, and start() and stop() are called
 * there. stop() sets every running source to NULL: requests stop, nothing is
 * cancelled on the server, and a task already created (or a create already
 * sent) stays in the journal for the next run of the same request. */
#pragma once

#include <gst/gst.h>

#include <functional>
#include <string>
#include <vector>

namespace sora::generate {

enum class ShotState { kWaiting, kRunning, kDone, kFailed, kStopped };

struct ShotOutcome {
  ShotState state = ShotState::kWaiting;
  std::string video_id; /* once the task is known */
  std::string error;    /* when failed: the element's message */
  bool from_cache = false;
};

class BatchGeneration {
 public:
  /* Sets a shot's soravideosrc up: every property, from the defaults and
   * the shot (index from 0). */
  using Configure = std::function<void(GstElement *source, size_t index)>;

  struct Events {
    /* A change worth a line: a status, a tenth of progress, a retry. */
    std::function<void(size_t index, const std::string &text)> progress;
    /* The shot is over: outcome(index) says how. */
    std::function<void(size_t index)> finished;
    /* No shot runs and none waits: after the last one, or after stop(). */
    std::function<void()> all_over;
  };

  BatchGeneration(size_t count, unsigned max_parallel, Configure configure, Events events);
  ~BatchGeneration();
  BatchGeneration(const BatchGeneration &) = delete;
  BatchGeneration &operator=(const BatchGeneration &) = delete;

  void start();
  void stop();

  size_t size() const { return shots_.size(); }
  const ShotOutcome &outcome(size_t index) const { return shots_[index].outcome; }

 private:
  struct Shot {
    ShotOutcome outcome;
    GstElement *pipeline = nullptr;
    guint watch = 0;
    std::string phase; /* of the last line shown */
    int tenth = -1;    /* of the progress shown */
  };
  struct Watch {
    BatchGeneration *batch;
    size_t index;
  };

  void launch(size_t index);
  void launch_next();
  static gboolean on_message(GstBus *bus, GstMessage *message, gpointer data);
  void handle(size_t index, GstMessage *message);
  void on_progress(size_t index, GstMessage *message);
  void on_status(size_t index, const GstStructure *s);
  void end(size_t index, ShotState state, const std::string &error);
  void release(Shot &shot);
  void check_all_over();

  std::vector<Shot> shots_;
  unsigned max_parallel_;
  Configure configure_;
  Events events_;
  size_t next_ = 0; /* the first shot not started */
  bool stopping_ = false;
  bool told_over_ = false;
};

}  // namespace sora::generate
