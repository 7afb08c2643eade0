/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc's runs: READY->PAUSED starts one (start_run), the job's
 * events update it on the I/O thread and queue what the application sees,
 * PAUSED->READY ends it (stop_run). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "videosrc/private.h"

#include "core/file_read.h"
#include "core/gateway.h"
#include "core/mp4_check.h"
#include "core/printable_text.h"
#include "core/soup_runtime.h"
#include "core/variant.h"

#include <glib/gstdio.h>

#include <fcntl.h>

#include <cerrno>
#include <functional>

#define GST_CAT_DEFAULT gst_sora_video_src_debug

namespace sora_videosrc {

namespace {

constexpr char kStatusMessage[] = "sora-status";
constexpr char kRetryMessage[] = "sora-retry";
constexpr char kCacheMessage[] = "sora-cache";

/* Caps for the bytes a clip file starts with. */
GstCaps *caps_for_content(const guint8 *start, gsize size) {
  if (sora::starts_like_mp4(start, size))
    return gst_caps_new_empty_simple("video/quicktime");
  const char *image = sora::sniff_image_mime(start, size);
  return gst_caps_new_empty_simple(image ? image : "application/octet-stream");
}

/* Whether an installed decoder takes `caps`: a thumbnail is WebP, which
 * only gst-plugins-bad decodes. */
bool can_decode(GstCaps *caps) {
  GList *decoders =
      gst_element_factory_list_get_elements(GST_ELEMENT_FACTORY_TYPE_DECODER, GST_RANK_NONE);
  GList *able = gst_element_factory_list_filter(decoders, caps, GST_PAD_SINK, FALSE);
  bool found = able != nullptr;
  gst_plugin_feature_list_free(able);
  gst_plugin_feature_list_free(decoders);
  return found;
}

}  // namespace

/* ---- job events, on the IoLoop thread ---- */

/* The handlers below update the element's state at once, on the I/O thread,
 * and queue what the application sees (notifications, bus messages): no
 * application code runs on the thread every source shares. */
static void emit(GstSoraVideoSrc *self, std::function<void()> emission) {
  self->priv->emissions.push(GST_ELEMENT(self), std::move(emission));
}

static void set_status(GstSoraVideoSrc *self, const char *status, std::optional<gint> progress) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  bool status_changed, progress_changed = false;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    status_changed = priv->status != status;
    priv->status = status;
    if (progress && *progress != priv->progress) {
      priv->progress = *progress;
      progress_changed = true;
    }
  }
  if (status_changed || progress_changed) {
    emit(self, [self, status_changed, progress_changed] {
      if (status_changed) {
        g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATUS]);
        g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_PHASE]);
      }
      if (progress_changed)
        g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_PROGRESS]);
    });
  }
}

static void notify_video_id(GstSoraVideoSrc *self) {
  emit(self, [self] { g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_VIDEO_ID]); });
}

/* The run learned its task's id. */
static void learn_task(GstSoraVideoSrc *self, const std::string &video_id) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  bool changed;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    std::string before = visible_video_id(priv);
    priv->learned = {video_id, priv->run->request};
    priv->run->video.id = video_id;
    changed = before != visible_video_id(priv);
  }
  if (changed)
    notify_video_id(self);
}

/* The journalled task the run attached to is gone (stale): the run makes
 * the request anew, and neither its messages nor `video-id` may name the
 * dead task meanwhile. */
static void forget_task(GstSoraVideoSrc *self) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  bool changed;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    std::string before = visible_video_id(priv);
    priv->learned = {};
    priv->run->video = sora::VideoObject{};
    changed = before != visible_video_id(priv);
  }
  if (changed)
    notify_video_id(self);
}

static void on_created(GstSoraVideoSrc *self, const std::string &video_id) {
  GST_INFO_OBJECT(self, "created task %s", video_id.c_str());
  learn_task(self, video_id);
}

/* The task of the run so far, for messages. */
static std::string run_video_id(GstSoraVideoSrcPrivate *priv) {
  std::lock_guard<std::mutex> guard(priv->lock);
  return priv->run ? priv->run->video.id : std::string();
}

