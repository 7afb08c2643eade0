/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// LiteLLM's video ids (litellm/types/videos/utils.py): "video_" + standard base64 (with '+', '/'
// and '=') of "litellm:custom_llm_provider:P;model_id:M;video_id:U", the provider, the proxy's
// deployment id and the upstream's own id. Retrieve re-encodes the id without the deployment
// (the providers' status transforms pass no model), so the same task has two ids; the proxy
// decodes either. The emulator picks ids whose encodings contain all three of '+', '/' and '=',
// so that a client that does not escape them in a URL path fails.
#pragma once

#include "dialect_settings.h"

#include <string>

struct LitellmIds {
  std::string created;    // what create answers
  std::string reencoded;  // what retrieve answers (model_id left empty)
};

LitellmIds new_litellm_ids(LitellmUpstream upstream, const std::string &model);
