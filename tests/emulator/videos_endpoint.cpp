/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "videos_endpoint.h"

#include "content_response.h"
#include "hostile_clip.h"
#include "json_response.h"
#include "model_catalog.h"

#include <algorithm>
#include <utility>

namespace {

struct ContentVariant {
  const char *name;
  const char *content_type;
  const char *extension;
  std::string RenderedClip::*file;
};

const ContentVariant kVariants[] = {
    {"video", "video/mp4", ".mp4", &RenderedClip::video_path},
    {"thumbnail", "image/webp", ".webp", &RenderedClip::thumbnail_path},
    {"spritesheet", "image/jpeg", ".jpg", &RenderedClip::spritesheet_path},
};

const char *query_value(GHashTable *query, const char *name) {
  return query ? static_cast<const char *>(g_hash_table_lookup(query, name)) : nullptr;
}

bool is_finished(TaskStatus status) {
  return status == TaskStatus::kCompleted || status == TaskStatus::kFailed;
}

// What LiteLLM's proxy answers a list without a provider (litellm/videos/main.py before the
// fallback to "openai": get_llm_provider() on an empty model; BerriAI/litellm issue 22130).
ApiError provider_not_provided() {
  return ApiError::invalid_request(
      "litellm.BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are "
      "trying to call. You passed model=\n Pass model as E.g. For 'Huggingface' inference "
      "endpoints pass in `completion(model='huggingface/starcoder',..)` Learn more: "
      "https://docs.litellm.ai/docs/providers");
}

ApiError json_only(const std::string &media_type, CreateBody accepted) {
  std::string sent = media_type.empty() ? "none" : media_type;
  ApiError error = ApiError::invalid_request(
      "Invalid request body: expected Content-Type: application/json, got '" + sent + "'",
      std::string("body"), std::string("invalid_request"));
  if (accepted == CreateBody::kJsonOnly415) {
    error.http_status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
  }
  return error;
}

// OpenRouter's `index` picks one of a job's outputs; a job here has one.
std::optional<ApiError> check_output_index(const char *index) {
  if (!index || g_strcmp0(index, "0") == 0) {
    return std::nullopt;
  }
  ApiError error = ApiError::invalid_request(std::string("No output at index ") + index +
                                             "; this job has 1 output (index 0)");
  error.http_status = SOUP_STATUS_NOT_FOUND;
  return error;
}

// Seconds as the API carries them ("8"), as a positive count.
std::optional<int> parse_seconds(const std::string &seconds) {
  char *end = nullptr;
  gint64 value = g_ascii_strtoll(seconds.c_str(), &end, 10);
  if (seconds.empty() || *end != '\0' || value <= 0 || value > 3600) {
    return std::nullopt;
  }
  return static_cast<int>(value);
}

std::optional<ApiError> clip_for(const std::string &prompt, const std::string &seconds,
                                 const std::string &size, const EmulatorConfig &config,
                                 ClipSpec &clip) {
  std::optional<int> duration = parse_seconds(seconds);
  if (!duration) {
    return ApiError::invalid_request("Invalid 'seconds': expected a whole number of seconds.",
                                     std::string("seconds"), std::string("invalid_value"));
  }
  if (!parse_frame_size(size, clip.width, clip.height)) {
    return ApiError::invalid_request("Invalid 'size': expected WIDTHxHEIGHT with even numbers.",
                                     std::string("size"), std::string("invalid_value"));
  }
  clip.segments = {ClipSegment{prompt, *duration}};
  clip.layout = config.layout;
  clip.bitrate_kbps = static_cast<int>(config.clip_bitrate_kbps);
  return std::nullopt;
}

std::optional<ApiError> parse_limit(const char *text, size_t &limit) {
  if (!text) {
    return std::nullopt;
  }
  char *end = nullptr;
  gint64 value = g_ascii_strtoll(text, &end, 10);
  if (!*text || *end != '\0' || value < 0 || value > 100) {
    return ApiError::invalid_request(std::string("Invalid 'limit': expected an integer between 0 "
                                                 "and 100, but got '") +
                                         text + "' instead.",
                                     std::string("limit"), std::string("invalid_value"));
  }
  limit = static_cast<size_t>(value);
  return std::nullopt;
}

// The variant named in the query (default: the video).
std::optional<ApiError> find_variant(const char *name, const ContentVariant *&variant) {
  variant = &kVariants[0];
  if (!name) {
    return std::nullopt;
  }
  variant = std::find_if(
      std::begin(kVariants), std::end(kVariants),
      [name](const ContentVariant &candidate) { return g_strcmp0(candidate.name, name) == 0; });
  if (variant == std::end(kVariants)) {
    return ApiError::invalid_value("variant", name, {"video", "thumbnail", "spritesheet"});
  }
  return std::nullopt;
}

void send_redirect(SoupServerMessage *message, const std::string &location) {
  soup_message_headers_replace(soup_server_message_get_response_headers(message), "Location",
                               location.c_str());
  soup_server_message_set_status(message, SOUP_STATUS_FOUND, nullptr);
}

}  // namespace

