/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "clip_variation.h"

#include "clip_spec.h"
#include "json_text.h"

#include <cstring>

namespace {

constexpr int kMaxFps = 120;

bool holds_int(JsonNode *node) {
  return json_node_get_value_type(node) == G_TYPE_INT64;
}

std::optional<std::string> read_member(const std::string &where, const char *name, JsonNode *value,
                                       ClipVariation &variation) {
  std::string key = name;
  std::string prefix = where + ": '" + key + "' ";
  if (key == "audio") {
    if (json_node_get_value_type(value) != G_TYPE_BOOLEAN) {
      return prefix + "must be true or false";
    }
    variation.audio = json_node_get_boolean(value);
  } else if (key == "fps") {
    if (!holds_int(value) || json_node_get_int(value) < 1 || json_node_get_int(value) > kMaxFps) {
      return prefix + "must be an integer from 1 to " + std::to_string(kMaxFps);
    }
    variation.fps = static_cast<int>(json_node_get_int(value));
  } else if (key == "size") {
    int width = 0;
    int height = 0;
    if (json_node_get_value_type(value) != G_TYPE_STRING ||
        !parse_frame_size(json_node_get_string(value), width, height)) {
      return prefix + "must be \"WIDTHxHEIGHT\" with even numbers";
    }
    variation.size = std::make_pair(width, height);
  } else if (key == "fail") {
    JsonObject *object = JSON_NODE_HOLDS_OBJECT(value) ? json_node_get_object(value) : nullptr;
    const char *code = object ? json_object_get_string_member_with_default(object, "code", "") : "";
    if (!*code) {
      return prefix + "must be {\"code\": \"...\", \"message\": \"...\"}";
    }
    variation.failure = TaskError{
        code,
        json_object_get_string_member_with_default(object, "message", "Video generation failed."),
        std::nullopt,
        {}};
  } else if (key == "generation_ms") {
    if (!holds_int(value) || json_node_get_int(value) < 0) {
      return prefix + "must be a non-negative integer";
    }
    variation.generation_ms = json_node_get_int(value);
  } else {
    return where + ": unknown key '" + key + "' (audio, fps, size, fail, generation_ms)";
  }
  return std::nullopt;
}

// A request's metadata as an object: a JSON body carries it as one, a form as JSON text.
JsonNodePtr metadata_object(JsonNode *metadata) {
  if (!metadata) {
    return nullptr;
  }
  if (JSON_NODE_HOLDS_OBJECT(metadata)) {
    return json_node_clone(metadata);
  }
  if (json_node_get_value_type(metadata) == G_TYPE_STRING) {
    const char *text = json_node_get_string(metadata);
    JsonNodePtr parsed = json_parse_text(text, strlen(text), nullptr);
    if (parsed && JSON_NODE_HOLDS_OBJECT(parsed.get())) {
      return parsed;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> ClipVariation::parse(JsonNode *node, const std::string &where,
                                                ClipVariation &variation) {
  if (!node || !JSON_NODE_HOLDS_OBJECT(node)) {
    return where + " must be a JSON object";
  }
  ClipVariation parsed;
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, json_node_get_object(node));
  while (json_object_iter_next(&iter, &name, &value)) {
    if (std::string(name) == "prompt_contains") {
      continue;  // a rule's own key, read by set_prompt_rules()
    }
    if (std::optional<std::string> error = read_member(where, name, value, parsed)) {
      return error;
    }
  }
  variation = std::move(parsed);
  return std::nullopt;
}

JsonObject *ClipVariation::to_json() const {
  JsonObject *object = json_object_new();
  if (audio) {
    json_object_set_boolean_member(object, "audio", *audio);
  }
  if (fps) {
    json_object_set_int_member(object, "fps", *fps);
  }
  if (size) {
    std::string text = std::to_string(size->first) + "x" + std::to_string(size->second);
    json_object_set_string_member(object, "size", text.c_str());
  }
  if (failure) {
    JsonObject *fail = json_object_new();
    json_object_set_string_member(fail, "code", failure->code.c_str());
    json_object_set_string_member(fail, "message", failure->message.c_str());
    json_object_set_object_member(object, "fail", fail);
  }
  if (generation_ms) {
    json_object_set_int_member(object, "generation_ms", *generation_ms);
  }
  return object;
}

void ClipVariation::override_with(const ClipVariation &over) {
  if (over.audio) {
    audio = over.audio;
  }
  if (over.fps) {
    fps = over.fps;
  }
  if (over.size) {
    size = over.size;
  }
  if (over.failure) {
    failure = over.failure;
  }
  if (over.generation_ms) {
    generation_ms = over.generation_ms;
  }
}

void ClipVariation::apply(Task &task) const {
  if (audio) {
    task.clip.audio = *audio;
  }
  if (fps) {
    task.clip.fps = *fps;
  }
  if (size) {
    task.clip.width = size->first;
    task.clip.height = size->second;
  }
  if (generation_ms) {
    task.generation_us = *generation_ms * 1000;
  }
  if (failure && !task.planned_failure) {
    task.planned_failure = failure;
  }
}

std::optional<std::string> ClipVariations::set_every_clip(JsonNode *node) {
  if (JSON_NODE_HOLDS_NULL(node)) {
    every_clip = ClipVariation{};
    return std::nullopt;
  }
  return ClipVariation::parse(node, "'clip'", every_clip);
}

std::optional<std::string> ClipVariations::set_prompt_rules(JsonNode *node) {
  if (!JSON_NODE_HOLDS_ARRAY(node)) {
    return std::string("'prompt_rules' must be an array of objects");
  }
  std::vector<PromptRule> rules;
  JsonArray *array = json_node_get_array(node);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    std::string where = "'prompt_rules'[" + std::to_string(i) + "]";
    JsonNode *element = json_array_get_element(array, i);
    PromptRule rule;
    if (std::optional<std::string> error = ClipVariation::parse(element, where, rule.variation)) {
      return error;
    }
    JsonObject *object = json_node_get_object(element);
    JsonNode *text = json_object_get_member(object, "prompt_contains");
    if (!text || json_node_get_value_type(text) != G_TYPE_STRING || !*json_node_get_string(text)) {
      return where + ": 'prompt_contains' must be a non-empty string";
    }
    rule.prompt_contains = json_node_get_string(text);
    rules.push_back(std::move(rule));
  }
  prompt_rules = std::move(rules);
  return std::nullopt;
}

JsonNodePtr ClipVariations::every_clip_json() const {
  g_autoptr(JsonObject) object = every_clip.to_json();
  return json_node_from_object(object);
}

JsonNodePtr ClipVariations::prompt_rules_json() const {
  g_autoptr(JsonArray) array = json_array_new();
  for (const PromptRule &rule : prompt_rules) {
    JsonObject *object = rule.variation.to_json();
    json_object_set_string_member(object, "prompt_contains", rule.prompt_contains.c_str());
    json_array_add_object_element(array, object);
  }
  return json_node_from_array(array);
}

std::optional<std::string> ClipVariations::for_task(const std::string &prompt, JsonNode *metadata,
                                                    ClipVariation &variation) const {
  ClipVariation result = every_clip;
  for (const PromptRule &rule : prompt_rules) {
    if (prompt.find(rule.prompt_contains) != std::string::npos) {
      result.override_with(rule.variation);
    }
  }
  JsonNodePtr object = metadata_object(metadata);
  JsonObject *members = object ? json_node_get_object(object.get()) : nullptr;
  if (members && json_object_has_member(members, "emulator")) {
    ClipVariation requested;
    if (std::optional<std::string> error = ClipVariation::parse(
            json_object_get_member(members, "emulator"), "metadata 'emulator'", requested)) {
      return error;
    }
    result.override_with(requested);
  }
  variation = std::move(result);
  return std::nullopt;
}
