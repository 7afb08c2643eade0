/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "emulator_config.h"

#include "json_text.h"

namespace {

bool is_string(JsonNode *node) {
  return json_node_get_value_type(node) == G_TYPE_STRING;
}

// A non-negative integer: a duration, or a bitrate.
std::optional<std::string> read_count(JsonNode *node, const char *name, gint64 &value) {
  if (json_node_get_value_type(node) != G_TYPE_INT64 || json_node_get_int(node) < 0) {
    return std::string("'") + name + "' must be a non-negative integer";
  }
  value = json_node_get_int(node);
  return std::nullopt;
}

std::optional<std::string> read_key(JsonNode *node, const char *name,
                                    std::optional<std::string> &value) {
  if (JSON_NODE_HOLDS_NULL(node)) {
    value.reset();
  } else if (is_string(node) && *json_node_get_string(node)) {
    value = json_node_get_string(node);
  } else {
    return std::string("'") + name + "' must be a non-empty string or null";
  }
  return std::nullopt;
}

std::optional<std::string> read_layout(JsonNode *node, Mp4Layout &layout) {
  std::optional<Mp4Layout> parsed;
  if (is_string(node)) {
    parsed = parse_mp4_layout(json_node_get_string(node));
  }
  if (!parsed) {
    return std::string("'layout' must be \"moov-end\" or \"moov-first\"");
  }
  layout = *parsed;
  return std::nullopt;
}

// {"code": "...", "message": "...", "status": "failed" | "cancelled" | "expired"}, or null to
// cancel a planned failure. `status` is the word the task ends with (default "failed").
std::optional<std::string> read_failure(JsonNode *node, std::optional<TaskError> &failure) {
  if (JSON_NODE_HOLDS_NULL(node)) {
    failure.reset();
    return std::nullopt;
  }
  JsonObject *object = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
  const char *code = object ? json_object_get_string_member_with_default(object, "code", "") : "";
  const char *status =
      object ? json_object_get_string_member_with_default(object, "status", "failed") : "";
  bool known_status = g_strcmp0(status, "failed") == 0 || g_strcmp0(status, "cancelled") == 0 ||
                      g_strcmp0(status, "expired") == 0;
  if (!*code || !known_status) {
    return std::string(
        "'fail_next' must be {\"code\": \"...\", \"message\": \"...\"} (with an optional "
        "\"status\": \"failed\", \"cancelled\" or \"expired\") or null");
  }
  failure = TaskError{
      code,
      json_object_get_string_member_with_default(object, "message", "Video generation failed."),
      g_strcmp0(status, "failed") == 0 ? std::nullopt : std::optional<std::string>(status),
      {}};
  return std::nullopt;
}

// A non-empty list of reasons, or null.
std::optional<std::string> read_filter(JsonNode *node,
                                       std::optional<std::vector<std::string>> &reasons) {
  if (JSON_NODE_HOLDS_NULL(node)) {
    reasons.reset();
    return std::nullopt;
  }
  std::string problem = "'filter_next' must be a non-empty array of strings or null";
  JsonArray *array = JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : nullptr;
  if (!array || json_array_get_length(array) == 0) {
    return problem;
  }
  std::vector<std::string> parsed;
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *element = json_array_get_element(array, i);
    if (!is_string(element)) {
      return problem;
    }
    parsed.emplace_back(json_node_get_string(element));
  }
  reasons = std::move(parsed);
  return std::nullopt;
}

std::optional<std::string> read_flag(JsonNode *node, const char *name, bool &value) {
  if (json_node_get_value_type(node) != G_TYPE_BOOLEAN) {
    return std::string("'") + name + "' must be true or false";
  }
  value = json_node_get_boolean(node);
  return std::nullopt;
}

std::optional<std::string> read_expired_status(JsonNode *node, guint &status) {
  bool is_int = json_node_get_value_type(node) == G_TYPE_INT64;
  if (!is_int || (json_node_get_int(node) != 404 && json_node_get_int(node) != 410)) {
    return std::string("'expired_status' must be 404 or 410");
  }
  status = static_cast<guint>(json_node_get_int(node));
  return std::nullopt;
}

