/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "chaos_mode.h"

#include "json_text.h"
#include "named_values.h"

#include <algorithm>
#include <cmath>

namespace {

const NamedValue<ChaosKind> kKinds[] = {
    {ChaosKind::kRateLimit, "rate_limit"},
    {ChaosKind::kServerError, "server_error"},
    {ChaosKind::kHtml, "html"},
    {ChaosKind::kCutJson, "cut_json"},
    {ChaosKind::kHang, "hang"},
    {ChaosKind::kDrop, "drop"},
    {ChaosKind::kDropAfter, "drop_after"},
    {ChaosKind::kTruncate, "truncate"},
    {ChaosKind::kThrottle, "throttle"},
    {ChaosKind::kRedirect, "redirect"},
    {ChaosKind::kRangeIgnored, "range_ignored"},
};

const NamedValue<TaskChaos> kTaskChaos[] = {
    {TaskChaos::kNone, "none"},
    {TaskChaos::kFails, "fails"},
    {TaskChaos::kExpires, "expires"},
};

// What a request to each kind of route can meet. The API's answers are JSON; downloads can also
// be cut, slowed, redirected to the CDN (from the API only) or have their Range ignored.
const ChaosKind kJsonKinds[] = {ChaosKind::kRateLimit, ChaosKind::kServerError, ChaosKind::kHtml,
                                ChaosKind::kCutJson,   ChaosKind::kHang,        ChaosKind::kDrop,
                                ChaosKind::kDropAfter};
const ChaosKind kContentKinds[] = {
    ChaosKind::kRateLimit, ChaosKind::kServerError, ChaosKind::kHtml,
    ChaosKind::kHang,      ChaosKind::kDrop,        ChaosKind::kTruncate,
    ChaosKind::kThrottle,  ChaosKind::kRedirect,    ChaosKind::kRangeIgnored};

// A gateway's error page, as nginx sends it in front of a failing upstream.
constexpr char kHtmlPage[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
    "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

// SplitMix64 (Steele, Lea and Flood 2014): one 64-bit state, good enough for fault draws.
guint64 splitmix64(guint64 &state) {
  state += G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
  guint64 z = state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

guint64 fnv1a(const std::string &text) {
  guint64 hash = G_GUINT64_CONSTANT(0xcbf29ce484222325);
  for (unsigned char c : text) {
    hash = (hash ^ c) * G_GUINT64_CONSTANT(0x100000001b3);
  }
  return hash;
}

// Draws from one state.
class Draws {
 public:
  explicit Draws(guint64 state) : state_(state) {}
  double uniform() { return static_cast<double>(splitmix64(state_) >> 11) / 9007199254740992.0; }
  guint64 below(guint64 n) { return n == 0 ? 0 : splitmix64(state_) % n; }

 private:
  guint64 state_;
};

bool is_number(JsonNode *node) {
  GType type = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

std::optional<std::string> read_share(JsonNode *node, const char *name, double &value) {
  if (!is_number(node) || json_node_get_double(node) < 0 || json_node_get_double(node) > 1) {
    return std::string("chaos '") + name + "' must be a number from 0 to 1";
  }
  value = json_node_get_double(node);
  return std::nullopt;
}

std::optional<std::string> read_count(JsonNode *node, const char *name, gint64 &value) {
  if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64 ||
      json_node_get_int(node) < 0) {
    return std::string("chaos '") + name + "' must be a non-negative integer";
  }
  value = json_node_get_int(node);
  return std::nullopt;
}

std::optional<std::string> read_kinds(JsonNode *node, std::vector<ChaosKind> &kinds) {
  std::string problem = "chaos 'kinds' must be an array of " + names_of(kKinds);
  if (!JSON_NODE_HOLDS_ARRAY(node)) {
    return problem;
  }
  JsonArray *array = json_node_get_array(node);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *element = json_array_get_element(array, i);
    std::optional<ChaosKind> kind;
    if (JSON_NODE_HOLDS_VALUE(element) && json_node_get_value_type(element) == G_TYPE_STRING) {
      kind = value_named(kKinds, json_node_get_string(element));
    }
    if (!kind) {
      return problem;
    }
    kinds.push_back(*kind);
  }
  return std::nullopt;
}

std::optional<std::string> read_setting(const std::string &key, JsonNode *value,
                                        ChaosSettings &settings) {
  if (key == "seed") {
    gint64 seed = 0;
    std::optional<std::string> error = read_count(value, "seed", seed);
    settings.seed = static_cast<guint64>(seed);
    return error;
  }
  if (key == "rate") {
    return read_share(value, "rate", settings.rate);
  }
  if (key == "hang_max_ms") {
    return read_count(value, "hang_max_ms", settings.hang_max_ms);
  }
  if (key == "retry_after_max_s") {
    return read_count(value, "retry_after_max_s", settings.retry_after_max_s);
  }
  if (key == "task_failure_rate") {
    return read_share(value, "task_failure_rate", settings.task_failure_rate);
  }
  if (key == "task_expiry_rate") {
    return read_share(value, "task_expiry_rate", settings.task_expiry_rate);
  }
  if (key == "expiry_s") {
    return read_count(value, "expiry_s", settings.expiry_s);
  }
  if (key == "kinds") {
    return read_kinds(value, settings.kinds);
  }
  return "unknown chaos setting '" + key + "'";
}

bool is_json_route(ApiRoute route) {
  return route != ApiRoute::kContent;
}

const char *text_member(JsonNode *node, const char *name) {
  JsonNode *member = node && JSON_NODE_HOLDS_OBJECT(node)
                         ? json_object_get_member(json_node_get_object(node), name)
                         : nullptr;
  bool is_text =
      member && JSON_NODE_HOLDS_VALUE(member) && json_node_get_value_type(member) == G_TYPE_STRING;
  return is_text ? json_node_get_string(member) : nullptr;
}

// The prompt a create, remix or extension carries: `prompt`, or where the native providers put
// it (Replicate's `input.prompt`, the Gemini API's `instances[0].prompt`).
std::string prompt_in(const ApiRequest &request) {
  JsonNodePtr prompt = request.body.parsed_value("prompt");
  bool is_text = prompt && JSON_NODE_HOLDS_VALUE(prompt.get()) &&
                 json_node_get_value_type(prompt.get()) == G_TYPE_STRING;
  if (is_text) {
    return json_node_get_string(prompt.get());
  }
  JsonNode *body = request.body.json.get();
  JsonNode *input = body && JSON_NODE_HOLDS_OBJECT(body)
                        ? json_object_get_member(json_node_get_object(body), "input")
                        : nullptr;
  JsonNode *instances = body && JSON_NODE_HOLDS_OBJECT(body)
                            ? json_object_get_member(json_node_get_object(body), "instances")
                            : nullptr;
  const char *native = text_member(input, "prompt");
  if (!native && instances && JSON_NODE_HOLDS_ARRAY(instances) &&
      json_array_get_length(json_node_get_array(instances)) > 0) {
    native = text_member(json_array_get_element(json_node_get_array(instances), 0), "prompt");
  }
  return native ? native : "";
}

}  // namespace

const char *chaos_kind_name(ChaosKind kind) {
  return name_of(kKinds, kind);
}

const char *task_chaos_name(TaskChaos chaos) {
  return name_of(kTaskChaos, chaos);
}

std::string ChaosFate::describe() const {
  std::string name = chaos_kind_name(kind);
  auto percent = [this] { return std::to_string(static_cast<int>(cut_fraction * 100)) + " %"; };
  switch (kind) {
    case ChaosKind::kRateLimit:
      return retry_after_s > 0 ? "429, Retry-After: " + std::to_string(retry_after_s)
                               : "429, retry-after-ms: " + std::to_string(retry_after_ms);
    case ChaosKind::kServerError:
      return std::to_string(status);
    case ChaosKind::kHtml:
      return "an HTML page with " + std::to_string(status);
    case ChaosKind::kCutJson:
      return "the answer cut at " + percent();
    case ChaosKind::kHang:
      return "answered after " + std::to_string(delay_ms) + " ms";
    case ChaosKind::kDrop:
      return "dropped before the request was handled";
    case ChaosKind::kDropAfter:
      return "dropped once the request was handled, without the answer";
    case ChaosKind::kTruncate:
      return "the body cut at " + percent();
    case ChaosKind::kThrottle:
      return "throttled to " + std::to_string(bytes_per_second) + " B/s";
    case ChaosKind::kRedirect:
      return std::to_string(status) + " to the CDN";
    case ChaosKind::kRangeIgnored:
      return "Range ignored";
  }
  return name;
}

FaultRule ChaosFate::as_fault_rule() const {
  FaultRule rule;
  switch (kind) {
    case ChaosKind::kRateLimit:
      rule.action = FaultAction::kStatus;
      rule.status = status;
      if (retry_after_s > 0) {
        rule.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
      } else {
        rule.headers.emplace_back("retry-after-ms", std::to_string(retry_after_ms));
      }
      break;
    case ChaosKind::kServerError:
      rule.action = FaultAction::kStatus;
      rule.status = status;
      break;
    case ChaosKind::kHtml:
      rule.action = FaultAction::kBody;
      rule.status = status;
      rule.body = kHtmlPage;
      rule.content_type = "text/html; charset=utf-8";
      break;
    case ChaosKind::kHang:
      rule.action = FaultAction::kDelay;
      rule.delay_ms = delay_ms;
      break;
    case ChaosKind::kDrop:
      rule.action = FaultAction::kDrop;
      break;
    case ChaosKind::kDropAfter:
      rule.action = FaultAction::kAcceptThenDrop;
      break;
    case ChaosKind::kThrottle:
      rule.action = FaultAction::kThrottle;
      rule.bytes_per_second = static_cast<gint64>(bytes_per_second);
      break;
    case ChaosKind::kRedirect:
      rule.action = FaultAction::kRedirect;
      rule.status = status;
      rule.redirect_to = RedirectTarget::kCdn;
      break;
    case ChaosKind::kCutJson:
    case ChaosKind::kTruncate:
    case ChaosKind::kRangeIgnored:
      g_warn_if_reached();
      break;
  }
  return rule;
}

std::optional<std::string> ChaosMode::replace(JsonNode *node) {
  ChaosSettings settings;
  if (std::optional<std::string> error =
          json_read_members(node, "chaos", [&settings](const char *key, JsonNode *value) {
            return read_setting(key, value, settings);
          })) {
    return error;
  }
  *this = ChaosMode();
  settings_ = std::move(settings);
  return std::nullopt;
}

void ChaosMode::set(guint64 seed, double rate) {
  *this = ChaosMode();
  settings_.seed = seed;
  settings_.rate = rate;
}

guint64 ChaosMode::next_state(const std::string &key) {
  guint64 count = draws_[key]++;
  guint64 state = settings_.seed;
  splitmix64(state);
  state ^= fnv1a(key);
  splitmix64(state);
  return state ^ (count * G_GUINT64_CONSTANT(0xD1B54A32D192ED03));
}

std::optional<ChaosFate> ChaosMode::draw(const ApiRequest &request, const PromptOf &prompt_of) {
  // fal's status stream is answered over time, which the faults drawn here cannot cut into.
  if (settings_.rate <= 0 || !request.route || request.route->route == ApiRoute::kStream) {
    return std::nullopt;
  }
  const RouteMatch &route = *request.route;
  std::string identity;
  if (!route.video_id.empty()) {
    std::string prompt = prompt_of(route.video_id);
    identity = prompt.empty() ? "id:" + route.video_id : "prompt:" + prompt;
  } else if (route.route == ApiRoute::kCreate || route.route == ApiRoute::kExtensions) {
    identity = "prompt:" + prompt_in(request);
  }
  std::string key = std::string(listener_name(request.listener)) + "|" +
                    api_route_name(route.route) + "|" + identity;
  Draws draws(next_state(key));
  requests_++;
  if (draws.uniform() >= settings_.rate) {
    return std::nullopt;
  }
  std::vector<ChaosKind> kinds;
  if (is_json_route(route.route)) {
    kinds.assign(std::begin(kJsonKinds), std::end(kJsonKinds));
  } else {
    for (ChaosKind kind : kContentKinds) {
      if (kind != ChaosKind::kRedirect || request.listener == Listener::kApi) {
        kinds.push_back(kind);
      }
    }
  }
  if (!settings_.kinds.empty()) {
    kinds.erase(std::remove_if(kinds.begin(), kinds.end(),
                               [this](ChaosKind kind) {
                                 return std::find(settings_.kinds.begin(), settings_.kinds.end(),
                                                  kind) == settings_.kinds.end();
                               }),
                kinds.end());
  }
  if (kinds.empty()) {
    return std::nullopt;
  }
  ChaosFate fate;
  fate.kind = kinds[draws.below(kinds.size())];
  switch (fate.kind) {
    case ChaosKind::kRateLimit:
      fate.status = 429;
      if (draws.uniform() < 0.7) {
        fate.retry_after_s = static_cast<guint>(draws.below(settings_.retry_after_max_s + 1));
      }
      if (fate.retry_after_s == 0) {
        fate.retry_after_ms =
            static_cast<guint>(draws.below(settings_.retry_after_max_s * 1000 + 1));
      }
      break;
    case ChaosKind::kServerError: {
      const guint statuses[] = {500, 502, 503};
      fate.status = statuses[draws.below(3)];
      break;
    }
    case ChaosKind::kHtml:
      fate.status = draws.uniform() < 0.67 ? 502 : 200;
      break;
    case ChaosKind::kCutJson:
    case ChaosKind::kTruncate:
      fate.cut_fraction = draws.uniform();
      break;
    case ChaosKind::kHang:
      fate.delay_ms = static_cast<gint64>(draws.below(settings_.hang_max_ms + 1));
      break;
    case ChaosKind::kThrottle:
      // 8 KB/s to 512 KB/s, evenly on a log scale.
      fate.bytes_per_second = static_cast<guint64>(8000 * std::pow(64.0, draws.uniform()));
      break;
    case ChaosKind::kRedirect:
      fate.status = draws.uniform() < 0.5 ? 302 : 307;
      break;
    case ChaosKind::kDrop:
    case ChaosKind::kDropAfter:
    case ChaosKind::kRangeIgnored:
      break;
  }
  drawn_[chaos_kind_name(fate.kind)]++;
  return fate;
}

TaskChaos ChaosMode::draw_task(const std::string &prompt) {
  if (!task_rates_set()) {
    return TaskChaos::kNone;
  }
  Draws draws(next_state("task|" + prompt));
  double draw = draws.uniform();
  TaskChaos chaos = draw < settings_.task_failure_rate ? TaskChaos::kFails
                    : draw < settings_.task_failure_rate + settings_.task_expiry_rate
                        ? TaskChaos::kExpires
                        : TaskChaos::kNone;
  if (chaos != TaskChaos::kNone) {
    drawn_[std::string("task_") + task_chaos_name(chaos)]++;
  }
  return chaos;
}

JsonNodePtr ChaosMode::to_json() const {
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_int_member(object, "seed", static_cast<gint64>(settings_.seed));
  json_object_set_double_member(object, "rate", settings_.rate);
  json_object_set_int_member(object, "hang_max_ms", settings_.hang_max_ms);
  json_object_set_int_member(object, "retry_after_max_s", settings_.retry_after_max_s);
  json_object_set_double_member(object, "task_failure_rate", settings_.task_failure_rate);
  json_object_set_double_member(object, "task_expiry_rate", settings_.task_expiry_rate);
  json_object_set_int_member(object, "expiry_s", settings_.expiry_s);
  JsonArray *kinds = json_array_new();
  for (ChaosKind kind : settings_.kinds) {
    json_array_add_string_element(kinds, chaos_kind_name(kind));
  }
  json_object_set_array_member(object, "kinds", kinds);
  json_object_set_int_member(object, "requests", static_cast<gint64>(requests_));
  JsonObject *drawn = json_object_new();
  for (const auto &[name, count] : drawn_) {
    json_object_set_int_member(drawn, name.c_str(), static_cast<gint64>(count));
  }
  json_object_set_object_member(object, "drawn", drawn);
  return json_node_from_object(object);
}
