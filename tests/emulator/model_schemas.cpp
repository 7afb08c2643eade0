/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "model_schemas.h"

#include "json_text.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace {

// The fields are those of the providers' published schemas for these models (fal.ai/models/...
// /api, replicate.com/.../api), reduced to what a video client maps or merges; descriptions are
// short. The rendered clip is 720p unless a field says otherwise.
// clang-format off
// Each field: name, type, role, description, choices, default, required, minimum, maximum.
const ModelSchema kFalApps[] = {
    {"fal-ai/kling-video/v2.1/master/text-to-video", "KlingVideoV21MasterTextToVideo",
     "Kling 2.1 Master: text-to-video",
     {
         {"prompt", FieldType::kString, FieldRole::kPrompt, "The prompt.", {}, nullptr, true, {},
          {}},
         {"duration", FieldType::kString, FieldRole::kDuration,
          "The duration of the generated video in seconds",
          {"\"5\"", "\"10\""}, "\"5\"", false, {}, {}},
         {"aspect_ratio", FieldType::kString, FieldRole::kAspectRatio,
          "The aspect ratio of the generated video frame",
          {"\"16:9\"", "\"9:16\"", "\"1:1\""}, "\"16:9\"", false, {}, {}},
         {"negative_prompt", FieldType::kString, FieldRole::kOther, "What to avoid.", {},
          "\"blur, distort, and low quality\"", false, {}, {}},
         {"cfg_scale", FieldType::kNumber, FieldRole::kOther,
          "How closely the model sticks to the prompt", {},
          "0.5", false, 0.0, 1.0},
     },
     OutputForm::kFalVideo, 24, false},
    {"fal-ai/veo3", "Veo3TextToVideo", "Veo 3: text-to-video with audio",
     {
         {"prompt", FieldType::kString, FieldRole::kPrompt, "The prompt.", {}, nullptr, true, {},
          {}},
         {"aspect_ratio", FieldType::kString, FieldRole::kAspectRatio,
          "The aspect ratio of the generated video",
          {"\"16:9\"", "\"9:16\""}, "\"16:9\"", false, {}, {}},
         {"duration", FieldType::kString, FieldRole::kDuration,
          "The duration of the generated video",
          {"\"4s\"", "\"6s\"", "\"8s\""}, "\"8s\"", false, {}, {}},
         {"resolution", FieldType::kString, FieldRole::kResolution,
          "The resolution of the generated video",
          {"\"720p\"", "\"1080p\""}, "\"720p\"", false, {}, {}},
         {"negative_prompt", FieldType::kString, FieldRole::kOther, "What to avoid.", {}, nullptr,
          false, {}, {}},
         {"generate_audio", FieldType::kBoolean, FieldRole::kOther, "Whether to generate audio.",
          {}, "true",
          false, {}, {}},
         {"seed", FieldType::kInteger, FieldRole::kOther, "A seed.", {}, nullptr, false, {}, {}},
     },
     OutputForm::kFalVideo, 24, true},
    {"fal-ai/wan/v2.2-a14b/image-to-video", "WanV22A14bImageToVideo",
     "Wan 2.2 A14B: image-to-video",
     {
         {"prompt", FieldType::kString, FieldRole::kPrompt, "The prompt.", {}, nullptr, true, {},
          {}},
         {"image_url", FieldType::kString, FieldRole::kImage,
          "URL of the input image (a data URL works too)", {},
          nullptr, true, {}, {}},
         {"num_frames", FieldType::kInteger, FieldRole::kNumFrames, "Number of frames to generate",
          {}, "81",
          false, 17.0, 161.0},
         {"frames_per_second", FieldType::kInteger, FieldRole::kFramesPerSecond,
          "Frames per second of the generated video", {}, "16", false, 4.0, 60.0},
         {"resolution", FieldType::kString, FieldRole::kResolution,
          "Resolution of the generated video",
          {"\"480p\"", "\"580p\"", "\"720p\""}, "\"720p\"", false, {}, {}},
         {"aspect_ratio", FieldType::kString, FieldRole::kAspectRatio,
          "Aspect ratio; auto follows the image",
          {"\"auto\"", "\"16:9\"", "\"9:16\"", "\"1:1\""}, "\"auto\"", false, {}, {}},
         {"seed", FieldType::kInteger, FieldRole::kOther, "A seed.", {}, nullptr, false, {}, {}},
     },
     OutputForm::kFalVideo, 16, false},
};

