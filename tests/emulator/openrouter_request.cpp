/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "openrouter_request.h"

#include "clip_spec.h"
#include "inline_images.h"
#include "model_catalog.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr int kDefaultSeconds = 4;
constexpr char kDefaultResolution[] = "720p";
constexpr char kDefaultAspectRatio[] = "16:9";

ApiError bad_request(const std::string &message, const char *param) {
  return ApiError::invalid_request(message, std::string(param), std::string("invalid_request"));
}

JsonNode *member(JsonObject *object, const char *name) {
  return json_object_has_member(object, name) ? json_object_get_member(object, name) : nullptr;
}

bool is_absent(JsonNode *node) {
  return !node || JSON_NODE_HOLDS_NULL(node);
}

std::optional<ApiError> read_string(JsonObject *object, const char *name,
                                    std::optional<std::string> &value) {
  JsonNode *node = member(object, name);
  if (is_absent(node)) {
    return std::nullopt;
  }
  if (json_node_get_value_type(node) != G_TYPE_STRING) {
    return bad_request(std::string("Invalid '") + name + "': expected a string", name);
  }
  value = json_node_get_string(node);
  return std::nullopt;
}

// An integer number of seconds; JSON numbers with no fraction (8.0) count as integers.
std::optional<ApiError> read_whole_seconds(JsonObject *object, const char *name,
                                           std::optional<std::string> &seconds) {
  JsonNode *node = member(object, name);
  if (is_absent(node)) {
    return std::nullopt;
  }
  GType type = json_node_get_value_type(node);
  double value = type == G_TYPE_INT64    ? static_cast<double>(json_node_get_int(node))
                 : type == G_TYPE_DOUBLE ? json_node_get_double(node)
                                         : NAN;
  if (std::isnan(value) || value != std::floor(value) || value <= 0 || value > 3600) {
    return bad_request(std::string("Invalid '") + name + "': expected a positive integer", name);
  }
  seconds = std::to_string(static_cast<int>(value));
  return std::nullopt;
}

std::optional<ApiError> check_type(JsonObject *object, const char *name, GType type,
                                   const char *expected) {
  JsonNode *node = member(object, name);
  if (is_absent(node) || json_node_get_value_type(node) == type) {
    return std::nullopt;
  }
  return bad_request(std::string("Invalid '") + name + "': expected " + expected, name);
}

std::optional<ApiError> check_object(JsonObject *object, const char *name) {
  JsonNode *node = member(object, name);
  if (is_absent(node) || JSON_NODE_HOLDS_OBJECT(node)) {
    return std::nullopt;
  }
  return bad_request(std::string("Invalid '") + name + "': expected an object", name);
}

// Each entry {"type": "image_url", "image_url": {"url": ...}} (frame images also "frame_type").
std::optional<ApiError> read_references(JsonObject *object, const char *name,
                                        std::vector<std::string> *frame_types) {
  JsonNode *node = member(object, name);
  if (is_absent(node)) {
    return std::nullopt;
  }
  std::string problem =
      std::string("Invalid '") + name +
      "': expected an array of {\"type\": \"image_url\", \"image_url\": "
      "{\"url\": \"...\"}" +
      (frame_types ? ", \"frame_type\": \"first_frame\" or \"last_frame\"}" : "}");
  if (!JSON_NODE_HOLDS_ARRAY(node)) {
    return bad_request(problem, name);
  }
  JsonArray *references = json_node_get_array(node);
  for (guint i = 0; i < json_array_get_length(references); i++) {
    JsonNode *reference = json_array_get_element(references, i);
    JsonObject *entry =
        JSON_NODE_HOLDS_OBJECT(reference) ? json_node_get_object(reference) : nullptr;
    JsonNode *image_url = entry ? member(entry, "image_url") : nullptr;
    bool has_url =
        image_url && JSON_NODE_HOLDS_OBJECT(image_url) &&
        json_object_get_string_member_with_default(json_node_get_object(image_url), "url", nullptr);
    if (!has_url) {
      return bad_request(problem, name);
    }
    if (frame_types) {
      const char *frame_type = json_object_get_string_member_with_default(entry, "frame_type", "");
      if (g_strcmp0(frame_type, "first_frame") != 0 && g_strcmp0(frame_type, "last_frame") != 0) {
        return bad_request(problem, name);
      }
      frame_types->push_back(frame_type);
    }
  }
  return std::nullopt;
}

std::string joined(const std::vector<std::string> &values) {
  std::string text;
  for (const std::string &value : values) {
    text += (text.empty() ? "" : ", ") + value;
  }
  return text;
}

