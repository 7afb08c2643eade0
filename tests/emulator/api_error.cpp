/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "api_error.h"

#include <libsoup/soup.h>

#include <algorithm>

namespace {

// OpenAI lists alternatives as "'a' and 'b'" or "'a', 'b', and 'c'".
std::string quoted_list(const std::vector<std::string> &values) {
  std::string list;
  for (size_t i = 0; i < values.size(); i++) {
    if (i > 0) {
      list += values.size() > 2 ? ", " : " ";
    }
    if (i > 0 && i + 1 == values.size()) {
      list += "and ";
    }
    list += "'" + values[i] + "'";
  }
  return list;
}

const char *json_type_phrase(JsonNode *node) {
  if (JSON_NODE_HOLDS_OBJECT(node)) {
    return "an object";
  }
  if (JSON_NODE_HOLDS_ARRAY(node)) {
    return "an array";
  }
  if (JSON_NODE_HOLDS_NULL(node)) {
    return "null";
  }
  switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a decimal";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a string";
  }
}

struct StatusError {
  guint status;
  const char *type;
  const char *code;
  const char *message;
};

const StatusError kStatusErrors[] = {
    {408, "timeout", "request_timeout", "Request timed out."},
    {409, "invalid_request_error", "conflict",
     "The request conflicts with another request in progress; please try again."},
    {410, "invalid_request_error", "gone", "The requested resource is no longer available."},
    {429, "requests", "rate_limit_exceeded",
     "Rate limit reached for requests per min (RPM). Please try again in 1s."},
    {500, "server_error", nullptr,
     "The server had an error while processing your request. Sorry about that!"},
    {502, "server_error", "bad_gateway", "Bad gateway."},
    {503, "server_error", "service_unavailable",
     "The engine is currently overloaded, please try again later."},
    {504, "server_error", "gateway_timeout", "Gateway timeout."},
};

struct GoogleStatus {
  const char *name;
  int number;
  guint http_status;
};

// google.rpc.Code and the HTTP status each maps to (google/rpc/code.proto); the first of a
// status's names is the one an HTTP status maps back to.
const GoogleStatus kGoogleStatuses[] = {
    {"CANCELLED", 1, 499},          {"INVALID_ARGUMENT", 3, 400},
    {"DEADLINE_EXCEEDED", 4, 504},  {"NOT_FOUND", 5, 404},
    {"ALREADY_EXISTS", 6, 409},     {"PERMISSION_DENIED", 7, 403},
    {"RESOURCE_EXHAUSTED", 8, 429}, {"FAILED_PRECONDITION", 9, 400},
    {"ABORTED", 10, 409},           {"OUT_OF_RANGE", 11, 400},
    {"UNIMPLEMENTED", 12, 501},     {"INTERNAL", 13, 500},
    {"UNAVAILABLE", 14, 503},       {"UNAUTHENTICATED", 16, 401},
    {"DATA_LOSS", 15, 500},         {"UNKNOWN", 2, 500},
};

}  // namespace

std::string google_status_name(const ApiError &error) {
  for (const GoogleStatus &status : kGoogleStatuses) {
    if (error.code == status.name) {
      return status.name;
    }
  }
  for (const GoogleStatus &status : kGoogleStatuses) {
    if (status.http_status == error.http_status) {
      return status.name;
    }
  }
  return error.http_status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
}

int google_status_number(const std::string &name) {
  for (const GoogleStatus &status : kGoogleStatuses) {
    if (name == status.name) {
      return status.number;
    }
  }
  return 13;
}

const char *replicate_title(guint http_status) {
  switch (http_status) {
    case 400:
      return "Bad request";
    case 401:
      return "Unauthenticated";
    case 402:
      return "Payment required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 422:
      return "Input validation failed";
    case 429:
      return "Request was throttled";
    default:
      return http_status >= 500 ? "Internal server error" : "Bad request";
  }
}

std::string mask_key(const std::string &key) {
  size_t prefix = std::min<size_t>(key.size() / 4, 5);
  size_t suffix = std::min<size_t>(key.size() / 8, 2);
  return key.substr(0, prefix) + "****" + key.substr(key.size() - suffix);
}

ApiError ApiError::invalid_request(std::string message, std::optional<std::string> param,
                                   std::optional<std::string> code) {
  ApiError error;
  error.message = std::move(message);
  error.param = std::move(param);
  error.code = std::move(code);
  return error;
}

ApiError ApiError::invalid_value(const std::string &param, const std::string &value,
                                 const std::vector<std::string> &supported) {
  return invalid_request(
      "Invalid value: '" + value + "'. Supported values are: " + quoted_list(supported) + ".",
      param, "invalid_value");
}

ApiError ApiError::invalid_type(const std::string &param, const char *expected, JsonNode *got) {
  return invalid_request("Invalid type for '" + param + "': expected " + expected + ", but got " +
                             json_type_phrase(got) + " instead.",
                         param, "invalid_type");
}

