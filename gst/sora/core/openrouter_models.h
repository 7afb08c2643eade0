/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* OpenRouterModels: what OpenRouter's GET /videos/models says a model takes
 * (supported_durations, supported_resolutions, supported_aspect_ratios,
 * supported_sizes), read as an InputSchema so that the schema machinery
 * (the schema cache, one read per process and day) serves it too, and the
 * check of a request's OpenRouter body against it before anything is paid
 * for. OpenRouter answers a value outside these lists with a 400; the
 * check names the allowed values instead, with no create sent. */
#pragma once

#include "core/input_schema.h"
#include "core/video_request.h"

#include <optional>
#include <string>
#include <string_view>

namespace sora {

/* The model's entry of a /videos/models answer as a schema whose fields
 * are the body members it constrains (duration, resolution, aspect_ratio,
 * size); a model the list does not name gives a schema without fields
 * (nothing to check: OpenRouter may take it all the same). nullopt and
 * `problem` when the text is no model list. */
std::optional<InputSchema> parse_openrouter_model(std::string_view list, const std::string &model,
                                                  std::string *problem);

/* The members of the OpenRouter JSON body `request` makes that `schema`
 * does not allow: the first, naming the property and the allowed values;
 * nullopt when the request can be sent. */
std::optional<SettingsProblem> check_openrouter_request(const VideoRequest &request,
                                                        const InputSchema &schema);

}  // namespace sora
