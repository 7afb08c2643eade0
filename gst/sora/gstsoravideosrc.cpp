/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-soravideosrc
 * @title: soravideosrc
 *
 * soravideosrc generates a video clip from a text prompt with a server that
 * speaks the OpenAI video API (OpenAI's Sora, or a gateway fronting Kling,
 * Veo, Wan, Seedance, Vidu and others) and outputs the finished MP4 as
 * video/quicktime.
 *
 * Generation starts when the element goes to PAUSED; the state change does
 * not wait for it. The clip is written to a file on disk and served by offset
 * while it downloads (a read waits for its bytes; an MP4's moov at the end is
 * fetched ahead with a Range request), so qtdemux works in pull mode and
 * seeks freely, whatever the MP4's atom layout, from the first bytes on.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 soravideosrc prompt="A cat walking on the street" ! decodebin ! videoconvert !
 * autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsoravideosrc.h"

#include "gstsoraenums.h"
#include "emission_queue.h"
#include "job_settings.h"

#include "core/file_read.h"
#include "core/growing_clip.h"
#include "core/gateway.h"
#include "core/mp4_check.h"
#include "core/path_style.h"
#include "core/printable_text.h"
#include "core/run_temp_dir.h"
#include "core/soup_runtime.h"
#include "core/task_id.h"
#include "core/variant.h"
#include "reference_fit.h"
#include "request_fields.h"
#include "core/video_job.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

GST_DEBUG_CATEGORY_STATIC(gst_sora_video_src_debug);
#define GST_CAT_DEFAULT gst_sora_video_src_debug

namespace {

constexpr char kDefaultModel[] = "sora-2";
constexpr guint kDefaultSeconds = 4;
constexpr char kDefaultSize[] = "720x1280";
constexpr guint kDefaultPollInterval = 0;
constexpr guint kDefaultTimeout = 60;
constexpr guint kDefaultGenerationTimeout = 3600;
constexpr gint kDefaultRetries = 5;
constexpr char kProgressCode[] = "sora-generate";
constexpr char kStatusMessage[] = "sora-status";
constexpr char kRetryMessage[] = "sora-retry";
constexpr char kCacheMessage[] = "sora-cache";
/* The progress property and the PROGRESS message's percent while the
 * server reports none (OpenRouter, LiteLLM in front of Veo). */
constexpr gint kProgressUnknown = -1;
constexpr guint64 kDefaultCacheMaxSize = G_GUINT64_CONSTANT(10) * 1024 * 1024 * 1024;

enum {
  PROP_0,
  PROP_PROMPT,
  PROP_MODEL,
  PROP_SECONDS,
  PROP_SIZE,
  PROP_INPUT_REFERENCE,
  PROP_API_KEY,
  PROP_BASE_URL,
  PROP_POLL_INTERVAL,
  PROP_TIMEOUT,
  PROP_GENERATION_TIMEOUT,
  PROP_RETRIES,
  PROP_VIDEO_ID,
  PROP_LOCATION,
  PROP_METADATA,
  PROP_VALIDATE,
  PROP_PATH_STYLE,
  PROP_REFERENCE_FIT,
  PROP_CACHE_MODE,
  PROP_CACHE_DIR,
  PROP_CACHE_MAX_SIZE,
  PROP_MAX_CLIP_SIZE,
  PROP_REMIX_OF,
  PROP_EXTEND_OF,
  PROP_VARIANT,
  PROP_GATEWAY,
  PROP_STATUS,
  PROP_PROGRESS,
  PROP_PHASE,
  N_PROPS,
};

GParamSpec *properties[N_PROPS];

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

enum class ClipState {
  /* No run yet. Downstream may activate the source pad and pull before the
   * element's own READY->PAUSED starts the run: such a pull waits. */
  kIdle,
  kPending, /* the job is running */
  kReady,   /* the clip is on disk and verified */
  kFailed,
  kStopped, /* the run ended without a clip: cancelled, or it could not start */
};

/* All of one run: READY->PAUSED creates it, PAUSED->READY drops it, so
 * nothing of a run is left for the next one to reset (as gst-plugins-rs
 * s3src keeps its StreamingState). */
struct Run {
  /* The I/O thread, shared with the other sources of the process. Declared
   * before the job: dropped after it, so that the last source to stop joins
   * the thread. */
  std::shared_ptr<sora::IoLoop> loop;
  std::shared_ptr<sora::VideoJob> job;
  std::string request; /* request_signature() of what the run asked for */
  ClipState clip = ClipState::kPending;
  std::optional<sora::JobError> error;
  bool error_posted = false;
  bool error_posting = false; /* finished() is posting it: it comes first */
  sora::VideoObject video;    /* as the server last described it */
  guint64 clip_size = 0;
  sora::RunTempDir temp_dir;    /* holds the clip when no location is set */
  GstCaps *clip_caps = nullptr; /* what the clip turned out to be */
  /* The video while it downloads, served before it is whole. */
  std::shared_ptr<sora::GrowingClip> growing;

  guint64 number = 0; /* which run of the element: an emission checks it is still this one */

  /* Set with the clip, then streaming thread only. */
  int clip_fd = -1;       /* the clip, read with pread() */
  bool announced = false; /* duration and tags published */

  Run() = default;
  Run(const Run &) = delete;
  Run &operator=(const Run &) = delete;
  ~Run() {
    if (clip_fd >= 0)
      close(clip_fd);
    gst_caps_replace(&clip_caps, nullptr);
  }
};

/* The task a run learned (created, or found in the cache), with the request
 * it answers. Only job events write it; it is kept after the run, so that
 * the element replays its task rather than pay again, for as long as the
 * request is the same. */
struct LearnedTask {
  std::string video_id;
  std::string request;
};

void error_domain_for(sora::JobError::Kind kind, GQuark *domain, gint *code) {
  using Kind = sora::JobError::Kind;
  *domain = GST_RESOURCE_ERROR;
  switch (kind) {
    case Kind::kNotAuthorized:
      *code = GST_RESOURCE_ERROR_NOT_AUTHORIZED;
      return;
    case Kind::kRejected:
      *code = GST_RESOURCE_ERROR_SETTINGS;
      return;
    case Kind::kNotFound:
    case Kind::kExpired:
    case Kind::kTaskExpired:
      *code = GST_RESOURCE_ERROR_NOT_FOUND;
      return;
    case Kind::kGenerationFailed:
    case Kind::kTaskCancelled:
    case Kind::kTimeout:
      *code = GST_RESOURCE_ERROR_FAILED;
      return;
    case Kind::kNetwork:
    case Kind::kAmbiguous:
    case Kind::kServer:
      *code = GST_RESOURCE_ERROR_READ;
      return;
    case Kind::kBilling:
      *code = GST_RESOURCE_ERROR_NOT_AUTHORIZED;
      return;
    case Kind::kWrite:
      *code = GST_RESOURCE_ERROR_WRITE;
      return;
    case Kind::kTooLarge:
      *code = GST_RESOURCE_ERROR_NO_SPACE_LEFT;
      return;
    case Kind::kNotVideo:
      *domain = GST_STREAM_ERROR;
      *code = GST_STREAM_ERROR_WRONG_TYPE;
      return;
  }
  *code = GST_RESOURCE_ERROR_FAILED;
}

}  // namespace