const ModelSchema kReplicateModels[] = {
    {"kwaivgi/kling-v2.1-master", "KlingV21Master",
     "Kling 2.1 Master: 1080p text-to-video and image-to-video",
     {
         {"prompt", FieldType::kString, FieldRole::kPrompt, "Text prompt for video generation", {},
          nullptr,
          true, {}, {}},
         {"negative_prompt", FieldType::kString, FieldRole::kOther,
          "Things you do not want to see in the video",
          {}, "\"\"", false, {}, {}},
         {"aspect_ratio", FieldType::kString, FieldRole::kAspectRatio,
          "Aspect ratio of the video. Ignored if start_image is provided.",
          {"\"16:9\"", "\"9:16\"", "\"1:1\""}, "\"16:9\"", false, {}, {}},
         {"start_image", FieldType::kString, FieldRole::kImage, "First frame of the video", {},
          nullptr, false,
          {}, {}},
         {"duration", FieldType::kInteger, FieldRole::kDuration, "Duration of the video in seconds",
          {"5", "10"},
          "5", false, {}, {}},
     },
     OutputForm::kUri, 24, false},
    {"wan-video/wan-2.2-t2v-fast", "Wan22T2vFast", "Wan 2.2 text-to-video, fast",
     {
         {"prompt", FieldType::kString, FieldRole::kPrompt, "Prompt for video generation", {},
          nullptr, true, {},
          {}},
         {"num_frames", FieldType::kInteger, FieldRole::kNumFrames,
          "Number of video frames. 81 frames give the best results", {}, "81", false, 81.0, 121.0},
         {"frames_per_second", FieldType::kInteger, FieldRole::kFramesPerSecond,
          "Frames per second", {}, "16",
          false, 5.0, 30.0},
         {"resolution", FieldType::kString, FieldRole::kResolution, "Resolution of the video",
          {"\"480p\"", "\"720p\""}, "\"480p\"", false, {}, {}},
         {"aspect_ratio", FieldType::kString, FieldRole::kAspectRatio, "Aspect ratio of the video",
          {"\"16:9\"", "\"9:16\""}, "\"16:9\"", false, {}, {}},
         {"seed", FieldType::kInteger, FieldRole::kOther, "Random seed", {}, nullptr, false, {},
          {}},
     },
     OutputForm::kUri, 16, false},
    {"anotherjesse/zeroscope-v2-xl", "ZeroscopeV2Xl",
     "Zeroscope V2 XL: text-to-video, every output a list",
     {
         {"prompt", FieldType::kString, FieldRole::kPrompt, "Input prompt", {},
          "\"An astronaut riding a horse\"", false, {}, {}},
         {"num_frames", FieldType::kInteger, FieldRole::kNumFrames, "Number of frames", {}, "24",
          false, 1.0,
          200.0},
         {"fps", FieldType::kInteger, FieldRole::kFramesPerSecond, "Frames per second", {}, "8",
          false, 1.0,
          60.0},
         {"width", FieldType::kInteger, FieldRole::kWidth, "Width of the output video", {}, "576",
          false, 256.0,
          1024.0},
         {"height", FieldType::kInteger, FieldRole::kHeight, "Height of the output video", {},
          "320", false,
          256.0, 1024.0},
         {"seed", FieldType::kInteger, FieldRole::kOther, "Random seed", {}, nullptr, false, {},
          {}},
     },
     OutputForm::kUriList, 8, false},
};
// clang-format on

