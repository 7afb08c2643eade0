/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fal_endpoint.h"

#include "event_stream.h"
#include "json_response.h"
#include "json_text.h"
#include "model_schemas.h"

#include <cmath>

namespace {

// The queue positions a task passes through while queued: 2, 1, then 0.
constexpr int kQueueSteps = 3;

// "fal-ai/kling-video" of "fal-ai/kling-video/v2.1/master/text-to-video".
std::string owner_and_alias(const std::string &app) {
  size_t first = app.find('/');
  size_t second = first == std::string::npos ? first : app.find('/', first + 1);
  return second == std::string::npos ? app : app.substr(0, second);
}

void respond_object(ApiRequest &request, guint status, JsonObject *object) {
  respond_json(request.message.get(), status, json_node_from_object(object).get());
}

// pydantic's validation error list: {"detail": [{"loc": ["body", field], "msg", "type", ...}]}.
JsonObject *validation_error(const std::vector<InputProblem> &problems) {
  JsonArray *detail = json_array_new();
  for (const InputProblem &problem : problems) {
    JsonObject *item = json_object_new();
    JsonArray *loc = json_array_new();
    json_array_add_string_element(loc, "body");
    json_array_add_string_element(loc, problem.field.c_str());
    json_object_set_array_member(item, "loc", loc);
    json_object_set_string_member(item, "msg", problem.message.c_str());
    json_object_set_string_member(item, "type", problem.kind.c_str());
    if (problem.input) {
      json_object_set_member(item, "input", json_node_copy(problem.input.get()));
    }
    if (!problem.expected.empty()) {
      JsonObject *ctx = json_object_new();
      json_object_set_string_member(ctx, "expected", problem.expected.c_str());
      json_object_set_object_member(item, "ctx", ctx);
    }
    json_array_add_object_element(detail, item);
  }
  JsonObject *object = json_object_new();
  json_object_set_array_member(object, "detail", detail);
  return object;
}

// What a failed request's result says: the safety checker's content_policy_violation, or the
// planned failure's code as the error type.
JsonObject *failure_detail(const TaskError &error) {
  bool filtered = !error.filter_reasons.empty();
  JsonObject *item = json_object_new();
  JsonArray *loc = json_array_new();
  json_array_add_string_element(loc, "body");
  if (filtered) {
    json_array_add_string_element(loc, "prompt");
  }
  json_object_set_array_member(item, "loc", loc);
  json_object_set_string_member(item, "msg", error.message.c_str());
  json_object_set_string_member(item, "type",
                                filtered ? "content_policy_violation" : error.code.c_str());
  if (filtered) {
    json_object_set_string_member(item, "url",
                                  "https://docs.fal.ai/errors#content_policy_violation");
  }
  JsonArray *detail = json_array_new();
  json_array_add_object_element(detail, item);
  JsonObject *object = json_object_new();
  json_object_set_array_member(object, "detail", detail);
  return object;
}

}  // namespace

void FalEndpoint::handle(ApiRequest &request) {
  const RouteMatch &route = *request.route;
  switch (route.route) {
    case ApiRoute::kCreate:
      create(request, route.model);
      return;
    case ApiRoute::kRetrieve:
      status(request, route.model, route.video_id);
      return;
    case ApiRoute::kStream:
      stream(request, route.model, route.video_id);
      return;
    case ApiRoute::kResult:
      result(request, route.model, route.video_id);
      return;
    case ApiRoute::kCancel:
      cancel(request, route.model, route.video_id);
      return;
    case ApiRoute::kSchema:
      schema(request);
      return;
    default:
      send_error(request, ApiError::invalid_url(request.method, request.path));
      return;
  }
}

std::string FalEndpoint::request_url(const Task &task) const {
  return api_root_ + "/" + owner_and_alias(task.model) + "/requests/" + task.id;
}

Task *FalEndpoint::find_request(ApiRequest &request, const std::string &app,
                                const std::string &id) {
  Task *task = find(request, id);
  if (!task || owner_and_alias(task->model) != app) {
    send_error(request, ApiError::with_status(404, "Request not found: " + id));
    return nullptr;
  }
  return task;
}

