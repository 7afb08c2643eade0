/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "replicate_endpoint.h"

#include "json_response.h"
#include "json_text.h"
#include "model_schemas.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace {

constexpr guint kWaitTickMs = 50;
constexpr gint64 kLongestWaitS = 60;  // Prefer: wait holds at most this long
constexpr size_t kPageSize = 100;
constexpr char kSensitive[] =
    "The input or output was flagged as sensitive. Please try again with different inputs. "
    "(E005)";

bool is_finished(TaskStatus status) {
  return status == TaskStatus::kCompleted || status == TaskStatus::kFailed;
}

// The seconds a `Prefer: wait` or `Prefer: wait=N` header asks for; nullopt without one.
std::optional<gint64> preferred_wait(SoupServerMessage *message) {
  const char *prefer =
      soup_message_headers_get_one(soup_server_message_get_request_headers(message), "Prefer");
  if (!prefer) {
    return std::nullopt;
  }
  g_autofree char *text = g_strstrip(g_strdup(prefer));
  if (g_strcmp0(text, "wait") == 0) {
    return kLongestWaitS;
  }
  if (g_str_has_prefix(text, "wait=")) {
    gint64 seconds = g_ascii_strtoll(text + 5, nullptr, 10);
    return std::clamp<gint64>(seconds, 1, kLongestWaitS);
  }
  return std::nullopt;
}

// Replicate's 422: the problem, a detail line per invalid field and the list of them.
JsonNodePtr validation_problem(const std::vector<InputProblem> &problems) {
  g_autoptr(JsonObject) object = json_object_new();
  std::string detail;
  JsonArray *fields = json_array_new();
  for (const InputProblem &problem : problems) {
    std::string field = "input." + problem.field;
    detail += "- " + field + ": " + problem.json_schema + "\n";
    JsonObject *item = json_object_new();
    const char *type = problem.kind == "missing"              ? "required"
                       : problem.kind == "literal_error"      ? "enum"
                       : problem.kind == "greater_than_equal" ? "number_gte"
                       : problem.kind == "less_than_equal"    ? "number_lte"
                                                              : "invalid_type";
    json_object_set_string_member(item, "type", type);
    json_object_set_string_member(item, "field", field.c_str());
    json_object_set_string_member(item, "description", problem.json_schema.c_str());
    json_array_add_object_element(fields, item);
  }
  json_object_set_string_member(object, "title", "Input validation failed");
  json_object_set_string_member(object, "detail", detail.c_str());
  json_object_set_int_member(object, "status", 422);
  json_object_set_array_member(object, "invalid_fields", fields);
  return json_node_from_object(object);
}

ApiError not_found() {
  return ApiError::with_status(404, "The requested resource could not be found.");
}

// The model a /v1/predictions create names in `version`: a version id, "owner/name:id" or
// "owner/name".
const ModelSchema *model_of_version(const std::string &version) {
  size_t colon = version.find(':');
  if (colon != std::string::npos) {
    const ModelSchema *schema = find_replicate_model(version.substr(0, colon));
    return schema && replicate_version_id(*schema) == version.substr(colon + 1) ? schema : nullptr;
  }
  return version.find('/') != std::string::npos ? find_replicate_model(version)
                                                : find_replicate_version(version);
}

double sixteenths(gint64 us) {
  return std::round(static_cast<double>(us) * 16 / G_USEC_PER_SEC) / 16;
}

}  // namespace

// A create held open by `Prefer: wait`. The client may leave first: then the message is done
// with and is not answered.
struct ReplicateEndpoint::Waiter {
  Waiter(ReplicateEndpoint *owner, SoupServerMessage *held, std::string id, gint64 deadline)
      : endpoint(owner), message(ref_object(held)), task_id(std::move(id)), deadline_us(deadline) {
    g_signal_connect(held, "finished", G_CALLBACK(on_gone), this);
    g_signal_connect(held, "disconnected", G_CALLBACK(on_gone), this);
  }
  ~Waiter() { g_signal_handlers_disconnect_by_data(message.get(), this); }
  Waiter(const Waiter &) = delete;
  Waiter &operator=(const Waiter &) = delete;

  static void on_gone(SoupServerMessage *, gpointer self) {
    static_cast<Waiter *>(self)->gone = true;
  }

  ReplicateEndpoint *endpoint;
  GObjectPtr<SoupServerMessage> message;
  std::string task_id;
  gint64 deadline_us;
  bool gone = false;
};

void ReplicateEndpoint::handle(ApiRequest &request) {
  const RouteMatch &route = *request.route;
  switch (route.route) {
    case ApiRoute::kCreate:
      create(request, route.model);
      return;
    case ApiRoute::kRetrieve:
      retrieve(request, route.video_id);
      return;
    case ApiRoute::kCancel:
      cancel(request, route.video_id);
      return;
    case ApiRoute::kList:
      list(request);
      return;
    case ApiRoute::kSchema:
      model(request, route.model, route.video_id);
      return;
    default:
      send_error(request, not_found());
      return;
  }
}

