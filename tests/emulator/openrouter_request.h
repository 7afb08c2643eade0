/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// OpenRouter's create body (POST /api/v1/videos, JSON only): `model` (required), `prompt`,
// `duration` (integer seconds), `size` ("1280x720") or `resolution` ("720p") with `aspect_ratio`
// ("16:9"), `generate_audio`, `seed`, `frame_images[]`, `input_references[]`, `provider`,
// `callback_url`. The reader checks types; the check fills in defaults, validates the values a
// listed model takes (GET /videos/models) and works out the frame size to render.
#pragma once

#include "api_error.h"
#include "dialect_settings.h"
#include "request_body.h"
#include "video_request.h"

#include <optional>

// A `seconds` member is the length (when `duration` is absent), ignored, or refused, as
// @seconds_member says.
std::optional<ApiError> read_openrouter_create_request(const RequestBody &body,
                                                       SecondsMember seconds_member,
                                                       CreateVideoRequest &request);

// Fills in `seconds` and `size` (from `resolution` + `aspect_ratio` when no size was given).
std::optional<ApiError> check_openrouter_parameters(CreateVideoRequest &request);
