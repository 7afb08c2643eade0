/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/input_schema.h"

#include "core/json_members.h"

#include <algorithm>
#include <cmath>

namespace sora {

namespace {

/* Frames per second when a num_frames model names none. */
constexpr unsigned kDefaultFps = 24;

/* "#/components/schemas/Name" within `root`. */
JsonObject *resolve_ref(JsonObject *root, const char *ref) {
  if (!ref || !g_str_has_prefix(ref, "#/"))
    return nullptr;
  g_auto(GStrv) parts = g_strsplit(ref + 2, "/", 8);
  JsonObject *at = root;
  for (char **part = parts; *part && at; part++)
    at = child_object(at, *part);
  return at;
}

/* A property's own schema, with $ref, allOf and anyOf (pydantic's
 * Optional: [{...}, {"type": "null"}]) followed, one level each. */
void read_field(JsonObject *root, JsonObject *property, SchemaField &field, int depth = 0) {
  if (!property || depth > 4)
    return;
  if (const char *ref = json_object_has_member(property, "$ref")
                            ? json_object_get_string_member(property, "$ref")
                            : nullptr)
    read_field(root, resolve_ref(root, ref), field, depth + 1);
  for (const char *combined : {"allOf", "anyOf", "oneOf"}) {
    JsonNode *node = json_object_get_member(property, combined);
    if (!node || !JSON_NODE_HOLDS_ARRAY(node))
      continue;
    JsonArray *list = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(list) && i < 8; i++) {
      JsonNode *item = json_array_get_element(list, i);
      if (JSON_NODE_HOLDS_OBJECT(item))
        read_field(root, json_node_get_object(item), field, depth + 1);
    }
  }
  JsonNode *type = json_object_get_member(property, "type");
  if (type && JSON_NODE_HOLDS_VALUE(type) && json_node_get_value_type(type) == G_TYPE_STRING &&
      g_strcmp0(json_node_get_string(type), "null") != 0)
    field.type = json_node_get_string(type);
  JsonNode *values = json_object_get_member(property, "enum");
  if (values && JSON_NODE_HOLDS_ARRAY(values)) {
    JsonArray *list = json_node_get_array(values);
    for (guint i = 0; i < json_array_get_length(list) && i < 256; i++) {
      std::string text = scalar_text(json_array_get_element(list, i));
      if (!text.empty() &&
          std::find(field.allowed.begin(), field.allowed.end(), text) == field.allowed.end())
        field.allowed.push_back(std::move(text));
    }
  }
  for (auto [name, bound] : {std::pair{"minimum", &field.minimum},
                             std::pair{"maximum", &field.maximum}}) {
    JsonNode *node = json_object_get_member(property, name);
    if (node && JSON_NODE_HOLDS_VALUE(node) &&
        (json_node_get_value_type(node) == G_TYPE_INT64 ||
         json_node_get_value_type(node) == G_TYPE_DOUBLE))
      *bound = json_node_get_double(node);
  }
  if (json_object_has_member(property, "default"))
    field.default_value = scalar_text(json_object_get_member(property, "default"));
}

std::optional<InputSchema> schema_of(JsonObject *root, JsonObject *input, std::string *problem) {
  JsonObject *properties = child_object(input, "properties");
  if (!properties) {
    *problem = "its input schema lists no properties";
    return std::nullopt;
  }
  InputSchema schema;
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *node = nullptr;
  json_object_iter_init(&iter, properties);
  while (json_object_iter_next(&iter, &name, &node) && schema.fields.size() < 256) {
    SchemaField field;
    field.name = name;
    if (JSON_NODE_HOLDS_OBJECT(node))
      read_field(root, json_node_get_object(node), field);
    schema.fields.push_back(std::move(field));
  }
  return schema;
}

std::string quoted_list(const std::vector<std::string> &values) {
  std::string out;
  for (size_t i = 0; i < values.size(); i++)
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + ("'" + values[i] + "'");
  return out;
}

/* A schema's bound as text: "81", or "1.5e+27" (any double a document
 * holds, never cast out of range). */
std::string bound_text(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<gint64>(value));
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  return g_ascii_dtostr(buffer, sizeof buffer, value);
}