JsonNodePtr ReplicateEndpoint::prediction_json(const Task &task) const {
  VideoView view = view_of(task);
  const ModelSchema *schema = find_replicate_model(task.model);
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_string_member(object, "id", task.id.c_str());
  json_object_set_string_member(object, "model", task.model.c_str());
  json_object_set_string_member(object, "version",
                                schema ? replicate_version_id(*schema).c_str() : "hidden");
  bool removed = view.content_expired;
  if (task.metadata && !removed) {
    json_object_set_member(object, "input", json_node_copy(task.metadata.get()));
  } else {
    json_object_set_object_member(object, "input", json_object_new());
  }
  bool cancelled = view.error && view.error->code == "cancelled";
  const char *status = view.status == TaskStatus::kQueued       ? "starting"
                       : view.status == TaskStatus::kInProgress ? "processing"
                       : view.status == TaskStatus::kCompleted  ? "succeeded"
                       : cancelled                              ? "canceled"
                                                                : "failed";
  std::string logs;
  if (view.status != TaskStatus::kQueued) {
    logs = "Generating video...\n";
    int steps = view.status == TaskStatus::kInProgress ? view.progress / 25 : 4;
    for (int i = 1; i <= steps; i++) {
      logs += std::to_string(i * 25) + "%\n";
    }
  }
  json_object_set_string_member(object, "logs", logs.c_str());
  if (view.status == TaskStatus::kCompleted && !removed) {
    std::string url = cdn_content_url(task);
    if (schema && schema->output == OutputForm::kUriList) {
      JsonArray *urls = json_array_new();
      json_array_add_string_element(urls, url.c_str());
      json_object_set_array_member(object, "output", urls);
    } else {
      json_object_set_string_member(object, "output", url.c_str());
    }
  } else {
    json_object_set_null_member(object, "output");
  }
  json_object_set_boolean_member(object, "data_removed", removed);
  if (view.error && !cancelled) {
    json_object_set_string_member(
        object, "error",
        view.error->filter_reasons.empty() ? view.error->message.c_str() : kSensitive);
  } else {
    json_object_set_null_member(object, "error");
  }
  json_object_set_string_member(object, "status", status);
  json_object_set_string_member(object, "created_at", iso8601_time(task.created_wall_us).c_str());
  if (view.started_at) {
    json_object_set_string_member(object, "started_at",
                                  iso8601_time(task.created_wall_us + task.queue_us).c_str());
  }
  if (view.completed_us) {
    gint64 finished_wall_us = task.created_wall_us + (*view.completed_us - task.created_us);
    json_object_set_string_member(object, "completed_at", iso8601_time(finished_wall_us).c_str());
    JsonObject *metrics = json_object_new();
    json_object_set_double_member(metrics, "predict_time",
                                  sixteenths(*view.completed_us - task.created_us - task.queue_us));
    json_object_set_double_member(metrics, "total_time",
                                  sixteenths(*view.completed_us - task.created_us));
    json_object_set_object_member(object, "metrics", metrics);
  }
  JsonObject *urls = json_object_new();
  std::string get = api_root_ + "/v1/predictions/" + task.id;
  json_object_set_string_member(urls, "get", get.c_str());
  json_object_set_string_member(urls, "cancel", (get + "/cancel").c_str());
  json_object_set_string_member(urls, "web", ("https://replicate.com/p/" + task.id).c_str());
  json_object_set_object_member(object, "urls", urls);
  return json_node_from_object(object);
}

void ReplicateEndpoint::create(ApiRequest &request, const std::string &model_path) {
  JsonNode *body = request.body.json.get();
  JsonObject *fields = request.body.kind == BodyKind::kJson && JSON_NODE_HOLDS_OBJECT(body)
                           ? json_node_get_object(body)
                           : nullptr;
  const ModelSchema *schema = nullptr;
  if (!model_path.empty()) {
    schema = find_replicate_model(model_path);
  } else {
    const char *version =
        fields ? json_object_get_string_member_with_default(fields, "version", nullptr) : nullptr;
    if (!version) {
      send_error(request, ApiError::with_status(422, "- (root): version is required\n"));
      return;
    }
    schema = model_of_version(version);
    if (!schema) {
      send_error(request, ApiError::with_status(422, "Invalid version or not permitted"));
      return;
    }
  }
  if (!schema) {
    send_error(request, not_found());
    return;
  }
  JsonNode *input = fields ? json_object_get_member(fields, "input") : nullptr;
  if (!input || !JSON_NODE_HOLDS_OBJECT(input)) {
    send_error(request, ApiError::with_status(422, "- (root): input is required\n"));
    return;
  }
  ClipRequest wanted;
  std::vector<InputProblem> problems = check_input(*schema, input, false, wanted);
  if (!problems.empty()) {
    respond_json(request.message.get(), 422, validation_problem(problems).get());
    return;
  }
  NativeClip clip = schema_clip(schema->id, *schema, wanted, input, body);
  Task *task = nullptr;
  if (std::optional<ApiError> error = start(request, std::move(clip), task)) {
    send_error(request, *error);
    return;
  }
  if (std::optional<gint64> seconds = preferred_wait(request.message.get())) {
    answer_when_done(request, *task, *seconds);
    return;
  }
  respond_json(request.message.get(), SOUP_STATUS_CREATED, prediction_json(*task).get());
}

