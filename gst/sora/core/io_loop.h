/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* IoLoop: the one thread on which all of the core's network I/O runs.
 *
 * Every VideoJob of a process shares it, so 32 sources cost one extra thread,
 * not 32, and a job waiting minutes between polls costs a timer, not a
 * blocked thread. The loop exists while at least one owner holds it: the last
 * owner to let go quits and joins it, so a pipeline set back to NULL leaves no
 * thread behind, except while a create sent before the stop is still being
 * answered (VideoJob holds the loop for it; then the thread ends itself). */
#pragma once

#include "core/glib_ptr.h"

#include <functional>
#include <memory>

namespace sora {

class IoLoop : public std::enable_shared_from_this<IoLoop> {
 public:
  /* The process-wide loop, started on first use. */
  static std::shared_ptr<IoLoop> shared();

  IoLoop(const IoLoop &) = delete;
  IoLoop &operator=(const IoLoop &) = delete;
  ~IoLoop();

  GMainContext *context() const { return context_; }
  bool is_loop_thread() const { return g_thread_self() == thread_; }

  /* Runs fn on the loop thread, soon; safe from any thread. */
  void post(std::function<void()> fn);

  /* Runs fn on the loop thread and waits for it to return. Runs it inline
   * when already on the loop thread. */
  void run_sync(const std::function<void()> &fn);

  /* Runs fn on the loop thread after delay_ms. Destroy the returned source
   * with g_source_destroy() to cancel it. */
  SourcePtr schedule(guint delay_ms, std::function<void()> fn);

 private:
  IoLoop();
  static gpointer thread_main(gpointer self);

  GMainContext *context_ = nullptr;
  GMainLoop *loop_ = nullptr;
  GThread *thread_ = nullptr;
};

}  // namespace sora