template <size_t N>
const ModelSchema *find_in(const ModelSchema (&table)[N], const std::string &id) {
  for (const ModelSchema &schema : table) {
    if (id == schema.id) {
      return &schema;
    }
  }
  return nullptr;
}

// A type's name in JSON schema, and pydantic's error kind and text for a value not of it.
struct TypeNames {
  FieldType type;
  const char *schema;
  const char *pydantic_kind;
  const char *pydantic_message;
};

const TypeNames kTypeNames[] = {
    {FieldType::kString, "string", "string_type", "Input should be a valid string"},
    {FieldType::kInteger, "integer", "int_type", "Input should be a valid integer"},
    {FieldType::kNumber, "number", "float_type", "Input should be a valid number"},
    {FieldType::kBoolean, "boolean", "bool_type", "Input should be a valid boolean"},
};

const TypeNames &names_of_type(FieldType type) {
  return *std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                       [type](const TypeNames &names) { return names.type == type; });
}

const char *type_name(FieldType type) {
  return names_of_type(type).schema;
}

// gojsonschema's names for a JSON value's type.
const char *json_type_of(JsonNode *node) {
  if (JSON_NODE_HOLDS_OBJECT(node)) {
    return "object";
  }
  if (JSON_NODE_HOLDS_ARRAY(node)) {
    return "array";
  }
  if (JSON_NODE_HOLDS_NULL(node)) {
    return "null";
  }
  switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      return "integer";
    case G_TYPE_DOUBLE:
      return "number";
    case G_TYPE_BOOLEAN:
      return "boolean";
    default:
      return "string";
  }
}

JsonNodePtr parse_json(const char *text) {
  return json_parse_text(text, strlen(text), nullptr);
}

std::string number_text(double value) {
  if (value == std::floor(value)) {
    return std::to_string(static_cast<gint64>(value));
  }
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  return g_ascii_dtostr(buffer, sizeof buffer, value);
}

// A choice as pydantic prints a Literal: '5' for a string, 5 for a number.
std::string python_repr(const char *choice_json) {
  JsonNodePtr node = parse_json(choice_json);
  if (json_node_get_value_type(node.get()) == G_TYPE_STRING) {
    return std::string("'") + json_node_get_string(node.get()) + "'";
  }
  return json_to_text(node.get());
}

// "'a', 'b' or 'c'" (pydantic) and "a, b, c" (gojsonschema, strings JSON-quoted).
std::string pydantic_choices(const InputField &field) {
  std::string text;
  for (size_t i = 0; i < field.choices.size(); i++) {
    text += (i == 0                          ? ""
             : i + 1 == field.choices.size() ? " or "
                                             : ", ") +
            python_repr(field.choices[i]);
  }
  return text;
}

std::string schema_choices(const InputField &field) {
  std::string text;
  for (const char *choice : field.choices) {
    text += (text.empty() ? "" : ", ") + std::string(choice);
  }
  return text;
}

// The value normalised to the field's type (lax: numeric strings become numbers), or null when
// it does not have that type.
JsonNodePtr typed_value(const InputField &field, JsonNode *value, bool lax) {
  GType type = JSON_NODE_HOLDS_VALUE(value) ? json_node_get_value_type(value) : G_TYPE_INVALID;
  JsonNodePtr typed(json_node_new(JSON_NODE_VALUE));
  switch (field.type) {
    case FieldType::kString:
      return type == G_TYPE_STRING ? json_node_clone(value) : nullptr;
    case FieldType::kBoolean:
      return type == G_TYPE_BOOLEAN ? json_node_clone(value) : nullptr;
    case FieldType::kInteger:
    case FieldType::kNumber: {
      double number = 0;
      if (type == G_TYPE_INT64) {
        number = static_cast<double>(json_node_get_int(value));
      } else if (type == G_TYPE_DOUBLE) {
        number = json_node_get_double(value);
      } else if (type == G_TYPE_STRING && lax) {
        char *end = nullptr;
        const char *text = json_node_get_string(value);
        number = g_ascii_strtod(text, &end);
        if (!*text || *end) {
          return nullptr;
        }
      } else {
        return nullptr;
      }
      if (field.type == FieldType::kInteger) {
        if (number != std::floor(number)) {
          return nullptr;
        }
        json_node_set_int(typed.get(), static_cast<gint64>(number));
      } else {
        json_node_set_double(typed.get(), number);
      }
      return typed;
    }
  }
  return nullptr;
}

