/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/replicate_predictions.h"

#include "core/json_limits.h"
#include "core/json_members.h"

namespace sora {

namespace {

const ConventionalInput kReplicateConventions{false, "image"};

/* A name segment of Replicate's: letters, digits, '.', '_', '-'. */
bool plain_segment(const std::string &s) {
  if (s.empty() || s == "." || s == "..")
    return false;
  for (char c : s) {
    if (!g_ascii_isalnum(c) && c != '.' && c != '_' && c != '-')
      return false;
  }
  return true;
}

/* Why `model` cannot be owner/name or owner/name:version, or "". */
std::string model_problem(const std::string &model) {
  std::string path = model.substr(0, model.find(':'));
  size_t slash = path.find('/');
  if (slash == std::string::npos || !plain_segment(path.substr(0, slash)) ||
      !plain_segment(path.substr(slash + 1)))
    return "a Replicate model is OWNER/NAME or OWNER/NAME:VERSION (kwaivgi/kling-v2.1-master)";
  if (model.find(':') != std::string::npos) {
    std::string version = model.substr(model.find(':') + 1);
    for (char c : version) {
      if (!g_ascii_isxdigit(c))
        return "its version \"" + version + "\" is not a version id (hexadecimal)";
    }
    if (version.empty())
      return "its version is empty";
  }
  return "";
}

}  // namespace

std::optional<VideoObject> parse_replicate_prediction(std::string_view body,
                                                      const std::string &id,
                                                      std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *prediction = parse_json_object(parser, body, problem);
  if (!prediction)
    return std::nullopt;
  VideoObject video;
  video.id = id.empty() ? child_string(prediction, "id") : id;
  video.status = child_string(prediction, "status");
  if (video.id.empty() || video.status.empty()) {
    *problem = "it is no prediction (no id or status)";
    return std::nullopt;
  }
  video.model = child_string(prediction, "model");
  if (video.status == "starting") {
    video.state = TaskState::kQueued;
  } else if (video.status == "processing") {
    video.state = TaskState::kRunning;
  } else if (video.status == "succeeded") {
    video.state = TaskState::kCompleted;
    video.progress = 100;
    /* output: a URL, or a list of them. */
    JsonNode *output = json_object_get_member(prediction, "output");
    if (output && JSON_NODE_HOLDS_VALUE(output) &&
        json_node_get_value_type(output) == G_TYPE_STRING) {
      std::string url = http_url_or_empty(json_node_get_string(output));
      if (!url.empty())
        video.download_urls.push_back(url);
    } else if (output && JSON_NODE_HOLDS_ARRAY(output)) {
      JsonArray *list = json_node_get_array(output);
      for (guint i = 0; i < json_array_get_length(list) && i < 16; i++) {
        JsonNode *item = json_array_get_element(list, i);
        if (JSON_NODE_HOLDS_VALUE(item) && json_node_get_value_type(item) == G_TYPE_STRING) {
          std::string url = http_url_or_empty(json_node_get_string(item));
          if (!url.empty())
            video.download_urls.push_back(url);
        }
      }
    }
    /* Outputs are deleted after an hour: then data_removed, output null. */
    if (video.download_urls.empty()) {
      video.state = TaskState::kExpired;
      video.error.message = "its output was removed (Replicate deletes outputs after an hour)";
    }
  } else if (video.status == "failed") {
    video.state = TaskState::kFailed;
    JsonNode *failure = json_object_get_member(prediction, "error");
    if (failure && JSON_NODE_HOLDS_VALUE(failure) &&
        json_node_get_value_type(failure) == G_TYPE_STRING)
      video.error.message = json_node_get_string(failure);
    else if (failure && JSON_NODE_HOLDS_OBJECT(failure))
      video.error.message = child_string(json_node_get_object(failure), "message");
  } else if (video.status == "canceled") {
    video.state = TaskState::kCancelled;
  } else {
    *problem = "its status \"" + video.status + "\" is not Replicate's";
    return std::nullopt;
  }
  return video;
}

std::optional<VideoPage> parse_replicate_page(std::string_view body, std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *root = parse_json_object(parser, body, problem);
  if (!root)
    return std::nullopt;
  JsonArray *results = child_array(root, "results");
  if (!results) {
    *problem = "it has no results";
    return std::nullopt;
  }
  VideoPage page;
  for (guint i = 0; i < json_array_get_length(results) && i < 1000; i++) {
    JsonNode *item = json_array_get_element(results, i);
    if (!JSON_NODE_HOLDS_OBJECT(item))
      continue;
    g_autofree char *text = json_to_string(item, FALSE);
    std::string why;
    std::optional<VideoObject> video = parse_replicate_prediction(text, "", &why);
    if (!video)
      continue;
    JsonObject *prediction = json_node_get_object(item);
    video->prompt = child_string(child_object(prediction, "input"), "prompt");
    g_autoptr(GDateTime) created =
        g_date_time_new_from_iso8601(child_string(prediction, "created_at").c_str(), nullptr);
    if (created)
      video->created_at = g_date_time_to_unix(created);
    page.videos.push_back(std::move(*video));
  }
  page.last_id = http_url_or_empty(child_string(root, "next"));
  page.has_more = !page.last_id.empty();
  return page;
}

std::string ReplicatePredictions::model_path() const {
  const std::string &model = settings_.request.model;
  return model.substr(0, model.find(':'));
}

std::string ReplicatePredictions::version() const {
  const std::string &model = settings_.request.model;
  size_t colon = model.find(':');
  return colon == std::string::npos ? "" : model.substr(colon + 1);
}

std::optional<HttpRequest> ReplicatePredictions::schema_request() const {
  if (!model_problem(settings_.request.model).empty())
    return std::nullopt;
  HttpRequest request;
  request.url = settings_.connection.base_url + "/models/" + model_path();
  if (!version().empty())
    request.url += "/versions/" + version();
  return request;
}

std::optional<InputSchema> ReplicatePredictions::read_schema(const HttpResponse &response,
                                                             std::string *problem) const {
  std::optional<InputSchema> schema = parse_replicate_model(response.text(), problem);
  if (schema)
    schema->source = "the openapi_schema of " + settings_.request.model;
  return schema;
}

std::optional<SettingsProblem> ReplicatePredictions::check() const {
  std::string why = model_problem(settings_.request.model);
  if (!why.empty())
    return SettingsProblem{"model", "model=\"" + settings_.request.model +
                                        "\" cannot be a Replicate model: " + why + "."};
  if (settings_.variant != "video")
    return SettingsProblem{"variant", "Replicate makes no " + settings_.variant +
                                          ": only the video exists. No request was sent."};
  SettingsProblem problem;
  if (!map_input(settings_.request, settings_.image, schema_ ? &*schema_ : nullptr,
                 kReplicateConventions, &problem))
    return problem;
  return std::nullopt;
}

HttpRequest ReplicatePredictions::create_request() {
  SettingsProblem problem;
  std::string input = map_input(settings_.request, settings_.image,
                                schema_ ? &*schema_ : nullptr, kReplicateConventions, &problem)
                          .value_or("{}");
  HttpRequest request;
  request.method = "POST";
  std::string body;
  if (version().empty()) {
    request.url = settings_.connection.base_url + "/models/" + model_path() + "/predictions";
    body = "{\"input\":" + input + "}";
  } else {
    request.url = settings_.connection.base_url + "/predictions";
    body = "{\"version\":\"" + version() + "\",\"input\":" + input + "}";
  }
  request.body.content_type = "application/json";
  request.body.bytes = bytes_from_string(std::move(body));
  return request;
}

std::optional<TaskHandle> ReplicatePredictions::read_created(const HttpResponse &response,
                                                             VideoObject *video,
                                                             std::string *problem) {
  std::optional<VideoObject> prediction = parse_replicate_prediction(response.text(), "", problem);
  if (!prediction)
    return std::nullopt;
  std::optional<TaskHandle> task = handle_for_id(prediction->id, problem);
  if (!task)
    return std::nullopt;
  /* urls.get and urls.cancel as the server gave them. */
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (load_json_bounded(parser, response.text(), nullptr)) {
    JsonObject *urls = child_object(json_node_get_object(json_parser_get_root(parser)), "urls");
    std::string get = http_url_or_empty(child_string(urls, "get"));
    std::string cancel = http_url_or_empty(child_string(urls, "cancel"));
    if (!get.empty())
      task->status_url = get;
    if (!cancel.empty())
      task->cancel_url = cancel;
  }
  *video = std::move(*prediction);
  return task;
}

std::optional<TaskHandle> ReplicatePredictions::handle_for_id(const std::string &id,
                                                              std::string *problem) const {
  if (id.empty() || id.size() > 128) {
    *problem = "it is not a prediction id";
    return std::nullopt;
  }
  for (char c : id) {
    if (!g_ascii_isalnum(c)) {
      *problem = "it holds '" + std::string(1, c) + "': a prediction id is letters and digits";
      return std::nullopt;
    }
  }
  TaskHandle task;
  task.id = id;
  task.status_url = settings_.connection.base_url + "/predictions/" + id;
  task.cancel_url = task.status_url + "/cancel";
  return task;
}

HttpRequest ReplicatePredictions::status_request(const TaskHandle &task) const {
  HttpRequest request;
  request.url = task.status_url;
  return request;
}

std::optional<VideoObject> ReplicatePredictions::read_status(const HttpResponse &response,
                                                             const TaskHandle &task,
                                                             std::string *problem) {
  return parse_replicate_prediction(response.text(), task.id, problem);
}

std::vector<std::string> ReplicatePredictions::download_sources(const TaskHandle &,
                                                                const VideoObject &video) const {
  return video.download_urls;
}

/* The first page, or the one the server's "next" named (on its own
 * origin only: the key goes nowhere else). */
std::optional<HttpRequest> ReplicatePredictions::list_request(const std::string &after) const {
  HttpRequest request;
  std::string next = same_origin_url(settings_.connection.base_url, after);
  request.url = !next.empty() ? next : settings_.connection.base_url + "/predictions";
  return request;
}

std::optional<VideoPage> ReplicatePredictions::read_list(const HttpResponse &response,
                                                         std::string *problem) const {
  return parse_replicate_page(response.text(), problem);
}

std::optional<HttpRequest> ReplicatePredictions::cancel_request(const TaskHandle &task) const {
  HttpRequest request;
  request.method = "POST";
  request.url = task.cancel_url;
  return request;
}

}  // namespace sora
