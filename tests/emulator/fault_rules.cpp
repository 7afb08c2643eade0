/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fault_rules.h"

#include "json_text.h"
#include "named_values.h"

#include <algorithm>

namespace {

const NamedValue<FaultAction> kActions[] = {
    {FaultAction::kStatus, "status"},
    {FaultAction::kDelay, "delay"},
    {FaultAction::kHang, "hang"},
    {FaultAction::kAcceptThenDrop, "accept_then_drop"},
    {FaultAction::kDrop, "drop"},
    {FaultAction::kTruncate, "truncate"},
    {FaultAction::kThrottle, "throttle"},
    {FaultAction::kBody, "body"},
    {FaultAction::kRedirect, "redirect"},
    {FaultAction::kHugeClip, "huge_clip"},
    {FaultAction::kCorruptMoov, "corrupt_moov"},
};
const NamedValue<RedirectTarget> kRedirectTargets[] = {
    {RedirectTarget::kCdn, "cdn"},
    {RedirectTarget::kSelf, "self"},
};

const char *const kMatchKeys[] = {"action", "method", "route", "video_id", "host", "skip", "times"};

// The keys each action takes besides the matching ones, and the route it is limited to; a
// truncate also cuts fal's status stream.
struct ActionSpec {
  FaultAction action;
  std::vector<std::string> parameters;
  std::optional<ApiRoute> only_route;
  std::optional<ApiRoute> also_route = std::nullopt;
};

const ActionSpec kActionSpecs[] = {
    {FaultAction::kStatus,
     {"status", "body", "content_type", "headers", "error_code", "error_type"},
     std::nullopt},
    {FaultAction::kDelay, {"delay_ms"}, std::nullopt},
    {FaultAction::kHang, {}, std::nullopt},
    {FaultAction::kAcceptThenDrop, {}, ApiRoute::kCreate},
    {FaultAction::kDrop, {}, std::nullopt},
    {FaultAction::kTruncate, {"after_bytes"}, ApiRoute::kContent, ApiRoute::kStream},
    {FaultAction::kThrottle, {"bytes_per_second"}, ApiRoute::kContent},
    {FaultAction::kBody, {"status", "body", "body_size", "content_type", "headers"}, std::nullopt},
    {FaultAction::kRedirect, {"status", "location", "to", "headers"}, std::nullopt},
    {FaultAction::kHugeClip, {"announced_bytes", "sent_bytes"}, ApiRoute::kContent},
    {FaultAction::kCorruptMoov, {"sample_count", "bytes_per_second"}, ApiRoute::kContent},
};

const ActionSpec &spec_of(FaultAction action) {
  return *std::find_if(std::begin(kActionSpecs), std::end(kActionSpecs),
                       [action](const ActionSpec &spec) { return spec.action == action; });
}

bool is_string(JsonNode *node) {
  return json_node_get_value_type(node) == G_TYPE_STRING;
}

std::string must_be(const std::string &key, const std::string &what) {
  return "fault '" + key + "' must be " + what;
}

std::optional<std::string> read_string(JsonNode *node, const std::string &key,
                                       std::optional<std::string> &value) {
  if (!is_string(node)) {
    return must_be(key, "a string");
  }
  value = json_node_get_string(node);
  return std::nullopt;
}

std::optional<std::string> read_integer(JsonNode *node, const std::string &key, gint64 min,
                                        gint64 max, gint64 &value) {
  bool is_int = json_node_get_value_type(node) == G_TYPE_INT64;
  if (!is_int || json_node_get_int(node) < min || json_node_get_int(node) > max) {
    return must_be(key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  value = json_node_get_int(node);
  return std::nullopt;
}

std::optional<std::string> read_integer(JsonNode *node, const std::string &key, gint64 min,
                                        gint64 max, std::optional<gint64> &value) {
  gint64 parsed = 0;
  std::optional<std::string> error = read_integer(node, key, min, max, parsed);
  value = parsed;
  return error;
}

template <typename E, size_t N>
std::optional<std::string> read_name(JsonNode *node, const std::string &key,
                                     const NamedValue<E> (&table)[N], std::optional<E> &value) {
  value = is_string(node) ? value_named(table, json_node_get_string(node)) : std::nullopt;
  return value ? std::nullopt : std::optional(must_be(key, names_of(table)));
}

std::optional<std::string> read_headers(JsonNode *node,
                                        std::vector<std::pair<std::string, std::string>> &headers) {
  std::string problem = must_be("headers", "an object of strings");
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    return problem;
  }
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, json_node_get_object(node));
  while (json_object_iter_next(&iter, &name, &value)) {
    if (!is_string(value)) {
      return problem;
    }
    headers.emplace_back(name, json_node_get_string(value));
  }
  return std::nullopt;
}

std::optional<std::string> read_action(JsonObject *object, FaultAction &action) {
  JsonNode *node = json_object_get_member(object, "action");
  std::optional<FaultAction> parsed;
  if (!node || read_name(node, "action", kActions, parsed)) {
    return must_be("action", names_of(kActions));
  }
  action = *parsed;
  return std::nullopt;
}

std::optional<std::string> read_match_key(const std::string &key, JsonNode *value,
                                          FaultRule &rule) {
  if (key == "method") {
    return read_string(value, key, rule.method);
  }
  if (key == "route") {
    rule.route = is_string(value) ? parse_api_route(json_node_get_string(value)) : std::nullopt;
    return rule.route ? std::nullopt : std::optional(must_be(key, api_route_names()));
  }
  if (key == "video_id") {
    return read_string(value, key, rule.video_id);
  }
  if (key == "host") {
    rule.host = is_string(value) ? parse_listener(json_node_get_string(value)) : std::nullopt;
    return rule.host ? std::nullopt : std::optional(must_be(key, "'api' or 'cdn'"));
  }
  if (key == "skip") {
    return read_integer(value, key, 0, G_MAXINT32, rule.skip);
  }
  if (key == "times") {
    return read_integer(value, key, -1, G_MAXINT32, rule.times);
  }
  return std::nullopt;  // "action", read first
}

std::optional<std::string> read_parameter(const std::string &key, JsonNode *value,
                                          FaultRule &rule) {
  if (key == "status") {
    return read_integer(value, key, 100, 599, rule.status);
  }
  if (key == "body") {
    return read_string(value, key, rule.body);
  }
  if (key == "body_size") {
    return read_integer(value, key, 0, G_MAXINT64, rule.body_size);
  }
  if (key == "content_type") {
    return read_string(value, key, rule.content_type);
  }
  if (key == "headers") {
    return read_headers(value, rule.headers);
  }
  if (key == "error_code") {
    return read_string(value, key, rule.error_code);
  }
  if (key == "error_type") {
    return read_string(value, key, rule.error_type);
  }
  if (key == "delay_ms") {
    return read_integer(value, key, 0, G_MAXINT32, rule.delay_ms);
  }
  if (key == "after_bytes") {
    return read_integer(value, key, 0, G_MAXINT64, rule.after_bytes);
  }
  if (key == "bytes_per_second") {
    return read_integer(value, key, 1, G_MAXINT64, rule.bytes_per_second);
  }
  if (key == "location") {
    return read_string(value, key, rule.location);
  }
  if (key == "announced_bytes") {
    return read_integer(value, key, 1, G_MAXINT64, rule.announced_bytes);
  }
  if (key == "sent_bytes") {
    return read_integer(value, key, 1, G_MAXINT64, rule.sent_bytes);
  }
  if (key == "sample_count") {
    return read_integer(value, key, 0, G_MAXUINT32, rule.sample_count);
  }
  return read_name(value, key, kRedirectTargets, rule.redirect_to);  // "to"
}

std::optional<std::string> read_member(const std::string &key, JsonNode *value, FaultRule &rule) {
  if (std::find(std::begin(kMatchKeys), std::end(kMatchKeys), key) != std::end(kMatchKeys)) {
    return read_match_key(key, value, rule);
  }
  const std::vector<std::string> &parameters = spec_of(rule.action).parameters;
  if (std::find(parameters.begin(), parameters.end(), key) == parameters.end()) {
    return "fault key '" + key + "' does not apply to action '" + fault_action_name(rule.action) +
           "'";
  }
  return read_parameter(key, value, rule);
}

// What the rule's action cannot do without, when it is missing.
std::optional<std::string> missing_parameter(const FaultRule &rule) {
  switch (rule.action) {
    case FaultAction::kStatus:
      return rule.status ? std::nullopt : std::optional<std::string>("'status'");
    case FaultAction::kDelay:
      return rule.delay_ms ? std::nullopt : std::optional<std::string>("'delay_ms'");
    case FaultAction::kTruncate:
      return rule.after_bytes ? std::nullopt : std::optional<std::string>("'after_bytes'");
    case FaultAction::kThrottle:
      return rule.bytes_per_second ? std::nullopt
                                   : std::optional<std::string>("'bytes_per_second'");
    case FaultAction::kBody:
      return rule.body.has_value() != rule.body_size.has_value()
                 ? std::nullopt
                 : std::optional<std::string>("one of 'body' and 'body_size'");
    case FaultAction::kRedirect:
      return rule.location.has_value() != rule.redirect_to.has_value()
                 ? std::nullopt
                 : std::optional<std::string>("one of 'location' and 'to'");
    case FaultAction::kHugeClip:
      if (!rule.announced_bytes && !rule.sent_bytes) {
        return std::optional<std::string>("'announced_bytes' or 'sent_bytes'");
      }
      if (rule.announced_bytes && rule.sent_bytes && *rule.sent_bytes > *rule.announced_bytes) {
        // libsoup never sends more than the Content-Length: leave announced_bytes out instead.
        return std::optional<std::string>("'sent_bytes' at most 'announced_bytes'");
      }
      break;
    case FaultAction::kHang:
    case FaultAction::kAcceptThenDrop:
    case FaultAction::kDrop:
    case FaultAction::kCorruptMoov:
      break;
  }
  return std::nullopt;
}

std::optional<std::string> check_complete(const FaultRule &rule) {
  std::string action = fault_action_name(rule.action);
  const ActionSpec &spec = spec_of(rule.action);
  if (spec.only_route && rule.route != spec.only_route &&
      (!spec.also_route || rule.route != spec.also_route)) {
    return "fault action '" + action + "' needs \"route\": \"" +
           api_route_name(*spec.only_route) + "\"" +
           (spec.also_route ? std::string(" or \"") + api_route_name(*spec.also_route) + "\""
                            : std::string());
  }
  if (std::optional<std::string> missing = missing_parameter(rule)) {
    return "fault action '" + action + "' needs " + *missing;
  }
  return std::nullopt;
}

void set_optional_string(JsonObject *object, const char *key,
                         const std::optional<std::string> &value) {
  if (value) {
    json_object_set_string_member(object, key, value->c_str());
  }
}

void set_optional_int(JsonObject *object, const char *key, const std::optional<gint64> &value) {
  if (value) {
    json_object_set_int_member(object, key, *value);
  }
}

void set_parameters(const FaultRule &rule, JsonObject *object) {
  set_optional_int(object, "status", rule.status);
  set_optional_string(object, "body", rule.body);
  set_optional_int(object, "body_size", rule.body_size);
  set_optional_string(object, "content_type", rule.content_type);
  if (!rule.headers.empty()) {
    JsonObject *headers = json_object_new();
    for (const auto &[name, value] : rule.headers) {
      json_object_set_string_member(headers, name.c_str(), value.c_str());
    }
    json_object_set_object_member(object, "headers", headers);
  }
  set_optional_string(object, "error_code", rule.error_code);
  set_optional_string(object, "error_type", rule.error_type);
  set_optional_int(object, "delay_ms", rule.delay_ms);
  set_optional_int(object, "after_bytes", rule.after_bytes);
  set_optional_int(object, "bytes_per_second", rule.bytes_per_second);
  set_optional_string(object, "location", rule.location);
  set_optional_int(object, "announced_bytes", rule.announced_bytes);
  set_optional_int(object, "sent_bytes", rule.sent_bytes);
  set_optional_int(object, "sample_count", rule.sample_count);
  if (rule.redirect_to) {
    json_object_set_string_member(object, "to", name_of(kRedirectTargets, *rule.redirect_to));
  }
}

}  // namespace

