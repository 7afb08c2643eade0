/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "server_dialect.h"

#include "job_json.h"
#include "json_text.h"
#include "openrouter_request.h"
#include "status_words.h"
#include "task_json.h"
#include "video_json.h"

namespace {

constexpr glong kMaxPromptLength = 32000;

// new-api rewrites the message of every 429 it answers (controller/relay.go, respondTaskError).
constexpr char kNewApiSaturated[] = "当前分组上游负载已饱和，请稍后再试";

const std::vector<std::string> kSeconds = {"4", "8", "12", "16", "20"};
const std::vector<std::string> kSizes = {"720x1280", "1280x720", "1024x1792", "1792x1024"};
const std::vector<std::string> kProSizes = {"720x1280",  "1280x720",  "1024x1792",
                                            "1792x1024", "1920x1080", "1080x1920"};

bool is_one_of(const std::string &value, const std::vector<std::string> &allowed) {
  for (const std::string &candidate : allowed) {
    if (value == candidate) {
      return true;
    }
  }
  return false;
}

// sora-2 and sora-2-pro, and their dated snapshots such as sora-2-2025-10-06.
bool is_sora_model(const std::string &model) {
  return g_regex_match_simple("^sora-2(-pro)?(-[0-9]{4}-[0-9]{2}-[0-9]{2})?$", model.c_str(),
                              G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT);
}

// OpenAI rejects an uploaded reference image whose size differs from the requested one.
std::optional<ApiError> check_reference_size(const CreateVideoRequest &request) {
  JsonObject *reference =
      request.input_reference && JSON_NODE_HOLDS_OBJECT(request.input_reference.get())
          ? json_node_get_object(request.input_reference.get())
          : nullptr;
  if (!reference || !json_object_has_member(reference, "width")) {
    return std::nullopt;
  }
  std::string pixels = std::to_string(json_object_get_int_member(reference, "width")) + "x" +
                       std::to_string(json_object_get_int_member(reference, "height"));
  if (pixels == *request.size) {
    return std::nullopt;
  }
  return ApiError::invalid_request(
      "Inpaint image must match the requested width and height "
      "(the image is " +
          pixels + ", the requested size " + *request.size + ").",
      "input_reference", "invalid_value");
}

bool is_pro_model(const std::string &model) {
  return g_str_has_prefix(model.c_str(), "sora-2-pro");
}

// The seconds and sizes sora-2 (or sora-2-pro, by name) takes, whatever the model is called.
std::optional<ApiError> check_sora_lengths_and_sizes(const CreateVideoRequest &request) {
  if (!is_one_of(*request.seconds, kSeconds)) {
    return ApiError::invalid_value("seconds", *request.seconds, kSeconds);
  }
  const std::vector<std::string> &sizes = is_pro_model(*request.model) ? kProSizes : kSizes;
  if (!is_one_of(*request.size, sizes)) {
    return ApiError::invalid_value("size", *request.size, sizes);
  }
  return check_reference_size(request);
}

std::optional<ApiError> check_sora_parameters(const CreateVideoRequest &request) {
  if (!is_sora_model(*request.model)) {
    return ApiError::invalid_value("model", *request.model, {"sora-2", "sora-2-pro"});
  }
  return check_sora_lengths_and_sizes(request);
}

// {"code": "success", "message": "", "data": ...}, as new-api and other gateways wrap answers.
JsonNodePtr envelope(JsonNodePtr data) {
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_string_member(object, "code", "success");
  json_object_set_string_member(object, "message", "");
  json_object_set_member(object, "data", data.release());
  return json_node_from_object(object);
}

}  // namespace

ParameterTypes ServerDialect::parameter_types() const {
  switch (settings_.models) {
    case ModelCheck::kAny:
      return ParameterTypes::kLenient;
    case ModelCheck::kOpenRouter:
      return ParameterTypes::kOpenRouter;
    default:
      return ParameterTypes::kOpenAi;
  }
}

