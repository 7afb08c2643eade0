/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Which operation of the videos API a request asks for, read from its method and path before it
// is handled, so that fault rules can match on it and the dialect's create path can move the
// whole API (/v1/videos, /v1/video or /v1/video/generations; a second collection can answer the
// same API). The model lists (/v1/models, and OpenRouter's /v1/videos/models) are routes too.
#pragma once

#include "dialect_settings.h"

#include <optional>
#include <string>
#include <vector>

enum class ApiRoute {
  kCreate,
  kRetrieve,
  kContent,
  kList,
  kDelete,
  kRemix,
  kExtensions,
  kModels,       // GET /models
  kVideoModels,  // GET {collection}/models (the `openrouter` model list)
  // The native providers' routes that have no OpenAI counterpart (native_route.h).
  kCancel,  // fal's PUT cancel_url, Replicate's POST urls.cancel
  kStream,  // fal's GET {status_url}/stream (server-sent events)
  kResult,  // fal's GET response_url
  kSchema,  // fal's OpenAPI document of an app, Replicate's model with its openapi_schema
};

const char *api_route_name(ApiRoute route);
std::optional<ApiRoute> parse_api_route(const char *name);
// "'create', 'retrieve', ... or 'video_models'", for error messages.
std::string api_route_names();

struct RouteMatch {
  ApiRoute route;
  std::string video_id;  // from the path; empty for create, list, extensions and the model lists
  std::string model;     // a native create's or schema's model from the path, else empty
};

// @segments are the decoded path segments after the listener's prefix ("/v1" or "/cdn").
std::optional<RouteMatch> match_api_route(const std::string &method,
                                          const std::vector<std::string> &segments,
                                          const DialectSettings &settings);

// The path of a video's retrieve route on the API listener, escaped: "/v1/videos/ID".
std::string retrieve_path(const std::string &video_id, const DialectSettings &settings);