const char *fault_action_name(FaultAction action) {
  return name_of(kActions, action);
}

bool FaultRule::matches(const ApiRequest &request) const {
  std::optional<ApiRoute> request_route;
  if (request.route) {
    request_route = request.route->route;
  }
  return (!method || g_ascii_strcasecmp(method->c_str(), request.method.c_str()) == 0) &&
         (!route || route == request_route) &&
         (!video_id || (request.route && *video_id == request.route->video_id)) &&
         (!host || *host == request.listener);
}

std::optional<std::string> FaultRule::parse(JsonNode *node, FaultRule &rule) {
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    return std::string("each fault must be an object");
  }
  JsonObject *object = json_node_get_object(node);
  FaultRule parsed;
  if (std::optional<std::string> error = read_action(object, parsed.action)) {
    return error;
  }
  JsonObjectIter iter;
  const char *key = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, object);
  while (json_object_iter_next(&iter, &key, &value)) {
    if (std::optional<std::string> error = read_member(key, value, parsed)) {
      return error;
    }
  }
  if (std::optional<std::string> error = check_complete(parsed)) {
    return error;
  }
  rule = std::move(parsed);
  return std::nullopt;
}

JsonNodePtr FaultRule::to_json() const {
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_string_member(object, "action", fault_action_name(action));
  set_optional_string(object, "method", method);
  if (route) {
    json_object_set_string_member(object, "route", api_route_name(*route));
  }
  set_optional_string(object, "video_id", video_id);
  if (host) {
    json_object_set_string_member(object, "host", listener_name(*host));
  }
  json_object_set_int_member(object, "skip", skip);
  json_object_set_int_member(object, "times", times);
  set_parameters(*this, object);
  return json_node_from_object(object);
}

