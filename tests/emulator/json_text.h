/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Conversions between JSON text and json-glib nodes, used for request bodies, responses and the
// control API.
#pragma once

#include "glib_ptr.h"

#include <functional>
#include <optional>
#include <string>

// Parses UTF-8 JSON text; returns null and sets *error when the text is not valid JSON.
JsonNodePtr json_parse_text(const char *data, gsize length, GError **error);

// Serialises a node as compact JSON text.
std::string json_to_text(JsonNode *node);

// Wraps an object (taking a reference) or an array in a node.
JsonNodePtr json_node_from_object(JsonObject *object);
JsonNodePtr json_node_from_array(JsonArray *array);

// A control setting that is null (none) or an object read member by member: `read` is given
// each member and returns the first problem; `name` is the setting's, for the message.
std::optional<std::string> json_read_members(
    JsonNode *node, const char *name,
    const std::function<std::optional<std::string>(const char *key, JsonNode *value)> &read);

// Sets a member to the value, or to null when there is none.
void json_set_optional_string(JsonObject *object, const char *name,
                              const std::optional<std::string> &value);
void json_set_optional_int(JsonObject *object, const char *name,
                           const std::optional<gint64> &value);