// The status is set now (the request log records it); the body once the prediction finished.
void ReplicateEndpoint::answer_when_done(ApiRequest &request, const Task &task, gint64 seconds) {
  soup_server_message_set_status(request.message.get(), SOUP_STATUS_CREATED, nullptr);
  soup_server_message_pause(request.message.get());
  auto *waiter = new Waiter(this, request.message.get(), task.id,
                            g_get_monotonic_time() + seconds * G_USEC_PER_SEC);
  g_timeout_add_full(G_PRIORITY_DEFAULT, kWaitTickMs, on_wait_tick, waiter,
                     [](gpointer data) { delete static_cast<Waiter *>(data); });
}

gboolean ReplicateEndpoint::on_wait_tick(gpointer data) {
  auto *waiter = static_cast<Waiter *>(data);
  if (waiter->gone) {
    return G_SOURCE_REMOVE;
  }
  const Task *task = waiter->endpoint->tasks_.find(waiter->task_id);
  bool done = !task || is_finished(waiter->endpoint->view_of(*task).status) ||
              g_get_monotonic_time() >= waiter->deadline_us;
  if (!done) {
    return G_SOURCE_CONTINUE;
  }
  SoupServerMessage *message = waiter->message.get();
  if (task) {
    respond_json(message, SOUP_STATUS_CREATED, waiter->endpoint->prediction_json(*task).get());
  } else {
    respond_json(message, SOUP_STATUS_NOT_FOUND,
                 waiter->endpoint->dialect_.error_json(not_found()).get());
  }
  soup_server_message_unpause(message);
  return G_SOURCE_REMOVE;
}

void ReplicateEndpoint::retrieve(ApiRequest &request, const std::string &id) {
  Task *task = find(request, id);
  if (!task) {
    send_error(request, not_found());
    return;
  }
  task->retrievals++;
  respond_json(request.message.get(), SOUP_STATUS_OK, prediction_json(*task).get());
}

// Replicate answers the prediction, canceled if it was still running.
void ReplicateEndpoint::cancel(ApiRequest &request, const std::string &id) {
  Task *task = find(request, id);
  if (!task) {
    send_error(request, not_found());
    return;
  }
  if (!is_finished(view_of(*task).status)) {
    task->cancelled_us = g_get_monotonic_time();
  }
  respond_json(request.message.get(), SOUP_STATUS_OK, prediction_json(*task).get());
}

// Newest first, a page of 100; `next` carries the cursor of the following page.
void ReplicateEndpoint::list(ApiRequest &request) {
  std::vector<const Task *> tasks = tasks_.in_creation_order();
  std::reverse(tasks.begin(), tasks.end());
  const char *cursor = query_value(request, "cursor");
  size_t start = cursor ? static_cast<size_t>(g_ascii_strtoull(cursor, nullptr, 10)) : 0;
  g_autoptr(JsonObject) page = json_object_new();
  JsonArray *results = json_array_new();
  for (size_t i = start; i < tasks.size() && i < start + kPageSize; i++) {
    json_array_add_element(results, prediction_json(*tasks[i]).release());
  }
  if (start + kPageSize < tasks.size()) {
    std::string next = api_root_ + "/v1/predictions?cursor=" + std::to_string(start + kPageSize);
    json_object_set_string_member(page, "next", next.c_str());
  } else {
    json_object_set_null_member(page, "next");
  }
  json_object_set_null_member(page, "previous");
  json_object_set_array_member(page, "results", results);
  respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(page).get());
}

void ReplicateEndpoint::model(ApiRequest &request, const std::string &id,
                              const std::string &version) {
  const ModelSchema *schema = find_replicate_model(id);
  if (!schema || (!version.empty() && version != replicate_version_id(*schema))) {
    send_error(request, not_found());
    return;
  }
  JsonNodePtr model = replicate_model_json(*schema);
  if (version.empty()) {
    respond_json(request.message.get(), SOUP_STATUS_OK, model.get());
    return;
  }
  JsonObject *latest =
      json_object_get_object_member(json_node_get_object(model.get()), "latest_version");
  respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(latest).get());
}