JsonNodePtr FalEndpoint::status_json(const Task &task, bool with_logs) const {
  VideoView view = view_of(task);
  g_autoptr(JsonObject) object = json_object_new();
  const char *word = view.status == TaskStatus::kQueued       ? "IN_QUEUE"
                     : view.status == TaskStatus::kInProgress ? "IN_PROGRESS"
                                                              : "COMPLETED";
  json_object_set_string_member(object, "status", word);
  json_object_set_string_member(object, "request_id", task.id.c_str());
  std::string url = request_url(task);
  json_object_set_string_member(object, "response_url", url.c_str());
  json_object_set_string_member(object, "status_url", (url + "/status").c_str());
  json_object_set_string_member(object, "cancel_url", (url + "/cancel").c_str());
  if (view.status == TaskStatus::kQueued) {
    int position = kQueueSteps - 1 - static_cast<int>(view.queued_fraction * kQueueSteps);
    json_object_set_int_member(object, "queue_position", std::max(0, position));
    return json_node_from_object(object);
  }
  if (with_logs) {
    JsonArray *logs = json_array_new();
    int lines = view.status == TaskStatus::kInProgress ? 1 + view.progress / 25 : 5;
    for (int i = 0; i < lines; i++) {
      JsonObject *line = json_object_new();
      std::string message = i == 0 ? "Generating video..." : std::to_string(i * 25) + "% done";
      json_object_set_string_member(line, "message", message.c_str());
      json_object_set_string_member(line, "level", "INFO");
      json_object_set_string_member(line, "source", "user");
      json_object_set_string_member(line, "timestamp",
                                    iso8601_time(task.created_wall_us + task.queue_us).c_str());
      json_array_add_object_element(logs, line);
    }
    json_object_set_array_member(object, "logs", logs);
  } else {
    json_object_set_null_member(object, "logs");
  }
  if (view.status == TaskStatus::kCompleted || view.status == TaskStatus::kFailed) {
    JsonObject *metrics = json_object_new();
    // In sixteenths of a second, which JSON prints exactly.
    json_object_set_double_member(
        metrics, "inference_time",
        std::round(static_cast<double>(task.generation_us) * 16 / G_USEC_PER_SEC) / 16);
    json_object_set_object_member(object, "metrics", metrics);
  }
  if (view.error) {
    json_object_set_string_member(object, "error", view.error->message.c_str());
    json_object_set_string_member(
        object, "error_type",
        view.error->filter_reasons.empty() ? view.error->code.c_str() : "content_policy_violation");
  }
  return json_node_from_object(object);
}

void FalEndpoint::create(ApiRequest &request, const std::string &app) {
  const ModelSchema *schema = find_fal_app(app);
  if (!schema) {
    send_error(request, ApiError::with_status(
                            404, "Application '" + app +
                                     "' not found. This emulator serves: " + fal_app_ids() + "."));
    return;
  }
  JsonNode *input = request.body.json.get();
  if (request.body.kind != BodyKind::kJson || !JSON_NODE_HOLDS_OBJECT(input)) {
    InputProblem problem;
    problem.field = "body";
    problem.kind = "model_attributes_type";
    problem.message = "Input should be a valid dictionary or object to extract fields from";
    std::vector<InputProblem> problems;
    problems.push_back(std::move(problem));
    respond_object(request, 422, validation_error(problems));
    return;
  }
  ClipRequest wanted;
  std::vector<InputProblem> problems = check_input(*schema, input, true, wanted);
  if (!problems.empty()) {
    respond_object(request, 422, validation_error(problems));
    return;
  }
  NativeClip clip = schema_clip(app, *schema, wanted, input, input);
  Task *task = nullptr;
  if (std::optional<ApiError> error = start(request, std::move(clip), task)) {
    send_error(request, *error);
    return;
  }
  respond_json(request.message.get(), SOUP_STATUS_OK, status_json(*task, false).get());
}

void FalEndpoint::status(ApiRequest &request, const std::string &app, const std::string &id) {
  if (Task *task = find_request(request, app, id)) {
    task->retrievals++;
    bool logs = g_strcmp0(query_value(request, "logs"), "1") == 0;
    respond_json(request.message.get(), SOUP_STATUS_OK, status_json(*task, logs).get());
  }
}