struct GstSoraVideoSrcPrivate {
  std::mutex lock; /* everything below; a run's streaming-thread fields aside */
  std::condition_variable cond;
  sora::SourceSettings settings; /* what the user set */
  LearnedTask learned;
  std::string status = "idle";
  gint progress = 0;        /* kProgressUnknown while the server does not say */
  std::unique_ptr<Run> run; /* null between runs */
  guint64 runs_started = 0; /* a run's number, Run::number */
  bool flushing = false;
  /* Notifications and bus messages leave from here, never from the shared
   * I/O thread (emission_queue.h). */
  sora::EmissionQueue emissions;
};

/* video-id as it reads: the user's, else the task the last run learned for
 * this same request. */
static std::string visible_video_id(const GstSoraVideoSrcPrivate *priv) {
  if (!priv->settings.video_id.empty())
    return priv->settings.video_id;
  return priv->learned.request == sora::request_signature(priv->settings) ? priv->learned.video_id
                                                                          : std::string();
}

struct _GstSoraVideoSrc {
  GstBaseSrc parent;
  GstSoraVideoSrcPrivate *priv;
};

#define gst_sora_video_src_parent_class parent_class
static void gst_sora_video_src_uri_handler_init(gpointer iface, gpointer data);
G_DEFINE_TYPE_WITH_CODE(GstSoraVideoSrc, gst_sora_video_src, GST_TYPE_BASE_SRC,
                        G_IMPLEMENT_INTERFACE(GST_TYPE_URI_HANDLER,
                                              gst_sora_video_src_uri_handler_init));
/* Primary: the one handler of sora:// URIs for playbin and uridecodebin. */
GST_ELEMENT_REGISTER_DEFINE(soravideosrc, "soravideosrc", GST_RANK_PRIMARY,
                            GST_TYPE_SORA_VIDEO_SRC);

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                            GST_STATIC_CAPS("video/quicktime; image/webp; image/jpeg; image/png"));

/* ---- bus messages ---- */

/* Texts for people (a progress's, an error's or warning's text and debug)
 * quote the server, and gst-launch-1.0 prints them: control characters show
 * as escapes (printable_text). The structured fields keep the server's
 * values for programs. */
static void post_progress(GstSoraVideoSrc *self, GstProgressType type, const std::string &text,
                          gint percent, const std::string &video_id, const char *phase) {
  GstMessage *msg = gst_message_new_progress(GST_OBJECT(self), type, kProgressCode,
                                             sora::printable_text(text).c_str());
  GstStructure *s = gst_message_writable_structure(msg);
  gst_structure_set(s, "percent", G_TYPE_INT, percent, "video-id", G_TYPE_STRING, video_id.c_str(),
                    "phase", G_TYPE_STRING, phase, nullptr);
  gst_element_post_message(GST_ELEMENT(self), msg);
}

static void post_job_error(GstSoraVideoSrc *self, const sora::JobError &error) {
  GQuark domain;
  gint code;
  error_domain_for(error.kind, &domain, &code);
  GstStructure *details = gst_structure_new(
      "details", "video-id", G_TYPE_STRING, error.video_id.c_str(), "http-status-code", G_TYPE_UINT,
      error.http_status, "error-code", G_TYPE_STRING, error.api.code.c_str(), "server-message",
      G_TYPE_STRING, error.api.message.c_str(), "request-id", G_TYPE_STRING,
      error.request_id.c_str(), nullptr);
  std::string debug = "video-id=" + error.video_id +
                      " http-status=" + std::to_string(error.http_status) +
                      " error-code=" + error.api.code + " request-id=" + error.request_id;
  gst_element_message_full_with_details(GST_ELEMENT(self), GST_MESSAGE_ERROR, domain, code,
                                        g_strdup(sora::printable_text(error.message).c_str()),
                                        g_strdup(sora::printable_text(debug).c_str()), __FILE__,
                                        GST_FUNCTION, __LINE__, details);
}

static void post_settings_error(GstSoraVideoSrc *self, const sora::SettingsProblem &problem) {
  GST_ELEMENT_ERROR_WITH_DETAILS(self, RESOURCE, SETTINGS, ("%s", problem.message.c_str()),
                                 ("property '%s'", problem.property.c_str()),
                                 ("property", G_TYPE_STRING, problem.property.c_str(), nullptr));
}

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
  GstStructure *s = gst_structure_new(kStatusMessage, "video-id", G_TYPE_STRING, video.id.c_str(),
                                      "status", G_TYPE_STRING, video.status.c_str(), "state",
                                      G_TYPE_STRING, sora::task_state_name(video.state), nullptr);
  if (progress)
    gst_structure_set(s, "progress", G_TYPE_UINT, *progress, nullptr);
  GstMessage *status = gst_message_new_element(GST_OBJECT(self), s);

  std::string text = video.id + ": " + (video.status.empty() ? "no status yet" : video.status);
  text += progress ? " " + std::to_string(*progress) + "%" : " (progress unknown)";
  emit(self, [self, status, text, percent, id = video.id, phase] {
    gst_element_post_message(GST_ELEMENT(self), status);
    post_progress(self, GST_PROGRESS_TYPE_CONTINUE, text, percent, id, sora::job_phase_name(phase));
  });
}