/* A sora-status message: where the run is (`phase`, as the status
 * property), and what the server said of its task. */
static GstStructure *status_structure(const sora::VideoObject &video, const char *phase) {
  return gst_structure_new(kStatusMessage, "video-id", G_TYPE_STRING, video.id.c_str(), "status",
                           G_TYPE_STRING, video.status.c_str(), "state", G_TYPE_STRING,
                           sora::task_state_name(video.state), "phase", G_TYPE_STRING, phase,
                           nullptr);
}

/* The run's PROGRESS CONTINUE, while it is between START and COMPLETE. */
static bool progress_running(GstSoraVideoSrc *self) {
  std::lock_guard<std::mutex> guard(self->priv->lock);
  return self->priv->run->progress == Run::Progress::kStarted;
}

/* The job begins to wait on the server: PROGRESS START. */
static void on_waiting(GstSoraVideoSrc *self, const std::string &what) {
  std::string video_id;
  {
    std::lock_guard<std::mutex> guard(self->priv->lock);
    Run &run = *self->priv->run;
    run.progress = Run::Progress::kStarted;
    video_id = run.video.id;
  }
  const char *phase = video_id.empty() ? "creating" : "queued";
  emit(self, [self, what, video_id, phase] {
    post_progress(self, GST_PROGRESS_TYPE_START, what, 0, video_id, phase);
  });
}

/* The clip can be read (it flows as it downloads, or it is whole): the
 * blocking part of the run is over, PROGRESS COMPLETE. */
static void complete_progress(GstSoraVideoSrc *self, const std::string &text) {
  std::string video_id;
  {
    std::lock_guard<std::mutex> guard(self->priv->lock);
    Run &run = *self->priv->run;
    if (run.progress != Run::Progress::kStarted)
      return;
    run.progress = Run::Progress::kCompleted;
    video_id = run.video.id;
  }
  emit(self, [self, text = video_id + ": " + text, video_id] {
    post_progress(self, GST_PROGRESS_TYPE_COMPLETE, text, 100, video_id, "completed");
  });
}

static void on_status(GstSoraVideoSrc *self, const sora::VideoObject &video, sora::JobPhase phase) {
  std::optional<guint> progress = video.progress;
  if (!progress && video.state == sora::TaskState::kCompleted)
    progress = 100;
  gint percent = progress ? static_cast<gint>(*progress) : kProgressUnknown;
  set_status(self, sora::job_phase_name(phase), percent);
  {
    std::lock_guard<std::mutex> guard(self->priv->lock);
    self->priv->run->video = video;
  }
  /* A progress the server did not report is left out, not shown as 0. */
  GstStructure *s = status_structure(video, sora::job_phase_name(phase));
  if (progress)
    gst_structure_set(s, "progress", G_TYPE_UINT, *progress, nullptr);
  GstMessage *status = gst_message_new_element(GST_OBJECT(self), s);

  std::string text = video.id + ": " + (video.status.empty() ? "no status yet" : video.status);
  text += progress ? " " + std::to_string(*progress) + "%" : " (progress unknown)";
  bool running = progress_running(self);
  emit(self, [self, status, text, percent, id = video.id, phase, running] {
    gst_element_post_message(GST_ELEMENT(self), status);
    if (running)
      post_progress(self, GST_PROGRESS_TYPE_CONTINUE, text, percent, id,
                    sora::job_phase_name(phase));
  });
}

/* While nothing flows yet (a clip offered only whole), the download is part
 * of the wait: PROGRESS. Once the clip flows, the pipeline plays and the
 * download's progress is a sora-status message: BUFFERING would make an
 * application pause a pipeline that plays fine while the clip arrives. */