std::optional<std::string> apply_member(EmulatorConfig &config, const char *name, JsonNode *value) {
  std::string key = name;
  if (key == "queue_ms") {
    return read_count(value, name, config.queue_ms);
  }
  if (key == "generation_ms") {
    return read_count(value, name, config.generation_ms);
  }
  if (key == "poll_after_ms") {
    return read_count(value, name, config.poll_after_ms);
  }
  if (key == "expires_after") {
    return read_count(value, name, config.expires_after_s);
  }
  if (key == "layout") {
    return read_layout(value, config.layout);
  }
  if (key == "clip_bitrate_kbps") {
    return read_count(value, name, config.clip_bitrate_kbps);
  }
  if (key == "api_key") {
    return read_key(value, name, config.api_key);
  }
  if (key == "forbidden_key") {
    return read_key(value, name, config.forbidden_key);
  }
  if (key == "fail_next") {
    return read_failure(value, config.fail_next);
  }
  if (key == "filter_next") {
    return read_filter(value, config.filter_next);
  }
  if (key == "stream_keepalive_ms") {
    std::optional<std::string> error = read_count(value, name, config.stream_keepalive_ms);
    if (!error && config.stream_keepalive_ms == 0) {
      return std::string("'stream_keepalive_ms' must be positive");
    }
    return error;
  }
  if (key == "never_finish") {
    return read_flag(value, name, config.never_finish);
  }
  if (key == "stall_next") {
    return read_flag(value, name, config.stall_next);
  }
  if (key == "expired_status") {
    return read_expired_status(value, config.expired_status);
  }
  if (key == "dialect") {
    return DialectSettings::parse(value, config.dialect);
  }
  if (key == "faults") {
    return config.faults.replace(value);
  }
  if (key == "clip") {
    return config.clip_variations.set_every_clip(value);
  }
  if (key == "prompt_rules") {
    return config.clip_variations.set_prompt_rules(value);
  }
  if (key == "chaos") {
    return config.chaos.replace(value);
  }
  if (key == "hostile") {
    return config.hostile.replace(value);
  }
  return "unknown setting '" + key + "'";
}

}  // namespace

JsonNodePtr EmulatorConfig::to_json() const {
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_int_member(object, "queue_ms", queue_ms);
  json_object_set_int_member(object, "generation_ms", generation_ms);
  json_object_set_int_member(object, "poll_after_ms", poll_after_ms);
  json_object_set_int_member(object, "expires_after", expires_after_s);
  json_object_set_string_member(object, "layout", mp4_layout_name(layout));
  json_object_set_int_member(object, "clip_bitrate_kbps", clip_bitrate_kbps);
  json_set_optional_string(object, "api_key", api_key);
  json_set_optional_string(object, "forbidden_key", forbidden_key);
  if (fail_next) {
    JsonObject *failure = json_object_new();
    json_object_set_string_member(failure, "code", fail_next->code.c_str());
    json_object_set_string_member(failure, "message", fail_next->message.c_str());
    json_object_set_string_member(failure, "status",
                                  fail_next->end_status.value_or("failed").c_str());
    json_object_set_object_member(object, "fail_next", failure);
  } else {
    json_object_set_null_member(object, "fail_next");
  }
  if (filter_next) {
    JsonArray *reasons = json_array_new();
    for (const std::string &reason : *filter_next) {
      json_array_add_string_element(reasons, reason.c_str());
    }
    json_object_set_array_member(object, "filter_next", reasons);
  } else {
    json_object_set_null_member(object, "filter_next");
  }
  json_object_set_int_member(object, "stream_keepalive_ms", stream_keepalive_ms);
  json_object_set_boolean_member(object, "never_finish", never_finish);
  json_object_set_boolean_member(object, "stall_next", stall_next);
  json_object_set_int_member(object, "expired_status", expired_status);
  json_object_set_member(object, "dialect", dialect.to_json().release());
  json_object_set_member(object, "faults", faults.to_json().release());
  json_object_set_member(object, "clip", clip_variations.every_clip_json().release());
  json_object_set_member(object, "prompt_rules", clip_variations.prompt_rules_json().release());
  json_object_set_member(object, "chaos", chaos.to_json().release());
  json_object_set_member(object, "hostile", hostile.to_json().release());
  return json_node_from_object(object);
}

std::optional<std::string> EmulatorConfig::merge_json(JsonObject *patch) {
  EmulatorConfig merged = *this;
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, patch);
  while (json_object_iter_next(&iter, &name, &value)) {
    if (std::optional<std::string> error = apply_member(merged, name, value)) {
      return error;
    }
  }
  *this = std::move(merged);
  return std::nullopt;
}
