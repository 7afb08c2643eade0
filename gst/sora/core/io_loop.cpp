/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/io_loop.h"

#include <condition_variable>
#include <mutex>

namespace sora {

namespace {

std::mutex shared_lock;
std::weak_ptr<IoLoop> shared_loop;

gboolean run_callback(gpointer data) {
  (*static_cast<std::function<void()> *>(data))();
  return G_SOURCE_REMOVE;
}

void free_callback(gpointer data) {
  delete static_cast<std::function<void()> *>(data);
}

}  // namespace

std::shared_ptr<IoLoop> IoLoop::shared() {
  std::lock_guard<std::mutex> guard(shared_lock);
  std::shared_ptr<IoLoop> loop = shared_loop.lock();
  if (!loop) {
    loop = std::shared_ptr<IoLoop>(new IoLoop());
    shared_loop = loop;
  }
  return loop;
}

IoLoop::IoLoop() {
  context_ = g_main_context_new();
  loop_ = g_main_loop_new(context_, FALSE);
  thread_ = g_thread_new("sora-io", &IoLoop::thread_main, this);
}

IoLoop::~IoLoop() {
  if (is_loop_thread()) {
    /* The last owner let go from a callback: the thread cannot join itself,
     * so it finishes on its own as soon as this callback returns. */
    g_main_loop_quit(loop_);
    g_thread_unref(thread_);
  } else {
    GMainLoop *loop = loop_;
    post([loop] { g_main_loop_quit(loop); });
    g_thread_join(thread_);
  }
  g_main_loop_unref(loop_);
  g_main_context_unref(context_);
}

gpointer IoLoop::thread_main(gpointer data) {
  /* Own references: the IoLoop object may be gone before the loop returns. */
  auto *self = static_cast<IoLoop *>(data);
  GMainContext *context = g_main_context_ref(self->context_);
  GMainLoop *loop = g_main_loop_ref(self->loop_);
  g_main_context_push_thread_default(context);
  g_main_loop_run(loop);
  /* Let sources posted during shutdown run and release what they hold. */
  while (g_main_context_iteration(context, FALSE)) {
  }
  g_main_context_pop_thread_default(context);
  g_main_loop_unref(loop);
  g_main_context_unref(context);
  return nullptr;
}

void IoLoop::post(std::function<void()> fn) {
  GSource *source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, run_callback, new std::function<void()>(std::move(fn)),
                        free_callback);
  g_source_attach(source, context_);
  g_source_unref(source);
}

void IoLoop::run_sync(const std::function<void()> &fn) {
  if (is_loop_thread()) {
    fn();
    return;
  }
  std::mutex lock;
  std::condition_variable cond;
  bool done = false;
  post([&] {
    fn();
    std::lock_guard<std::mutex> guard(lock);
    done = true;
    cond.notify_one();
  });
  std::unique_lock<std::mutex> guard(lock);
  cond.wait(guard, [&] { return done; });
}

SourcePtr IoLoop::schedule(guint delay_ms, std::function<void()> fn) {
  SourcePtr source(g_timeout_source_new(delay_ms));
  g_source_set_callback(source.get(), run_callback, new std::function<void()>(std::move(fn)),
                        free_callback);
  g_source_attach(source.get(), context_);
  return source;
}

}  // namespace sora