std::optional<std::string> FaultRules::replace(JsonNode *array) {
  if (!JSON_NODE_HOLDS_ARRAY(array)) {
    return std::string("'faults' must be an array of rules");
  }
  std::vector<FaultRule> rules;
  JsonArray *elements = json_node_get_array(array);
  for (guint i = 0; i < json_array_get_length(elements); i++) {
    FaultRule rule;
    if (std::optional<std::string> error =
            FaultRule::parse(json_array_get_element(elements, i), rule)) {
      return "faults[" + std::to_string(i) + "]: " + *error;
    }
    rules.push_back(std::move(rule));
  }
  rules_ = std::move(rules);
  return std::nullopt;
}

// A rule still skipping lets the request through but leaves later rules their chance at it.
std::optional<FaultRule> FaultRules::take(const ApiRequest &request) {
  for (FaultRule &rule : rules_) {
    if (rule.times == 0 || !rule.matches(request)) {
      continue;
    }
    if (rule.skip > 0) {
      rule.skip--;
      continue;
    }
    if (rule.times > 0) {
      rule.times--;
    }
    return rule;
  }
  return std::nullopt;
}

JsonNodePtr FaultRules::to_json() const {
  g_autoptr(JsonArray) array = json_array_new();
  for (const FaultRule &rule : rules_) {
    json_array_add_element(array, rule.to_json().release());
  }
  return json_node_from_array(array);
}
