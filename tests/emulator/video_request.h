/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The parameters of the requests that start a task (create, remix, extend), read from a JSON or
// multipart/form-data body with OpenAI's type rules: strings must be strings (`seconds` is "4",
// not 4), reference images must be real image uploads. Gateways' looser rules can be asked for
// on create. Which values are allowed is left to the ServerDialect.
#pragma once

#include "api_error.h"
#include "glib_ptr.h"
#include "request_body.h"

#include <optional>
#include <string>
#include <vector>

struct CreateVideoRequest {
  std::optional<std::string> prompt;
  std::optional<std::string> model;
  std::optional<std::string> seconds;
  std::optional<std::string> size;
  std::optional<std::string> resolution;    // OpenRouter: "720p", with aspect_ratio for a size
  std::optional<std::string> aspect_ratio;  // OpenRouter: "16:9"
  std::vector<std::string> frame_types;     // OpenRouter: frame_images[].frame_type
  // A description of the reference: upload details, the object, or (OpenRouter) the inline images.
  JsonNodePtr input_reference;
  JsonNodePtr metadata;
};

struct ExtendVideoRequest {
  std::optional<std::string> video_id;
  std::optional<std::string> prompt;
  std::optional<std::string> seconds;
};

enum class ParameterTypes {
  kOpenAi,
  // Gateways': `seconds` may be a number and be called `duration`, and `metadata` may be an
  // object sent as JSON text (it is stored parsed).
  kLenient,
  // OpenRouter's JSON body (openrouter_request.h).
  kOpenRouter,
};

// @seconds_member says whether a `seconds` member is the clip's length, ignored, or refused.
std::optional<ApiError> read_create_request(const RequestBody &body, ParameterTypes types,
                                            SecondsMember seconds_member,
                                            CreateVideoRequest &request);
std::optional<ApiError> read_remix_request(const RequestBody &body,
                                           std::optional<std::string> &prompt);
std::optional<ApiError> read_extend_request(const RequestBody &body, ExtendVideoRequest &request);