static void on_download_progress(GstSoraVideoSrc *self, guint64 received, guint64 total) {
  sora::VideoObject video;
  {
    std::lock_guard<std::mutex> guard(self->priv->lock);
    video = self->priv->run->video;
  }
  gint percent = total > 0 ? static_cast<gint>(received * 100 / total) : 0;
  std::string text = "Downloading " + video.id + ": " + std::to_string(received) + " bytes";
  if (total > 0)
    text += " of " + std::to_string(total) + " (" + std::to_string(percent) + "%)";
  /* The generation is over: its progress is 100. */
  GstStructure *s = status_structure(video, "downloading");
  gst_structure_set(s, "progress", G_TYPE_UINT, 100u, "bytes-received", G_TYPE_UINT64, received,
                    "bytes-total", G_TYPE_UINT64, total, nullptr);
  GstMessage *status = gst_message_new_element(GST_OBJECT(self), s);
  bool running = progress_running(self);
  emit(self, [self, status, text, percent, video_id = video.id, running] {
    gst_element_post_message(GST_ELEMENT(self), status);
    if (running)
      post_progress(self, GST_PROGRESS_TYPE_CONTINUE, text, percent, video_id, "downloading");
  });
}

static void on_retrying(GstSoraVideoSrc *self, const sora::RetryNotice &notice) {
  std::string video_id = run_video_id(self->priv);
  GstStructure *s = gst_structure_new(
      kRetryMessage, "video-id", G_TYPE_STRING, video_id.c_str(), "request", G_TYPE_STRING,
      notice.request, "attempt", G_TYPE_UINT, notice.attempt, "delay-ms", G_TYPE_UINT,
      notice.delay_ms, "reason", G_TYPE_STRING, notice.reason.c_str(), nullptr);
  GstMessage *retry = gst_message_new_element(GST_OBJECT(self), s);
  g_autofree char *text =
      g_strdup_printf("The %s request failed (%s): trying again in %.1f s", notice.request,
                      notice.reason.c_str(), notice.delay_ms / 1000.0);
  bool running = progress_running(self);
  emit(self, [self, retry, text = std::string(text), video_id, running] {
    gst_element_post_message(GST_ELEMENT(self), retry);
    if (running)
      post_progress(self, GST_PROGRESS_TYPE_CONTINUE, text, 0, video_id, "retrying");
  });
}

static void on_cache(GstSoraVideoSrc *self, sora::CacheEvent event, const std::string &video_id) {
  if (event == sora::CacheEvent::kHit || event == sora::CacheEvent::kResumed)
    learn_task(self, video_id);
  else if (event == sora::CacheEvent::kStale)
    forget_task(self);
  GstStructure *s =
      gst_structure_new(kCacheMessage, "event", G_TYPE_STRING, sora::cache_event_name(event),
                        "video-id", G_TYPE_STRING, video_id.c_str(), nullptr);
  GstMessage *message = gst_message_new_element(GST_OBJECT(self), s);
  emit(self, [self, message] { gst_element_post_message(GST_ELEMENT(self), message); });
}

/* The run goes on without the cache: say why, and what to do, once. */
static void on_cache_unusable(GstSoraVideoSrc *self, const std::string &dir,
                              const std::string &problem) {
  emit(self, [self, dir, problem] {
    GST_ELEMENT_WARNING_WITH_DETAILS(self, RESOURCE, OPEN_READ_WRITE, ("%s", problem.c_str()),
                                     (nullptr), ("cache-dir", G_TYPE_STRING, dir.c_str(), nullptr));
    GstStructure *s = gst_structure_new(
        kCacheMessage, "event", G_TYPE_STRING, "unusable", "video-id", G_TYPE_STRING, "",
        "cache-dir", G_TYPE_STRING, dir.c_str(), "reason", G_TYPE_STRING, problem.c_str(), nullptr);
    gst_element_post_message(GST_ELEMENT(self), gst_message_new_element(GST_OBJECT(self), s));
  });
}

/* The download started: serve its bytes as they arrive. */
static void on_serving(GstSoraVideoSrc *self, std::shared_ptr<sora::GrowingClip> clip) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  /* On the bus before the first byte is served (create() catches up with
   * the emissions): gst-launch-1.0 plays once prerolled. */
  complete_progress(self, "the clip plays as it downloads");
  std::lock_guard<std::mutex> guard(priv->lock);
  clip->set_flushing(priv->flushing);
  priv->run->growing = std::move(clip);
  priv->cond.notify_all();
}

