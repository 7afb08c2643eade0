/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/gemini_operations.h"

#include "core/json_limits.h"
#include "core/json_members.h"
#include "core/model_limits.h"

#include <algorithm>

namespace sora {

namespace {

/* Veo's frame sizes as the Gemini API asks for them (its Veo guide:
 * aspectRatio 16:9 or 9:16; resolution 720p, 1080p, and 4k from Veo 3.1;
 * Veo 2 takes no resolution, only 720p). */
struct VeoSize {
  const char *size;
  const char *aspect_ratio;
  const char *resolution;
};
constexpr VeoSize kVeoSizes[] = {
    {"1280x720", "16:9", "720p"},   {"720x1280", "9:16", "720p"},
    {"1920x1080", "16:9", "1080p"}, {"1080x1920", "9:16", "1080p"},
    {"3840x2160", "16:9", "4k"},    {"2160x3840", "9:16", "4k"},
};

/* What a Veo generation takes (the Gemini API's Veo guide, its model
 * table): its durations, the resolutions above 720p, and whether it takes
 * a resolution at all. Above 720p Veo 3 makes 8 s only. */
struct VeoModel {
  std::vector<unsigned> durations;
  std::vector<std::string> resolutions;
  bool takes_resolution;
};

VeoModel veo_model(const std::string &model) {
  if (model.find("veo-2") != std::string::npos)
    return {{5, 6, 7, 8}, {"720p"}, false};
  if (model.find("veo-3.0") != std::string::npos)
    return {{4, 6, 8}, {"720p", "1080p"}, true};
  return {{4, 6, 8}, {"720p", "1080p", "4k"}, true};
}

/* google/rpc/code.proto: an operation's error carries the number only. */
const char *canonical_code(gint64 code) {
  static const char *const kNames[] = {
      "OK",          "CANCELLED",         "UNKNOWN",        "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",   "ALREADY_EXISTS", "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",        "UNAVAILABLE",    "DATA_LOSS",
      "UNAUTHENTICATED"};
  return code >= 0 && code < static_cast<gint64>(G_N_ELEMENTS(kNames)) ? kNames[code] : nullptr;
}

/* The parameters a property sets: metadata may not set them too. */
constexpr const char *kMappedParameters[] = {"durationSeconds", "aspectRatio", "resolution"};

/* google.rpc.Status: {code, message, details}; an HTTP error adds the
 * code's name as "status". The name is what is shown: INVALID_ARGUMENT. */
ApiError status_error(JsonObject *error) {
  ApiError api;
  api.message = child_string(error, "message");
  api.code = child_string(error, "status");
  if (api.code.empty()) {
    const char *name = canonical_code(child_int(error, "code").value_or(0));
    api.code = name && child_int(error, "code").value_or(0) != 0
                   ? name
                   : scalar_text(json_object_get_member(error, "code"));
  }
  return api;
}

/* The samples' URIs: the REST field (generatedSamples) or the SDKs'
 * (generatedVideos). */
std::vector<std::string> sample_uris(JsonObject *videos) {
  std::vector<std::string> uris;
  for (const char *field : {"generatedSamples", "generatedVideos"}) {
    JsonArray *samples = child_array(videos, field);
    guint n = samples ? json_array_get_length(samples) : 0;
    for (guint i = 0; i < n; i++) {
      JsonNode *sample = json_array_get_element(samples, i);
      if (!JSON_NODE_HOLDS_OBJECT(sample))
        continue;
      std::string uri = http_url_or_empty(child_string(child_object(json_node_get_object(sample), "video"),
                                                  "uri"));
      if (!uri.empty())
        uris.push_back(std::move(uri));
    }
  }
  return uris;
}

/* "8 s filtered (2): reason one; reason two" from what the filters said. */
std::string filtered_reasons(JsonObject *videos) {
  std::string reasons;
  JsonArray *list = child_array(videos, "raiMediaFilteredReasons");
  guint n = list ? json_array_get_length(list) : 0;
  for (guint i = 0; i < n && i < 16; i++) {
    JsonNode *reason = json_array_get_element(list, i);
    if (JSON_NODE_HOLDS_VALUE(reason) && json_node_get_value_type(reason) == G_TYPE_STRING)
      reasons += std::string(reasons.empty() ? "" : "; ") + json_node_get_string(reason);
  }
  return reasons;
}

std::string join_quoted(const std::vector<std::string> &values) {
  std::string out;
  for (size_t i = 0; i < values.size(); i++)
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + ("'" + values[i] + "'");
  return out;
}

}  // namespace

std::vector<unsigned> veo_durations(const std::string &model) {
  return veo_model(model).durations;
}

std::optional<RequestBody> build_veo_body(const VideoRequest &request,
                                          const ReferenceImage *image, SettingsProblem *problem) {
  const VeoModel model = veo_model(request.model);
  const VeoSize *size = nullptr;
  if (!request.size.empty()) {
    std::vector<std::string> sizes;
    for (const VeoSize &known : kVeoSizes) {
      if (std::find(model.resolutions.begin(), model.resolutions.end(), known.resolution) ==
          model.resolutions.end())
        continue;
      sizes.emplace_back(known.size);
      if (request.size == known.size)
        size = &known;
    }
    if (!size) {
      *problem = {"size", "size=\"" + request.size + "\" is not a size " + request.model +
                              " takes on the Gemini API: use " + join_quoted(sizes) +
                              " (aspectRatio 16:9 or 9:16, resolution " +
                              join_quoted(model.resolutions) +
                              "), or an empty size to let the server choose. No request was "
                              "sent."};
      return std::nullopt;
    }
    if (std::string(size->resolution) != "720p" && request.seconds != 8) {
      *problem = {"seconds", "size=\"" + request.size + "\" (" + size->resolution + ") takes " +
                                 "seconds=8 on " + request.model + ", not " +
                                 std::to_string(request.seconds) +
                                 ": set seconds=8 or a 720p size. No request was sent."};
      return std::nullopt;
    }
  }
  const std::vector<unsigned> &durations = model.durations;
  if (request.seconds != 0 &&
      std::find(durations.begin(), durations.end(), request.seconds) == durations.end()) {
    std::vector<std::string> allowed;
    for (unsigned d : durations)
      allowed.push_back(std::to_string(d));
    *problem = {"seconds", "seconds=" + std::to_string(request.seconds) +
                               " is not a duration " + request.model +
                               " takes on the Gemini API (durationSeconds): use " +
                               join_quoted(allowed) +
                               " (or 0 to let the server choose). No request was sent."};
    return std::nullopt;
  }
  g_autoptr(JsonParser) metadata = json_parser_new_immutable();
  JsonObject *extra = nullptr;
  if (!request.metadata.empty()) {
    JsonNode *root = load_json_bounded(metadata, request.metadata, nullptr)
                         ? json_parser_get_root(metadata)
                         : nullptr;
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
      *problem = {"metadata", "metadata is not a JSON object: its members are Veo's other "
                              "parameters ({\"negativePrompt\": \"...\"})."};
      return std::nullopt;
    }
    extra = json_node_get_object(root);
    for (const char *mapped : kMappedParameters) {
      if (json_object_has_member(extra, mapped)) {
        *problem = {"metadata", std::string("metadata sets ") + mapped +
                                    ", which the seconds and size properties set: use them."};
        return std::nullopt;
      }
    }
  }