VideosEndpoint::VideosEndpoint(EmulatorConfig &config, const ServerDialect &dialect,
                               TaskStore &tasks, TaskLauncher &launcher, std::string api_root,
                               std::string cdn_url)
    : config_(config),
      dialect_(dialect),
      tasks_(tasks),
      launcher_(launcher),
      api_root_(std::move(api_root)),
      cdn_url_(std::move(cdn_url)) {}

void VideosEndpoint::handle(ApiRequest &request) {
  const RouteMatch &route = *request.route;
  switch (route.route) {
    case ApiRoute::kCreate:
      create(request);
      break;
    case ApiRoute::kList:
      list(request);
      break;
    case ApiRoute::kExtensions:
      extend(request);
      break;
    case ApiRoute::kRetrieve:
      retrieve(request, route.video_id);
      break;
    case ApiRoute::kDelete:
      remove(request, route.video_id);
      break;
    case ApiRoute::kContent:
      download(request, route.video_id);
      break;
    case ApiRoute::kRemix:
      remix(request, route.video_id);
      break;
    case ApiRoute::kModels:
      respond_json(request.message.get(), SOUP_STATUS_OK,
                   model_list_json(dialect_.settings().model_list).get());
      break;
    case ApiRoute::kVideoModels:
      respond_json(request.message.get(), SOUP_STATUS_OK, video_model_list_json().get());
      break;
    case ApiRoute::kCancel:  // the native providers' routes, never matched for this API
    case ApiRoute::kStream:
    case ApiRoute::kResult:
    case ApiRoute::kSchema:
      send_error(request, ApiError::invalid_url(request.method, request.path));
      break;
  }
}

void VideosEndpoint::send_error(ApiRequest &request, const ApiError &error) const {
  respond_json(request.message.get(), error.http_status, dialect_.error_json(error).get());
}

std::string VideosEndpoint::prompt_of(const std::string &video_id) const {
  const Task *task = tasks_.find(video_id);
  return task ? task->prompt : "";
}

VideoView VideosEndpoint::view_of(const Task &task, IdShown shown) const {
  VideoView view = task.view_at(g_get_monotonic_time());
  view.cdn_url = cdn_content_url(task.id);
  view.retrieve_path = retrieve_path(task.id, dialect_.settings());
  view.api_root = api_root_;
  view.api_content_url = api_root_ + view.retrieve_path + "/content?index=0";
  bool reencoded = dialect_.settings().retrieve_id == RetrieveId::kReencoded;
  if (shown == IdShown::kOnRetrieve && reencoded && !task.alias_id.empty()) {
    view.id = task.alias_id;
  }
  return view;
}

// The CDN mirrors the API's content paths under /cdn instead of /v1.
std::string VideosEndpoint::cdn_content_url(const std::string &video_id) const {
  g_autofree char *escaped_id = g_uri_escape_string(video_id.c_str(), nullptr, FALSE);
  return cdn_url_ + "/cdn/" + create_path_name(dialect_.settings().create_path) + "/" + escaped_id +
         "/content";
}