/* The caps of the clip behind `fd`. */
static GstCaps *sniff_caps(int fd) {
  guint8 start[16] = {};
  gssize got = sora::read_at(fd, start, sizeof start, 0);
  return caps_for_content(start, got > 0 ? static_cast<gsize>(got) : 0);
}

static void on_finished(GstSoraVideoSrc *self, const sora::JobResult &result) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  bool forget_id = false;
  bool post_error_now = false;
  guint64 run_number = 0;
  sora::VideoObject video;
  Run::Progress progress = Run::Progress::kNone;
  /* Opened now, so that the clip is held even if the cache evicts it; its
   * caps read before the lock is taken. */
  int fd = -1;
  int open_errno = 0;
  GstCaps *caps = nullptr;
  if (result.phase == sora::JobPhase::kCompleted) {
    fd = g_open(result.path.c_str(), O_RDONLY | O_CLOEXEC, 0);
    open_errno = errno;
    if (fd >= 0)
      caps = sniff_caps(fd);
  }
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    Run &run = *priv->run;
    run_number = run.number;
    if (!result.video.id.empty())
      run.video = result.video;
    video = run.video;
    progress = run.progress;
    switch (result.phase) {
      case sora::JobPhase::kCompleted:
        if (fd < 0) {
          sora::JobError error;
          error.kind = sora::JobError::Kind::kWrite;
          error.video_id = result.video.id;
          error.message = "Cannot open the clip " + result.path + ": " + g_strerror(open_errno);
          run.clip = ClipState::kFailed;
          run.error = error;
          break;
        }
        run.clip = ClipState::kReady;
        run.clip_size = result.size;
        gst_caps_take(&run.clip_caps, caps);
        run.clip_fd = fd;
        break;
      case sora::JobPhase::kCancelled:
        run.clip = ClipState::kStopped;
        if (run.growing)
          run.growing->fail();
        break;
      default: {
        run.clip = ClipState::kFailed;
        run.error = result.error;
        /* A reader waiting for bytes gets the error: never an early end.
         * Bytes may have gone downstream already, and the streaming thread
         * be held there (a sink prerolled in PAUSED) with no create() to
         * come that would post the error: it is posted now. */
        if (run.growing) {
          post_error_now = !run.error_posted && !run.error_posting && result.error;
          run.error_posting = post_error_now;
          run.growing->fail();
        }
        /* A failed task is final: the next run must be free to ask again. */
        std::string before = visible_video_id(priv);
        if (result.error && result.error->kind == sora::JobError::Kind::kGenerationFailed)
          priv->learned = {};
        forget_id = before != visible_video_id(priv);
        break;
      }
    }
    priv->cond.notify_all();
  }
  if (forget_id)
    notify_video_id(self);
  if (post_error_now) {
    /* The streaming thread waits for error_posted: it must not post
     * basesrc's own error first. */
    emit(self, [self, error = *result.error, number = run_number] {
      post_job_error(self, error);
      GstSoraVideoSrcPrivate *priv = self->priv;
      std::lock_guard<std::mutex> guard(priv->lock);
      if (priv->run && priv->run->number == number) {
        priv->run->error_posting = false;
        priv->run->error_posted = true;
      }
      priv->cond.notify_all();
    });
  }
  set_status(self, sora::job_phase_name(result.phase),
             result.phase == sora::JobPhase::kCompleted ? std::optional<gint>(100) : std::nullopt);

  /* The run's end, always in a sora-status message: with "completed" the
   * clip is whole, checked and at its location. */
  GstStructure *s = status_structure(video, sora::job_phase_name(result.phase));
  if (result.phase == sora::JobPhase::kCompleted)
    gst_structure_set(s, "progress", G_TYPE_UINT, 100u, "size", G_TYPE_UINT64, result.size,
                      "from-cache", G_TYPE_BOOLEAN, result.from_cache, nullptr);
  GstMessage *status = gst_message_new_element(GST_OBJECT(self), s);
  emit(self, [self, status] { gst_element_post_message(GST_ELEMENT(self), status); });

  const std::string &id = video.id;
  switch (result.phase) {
    case sora::JobPhase::kCompleted:
      /* A clip offered only whole: the wait ends now. */
      complete_progress(self, "clip ready (" + std::to_string(result.size) + " bytes)");
      return;
    case sora::JobPhase::kCancelled:
      if (progress == Run::Progress::kStarted)
        emit(self, [self, id] {
          post_progress(self, GST_PROGRESS_TYPE_CANCELED, "Cancelled" + (id.empty() ? "" : " " + id),
                        0, id, "cancelled");
        });
      return;
    default:
      /* After COMPLETE the pipeline plays: a failure is its error alone. */
      if (progress == Run::Progress::kStarted)
        emit(self, [self, id, text = result.error->message] {
          post_progress(self, GST_PROGRESS_TYPE_ERROR, text, 0, id, "failed");
        });
      return;
  }
}

