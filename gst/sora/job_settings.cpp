/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "job_settings.h"

#include "reference_fit.h"

#include "core/gateway.h"
#include "core/provider.h"
#include "core/secret.h"
#include "core/task_id.h"
#include "core/variant.h"

#include <gst/gst.h>

namespace sora {

namespace {

bool is_http_url(const std::string &url) {
  g_autoptr(GUri) uri = g_uri_parse(url.c_str(), G_URI_FLAGS_NONE, nullptr);
  if (!uri || !g_uri_get_host(uri) || !*g_uri_get_host(uri))
    return false;
  const char *scheme = g_uri_get_scheme(uri);
  return g_ascii_strcasecmp(scheme, "http") == 0 || g_ascii_strcasecmp(scheme, "https") == 0;
}

StartProblem settings_problem(std::string property, std::string message) {
  return StartProblem{SettingsProblem{std::move(property), std::move(message)}, false};
}

/* The base URL and key from the properties and the environment. */
std::optional<StartProblem> resolve_connection(const SourceSettings &settings, Connection &out) {
  const Connection &asked = settings.connection;
  Endpoint endpoint = resolve_endpoint(asked.gateway, asked.base_url, asked.api_key);
  if (endpoint.base_url.empty())
    return settings_problem("base-url", no_endpoint_message(asked.gateway));
  if (!is_http_url(endpoint.base_url)) {
    std::string from =
        endpoint.url_source == "base-url" ? "" : " (from " + endpoint.url_source + ")";
    return settings_problem("base-url", "base-url \"" + endpoint.base_url + "\"" + from +
                                            " is not an http:// or https:// URL (for example "
                                            "https://openrouter.ai/api/v1).");
  }
  const GatewayProfile &profile = gateway_profile(endpoint.gateway);
  if (endpoint.api_key.empty()) {
    /* OPENAI_API_KEY is offered only where it would be sent. */
    std::string variables = profile.protocol != Protocol::kOpenAiFormat
                                ? std::string(profile.key_env) +
                                      (profile.key_env_alt
                                           ? std::string(" or ") + profile.key_env_alt
                                           : std::string())
                            : !profile.key_env ? "OPENAI_API_KEY"
                            : endpoint.withheld_key.empty()
                                ? std::string(profile.key_env) + " (or OPENAI_API_KEY)"
                                : std::string(profile.key_env);
    return StartProblem{
        SettingsProblem{"api-key", "No API key: set the api-key property or the " + variables +
                                       " environment variable." + withheld_key_note(endpoint)},
        true};
  }
  out = asked;
  out.base_url = std::move(endpoint.base_url);
  out.api_key = std::move(endpoint.api_key);
  out.gateway = endpoint.gateway;
  out.user_agent = std::string("gst-sora/" PACKAGE_VERSION " GStreamer/") +
                   std::to_string(GST_VERSION_MAJOR) + "." + std::to_string(GST_VERSION_MINOR);
  return std::nullopt;
}

/* What the server family cannot do, refused before anything is sent. */
std::optional<StartProblem> check_gateway(const SourceSettings &settings,
                                          const GatewayProfile &profile) {
  if (settings.variant != 0 && !profile.variants)
    return settings_problem(
        "variant", std::string(profile.title) + " serves only the video of a task, not its " +
                       kVariants[settings.variant].name + ": set variant=video.");
  const VideoRequest &request = settings.request;
  if ((!request.remix_of.empty() || !request.extend_of.empty()) && !profile.follow_ups)
    return settings_problem(
        request.remix_of.empty() ? "extend-of" : "remix-of",
        std::string(profile.title) +
            " has no remix or extension endpoint: generate a new clip with the prompt instead.");
  return std::nullopt;
}

/* The ids that go into a URL path: the task to attach to and the remix's
 * source. Refused here so that no request is ever sent to what a dot id
 * would make of the path (the task list, the base URL). */
std::optional<StartProblem> check_task_ids(const SourceSettings &settings) {
  const std::pair<const char *, const std::string *> ids[] = {
      {"video-id", &settings.video_id}, {"remix-of", &settings.request.remix_of}};
  for (const auto &[property, id] : ids) {
    if (id->empty())
      continue; /* unset: nothing to attach to or remix */
    if (std::optional<std::string> problem = task_id_problem(*id))
      return settings_problem(property, std::string(property) + " \"" + *id +
                                            "\" cannot name a task: " + *problem +
                                            ". Set the id the server gave (sora-tasks list).");
  }
  return std::nullopt;
}

/* The reference image as it will be uploaded: read, identified, and
 * resized to `size` when reference-fit asks for it. */
std::optional<ReferenceImage> load_reference(const SourceSettings &settings,
                                             SettingsProblem *problem) {
  const VideoRequest &request = settings.request;
  std::optional<ReferenceImage> image = load_reference_image(request.input_reference, problem);
  if (!image || settings.reference_fit == GST_SORA_REFERENCE_FIT_NONE)
    return image;
  std::optional<FrameSize> size = parse_width_x_height(request.size);
  if (!size || size->width == 0 || size->height == 0 || size->width > G_MAXINT ||
      size->height > G_MAXINT) {
    *problem = {"reference-fit",
                "reference-fit resizes the image to size, but size=\"" + request.size +
                    "\" is not WIDTHxHEIGHT: set a size such as 720x1280, or reference-fit=none."};
    return std::nullopt;
  }
  std::string why;
  std::optional<ReferenceImage> fitted =
      fit_reference_image(*image, static_cast<int>(size->width), static_cast<int>(size->height),
                          settings.reference_fit, &why);
  if (!fitted)
    *problem = {"reference-fit", "Cannot fit the reference image \"" + request.input_reference +
                                     "\" to " + request.size + ": " + why + "."};
  return fitted;
}

/* A cache entry of a job: its request (or the task it attaches to), and
 * which variant of the result. */
std::string cache_key_for(const JobSettings &job, const std::string &variant) {
  CacheKeyInputs inputs;
  inputs.base_url = job.connection.base_url;
  inputs.variant = variant;
  inputs.remix_of = job.request.remix_of;
  inputs.extend_of = job.request.extend_of;
  if (!job.video_id.empty()) {
    inputs.video_id = job.video_id;
  } else {
    inputs.model = job.request.model;
    inputs.prompt = job.request.prompt;
    inputs.seconds = job.request.seconds;
    inputs.size = job.request.size;
    inputs.reference = job.image ? job.image->bytes.get() : nullptr;
    inputs.metadata = job.request.metadata;
  }
  return cache_key(inputs);
}

/* The request's task is its video's entry; a still has one of its own. */
void set_cache(const SourceSettings &settings, JobSettings &job) {
  job.cache.mode = settings.cache_mode;
  job.cache.dir = effective_cache_dir(settings);
  job.cache.max_bytes = settings.cache_max_size;
  job.cache.task_key = cache_key_for(job, kVariants[0].name);
  job.cache.key = settings.variant == 0 ? job.cache.task_key : cache_key_for(job, job.variant);
  job.copy_to = settings.location;
}

/* The price list, the budget and its ledger. The ledger is kept in the
 * cache directory whatever cache-mode says: cache-mode is about clips, and
 * a budget must hold with the cache off too. */
std::optional<StartProblem> set_spend(const SourceSettings &settings, JobSettings &job) {
  SpendSettings &spend = job.spend;
  spend.price_list = price_list_path(settings.price_list);
  std::string problem;
  spend.budget = budget_in_effect(settings.budget, &problem);
  if (!problem.empty())
    return StartProblem{{"budget", problem + ". Set budget, or correct SORA_BUDGET."}, false};
  spend.period = settings.budget_period;
  spend.allow_unknown = settings.budget_allow_unknown;
  spend.programme = settings.programme;
  spend.programme_start_us = settings.programme_start_us;
  spend.ledger_dir = effective_cache_dir(settings);
  return std::nullopt;
}

}  // namespace

std::string request_signature(const SourceSettings &settings) {
  const VideoRequest &r = settings.request;
  const Connection &c = settings.connection;
  /* Fields joined with a separator no property holds. */
  std::string signature;
  for (const std::string &field :
       {r.prompt, r.model, std::to_string(r.seconds), r.size, r.input_reference, r.metadata,
        r.remix_of, r.extend_of, c.base_url, std::string(gateway_name(c.gateway)),
        std::to_string(static_cast<int>(settings.reference_fit))})
    signature += field + '\x1f';
  return signature;
}

std::string effective_cache_dir(const SourceSettings &settings) {
  if (!settings.cache_dir.empty())
    return settings.cache_dir;
  g_autofree char *dir = g_build_filename(g_get_user_cache_dir(), "gstreamer-sora", nullptr);
  return dir;
}

std::variant<JobSettings, StartProblem> make_job_settings(const SourceSettings &settings,
                                                          const std::string &replay_id) {
  JobSettings job;
  if (auto problem = resolve_connection(settings, job.connection))
    return *problem;
  /* From here on every return drops `job`, and the key with it. */
  auto refuse = [&job](StartProblem problem) {
    wipe_secret(job.connection.api_key);
    return problem;
  };
  if (auto problem = check_gateway(settings, job.connection.profile()))
    return refuse(*problem);
  if (auto problem = check_task_ids(settings))
    return refuse(*problem);
  job.request = settings.request;
  job.variant = kVariants[settings.variant].name;
  const bool cache_on = settings.cache_mode != CacheMode::kOff;
  /* With the cache on, its journal remembers the element's own tasks: only
   * an id the user set means "attach". */
  job.video_id = !settings.video_id.empty() ? settings.video_id : cache_on ? "" : replay_id;
  if (job.video_id.empty()) {
    if (auto problem = check_request(job.request))
      return refuse(StartProblem{*problem, false});
    if (!job.request.input_reference.empty()) {
      SettingsProblem problem;
      job.image = load_reference(settings, &problem);
      if (!job.image)
        return refuse(StartProblem{problem, false});
    }
    /* What the protocol cannot ask for (a native provider's fixed
     * parameters), before anything is paid for. */
    ProviderSettings asked{job.connection, job.request, job.image ? &*job.image : nullptr,
                           job.variant};
    asked.connection.api_key.clear(); /* a provider never needs the key */
    if (auto problem = make_provider(std::move(asked))->check())
      return refuse(StartProblem{*problem, false});
  }
  if (cache_on)
    set_cache(settings, job);
  if (auto problem = set_spend(settings, job))
    return refuse(*problem);
  job.poll_interval_ms = settings.poll_interval;
  job.generation_timeout_s = settings.generation_timeout;
  job.max_clip_size = settings.max_clip_size;
  return job;
}

}  // namespace sora