std::optional<ApiError> ServerDialect::check_create(CreateVideoRequest &request) const {
  if (settings_.models == ModelCheck::kOpenRouter) {
    return check_openrouter_parameters(request);
  }
  request.model = request.model.value_or("sora-2");
  request.seconds = request.seconds.value_or("4");
  request.size = request.size.value_or("720x1280");
  if (std::optional<ApiError> error = check_prompt(request.prompt)) {
    return error;
  }
  // Gateways pass other models' parameters through; the render checks what it needs.
  if (settings_.models == ModelCheck::kAny) {
    return std::nullopt;
  }
  // A deployment has any name its owner gave it, and takes what its model (sora-2) takes.
  if (settings_.models == ModelCheck::kDeployment) {
    return check_sora_lengths_and_sizes(request);
  }
  return check_sora_parameters(request);
}

std::optional<ApiError> ServerDialect::check_prompt(
    const std::optional<std::string> &prompt) const {
  if (!prompt) {
    return ApiError::missing_parameter("prompt");
  }
  glong length = g_utf8_strlen(prompt->c_str(), -1);
  if (length < 1 || length > kMaxPromptLength) {
    return ApiError::string_length("prompt", length, 1, kMaxPromptLength);
  }
  return std::nullopt;
}

std::optional<ApiError> ServerDialect::check_extension_seconds(
    const std::string &, const std::optional<std::string> &seconds) const {
  if (!seconds) {
    return ApiError::missing_parameter("seconds");
  }
  bool sora_lengths =
      settings_.models == ModelCheck::kOpenAi || settings_.models == ModelCheck::kDeployment;
  if (sora_lengths && !is_one_of(*seconds, kSeconds)) {
    return ApiError::invalid_value("seconds", *seconds, kSeconds);
  }
  return std::nullopt;
}

JsonNodePtr ServerDialect::created_json(const VideoView &video) const {
  switch (settings_.create_shape) {
    case AnswerShape::kEnvelope:
      return envelope(video_json(video, settings_));
    case AnswerShape::kTaskId: {
      g_autoptr(JsonObject) object = json_object_new();
      json_set_video_id(object, "task_id", video.id, settings_.id_style);
      return json_node_from_object(object);
    }
    case AnswerShape::kJob:
      return job_json(video, settings_);
    default:
      break;
  }
  return video_json(video, settings_);
}

JsonNodePtr ServerDialect::retrieved_json(const VideoView &video) const {
  switch (settings_.retrieve_shape) {
    case AnswerShape::kEnvelope:
      return envelope(video_json(video, settings_));
    case AnswerShape::kJob:
      return job_json(video, settings_);
    case AnswerShape::kTask:
    case AnswerShape::kTaskBare:
      return task_json(video, settings_, settings_.retrieve_shape == AnswerShape::kTask);
    default:
      break;
  }
  return video_json(video, settings_);
}

JsonNodePtr ServerDialect::video_list_json(const std::vector<VideoView> &videos,
                                           bool has_more) const {
  g_autoptr(JsonArray) data = json_array_new();
  for (const VideoView &video : videos) {
    json_array_add_element(data, video_json(video, settings_).release());
  }
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_string_member(object, "object", "list");
  json_object_set_array_member(object, "data", json_array_ref(data));
  if (videos.empty()) {
    json_object_set_null_member(object, "first_id");
    json_object_set_null_member(object, "last_id");
  } else {
    json_set_video_id(object, "first_id", videos.front().id, settings_.id_style);
    json_set_video_id(object, "last_id", videos.back().id, settings_.id_style);
  }
  json_object_set_boolean_member(object, "has_more", has_more);
  return json_node_from_object(object);
}

JsonNodePtr ServerDialect::deleted_json(const std::string &video_id) const {
  g_autoptr(JsonObject) object = json_object_new();
  json_set_video_id(object, "id", video_id, settings_.id_style);
  json_object_set_string_member(object, "object", "video.deleted");
  json_object_set_boolean_member(object, "deleted", TRUE);
  return json_node_from_object(object);
}

