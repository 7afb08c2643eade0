/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The API key check, before a request's path below /v1 is looked at: where the key is read from
// (the dialect's `auth` knob: Bearer, Azure's api-key header, or LiteLLM's Bearer or
// x-litellm-api-key) and what a missing, wrong or forbidden key is answered, in the wording of
// the gateway the dialect stands for.
#pragma once

#include "api_error.h"
#include "dialect_settings.h"
#include "emulator_config.h"

#include <libsoup/soup.h>

#include <optional>
#include <string>

// The key a request carries in any of the places a dialect or provider reads it (Bearer,
// api-key, x-litellm-api-key, x-goog-api-key, fal's `Key`), "" when none: what a hostile server
// echoes.
std::string presented_key(SoupMessageHeaders *headers);

// Null when the request carries an accepted key (any non-empty key when none is configured).
std::optional<ApiError> check_api_key(SoupMessageHeaders *headers, const EmulatorConfig &config,
                                      const DialectSettings &settings);