/* ---- runs: READY->PAUSED starts one, PAUSED->READY ends it ---- */

/* The clip goes to `location`, or into a private temporary directory that
 * the run deletes (or the next run, if this process is killed). */
static bool prepare_output(GstSoraVideoSrc *self, const std::string &location, Run &run,
                           std::string *path) {
  if (!location.empty()) {
    *path = location;
    return true;
  }
  std::string problem;
  run.temp_dir = sora::RunTempDir::make(&problem);
  if (!run.temp_dir.valid()) {
    GST_ELEMENT_ERROR(self, RESOURCE, OPEN_WRITE,
                      ("Cannot create a temporary directory for the clip: %s", problem.c_str()),
                      (nullptr));
    return false;
  }
  *path = run.temp_dir.path() + G_DIR_SEPARATOR_S "clip.mp4";
  return true;
}

/* A thumbnail or spritesheet is output as it is; say so up front when no
 * decoder for it is installed, so a decodebin downstream does not leave the
 * user guessing. */
static void warn_if_undecodable(GstSoraVideoSrc *self, gint variant) {
  if (variant == 0)
    return;
  g_autoptr(GstCaps) caps = gst_caps_from_string(sora::kVariants[variant].caps);
  if (!can_decode(caps))
    GST_ELEMENT_WARNING(self, CORE, MISSING_PLUGIN,
                        ("No GStreamer decoder for %s is installed: the %s is output as it is, "
                         "but decodebin cannot decode it (webpdec is in gst-plugins-bad, "
                         "jpegdec in gst-plugins-good).",
                         sora::kVariants[variant].caps, sora::kVariants[variant].name),
                        (nullptr));
}

static void post_start_problem(GstSoraVideoSrc *self, const sora::StartProblem &problem) {
  if (problem.missing_key)
    GST_ELEMENT_ERROR(self, RESOURCE, NOT_AUTHORIZED, ("%s", problem.settings.message.c_str()),
                      (nullptr));
  else
    post_settings_error(self, problem.settings);
}

/* The status: the run is under way. PROGRESS START waits for the job to
 * say it waits on the server (on_waiting): a clip from the cache has none. */
static void announce_start(GstSoraVideoSrc *self, const sora::JobSettings &job) {
  const bool attach = !job.video_id.empty();
  set_status(self, attach ? "queued" : "creating", 0);
  GST_INFO_OBJECT(self, "%s (model %s, %us, size '%s') at %s (gateway %s)",
                  attach ? ("attaching to " + job.video_id).c_str() : "creating a task",
                  job.request.model.c_str(), job.request.seconds, job.request.size.c_str(),
                  sora::url_without_userinfo(job.connection.base_url).c_str(),
                  sora::gateway_name(job.connection.gateway));
}