ApiError ApiError::missing_parameter(const std::string &param) {
  return invalid_request("Missing required parameter: '" + param + "'.", param,
                         "missing_required_parameter");
}

ApiError ApiError::string_length(const std::string &param, glong length, glong min, glong max) {
  if (length < min) {
    return invalid_request("Invalid '" + param +
                               "': string too short. Expected a string with minimum length " +
                               std::to_string(min) + ", but got a string with length " +
                               std::to_string(length) + " instead.",
                           param, "string_below_min_length");
  }
  return invalid_request("Invalid '" + param +
                             "': string too long. Expected a string with maximum length " +
                             std::to_string(max) + ", but got a string with length " +
                             std::to_string(length) + " instead.",
                         param, "string_above_max_length");
}

ApiError ApiError::unsupported_content_type(const std::string &content_type) {
  return invalid_request("Unsupported content type: '" + content_type +
                         "'. This API method only accepts 'application/json' and "
                         "'multipart/form-data' requests, but you specified the header "
                         "'Content-Type: " +
                         content_type + "'. Please try again with a supported content type.");
}

ApiError ApiError::missing_api_key() {
  ApiError error = invalid_request(
      "You didn't provide an API key. You need to provide your API key in an Authorization "
      "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key "
      "from https://platform.openai.com/account/api-keys.");
  error.http_status = 401;
  return error;
}

ApiError ApiError::incorrect_api_key(const std::string &key) {
  ApiError error = invalid_request(
      "Incorrect API key provided: " + mask_key(key) +
          ". You can find your API key at https://platform.openai.com/account/api-keys.",
      std::nullopt, "invalid_api_key");
  error.http_status = 401;
  return error;
}

ApiError ApiError::permission_denied() {
  ApiError error = invalid_request(
      "You have insufficient permissions for this operation: this API key may not use the "
      "Videos API.",
      std::nullopt, "insufficient_permissions");
  error.http_status = 403;
  error.type = "permission_error";
  return error;
}

ApiError ApiError::with_status(guint http_status, std::string message,
                               std::optional<std::string> code) {
  ApiError error = invalid_request(std::move(message), std::nullopt, std::move(code));
  error.http_status = http_status;
  return error;
}

ApiError ApiError::invalid_url(const std::string &method, const std::string &path) {
  ApiError error = invalid_request("Invalid URL (" + method + " " + path + ")");
  error.http_status = 404;
  return error;
}

ApiError ApiError::video_not_found(const std::string &video_id) {
  ApiError error = invalid_request("Video with id '" + video_id + "' not found.", std::nullopt,
                                   "video_not_found");
  error.http_status = 404;
  return error;
}

ApiError ApiError::video_not_ready(const std::string &video_id, const char *status) {
  return invalid_request("Video '" + video_id + "' is not ready: its status is '" + status +
                             "', and this request needs a completed video.",
                         std::nullopt, "video_not_ready");
}

ApiError ApiError::video_expired(const std::string &video_id) {
  ApiError error = invalid_request(
      "The content of video '" + video_id + "' has expired and can no longer be downloaded.",
      std::nullopt, "video_expired");
  error.http_status = 404;
  return error;
}

ApiError ApiError::task_not_exist() {
  return invalid_request("task not exist", std::nullopt, std::string("task_not_exist"));
}

ApiError ApiError::task_not_completed() {
  return invalid_request("task is not completed yet", std::nullopt,
                         std::string("task_not_completed"));
}

ApiError ApiError::for_status(guint status) {
  ApiError error;
  error.http_status = status;
  auto known = std::find_if(std::begin(kStatusErrors), std::end(kStatusErrors),
                            [status](const StatusError &entry) { return entry.status == status; });
  if (known != std::end(kStatusErrors)) {
    error.type = known->type;
    error.code = known->code ? std::optional<std::string>(known->code) : std::nullopt;
    error.message = known->message;
  } else {
    error.type = status >= 500 ? "server_error" : "invalid_request_error";
    error.message = std::string(soup_status_get_phrase(status)) + ".";
  }
  return error;
}

ApiError ApiError::insufficient_quota() {
  ApiError error = invalid_request(
      "You exceeded your current quota, please check your plan and billing details.", std::nullopt,
      std::string("insufficient_quota"));
  error.http_status = 429;
  error.type = "insufficient_quota";
  return error;
}

ApiError ApiError::too_many_running_tasks(guint limit) {
  // Azure's own wording for this limit is not published; this follows its error style.
  ApiError error =
      invalid_request("Too many running tasks. The deployment allows " + std::to_string(limit) +
                      " video generation jobs queued or running at a time; wait "
                      "for one to finish, then try again.");
  error.http_status = 429;
  error.type = "requests";
  error.code = "429";
  error.shape = ErrorShape::kCodeMessage;
  return error;
}