static void on_download_progress(GstSoraVideoSrc *self, guint64 received, guint64 total) {
  std::string video_id = run_video_id(self->priv);
  gint percent = total > 0 ? static_cast<gint>(received * 100 / total) : 0;
  std::string text = "Downloading " + video_id + ": " + std::to_string(received) + " bytes";
  if (total > 0)
    text += " of " + std::to_string(total) + " (" + std::to_string(percent) + "%)";
  emit(self, [self, text, percent, video_id] {
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
  emit(self, [self, retry, text = std::string(text), video_id] {
    gst_element_post_message(GST_ELEMENT(self), retry);
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

  const std::string &id = result.video.id;
  GstProgressType type = GST_PROGRESS_TYPE_ERROR;
  std::string text;
  switch (result.phase) {
    case sora::JobPhase::kCompleted:
      type = GST_PROGRESS_TYPE_COMPLETE;
      text = id + (result.from_cache ? ": served from the cache (" : ": clip ready (") +
             std::to_string(result.size) + " bytes)";
      break;
    case sora::JobPhase::kCancelled:
      type = GST_PROGRESS_TYPE_CANCELED;
      text = "Cancelled" + (id.empty() ? "" : " " + id);
      break;
    default:
      text = result.error->message;
      break;
  }
  emit(self, [self, type, text, id] {
    post_progress(self, type, text, type == GST_PROGRESS_TYPE_COMPLETE ? 100 : 0, id,
                  type == GST_PROGRESS_TYPE_COMPLETE   ? "completed"
                  : type == GST_PROGRESS_TYPE_CANCELED ? "cancelled"
                                                       : "failed");
  });
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

/* The status and the START message: the run is under way. */
static void announce_start(GstSoraVideoSrc *self, const sora::JobSettings &job) {
  const bool attach = !job.video_id.empty();
  set_status(self, attach ? "queued" : "creating", 0);
  post_progress(self, GST_PROGRESS_TYPE_START,
                attach ? "Attaching to " + job.video_id : "Creating the video task", 0,
                job.video_id, attach ? "queued" : "creating");
  GST_INFO_OBJECT(self, "%s (model %s, %us, size '%s') at %s (gateway %s)",
                  attach ? ("attaching to " + job.video_id).c_str() : "creating a task",
                  job.request.model.c_str(), job.request.seconds, job.request.size.c_str(),
                  sora::url_without_userinfo(job.connection.base_url).c_str(),
                  sora::gateway_name(job.connection.gateway));
}

static sora::JobEvents job_events(GstSoraVideoSrc *self) {
  sora::JobEvents events;
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
  events.serving = [self](std::shared_ptr<sora::GrowingClip> clip) {
    on_serving(self, std::move(clip));
  };
  events.finished = [self](const sora::JobResult &result) { on_finished(self, result); };
  return events;
}

static bool start_run(GstSoraVideoSrc *self) {
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
static void stop_run(GstSoraVideoSrc *self) {
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

static GstStateChangeReturn gst_sora_video_src_change_state(GstElement *element,
                                                            GstStateChange transition) {
  auto *self = GST_SORA_VIDEO_SRC(element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start_run(self))
    return GST_STATE_CHANGE_FAILURE;

  GstStateChangeReturn ret = GST_ELEMENT_CLASS(parent_class)->change_state(element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY ||
      (transition == GST_STATE_CHANGE_READY_TO_PAUSED && ret == GST_STATE_CHANGE_FAILURE))
    stop_run(self);
  return ret;
}

/* ---- GstBaseSrc ---- */

/* GstBaseSrc answers SCHEDULING by starting and stopping the element to
 * probe for random access; answering here keeps the probe from costing a
 * request. The clip always ends up in a file, so pull mode always works. */
static gboolean gst_sora_video_src_get_size(GstBaseSrc *base, guint64 *size);

static gboolean gst_sora_video_src_query(GstBaseSrc *base, GstQuery *query) {
  /* In bytes only (-1 while unknown, as GstBaseSrc says it): GstBaseSrc
   * would answer an unknown size as "-1" in any format, which a demuxer then
   * takes for the clip's duration in time instead of its own. */
  if (GST_QUERY_TYPE(query) == GST_QUERY_DURATION) {
    GstFormat format;
    gst_query_parse_duration(query, &format, nullptr);
    if (format != GST_FORMAT_BYTES)
      return FALSE;
    guint64 size = 0;
    gst_query_set_duration(
        query, GST_FORMAT_BYTES,
        gst_sora_video_src_get_size(base, &size) ? static_cast<gint64>(size) : -1);
    return TRUE;
  }
  if (GST_QUERY_TYPE(query) == GST_QUERY_SCHEDULING) {
    gst_query_set_scheduling(query, GST_SCHEDULING_FLAG_SEEKABLE, 1, -1, 0);
    gst_query_add_scheduling_mode(query, GST_PAD_MODE_PULL);
    gst_query_add_scheduling_mode(query, GST_PAD_MODE_PUSH);
    return TRUE;
  }
  return GST_BASE_SRC_CLASS(parent_class)->query(base, query);
}

/* Before the clip is in, what the variant should be; after, what it is. */
static GstCaps *gst_sora_video_src_get_caps(GstBaseSrc *base, GstCaps *filter) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  GstCaps *caps;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    caps = priv->run && priv->run->clip_caps
               ? gst_caps_ref(priv->run->clip_caps)
               : gst_caps_from_string(sora::kVariants[priv->settings.variant].caps);
  }
  if (filter) {
    GstCaps *both = gst_caps_intersect_full(filter, caps, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref(caps);
    caps = both;
  }
  return caps;
}

static gboolean gst_sora_video_src_is_seekable(GstBaseSrc *) {
  return TRUE;
}

static gboolean gst_sora_video_src_get_size(GstBaseSrc *base, guint64 *size) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  /* Unknown while the clip grows, although the server said how long it is:
   * GstBaseSrc ends the stream at a known size by itself, and the end must
   * wait for the whole, checked clip (dynamic size: asked again later). */
  if (!priv->run || priv->run->clip != ClipState::kReady)
    return FALSE;
  *size = priv->run->clip_size;
  return TRUE;
}

static gboolean gst_sora_video_src_unlock(GstBaseSrc *base) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  priv->flushing = true;
  if (priv->run && priv->run->growing)
    priv->run->growing->set_flushing(true);
  priv->cond.notify_all();
  priv->emissions.set_interrupted(true);
  return TRUE;
}

static gboolean gst_sora_video_src_unlock_stop(GstBaseSrc *base) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  priv->flushing = false;
  if (priv->run && priv->run->growing)
    priv->run->growing->set_flushing(false);
  priv->emissions.set_interrupted(false);
  return TRUE;
}

/* The size was unknown when GstBaseSrc started; publish it the way
 * souphttpsrc does once Content-Length arrives (0: still unknown). Then the
 * tags. */
static void announce_clip(GstSoraVideoSrc *self, guint64 size, const sora::VideoObject &video,
                          const std::string &asked_prompt, const std::string &asked_model,
                          GstCaps *clip_caps) {
  GstBaseSrc *base = GST_BASE_SRC(self);
  GST_OBJECT_LOCK(self);
  base->segment.duration = size > 0 ? static_cast<gint64>(size) : -1;
  GST_OBJECT_UNLOCK(self);
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_duration_changed(GST_OBJECT(self)));

  const std::string &prompt = asked_prompt.empty() ? video.prompt : asked_prompt;
  const std::string &model = video.model.empty() ? asked_model : video.model;
  GstTagList *tags = gst_tag_list_new_empty();
  if (!prompt.empty())
    /* A prompt is a description (up to 32,000 characters), not a title. */
    gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_TAG_DESCRIPTION, prompt.c_str(), nullptr);
  if (!model.empty())
    gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_SORA_TAG_MODEL, model.c_str(), nullptr);
  if (!video.id.empty())
    gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_SORA_TAG_VIDEO_ID, video.id.c_str(), nullptr);
  gst_tag_list_set_scope(tags, GST_TAG_SCOPE_GLOBAL);
  /* In push mode the tags also travel downstream, after the caps of what
   * the clip really is (a gateway may send a JPEG thumbnail); in pull mode
   * only the bus can carry them, the demuxer drives the stream. */
  if (GST_PAD_MODE(GST_BASE_SRC_PAD(base)) == GST_PAD_MODE_PUSH) {
    g_autoptr(GstCaps) current = gst_pad_get_current_caps(GST_BASE_SRC_PAD(base));
    if (!current || !gst_caps_is_equal(current, clip_caps))
      gst_base_src_set_caps(base, clip_caps);
    /* Pushed from this streaming thread, not gst_element_send_event(): that
     * takes the state lock, which a set_state(NULL) in progress holds while
     * it waits for this very thread: a deadlock. */
    gst_pad_push_event(GST_BASE_SRC_PAD(base), gst_event_new_tag(gst_tag_list_ref(tags)));
  }
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_tag(GST_OBJECT(self), tags));
}