InputProblem problem(const InputField &field, const std::string &kind, const std::string &message,
                     const std::string &json_schema, JsonNode *value) {
  InputProblem p;
  p.field = field.name;
  p.kind = kind;
  p.message = message;
  p.json_schema = json_schema;
  p.input = value ? json_node_clone(value) : nullptr;
  return p;
}

std::optional<InputProblem> check_field(const InputField &field, JsonNode *value, bool lax,
                                        JsonNodePtr &typed) {
  if (!value || JSON_NODE_HOLDS_NULL(value)) {
    if (field.required) {
      return problem(field, "missing", "Field required", std::string(field.name) + " is required",
                     nullptr);
    }
    typed = field.default_json ? parse_json(field.default_json) : nullptr;
    return std::nullopt;
  }
  typed = typed_value(field, value, lax);
  if (!typed) {
    const TypeNames &names = names_of_type(field.type);
    return problem(field, names.pydantic_kind, names.pydantic_message,
                   std::string("Invalid type. Expected: ") + type_name(field.type) +
                       ", given: " + json_type_of(value),
                   value);
  }
  if (!field.choices.empty()) {
    std::string text = json_to_text(typed.get());
    bool allowed = std::any_of(field.choices.begin(), field.choices.end(), [&](const char *choice) {
      return json_to_text(parse_json(choice).get()) == text;
    });
    if (!allowed) {
      InputProblem p = problem(
          field, "literal_error", "Input should be " + pydantic_choices(field),
          std::string(field.name) + " must be one of the following: " + schema_choices(field),
          value);
      p.expected = pydantic_choices(field);
      return p;
    }
  }
  if (field.type == FieldType::kInteger || field.type == FieldType::kNumber) {
    double number = json_node_get_value_type(typed.get()) == G_TYPE_INT64
                        ? static_cast<double>(json_node_get_int(typed.get()))
                        : json_node_get_double(typed.get());
    if (field.minimum && number < *field.minimum) {
      return problem(field, "greater_than_equal",
                     "Input should be greater than or equal to " + number_text(*field.minimum),
                     "Must be greater than or equal to " + number_text(*field.minimum), value);
    }
    if (field.maximum && number > *field.maximum) {
      return problem(field, "less_than_equal",
                     "Input should be less than or equal to " + number_text(*field.maximum),
                     "Must be less than or equal to " + number_text(*field.maximum), value);
    }
  }
  return std::nullopt;
}

gint64 int_of(JsonNode *node) {
  if (json_node_get_value_type(node) == G_TYPE_INT64) {
    return json_node_get_int(node);
  }
  // "5" or "8s": the leading whole number.
  return g_ascii_strtoll(json_node_get_string(node), nullptr, 10);
}

int even(double value) {
  int rounded = static_cast<int>(std::lround(value));
  return rounded + (rounded % 2);
}

// The frame size for an aspect ratio ("16:9", "auto" as 16:9) and a resolution's short side.
void frame_size(const std::string &aspect, int short_side, int &width, int &height) {
  int w = 16;
  int h = 9;
  if (aspect != "auto" && sscanf(aspect.c_str(), "%d:%d", &w, &h) != 2) {
    w = 16;
    h = 9;
  }
  if (w >= h) {
    height = short_side;
    width = even(short_side * static_cast<double>(w) / h);
  } else {
    width = short_side;
    height = even(short_side * static_cast<double>(h) / w);
  }
}

