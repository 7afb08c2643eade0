/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* EmissionQueue: where an element's property notifications and bus messages
 * leave from, in the order they were made.
 *
 * Job events arrive on the process's one I/O thread (core/io_loop.h), shared
 * by every source. Application code runs inside a notify:: handler and inside
 * a sync bus handler, so emitting from there would let one slow handler stall
 * every source of the process, and a handler that stops the pipeline would
 * do so on the thread the stop waits for. The element therefore updates its
 * state on the I/O thread and queues the emissions here: they run one at a
 * time, in order, on a thread of GLib's shared pool, where an application may
 * block or change the element's state as from any thread of its own. */
#pragma once

#include <gst/gst.h>

#include <condition_variable>
#include <functional>
#include <mutex>

namespace sora {

class EmissionQueue {
 public:
  EmissionQueue();
  /* Does not wait: an emission still queued holds a reference to its
   * element, so the element (and this queue) cannot be finalized before
   * it ran. */
  ~EmissionQueue();
  EmissionQueue(const EmissionQueue &) = delete;
  EmissionQueue &operator=(const EmissionQueue &) = delete;

  /* Runs `emission` after every emission pushed before it, holding a
   * reference to `element` until it has run. */
  void push(GstElement *element, std::function<void()> emission);

  /* Waits until every emission pushed so far has run, so that a stop leaves
   * the run's last messages on the bus. Returns at once when called from an
   * emission (a handler that stops the element): it cannot wait for itself. */
  void drain();

  /* For the streaming thread: waits until every emission pushed so far has
   * run, so that data never overtakes the messages about it (a cache hit,
   * PROGRESS COMPLETE before EOS); false when interrupted first. */
  bool catch_up();
  /* While set, catch_up() returns at once (false): basesrc's unlock(), so
   * that a handler stopping the element never waits for a streaming thread
   * that waits for it. */
  void set_interrupted(bool interrupted);

  /* Whether the calling thread is running an emission. */
  static bool in_emission();

 private:
  struct Task;
  static void run(gpointer task, gpointer queue);

  GThreadPool *pool_ = nullptr;
  std::mutex lock_;
  std::condition_variable ran_;
  guint64 pushed_ = 0;
  guint64 done_ = 0;
  bool interrupted_ = false;
};

}  // namespace sora
