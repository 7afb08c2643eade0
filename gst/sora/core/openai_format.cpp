/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/openai_format.h"

#include "core/openrouter_models.h"

#include "core/debug.h"
#include "core/task_id.h"

#include <cstring>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

/* A server that wants JSON refuses a multipart body with 415, or with 400
 * and words about the body's type ("Invalid JSON", "Content-Type must be
 * application/json", "expected multipart"...). A 400 about a field's value
 * is not one of those: resending it as JSON would only fail again. */
bool refuses_multipart(const HttpResponse &response) {
  if (response.status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
    return true;
  if (response.status != SOUP_STATUS_BAD_REQUEST)
    return false;
  ApiError api = parse_api_error(response.text());
  g_autofree char *text =
      g_ascii_strdown((api.message + " " + api.code + " " + api.type).c_str(), -1);
  for (const char *word : {"json", "content-type", "content type", "media type", "multipart",
                           "form-data", "form data"}) {
    if (strstr(text, word))
      return true;
  }
  return false;
}

}  // namespace

OpenAiFormat::OpenAiFormat(ProviderSettings settings) : Provider(std::move(settings)) {
  const Connection &connection = settings_.connection;
  body_ = remembered_body_encoding(connection.base_url).value_or(connection.profile().body);
  if (connection.path_style != PathStyle::kAuto) {
    path_style_ = connection.path_style;
    path_style_known_ = true;
  } else if (std::optional<PathStyle> known = remembered_path_style(connection.base_url)) {
    path_style_ = *known;
    path_style_known_ = true;
    path_style_remembered_ = true;
  }
}

std::optional<HttpRequest> OpenAiFormat::schema_request() const {
  const VideoRequest &wanted = settings_.request;
  if (settings_.connection.gateway != Gateway::kOpenRouter || !wanted.validate ||
      !wanted.remix_of.empty() || !wanted.extend_of.empty())
    return std::nullopt;
  HttpRequest request;
  request.url = settings_.connection.base_url + "/" + settings_.connection.profile().models_path;
  return request;
}

std::optional<InputSchema> OpenAiFormat::read_schema(const HttpResponse &response,
                                                     std::string *problem) const {
  return parse_openrouter_model(response.text(), settings_.request.model, problem);
}

std::optional<SettingsProblem> OpenAiFormat::check() const {
  if (!schema_ || !settings_.request.remix_of.empty() || !settings_.request.extend_of.empty())
    return std::nullopt;
  return check_openrouter_request(settings_.request, *schema_);
}

std::string OpenAiFormat::collection_url() const {
  return settings_.connection.base_url + "/" + path_style_segment(path_style_);
}

/* A new task, a remix of a finished one, or an extension of one. */
HttpRequest OpenAiFormat::create_request() {
  const VideoRequest &wanted = settings_.request;
  HttpRequest request;
  request.method = "POST";
  if (!wanted.remix_of.empty()) {
    request.url = collection_url() + "/" + task_path_segment(wanted.remix_of) + "/remix";
    request.body = build_remix_body(wanted);
  } else if (!wanted.extend_of.empty()) {
    request.url = collection_url() + "/extensions";
    request.body = build_extension_body(wanted);
  } else {
    request.url = collection_url();
    const ReferenceImage *image = settings_.image;
    request.body =
        body_ == BodyEncoding::kJson
            ? build_create_json_body(wanted, image, settings_.connection.profile().json_fields)
            : build_create_body(wanted, image);
  }
  return request;
}

std::optional<TaskHandle> OpenAiFormat::read_created(const HttpResponse &response,
                                                     VideoObject *video, std::string *problem) {
  if (body_switched_)
    remember_body_encoding(settings_.connection.base_url, body_);
  std::optional<VideoObject> answer = parse_video_object(response.text(), problem);
  if (!answer)
    return std::nullopt;
  TaskHandle task;
  task.id = answer->id;
  /* OpenRouter's polling_url, often relative to its origin. */
  task.status_url = same_origin_url(settings_.connection.base_url, answer->polling_url);
  *video = std::move(*answer);
  return task;
}

std::optional<TaskHandle> OpenAiFormat::handle_for_id(const std::string &id,
                                                      std::string *problem) const {
  if (std::optional<std::string> why = task_id_problem(id)) {
    *problem = *why;
    return std::nullopt;
  }
  TaskHandle task;
  task.id = id;
  return task;
}

