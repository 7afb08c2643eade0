/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Runs renders on a few worker threads (at most one per CPU), so that many tasks created at once
// queue up instead of each starting an encoder, and the HTTP main loop never waits for a render.
// A clip already in the render cache completes without rendering. Each completion is delivered
// on the main context of the thread that created the pool.
#pragma once

#include "clip_spec.h"
#include "render_cache.h"

#include <gio/gio.h>

#include <functional>
#include <string>

struct RenderOutcome {
  bool succeeded = false;
  RenderedClip files;      // when succeeded
  std::string error;       // when not
  gint64 finished_us = 0;  // g_get_monotonic_time() when the files were ready
};

class RenderPool {
 public:
  using Completion = std::function<void(const RenderOutcome &)>;

  RenderPool(RenderCache &cache, bool verbose);
  ~RenderPool();

  RenderPool(const RenderPool &) = delete;
  RenderPool &operator=(const RenderPool &) = delete;

  void submit(ClipSpec spec, Completion on_done);

  // Cancels running renders (their partial files are removed), drops queued ones and waits for
  // the workers to return. Completions not yet delivered are never delivered.
  void shutdown();

 private:
  struct Job;

  static void run_job(gpointer job, gpointer pool);
  static gboolean deliver(gpointer job);
  static void delete_job(gpointer job);
  RenderOutcome produce(const ClipSpec &spec);
  RenderOutcome render_into_cache(const ClipSpec &spec, const std::string &key);

  RenderCache &cache_;
  bool verbose_;
  GMainContext *main_context_;
  GCancellable *cancellable_;
  GThreadPool *workers_ = nullptr;
};