/* The run's error, posted once; GST_FLOW_ERROR. */
static GstFlowReturn post_run_error(GstSoraVideoSrc *self, Run *run,
                                    std::unique_lock<std::mutex> &guard) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  priv->cond.wait(guard, [run] { return !run->error_posting; });
  std::optional<sora::JobError> error = run->error;
  bool first = !run->error_posted;
  run->error_posted = true;
  guard.unlock();
  if (first && error)
    post_job_error(self, *error);
  return GST_FLOW_ERROR;
}

/* A reader of the growing clip reached its end, or was let down: the end
 * (EOS) comes only once the job finished, so that `location` holds the clip
 * when the pipeline ends; a failure has its error in finished(). */
static GstFlowReturn growing_ended(GstSoraVideoSrc *self, Run *run) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  std::unique_lock<std::mutex> guard(priv->lock);
  priv->cond.wait(guard,
                  [priv, run] { return priv->flushing || run->clip != ClipState::kPending; });
  if (priv->flushing)
    return GST_FLOW_FLUSHING;
  if (run->clip == ClipState::kFailed)
    return post_run_error(self, run, guard);
  return run->clip == ClipState::kReady ? GST_FLOW_EOS : GST_FLOW_FLUSHING;
}

/* The bytes a reader waits for were to come from a range fetched ahead of
 * the download, and that fetch failed: an error now, not a wait for a
 * download that may never get there. The task stays journalled (with the
 * cache on) and can be attached to. */
static GstFlowReturn range_lost(GstSoraVideoSrc *self, Run *run, const std::string &problem) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  std::string video_id;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    bool first = !run->error_posted && !run->error_posting;
    run->error_posted = true;
    if (!first)
      return GST_FLOW_ERROR;
    video_id = run->video.id;
  }
  GST_ELEMENT_ERROR_WITH_DETAILS(
      self, RESOURCE, READ,
      ("Cannot serve the clip of %s while it downloads: %s. The clip is paid for: try again with "
       "video-id=%s before it expires.",
       video_id.c_str(), problem.c_str(), video_id.c_str()),
      ("video-id=%s", video_id.c_str()), ("video-id", G_TYPE_STRING, video_id.c_str(), nullptr));
  return GST_FLOW_ERROR;
}

static GstFlowReturn gst_sora_video_src_create(GstBaseSrc *base, guint64 offset, guint length,
                                               GstBuffer **buffer) {
  auto *self = GST_SORA_VIDEO_SRC(base);
  GstSoraVideoSrcPrivate *priv = self->priv;
  /* A pull may come before READY->PAUSED has started the run: it waits. The
   * run outlives this call: it is dropped only once the pads are inactive. */
  Run *run;
  std::shared_ptr<sora::GrowingClip> growing;
  {
    std::unique_lock<std::mutex> guard(priv->lock);
    priv->cond.wait(guard, [priv] {
      return priv->flushing ||
             (priv->run && (priv->run->clip != ClipState::kPending || priv->run->growing));
    });
    if (priv->flushing)
      return GST_FLOW_FLUSHING;
    run = priv->run.get();
    if (run->clip == ClipState::kFailed)
      return post_run_error(self, run, guard);
    if (run->clip == ClipState::kStopped)
      return GST_FLOW_FLUSHING;
    growing = run->growing;
  }

  /* What the run said (a cache hit, the clip complete) is on the bus before
   * the bytes it speaks of go downstream, and so before EOS. */
  if (!priv->emissions.catch_up())
    return GST_FLOW_FLUSHING;

  /* The bytes: from the clip as it arrives, or from the whole clip. A read
   * of the growing clip that a restart of the download overtook waits for
   * its bytes again. */
  const guint asked = length;
  GstBuffer *buf = nullptr;
  while (!buf) {
    guint64 size = 0; /* for the first buffer's announcement: 0 while unknown */
    guint64 want = asked;
    if (growing) {
      switch (growing->wait(offset, &want)) {
        case sora::GrowingClip::Wait::kFlushing:
          return GST_FLOW_FLUSHING;
        case sora::GrowingClip::Wait::kEnd:
          /* A demuxer pulling past the end looks for what follows the last
           * box: that is the end of the file already. A stream pushed in
           * order ends only once the job finished, `location` written. */
          if (GST_PAD_MODE(GST_BASE_SRC_PAD(base)) == GST_PAD_MODE_PULL)
            return GST_FLOW_EOS;
          return growing_ended(self, run);
        case sora::GrowingClip::Wait::kFailed:
          return growing_ended(self, run);
        case sora::GrowingClip::Wait::kRangeFailed:
          return range_lost(self, run, growing->range_problem());
        case sora::GrowingClip::Wait::kReady:
          break;
      }
    } else {
      size = run->clip_size;
      if (offset >= size)
        return GST_FLOW_EOS;
      want = MIN(want, size - offset);
    }
    if (!run->announced) {
      std::string prompt, model;
      sora::VideoObject video;
      g_autoptr(GstCaps) clip_caps = nullptr;
      {
        std::lock_guard<std::mutex> guard(priv->lock);
        prompt = priv->settings.request.prompt;
        model = priv->settings.request.model;
        video = run->video;
        clip_caps = run->clip_caps ? gst_caps_ref(run->clip_caps)
                                   : gst_caps_from_string(sora::kVariants[0].caps);
      }
      announce_clip(self, size, video, prompt, model, clip_caps);
      run->announced = true;
    }
    length = static_cast<guint>(want);

    /* One pread() per buffer: no seek of its own, whatever order the
     * demuxer asks in. */
    buf = gst_buffer_new_allocate(nullptr, length, nullptr);
    GstMapInfo map;
    gst_buffer_map(buf, &map, GST_MAP_WRITE);
    int read_errno = 0;
    sora::GrowingClip::Read read = sora::GrowingClip::Read::kDone;
    if (growing) {
      read = growing->read(offset, map.data, length, &read_errno);
    } else {
      gssize got = sora::read_at(run->clip_fd, map.data, length, offset);
      read_errno = got < 0 ? errno : 0;
      if (got != static_cast<gssize>(length))
        read = sora::GrowingClip::Read::kError;
    }
    gst_buffer_unmap(buf, &map);
    if (read == sora::GrowingClip::Read::kDone)
      break;
    gst_buffer_unref(buf);
    buf = nullptr;
    if (read == sora::GrowingClip::Read::kGone) {
      GST_DEBUG_OBJECT(self,
                       "the download restarted under a read at %" G_GUINT64_FORMAT
                       ": waiting for the bytes again",
                       offset);
      continue;
    }
    GST_ELEMENT_ERROR(self, RESOURCE, READ,
                      ("Cannot read the clip at offset %" G_GUINT64_FORMAT ": %s", offset,
                       read_errno ? g_strerror(read_errno) : "the file is shorter than expected"),
                      (nullptr));
    return GST_FLOW_ERROR;
  }
  GST_BUFFER_OFFSET(buf) = offset;
  GST_BUFFER_OFFSET_END(buf) = offset + length;
  *buffer = buf;
  return GST_FLOW_OK;
}