HttpRequest OpenAiFormat::status_request(const TaskHandle &task) const {
  HttpRequest request;
  request.url = !task.status_url.empty() ? task.status_url
                                         : collection_url() + "/" + task_path_segment(task.id);
  return request;
}

std::optional<VideoObject> OpenAiFormat::read_status(const HttpResponse &response,
                                                     const TaskHandle &task,
                                                     std::string *problem) {
  std::optional<VideoObject> video = parse_video_object(response.text(), problem, task.id);
  /* The URL named the task; an answer that names another is not believed
   * on that point. */
  if (video)
    video->id = task.id;
  return video;
}

/* The links the server gave first, then /content. */
std::vector<std::string> OpenAiFormat::download_sources(const TaskHandle &task,
                                                        const VideoObject &video) const {
  const bool is_video = settings_.variant == "video";
  std::vector<std::string> sources = is_video ? video.download_urls : std::vector<std::string>{};
  const char *query = settings_.connection.profile().content_query;
  std::string url = collection_url() + "/" + task_path_segment(task.id) + "/content";
  if (!query)
    url += "?variant=" + settings_.variant;
  else if (*query)
    url += std::string("?") + query;
  sources.push_back(std::move(url));
  return sources;
}

/* The OpenAI video API has no cancel: a task is deleted once it ended
 * (sora-tasks delete). */
std::optional<HttpRequest> OpenAiFormat::cancel_request(const TaskHandle &) const {
  return std::nullopt;
}

std::optional<HttpRequest> OpenAiFormat::list_request(const std::string &after) const {
  HttpRequest request;
  request.url = collection_url() + "?limit=100&order=desc";
  if (!after.empty()) {
    g_autofree char *escaped = g_uri_escape_string(after.c_str(), nullptr, FALSE);
    request.url += std::string("&after=") + escaped;
  }
  return request;
}

bool OpenAiFormat::ask_differently(const HttpResponse &response, bool create) {
  return try_next_path_style(response) || (create && try_json_body(response));
}

void OpenAiFormat::confirmed() {
  if (!path_style_known_) {
    remember_path_style(settings_.connection.base_url, path_style_);
    path_style_known_ = true;
  }
  path_style_remembered_ = false; /* confirmed by this answer */
}

/* Auto path style: a 404 before any answer confirmed the style means the
 * server keeps its tasks elsewhere. Moves to the next style, if any. */
bool OpenAiFormat::try_next_path_style(const HttpResponse &response) {
  if (response.status != SOUP_STATUS_NOT_FOUND || names_missing_entity(response))
    return false;
  const std::string base = url_without_userinfo(settings_.connection.base_url);
  /* What the process remembered for this base URL no longer holds: the
   * gateway changed its routes, or another server now listens at that
   * address. Probe afresh, from the first style. */
  if (path_style_remembered_) {
    GST_INFO("%s/%s answered 404 although it worked before: probing the path style again",
             base.c_str(), path_style_segment(path_style_));
    forget_path_style(settings_.connection.base_url);
    path_style_remembered_ = false;
    path_style_known_ = false;
    paths_tried_ = "/" + std::string(path_style_segment(path_style_));
    path_style_ = path_style_ == PathStyle::kVideos ? PathStyle::kVideo : PathStyle::kVideos;
    return true;
  }
  if (path_style_known_)
    return false;
  std::optional<PathStyle> next = next_path_style(path_style_);
  if (!next)
    return false;
  GST_INFO("%s/%s answered 404: trying %s/%s", base.c_str(), path_style_segment(path_style_),
           base.c_str(), path_style_segment(*next));
  paths_tried_ +=
      (paths_tried_.empty() ? "" : ", ") + std::string("/") + path_style_segment(path_style_);
  path_style_ = *next;
  return true;
}

/* A multipart create that a JSON-only server refused is sent once more as
 * JSON, and the base URL is remembered to want JSON once that works. */
bool OpenAiFormat::try_json_body(const HttpResponse &response) {
  const VideoRequest &wanted = settings_.request;
  if (body_ != BodyEncoding::kMultipart || body_switched_ ||
      !settings_.connection.profile().json_fallback || !wanted.remix_of.empty() ||
      !wanted.extend_of.empty() || !refuses_multipart(response))
    return false;
  GST_INFO("%s refused a multipart create (HTTP %u): sending it as JSON",
           url_without_userinfo(collection_url()).c_str(), response.status);
  body_ = BodyEncoding::kJson;
  body_switched_ = true;
  return true;
}

}  // namespace sora
