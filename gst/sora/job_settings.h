/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* JobSettings for soravideosrc: what the user set on the element (its
 * properties, as plain data) turned into the job a run starts, or into the
 * problem that stops the run before anything is sent, naming the property.
 *
 * This is the whole mapping from properties to a job: the endpoint and key
 * resolved from the properties and the environment, the checks of the
 * request against the gateway and the model, the reference image read and
 * fitted, the cache's keys. It posts nothing and starts nothing, so it is
 * tested without a pipeline (tests/test_core.cpp, /element/job-settings). */
#pragma once

#include "gstsoraenums.h"

#include "core/connection.h"
#include "core/generation_cache.h"
#include "core/video_job.h"
#include "core/video_request.h"

#include <string>
#include <variant>

namespace sora {

/* The element's properties that describe a run. Read at READY->PAUSED; a
 * change later applies to the next run. */
struct SourceSettings {
  VideoRequest request;       /* prompt, model, seconds, size, reference, ... */
  Connection connection;      /* as set: base_url and api_key may be empty */
  unsigned poll_interval = 0; /* ms; 0: the server's hint, else the gateway's */
  unsigned generation_timeout = 3600;
  std::string video_id; /* set by the user: attach to this task */
  std::string location; /* also keep the clip here */
  GstSoraReferenceFit reference_fit = GST_SORA_REFERENCE_FIT_NONE;
  CacheMode cache_mode = CacheMode::kReuse;
  std::string cache_dir; /* empty: $XDG_CACHE_HOME/gstreamer-sora */
  guint64 cache_max_size = G_GUINT64_CONSTANT(10) * 1024 * 1024 * 1024;
  guint64 max_clip_size = kDefaultMaxClipSize;
  int variant = 0; /* index in kVariants */
  /* Costs and budgets (core/cost_guard.h). */
  std::string price_list; /* empty: $SORA_PRICE_LIST, else the installed list */
  double budget = 0;      /* per period, in the list's currency; 0: $SORA_BUDGET, else none */
  BudgetPeriod budget_period = BudgetPeriod::kDay;
  bool budget_allow_unknown = false;
  /* The programme whose spend counts with budget-period=programme: the
   * element's own, unless a soraplaylistsrc set its programme's. */
  std::string programme;
  gint64 programme_start_us = 0;
};

/* Why a run cannot start. */
struct StartProblem {
  SettingsProblem settings; /* the property and what is wrong with it */
  bool missing_key = false; /* NOT_AUTHORIZED rather than SETTINGS */
};

/* The properties that make a request a different task: a task id learned
 * for one signature answers no other. */
std::string request_signature(const SourceSettings &settings);

/* The cache directory in effect. */
std::string effective_cache_dir(const SourceSettings &settings);

/* The job a run of `settings` starts. `replay_id` is a task an earlier run
 * of the same request learned: with the cache off the run attaches to it
 * rather than paying again (with the cache on, the journal does that).
 * The job's output_path is left for the caller to choose. */
std::variant<JobSettings, StartProblem> make_job_settings(const SourceSettings &settings,
                                                          const std::string &replay_id);

}  // namespace sora
