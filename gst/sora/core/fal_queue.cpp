/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/fal_queue.h"

#include "core/json_members.h"
#include "core/task_id.h"

namespace sora {

namespace {

constexpr GUriFlags kHttpUriFlags = static_cast<GUriFlags>(SOUP_HTTP_URI_FLAGS);
/* fal's public schema host; a base URL moves the look-up to its origin. */
constexpr char kFalSchemaOrigin[] = "https://fal.ai";
constexpr char kFalPublicBase[] = "https://queue.fal.run";

/* The clip's URL in a result: {"video": {"url"}}, {"videos": [{"url"}]},
 * or {"video": "url"}. */
std::vector<std::string> result_urls(JsonObject *result) {
  std::vector<std::string> urls;
  std::string url = http_url_or_empty(child_string(child_object(result, "video"), "url"));
  if (url.empty())
    url = http_url_or_empty(child_string(result, "video"));
  if (!url.empty())
    urls.push_back(url);
  JsonNode *videos = json_object_get_member(result, "videos");
  if (videos && JSON_NODE_HOLDS_ARRAY(videos)) {
    JsonArray *list = json_node_get_array(videos);
    for (guint i = 0; i < json_array_get_length(list) && i < 8; i++) {
      JsonNode *item = json_array_get_element(list, i);
      if (JSON_NODE_HOLDS_OBJECT(item)) {
        std::string u = http_url_or_empty(child_string(json_node_get_object(item), "url"));
        if (!u.empty())
          urls.push_back(u);
      }
    }
  }
  return urls;
}

const ConventionalInput kFalConventions{true, "image_url"};

}  // namespace

std::string fal_app_root(const std::string &app) {
  size_t first = app.find('/');
  if (first == std::string::npos)
    return app;
  size_t second = app.find('/', first + 1);
  return second == std::string::npos ? app : app.substr(0, second);
}

std::optional<std::string> fal_app_problem(const std::string &app) {
  g_auto(GStrv) segments = g_strsplit(app.c_str(), "/", 16);
  unsigned count = 0;
  for (char **segment = segments; *segment; segment++, count++) {
    std::string s = *segment;
    if (s.empty() || s == "." || s == "..")
      return "\"" + s + "\" is not a segment an app id can have";
    for (char c : s) {
      if (!g_ascii_isalnum(c) && c != '.' && c != '_' && c != '-')
        return "it holds '" + std::string(1, c) + "'";
    }
  }
  if (count < 2)
    return std::string("an app id is OWNER/APP[/PATH] (fal-ai/kling-video/v2.1/master/text-to-video)");
  return std::nullopt;
}

std::optional<VideoObject> parse_fal_status(std::string_view body, const std::string &id,
                                            std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *status = parse_json_object(parser, body, problem);
  if (!status)
    return std::nullopt;
  VideoObject video;
  video.id = id;
  video.status = child_string(status, "status");
  if (video.status == "IN_QUEUE") {
    video.state = TaskState::kQueued;
  } else if (video.status == "IN_PROGRESS") {
    video.state = TaskState::kRunning;
  } else if (video.status == "COMPLETED") {
    /* A failed request is COMPLETED too (newer answers add "error"): its
     * result says why, with pydantic's detail, so it is read either way;
     * the status's words are kept for a result that says nothing. */
    video.state = TaskState::kCompleted;
    video.error.message = child_string(status, "error");
    video.error.code = child_string(status, "error_type");
  } else {
    *problem = video.status.empty() ? "it has no status"
                                    : "its status \"" + video.status + "\" is not fal's";
    return std::nullopt;
  }
  return video;
}

std::optional<VideoObject> parse_fal_result(const HttpResponse &response,
                                            const VideoObject &status, std::string *problem) {
  VideoObject video;
  video.id = status.id;
  video.status = "COMPLETED";
  video.error = status.error;
  if (!response.is_success()) {
    /* The request failed: the answer says why (422: pydantic's detail). */
    video.state = TaskState::kFailed;
    ApiError said = parse_api_error(response.text());
    if (!said.empty())
      video.error = said;
    if (video.error.empty())
      video.error.message = "HTTP " + std::to_string(response.status);
    else if (video.error.code.empty())
      video.error.code = "HTTP " + std::to_string(response.status);
    return video;
  }
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *result = parse_json_object(parser, response.text(), problem);
  if (!result)
    return std::nullopt;
  video.download_urls = result_urls(result);
  if (video.download_urls.empty()) {
    *problem = "the result names no video URL";
    return std::nullopt;
  }
  video.state = TaskState::kCompleted;
  video.progress = 100;
  return video;
}

std::optional<HttpRequest> FalQueue::schema_request() const {
  const std::string &base = settings_.connection.base_url;
  std::string origin = kFalSchemaOrigin;
  if (base != kFalPublicBase) {
    g_autoptr(GUri) uri = g_uri_parse(base.c_str(), kHttpUriFlags, nullptr);
    if (!uri)
      return std::nullopt;
    g_autoptr(GUri) root =
        g_uri_build(G_URI_FLAGS_NONE, g_uri_get_scheme(uri), nullptr, g_uri_get_host(uri),
                    g_uri_get_port(uri), "", nullptr, nullptr);
    g_autofree char *text = g_uri_to_string(root);
    origin = text;
  }
  g_autofree char *app = g_uri_escape_string(settings_.request.model.c_str(), "/", FALSE);
  HttpRequest request;
  request.url = origin + "/api/openapi/queue/openapi.json?endpoint_id=" + app;
  return request;
}

std::optional<InputSchema> FalQueue::read_schema(const HttpResponse &response,
                                                 std::string *problem) const {
  std::optional<InputSchema> schema = parse_fal_openapi(response.text(), problem);
  if (schema)
    schema->source = "fal's OpenAPI schema of " + settings_.request.model;
  return schema;
}

std::optional<SettingsProblem> FalQueue::check() const {
  if (std::optional<std::string> why = fal_app_problem(settings_.request.model))
    return SettingsProblem{"model", "model=\"" + settings_.request.model +
                                        "\" cannot be a fal app id: " + *why + "."};
  if (settings_.variant != "video")
    return SettingsProblem{"variant", "fal makes no " + settings_.variant +
                                          ": only the video exists. No request was sent."};
  SettingsProblem problem;
  if (!map_input(settings_.request, settings_.image, schema_ ? &*schema_ : nullptr,
                 kFalConventions, &problem))
    return problem;
  return std::nullopt;
}

HttpRequest FalQueue::create_request() {
  HttpRequest request;
  request.method = "POST";
  request.url = settings_.connection.base_url + "/" + settings_.request.model;
  SettingsProblem problem;
  std::optional<std::string> input = map_input(
      settings_.request, settings_.image, schema_ ? &*schema_ : nullptr, kFalConventions, &problem);
  request.body.content_type = "application/json";
  request.body.bytes = bytes_from_string(input.value_or("{}"));
  return request;
}

std::optional<TaskHandle> FalQueue::read_created(const HttpResponse &response, VideoObject *video,
                                                 std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *answer = parse_json_object(parser, response.text(), problem);
  if (!answer)
    return std::nullopt;
  TaskHandle task;
  task.id = child_string(answer, "request_id");
  if (task.id.empty()) {
    *problem = "it has no request_id";
    return std::nullopt;
  }
  task.status_url = http_url_or_empty(child_string(answer, "status_url"));
  task.result_url = http_url_or_empty(child_string(answer, "response_url"));
  task.cancel_url = http_url_or_empty(child_string(answer, "cancel_url"));
  std::string why;
  std::optional<TaskHandle> built = handle_for_id(task.id, &why);
  if (!built) {
    *problem = "its request_id \"" + task.id + "\" " + why;
    return std::nullopt;
  }
  /* The URLs fal gave; where it gave none, fal's documented form. */
  if (task.status_url.empty())
    task.status_url = built->status_url;
  if (task.result_url.empty())
    task.result_url = built->result_url;
  if (task.cancel_url.empty())
    task.cancel_url = built->cancel_url;
  video->id = task.id;
  video->status = "IN_QUEUE";
  video->state = TaskState::kQueued;
  return task;
}

std::optional<TaskHandle> FalQueue::handle_for_id(const std::string &id,
                                                  std::string *problem) const {
  if (std::optional<std::string> why = task_id_problem(id)) {
    *problem = *why;
    return std::nullopt;
  }
  TaskHandle task;
  task.id = id;
  std::string requests = settings_.connection.base_url + "/" +
                         fal_app_root(settings_.request.model) + "/requests/" +
                         task_path_segment(id);
  task.status_url = requests + "/status";
  task.result_url = requests;
  task.cancel_url = requests + "/cancel";
  return task;
}

HttpRequest FalQueue::status_request(const TaskHandle &task) const {
  HttpRequest request;
  request.url = task.status_url;
  return request;
}

std::optional<HttpRequest> FalQueue::stream_request(const TaskHandle &task) const {
  HttpRequest request;
  std::string url = task.status_url;
  size_t query = url.find('?');
  request.url = query == std::string::npos ? url + "/stream"
                                           : url.substr(0, query) + "/stream" + url.substr(query);
  return request;
}

std::optional<VideoObject> FalQueue::read_status(const HttpResponse &response,
                                                 const TaskHandle &task, std::string *problem) {
  return parse_fal_status(response.text(), task.id, problem);
}

std::optional<VideoObject> FalQueue::read_event(const std::string &data, const TaskHandle &task,
                                                std::string *problem) {
  return parse_fal_status(data, task.id, problem);
}

std::optional<HttpRequest> FalQueue::result_request(const TaskHandle &task,
                                                    const VideoObject &video) const {
  if (!video.download_urls.empty() || task.result_url.empty())
    return std::nullopt;
  HttpRequest request;
  request.url = task.result_url;
  return request;
}

std::optional<VideoObject> FalQueue::read_result(const HttpResponse &response,
                                                 const TaskHandle &task,
                                                 const VideoObject &status,
                                                 std::string *problem) {
  VideoObject last = status;
  last.id = task.id;
  return parse_fal_result(response, last, problem);
}

std::vector<std::string> FalQueue::download_sources(const TaskHandle &,
                                                    const VideoObject &video) const {
  return video.download_urls;
}

std::optional<HttpRequest> FalQueue::cancel_request(const TaskHandle &task) const {
  HttpRequest request;
  request.method = "PUT";
  request.url = task.cancel_url;
  return request;
}

}  // namespace sora
