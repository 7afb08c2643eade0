#include "videos_endpoint.h"

#include "content_response.h"
#include "json_response.h"

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
                                 const std::string &size, Mp4Layout layout, ClipSpec &clip) {
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
  clip.layout = layout;
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

}  // namespace

VideosEndpoint::VideosEndpoint(EmulatorConfig &config, const ServerDialect &dialect,
                               TaskStore &tasks, RenderPool &renders)
    : config_(config), dialect_(dialect), tasks_(tasks), renders_(renders) {}

void VideosEndpoint::handle(ApiRequest &request) {
  const std::vector<std::string> &path = request.segments;
  std::string method = soup_server_message_get_method(request.message);
  if (path.empty() || path[0] != "videos") {
    send_error(request, ApiError::invalid_url(method, request.path));
  } else if (path.size() == 1 && method == "POST") {
    create(request);
  } else if (path.size() == 1 && method == "GET") {
    list(request);
  } else if (path.size() == 2 && path[1] == "extensions" && method == "POST") {
    extend(request);
  } else if (path.size() == 2 && method == "GET") {
    retrieve(request, path[1]);
  } else if (path.size() == 2 && method == "DELETE") {
    remove(request, path[1]);
  } else if (path.size() == 3 && path[2] == "content" && (method == "GET" || method == "HEAD")) {
    download(request, path[1]);
  } else if (path.size() == 3 && path[2] == "remix" && method == "POST") {
    remix(request, path[1]);
  } else {
    send_error(request, ApiError::invalid_url(method, request.path));
  }
}

void VideosEndpoint::send_error(ApiRequest &request, const ApiError &error) const {
  respond_json(request.message, error.http_status, dialect_.error_json(error).get());
}

void VideosEndpoint::send_video(ApiRequest &request, const Task &task) const {
  request.video_id = task.id;
  respond_json(request.message, SOUP_STATUS_OK,
               dialect_.video_json(task.view_at(g_get_monotonic_time())).get());
  if (config_.poll_after_ms > 0) {
    soup_message_headers_replace(soup_server_message_get_response_headers(request.message),
                                 "openai-poll-after-ms",
                                 std::to_string(config_.poll_after_ms).c_str());
  }
}

Task *VideosEndpoint::find_or_404(ApiRequest &request, const std::string &video_id) {
  request.video_id = video_id;
  Task *task = tasks_.find(video_id);
  if (!task) {
    send_error(request, ApiError::video_not_found(video_id));
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

Task &VideosEndpoint::start(std::unique_ptr<Task> task) {
  task->queue_us = config_.queue_ms * 1000;
  task->generation_us = config_.generation_ms * 1000;
  task->expires_after_s = config_.expires_after_s;
  task->planned_failure = std::exchange(config_.fail_next, std::nullopt);
  Task &started = tasks_.add(std::move(task));
  if (!started.planned_failure) {
    started.render_state = RenderState::kRendering;
    std::string video_id = started.id;
    renders_.submit(started.clip, [this, video_id](const RenderOutcome &outcome) {
      record_render(video_id, outcome);
    });
  }
  return started;
}

void VideosEndpoint::record_render(const std::string &video_id, const RenderOutcome &outcome) {
  Task *task = tasks_.find(video_id);
  if (!task) {
    return;
  }
  task->render_state = outcome.succeeded ? RenderState::kSucceeded : RenderState::kFailed;
  task->files = outcome.files;
  task->render_error = outcome.error;
  task->render_finished_us = outcome.finished_us;
}

void VideosEndpoint::create(ApiRequest &request) {
  CreateVideoRequest params;
  std::optional<ApiError> error = read_create_request(request.body, params);
  if (!error) {
    error = dialect_.check_create(params);
  }
  auto task = std::make_unique<Task>();
  if (!error) {
    error = clip_for(*params.prompt, *params.seconds, *params.size, config_.layout, task->clip);
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
  send_video(request, start(std::move(task)));
}

void VideosEndpoint::retrieve(ApiRequest &request, const std::string &video_id) {
  if (Task *task = find_or_404(request, video_id)) {
    send_video(request, *task);
  }
}

void VideosEndpoint::list(ApiRequest &request) {
  size_t limit = 20;
  const char *order = query_value(request.query, "order");
  const char *after = query_value(request.query, "after");
  if (std::optional<ApiError> error = parse_limit(query_value(request.query, "limit"), limit)) {
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
    start = std::find_if(ordered.begin(), ordered.end(),
                         [after](const Task *task) { return task->id == after; });
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
  gint64 now_us = g_get_monotonic_time();
  for (auto task = start; task != start + std::min(limit, available); ++task) {
    page.push_back((*task)->view_at(now_us));
  }
  respond_json(request.message, SOUP_STATUS_OK,
               dialect_.video_list_json(page, available > limit).get());
}

void VideosEndpoint::remove(ApiRequest &request, const std::string &video_id) {
  Task *task = find_or_404(request, video_id);
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
  respond_json(request.message, SOUP_STATUS_OK, dialect_.deleted_json(video_id).get());
}

void VideosEndpoint::download(ApiRequest &request, const std::string &video_id) {
  const char *variant_name = query_value(request.query, "variant");
  const ContentVariant *variant = &kVariants[0];
  if (variant_name) {
    variant = std::find_if(std::begin(kVariants), std::end(kVariants),
                           [variant_name](const ContentVariant &candidate) {
                             return g_strcmp0(candidate.name, variant_name) == 0;
                           });
    if (variant == std::end(kVariants)) {
      send_error(request, ApiError::invalid_value("variant", variant_name,
                                                  {"video", "thumbnail", "spritesheet"}));
      return;
    }
  }
  Task *task = find_or_404(request, video_id);
  if (!task) {
    return;
  }
  VideoView view = task->view_at(g_get_monotonic_time());
  if (view.status != TaskStatus::kCompleted) {
    send_error(request, ApiError::video_not_ready(video_id, task_status_name(view.status)));
    return;
  }
  if (view.content_expired) {
    send_error(request, ApiError::video_expired(video_id));
    return;
  }
  g_autoptr(GError) error = nullptr;
  if (!send_file(request.message, task->files.*(variant->file), variant->content_type,
                 video_id + variant->extension, &error)) {
    ApiError read_error =
        ApiError::invalid_request(std::string("The content could not be read: ") + error->message,
                                  std::nullopt, std::string("internal_error"));
    read_error.http_status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
    read_error.type = "server_error";
    send_error(request, read_error);
  }
}

void VideosEndpoint::remix(ApiRequest &request, const std::string &video_id) {
  Task *source = find_or_404(request, video_id);
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
  auto task = std::make_unique<Task>();
  if (!error) {
    error = clip_for(*prompt, std::to_string(source->clip.total_seconds()), source->size,
                     config_.layout, task->clip);
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  task->model = source->model;
  task->prompt = *prompt;
  task->size = source->size;
  task->remixed_from_video_id = source->id;
  send_video(request, start(std::move(task)));
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
  Task *source = find_or_404(request, *params.video_id);
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
  ClipSpec appended;
  if (!error) {
    error = clip_for(*params.prompt, *params.seconds, source->size, config_.layout, appended);
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
  send_video(request, start(std::move(task)));
}
