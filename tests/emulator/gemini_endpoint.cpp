/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "gemini_endpoint.h"

#include "json_response.h"
#include "json_text.h"

#include <algorithm>
#include <vector>

namespace {

// What each Veo model takes (ai.google.dev/gemini-api/docs/video, "Veo model parameters"):
// 1080p and 4k only with 8 seconds.
struct VeoModel {
  const char *name;
  std::vector<int> durations;
  std::vector<std::string> resolutions;  // empty: the model takes no `resolution`
  bool audio;
};

const VeoModel kVeoModels[] = {
    {"veo-3.1-generate-preview", {4, 6, 8}, {"720p", "1080p", "4k"}, true},
    {"veo-3.1-fast-generate-preview", {4, 6, 8}, {"720p", "1080p", "4k"}, true},
    {"veo-3.0-generate-001", {4, 6, 8}, {"720p", "1080p"}, true},
    {"veo-3.0-fast-generate-001", {4, 6, 8}, {"720p", "1080p"}, true},
    {"veo-2.0-generate-001", {5, 6, 7, 8}, {}, false},
};

const std::vector<std::string> kAspectRatios = {"16:9", "9:16"};
const std::vector<std::string> kPersonGeneration = {"allow_all", "allow_adult", "dont_allow"};
constexpr int kVeoFramesPerSecond = 24;
constexpr char kResponseType[] =
    "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse";

ApiError invalid_argument(std::string message) {
  return ApiError::with_status(400, std::move(message), std::string("INVALID_ARGUMENT"));
}

std::string joined(const std::vector<std::string> &values) {
  std::string text;
  for (const std::string &value : values) {
    text += (text.empty() ? "" : ", ") + value;
  }
  return text;
}

bool is_string(JsonNode *node) {
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING;
}

// A JSON number with no fraction (8 or 8.0); a string "8" is not one.
std::optional<gint64> whole_number(JsonNode *node) {
  if (!node || !JSON_NODE_HOLDS_VALUE(node)) {
    return std::nullopt;
  }
  if (json_node_get_value_type(node) == G_TYPE_INT64) {
    return json_node_get_int(node);
  }
  if (json_node_get_value_type(node) == G_TYPE_DOUBLE) {
    double value = json_node_get_double(node);
    if (value == static_cast<double>(static_cast<gint64>(value))) {
      return static_cast<gint64>(value);
    }
  }
  return std::nullopt;
}

struct VeoRequest {
  std::string prompt;
  std::string aspect_ratio = "16:9";
  std::string resolution = "720p";
  int seconds = 8;
  JsonNodePtr image;  // a description of instances[0].image
};

std::optional<ApiError> read_instance(JsonNode *body, VeoRequest &veo) {
  JsonObject *object = json_node_get_object(body);
  JsonNode *instances = json_object_get_member(object, "instances");
  if (!instances || !JSON_NODE_HOLDS_ARRAY(instances) ||
      json_array_get_length(json_node_get_array(instances)) == 0) {
    return invalid_argument("* PredictLongRunningRequest.instances: instances is required.");
  }
  if (json_array_get_length(json_node_get_array(instances)) > 1) {
    return invalid_argument("Only one instance is supported per request.");
  }
  JsonNode *instance = json_array_get_element(json_node_get_array(instances), 0);
  JsonNode *prompt = JSON_NODE_HOLDS_OBJECT(instance)
                         ? json_object_get_member(json_node_get_object(instance), "prompt")
                         : nullptr;
  if (!is_string(prompt) || !*json_node_get_string(prompt)) {
    return invalid_argument("A text prompt is required: instances[0].prompt must be a string.");
  }
  veo.prompt = json_node_get_string(prompt);
  JsonNode *image = json_object_get_member(json_node_get_object(instance), "image");
  if (!image) {
    return std::nullopt;
  }
  JsonObject *fields = JSON_NODE_HOLDS_OBJECT(image) ? json_node_get_object(image) : nullptr;
  if (!fields || !is_string(json_object_get_member(fields, "bytesBase64Encoded")) ||
      !is_string(json_object_get_member(fields, "mimeType"))) {
    return invalid_argument(
        "instances[0].image must be {\"bytesBase64Encoded\": \"...\", \"mimeType\": \"...\"}.");
  }
  std::string mime_type = json_object_get_string_member(fields, "mimeType");
  if (mime_type != "image/png" && mime_type != "image/jpeg" && mime_type != "image/webp") {
    return invalid_argument("Unsupported image mime type " + mime_type +
                            ". Supported types: image/png, image/jpeg, image/webp.");
  }
  veo.image = first_image(body);
  return std::nullopt;
}

std::optional<ApiError> read_string_in(JsonNode *value, const char *name,
                                       const std::vector<std::string> &allowed, std::string &out) {
  if (!is_string(value)) {
    return invalid_argument(std::string("Invalid value for ") + name +
                            ": expected a string, one of " + joined(allowed) + ".");
  }
  std::string text = json_node_get_string(value);
  if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
    return invalid_argument(std::string("Unsupported ") + name + " '" + text +
                            "'. Supported values: " + joined(allowed) + ".");
  }
  out = text;
  return std::nullopt;
}

