/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "hostile_mode.h"

#include "api_key_check.h"
#include "json_text.h"

#include <algorithm>

namespace {

// A window title set, the screen cleared, the line rewound, then an 8-bit CSI (U+009B) and DEL:
// what a terminal obeys when a client prints server text as it is.
constexpr char kControlSequence[] =
    "\x1b]0;pwned\x07\x1b[2J\r\xc2\x9b"
    "31m\x7f";
constexpr const char *kErrorFields[] = {"code", "type", "message", "param"};

bool is_json(SoupServerMessage *message) {
  const char *type = soup_message_headers_get_content_type(
      soup_server_message_get_response_headers(message), nullptr);
  return type && g_str_has_prefix(type, "application/json");
}

std::string replace_all(std::string text, const std::string &from, const std::string &to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The key three ways, so that a client redacting only one of them is caught: as it is,
// URL-encoded, and JSON-escaped with "\/" (which the answer's text also uses for the first).
std::string key_echo(const std::string &key) {
  g_autofree char *url = g_uri_escape_string(key.c_str(), nullptr, FALSE);
  return key + " " + url + " " + replace_all(key, "/", "\\/");
}

void set_string_members(JsonObject *object, const std::vector<std::string> &names,
                        const std::string &value) {
  for (const std::string &name : names) {
    if (json_object_has_member(object, name.c_str())) {
      json_object_set_string_member(object, name.c_str(), value.c_str());
    }
  }
}

// The error object's fields, or those of an envelope ({"code", "message", "data"}).
void echo_in_error(JsonObject *root, const std::string &echo) {
  const std::vector<std::string> fields(std::begin(kErrorFields), std::end(kErrorFields));
  JsonNode *error = json_object_get_member(root, "error");
  if (error && JSON_NODE_HOLDS_OBJECT(error)) {
    JsonObject *object = json_node_get_object(error);
    for (const std::string &field : fields) {
      json_object_set_string_member(object, field.c_str(), echo.c_str());
    }
  } else if (error) {
    json_object_set_string_member(root, "error", echo.c_str());
  }
  set_string_members(root, {"code", "message"}, echo);
}

// Appends the control sequences to every string member named in @fields, at any depth; an
// `error` object (or string) counts as its text.
void add_controls(JsonNode *node, const std::vector<std::string> &fields) {
  if (JSON_NODE_HOLDS_ARRAY(node)) {
    JsonArray *array = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(array); i++) {
      add_controls(json_array_get_element(array, i), fields);
    }
    return;
  }
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    return;
  }
  JsonObject *object = json_node_get_object(node);
  g_autoptr(GList) names = json_object_get_members(object);
  for (GList *item = names; item; item = item->next) {
    const char *name = static_cast<const char *>(item->data);
    JsonNode *member = json_object_get_member(object, name);
    bool named = std::find(fields.begin(), fields.end(), name) != fields.end();
    if (named && json_node_get_value_type(member) == G_TYPE_STRING) {
      std::string text = json_node_get_string(member);
      json_object_set_string_member(object, name, (text + kControlSequence).c_str());
    } else if (named && g_strcmp0(name, "error") == 0 && JSON_NODE_HOLDS_OBJECT(member)) {
      add_controls(member, {"code", "message", "type"});
    } else {
      add_controls(member, fields);
    }
  }
}

// `text` (a JSON object) with a member holding arrays nested @depth levels: built as text, since
// json-glib would recurse as deep to write it.
std::string with_deep_member(const std::string &text, gint64 depth) {
  size_t end = text.rfind('}');
  if (end == std::string::npos) {
    return text;
  }
  bool empty = text.find_first_not_of(" \t\r\n", text.find('{') + 1) == end;
  std::string deep =
      std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']');
  return text.substr(0, end) + (empty ? "" : ",") + "\"nested\":" + deep + text.substr(end);
}

std::optional<std::string> read_string_list(JsonNode *node, const char *name,
                                            std::vector<std::string> &values) {
  if (!JSON_NODE_HOLDS_ARRAY(node)) {
    return std::string("'") + name + "' must be an array of strings";
  }
  JsonArray *array = json_node_get_array(node);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *element = json_array_get_element(array, i);
    if (json_node_get_value_type(element) != G_TYPE_STRING) {
      return std::string("'") + name + "' must be an array of strings";
    }
    values.emplace_back(json_node_get_string(element));
  }
  return std::nullopt;
}

