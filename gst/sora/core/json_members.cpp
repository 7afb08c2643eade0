/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/json_members.h"

#include "core/json_limits.h"

#include <cmath>

namespace sora {

namespace {

JsonNode *child(JsonObject *obj, const char *name) {
  return obj ? json_object_get_member(obj, name) : nullptr;
}

bool holds(JsonNode *node, GType type) {
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

}  // namespace

JsonObject *child_object(JsonObject *obj, const char *name) {
  JsonNode *node = child(obj, name);
  return node && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
}

JsonArray *child_array(JsonObject *obj, const char *name) {
  JsonNode *node = child(obj, name);
  return node && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : nullptr;
}

std::string child_string(JsonObject *obj, const char *name) {
  JsonNode *node = child(obj, name);
  return holds(node, G_TYPE_STRING) ? json_node_get_string(node) : "";
}

std::optional<gint64> child_int(JsonObject *obj, const char *name) {
  JsonNode *node = child(obj, name);
  if (!holds(node, G_TYPE_INT64))
    return std::nullopt;
  return json_node_get_int(node);
}

bool child_true(JsonObject *obj, const char *name) {
  JsonNode *node = child(obj, name);
  return holds(node, G_TYPE_BOOLEAN) && json_node_get_boolean(node);
}

std::string scalar_text(JsonNode *node) {
  if (holds(node, G_TYPE_STRING))
    return json_node_get_string(node);
  if (holds(node, G_TYPE_INT64))
    return std::to_string(json_node_get_int(node));
  if (holds(node, G_TYPE_DOUBLE)) {
    double value = json_node_get_double(node);
    if (value == std::floor(value) && std::fabs(value) < 1e15)
      return std::to_string(static_cast<gint64>(value));
    char buffer[G_ASCII_DTOSTR_BUF_SIZE];
    return g_ascii_dtostr(buffer, sizeof buffer, value);
  }
  if (holds(node, G_TYPE_BOOLEAN))
    return json_node_get_boolean(node) ? "true" : "false";
  return "";
}

JsonObject *parse_json_object(JsonParser *parser, std::string_view text, std::string *problem) {
  g_autoptr(GError) error = nullptr;
  if (text.empty()) {
    *problem = "the body is empty";
    return nullptr;
  }
  if (!load_json_bounded(parser, text, &error)) {
    *problem = std::string("it is not JSON (") + error->message + ")";
    return nullptr;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
    *problem = "it is not a JSON object";
    return nullptr;
  }
  return json_node_get_object(root);
}

}  // namespace sora
