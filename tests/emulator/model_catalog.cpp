/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "model_catalog.h"

#include "json_text.h"

namespace {

// Shapes as OpenRouter documents them (docs/guides/overview/multimodal/video-generation); the
// values are illustrative, not a copy of OpenRouter's live catalogue.
const VideoModelCapabilities kOpenRouterVideoModels[] = {
    {"google/veo-3.1",
     "Google: Veo 3.1",
     1760486400,
     {4, 6, 8},
     {"720p", "1080p"},
     {"16:9", "9:16"},
     std::nullopt,
     {"first_frame", "last_frame"},
     true},
    {"openai/sora-2-pro",
     "OpenAI: Sora 2 Pro",
     1759708800,
     {4, 8, 12},
     {"720p", "1080p"},
     {"16:9", "9:16"},
     std::vector<std::string>{"1280x720", "720x1280", "1920x1080", "1080x1920"},
     {"first_frame"},
     true},
    {"alibaba/wan-2.6",
     "Alibaba: Wan 2.6",
     1765152000,
     {5, 10, 15},
     {"480p", "720p", "1080p"},
     {"16:9", "9:16", "1:1", "4:3", "3:4"},
     std::nullopt,
     {"first_frame"},
     true},
    {"bytedance/seedance-2.0",
     "ByteDance: Seedance 2.0",
     1770681600,
     {4, 5, 6, 8, 10, 12},
     {"480p", "720p", "1080p"},
     {"16:9", "9:16", "1:1", "4:3", "3:4", "21:9"},
     std::nullopt,
     {"first_frame", "last_frame"},
     true},
};

struct ListedModel {
  const char *id;
  gint64 created;
  const char *owned_by;
};

const ListedModel kOpenAiModels[] = {
    {"sora-2", 1759708800, "openai"},
    {"sora-2-pro", 1759708800, "openai"},
    {"sora-2-2025-10-06", 1759708800, "openai"},
    {"sora-2-pro-2025-10-06", 1759708800, "openai"},
};

const ListedModel kGatewayModels[] = {
    {"sora-2", 1759708800, "openai"},
    {"sora-2-pro", 1759708800, "openai"},
    {"veo-3.1-generate-preview", 1760486400, "google"},
    {"kling-v2-1", 1752192000, "kling"},
    {"wan2.6-t2v", 1765152000, "alibaba"},
};

template <size_t N>
JsonArray *listed_models(const ListedModel (&models)[N]) {
  JsonArray *data = json_array_new();
  for (const ListedModel &model : models) {
    JsonObject *object = json_object_new();
    json_object_set_string_member(object, "id", model.id);
    json_object_set_string_member(object, "object", "model");
    json_object_set_int_member(object, "created", model.created);
    json_object_set_string_member(object, "owned_by", model.owned_by);
    json_array_add_object_element(data, object);
  }
  return data;
}

JsonArray *string_array(const std::vector<std::string> &values) {
  JsonArray *array = json_array_new();
  for (const std::string &value : values) {
    json_array_add_string_element(array, value.c_str());
  }
  return array;
}

JsonObject *capabilities_object(const VideoModelCapabilities &model) {
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "id", model.id);
  json_object_set_string_member(object, "canonical_slug", model.id);
  json_object_set_string_member(object, "name", model.name);
  json_object_set_int_member(object, "created", model.created);
  JsonArray *durations = json_array_new();
  for (int duration : model.durations) {
    json_array_add_int_element(durations, duration);
  }
  json_object_set_array_member(object, "supported_durations", durations);
  json_object_set_array_member(object, "supported_resolutions", string_array(model.resolutions));
  json_object_set_array_member(object, "supported_aspect_ratios",
                               string_array(model.aspect_ratios));
  if (model.sizes) {
    json_object_set_array_member(object, "supported_sizes", string_array(*model.sizes));
  } else {
    json_object_set_null_member(object, "supported_sizes");
  }
  json_object_set_array_member(object, "supported_frame_images", string_array(model.frame_images));
  json_object_set_boolean_member(object, "generate_audio", model.generate_audio);
  json_object_set_boolean_member(object, "seed", TRUE);
  json_object_set_array_member(object, "allowed_passthrough_parameters", json_array_new());
  return object;
}

}  // namespace

const VideoModelCapabilities *find_openrouter_video_model(const std::string &id) {
  for (const VideoModelCapabilities &model : kOpenRouterVideoModels) {
    if (id == model.id) {
      return &model;
    }
  }
  return nullptr;
}

JsonNodePtr model_list_json(ModelList list) {
  g_autoptr(JsonObject) object = json_object_new();
  switch (list) {
    case ModelList::kOpenRouter:
      json_object_set_array_member(object, "data", json_array_new());
      return json_node_from_object(object);
    case ModelList::kGateway:
      json_object_set_string_member(object, "object", "list");
      json_object_set_array_member(object, "data", listed_models(kGatewayModels));
      return json_node_from_object(object);
    case ModelList::kOpenAi:
      break;
  }
  json_object_set_string_member(object, "object", "list");
  json_object_set_array_member(object, "data", listed_models(kOpenAiModels));
  return json_node_from_object(object);
}

JsonNodePtr video_model_list_json() {
  g_autoptr(JsonObject) object = json_object_new();
  JsonArray *data = json_array_new();
  for (const VideoModelCapabilities &model : kOpenRouterVideoModels) {
    json_array_add_object_element(data, capabilities_object(model));
  }
  json_object_set_array_member(object, "data", data);
  return json_node_from_object(object);
}