void fill_clip(const ModelSchema &schema, const std::map<FieldRole, JsonNodePtr> &values,
               ClipRequest &clip) {
  auto value = [&values](FieldRole role) -> JsonNode * {
    auto found = values.find(role);
    return found == values.end() ? nullptr : found->second.get();
  };
  clip.prompt = value(FieldRole::kPrompt) ? json_node_get_string(value(FieldRole::kPrompt)) : "";
  clip.fps = schema.default_fps;
  if (JsonNode *fps = value(FieldRole::kFramesPerSecond)) {
    clip.fps = static_cast<int>(int_of(fps));
  }
  if (JsonNode *duration = value(FieldRole::kDuration)) {
    clip.seconds = static_cast<int>(int_of(duration));
  } else if (JsonNode *frames = value(FieldRole::kNumFrames)) {
    gint64 count = int_of(frames);
    clip.seconds = std::max<int>(1, static_cast<int>((count + clip.fps / 2) / clip.fps));
  }
  std::string aspect = "16:9";
  if (JsonNode *ratio = value(FieldRole::kAspectRatio)) {
    aspect = json_node_get_string(ratio);
  }
  int short_side = 720;
  if (JsonNode *resolution = value(FieldRole::kResolution)) {
    short_side = static_cast<int>(int_of(resolution));
  }
  frame_size(aspect, short_side, clip.width, clip.height);
  if (JsonNode *width = value(FieldRole::kWidth)) {
    clip.width = even(static_cast<double>(int_of(width)));
  }
  if (JsonNode *height = value(FieldRole::kHeight)) {
    clip.height = even(static_cast<double>(int_of(height)));
  }
  if (JsonNode *image = value(FieldRole::kImage)) {
    clip.image = json_node_clone(image);
    for (const InputField &field : schema.fields) {
      if (field.role == FieldRole::kImage) {
        clip.image_field = field.name;
      }
    }
  }
}

// A field's property in a schema: type, title, description, enum, default, bounds.
JsonObject *field_property(const InputField &field, bool cog, int order) {
  JsonObject *property = json_object_new();
  g_autofree char *title = g_strdup(field.name);
  title[0] = g_ascii_toupper(title[0]);
  for (char *c = title; *c; c++) {
    *c = *c == '_' ? ' ' : *c;
  }
  if (cog && !field.choices.empty()) {
    // Cog writes an enumeration as its own schema, referred to through allOf.
    JsonArray *all_of = json_array_new();
    JsonObject *ref = json_object_new();
    std::string target = std::string("#/components/schemas/") + field.name;
    json_object_set_string_member(ref, "$ref", target.c_str());
    json_array_add_object_element(all_of, ref);
    json_object_set_array_member(property, "allOf", all_of);
  } else {
    json_object_set_string_member(property, "type", type_name(field.type));
    json_object_set_string_member(property, "title", title);
  }
  if (!field.choices.empty() && !cog) {
    JsonArray *choices = json_array_new();
    for (const char *choice : field.choices) {
      json_array_add_element(choices, parse_json(choice).release());
    }
    json_object_set_array_member(property, "enum", choices);
  }
  if (field.role == FieldRole::kImage) {
    json_object_set_string_member(property, "format", "uri");
  }
  json_object_set_string_member(property, "description", field.description);
  if (field.default_json) {
    json_object_set_member(property, "default", parse_json(field.default_json).release());
  }
  if (field.minimum) {
    json_object_set_double_member(property, "minimum", *field.minimum);
  }
  if (field.maximum) {
    json_object_set_double_member(property, "maximum", *field.maximum);
  }
  if (cog) {
    json_object_set_int_member(property, "x-order", order);
  }
  return property;
}

