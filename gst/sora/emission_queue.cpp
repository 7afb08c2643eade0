/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "emission_queue.h"

namespace sora {

namespace {

thread_local bool running_emission = false;

}  // namespace

struct EmissionQueue::Task {
  GstElement *element; /* a reference */
  std::function<void()> emission;
};

EmissionQueue::EmissionQueue() {
  /* One thread at a time keeps the emissions in order; shared (not
   * exclusive), so an idle queue holds no thread of its own. */
  pool_ = g_thread_pool_new(&EmissionQueue::run, this, 1, FALSE, nullptr);
}

EmissionQueue::~EmissionQueue() {
  g_thread_pool_free(pool_, FALSE, FALSE);
}

void EmissionQueue::push(GstElement *element, std::function<void()> emission) {
  {
    std::lock_guard<std::mutex> guard(lock_);
    pushed_++;
  }
  auto *task = new Task{GST_ELEMENT(gst_object_ref(element)), std::move(emission)};
  g_thread_pool_push(pool_, task, nullptr);
}

void EmissionQueue::run(gpointer data, gpointer queue_data) {
  auto *task = static_cast<Task *>(data);
  auto *queue = static_cast<EmissionQueue *>(queue_data);
  running_emission = true;
  task->emission();
  running_emission = false;
  {
    std::lock_guard<std::mutex> guard(queue->lock_);
    queue->done_++;
  }
  queue->ran_.notify_all();
  /* Last: this may be the element's last reference, and finalizing it
   * frees the queue. */
  GstElement *element = task->element;
  delete task;
  gst_object_unref(element);
}

void EmissionQueue::drain() {
  if (running_emission)
    return;
  std::unique_lock<std::mutex> guard(lock_);
  guint64 target = pushed_;
  ran_.wait(guard, [this, target] { return done_ >= target; });
}

bool EmissionQueue::catch_up() {
  std::unique_lock<std::mutex> guard(lock_);
  guint64 target = pushed_;
  ran_.wait(guard, [this, target] { return interrupted_ || done_ >= target; });
  return done_ >= target;
}

void EmissionQueue::set_interrupted(bool interrupted) {
  {
    std::lock_guard<std::mutex> guard(lock_);
    interrupted_ = interrupted;
  }
  ran_.notify_all();
}

bool EmissionQueue::in_emission() {
  return running_emission;
}

}  // namespace sora