static sora::JobEvents job_events(GstSoraVideoSrc *self) {
  sora::JobEvents events;
  events.waiting = [self](const std::string &what) { on_waiting(self, what); };
  events.created = [self](const std::string &id) { on_created(self, id); };
  events.status = [self](const sora::VideoObject &video, sora::JobPhase phase) {
    on_status(self, video, phase);
  };
  events.download_progress = [self](guint64 received, guint64 total) {
    on_download_progress(self, received, total);
  };
  events.retrying = [self](const sora::RetryNotice &notice) { on_retrying(self, notice); };
  events.cache = [self](sora::CacheEvent event, const std::string &video_id) {
    on_cache(self, event, video_id);
  };
  events.cache_unusable = [self](const std::string &dir, const std::string &problem) {
    on_cache_unusable(self, dir, problem);
  };
  events.deprecated = [self](const std::string &notice) {
    emit(self, [self, notice] {
      GST_ELEMENT_WARNING_WITH_DETAILS(self, RESOURCE, FAILED,
                                       ("%s", sora::printable_text(notice).c_str()),
                                       ("the server sent Deprecation or Sunset headers"),
                                       ("notice", G_TYPE_STRING, notice.c_str(), nullptr));
    });
  };
  events.cost = [self](const sora::CostNotice &notice) { on_cost(self, notice); };
  events.serving = [self](std::shared_ptr<sora::GrowingClip> clip) {
    on_serving(self, std::move(clip));
  };
  events.finished = [self](const sora::JobResult &result) { on_finished(self, result); };
  return events;
}

bool start_run(GstSoraVideoSrc *self) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  sora::SourceSettings settings;
  std::string replay_id;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    settings = priv->settings;
    replay_id = visible_video_id(priv);
  }
  auto made = sora::make_job_settings(settings, replay_id);
  sora::wipe_secret(settings.connection.api_key);
  if (auto *problem = std::get_if<sora::StartProblem>(&made)) {
    post_start_problem(self, *problem);
    return false;
  }
  sora::JobSettings &job = std::get<sora::JobSettings>(made);
  std::string no_soup;
  if (!sora::soup_runtime_available(&no_soup)) {
    GST_ELEMENT_ERROR(self, LIBRARY, INIT, ("%s", no_soup.c_str()), (nullptr));
    return false;
  }
  auto run = std::make_unique<Run>();
  run->request = sora::request_signature(settings);
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    run->number = ++priv->runs_started;
    /* cost-* describe this run's create: none yet (a cache hit makes none) */
    priv->cost_estimate = -1;
    priv->cost_currency.clear();
    priv->cost_entry.clear();
  }
  run->video.id = job.video_id;
  if (!prepare_output(self, settings.location, *run, &job.output_path))
    return false;
  warn_if_undecodable(self, settings.variant);
  announce_start(self, job);
  /* The run is in place before the job starts: its events find it. */
  Run *started = run.get();
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    priv->run = std::move(run);
  }
  std::shared_ptr<sora::IoLoop> loop = sora::IoLoop::shared();
  std::shared_ptr<sora::VideoJob> job_started =
      sora::VideoJob::start(*loop, std::move(job), job_events(self));
  std::lock_guard<std::mutex> guard(priv->lock);
  started->loop = std::move(loop);
  started->job = std::move(job_started);
  return true;
}

/* Cancels the job and drops the run: its clip, temporary files and, with the
 * last source of the process, the I/O thread. The pads are inactive by now,
 * so the streaming-thread fields are free. */
void stop_run(GstSoraVideoSrc *self) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  std::shared_ptr<sora::VideoJob> job;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    if (!priv->run)
      return;
    priv->run->clip = ClipState::kStopped;
    if (priv->run->growing)
      priv->run->growing->fail();
    job = priv->run->job;
    priv->cond.notify_all();
  }
  if (job) {
    job->cancel();
    job->wait();
  }
  job.reset();
  /* The run's last notifications and messages are out before READY is:
   * gst-launch-1.0 and applications read the bus then. */
  priv->emissions.drain();
  std::unique_ptr<Run> run;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    run = std::move(priv->run);
  }
}

}  // namespace sora_videosrc
