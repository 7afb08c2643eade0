/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "gstsoraenums.h"

#include "core/cost_guard.h"
#include "core/gateway.h"
#include "core/generation_cache.h"
#include "core/path_style.h"
#include "core/variant.h"
#include "core/video_job.h"
#include "playlist/programme.h"

#include <cstring>
#include <utility>

namespace {

/* Registers an enum once, from a table that lives as long as the process. */
GType register_enum(GType *type, const char *name, const GEnumValue *values) {
  if (g_once_init_enter(type))
    g_once_init_leave(type, g_enum_register_static(name, values));
  return *type;
}

}  // namespace

GType gst_sora_reference_fit_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {GST_SORA_REFERENCE_FIT_NONE, "Upload the image as it is", "none"},
      {GST_SORA_REFERENCE_FIT_SCALE, "Stretch the image to the size", "scale"},
      {GST_SORA_REFERENCE_FIT_CROP, "Crop to the size's aspect ratio, then scale", "crop"},
      {GST_SORA_REFERENCE_FIT_PAD, "Scale into the size, with black borders", "pad"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraReferenceFit", values);
}

/* Built from the core's variant table: the names and descriptions exist once. */
GType gst_sora_variant_get_type(void) {
  static GType type = 0;
  static GEnumValue values[G_N_ELEMENTS(sora::kVariants) + 1] = {};
  if (g_once_init_enter(&type)) {
    for (guint i = 0; i < G_N_ELEMENTS(sora::kVariants); i++)
      values[i] = {static_cast<gint>(i), sora::kVariants[i].description, sora::kVariants[i].name};
    g_once_init_leave(&type, g_enum_register_static("GstSoraVariant", values));
  }
  return type;
}

GType gst_sora_cache_mode_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(sora::CacheMode::kReuse),
       "Serve a cached clip, resume a journalled task, else generate and store", "reuse"},
      {static_cast<gint>(sora::CacheMode::kRefresh), "Generate anew and replace the cached clip",
       "refresh"},
      {static_cast<gint>(sora::CacheMode::kOff), "Neither read nor write the cache", "off"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraCacheMode", values);
}

GType gst_sora_path_style_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(sora::PathStyle::kAuto),
       "Try /videos, then /video, then /video/generations on a 404, and remember", "auto"},
      {static_cast<gint>(sora::PathStyle::kVideos), "{base-url}/videos (OpenAI)", "videos"},
      {static_cast<gint>(sora::PathStyle::kVideo), "{base-url}/video (singular)", "video"},
      {static_cast<gint>(sora::PathStyle::kVideoGenerations),
       "{base-url}/video/generations (new-api task route)", "video-generations"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraPathStyle", values);
}

GType gst_sora_gateway_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(sora::Gateway::kAuto),
       "By the base URL's host (openrouter.ai, Azure's hosts, the native providers' hosts); else OpenAI's multipart body, "
       "switching to JSON once if the server refuses it",
       "auto"},
      {static_cast<gint>(sora::Gateway::kOpenAi), "OpenAI's reference API", "openai"},
      {static_cast<gint>(sora::Gateway::kOpenRouter),
       "OpenRouter: JSON body, OPENROUTER_API_KEY, https://openrouter.ai/api/v1 by default",
       "openrouter"},
      {static_cast<gint>(sora::Gateway::kAzure),
       "Azure OpenAI: api-key header, AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT", "azure"},
      {static_cast<gint>(sora::Gateway::kLiteLlm), "LiteLLM proxy: the video only", "litellm"},
      {static_cast<gint>(sora::Gateway::kNewApi), "new-api (QuantumNous) and its forks", "newapi"},
      {static_cast<gint>(sora::Gateway::kGemini),
       "Google's Gemini API (Veo): x-goog-api-key, GEMINI_API_KEY or GOOGLE_API_KEY, "
       "https://generativelanguage.googleapis.com/v1beta by default",
       "gemini"},
      {static_cast<gint>(sora::Gateway::kFal),
       "fal's queue: Authorization: Key, FAL_KEY, https://queue.fal.run by default", "fal"},
      {static_cast<gint>(sora::Gateway::kReplicate),
       "Replicate's predictions: REPLICATE_API_TOKEN, https://api.replicate.com/v1 by default",
       "replicate"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraGateway", values);
}

namespace {

/* The job's phases, each with the enum value that names it. */
constexpr std::pair<sora::JobPhase, GstSoraPhase> kJobPhases[] = {
    {sora::JobPhase::kCreating, GST_SORA_PHASE_CREATING},
    {sora::JobPhase::kQueued, GST_SORA_PHASE_QUEUED},
    {sora::JobPhase::kRunning, GST_SORA_PHASE_IN_PROGRESS},
    {sora::JobPhase::kDownloading, GST_SORA_PHASE_DOWNLOADING},
    {sora::JobPhase::kCompleted, GST_SORA_PHASE_COMPLETED},
    {sora::JobPhase::kFailed, GST_SORA_PHASE_FAILED},
    {sora::JobPhase::kCancelled, GST_SORA_PHASE_CANCELLED},
};

}  // namespace

GType gst_sora_phase_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {GST_SORA_PHASE_IDLE, "No run yet", "idle"},
      {GST_SORA_PHASE_CREATING, "Sending the create request", "creating"},
      {GST_SORA_PHASE_QUEUED, "The task waits in the server's queue", "queued"},
      {GST_SORA_PHASE_IN_PROGRESS, "The server is generating the clip", "in-progress"},
      {GST_SORA_PHASE_DOWNLOADING, "Downloading the clip", "downloading"},
      {GST_SORA_PHASE_COMPLETED, "The clip is whole (downloaded or from the cache)", "completed"},
      {GST_SORA_PHASE_FAILED, "The run ended with an error", "failed"},
      {GST_SORA_PHASE_CANCELLED, "The run was stopped, or the server cancelled the task",
       "cancelled"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraPhase", values);
}

GstSoraPhase gst_sora_phase_from_status(const char *status) {
  for (const auto &[job_phase, phase] : kJobPhases)
    if (strcmp(sora::job_phase_name(job_phase), status) == 0)
      return phase;
  return GST_SORA_PHASE_IDLE;
}

GType gst_sora_playlist_on_failure_get_type(void) {
  using sora::playlist::OnFailure;
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(OnFailure::kError),
       "Stop the programme with an error naming the shot (a live programme shows the slate "
       "instead)",
       "error"},
      {static_cast<gint>(OnFailure::kSkip), "Post a warning and go on with the next shot", "skip"},
      {static_cast<gint>(OnFailure::kSlate),
       "Post a warning and fill the shot's time with the slate", "slate"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraPlaylistOnFailure", values);
}

GType gst_sora_budget_period_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {static_cast<gint>(sora::BudgetPeriod::kDay), "The UTC day: the spend since midnight UTC",
       "day"},
      {static_cast<gint>(sora::BudgetPeriod::kProgramme),
       "The life of a programme: a soraplaylistsrc run from start to end (for a soravideosrc "
       "alone, the element's life)",
       "programme"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraBudgetPeriod", values);
}

GType gst_sora_budget_unknown_get_type(void) {
  static GType type = 0;
  static const GEnumValue values[] = {
      {0, "Refuse a request the price list cannot price while a budget is set", "refuse"},
      {1, "Let it go (it is recorded with an unknown cost)", "allow"},
      {0, nullptr, nullptr},
  };
  return register_enum(&type, "GstSoraBudgetUnknown", values);
}