JsonObject *input_schema(const ModelSchema &schema, const std::string &title, bool cog) {
  JsonObject *input = json_object_new();
  json_object_set_string_member(input, "title", title.c_str());
  json_object_set_string_member(input, "type", "object");
  JsonObject *properties = json_object_new();
  JsonArray *required = json_array_new();
  JsonArray *order = json_array_new();
  int position = 0;
  for (const InputField &field : schema.fields) {
    json_object_set_object_member(properties, field.name, field_property(field, cog, position++));
    json_array_add_string_element(order, field.name);
    if (field.required) {
      json_array_add_string_element(required, field.name);
    }
  }
  json_object_set_object_member(input, "properties", properties);
  json_object_set_array_member(input, "required", required);
  if (cog) {
    json_array_unref(order);
  } else {
    json_object_set_array_member(input, "x-fal-order-properties", order);
  }
  return input;
}

JsonObject *ref_schema(const std::string &name) {
  JsonObject *schema = json_object_new();
  std::string target = "#/components/schemas/" + name;
  json_object_set_string_member(schema, "$ref", target.c_str());
  return schema;
}

JsonObject *json_content(JsonObject *schema) {
  JsonObject *media = json_object_new();
  json_object_set_object_member(media, "schema", schema);
  JsonObject *content = json_object_new();
  json_object_set_object_member(content, "application/json", media);
  return content;
}

JsonObject *operation(const char *summary, JsonObject *request_schema,
                      JsonObject *response_schema) {
  JsonObject *op = json_object_new();
  json_object_set_string_member(op, "summary", summary);
  if (request_schema) {
    JsonObject *body = json_object_new();
    json_object_set_boolean_member(body, "required", TRUE);
    json_object_set_object_member(body, "content", json_content(request_schema));
    json_object_set_object_member(op, "requestBody", body);
  }
  JsonObject *ok = json_object_new();
  json_object_set_string_member(ok, "description", "Successful Response");
  json_object_set_object_member(ok, "content", json_content(response_schema));
  JsonObject *responses = json_object_new();
  json_object_set_object_member(responses, "200", ok);
  json_object_set_object_member(op, "responses", responses);
  return op;
}

JsonNodePtr parse_or_die(const char *text) {
  JsonNodePtr node = parse_json(text);
  g_assert(node);
  return node;
}

}  // namespace

const ModelSchema *find_fal_app(const std::string &id) {
  return find_in(kFalApps, id);
}

const ModelSchema *find_replicate_model(const std::string &id) {
  return find_in(kReplicateModels, id);
}

std::string fal_app_ids() {
  std::string ids;
  for (const ModelSchema &schema : kFalApps) {
    ids += (ids.empty() ? "" : ", ") + std::string(schema.id);
  }
  return ids;
}

std::vector<InputProblem> check_input(const ModelSchema &schema, JsonNode *input, bool lax,
                                      ClipRequest &clip) {
  std::vector<InputProblem> problems;
  JsonObject *object =
      input && JSON_NODE_HOLDS_OBJECT(input) ? json_node_get_object(input) : nullptr;
  std::map<FieldRole, JsonNodePtr> values;
  for (const InputField &field : schema.fields) {
    JsonNode *value = object ? json_object_get_member(object, field.name) : nullptr;
    JsonNodePtr typed;
    if (std::optional<InputProblem> found = check_field(field, value, lax, typed)) {
      problems.push_back(std::move(*found));
    } else if (typed && field.role != FieldRole::kOther) {
      values[field.role] = std::move(typed);
    }
  }
  if (problems.empty()) {
    fill_clip(schema, values, clip);
  }
  return problems;
}

