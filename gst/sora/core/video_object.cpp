/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/video_object.h"

#include "core/glib_ptr.h"
#include "core/json_limits.h"

#include <json-glib/json-glib.h>

#include <cmath>

namespace sora {

namespace {

/* json-glib's typed getters warn on a type mismatch; servers send whatever
 * they like, so every read checks the node's type first. */
JsonNode *member(JsonObject *obj, const char *name) {
  return obj && json_object_has_member(obj, name) ? json_object_get_member(obj, name) : nullptr;
}

JsonObject *object_member(JsonObject *obj, const char *name) {
  JsonNode *node = member(obj, name);
  return node && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
}

/* Strings as they are; integers and reals printed, so numeric ids and
 * `"seconds": 4` read the same as their string forms. */
std::optional<std::string> text_member(JsonObject *obj, const char *name) {
  JsonNode *node = member(obj, name);
  if (!node || !JSON_NODE_HOLDS_VALUE(node))
    return std::nullopt;
  switch (json_node_get_value_type(node)) {
    case G_TYPE_STRING:
      return std::string(json_node_get_string(node));
    case G_TYPE_INT64:
      return std::to_string(json_node_get_int(node));
    case G_TYPE_DOUBLE: {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return std::string(g_ascii_dtostr(buf, sizeof buf, json_node_get_double(node)));
    }
    default:
      return std::nullopt;
  }
}

std::string text_or_empty(JsonObject *obj, const char *name) {
  return text_member(obj, name).value_or(std::string());
}

std::optional<gint64> time_member(JsonObject *obj, const char *name) {
  JsonNode *node = member(obj, name);
  if (!node || !JSON_NODE_HOLDS_VALUE(node))
    return std::nullopt;
  switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      return json_node_get_int(node);
    case G_TYPE_DOUBLE: {
      /* A time no cast can hold (1e300, inf) is no time (found by fuzzing). */
      double value = json_node_get_double(node);
      if (!(value > -9.2e18 && value < 9.2e18))
        return std::nullopt;
      return static_cast<gint64>(value);
    }
    case G_TYPE_STRING: {
      const char *s = json_node_get_string(node);
      char *end = nullptr;
      gint64 v = g_ascii_strtoll(s, &end, 10);
      if (end != s && *end == '\0')
        return v;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<double> progress_member(JsonObject *obj) {
  JsonNode *node = member(obj, "progress");
  if (!node || !JSON_NODE_HOLDS_VALUE(node))
    return std::nullopt;
  switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      return static_cast<double>(json_node_get_int(node));
    case G_TYPE_DOUBLE: {
      double v = json_node_get_double(node);
      return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
    }
    case G_TYPE_STRING: {
      std::optional<unsigned> percent = parse_progress_text(json_node_get_string(node));
      return percent ? std::optional<double>(*percent) : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

bool is_http_url(const std::string &s) {
  return g_str_has_prefix(s.c_str(), "http://") || g_str_has_prefix(s.c_str(), "https://");
}

/* `outputs` is an object on some gateways and an array of objects on others. */
JsonObject *first_object(JsonObject *obj, const char *name) {
  JsonNode *node = member(obj, name);
  if (!node)
    return nullptr;
  if (JSON_NODE_HOLDS_OBJECT(node))
    return json_node_get_object(node);
  if (JSON_NODE_HOLDS_ARRAY(node)) {
    JsonArray *array = json_node_get_array(node);
    if (json_array_get_length(array) > 0) {
      JsonNode *first = json_array_get_element(array, 0);
      if (JSON_NODE_HOLDS_OBJECT(first))
        return json_node_get_object(first);
    }
  }
  return nullptr;
}

/* The strings of an array member: OpenRouter's urls and unsigned_urls. */
std::vector<std::string> text_array(JsonObject *obj, const char *name) {
  std::vector<std::string> texts;
  JsonNode *node = member(obj, name);
  if (!node || !JSON_NODE_HOLDS_ARRAY(node))
    return texts;
  JsonArray *array = json_node_get_array(node);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *element = json_array_get_element(array, i);
    if (JSON_NODE_HOLDS_VALUE(element) && json_node_get_value_type(element) == G_TYPE_STRING)
      texts.emplace_back(json_node_get_string(element));
  }
  return texts;
}

/* Signed storage links (no key) before the server's own authenticated
 * ones: OpenRouter's urls[] before its unsigned_urls[], which sit on the
 * API's origin and need the key. */
std::vector<std::string> download_urls(JsonObject *obj) {
  std::vector<std::optional<std::string>> candidates = {
      text_member(obj, "url"),
      text_member(object_member(obj, "metadata"), "url"),
      text_member(object_member(obj, "meta_data"), "url"),
      text_member(obj, "result_url"),
      text_member(obj, "video_url"),
      text_member(first_object(obj, "outputs"), "video_url"),
      text_member(object_member(obj, "video"), "url"),
  };
  for (const char *list : {"urls", "unsigned_urls"}) {
    for (std::string &url : text_array(obj, list))
      candidates.emplace_back(std::move(url));
  }
  std::vector<std::string> urls;
  for (auto &candidate : candidates) {
    if (candidate && is_http_url(*candidate)) {
      bool seen = false;
      for (const auto &u : urls)
        seen = seen || u == *candidate;
      if (!seen)
        urls.push_back(std::move(*candidate));
    }
  }
  return urls;
}

/* FastAPI's and pydantic's "detail" (fal): a text, or a list of
 * {loc: ["body", "duration"], msg, type}; an RFC 9457 problem (Replicate)
 * adds its "title". "body.duration: unexpected value; permitted: '5', '10'". */
std::string detail_text(JsonObject *root) {
  JsonNode *detail = member(root, "detail");
  if (!detail)
    return "";
  std::string text;
  if (JSON_NODE_HOLDS_ARRAY(detail)) {
    JsonArray *list = json_node_get_array(detail);
    for (guint i = 0; i < json_array_get_length(list) && i < 16; i++) {
      JsonNode *item = json_array_get_element(list, i);
      if (!JSON_NODE_HOLDS_OBJECT(item))
        continue;
      JsonObject *entry = json_node_get_object(item);
      std::string where;
      JsonNode *loc = member(entry, "loc");
      if (loc && JSON_NODE_HOLDS_ARRAY(loc)) {
        JsonArray *parts = json_node_get_array(loc);
        for (guint j = 0; j < json_array_get_length(parts) && j < 8; j++) {
          JsonNode *part = json_array_get_element(parts, j);
          if (!JSON_NODE_HOLDS_VALUE(part))
            continue;
          std::string piece = json_node_get_value_type(part) == G_TYPE_STRING
                                  ? json_node_get_string(part)
                                  : std::to_string(json_node_get_int(part));
          where += (where.empty() ? "" : ".") + piece;
        }
      }
      std::string message = text_or_empty(entry, "msg");
      text += (text.empty() ? "" : "; ") + (where.empty() ? message : where + ": " + message);
    }
  } else if (auto value = text_member(root, "detail")) {
    text = *value;
  }
  std::string title = text_or_empty(root, "title");
  if (!title.empty() && !text.empty())
    text = title + ": " + text;
  return text;
}

ApiError error_from(JsonObject *root) {
  ApiError err;
  JsonNode *error_node = member(root, "error");
  if (error_node && JSON_NODE_HOLDS_OBJECT(error_node)) {
    JsonObject *e = json_node_get_object(error_node);
    err.message = text_or_empty(e, "message");
    err.code = text_or_empty(e, "code");
    err.type = text_or_empty(e, "type");
    err.param = text_or_empty(e, "param");
  } else if (auto text = text_member(root, "error")) {
    err.message = *text;
  }
  if (err.message.empty())
    err.message = detail_text(root);
  if (err.message.empty())
    err.message = text_or_empty(root, "fail_reason");
  if (err.message.empty())
    err.message = text_or_empty(root, "message");
  /* The envelope's "code" is a code only when it is not its success word. */
  if (err.code.empty()) {
    std::string code = text_or_empty(root, "code");
    if (!code.empty() && g_ascii_strcasecmp(code.c_str(), "success") != 0 && code != "0" &&
        code != "200")
      err.code = std::move(code);
  }
  return err;
}

JsonObject *root_object(JsonParser *parser) {
  JsonNode *root = json_parser_get_root(parser);
  return root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : nullptr;
}

/* The parser owns the tree: keep it alive while the returned object is used. */
JsonObject *load_json_object(std::string_view body, GObjectPtr<JsonParser> &parser,
                             std::string *problem) {
  if (body.empty()) {
    if (problem)
      *problem = "the body is empty";
    return nullptr;
  }
  parser.reset(json_parser_new_immutable());
  g_autoptr(GError) error = nullptr;
  if (!load_json_bounded(parser.get(), body, &error)) {
    if (problem)
      *problem = std::string("the body is not JSON (") + error->message + ")";
    return nullptr;
  }
  JsonObject *root = root_object(parser.get());
  if (!root && problem)
    *problem = "the body is JSON but not an object";
  return root;
}

/* {"code":"success","message":"","data":{...}}: the task is in "data". */
JsonObject *unwrap_envelope(JsonObject *root) {
  JsonObject *data = object_member(root, "data");
  if (data && !member(root, "id") && !member(root, "status") && !member(root, "task_id"))
    return data;
  return root;
}

/* usage.cost (OpenRouter: "the cost of the video generation in USD",
 * once completed), or usage.cost_in_usd_ticks (xAI: 10^10 ticks to the
 * dollar). Negative or non-numeric figures are ignored. */
std::optional<double> reported_cost(JsonObject *obj) {
  JsonObject *usage = object_member(obj, "usage");
  if (!usage)
    return std::nullopt;
  JsonNode *cost = json_object_get_member(usage, "cost");
  if (cost && JSON_NODE_HOLDS_VALUE(cost) &&
      (json_node_get_value_type(cost) == G_TYPE_DOUBLE ||
       json_node_get_value_type(cost) == G_TYPE_INT64) &&
      json_node_get_double(cost) >= 0)
    return json_node_get_double(cost);
  JsonNode *ticks = json_object_get_member(usage, "cost_in_usd_ticks");
  if (ticks && JSON_NODE_HOLDS_VALUE(ticks) && json_node_get_value_type(ticks) == G_TYPE_INT64 &&
      json_node_get_int(ticks) >= 0)
    return static_cast<double>(json_node_get_int(ticks)) / 1e10;
  return std::nullopt;
}

/* The fields of one video object; an empty id when it has none. */
VideoObject read_video(JsonObject *obj) {
  VideoObject video;
  video.id = text_member(obj, "id").value_or(text_or_empty(obj, "task_id"));
  video.status = text_or_empty(obj, "status");
  video.state = classify_status(video.status);
  video.progress_value = progress_member(obj);
  if (video.progress_value) {
    /* One answer alone: a number below 1 is most likely a fraction. */
    ProgressScale scale = ProgressScale::kFractionLikely;
    video.progress = progress_percent(*video.progress_value, scale);
  }
  video.model = text_or_empty(obj, "model");
  video.size = text_or_empty(obj, "size");
  video.seconds = text_or_empty(obj, "seconds");
  video.prompt = text_or_empty(obj, "prompt");
  video.remixed_from_video_id = text_or_empty(obj, "remixed_from_video_id");
  video.created_at = time_member(obj, "created_at");
  video.completed_at = time_member(obj, "completed_at");
  video.expires_at = time_member(obj, "expires_at");
  video.download_urls = download_urls(obj);
  video.polling_url = text_or_empty(obj, "polling_url");
  video.reported_cost = reported_cost(obj);
  if (task_state_is_final(video.state) && video.state != TaskState::kCompleted)
    video.error = error_from(obj);
  return video;
}

}  // namespace

std::string ApiError::describe() const {
  if (!message.empty() && !code.empty())
    return message + " (" + code + ")";
  return message.empty() ? code : message;
}

std::optional<unsigned> parse_progress_text(std::string_view text) {
  std::string s(text);
  char *end = nullptr;
  double v = g_ascii_strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v))
    return std::nullopt;
  while (*end == ' ')
    end++;
  if (*end != '\0' && !(end[0] == '%' && end[1] == '\0'))
    return std::nullopt;
  return static_cast<unsigned>(std::lround(CLAMP(v, 0.0, 100.0)));
}

unsigned progress_percent(double value, ProgressScale &scale) {
  const bool fractional = value > 0 && value < 1;
  if (value > 1)
    scale = ProgressScale::kPercent;
  else if (fractional && scale == ProgressScale::kFractionLikely)
    scale = ProgressScale::kFraction;
  else if (fractional && scale == ProgressScale::kUnknown)
    scale = ProgressScale::kFractionLikely;
  if (scale == ProgressScale::kFraction)
    value *= 100;
  return static_cast<unsigned>(std::lround(CLAMP(value, 0.0, 100.0)));
}

std::optional<VideoObject> parse_video_object(std::string_view body, std::string *problem,
                                              const std::string &known_id) {
  GObjectPtr<JsonParser> parser;
  JsonObject *root = load_json_object(body, parser, problem);
  if (!root)
    return std::nullopt;
  VideoObject video = read_video(unwrap_envelope(root));
  if (video.id.empty())
    video.id = known_id;
  if (video.id.empty()) {
    if (problem)
      *problem = "the answer holds no task id";
    return std::nullopt;
  }
  return video;
}

std::optional<VideoPage> parse_video_page(std::string_view body, std::string *problem) {
  GObjectPtr<JsonParser> parser;
  JsonObject *root = load_json_object(body, parser, problem);
  if (!root)
    return std::nullopt;
  /* Bare: {"data":[...]}; enveloped: {"code","data":{"data":[...]}}. */
  JsonObject *page = root;
  JsonNode *data = member(page, "data");
  if (data && JSON_NODE_HOLDS_OBJECT(data)) {
    page = json_node_get_object(data);
    data = member(page, "data");
  }
  if (!data || !JSON_NODE_HOLDS_ARRAY(data)) {
    if (problem)
      *problem = "the answer holds no list of videos";
    return std::nullopt;
  }
  VideoPage result;
  JsonArray *array = json_node_get_array(data);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *element = json_array_get_element(array, i);
    if (!JSON_NODE_HOLDS_OBJECT(element))
      continue;
    VideoObject video = read_video(json_node_get_object(element));
    if (!video.id.empty())
      result.videos.push_back(std::move(video));
  }
  JsonNode *more = member(page, "has_more");
  result.has_more = more && JSON_NODE_HOLDS_VALUE(more) &&
                    json_node_get_value_type(more) == G_TYPE_BOOLEAN && json_node_get_boolean(more);
  result.last_id = text_or_empty(page, "last_id");
  if (result.last_id.empty() && !result.videos.empty())
    result.last_id = result.videos.back().id;
  return result;
}

namespace {

/* The items of an array member, strings and numbers alike, as text. */
std::vector<std::string> texts_of(JsonObject *obj, const char *name) {
  std::vector<std::string> texts;
  JsonNode *node = member(obj, name);
  if (!node || !JSON_NODE_HOLDS_ARRAY(node))
    return texts;
  JsonArray *array = json_node_get_array(node);
  g_autoptr(JsonObject) holder = json_object_new();
  for (guint i = 0; i < json_array_get_length(array); i++) {
    json_object_set_member(holder, "v", json_node_copy(json_array_get_element(array, i)));
    if (std::optional<std::string> text = text_member(holder, "v"))
      texts.push_back(std::move(*text));
  }
  return texts;
}

}  // namespace

std::optional<std::vector<ModelInfo>> parse_model_list(std::string_view body,
                                                       std::string *problem) {
  GObjectPtr<JsonParser> parser;
  JsonObject *root = load_json_object(body, parser, problem);
  if (!root)
    return std::nullopt;
  JsonNode *data = member(root, "data");
  if (data && JSON_NODE_HOLDS_OBJECT(data))
    data = member(json_node_get_object(data), "data");
  if (!data || !JSON_NODE_HOLDS_ARRAY(data)) {
    if (problem)
      *problem = "the answer holds no list of models";
    return std::nullopt;
  }
  std::vector<ModelInfo> models;
  JsonArray *array = json_node_get_array(data);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *element = json_array_get_element(array, i);
    if (!JSON_NODE_HOLDS_OBJECT(element))
      continue;
    JsonObject *obj = json_node_get_object(element);
    ModelInfo model;
    model.id = text_or_empty(obj, "id");
    if (model.id.empty())
      continue;
    model.name = text_or_empty(obj, "name");
    model.durations = texts_of(obj, "supported_durations");
    model.listed_sizes = texts_of(obj, "supported_sizes");
    model.resolutions = texts_of(obj, "supported_resolutions");
    model.sizes = model.listed_sizes.empty() ? model.resolutions : model.listed_sizes;
    model.aspect_ratios = texts_of(obj, "supported_aspect_ratios");
    models.push_back(std::move(model));
  }
  return models;
}

ApiError parse_api_error(std::string_view body) {
  GObjectPtr<JsonParser> parser;
  JsonObject *root = load_json_object(body, parser, nullptr);
  return root ? error_from(root) : ApiError{};
}

}  // namespace sora
