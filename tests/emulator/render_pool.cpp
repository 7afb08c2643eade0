/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "render_pool.h"

#include "clip_renderer.h"

struct RenderPool::Job {
  ClipSpec spec;
  Completion on_done;
  RenderOutcome outcome;
};

namespace {

RenderOutcome failure(std::string error) {
  RenderOutcome outcome;
  outcome.error = std::move(error);
  outcome.finished_us = g_get_monotonic_time();
  return outcome;
}

RenderOutcome success(RenderedClip files) {
  RenderOutcome outcome;
  outcome.succeeded = true;
  outcome.files = std::move(files);
  outcome.finished_us = g_get_monotonic_time();
  return outcome;
}

}  // namespace

RenderPool::RenderPool(RenderCache &cache, bool verbose)
    : cache_(cache),
      verbose_(verbose),
      main_context_(g_main_context_ref_thread_default()),
      cancellable_(g_cancellable_new()),
      workers_(g_thread_pool_new_full(run_job, this, delete_job, g_get_num_processors(), FALSE,
                                      nullptr)) {}

RenderPool::~RenderPool() {
  shutdown();
  g_object_unref(cancellable_);
  g_main_context_unref(main_context_);
}

void RenderPool::submit(ClipSpec spec, Completion on_done) {
  g_thread_pool_push(workers_, new Job{std::move(spec), std::move(on_done), {}}, nullptr);
}

void RenderPool::shutdown() {
  if (!workers_) {
    return;
  }
  g_cancellable_cancel(cancellable_);
  g_thread_pool_free(workers_, TRUE, TRUE);
  workers_ = nullptr;
}

void RenderPool::run_job(gpointer data, gpointer self) {
  auto *job = static_cast<Job *>(data);
  auto *pool = static_cast<RenderPool *>(self);
  if (!g_cancellable_is_cancelled(pool->cancellable_)) {
    job->outcome = pool->produce(job->spec);
  }
  if (g_cancellable_is_cancelled(pool->cancellable_)) {
    delete_job(job);
    return;
  }
  g_main_context_invoke_full(pool->main_context_, G_PRIORITY_DEFAULT, deliver, job, delete_job);
}

gboolean RenderPool::deliver(gpointer job) {
  auto *finished = static_cast<Job *>(job);
  finished->on_done(finished->outcome);
  return G_SOURCE_REMOVE;
}

void RenderPool::delete_job(gpointer job) {
  delete static_cast<Job *>(job);
}

RenderOutcome RenderPool::produce(const ClipSpec &spec) {
  std::string key = render_cache_key(spec);
  if (std::optional<RenderedClip> cached = cache_.lookup(key)) {
    return success(*cached);
  }
  gint64 started_us = g_get_monotonic_time();
  RenderOutcome outcome = render_into_cache(spec, key);
  if (verbose_) {
    g_printerr("sora-emulator: rendered %ds %dx%d %s in %" G_GINT64_FORMAT " ms: %s\n",
               spec.total_seconds(), spec.width, spec.height, mp4_layout_name(spec.layout),
               (outcome.finished_us - started_us) / 1000,
               outcome.succeeded ? "ok" : outcome.error.c_str());
  }
  return outcome;
}

RenderOutcome RenderPool::render_into_cache(const ClipSpec &spec, const std::string &key) {
  g_autoptr(GError) error = nullptr;
  std::optional<std::string> staging = cache_.create_staging_dir(&error);
  if (!staging) {
    return failure(error->message);
  }
  RenderedClip staged = RenderCache::files_in(*staging, "clip");
  std::string render_error;
  RenderOutcome outcome;
  if (!render_clip(spec, staged, cancellable_, render_error)) {
    outcome = failure(render_error);
  } else if (std::optional<RenderedClip> cached = cache_.commit(staged, key, &error)) {
    outcome = success(*cached);
  } else {
    outcome = failure(error->message);
  }
  RenderCache::remove_tree(*staging);
  return outcome;
}