std::optional<ApiError> read_parameter(const VeoModel &model, const char *name, JsonNode *value,
                                       VeoRequest &veo) {
  std::string key = name;
  if (key == "aspectRatio") {
    return read_string_in(value, name, kAspectRatios, veo.aspect_ratio);
  }
  if (key == "resolution" && !model.resolutions.empty()) {
    return read_string_in(value, name, model.resolutions, veo.resolution);
  }
  if (key == "durationSeconds") {
    std::optional<gint64> seconds = whole_number(value);
    if (!seconds) {
      return invalid_argument(
          "Invalid value for durationSeconds: expected an integer number of seconds (a JSON "
          "number such as 8), got " +
          json_to_text(value) + ".");
    }
    std::vector<std::string> allowed;
    for (int duration : model.durations) {
      allowed.push_back(std::to_string(duration));
    }
    if (std::find(model.durations.begin(), model.durations.end(), *seconds) ==
        model.durations.end()) {
      return invalid_argument("Unsupported durationSeconds " + std::to_string(*seconds) +
                              " for model " + model.name +
                              ". Supported values: " + joined(allowed) + ".");
    }
    veo.seconds = static_cast<int>(*seconds);
    return std::nullopt;
  }
  if (key == "negativePrompt") {
    return is_string(value) ? std::nullopt
                            : std::optional(invalid_argument("negativePrompt must be a string."));
  }
  if (key == "personGeneration") {
    std::string ignored;
    return read_string_in(value, name, kPersonGeneration, ignored);
  }
  if (key == "seed" || key == "sampleCount" || key == "numberOfVideos") {
    std::optional<gint64> number = whole_number(value);
    if (!number || ((key != "seed") && *number != 1)) {
      return invalid_argument(key == "seed" ? "seed must be an integer."
                                            : key + " must be 1: this model makes one video.");
    }
    return std::nullopt;
  }
  return invalid_argument("`" + key +
                          "` isn't supported by this model. Please remove it or refer to the "
                          "Gemini API documentation for supported usage.");
}

std::optional<ApiError> read_parameters(const VeoModel &model, JsonNode *body, VeoRequest &veo) {
  JsonNode *parameters = json_object_get_member(json_node_get_object(body), "parameters");
  if (!parameters || JSON_NODE_HOLDS_NULL(parameters)) {
    return std::nullopt;
  }
  if (!JSON_NODE_HOLDS_OBJECT(parameters)) {
    return invalid_argument("parameters must be an object.");
  }
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, json_node_get_object(parameters));
  while (json_object_iter_next(&iter, &name, &value)) {
    if (std::optional<ApiError> error = read_parameter(model, name, value, veo)) {
      return error;
    }
  }
  if (veo.resolution != "720p" && veo.seconds != 8) {
    return invalid_argument("Resolution " + veo.resolution +
                            " is only supported with durationSeconds 8; got " +
                            std::to_string(veo.seconds) + ".");
  }
  return std::nullopt;
}

void frame_size(const VeoRequest &veo, int &width, int &height) {
  int long_side = veo.resolution == "4k" ? 3840 : veo.resolution == "1080p" ? 1920 : 1280;
  int short_side = veo.resolution == "4k" ? 2160 : veo.resolution == "1080p" ? 1080 : 720;
  bool portrait = veo.aspect_ratio == "9:16";
  width = portrait ? short_side : long_side;
  height = portrait ? long_side : short_side;
}

}  // namespace

void GeminiEndpoint::handle(ApiRequest &request) {
  const RouteMatch &route = *request.route;
  switch (route.route) {
    case ApiRoute::kCreate:
      create(request, route.model);
      return;
    case ApiRoute::kRetrieve:
      retrieve(request, route.model, route.video_id);
      return;
    case ApiRoute::kContent:
      download(request, route.video_id);
      return;
    default:
      send_error(request, ApiError::with_status(404, "Not found: " + request.path));
      return;
  }
}

std::string GeminiEndpoint::operation_name(const Task &task) const {
  return "models/" + task.model + "/operations/" + task.id;
}

std::string GeminiEndpoint::file_uri(const Task &task) const {
  return api_root_ + "/v1beta/files/" + task.id + ":download?alt=media";
}