/* ---- GstURIHandler: sora://generate?prompt=...&seconds=8, sora://video/ID ---- */

static GstURIType gst_sora_video_src_uri_get_type(GType) {
  return GST_URI_SRC;
}

static const gchar *const *gst_sora_video_src_uri_get_protocols(GType) {
  static const gchar *protocols[] = {"sora", nullptr};
  return protocols;
}

/* The properties a URI may set: the request fields of request_fields.h. */
static GParamSpec *uri_settable_property(GObject *object, const char *name) {
  const sora::PropertyTrust *row = sora::property_trust(name);
  if (!row || !row->request_field)
    return nullptr;
  return g_object_class_find_property(G_OBJECT_GET_CLASS(object), name);
}

/* One key=value of a URI, read into the property's type. */
static bool value_from_uri(GObject *object, const char *name, const char *text, GValue *value,
                           GError **error) {
  GParamSpec *pspec = uri_settable_property(object, name);
  if (!pspec) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                "'%s' is not a soravideosrc property a URI can set (it can set %s)", name,
                sora::request_field_names().c_str());
    return false;
  }
  g_value_init(value, pspec->value_type);
  if (!gst_value_deserialize(value, text) || g_param_value_validate(pspec, value)) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI, "'%s' is not a valid %s", text, name);
    return false;
  }
  return true;
}

/* A URI describes the whole request: what it does not say is the default.
 * The rest (server, files, cache, limits) stays as the application set it. */
static void reset_uri_properties(GObject *object) {
  for (size_t i = 0; i < sora::kPropertyTrustCount; i++) {
    GParamSpec *pspec = uri_settable_property(object, sora::kPropertyTrust[i].name);
    if (!pspec)
      continue;
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, pspec->value_type);
    g_param_value_set_default(pspec, &value);
    g_object_set_property(object, pspec->name, &value);
  }
}

/* The messages say what is wrong without repeating the URI: a URI that
 * (wrongly) holds a key must not carry it into an error message. */
static gboolean gst_sora_video_src_uri_set_uri(GstURIHandler *handler, const gchar *uri,
                                               GError **error) {
  GObject *object = G_OBJECT(handler);
  GST_OBJECT_LOCK(handler);
  GstState state = GST_STATE(handler);
  GST_OBJECT_UNLOCK(handler);
  if (state > GST_STATE_READY) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE,
                "The URI of a running soravideosrc cannot change");
    return FALSE;
  }
  /* The path is kept encoded: an id may hold '/'. Relaxed: some tools hand
   * the URI over with its escapes undone. */
  g_autoptr(GUri) parsed =
      g_uri_parse(uri,
                  static_cast<GUriFlags>(G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY |
                                         G_URI_FLAGS_PARSE_RELAXED),
                  nullptr);
  const char *host = parsed ? g_uri_get_host(parsed) : nullptr;
  const char *path = parsed ? g_uri_get_path(parsed) : "";
  const char *query = parsed ? g_uri_get_query(parsed) : nullptr;
  /* ges-launch-1.0 cannot pass a '?': sora://generate/prompt=...&seconds=4
   * says the same as sora://generate?prompt=...&seconds=4. */
  if (g_strcmp0(host, "generate") == 0 && !query && strlen(path) > 1) {
    query = path + 1;
    path = "";
  }
  bool generate = g_strcmp0(host, "generate") == 0 && (!*path || g_strcmp0(path, "/") == 0);
  bool video = g_strcmp0(host, "video") == 0 && strlen(path) > 1;
  if (!parsed || g_strcmp0(g_uri_get_scheme(parsed), "sora") != 0 || (!generate && !video)) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                "Not a sora URI: use sora://generate?prompt=... or sora://video/ID");
    return FALSE;
  }
  g_autoptr(GHashTable) params = nullptr;
  if (query) {
    params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_WWW_FORM, nullptr);
    if (!params) {
      g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                  "The query of the sora URI is not key=value pairs joined with '&' "
                  "(with %%-escapes)");
      return FALSE;
    }
    /* Refused as a whole, naming the first refused key in the table's order
     * (the key first): nothing of such a URI is applied. */
    for (size_t i = 0; i < sora::kPropertyTrustCount; i++) {
      const sora::PropertyTrust &row = sora::kPropertyTrust[i];
      if (row.request_field || !g_hash_table_contains(params, row.name))
        continue;
      std::string instead = std::string("Set the ") + row.name +
                            " property in code (in playbin's source-setup signal) or on a "
                            "gst-launch-1.0 line";
      g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI, "%s",
                  sora::refusal_message(row, "a sora URI", instead).c_str());
      return FALSE;
    }
  }

  /* Everything is read first: a URI that fails leaves the element as it was. */
  std::vector<std::pair<std::string, GValue>> values;
  values.reserve(1 + (params ? g_hash_table_size(params) : 0));
  auto clear_values = [&values] {
    for (auto &entry : values) {
      if (G_IS_VALUE(&entry.second))
        g_value_unset(&entry.second);
    }
  };
  if (video) {
    g_autofree char *id = g_uri_unescape_string(path + 1, nullptr);
    values.emplace_back("video-id", GValue G_VALUE_INIT);
    if (!id || !value_from_uri(object, "video-id", id, &values.back().second, error)) {
      if (!id)
        g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                    "The video id in the sora URI has a bad %%-escape");
      clear_values();
      return FALSE;
    }
  }
  if (params) {
    GHashTableIter iter;
    gpointer key, text;
    g_hash_table_iter_init(&iter, params);
    while (g_hash_table_iter_next(&iter, &key, &text)) {
      values.emplace_back(static_cast<const char *>(key), GValue G_VALUE_INIT);
      if (!value_from_uri(object, static_cast<const char *>(key), static_cast<const char *>(text),
                          &values.back().second, error)) {
        clear_values();
        return FALSE;
      }
    }
  }
  g_object_freeze_notify(object);
  reset_uri_properties(object);
  for (auto &entry : values)
    g_object_set_property(object, entry.first.c_str(), &entry.second);
  g_object_thaw_notify(object);
  clear_values();
  return TRUE;
}

