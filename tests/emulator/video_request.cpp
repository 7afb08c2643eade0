/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "video_request.h"

#include "image_size.h"
#include "openrouter_request.h"

#include "json_text.h"

#include <cstring>

namespace {

const char *const kImageTypes[] = {"image/jpeg", "image/png", "image/webp"};

std::optional<ApiError> check_body(const RequestBody &body) {
  if (body.kind != BodyKind::kJson && body.kind != BodyKind::kMultipart) {
    return ApiError::unsupported_content_type(body.media_type);
  }
  if (!body.parse_error.empty()) {
    return ApiError::invalid_request("We could not parse the body of your request (" +
                                     body.parse_error +
                                     "). The API expects a JSON object or a "
                                     "multipart/form-data form.");
  }
  if (body.kind == BodyKind::kJson && !JSON_NODE_HOLDS_OBJECT(body.json.get())) {
    return ApiError::invalid_request("The request body must be a JSON object.");
  }
  return std::nullopt;
}

JsonNode *json_member(const RequestBody &body, const char *name) {
  JsonObject *object = json_node_get_object(body.json.get());
  return json_object_has_member(object, name) ? json_object_get_member(object, name) : nullptr;
}

// Reads an optional string parameter; JSON null counts as absent.
std::optional<ApiError> read_string(const RequestBody &body, const char *name,
                                    std::optional<std::string> &value) {
  if (body.kind == BodyKind::kJson) {
    JsonNode *member = json_member(body, name);
    if (!member || JSON_NODE_HOLDS_NULL(member)) {
      return std::nullopt;
    }
    if (json_node_get_value_type(member) != G_TYPE_STRING) {
      return ApiError::invalid_type(name, "a string", member);
    }
    value = json_node_get_string(member);
    return std::nullopt;
  }
  const FormField *field = body.field(name);
  if (!field) {
    return std::nullopt;
  }
  if (field->is_file) {
    return ApiError::invalid_request(
        std::string("Invalid type for '") + name + "': expected a string, but got a file instead.",
        std::string(name), std::string("invalid_type"));
  }
  value = field->value;
  return std::nullopt;
}

// Reads @name as a string, also taking a JSON integer as its decimal text.
std::optional<ApiError> read_string_or_integer(const RequestBody &body, const char *name,
                                               std::optional<std::string> &value) {
  JsonNode *member = body.kind == BodyKind::kJson ? json_member(body, name) : nullptr;
  if (member && json_node_get_value_type(member) == G_TYPE_INT64) {
    value = std::to_string(json_node_get_int(member));
    return std::nullopt;
  }
  return read_string(body, name, value);
}

std::optional<ApiError> read_lenient_seconds(const RequestBody &body,
                                             std::optional<std::string> &seconds) {
  for (const char *name : {"seconds", "duration"}) {
    if (std::optional<ApiError> error = read_string_or_integer(body, name, seconds)) {
      return error;
    }
    if (seconds) {
      break;
    }
  }
  return std::nullopt;
}

const char *sniff_image_type(GBytes *data) {
  // By magic bytes, as the API checks uploads; GIO's guess would depend on the local MIME database.
  gsize size = 0;
  auto bytes = static_cast<const guint8 *>(g_bytes_get_data(data, &size));
  if (size >= 3 && memcmp(bytes, "\xFF\xD8\xFF", 3) == 0) {
    return "image/jpeg";
  }
  if (size >= 8 && memcmp(bytes, "\x89PNG\r\n\x1A\n", 8) == 0) {
    return "image/png";
  }
  if (size >= 12 && memcmp(bytes, "RIFF", 4) == 0 && memcmp(bytes + 8, "WEBP", 4) == 0) {
    return "image/webp";
  }
  return nullptr;
}

ApiError invalid_reference(const std::string &detail) {
  return ApiError::invalid_request("Invalid 'input_reference': " + detail, "input_reference",
                                   "invalid_value");
}

std::optional<ApiError> check_uploaded_image(const FormField &field) {
  if (!field.is_file || field.filename.empty()) {
    return invalid_reference(
        "expected an uploaded image file with a filename (multipart file part).");
  }
  bool supported = false;
  for (const char *type : kImageTypes) {
    supported = supported || field.content_type == type;
  }
  if (!supported) {
    return invalid_reference("unsupported mimetype ('" + field.content_type +
                             "'). Supported file formats are 'image/jpeg', 'image/png', and "
                             "'image/webp'.");
  }
  const char *sniffed = sniff_image_type(field.data.get());
  if (!sniffed || field.content_type != sniffed) {
    return invalid_reference("the file '" + field.filename + "' is not a valid " +
                             field.content_type + " image.");
  }
  return std::nullopt;
}

JsonNodePtr describe_upload(const FormField &field) {
  g_autoptr(JsonObject) description = json_object_new();
  json_object_set_string_member(description, "kind", "file");
  json_object_set_string_member(description, "filename", field.filename.c_str());
  json_object_set_string_member(description, "content_type", field.content_type.c_str());
  json_object_set_int_member(description, "size", g_bytes_get_size(field.data.get()));
  if (std::optional<std::pair<guint, guint>> pixels = read_image_size(field.data.get())) {
    json_object_set_int_member(description, "width", pixels->first);
    json_object_set_int_member(description, "height", pixels->second);
  }
  return json_node_from_object(description);
}

// A reference object must hold exactly one of image_url or file_id, as a string.
std::optional<ApiError> check_reference_object(JsonObject *reference) {
  int references = 0;
  for (const char *key : {"image_url", "file_id"}) {
    if (!json_object_has_member(reference, key)) {
      continue;
    }
    JsonNode *value = json_object_get_member(reference, key);
    if (json_node_get_value_type(value) != G_TYPE_STRING) {
      return ApiError::invalid_type(std::string("input_reference.") + key, "a string", value);
    }
    references++;
  }
  if (references != 1) {
    return invalid_reference("provide exactly one of 'image_url' or 'file_id'.");
  }
  return std::nullopt;
}

// Multipart forms carry objects flattened as "name[key]" fields (as the official SDKs send them).
JsonObjectPtr bracketed_fields(const RequestBody &body, const std::string &name) {
  JsonObjectPtr object(json_object_new());
  std::string prefix = name + "[";
  for (const FormField &field : body.fields) {
    if (!field.is_file && field.name.size() > prefix.size() + 1 &&
        field.name.compare(0, prefix.size(), prefix) == 0 && field.name.back() == ']') {
      std::string key = field.name.substr(prefix.size(), field.name.size() - prefix.size() - 1);
      json_object_set_string_member(object.get(), key.c_str(), field.value.c_str());
    }
  }
  return object;
}

std::optional<ApiError> read_multipart_reference(const RequestBody &body, JsonNodePtr &reference) {
  if (const FormField *field = body.field("input_reference")) {
    if (std::optional<ApiError> error = check_uploaded_image(*field)) {
      return error;
    }
    reference = describe_upload(*field);
    return std::nullopt;
  }
  JsonObjectPtr object = bracketed_fields(body, "input_reference");
  if (json_object_get_size(object.get()) == 0) {
    return std::nullopt;
  }
  if (std::optional<ApiError> error = check_reference_object(object.get())) {
    return error;
  }
  reference = json_node_from_object(object.get());
  return std::nullopt;
}

std::optional<ApiError> read_json_reference(const RequestBody &body, JsonNodePtr &reference) {
  JsonNode *member = json_member(body, "input_reference");
  if (!member || JSON_NODE_HOLDS_NULL(member)) {
    return std::nullopt;
  }
  if (!JSON_NODE_HOLDS_OBJECT(member)) {
    return ApiError::invalid_type("input_reference", "an object", member);
  }
  if (std::optional<ApiError> error = check_reference_object(json_node_get_object(member))) {
    return error;
  }
  reference = json_node_clone(member);
  return std::nullopt;
}

std::optional<ApiError> read_metadata(const RequestBody &body, JsonNodePtr &metadata) {
  if (body.kind == BodyKind::kJson) {
    metadata = json_node_clone(json_member(body, "metadata"));
    return std::nullopt;
  }
  std::optional<std::string> text;
  if (std::optional<ApiError> error = read_string(body, "metadata", text)) {
    return error;
  }
  if (text) {
    metadata.reset(json_node_new(JSON_NODE_VALUE));
    json_node_set_string(metadata.get(), text->c_str());
  }
  return std::nullopt;
}

// The video to extend: {"id": "..."} (a JSON object, JSON text in a form field, or a flattened
// "video[id]" field) or the bare id.
std::optional<ApiError> read_video_reference(const RequestBody &body,
                                             std::optional<std::string> &video_id) {
  JsonNodePtr reference;
  if (body.kind == BodyKind::kJson) {
    reference = json_node_clone(json_member(body, "video"));
  } else if (const FormField *field = body.field("video")) {
    if (field->is_file) {
      return ApiError::invalid_request(
          "Uploading a video file to extend is not supported here; pass the completed video "
          "as {\"id\": \"video_...\"}.",
          std::string("video"), std::string("invalid_value"));
    }
    reference = json_parse_text(field->value.data(), field->value.size(), nullptr);
    if (!reference || !JSON_NODE_HOLDS_OBJECT(reference.get())) {
      video_id = field->value;
      return std::nullopt;
    }
  } else {
    JsonObjectPtr object = bracketed_fields(body, "video");
    if (json_object_get_size(object.get()) > 0) {
      reference = json_node_from_object(object.get());
    }
  }
  if (!reference || JSON_NODE_HOLDS_NULL(reference.get())) {
    return std::nullopt;
  }
  if (json_node_get_value_type(reference.get()) == G_TYPE_STRING) {
    video_id = json_node_get_string(reference.get());
    return std::nullopt;
  }
  JsonObject *object =
      JSON_NODE_HOLDS_OBJECT(reference.get()) ? json_node_get_object(reference.get()) : nullptr;
  JsonNode *id = object && json_object_has_member(object, "id")
                     ? json_object_get_member(object, "id")
                     : nullptr;
  if (!id || json_node_get_value_type(id) != G_TYPE_STRING) {
    return ApiError::invalid_request("Invalid 'video': expected {\"id\": \"video_...\"}.",
                                     std::string("video"), std::string("invalid_value"));
  }
  video_id = json_node_get_string(id);
  return std::nullopt;
}

ApiError unknown_seconds() {
  return ApiError::invalid_request("Unknown parameter: 'seconds'.", std::string("seconds"),
                                   std::string("unknown_parameter"));
}

std::optional<ApiError> read_seconds(const RequestBody &body, ParameterTypes types,
                                     SecondsMember seconds_member,
                                     std::optional<std::string> &seconds) {
  bool sent = body.kind == BodyKind::kJson ? json_member(body, "seconds") != nullptr
                                           : body.field("seconds") != nullptr;
  if (sent && seconds_member == SecondsMember::kReject) {
    return unknown_seconds();
  }
  if (seconds_member == SecondsMember::kIgnore) {
    // Only a lenient server's `duration` can still give the length.
    return types == ParameterTypes::kLenient ? read_string_or_integer(body, "duration", seconds)
                                             : std::nullopt;
  }
  return types == ParameterTypes::kLenient ? read_lenient_seconds(body, seconds)
                                           : read_string(body, "seconds", seconds);
}

}  // namespace