  g_autoptr(JsonBuilder) builder = json_builder_new();
  json_builder_begin_object(builder);
  json_builder_set_member_name(builder, "instances");
  json_builder_begin_array(builder);
  json_builder_begin_object(builder);
  json_builder_set_member_name(builder, "prompt");
  json_builder_add_string_value(builder, request.prompt.c_str());
  if (image && image->bytes) {
    gsize length = 0;
    const guchar *data = static_cast<const guchar *>(g_bytes_get_data(image->bytes.get(), &length));
    g_autofree char *encoded = g_base64_encode(data, length);
    json_builder_set_member_name(builder, "image");
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "bytesBase64Encoded");
    json_builder_add_string_value(builder, encoded);
    json_builder_set_member_name(builder, "mimeType");
    json_builder_add_string_value(builder, image->mime.c_str());
    json_builder_end_object(builder);
  }
  json_builder_end_object(builder);
  json_builder_end_array(builder);
  json_builder_set_member_name(builder, "parameters");
  json_builder_begin_object(builder);
  if (size) {
    json_builder_set_member_name(builder, "aspectRatio");
    json_builder_add_string_value(builder, size->aspect_ratio);
    if (model.takes_resolution) {
      json_builder_set_member_name(builder, "resolution");
      json_builder_add_string_value(builder, size->resolution);
    }
  }
  if (request.seconds != 0) {
    json_builder_set_member_name(builder, "durationSeconds");
    json_builder_add_int_value(builder, request.seconds);
  }
  if (extra) {
    JsonObjectIter iter;
    const char *name = nullptr;
    JsonNode *value = nullptr;
    json_object_iter_init(&iter, extra);
    while (json_object_iter_next(&iter, &name, &value)) {
      json_builder_set_member_name(builder, name);
      json_builder_add_value(builder, json_node_copy(value));
    }
  }
  json_builder_end_object(builder);
  json_builder_end_object(builder);
  g_autoptr(JsonNode) root = json_builder_get_root(builder);
  g_autofree char *text = json_to_string(root, FALSE);
  RequestBody body;
  body.content_type = "application/json";
  body.bytes.reset(g_bytes_new(text, strlen(text)));
  return body;
}

