/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The routes of the native providers on the API listener, matched on the whole decoded path
// (they have no common prefix such as /v1), so that fault rules and chaos mode pick them by the
// same route names as the OpenAI format's:
//
// - gemini: create `POST /v1beta/models/{model}:predictLongRunning`, retrieve
//   `GET /v1beta/models/{model}/operations/{id}`, content `GET /v1beta/files/{id}:download`.
// - fal: create `POST /{app...}`, retrieve `GET /{owner}/{alias}/requests/{id}/status`, stream
//   `GET .../status/stream`, result `GET .../requests/{id}`, cancel `PUT .../requests/{id}/cancel`,
//   schema `GET /api/openapi/queue/openapi.json?endpoint_id={app}`.
// - replicate: create `POST /v1/models/{owner}/{name}/predictions` or `POST /v1/predictions`,
//   retrieve `GET /v1/predictions/{id}`, list `GET /v1/predictions`, cancel
//   `POST /v1/predictions/{id}/cancel`, schema `GET /v1/models/{owner}/{name}` and
//   `GET /v1/models/{owner}/{name}/versions/{version}`.
#pragma once

#include "api_route.h"
#include "dialect_settings.h"

#include <optional>
#include <string>
#include <vector>

std::optional<RouteMatch> match_native_route(Provider provider, const std::string &method,
                                             const std::vector<std::string> &segments);