std::optional<ApiError> read_create_request(const RequestBody &body, ParameterTypes types,
                                            SecondsMember seconds_member,
                                            CreateVideoRequest &request) {
  if (types == ParameterTypes::kOpenRouter) {
    return read_openrouter_create_request(body, seconds_member, request);
  }
  if (std::optional<ApiError> error = check_body(body)) {
    return error;
  }
  std::optional<ApiError> error = read_string(body, "prompt", request.prompt);
  if (!error) {
    error = read_string(body, "model", request.model);
  }
  if (!error) {
    error = read_seconds(body, types, seconds_member, request.seconds);
  }
  if (!error) {
    error = read_string(body, "size", request.size);
  }
  if (!error) {
    error = body.kind == BodyKind::kJson ? read_json_reference(body, request.input_reference)
                                         : read_multipart_reference(body, request.input_reference);
  }
  if (error) {
    return error;
  }
  if (types == ParameterTypes::kLenient) {
    request.metadata = body.parsed_value("metadata");
    return std::nullopt;
  }
  return read_metadata(body, request.metadata);
}

std::optional<ApiError> read_remix_request(const RequestBody &body,
                                           std::optional<std::string> &prompt) {
  if (std::optional<ApiError> error = check_body(body)) {
    return error;
  }
  return read_string(body, "prompt", prompt);
}

std::optional<ApiError> read_extend_request(const RequestBody &body, ExtendVideoRequest &request) {
  if (std::optional<ApiError> error = check_body(body)) {
    return error;
  }
  if (std::optional<ApiError> error = read_video_reference(body, request.video_id)) {
    return error;
  }
  if (std::optional<ApiError> error = read_string(body, "prompt", request.prompt)) {
    return error;
  }
  return read_string(body, "seconds", request.seconds);
}
