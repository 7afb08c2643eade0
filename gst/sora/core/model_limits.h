/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ModelLimits: the durations and sizes OpenAI's own models accept, with the
 * document each limit comes from.
 *
 * The client checks `seconds` and `size` against this table before it sends
 * a paid request, so a typo costs an error message, not a failed job. Only
 * models named here are checked: gateway models (wan2.5-t2v-preview,
 * kling-v2-master, veo-3.1, ...) take sizes such as "1920*1080" or "720P"
 * that only their server knows, so they pass through as written. */
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sora {

struct ModelLimits {
  const char *family; /* "sora-2"; dated snapshots "sora-2-2025-10-06" match too */
  std::vector<unsigned> seconds;
  const char *seconds_source;
  std::vector<const char *> sizes;
  const char *sizes_source;
};

/* The limits of `model`, or nullptr when the table does not know it. */
const ModelLimits *find_model_limits(std::string_view model);

/* "'4', '8' or '12'": for error messages. */
std::string describe_allowed_seconds(const ModelLimits &limits);
std::string describe_allowed_sizes(const ModelLimits &limits);

}  // namespace sora