/* The URI that describes the current request: its request fields only, as
 * a URI can carry no other. */
static gchar *gst_sora_video_src_uri_get_uri(GstURIHandler *handler) {
  GObject *object = G_OBJECT(handler);
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(handler)->priv;
  std::string uri;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    if (!priv->settings.video_id.empty()) {
      uri = "sora://video/" + sora::task_path_segment(priv->settings.video_id);
    } else {
      uri = "sora://generate";
    }
  }
  char separator = '?';
  for (size_t i = 0; i < sora::kPropertyTrustCount; i++) {
    const char *name = sora::kPropertyTrust[i].name;
    GParamSpec *pspec = uri_settable_property(object, name);
    if (!pspec || g_strcmp0(name, "video-id") == 0)
      continue;
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, pspec->value_type);
    g_object_get_property(object, name, &value);
    if (g_param_value_defaults(pspec, &value))
      continue;
    g_autofree char *text =
        G_VALUE_HOLDS_STRING(&value) ? g_value_dup_string(&value) : gst_value_serialize(&value);
    g_autofree char *escaped = g_uri_escape_string(text ? text : "", nullptr, FALSE);
    uri += separator + std::string(name) + "=" + escaped;
    separator = '&';
  }
  return g_strdup(uri.c_str());
}

static void gst_sora_video_src_uri_handler_init(gpointer iface, gpointer) {
  auto *handler = static_cast<GstURIHandlerInterface *>(iface);
  handler->get_type = gst_sora_video_src_uri_get_type;
  handler->get_protocols = gst_sora_video_src_uri_get_protocols;
  handler->get_uri = gst_sora_video_src_uri_get_uri;
  handler->set_uri = gst_sora_video_src_uri_set_uri;
}

/* ---- GObject ---- */

static void assign_string(std::string &field, const GValue *value, const char *fallback = "") {
  const char *s = g_value_get_string(value);
  field = s ? s : fallback;
}

static void gst_sora_video_src_set_property(GObject *object, guint prop_id, const GValue *value,
                                            GParamSpec *pspec) {
  auto *self = GST_SORA_VIDEO_SRC(object);
  GstSoraVideoSrcPrivate *priv = self->priv;
  bool notify_id = false;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    sora::SourceSettings &s = priv->settings;
    sora::VideoRequest &r = s.request;
    sora::Connection &c = s.connection;
    /* A task the element learned answers one request: changing the request
     * hides it (video-id reads NULL), changing it back shows it again. */
    const std::string id_before = visible_video_id(priv);
    switch (prop_id) {
      case PROP_PROMPT:
        assign_string(r.prompt, value);
        break;
      case PROP_MODEL:
        assign_string(r.model, value, kDefaultModel);
        break;
      case PROP_SECONDS:
        r.seconds = g_value_get_uint(value);
        break;
      case PROP_SIZE:
        assign_string(r.size, value);
        break;
      case PROP_INPUT_REFERENCE:
        assign_string(r.input_reference, value);
        break;
      case PROP_API_KEY:
        sora::wipe_secret(c.api_key);
        assign_string(c.api_key, value);
        break;
      case PROP_BASE_URL:
        assign_string(c.base_url, value);
        break;
      case PROP_GATEWAY:
        c.gateway = static_cast<sora::Gateway>(g_value_get_enum(value));
        break;
      case PROP_POLL_INTERVAL:
        s.poll_interval = g_value_get_uint(value);
        break;
      case PROP_TIMEOUT:
        c.timeout_s = g_value_get_uint(value);
        break;
      case PROP_GENERATION_TIMEOUT:
        s.generation_timeout = g_value_get_uint(value);
        break;
      case PROP_RETRIES:
        c.retries = g_value_get_int(value);
        break;
      case PROP_VIDEO_ID:
        assign_string(s.video_id, value);
        break;
      case PROP_LOCATION:
        assign_string(s.location, value);
        break;
      case PROP_METADATA:
        assign_string(r.metadata, value);
        break;
      case PROP_VALIDATE:
        r.validate = g_value_get_boolean(value);
        break;
      case PROP_PATH_STYLE:
        c.path_style = static_cast<sora::PathStyle>(g_value_get_enum(value));
        break;
      case PROP_REFERENCE_FIT:
        s.reference_fit = static_cast<GstSoraReferenceFit>(g_value_get_enum(value));
        break;
      case PROP_CACHE_MODE:
        s.cache_mode = static_cast<sora::CacheMode>(g_value_get_enum(value));
        break;
      case PROP_CACHE_DIR:
        assign_string(s.cache_dir, value);
        break;
      case PROP_CACHE_MAX_SIZE:
        s.cache_max_size = g_value_get_uint64(value);
        break;
      case PROP_MAX_CLIP_SIZE:
        s.max_clip_size = g_value_get_uint64(value);
        break;
      case PROP_REMIX_OF:
        assign_string(r.remix_of, value);
        break;
      case PROP_EXTEND_OF:
        assign_string(r.extend_of, value);
        break;
      case PROP_VARIANT:
        /* What to fetch of the task, not a new task: the next run fetches
         * the other variant of the task this element already paid for. */
        s.variant = g_value_get_enum(value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    notify_id = prop_id != PROP_VIDEO_ID && id_before != visible_video_id(priv);
  }
  if (notify_id)
    g_object_notify_by_pspec(object, properties[PROP_VIDEO_ID]);
}

static void set_string_or_null(GValue *value, const std::string &s) {
  g_value_set_string(value, s.empty() ? nullptr : s.c_str());
}

static void gst_sora_video_src_get_property(GObject *object, guint prop_id, GValue *value,
                                            GParamSpec *pspec) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(object)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  const sora::SourceSettings &s = priv->settings;
  const sora::VideoRequest &r = s.request;
  const sora::Connection &c = s.connection;
  switch (prop_id) {
    case PROP_PROMPT:
      set_string_or_null(value, r.prompt);
      break;
    case PROP_MODEL:
      g_value_set_string(value, r.model.c_str());
      break;
    case PROP_SECONDS:
      g_value_set_uint(value, r.seconds);
      break;
    case PROP_SIZE:
      g_value_set_string(value, r.size.c_str());
      break;
    case PROP_INPUT_REFERENCE:
      set_string_or_null(value, r.input_reference);
      break;
    case PROP_BASE_URL:
      set_string_or_null(value, c.base_url);
      break;
    case PROP_GATEWAY:
      g_value_set_enum(value, static_cast<gint>(c.gateway));
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint(value, s.poll_interval);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint(value, c.timeout_s);
      break;
    case PROP_GENERATION_TIMEOUT:
      g_value_set_uint(value, s.generation_timeout);
      break;
    case PROP_RETRIES:
      g_value_set_int(value, c.retries);
      break;
    case PROP_VIDEO_ID:
      set_string_or_null(value, visible_video_id(priv));
      break;
    case PROP_LOCATION:
      set_string_or_null(value, s.location);
      break;
    case PROP_METADATA:
      set_string_or_null(value, r.metadata);
      break;
    case PROP_VALIDATE:
      g_value_set_boolean(value, r.validate);
      break;
    case PROP_PATH_STYLE:
      g_value_set_enum(value, static_cast<gint>(c.path_style));
      break;
    case PROP_REFERENCE_FIT:
      g_value_set_enum(value, s.reference_fit);
      break;
    case PROP_CACHE_MODE:
      g_value_set_enum(value, static_cast<gint>(s.cache_mode));
      break;
    case PROP_CACHE_DIR:
      set_string_or_null(value, s.cache_dir);
      break;
    case PROP_CACHE_MAX_SIZE:
      g_value_set_uint64(value, s.cache_max_size);
      break;
    case PROP_MAX_CLIP_SIZE:
      g_value_set_uint64(value, s.max_clip_size);
      break;
    case PROP_REMIX_OF:
      set_string_or_null(value, r.remix_of);
      break;
    case PROP_EXTEND_OF:
      set_string_or_null(value, r.extend_of);
      break;
    case PROP_VARIANT:
      g_value_set_enum(value, s.variant);
      break;
    case PROP_STATUS:
      g_value_set_string(value, priv->status.c_str());
      break;
    case PROP_PROGRESS:
      g_value_set_int(value, priv->progress);
      break;
    case PROP_PHASE:
      g_value_set_enum(value, gst_sora_phase_from_status(priv->status.c_str()));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
      break;
  }
}