// Each event is the status object whenever it changed; the last one says COMPLETED.
void FalEndpoint::stream(ApiRequest &request, const std::string &app, const std::string &id) {
  Task *task = find_request(request, app, id);
  if (!task) {
    return;
  }
  bool logs = g_strcmp0(query_value(request, "logs"), "1") == 0;
  std::string task_id = task->id;
  auto previous = std::make_shared<std::string>();
  start_event_stream(
      request.message.get(),
      [this, task_id, logs, previous]() {
        StreamEvent event;
        const Task *current = tasks_.find(task_id);
        if (!current) {
          event.last = true;
          return event;
        }
        JsonNodePtr status = status_json(*current, logs);
        std::string text = json_to_text(status.get());
        if (text != *previous) {
          *previous = text;
          event.data = text;
        }
        event.last =
            g_strcmp0(json_object_get_string_member(json_node_get_object(status.get()), "status"),
                      "COMPLETED") == 0;
        return event;
      },
      config_.stream_keepalive_ms, request.pacing.cut_after);
}

void FalEndpoint::result(ApiRequest &request, const std::string &app, const std::string &id) {
  Task *task = find_request(request, app, id);
  if (!task) {
    return;
  }
  VideoView view = view_of(*task);
  if (view.status == TaskStatus::kQueued || view.status == TaskStatus::kInProgress) {
    send_error(request, ApiError::with_status(400, "Request is still in progress"));
    return;
  }
  if (view.error && view.error->code == "cancelled") {
    send_error(request, ApiError::with_status(400, "Request was cancelled"));
    return;
  }
  if (view.error) {
    // fal names the error's category in a header too.
    const char *type =
        view.error->filter_reasons.empty() ? view.error->code.c_str() : "content_policy_violation";
    soup_message_headers_replace(soup_server_message_get_response_headers(request.message.get()),
                                 "X-Fal-Error-Type", type);
    respond_object(request, 422, failure_detail(*view.error));
    return;
  }
  if (view.content_expired) {
    send_error(request, ApiError::with_status(404, "Request result has expired: " + id));
    return;
  }
  g_autoptr(JsonObject) answer = json_object_new();
  JsonObject *video = json_object_new();
  json_object_set_string_member(video, "url", cdn_content_url(*task).c_str());
  json_object_set_string_member(video, "content_type", "video/mp4");
  json_object_set_string_member(video, "file_name", "output.mp4");
  if (task->render_state == RenderState::kSucceeded) {
    g_autoptr(GFile) file = g_file_new_for_path(task->files.video_path.c_str());
    g_autoptr(GFileInfo) info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                  G_FILE_QUERY_INFO_NONE, nullptr, nullptr);
    if (info) {
      json_object_set_int_member(video, "file_size", g_file_info_get_size(info));
    }
  }
  json_object_set_object_member(answer, "video", video);
  json_object_set_int_member(answer, "seed", 42);
  respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(answer).get());
}

// A queued or running request is cancelled (fal stops it); a finished one cannot be.
void FalEndpoint::cancel(ApiRequest &request, const std::string &app, const std::string &id) {
  Task *task = find_request(request, app, id);
  if (!task) {
    return;
  }
  VideoView view = view_of(*task);
  g_autoptr(JsonObject) answer = json_object_new();
  if (view.status == TaskStatus::kCompleted || view.status == TaskStatus::kFailed) {
    json_object_set_string_member(answer, "status", "ALREADY_COMPLETED");
    respond_json(request.message.get(), SOUP_STATUS_BAD_REQUEST,
                 json_node_from_object(answer).get());
    return;
  }
  task->cancelled_us = g_get_monotonic_time();
  json_object_set_string_member(answer, "status", "CANCELLATION_REQUESTED");
  respond_json(request.message.get(), SOUP_STATUS_ACCEPTED, json_node_from_object(answer).get());
}

void FalEndpoint::schema(ApiRequest &request) {
  const char *app = query_value(request, "endpoint_id");
  const ModelSchema *schema = app ? find_fal_app(app) : nullptr;
  if (!schema) {
    send_error(request, ApiError::with_status(
                            404, std::string("Endpoint '") + (app ? app : "") +
                                     "' not found. This emulator serves: " + fal_app_ids() + "."));
    return;
  }
  respond_json(request.message.get(), SOUP_STATUS_OK,
               fal_openapi_document(*schema, api_root_).get());
}
