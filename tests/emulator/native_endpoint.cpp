/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "native_endpoint.h"

#include "fal_endpoint.h"
#include "gemini_endpoint.h"
#include "inline_images.h"
#include "json_response.h"
#include "replicate_endpoint.h"

#include <utility>

NativeEndpoint::NativeEndpoint(EmulatorConfig &config, const ServerDialect &dialect,
                               TaskStore &tasks, TaskLauncher &launcher, std::string api_root,
                               std::string cdn_url)
    : config_(config),
      dialect_(dialect),
      tasks_(tasks),
      launcher_(launcher),
      api_root_(std::move(api_root)),
      cdn_url_(std::move(cdn_url)) {}

std::optional<ApiError> NativeEndpoint::start(ApiRequest &request, NativeClip clip,
                                              Task *&started) {
  ClipVariation variation;
  if (std::optional<std::string> bad =
          config_.clip_variations.for_task(clip.prompt, clip.input.get(), variation)) {
    return ApiError::with_status(400, *bad + ".");
  }
  auto task = std::make_unique<Task>();
  task->model = clip.model;
  task->prompt = clip.prompt;
  task->size = std::to_string(clip.width) + "x" + std::to_string(clip.height);
  task->clip.segments = {ClipSegment{clip.prompt, clip.seconds}};
  task->clip.width = clip.width;
  task->clip.height = clip.height;
  task->clip.fps = clip.fps;
  task->clip.audio = clip.audio;
  task->clip.layout = config_.layout;
  task->clip.bitrate_kbps = static_cast<int>(config_.clip_bitrate_kbps);
  task->metadata = std::move(clip.input);
  task->input_reference = std::move(clip.input_reference);
  started = &launcher_.start(std::move(task));
  request.video_id = started->id;
  if (started->chaos != TaskChaos::kNone) {
    request.chaos_task = task_chaos_name(started->chaos);
  }
  return std::nullopt;
}

Task *NativeEndpoint::find(ApiRequest &request, const std::string &id) const {
  request.video_id = id;
  return tasks_.find(id);
}

VideoView NativeEndpoint::view_of(const Task &task) const {
  return task.view_at(g_get_monotonic_time());
}

std::string NativeEndpoint::cdn_content_url(const Task &task) const {
  g_autofree char *escaped_id = g_uri_escape_string(task.id.c_str(), nullptr, FALSE);
  return cdn_url_ + "/cdn/" + create_path_name(dialect_.settings().create_path) + "/" + escaped_id +
         "/content";
}

void NativeEndpoint::send_error(ApiRequest &request, const ApiError &error) const {
  respond_json(request.message.get(), error.http_status, dialect_.error_json(error).get());
}

const char *NativeEndpoint::query_value(const ApiRequest &request, const char *name) const {
  return request.query ? static_cast<const char *>(g_hash_table_lookup(request.query.get(), name))
                       : nullptr;
}

NativeClip schema_clip(const std::string &model, const ModelSchema &schema,
                       const ClipRequest &wanted, JsonNode *input, JsonNode *body) {
  NativeClip clip;
  clip.model = model;
  clip.prompt = wanted.prompt;
  clip.seconds = wanted.seconds;
  clip.width = wanted.width;
  clip.height = wanted.height;
  clip.fps = wanted.fps;
  clip.audio = schema.audio;
  clip.input = json_node_clone(input);
  clip.input_reference = first_image(body);
  return clip;
}

JsonNodePtr first_image(JsonNode *body) {
  JsonNodePtr images = describe_inline_images(body);
  JsonArray *array = json_node_get_array(images.get());
  return json_array_get_length(array) > 0 ? json_node_clone(json_array_get_element(array, 0))
                                          : nullptr;
}

std::string iso8601_time(gint64 unix_us) {
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(unix_us / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format(time, "%Y-%m-%dT%H:%M:%S");
  char fraction[16];
  g_snprintf(fraction, sizeof fraction, ".%06dZ", static_cast<int>(unix_us % G_USEC_PER_SEC));
  return std::string(seconds) + fraction;
}

NativeEndpoints::NativeEndpoints(EmulatorConfig &config, const ServerDialect &dialect,
                                 TaskStore &tasks, TaskLauncher &launcher,
                                 const std::string &api_root, const std::string &cdn_url)
    : dialect_(dialect),
      gemini_(
          std::make_unique<GeminiEndpoint>(config, dialect, tasks, launcher, api_root, cdn_url)),
      fal_(std::make_unique<FalEndpoint>(config, dialect, tasks, launcher, api_root, cdn_url)),
      replicate_(std::make_unique<ReplicateEndpoint>(config, dialect, tasks, launcher, api_root,
                                                     cdn_url)) {}

NativeEndpoints::~NativeEndpoints() = default;

NativeEndpoint *NativeEndpoints::current() const {
  switch (dialect_.settings().provider) {
    case Provider::kGemini:
      return gemini_.get();
    case Provider::kFal:
      return fal_.get();
    case Provider::kReplicate:
      return replicate_.get();
    case Provider::kNone:
      break;
  }
  return nullptr;
}