JsonNodePtr fal_openapi_document(const ModelSchema &schema, const std::string &queue_root) {
  std::string input_name = std::string(schema.title) + "Input";
  std::string output_name = std::string(schema.title) + "Output";
  g_autoptr(JsonObject) document = json_object_new();
  json_object_set_string_member(document, "openapi", "3.0.4");
  JsonObject *info = json_object_new();
  std::string title = std::string("Queue OpenAPI for ") + schema.id;
  json_object_set_string_member(info, "title", title.c_str());
  json_object_set_string_member(info, "version", "1.0.0");
  json_object_set_string_member(info, "description", schema.description);
  JsonObject *metadata = json_object_new();
  json_object_set_string_member(metadata, "endpointId", schema.id);
  json_object_set_string_member(metadata, "category", "text-to-video");
  json_object_set_object_member(info, "x-fal-metadata", metadata);
  json_object_set_object_member(document, "info", info);

  JsonObject *schemas = json_object_new();
  json_object_set_object_member(schemas, "QueueStatus",
                                json_node_dup_object(parse_or_die(R"({
      "type": "object", "title": "QueueStatus", "required": ["status", "request_id"],
      "properties": {
        "status": {"type": "string", "enum": ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]},
        "request_id": {"type": "string", "description": "The request id."},
        "response_url": {"type": "string", "description": "The response url."},
        "status_url": {"type": "string", "description": "The status url."},
        "cancel_url": {"type": "string", "description": "The cancel url."},
        "logs": {"type": "object", "description": "The logs.", "additionalProperties": true},
        "metrics": {"type": "object", "description": "The metrics.", "additionalProperties": true},
        "queue_position": {"type": "integer", "description": "The queue position."}}})")
                                                         .get()));
  json_object_set_object_member(schemas, input_name.c_str(),
                                input_schema(schema, input_name, false));
  json_object_set_object_member(schemas, output_name.c_str(),
                                json_node_dup_object(parse_or_die(R"({
      "type": "object", "required": ["video"],
      "properties": {"video": {"title": "Video", "description": "The generated video",
                               "$ref": "#/components/schemas/File"}}})")
                                                         .get()));
  json_object_set_string_member(json_object_get_object_member(schemas, output_name.c_str()),
                                "title", output_name.c_str());
  json_object_set_object_member(schemas, "File",
                                json_node_dup_object(parse_or_die(R"({
      "type": "object", "title": "File", "required": ["url"],
      "properties": {"url": {"type": "string", "title": "Url"},
                     "content_type": {"type": "string", "title": "Content Type"},
                     "file_name": {"type": "string", "title": "File Name"},
                     "file_size": {"type": "integer", "title": "File Size"}}})")
                                                         .get()));
  JsonObject *components = json_object_new();
  json_object_set_object_member(components, "schemas", schemas);
  json_object_set_object_member(components, "securitySchemes",
                                json_node_dup_object(parse_or_die(R"({"apiKeyAuth": {
      "type": "apiKey", "in": "header", "name": "Authorization",
      "description": "Fal Key"}})")
                                                         .get()));
  json_object_set_object_member(document, "components", components);

  // The queue's routes name only the app's owner and alias.
  g_auto(GStrv) parts = g_strsplit(schema.id, "/", 3);
  std::string base = std::string("/") + parts[0] + "/" + parts[1] + "/requests/{request_id}";
  JsonObject *paths = json_object_new();
  JsonObject *submit = json_object_new();
  json_object_set_object_member(
      submit, "post",
      operation("Submit a request", ref_schema(input_name), ref_schema("QueueStatus")));
  json_object_set_object_member(paths, (std::string("/") + schema.id).c_str(), submit);
  JsonObject *status = json_object_new();
  json_object_set_object_member(
      status, "get", operation("Status of a request", nullptr, ref_schema("QueueStatus")));
  json_object_set_object_member(paths, (base + "/status").c_str(), status);
  JsonObject *cancel = json_object_new();
  json_object_set_object_member(cancel, "put",
                                operation("Cancel a request", nullptr, ref_schema("QueueStatus")));
  json_object_set_object_member(paths, (base + "/cancel").c_str(), cancel);
  JsonObject *result = json_object_new();
  json_object_set_object_member(result, "get",
                                operation("Result of a request", nullptr, ref_schema(output_name)));
  json_object_set_object_member(paths, base.c_str(), result);
  json_object_set_object_member(document, "paths", paths);
  JsonArray *servers = json_array_new();
  JsonObject *server = json_object_new();
  json_object_set_string_member(server, "url", queue_root.c_str());
  json_array_add_object_element(servers, server);
  json_object_set_array_member(document, "servers", servers);
  JsonArray *security = json_array_new();
  JsonObject *key = json_object_new();
  json_object_set_array_member(key, "apiKeyAuth", json_array_new());
  json_array_add_object_element(security, key);
  json_object_set_array_member(document, "security", security);
  return json_node_from_object(document);
}