void GeminiEndpoint::create(ApiRequest &request, const std::string &model_name) {
  const VeoModel *model =
      std::find_if(std::begin(kVeoModels), std::end(kVeoModels),
                   [&model_name](const VeoModel &veo) { return model_name == veo.name; });
  if (model == std::end(kVeoModels)) {
    send_error(request,
               ApiError::with_status(404,
                                     "models/" + model_name +
                                         " is not found for API version v1beta, or is not "
                                         "supported for predictLongRunning. Call ListModels to "
                                         "see the list of available models and their supported "
                                         "methods.",
                                     std::string("NOT_FOUND")));
    return;
  }
  JsonNode *body = request.body.json.get();
  if (request.body.kind != BodyKind::kJson || !JSON_NODE_HOLDS_OBJECT(body)) {
    send_error(request, invalid_argument("Invalid JSON payload received. Expected an object."));
    return;
  }
  VeoRequest veo;
  std::optional<ApiError> error = read_instance(body, veo);
  if (!error) {
    error = read_parameters(*model, body, veo);
  }
  NativeClip clip;
  clip.model = model->name;
  clip.prompt = veo.prompt;
  clip.seconds = veo.seconds;
  frame_size(veo, clip.width, clip.height);
  clip.fps = kVeoFramesPerSecond;
  clip.audio = model->audio;
  clip.input = json_node_clone(body);
  clip.input_reference = std::move(veo.image);
  Task *task = nullptr;
  if (!error) {
    error = start(request, std::move(clip), task);
  }
  if (error) {
    send_error(request, *error);
    return;
  }
  g_autoptr(JsonObject) answer = json_object_new();
  json_object_set_string_member(answer, "name", operation_name(*task).c_str());
  respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(answer).get());
}

// A running operation is only its name: `done` is absent until it is true.
void GeminiEndpoint::retrieve(ApiRequest &request, const std::string &model,
                              const std::string &id) {
  Task *task = find(request, id);
  if (!task || task->model != model) {
    send_error(request, ApiError::with_status(
                            404, "Operation not found: models/" + model + "/operations/" + id,
                            std::string("NOT_FOUND")));
    return;
  }
  task->retrievals++;
  VideoView view = view_of(*task);
  g_autoptr(JsonObject) answer = json_object_new();
  json_object_set_string_member(answer, "name", operation_name(*task).c_str());
  if (view.status == TaskStatus::kQueued || view.status == TaskStatus::kInProgress) {
    respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(answer).get());
    return;
  }
  json_object_set_boolean_member(answer, "done", TRUE);
  if (view.error && view.error->filter_reasons.empty()) {
    JsonObject *status = json_object_new();
    json_object_set_int_member(status, "code", google_status_number(view.error->code));
    json_object_set_string_member(status, "message", view.error->message.c_str());
    json_object_set_object_member(answer, "error", status);
    respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(answer).get());
    return;
  }
  JsonObject *generated = json_object_new();
  if (view.error) {
    JsonArray *reasons = json_array_new();
    for (const std::string &reason : view.error->filter_reasons) {
      json_array_add_string_element(reasons, reason.c_str());
    }
    json_object_set_int_member(generated, "raiMediaFilteredCount", 1);
    json_object_set_array_member(generated, "raiMediaFilteredReasons", reasons);
  } else {
    JsonObject *video = json_object_new();
    json_object_set_string_member(video, "uri", file_uri(*task).c_str());
    JsonObject *sample = json_object_new();
    json_object_set_object_member(sample, "video", video);
    JsonArray *samples = json_array_new();
    json_array_add_object_element(samples, sample);
    json_object_set_array_member(generated, "generatedSamples", samples);
  }
  JsonObject *response = json_object_new();
  json_object_set_string_member(response, "@type", kResponseType);
  json_object_set_object_member(response, "generateVideoResponse", generated);
  json_object_set_object_member(answer, "response", response);
  respond_json(request.message.get(), SOUP_STATUS_OK, json_node_from_object(answer).get());
}

// The file URL needs the key, and redirects to storage on another host, which must not get it.
void GeminiEndpoint::download(ApiRequest &request, const std::string &id) {
  Task *task = find(request, id);
  VideoView view = task ? view_of(*task) : VideoView{};
  if (!task || view.status != TaskStatus::kCompleted || view.content_expired) {
    send_error(request,
               ApiError::with_status(404, "File files/" + id + " not found or not accessible.",
                                     std::string("NOT_FOUND")));
    return;
  }
  SoupServerMessage *message = request.message.get();
  soup_message_headers_replace(soup_server_message_get_response_headers(message), "Location",
                               cdn_content_url(*task).c_str());
  soup_server_message_set_status(message, SOUP_STATUS_FOUND, nullptr);
}
