/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The models the emulator lists: GET /models in OpenAI's list shape (OpenAI's video models, or a
// gateway's mix), and OpenRouter's GET /videos/models with each video model's capabilities,
// which OpenRouter's create checks its parameters against.
#pragma once

#include "dialect_settings.h"
#include "glib_ptr.h"

#include <optional>
#include <string>
#include <vector>

struct VideoModelCapabilities {
  const char *id;
  const char *name;
  gint64 created;
  std::vector<int> durations;
  std::vector<std::string> resolutions;
  std::vector<std::string> aspect_ratios;
  std::optional<std::vector<std::string>> sizes;  // null when only resolution + aspect ratio
  std::vector<std::string> frame_images;          // the frame_type values taken
  bool generate_audio;
};

// One of OpenRouter's listed video models, or null.
const VideoModelCapabilities *find_openrouter_video_model(const std::string &id);

// GET /models: {"object": "list", "data": [...]} (OpenAI, gateways), or {"data": []} for
// OpenRouter, whose video models are only in /videos/models.
JsonNodePtr model_list_json(ModelList list);
// GET /videos/models: {"data": [{"id", "canonical_slug", "supported_durations", ...}]}.
JsonNodePtr video_model_list_json();