static void gst_sora_video_src_init(GstSoraVideoSrc *self) {
  self->priv = new GstSoraVideoSrcPrivate();
  gst_base_src_set_format(GST_BASE_SRC(self), GST_FORMAT_BYTES);
  /* The size becomes known once a clip served while it downloads is whole. */
  gst_base_src_set_dynamic_size(GST_BASE_SRC(self), TRUE);
}

static void gst_sora_video_src_finalize(GObject *object) {
  auto *self = GST_SORA_VIDEO_SRC(object);
  stop_run(self); /* normally a no-op: PAUSED->READY already ended the run */
  sora::wipe_secret(self->priv->settings.connection.api_key);
  delete self->priv;
  G_OBJECT_CLASS(parent_class)->finalize(object);
}

static void gst_sora_video_src_class_init(GstSoraVideoSrcClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  auto *basesrc_class = GST_BASE_SRC_CLASS(klass);

  GST_DEBUG_CATEGORY_INIT(gst_sora_video_src_debug, "soravideosrc", 0,
                          "Video generation source (OpenAI video API)");

  for (GType type : {GST_TYPE_SORA_VARIANT, GST_TYPE_SORA_CACHE_MODE, GST_TYPE_SORA_PATH_STYLE,
                     GST_TYPE_SORA_GATEWAY, GST_TYPE_SORA_REFERENCE_FIT, GST_TYPE_SORA_PHASE})
    gst_type_mark_as_plugin_api(type, static_cast<GstPluginAPIFlags>(0));

  gobject_class->set_property = gst_sora_video_src_set_property;
  gobject_class->get_property = gst_sora_video_src_get_property;
  gobject_class->finalize = gst_sora_video_src_finalize;

  const auto rw_ready = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                 GST_PARAM_MUTABLE_READY);
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* These read back what was set, never what the environment gives (an
   * endpoint, $HOME): gst-inspect-1.0 prints what reads back as the default.
   * The flag makes the documentation cache show the declared one too. */
  const auto rw_ready_doc_default = static_cast<GParamFlags>(rw_ready | GST_PARAM_DOC_SHOW_DEFAULT);

  properties[PROP_PROMPT] = g_param_spec_string(
      "prompt", "Prompt", "Text that describes the video to generate (1 to 32000 characters)",
      nullptr, rw_ready);
  properties[PROP_MODEL] = g_param_spec_string(
      "model", "Model",
      "Video model: sora-2, sora-2-pro, or any model a gateway offers (wan2.5-t2v-preview, "
      "kling-v2-master, veo-3.1, ...)",
      kDefaultModel, rw_ready);
  properties[PROP_SECONDS] = g_param_spec_uint(
      "seconds", "Seconds",
      "Duration of the clip in seconds, sent as a string; 0 leaves it to the server", 0, 3600,
      kDefaultSeconds, rw_ready);
  properties[PROP_SIZE] = g_param_spec_string(
      "size", "Size",
      "Resolution as WIDTHxHEIGHT (720x1280, 1280x720, ...); empty leaves it to the server",
      kDefaultSize, rw_ready);
  properties[PROP_INPUT_REFERENCE] = g_param_spec_string(
      "input-reference", "Input reference",
      "Path of a JPEG, PNG or WebP image that guides the generation (image-to-video); it should "
      "match size",
      nullptr, rw_ready);
  properties[PROP_API_KEY] = g_param_spec_string(
      "api-key", "API key",
      "Key for the server; unset uses the gateway's variable (OPENROUTER_API_KEY, "
      "AZURE_OPENAI_API_KEY), else OPENAI_API_KEY. Write-only: the key never leaves the element. "
      "Prefer the environment variable to a gst-launch line: GStreamer's own parser prints "
      "launch lines in its debug log",
      nullptr,
      static_cast<GParamFlags>(G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS |
                               GST_PARAM_MUTABLE_READY));
  properties[PROP_BASE_URL] = g_param_spec_string(
      "base-url", "Base URL",
      "Base URL of the video API; unset (NULL) uses the gateway's endpoint (AZURE_OPENAI_ENDPOINT; "
      "OpenRouter's https://openrouter.ai/api/v1), else OPENAI_BASE_URL. OpenAI closed its own "
      "video API on 2026-09-24: with none of these the element refuses to start",
      nullptr, rw_ready_doc_default);
  properties[PROP_POLL_INTERVAL] = g_param_spec_uint(
      "poll-interval", "Poll interval",
      "Milliseconds between status requests; 0 follows the server's openai-poll-after-ms hint, "
      "else 5000",
      0, 3600 * 1000, kDefaultPollInterval, rw_ready);
  properties[PROP_TIMEOUT] = g_param_spec_uint(
      "timeout", "Timeout", "I/O timeout of one HTTP request in seconds (0 = none)", 0, 3600,
      kDefaultTimeout, rw_ready);
  properties[PROP_GENERATION_TIMEOUT] =
      g_param_spec_uint("generation-timeout", "Generation timeout",
                        "Seconds the whole job (create, wait, download) may take; 0 = no limit", 0,
                        G_MAXUINT, kDefaultGenerationTimeout, rw_ready);
  properties[PROP_RETRIES] = g_param_spec_int(
      "retries", "Retries",
      "How many times one request is tried again after a connection error, a timeout or HTTP "
      "408/409/429/5xx, with backoff (-1 = no limit). A create request is resent only when the "
      "server surely did not take it; polls go on until generation-timeout",
      -1, G_MAXINT, kDefaultRetries, rw_ready);
  properties[PROP_VIDEO_ID] = g_param_spec_string(
      "video-id", "Video id",
      "Id of the generation task: filled in once the task is created; set it before starting "
      "to attach to an existing task instead of creating (and paying for) a new one",
      nullptr, rw_ready);
  properties[PROP_LOCATION] = g_param_spec_string(
      "location", "Location", "Also keep the finished MP4 at this path", nullptr, rw_ready);
  properties[PROP_METADATA] = g_param_spec_string(
      "metadata", "Metadata",
      "A JSON object sent as the multipart field 'metadata', for gateway models (Wan: "
      "{\"input\":{...},\"parameters\":{...}}; Kling, Vidu: flat keys)",
      nullptr, rw_ready);
  properties[PROP_VALIDATE] = g_param_spec_boolean(
      "validate", "Validate",
      "Check seconds and size against what OpenAI's models accept, and a storyboard prompt's "
      "total against seconds, before sending; switch off for servers that accept more",
      TRUE, rw_ready);
  properties[PROP_PATH_STYLE] = g_param_spec_enum(
      "path-style", "Path style", "Where the server keeps video tasks", GST_TYPE_SORA_PATH_STYLE,
      static_cast<gint>(sora::PathStyle::kAuto), rw_ready);
  properties[PROP_REFERENCE_FIT] = g_param_spec_enum(
      "reference-fit", "Reference fit",
      "Resize input-reference to size before upload, keeping its format (OpenAI-style servers "
      "reject a reference whose size differs)",
      GST_TYPE_SORA_REFERENCE_FIT, GST_SORA_REFERENCE_FIT_NONE, rw_ready);
  properties[PROP_CACHE_MODE] = g_param_spec_enum(
      "cache-mode", "Cache mode",
      "reuse: serve a clip generated before for the same request, or resume its task; refresh: "
      "generate anew and replace it; off: neither read nor write the cache",
      GST_TYPE_SORA_CACHE_MODE, static_cast<gint>(sora::CacheMode::kReuse), rw_ready);
  properties[PROP_CACHE_DIR] = g_param_spec_string(
      "cache-dir", "Cache directory",
      "Where clips and the task journal are kept; unset: gstreamer-sora under the user's cache "
      "directory ($XDG_CACHE_HOME or ~/.cache)",
      nullptr, rw_ready_doc_default);
  properties[PROP_CACHE_MAX_SIZE] = g_param_spec_uint64(
      "cache-max-size", "Cache size limit",
      "Bytes of clips the cache may hold; the least recently used go first (0 = no limit)", 0,
      G_MAXUINT64, kDefaultCacheMaxSize, rw_ready);
  properties[PROP_MAX_CLIP_SIZE] = g_param_spec_uint64(
      "max-clip-size", "Clip size limit",
      "The most bytes a clip may have (4 GiB by default: the largest real clip with a wide "
      "margin); a larger one is refused before it is written, the task kept for a retry with a "
      "higher limit. At least 1",
      1, G_MAXUINT64, sora::kDefaultMaxClipSize, rw_ready);
  properties[PROP_REMIX_OF] = g_param_spec_string(
      "remix-of", "Remix of",
      "Id of a finished video to remix with the prompt (POST /videos/{id}/remix); the remix "
      "keeps the source's model, size and duration",
      nullptr, rw_ready);
  properties[PROP_EXTEND_OF] = g_param_spec_string(
      "extend-of", "Extend",
      "Id of a finished video to extend by seconds with the prompt (POST /videos/extensions); "
      "the clip that comes out is the stitched whole",
      nullptr, rw_ready);
  properties[PROP_VARIANT] = g_param_spec_enum(
      "variant", "Variant",
      "What to fetch of the finished task: the video (video/quicktime), its thumbnail "
      "(image/webp) or its spritesheet (image/jpeg)",
      GST_TYPE_SORA_VARIANT, 0, rw_ready);
  properties[PROP_GATEWAY] = g_param_spec_enum(
      "gateway", "Gateway",
      "The server family: how to send the request (multipart or JSON, field names), which "
      "header carries the key, which environment variables give the key and endpoint, how often "
      "to poll. auto picks it from the base URL's host",
      GST_TYPE_SORA_GATEWAY, static_cast<gint>(sora::Gateway::kAuto), rw_ready);
  properties[PROP_STATUS] = g_param_spec_string(
      "status", "Status",
      "Where the job is: idle, creating, queued, in_progress, downloading, completed, failed "
      "or cancelled",
      "idle", ro);
  properties[PROP_PROGRESS] =
      g_param_spec_int("progress", "Progress",
                       "Generation progress reported by the server, in percent; -1 while the "
                       "server reports none (OpenRouter, LiteLLM in front of Veo)",
                       -1, 100, 0, ro);
  properties[PROP_PHASE] = g_param_spec_enum(
      "phase", "Phase",
      "Where the run is: status as an enum (in-progress for the string's in_progress), notified "
      "with it",
      GST_TYPE_SORA_PHASE, GST_SORA_PHASE_IDLE, ro);
  g_object_class_install_properties(gobject_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template(element_class, &src_template);
  gst_element_class_set_static_metadata(
      element_class, "Sora video generation source", "Source/Network",
      "Generates a video clip from a text prompt with an OpenAI-compatible video API (Sora and "
      "gateways) and outputs the MP4",
      "gst-sora contributors");

  element_class->change_state = GST_DEBUG_FUNCPTR(gst_sora_video_src_change_state);
  basesrc_class->query = GST_DEBUG_FUNCPTR(gst_sora_video_src_query);
  basesrc_class->get_caps = GST_DEBUG_FUNCPTR(gst_sora_video_src_get_caps);
  basesrc_class->is_seekable = GST_DEBUG_FUNCPTR(gst_sora_video_src_is_seekable);
  basesrc_class->get_size = GST_DEBUG_FUNCPTR(gst_sora_video_src_get_size);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR(gst_sora_video_src_unlock);
  basesrc_class->unlock_stop = GST_DEBUG_FUNCPTR(gst_sora_video_src_unlock_stop);
  basesrc_class->create = GST_DEBUG_FUNCPTR(gst_sora_video_src_create);
}