std::optional<std::string> read_setting(const std::string &key, JsonNode *value,
                                        HostileSettings &settings) {
  if (key == "deep_json") {
    std::vector<std::string> names;
    if (auto error = read_string_list(value, "deep_json", names)) {
      return error;
    }
    for (const std::string &name : names) {
      std::optional<ApiRoute> route = parse_api_route(name.c_str());
      if (!route) {
        return "'deep_json' takes routes: " + api_route_names() + ", not '" + name + "'";
      }
      settings.deep_json_routes.push_back(*route);
    }
    return std::nullopt;
  }
  if (key == "deep_json_depth") {
    if (json_node_get_value_type(value) != G_TYPE_INT64 || json_node_get_int(value) < 1 ||
        json_node_get_int(value) > 10000000) {
      return std::string("'deep_json_depth' must be an integer from 1 to 10000000");
    }
    settings.deep_json_depth = json_node_get_int(value);
    return std::nullopt;
  }
  if (key == "echo_key") {
    if (json_node_get_value_type(value) != G_TYPE_BOOLEAN) {
      return std::string("'echo_key' must be true or false");
    }
    settings.echo_key = json_node_get_boolean(value);
    return std::nullopt;
  }
  if (key == "control_chars") {
    return read_string_list(value, "control_chars", settings.control_fields);
  }
  if (key == "next_task_id") {
    if (json_node_get_value_type(value) != G_TYPE_STRING) {
      return std::string("'next_task_id' must be a string");
    }
    settings.next_task_id = json_node_get_string(value);
    return std::nullopt;
  }
  return "unknown 'hostile' setting '" + key + "'";
}

JsonNodePtr string_array(const std::vector<std::string> &values) {
  JsonArray *array = json_array_new();
  for (const std::string &value : values) {
    json_array_add_string_element(array, value.c_str());
  }
  return json_node_from_array(array);
}

}  // namespace

std::optional<std::string> HostileMode::replace(JsonNode *node) {
  HostileSettings settings;
  if (std::optional<std::string> error =
          json_read_members(node, "hostile", [&settings](const char *key, JsonNode *value) {
            return read_setting(key, value, settings);
          })) {
    return error;
  }
  settings_ = std::move(settings);
  return std::nullopt;
}

JsonNodePtr HostileMode::to_json() const {
  g_autoptr(JsonObject) object = json_object_new();
  std::vector<std::string> routes;
  for (ApiRoute route : settings_.deep_json_routes) {
    routes.emplace_back(api_route_name(route));
  }
  json_object_set_member(object, "deep_json", string_array(routes).release());
  json_object_set_int_member(object, "deep_json_depth", settings_.deep_json_depth);
  json_object_set_boolean_member(object, "echo_key", settings_.echo_key);
  json_object_set_member(object, "control_chars", string_array(settings_.control_fields).release());
  json_set_optional_string(object, "next_task_id", settings_.next_task_id);
  return json_node_from_object(object);
}

std::optional<std::string> HostileMode::take_next_task_id() {
  return std::exchange(settings_.next_task_id, std::nullopt);
}

void HostileMode::rewrite(ApiRequest &request) const {
  SoupServerMessage *message = request.message.get();
  bool deep = request.route &&
              std::find(settings_.deep_json_routes.begin(), settings_.deep_json_routes.end(),
                        request.route->route) != settings_.deep_json_routes.end();
  bool active = deep || settings_.echo_key || !settings_.control_fields.empty();
  if (!active || request.listener != Listener::kApi || !is_json(message)) {
    return;
  }
  SoupMessageBody *body = soup_server_message_get_response_body(message);
  g_autoptr(GBytes) whole = soup_message_body_flatten(body);
  gsize size = 0;
  const char *data = static_cast<const char *>(g_bytes_get_data(whole, &size));
  JsonNodePtr root = json_parse_text(data ? data : "", size, nullptr);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root.get())) {
    return;  // a literal fault body that is not JSON, or filler still streaming
  }
  guint status = soup_server_message_get_status(message);
  std::string key = presented_key(soup_server_message_get_request_headers(message));
  const bool echo = settings_.echo_key && status >= 400 && !key.empty();
  if (echo) {
    std::string echoed = key_echo(key);
    echo_in_error(json_node_get_object(root.get()), echoed);
    soup_message_headers_replace(soup_server_message_get_response_headers(message), "x-request-id",
                                 ("req " + echoed).c_str());
  }
  if (!settings_.control_fields.empty()) {
    add_controls(root.get(), settings_.control_fields);
  }
  std::string text = json_to_text(root.get());
  if (echo) {
    text = replace_all(std::move(text), "/", "\\/");  // as PHP's json_encode writes it
  }
  if (deep) {
    text = with_deep_member(text, settings_.deep_json_depth);
  }
  soup_message_body_truncate(body);
  soup_message_body_append(body, SOUP_MEMORY_COPY, text.data(), text.size());
}
