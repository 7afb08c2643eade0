/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Random identifiers: OpenAI's style, a prefix followed by lowercase hex digits ("video_" + 48
// digits for videos, "req_" + 32 for request ids), and the styles of the gateways' video ids.
#pragma once

#include "dialect_settings.h"

#include <string>

std::string random_id(const char *prefix, size_t hex_digits);
// @count letters and digits, upper and lower case or lower case only.
std::string random_alphanumerics(size_t count, bool lower_case_only);

// A new video id in @style: "video_" + hex, "task_" + 24 (or 32) letters and digits, a 19-digit
// number, 120 base64url characters (with '-' and '_'), one with '/', '+' and a space in it, or
// "job-" + 24 lower-case letters and digits; a UUID (fal), 26 lower-case letters and digits
// (Replicate) or 12 (a Gemini operation). LiteLLM's ids come from new_litellm_ids().
std::string new_video_id(IdStyle style);