std::optional<VideoObject> parse_veo_operation(std::string_view body, const std::string &name,
                                               std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *operation = parse_json_object(parser, body, problem);
  if (!operation)
    return std::nullopt;
  VideoObject video;
  video.id = name.empty() ? child_string(operation, "name") : name;
  if (video.id.empty()) {
    *problem = "it names no operation";
    return std::nullopt;
  }
  if (JsonObject *failure = child_object(operation, "error")) {
    video.status = "failed";
    video.state = TaskState::kFailed;
    video.error = status_error(failure);
    return video;
  }
  /* A running operation may leave "done" out. */
  if (!child_true(operation, "done")) {
    video.status = "running";
    video.state = TaskState::kRunning;
    return video;
  }
  JsonObject *videos = child_object(child_object(operation, "response"), "generateVideoResponse");
  if (!videos) /* the SDKs' shape */
    videos = child_object(operation, "response");
  video.download_urls = sample_uris(videos);
  if (!video.download_urls.empty()) {
    video.status = "done";
    video.state = TaskState::kCompleted;
    video.progress = 100;
    return video;
  }
  video.status = "done";
  video.state = TaskState::kFailed;
  gint64 filtered = child_int(videos, "raiMediaFilteredCount").value_or(0);
  std::string reasons = filtered_reasons(videos);
  if (filtered > 0 || !reasons.empty()) {
    video.error.code = "RAI_MEDIA_FILTERED";
    video.error.message = "the safety filters blocked the result (raiMediaFilteredCount " +
                          std::to_string(filtered) + ")" +
                          (reasons.empty() ? "" : ": " + reasons);
  } else {
    video.error.message = "the operation finished without a video";
  }
  return video;
}

std::optional<std::string> operation_name_problem(const std::string &name) {
  if (name.empty())
    return std::string("it is empty");
  if (name.size() > 512)
    return std::string("it is longer than 512 characters");
  g_auto(GStrv) segments = g_strsplit(name.c_str(), "/", -1);
  for (char **segment = segments; *segment; segment++) {
    std::string s = *segment;
    if (s.empty() || s == "." || s == "..")
      return "\"" + s + "\" is not a path segment an operation's name can have";
    for (char c : s) {
      if (!g_ascii_isalnum(c) && c != '.' && c != '_' && c != '-')
        return "it holds '" + std::string(1, c) +
               "': an operation's name is models/MODEL/operations/ID";
    }
  }
  return std::nullopt;
}

std::optional<SettingsProblem> GeminiOperations::check() const {
  /* The element's default model is OpenAI's: say what to set instead. */
  if (g_str_has_prefix(settings_.request.model.c_str(), "sora-"))
    return SettingsProblem{"model", "model=\"" + settings_.request.model +
                                        "\" is OpenAI's: the Gemini API makes video with Veo "
                                        "(model=veo-3.0-generate-001, veo-3.1-generate-preview, "
                                        "veo-2.0-generate-001)."};
  SettingsProblem problem;
  const ReferenceImage *image = settings_.image;
  if (!build_veo_body(settings_.request, image, &problem))
    return problem;
  if (settings_.variant != "video")
    return SettingsProblem{"variant", "The Gemini API makes no " + settings_.variant +
                                          ": only the video exists. No request was sent."};
  if (std::optional<std::string> why = operation_name_problem("models/" + settings_.request.model))
    return SettingsProblem{"model", "model=\"" + settings_.request.model +
                                        "\" cannot be a Gemini model name: " + *why + "."};
  return std::nullopt;
}

HttpRequest GeminiOperations::create_request() {
  HttpRequest request;
  request.method = "POST";
  request.url = settings_.connection.base_url + "/models/" + settings_.request.model +
                ":predictLongRunning";
  SettingsProblem problem;
  const ReferenceImage *image = settings_.image;
  if (std::optional<RequestBody> body = build_veo_body(settings_.request, image, &problem))
    request.body = std::move(*body);
  return request;
}

std::optional<TaskHandle> GeminiOperations::read_created(const HttpResponse &response,
                                                         VideoObject *video,
                                                         std::string *problem) {
  std::optional<VideoObject> operation = parse_veo_operation(response.text(), "", problem);
  if (!operation)
    return std::nullopt;
  std::optional<TaskHandle> task = handle_for_id(operation->id, problem);
  if (task)
    *video = std::move(*operation);
  return task;
}

std::optional<TaskHandle> GeminiOperations::handle_for_id(const std::string &id,
                                                          std::string *problem) const {
  if (std::optional<std::string> why = operation_name_problem(id)) {
    *problem = *why;
    return std::nullopt;
  }
  TaskHandle task;
  task.id = id;
  task.status_url = settings_.connection.base_url + "/" + id;
  return task;
}

HttpRequest GeminiOperations::status_request(const TaskHandle &task) const {
  HttpRequest request;
  request.url = task.status_url.empty() ? settings_.connection.base_url + "/" + task.id
                                        : task.status_url;
  return request;
}

std::optional<VideoObject> GeminiOperations::read_status(const HttpResponse &response,
                                                         const TaskHandle &task,
                                                         std::string *problem) {
  return parse_veo_operation(response.text(), task.id, problem);
}

std::vector<std::string> GeminiOperations::download_sources(const TaskHandle &,
                                                            const VideoObject &video) const {
  return video.download_urls;
}

/* The Gemini API documents no cancel for Veo's operations. */
std::optional<HttpRequest> GeminiOperations::cancel_request(const TaskHandle &) const {
  return std::nullopt;
}

}  // namespace sora