void VideosEndpoint::add_poll_hint(SoupServerMessage *message) const {
  if (config_.poll_after_ms > 0 && dialect_.settings().poll_after) {
    soup_message_headers_replace(soup_server_message_get_response_headers(message),
                                 "openai-poll-after-ms",
                                 std::to_string(config_.poll_after_ms).c_str());
  }
}

void VideosEndpoint::send_created(ApiRequest &request, const Task &task) const {
  request.video_id = task.id;
  if (task.chaos != TaskChaos::kNone) {
    request.chaos_task = task_chaos_name(task.chaos);
  }
  respond_json(request.message.get(), dialect_.settings().create_status,
               dialect_.created_json(view_of(task, IdShown::kOnCreate)).get());
  add_poll_hint(request.message.get());
}

void VideosEndpoint::send_retrieved(ApiRequest &request, const VideoView &view) const {
  respond_json(request.message.get(), SOUP_STATUS_OK, dialect_.retrieved_json(view).get());
  add_poll_hint(request.message.get());
}

Task *VideosEndpoint::find_or_answer(ApiRequest &request, const std::string &video_id) {
  request.video_id = video_id;
  Task *task = tasks_.find(video_id);
  if (!task) {
    send_error(request, dialect_.unknown_video(video_id));
  }
  return task;
}

std::optional<ApiError> VideosEndpoint::check_source(const Task &source) const {
  VideoView view = source.view_at(g_get_monotonic_time());
  if (view.status != TaskStatus::kCompleted) {
    return ApiError::video_not_ready(source.id, task_status_name(view.status));
  }
  return std::nullopt;
}

std::optional<ApiError> VideosEndpoint::check_downloadable(const Task &task) const {
  VideoView view = task.view_at(g_get_monotonic_time());
  if (view.status != TaskStatus::kCompleted) {
    return dialect_.not_completed(view);
  }
  if (view.content_expired) {
    ApiError error = ApiError::video_expired(task.id);
    error.http_status = config_.expired_status;
    return error;
  }
  return std::nullopt;
}

std::optional<ApiError> VideosEndpoint::check_capacity() const {
  guint limit = dialect_.settings().max_running_tasks;
  if (limit == 0) {
    return std::nullopt;
  }
  gint64 now_us = g_get_monotonic_time();
  guint running = 0;
  for (const Task *task : tasks_.in_creation_order()) {
    running += is_finished(task->view_at(now_us).status) ? 0 : 1;
  }
  return running < limit ? std::nullopt
                         : std::optional<ApiError>(ApiError::too_many_running_tasks(limit));
}