std::string allowed_text(const SchemaField &field) {
  if (!field.allowed.empty())
    return quoted_list(field.allowed);
  std::string range;
  if (field.minimum)
    range += "at least " + bound_text(*field.minimum);
  if (field.maximum)
    range += std::string(range.empty() ? "" : " and ") + "at most " + bound_text(*field.maximum);
  return range.empty() ? "any " + (field.type.empty() ? std::string("value") : field.type)
                       : range;
}

bool numeric(const SchemaField &field) {
  return field.type == "integer" || field.type == "number";
}

bool within_range(const SchemaField &field, double value) {
  return (!field.minimum || value >= *field.minimum) && (!field.maximum || value <= *field.maximum);
}

/* The text among `candidates` the field allows, or nullopt. */
std::optional<std::string> allowed_form(const SchemaField &field,
                                        const std::vector<std::string> &candidates) {
  if (field.allowed.empty())
    return candidates.front();
  for (const std::string &candidate : candidates) {
    if (std::find(field.allowed.begin(), field.allowed.end(), candidate) != field.allowed.end())
      return candidate;
  }
  return std::nullopt;
}

void set_typed(JsonObject *input, const SchemaField *field, const std::string &name,
               const std::string &text) {
  if (field && numeric(*field))
    json_object_set_int_member(input, name.c_str(), g_ascii_strtoll(text.c_str(), nullptr, 10));
  else
    json_object_set_string_member(input, name.c_str(), text.c_str());
}

const SchemaField *first_field(const InputSchema &schema, std::initializer_list<const char *> names) {
  for (const char *name : names) {
    if (const SchemaField *field = schema.field(name))
      return field;
  }
  return nullptr;
}

SettingsProblem refusal(const char *property, const std::string &what, const SchemaField &field,
                        const InputSchema &schema) {
  return {property, what + ": its input field " + field.name + " takes " + allowed_text(field) +
                        " (" + schema.source + "). No request was sent."};
}

