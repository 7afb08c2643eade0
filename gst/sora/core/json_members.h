/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The few ways the providers' readers look into a JSON answer: a member
 * of a given kind, or nothing when it is absent or of another kind (an
 * answer's shape is never trusted). Texts are parsed through json_limits.h. */
#pragma once

#include <json-glib/json-glib.h>

#include <optional>
#include <string>
#include <string_view>

namespace sora {

/* The member `name` of `obj` (which may be null) when it is an object, an
 * array, a string, an integer or true; else null, "", nullopt, false. */
JsonObject *child_object(JsonObject *obj, const char *name);
JsonArray *child_array(JsonObject *obj, const char *name);
std::string child_string(JsonObject *obj, const char *name);
std::optional<gint64> child_int(JsonObject *obj, const char *name);
bool child_true(JsonObject *obj, const char *name);

/* A scalar as text: "5" for 5 and 5.0, "true", the string itself; "" for
 * anything else. */
std::string scalar_text(JsonNode *node);

/* `text` parsed into `parser` (bounded), its root object; null and
 * `problem` when it is not JSON or not an object. */
JsonObject *parse_json_object(JsonParser *parser, std::string_view text, std::string *problem);

}  // namespace sora