void VideosEndpoint::create(ApiRequest &request) {
  const DialectSettings &settings = dialect_.settings();
  CreateVideoRequest params;
  std::optional<ApiError> error;
  if (settings.create_body != CreateBody::kJsonOrMultipart &&
      request.body.kind != BodyKind::kJson) {
    error = json_only(request.body.media_type, settings.create_body);
  }
  if (!error) {
    error = read_create_request(request.body, dialect_.parameter_types(), settings.seconds_member,
                                params);
  }
  if (!error) {
    error = dialect_.check_create(params);
  }
  if (!error) {
    error = check_capacity();
  }
  auto task = std::make_unique<Task>();
  if (!error) {
    error = clip_for(*params.prompt, *params.seconds, *params.size, config_, task->clip);
  }
  // A malformed "emulator" member of the metadata is the test's mistake: say so.
  ClipVariation variation;
  if (!error) {
    std::optional<std::string> bad =
        config_.clip_variations.for_task(*params.prompt, params.metadata.get(), variation);
    if (bad) {
      error = ApiError::invalid_request(*bad + ".", std::string("metadata"),
                                        std::string("invalid_value"));
    }
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  task->model = *params.model;
  task->prompt = *params.prompt;
  task->size = *params.size;
  task->metadata = std::move(params.metadata);
  task->input_reference = std::move(params.input_reference);
  send_created(request, launcher_.start(std::move(task)));
}

// The first poll may carry no status (first_poll_status: absent, as xAI through new-api), and
// one poll of a running task may say "unknown" (unknown_status: once).
void VideosEndpoint::retrieve(ApiRequest &request, const std::string &video_id) {
  Task *task = find_or_answer(request, video_id);
  if (!task) {
    return;
  }
  const DialectSettings &settings = dialect_.settings();
  task->retrievals++;
  VideoView view = view_of(*task, IdShown::kOnRetrieve);
  view.status_hidden =
      settings.first_poll_status == FirstPollStatus::kAbsent && task->retrievals == 1;
  if (settings.unknown_status == UnknownStatus::kOnce && !task->said_unknown &&
      !view.status_hidden && view.status == TaskStatus::kInProgress) {
    view.status_unknown = true;
    task->said_unknown = true;
  }
  send_retrieved(request, view);
}

void VideosEndpoint::list(ApiRequest &request) {
  if (dialect_.settings().list_requires_provider &&
      !query_value(request.query.get(), "custom_llm_provider") &&
      !soup_message_headers_get_one(soup_server_message_get_request_headers(request.message.get()),
                                    "custom-llm-provider")) {
    send_error(request, provider_not_provided());
    return;
  }
  size_t limit = 20;
  const char *order = query_value(request.query.get(), "order");
  const char *after = query_value(request.query.get(), "after");
  if (std::optional<ApiError> error =
          parse_limit(query_value(request.query.get(), "limit"), limit)) {
    send_error(request, *error);
    return;
  }
  if (order && g_strcmp0(order, "asc") != 0 && g_strcmp0(order, "desc") != 0) {
    send_error(request, ApiError::invalid_value("order", order, {"asc", "desc"}));
    return;
  }
  std::vector<const Task *> ordered = tasks_.in_creation_order();
  if (g_strcmp0(order, "asc") != 0) {
    std::reverse(ordered.begin(), ordered.end());
  }
  auto start = ordered.begin();
  if (after) {
    start = std::find_if(ordered.begin(), ordered.end(), [after](const Task *task) {
      return task->id == after || task->alias_id == after;
    });
    if (start == ordered.end()) {
      send_error(request, ApiError::invalid_request(
                              std::string("Invalid 'after': no video with id '") + after + "'.",
                              std::string("after"), std::string("invalid_value")));
      return;
    }
    ++start;
  }
  size_t available = static_cast<size_t>(ordered.end() - start);
  std::vector<VideoView> page;
  for (auto task = start; task != start + std::min(limit, available); ++task) {
    page.push_back(view_of(**task, IdShown::kOnRetrieve));
  }
  respond_json(request.message.get(), SOUP_STATUS_OK,
               dialect_.video_list_json(page, available > limit).get());
}

void VideosEndpoint::remove(ApiRequest &request, const std::string &video_id) {
  Task *task = find_or_answer(request, video_id);
  if (!task) {
    return;
  }
  TaskStatus status = task->view_at(g_get_monotonic_time()).status;
  if (!is_finished(status)) {
    send_error(request, ApiError::invalid_request(
                            "Video '" + video_id + "' cannot be deleted while its status is '" +
                                task_status_name(status) +
                                "'; only completed or failed videos can be deleted.",
                            std::nullopt, std::string("invalid_video_status")));
    return;
  }
  tasks_.remove(video_id);
  respond_json(request.message.get(), SOUP_STATUS_OK, dialect_.deleted_json(video_id).get());
}

void VideosEndpoint::download(ApiRequest &request, const std::string &video_id) {
  const ContentVariant *variant = &kVariants[0];
  std::optional<ApiError> error;
  switch (dialect_.settings().variants) {
    case VariantSupport::kIgnore:
      break;
    case VariantSupport::kIndex:
      error = check_output_index(query_value(request.query.get(), "index"));
      break;
    default:
      error = find_variant(query_value(request.query.get(), "variant"), variant);
      break;
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  if (dialect_.settings().variants == VariantSupport::kVideoOnly && variant != &kVariants[0]) {
    send_error(request, ApiError::invalid_value("variant", variant->name, {"video"}));
    return;
  }
  Task *task = find_or_answer(request, video_id);
  if (!task) {
    return;
  }
  error = check_downloadable(*task);
  if (error) {
    send_error(request, *error);
    return;
  }
  const DialectSettings &settings = dialect_.settings();
  if (request.listener == Listener::kApi && settings.download == Download::kContentRedirect) {
    std::string query = request.raw_query();
    send_redirect(request.message.get(),
                  cdn_content_url(video_id) + (query.empty() ? "" : "?" + query));
    return;
  }
  // The CDN is OpenAI's kind, which serves ranges whatever the API's proxy does.
  ContentDelivery delivery{!request.ignore_range && (request.listener == Listener::kCdn ||
                                                     settings.range == RangeSupport::kHonour),
                           request.pacing};
  g_autoptr(GError) read_error = nullptr;
  const std::string &path = task->files.*(variant->file);
  std::string name = video_id + variant->extension;
  bool sent = false;
  if (request.corrupt_sample_count) {
    g_autoptr(GBytes) corrupt = corrupt_moov_clip(path, *request.corrupt_sample_count, &read_error);
    if (corrupt) {
      send_contents(request.message.get(), corrupt, variant->content_type, name, delivery);
      sent = true;
    }
  } else {
    sent =
        send_file(request.message.get(), path, variant->content_type, name, delivery, &read_error);
  }
  if (!sent) {
    ApiError answer = ApiError::invalid_request(
        std::string("The content could not be read: ") + read_error->message, std::nullopt,
        std::string("internal_error"));
    answer.http_status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
    answer.type = "server_error";
    send_error(request, answer);
  }
}

void VideosEndpoint::remix(ApiRequest &request, const std::string &video_id) {
  Task *source = find_or_answer(request, video_id);
  if (!source) {
    return;
  }
  std::optional<std::string> prompt;
  std::optional<ApiError> error = read_remix_request(request.body, prompt);
  if (!error) {
    error = dialect_.check_prompt(prompt);
  }
  if (!error) {
    error = check_source(*source);
  }
  if (!error) {
    error = check_capacity();
  }
  auto task = std::make_unique<Task>();
  if (!error) {
    error = clip_for(*prompt, std::to_string(source->clip.total_seconds()), source->size, config_,
                     task->clip);
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  task->model = source->model;
  task->prompt = *prompt;
  task->size = source->size;
  task->remixed_from_video_id = source->id;
  send_created(request, launcher_.start(std::move(task)));
}

void VideosEndpoint::extend(ApiRequest &request) {
  ExtendVideoRequest params;
  std::optional<ApiError> error = read_extend_request(request.body, params);
  if (!error && !params.video_id) {
    error = ApiError::missing_parameter("video");
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  Task *source = find_or_answer(request, *params.video_id);
  if (!source) {
    return;
  }
  error = dialect_.check_prompt(params.prompt);
  if (!error) {
    error = dialect_.check_extension_seconds(source->model, params.seconds);
  }
  if (!error) {
    error = check_source(*source);
  }
  if (!error) {
    error = check_capacity();
  }
  ClipSpec appended;
  if (!error) {
    error = clip_for(*params.prompt, *params.seconds, source->size, config_, appended);
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  // The extension's clip is the source's clip followed by the new segment.
  auto task = std::make_unique<Task>();
  task->model = source->model;
  task->prompt = *params.prompt;
  task->size = source->size;
  task->clip = source->clip;
  task->clip.layout = config_.layout;
  task->clip.segments.push_back(appended.segments.front());
  send_created(request, launcher_.start(std::move(task)));
}
