/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// An error answer of the videos API: HTTP status plus the message, type, param and code that
// OpenAI's error object carries. The factories reproduce OpenAI's wording so that clients can be
// tested against realistic texts; a ServerDialect decides how the error is shaped on the wire.
#pragma once

#include "dialect_settings.h"

#include <glib.h>
#include <json-glib/json-glib.h>

#include <optional>
#include <string>
#include <vector>

// Shows enough of a key to recognise it, never the whole key (as OpenAI does).
std::string mask_key(const std::string &key);

struct ApiError;

// Google's canonical status for an error: its code when that is one ("INVALID_ARGUMENT"), else
// the one for its HTTP status (400 INVALID_ARGUMENT, 401 UNAUTHENTICATED, 404 NOT_FOUND, ...).
std::string google_status_name(const ApiError &error);
// The gRPC number of a canonical status ("INVALID_ARGUMENT" is 3); 13 (INTERNAL) for others.
int google_status_number(const std::string &status);
// Replicate's problem title for an HTTP status ("Unauthenticated", "Not found", ...).
const char *replicate_title(guint http_status);

struct ApiError {
  guint http_status = 400;
  std::string message;
  std::string type = "invalid_request_error";
  std::optional<std::string> param;
  std::optional<std::string> code;
  // Set when a gateway answers on its own (Azure's key check and task limit) in a shape that
  // differs from the one it passes the model's errors through in.
  std::optional<ErrorShape> shape;

  static ApiError invalid_request(std::string message, std::optional<std::string> param = {},
                                  std::optional<std::string> code = {});
  // Any status with the server's own text (the native providers' errors).
  static ApiError with_status(guint http_status, std::string message,
                              std::optional<std::string> code = {});
  // "Invalid value: '5'. Supported values are: '4', '8', and '12'."
  static ApiError invalid_value(const std::string &param, const std::string &value,
                                const std::vector<std::string> &supported);
  // "Invalid type for 'seconds': expected a string, but got an integer instead."
  static ApiError invalid_type(const std::string &param, const char *expected, JsonNode *got);
  static ApiError missing_parameter(const std::string &param);
  static ApiError string_length(const std::string &param, glong length, glong min, glong max);
  static ApiError unsupported_content_type(const std::string &content_type);
  static ApiError missing_api_key();
  static ApiError incorrect_api_key(const std::string &key);
  static ApiError permission_denied();
  static ApiError invalid_url(const std::string &method, const std::string &path);
  static ApiError video_not_found(const std::string &video_id);
  static ApiError video_not_ready(const std::string &video_id, const char *status);
  static ApiError video_expired(const std::string &video_id);
  // What gateways answer instead of video_not_found and video_not_ready.
  static ApiError task_not_exist();
  static ApiError task_not_completed();
  // What OpenAI answers with @status when a request failed for reasons of its own (overload,
  // rate limit, gateway errors), for fault injection.
  static ApiError for_status(guint status);
  static ApiError insufficient_quota();
  // Azure's answer when a create would exceed the deployment's running jobs.
  static ApiError too_many_running_tasks(guint limit);
};