unsigned gcd(unsigned a, unsigned b) {
  while (b) {
    unsigned t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

const SchemaField *InputSchema::field(const std::string &name) const {
  for (const SchemaField &field : fields) {
    if (field.name == name)
      return &field;
  }
  return nullptr;
}

std::string InputSchema::describe() const {
  std::string out;
  for (const SchemaField &field : fields) {
    out += (out.empty() ? "" : "\n") + field.name;
    if (!field.type.empty())
      out += " (" + field.type + ")";
    if (!field.allowed.empty() || field.minimum || field.maximum)
      out += ": " + allowed_text(field);
    if (!field.default_value.empty())
      out += ", default " + field.default_value;
  }
  return out;
}

std::optional<InputSchema> parse_fal_openapi(std::string_view document, std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *root = parse_json_object(parser, document, problem);
  if (!root)
    return std::nullopt;
  /* The request body of the app's POST (the submit). */
  JsonObject *paths = child_object(root, "paths");
  JsonObject *input = nullptr;
  if (paths) {
    JsonObjectIter iter;
    const char *path = nullptr;
    JsonNode *node = nullptr;
    json_object_iter_init(&iter, paths);
    while (!input && json_object_iter_next(&iter, &path, &node)) {
      JsonObject *operation = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
      JsonObject *body = child_object(child_object(operation, "post"), "requestBody");
      JsonObject *schema =
          child_object(child_object(child_object(body, "content"), "application/json"), "schema");
      if (schema && json_object_has_member(schema, "$ref"))
        schema = resolve_ref(root, json_object_get_string_member(schema, "$ref"));
      input = schema;
    }
  }
  if (!input) {
    *problem = "its OpenAPI document has no POST with a JSON body";
    return std::nullopt;
  }
  return schema_of(root, input, problem);
}

std::optional<InputSchema> parse_replicate_model(std::string_view model, std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *root = parse_json_object(parser, model, problem);
  if (!root)
    return std::nullopt;
  /* A model answer holds latest_version; a version answer is the version. */
  JsonObject *version = child_object(root, "latest_version");
  JsonObject *openapi = child_object(version ? version : root, "openapi_schema");
  JsonObject *input = child_object(child_object(child_object(openapi, "components"), "schemas"), "Input");
  if (!input) {
    *problem = "it has no openapi_schema with an Input";
    return std::nullopt;
  }
  return schema_of(openapi, input, problem);
}

std::string image_data_url(const ReferenceImage &image) {
  gsize length = 0;
  const guchar *data = static_cast<const guchar *>(g_bytes_get_data(image.bytes.get(), &length));
  g_autofree char *encoded = g_base64_encode(data, length);
  return "data:" + image.mime + ";base64," + encoded;
}

std::optional<std::string> map_input(const VideoRequest &request, const ReferenceImage *image,
                                     const InputSchema *schema,
                                     const ConventionalInput &conventional,
                                     SettingsProblem *problem) {
  g_autoptr(JsonObject) input = json_object_new();
  json_object_set_string_member(input, "prompt", request.prompt.c_str());

  if (request.seconds != 0) {
    const std::string s = std::to_string(request.seconds);
    /* Where each value goes, first match first (the names fal's and
     * Replicate's video models use). */
    const SchemaField *duration = schema ? first_field(*schema, {"duration", "duration_seconds",
                                                                 "seconds", "length",
                                                                 "video_length"})
                                         : nullptr;
    const SchemaField *frames = schema ? schema->field("num_frames") : nullptr;
    if (!schema) {
      if (conventional.duration_as_string)
        json_object_set_string_member(input, "duration", s.c_str());
      else
        json_object_set_int_member(input, "duration", request.seconds);
    } else if (duration) {
      /* "8s" when the field's values or default are written so. */
      bool with_unit = g_str_has_suffix(duration->default_value.c_str(), "s") ||
                       std::any_of(duration->allowed.begin(), duration->allowed.end(),
                                   [](const std::string &v) { return g_str_has_suffix(v.c_str(), "s"); });
      std::vector<std::string> forms =
          with_unit ? std::vector<std::string>{s + "s", s} : std::vector<std::string>{s, s + "s"};
      std::optional<std::string> form = allowed_form(*duration, forms);
      if (!form || (numeric(*duration) && !within_range(*duration, request.seconds))) {
        *problem = refusal("seconds", "seconds=" + s + " is not a duration " + request.model +
                                          " takes", *duration, *schema);
        return std::nullopt;
      }
      set_typed(input, duration, duration->name, *form);
    } else if (frames) {
      const SchemaField *fps_field = first_field(*schema, {"frames_per_second", "fps",
                                                           "frame_rate"});
      unsigned fps = kDefaultFps;
      if (fps_field && !fps_field->default_value.empty())
        fps = static_cast<unsigned>(g_ascii_strtoull(fps_field->default_value.c_str(), nullptr, 10));
      if (fps == 0)
        fps = kDefaultFps;
      unsigned count = request.seconds * fps;
      std::string text = std::to_string(count);
      if (!allowed_form(*frames, {text}) || !within_range(*frames, count)) {
        *problem = refusal("seconds", "seconds=" + s + " is " + text + " frames at " +
                                          std::to_string(fps) + " fps, which " + request.model +
                                          " does not take",
                           *frames, *schema);
        return std::nullopt;
      }
      set_typed(input, frames, frames->name, text);
    }
  }

  if (!request.size.empty()) {
    std::optional<FrameSize> size = parse_width_x_height(request.size);
    if (!size || size->width == 0 || size->height == 0) {
      *problem = {"size", "size=\"" + request.size + "\" is not WIDTHxHEIGHT."};
      return std::nullopt;
    }
    unsigned divisor = gcd(size->width, size->height);
    std::string ratio =
        std::to_string(size->width / divisor) + ":" + std::to_string(size->height / divisor);
    std::string resolution = std::to_string(MIN(size->width, size->height)) + "p";
    const SchemaField *aspect = schema ? schema->field("aspect_ratio") : nullptr;
    const SchemaField *res = schema ? schema->field("resolution") : nullptr;
    const SchemaField *width = schema ? schema->field("width") : nullptr;
    const SchemaField *height = schema ? schema->field("height") : nullptr;
    if (!schema) {
      json_object_set_string_member(input, "aspect_ratio", ratio.c_str());
    }
    if (aspect) {
      if (!allowed_form(*aspect, {ratio})) {
        *problem = refusal("size", "size=\"" + request.size + "\" is the aspect ratio " + ratio +
                                       ", which " + request.model + " does not take",
                           *aspect, *schema);
        return std::nullopt;
      }
      json_object_set_string_member(input, aspect->name.c_str(), ratio.c_str());
    }
    if (res) {
      if (!allowed_form(*res, {resolution})) {
        *problem = refusal("size", "size=\"" + request.size + "\" is " + resolution + ", which " +
                                       request.model + " does not take",
                           *res, *schema);
        return std::nullopt;
      }
      json_object_set_string_member(input, res->name.c_str(), resolution.c_str());
    }
    if (width && height && !aspect) {
      for (auto [field, value] : {std::pair{width, size->width}, std::pair{height, size->height}}) {
        if (!allowed_form(*field, {std::to_string(value)}) || !within_range(*field, value)) {
          *problem = refusal("size", "size=\"" + request.size + "\" is not a size " +
                                         request.model + " takes",
                             *field, *schema);
          return std::nullopt;
        }
        set_typed(input, field, field->name, std::to_string(value));
      }
    }
  }

  if (image && image->bytes) {
    const char *name = conventional.image_field;
    if (schema) {
      const SchemaField *field = first_field(*schema, {"image_url", "start_image_url", "image",
                                                       "start_image", "first_frame_image",
                                                       "input_image", "first_frame"});
      if (!field) {
        *problem = {"input-reference", request.model + " takes no reference image (" +
                                           schema->source + " has no image field). Unset "
                                           "input-reference, or choose an image-to-video model. "
                                           "No request was sent."};
        return std::nullopt;
      }
      name = field->name.c_str();
    }
    json_object_set_string_member(input, name, image_data_url(*image).c_str());
  }

  if (!request.metadata.empty()) {
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    std::string why;
    JsonObject *extra = parse_json_object(parser, request.metadata, &why);
    if (!extra) {
      *problem = {"metadata", "metadata is not a JSON object (" + why +
                                  "): its members are the model's other input fields."};
      return std::nullopt;
    }
    JsonObjectIter iter;
    const char *name = nullptr;
    JsonNode *value = nullptr;
    json_object_iter_init(&iter, extra);
    while (json_object_iter_next(&iter, &name, &value)) {
      if (json_object_has_member(input, name)) {
        *problem = {"metadata", std::string("metadata sets ") + name +
                                    ", which the element's properties set (prompt, seconds, "
                                    "size, input-reference): use them."};
        return std::nullopt;
      }
      if (schema) {
        const SchemaField *field = schema->field(name);
        if (!field) {
          *problem = {"metadata", std::string("metadata sets ") + name + ", which " +
                                      request.model + " does not take (" + schema->source +
                                      "). Its fields: " + schema->describe() + "."};
          return std::nullopt;
        }
        std::string text = scalar_text(value);
        if (!field->allowed.empty() && !allowed_form(*field, {text})) {
          *problem = refusal("metadata", std::string("metadata sets ") + name + " to '" + text +
                                             "'",
                             *field, *schema);
          return std::nullopt;
        }
      }
      json_object_set_member(input, name, json_node_copy(value));
    }
  }
  g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(root, input);
  g_autofree char *text = json_to_string(root, FALSE);
  return std::string(text);
}

}  // namespace sora
