/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The key check of the native providers, in each one's own place and words: the Gemini API's
// `x-goog-api-key` header (or `key` query parameter; a Bearer token alone is taken for an OAuth
// token), fal's `Authorization: Key KEY`, Replicate's `Authorization: Bearer TOKEN`.
#pragma once

#include "api_error.h"
#include "api_request.h"
#include "emulator_config.h"

#include <optional>

// Null when @request carries an accepted key for the dialect's provider.
std::optional<ApiError> check_provider_key(const ApiRequest &request, const EmulatorConfig &config,
                                           const DialectSettings &settings);
