/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the files of soravideosrc share, and nothing else includes: the
 * element's private state, one run's state, and the entry points each file
 * gives the others.
 *
 *   gstsoravideosrc.cpp      GObject: properties, state changes, class
 *   videosrc/run.cpp         a run: started at READY->PAUSED, the job's
 *                            events, stopped at PAUSED->READY
 *   videosrc/serving.cpp     GstBaseSrc: serving the clip's bytes by offset
 *   videosrc/uri_handler.cpp GstURIHandler: sora://generate, sora://video/ID
 *   videosrc/messages.cpp    the bus messages the run and serving post
 */
#pragma once

#include "gstsoravideosrc.h"

#include "emission_queue.h"
#include "job_settings.h"

#include "core/growing_clip.h"
#include "core/io_loop.h"
#include "core/run_temp_dir.h"
#include "core/video_job.h"

#include <gst/gst.h>

#include <unistd.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

GST_DEBUG_CATEGORY_EXTERN(gst_sora_video_src_debug);

namespace sora_videosrc {

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
  PROP_PRICE_LIST,
  PROP_BUDGET,
  PROP_BUDGET_PERIOD,
  PROP_BUDGET_UNKNOWN,
  PROP_STATUS,
  PROP_PROGRESS,
  PROP_PHASE,
  PROP_COST_ESTIMATE,
  PROP_COST_CURRENCY,
  PROP_COST_ENTRY,
  N_PROPS,
};

/* The element's properties, for notifications (gstsoravideosrc.cpp). */
extern GParamSpec *properties[N_PROPS];

/* The progress property and the PROGRESS message's percent while the
 * server reports none (OpenRouter, LiteLLM in front of Veo). */
constexpr gint kProgressUnknown = -1;

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

  /* Where the run's PROGRESS is (I/O thread only): START when the job
   * begins to wait on the server, COMPLETE once the clip flows (or is
   * whole), so that nothing waits on a download that plays as it arrives;
   * nothing at all for a clip from the cache. */
  enum class Progress { kNone, kStarted, kCompleted };
  Progress progress = Progress::kNone;

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

}  // namespace sora_videosrc

struct GstSoraVideoSrcPrivate {
  std::mutex lock; /* everything below; a run's streaming-thread fields aside */
  std::condition_variable cond;
  sora::SourceSettings settings; /* what the user set */
  sora_videosrc::LearnedTask learned;
  std::string status = "idle";
  gint progress = 0;        /* kProgressUnknown while the server does not say */
  std::unique_ptr<sora_videosrc::Run> run; /* null between runs */
  guint64 runs_started = 0; /* a run's number, Run::number */
  /* The last estimate (cost-estimate, -1: none or unknown), its currency
   * and the price entry used (or why the cost is unknown). */
  double cost_estimate = -1;
  std::string cost_currency;
  std::string cost_entry;
  bool flushing = false;
  /* Notifications and bus messages leave from here, never from the shared
   * I/O thread (emission_queue.h). */
  sora::EmissionQueue emissions;
};

/* video-id as it reads: the user's, else the task the last run learned for
 * this same request. */
inline std::string visible_video_id(const GstSoraVideoSrcPrivate *priv) {
  if (!priv->settings.video_id.empty())
    return priv->settings.video_id;
  return priv->learned.request == sora::request_signature(priv->settings) ? priv->learned.video_id
                                                                          : std::string();
}

struct _GstSoraVideoSrc {
  GstBaseSrc parent;
  GstSoraVideoSrcPrivate *priv;
};

namespace sora_videosrc {

/* ---- messages.cpp ---- */

/* A PROGRESS message of type `type` (code "sora-generate"), with the
 * percent, task and phase as fields. */
void post_progress(GstSoraVideoSrc *self, GstProgressType type, const std::string &text,
                   gint percent, const std::string &video_id, const char *phase);
/* The job's error, with its domain and code, the server's words and the
 * task's id as details. */
void post_job_error(GstSoraVideoSrc *self, const sora::JobError &error);
void post_settings_error(GstSoraVideoSrc *self, const sora::SettingsProblem &problem);

/* ---- run.cpp ---- */

/* READY->PAUSED: false (an error posted) when the run cannot start. */
bool start_run(GstSoraVideoSrc *self);
/* PAUSED->READY, a failed READY->PAUSED and finalize: cancels the job,
 * drains the emissions and drops the run. */
void stop_run(GstSoraVideoSrc *self);

/* ---- cost.cpp ---- */

/* The job's cost notice: the cost-* properties and a sora-cost message. */
void on_cost(GstSoraVideoSrc *self, const sora::CostNotice &notice);

/* ---- serving.cpp ---- */

/* Installs the GstBaseSrc methods. */
void serving_class_init(GstBaseSrcClass *klass);

/* ---- uri_handler.cpp ---- */

void uri_handler_init(gpointer iface, gpointer data);

}  // namespace sora_videosrc