template <typename T>
bool contains(const std::vector<T> &values, const T &value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

ApiError unsupported(const char *param, const std::string &value, const std::string &model,
                     const std::string &supported) {
  return bad_request(std::string("Invalid ") + param + " '" + value + "' for model " + model +
                         ". Supported values: " + supported,
                     param);
}

// "720p" with "16:9" gives 1280x720: the short side is the resolution, the long side follows
// the ratio, rounded to even (4:2:0 video).
std::optional<std::string> size_for(const std::string &resolution, const std::string &ratio) {
  int lines = 0;
  int across = 0;
  int down = 0;
  char p = 0;
  if (sscanf(resolution.c_str(), "%d%c", &lines, &p) != 2 || (p != 'p' && p != 'P') || lines <= 0 ||
      sscanf(ratio.c_str(), "%d:%d", &across, &down) != 2 || across <= 0 || down <= 0) {
    return std::nullopt;
  }
  auto even = [](double value) { return 2 * static_cast<int>(std::lround(value / 2)); };
  int width = across >= down ? even(lines * static_cast<double>(across) / down) : lines;
  int height = across >= down ? lines : even(lines * static_cast<double>(down) / across);
  return std::to_string(width) + "x" + std::to_string(height);
}

std::optional<ApiError> check_listed(const VideoModelCapabilities &model,
                                     CreateVideoRequest &request) {
  std::vector<std::string> durations;
  for (int duration : model.durations) {
    durations.push_back(std::to_string(duration));
  }
  if (!request.seconds) {
    request.seconds = contains(model.durations, kDefaultSeconds) ? std::to_string(kDefaultSeconds)
                                                                 : durations.front();
  }
  if (!contains(durations, *request.seconds)) {
    return unsupported("duration", *request.seconds, model.id, joined(durations));
  }
  if (request.resolution && !contains(model.resolutions, *request.resolution)) {
    return unsupported("resolution", *request.resolution, model.id, joined(model.resolutions));
  }
  if (request.aspect_ratio && !contains(model.aspect_ratios, *request.aspect_ratio)) {
    return unsupported("aspect_ratio", *request.aspect_ratio, model.id,
                       joined(model.aspect_ratios));
  }
  if (request.size && model.sizes && !contains(*model.sizes, *request.size)) {
    return unsupported("size", *request.size, model.id, joined(*model.sizes));
  }
  if (request.size && !model.sizes) {
    return bad_request(
        "Model " + std::string(model.id) + " takes no 'size'; use 'resolution' and 'aspect_ratio'",
        "size");
  }
  for (const std::string &frame_type : request.frame_types) {
    if (!contains(model.frame_images, frame_type)) {
      return unsupported("frame_type", frame_type, model.id, joined(model.frame_images));
    }
  }
  if (!request.resolution) {
    request.resolution = contains(model.resolutions, std::string(kDefaultResolution))
                             ? std::string(kDefaultResolution)
                             : model.resolutions.front();
  }
  if (!request.aspect_ratio) {
    request.aspect_ratio = contains(model.aspect_ratios, std::string(kDefaultAspectRatio))
                               ? std::string(kDefaultAspectRatio)
                               : model.aspect_ratios.front();
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> read_openrouter_create_request(const RequestBody &body,
                                                       SecondsMember seconds_member,
                                                       CreateVideoRequest &request) {
  if (body.kind != BodyKind::kJson) {
    return bad_request("Invalid request body: expected Content-Type: application/json", "body");
  }
  if (!body.parse_error.empty() || !JSON_NODE_HOLDS_OBJECT(body.json.get())) {
    return bad_request("Invalid JSON in request body: expected an object", "body");
  }
  JsonObject *object = json_node_get_object(body.json.get());
  if (member(object, "seconds") && seconds_member == SecondsMember::kReject) {
    return bad_request("Unrecognized key in request body: 'seconds' (use 'duration')", "seconds");
  }
  std::optional<ApiError> error = read_string(object, "model", request.model);
  if (!error && !request.model) {
    error = bad_request("'model' is required", "model");
  }
  std::optional<std::string> callback_url;
  const std::pair<const char *, std::optional<std::string> *> strings[] = {
      {"prompt", &request.prompt},         {"size", &request.size},
      {"resolution", &request.resolution}, {"aspect_ratio", &request.aspect_ratio},
      {"callback_url", &callback_url},
  };
  for (const auto &[name, target] : strings) {
    if (!error) {
      error = read_string(object, name, *target);
    }
  }
  if (!error) {
    error = read_whole_seconds(object, "duration", request.seconds);
  }
  if (!error && !request.seconds && seconds_member == SecondsMember::kDuration) {
    error = read_whole_seconds(object, "seconds", request.seconds);
  }
  if (!error) {
    error = check_type(object, "generate_audio", G_TYPE_BOOLEAN, "true or false");
  }
  if (!error) {
    error = check_type(object, "seed", G_TYPE_INT64, "an integer");
  }
  if (!error) {
    error = check_object(object, "provider");
  }
  if (!error) {
    error = read_references(object, "frame_images", &request.frame_types);
  }
  if (!error) {
    error = read_references(object, "input_references", nullptr);
  }
  if (error) {
    return error;
  }
  JsonNodePtr images = describe_inline_images(body.json.get());
  if (json_array_get_length(json_node_get_array(images.get())) > 0) {
    request.input_reference = std::move(images);
  }
  request.metadata = json_node_clone(member(object, "provider"));
  return std::nullopt;
}

std::optional<ApiError> check_openrouter_parameters(CreateVideoRequest &request) {
  if (!request.prompt && request.frame_types.empty()) {
    return bad_request("'prompt' is required unless 'frame_images' are given", "prompt");
  }
  request.prompt = request.prompt.value_or("");
  if (const VideoModelCapabilities *model = find_openrouter_video_model(*request.model)) {
    if (std::optional<ApiError> error = check_listed(*model, request)) {
      return error;
    }
  }
  request.seconds = request.seconds.value_or(std::to_string(kDefaultSeconds));
  if (request.size) {
    int width = 0;
    int height = 0;
    if (!parse_frame_size(*request.size, width, height)) {
      return bad_request("Invalid size '" + *request.size + "': expected WIDTHxHEIGHT", "size");
    }
    return std::nullopt;
  }
  std::optional<std::string> size = size_for(request.resolution.value_or(kDefaultResolution),
                                             request.aspect_ratio.value_or(kDefaultAspectRatio));
  if (!size) {
    return bad_request("Invalid resolution or aspect_ratio: expected e.g. \"720p\" and \"16:9\"",
                       "resolution");
  }
  request.size = size;
  return std::nullopt;
}