std::string replicate_version_id(const ModelSchema &schema) {
  g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, schema.id, -1);
  return digest;
}

const ModelSchema *find_replicate_version(const std::string &version) {
  for (const ModelSchema &schema : kReplicateModels) {
    if (replicate_version_id(schema) == version) {
      return &schema;
    }
  }
  return nullptr;
}

JsonNodePtr replicate_model_json(const ModelSchema &schema) {
  g_auto(GStrv) parts = g_strsplit(schema.id, "/", 2);
  g_autoptr(JsonObject) model = json_object_new();
  std::string url = std::string("https://replicate.com/") + schema.id;
  json_object_set_string_member(model, "url", url.c_str());
  json_object_set_string_member(model, "owner", parts[0]);
  json_object_set_string_member(model, "name", parts[1]);
  json_object_set_string_member(model, "description", schema.description);
  json_object_set_string_member(model, "visibility", "public");
  json_object_set_null_member(model, "github_url");
  json_object_set_null_member(model, "paper_url");
  json_object_set_null_member(model, "license_url");
  json_object_set_int_member(model, "run_count", 104729);
  json_object_set_null_member(model, "cover_image_url");
  json_object_set_null_member(model, "default_example");

  JsonObject *schemas = json_object_new();
  json_object_set_object_member(schemas, "Input", input_schema(schema, "Input", true));
  for (const InputField &field : schema.fields) {
    if (field.choices.empty()) {
      continue;
    }
    JsonObject *enumeration = json_object_new();
    json_object_set_string_member(enumeration, "type", type_name(field.type));
    json_object_set_string_member(enumeration, "title", field.name);
    JsonArray *choices = json_array_new();
    for (const char *choice : field.choices) {
      json_array_add_element(choices, parse_json(choice).release());
    }
    json_object_set_array_member(enumeration, "enum", choices);
    json_object_set_string_member(enumeration, "description", "An enumeration.");
    json_object_set_object_member(schemas, field.name, enumeration);
  }
  const char *output = schema.output == OutputForm::kUriList
                           ? R"({"type": "array", "title": "Output",
                                 "items": {"type": "string", "format": "uri"}})"
                           : R"({"type": "string", "title": "Output", "format": "uri"})";
  json_object_set_object_member(schemas, "Output",
                                json_node_dup_object(parse_or_die(output).get()));
  json_object_set_object_member(schemas, "Status",
                                json_node_dup_object(parse_or_die(R"({
      "type": "string", "title": "Status", "description": "An enumeration.",
      "enum": ["starting", "processing", "succeeded", "canceled", "failed"]})")
                                                         .get()));
  JsonObject *components = json_object_new();
  json_object_set_object_member(components, "schemas", schemas);
  JsonObject *openapi = json_object_new();
  json_object_set_string_member(openapi, "openapi", "3.0.2");
  json_object_set_object_member(
      openapi, "info",
      json_node_dup_object(parse_or_die(R"({"title": "Cog", "version": "0.1.0"})").get()));
  json_object_set_object_member(openapi, "paths", json_object_new());
  json_object_set_object_member(openapi, "components", components);

  JsonObject *version = json_object_new();
  json_object_set_string_member(version, "id", replicate_version_id(schema).c_str());
  json_object_set_string_member(version, "created_at", "2026-03-02T10:41:07.361012Z");
  json_object_set_string_member(version, "cog_version", "0.14.12");
  json_object_set_object_member(version, "openapi_schema", openapi);
  json_object_set_object_member(model, "latest_version", version);
  return json_node_from_object(model);
}