JsonNodePtr ServerDialect::error_json(const ApiError &given) const {
  ApiError error = given;
  if (error.http_status == 429 && settings_.rate_limit_text == RateLimitText::kNewApiZh) {
    error.message = kNewApiSaturated;
  }
  g_autoptr(JsonObject) object = json_object_new();
  g_autoptr(JsonObject) details = json_object_new();
  std::string status = std::to_string(error.http_status);
  switch (error.shape.value_or(settings_.error_shape)) {
    case ErrorShape::kGoogle:
      if (error.http_status == 429) {
        error.message = "Resource has been exhausted (e.g. check quota).";
      }
      json_object_set_int_member(details, "code", error.http_status);
      json_object_set_string_member(details, "message", error.message.c_str());
      json_object_set_string_member(details, "status", google_status_name(error).c_str());
      break;
    case ErrorShape::kFal:
      json_object_set_string_member(object, "detail", error.message.c_str());
      return json_node_from_object(object);
    case ErrorShape::kReplicate:
      if (error.http_status == 429) {
        error.message = "Request was throttled. Expected available in 1 second.";
      }
      json_object_set_string_member(object, "title", replicate_title(error.http_status));
      json_object_set_string_member(object, "detail", error.message.c_str());
      json_object_set_int_member(object, "status", error.http_status);
      return json_node_from_object(object);
    case ErrorShape::kEnvelope:
      json_object_set_string_member(object, "code", error.code.value_or(error.type).c_str());
      json_object_set_string_member(object, "message", error.message.c_str());
      json_object_set_null_member(object, "data");
      return json_node_from_object(object);
    case ErrorShape::kOpenRouter:
      json_object_set_int_member(details, "code", error.http_status);
      json_object_set_string_member(details, "message", error.message.c_str());
      json_object_set_object_member(details, "metadata", json_object_new());
      break;
    case ErrorShape::kLitellm:
      // LiteLLM's ProxyException: param "None" when there is none, the HTTP status as text.
      json_object_set_string_member(details, "message", error.message.c_str());
      json_object_set_string_member(details, "type", error.type.c_str());
      json_object_set_string_member(details, "param", error.param.value_or("None").c_str());
      json_object_set_string_member(details, "code", status.c_str());
      break;
    case ErrorShape::kCodeMessage:
      json_object_set_string_member(details, "code", status.c_str());
      json_object_set_string_member(details, "message", error.message.c_str());
      break;
    case ErrorShape::kOpenAi:
      json_object_set_string_member(details, "message", error.message.c_str());
      json_object_set_string_member(details, "type", error.type.c_str());
      json_set_optional_string(details, "param", error.param);
      json_set_optional_string(details, "code", error.code);
      break;
  }
  json_object_set_object_member(object, "error", json_object_ref(details));
  return json_node_from_object(object);
}

ApiError ServerDialect::unknown_video(const std::string &video_id) const {
  return settings_.unknown_id == UnknownIdAnswer::k400TaskNotExist
             ? ApiError::task_not_exist()
             : ApiError::video_not_found(video_id);
}

ApiError ServerDialect::not_completed(const VideoView &video) const {
  switch (settings_.content_before_completion) {
    case NotCompletedAnswer::k400NotCompleted:
      return ApiError::task_not_completed();
    case NotCompletedAnswer::k400CurrentStatus: {
      // new-api's video proxy names the task's own (upper-case) status.
      VideoView plain = video;
      plain.status_unknown = false;
      return ApiError::invalid_request("Task is not completed yet, current status: " +
                                           task_status_word(StatusWords::kNewApiTask, plain),
                                       std::nullopt, std::string("task_not_completed"));
    }
    case NotCompletedAnswer::kOpenAi:
      break;
  }
  return ApiError::video_not_ready(video.id, task_status_name(video.status));
}
