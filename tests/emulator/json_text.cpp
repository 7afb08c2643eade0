/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "json_text.h"

JsonNodePtr json_parse_text(const char *data, gsize length, GError **error) {
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_data(parser, data, static_cast<gssize>(length), error)) {
    return nullptr;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (!root) {
    g_set_error_literal(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "empty JSON document");
    return nullptr;
  }
  return JsonNodePtr(json_node_copy(root));
}

std::string json_to_text(JsonNode *node) {
  g_autofree char *text = json_to_string(node, FALSE);
  // json-glib 1.6 leaves U+001F unescaped inside strings, which strict parsers reject; a raw 0x1F
  // byte can only occur inside a string, so escaping every one is safe.
  std::string escaped;
  for (const char *c = text; *c; c++) {
    if (*c == '\x1f') {
      escaped += "\\u001f";
    } else {
      escaped += *c;
    }
  }
  return escaped;
}

JsonNodePtr json_node_from_object(JsonObject *object) {
  JsonNode *node = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(node, object);
  return JsonNodePtr(node);
}

JsonNodePtr json_node_from_array(JsonArray *array) {
  JsonNode *node = json_node_new(JSON_NODE_ARRAY);
  json_node_set_array(node, array);
  return JsonNodePtr(node);
}

void json_set_optional_string(JsonObject *object, const char *name,
                              const std::optional<std::string> &value) {
  if (value) {
    json_object_set_string_member(object, name, value->c_str());
  } else {
    json_object_set_null_member(object, name);
  }
}

void json_set_optional_int(JsonObject *object, const char *name,
                           const std::optional<gint64> &value) {
  if (value) {
    json_object_set_int_member(object, name, *value);
  } else {
    json_object_set_null_member(object, name);
  }
}

std::optional<std::string> json_read_members(
    JsonNode *node, const char *name,
    const std::function<std::optional<std::string>(const char *key, JsonNode *value)> &read) {
  if (JSON_NODE_HOLDS_NULL(node)) {
    return std::nullopt;
  }
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    return std::string("'") + name + "' must be an object or null";
  }
  JsonObjectIter iter;
  const char *key = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, json_node_get_object(node));
  while (json_object_iter_next(&iter, &key, &value)) {
    if (std::optional<std::string> error = read(key, value)) {
      return error;
    }
  }
  return std::nullopt;
}
