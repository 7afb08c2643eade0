/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "inline_images.h"

#include "image_size.h"
#include "json_text.h"

#include <libsoup/soup.h>

#include <string>

namespace {

// The URL of an image reference: {"image_url": {"url": U}}, {"image_url": U} or U itself.
const char *reference_url(JsonNode *reference) {
  if (json_node_get_value_type(reference) == G_TYPE_STRING) {
    return json_node_get_string(reference);
  }
  if (!JSON_NODE_HOLDS_OBJECT(reference)) {
    return nullptr;
  }
  JsonObject *object = json_node_get_object(reference);
  JsonNode *image_url = json_object_has_member(object, "image_url")
                            ? json_object_get_member(object, "image_url")
                            : nullptr;
  if (!image_url) {
    return nullptr;
  }
  if (json_node_get_value_type(image_url) == G_TYPE_STRING) {
    return json_node_get_string(image_url);
  }
  if (JSON_NODE_HOLDS_OBJECT(image_url)) {
    return json_object_get_string_member_with_default(json_node_get_object(image_url), "url",
                                                      nullptr);
  }
  return nullptr;
}

void describe_bytes(JsonObject *description, const char *kind, const char *content_type,
                    GBytes *data) {
  json_object_set_string_member(description, "kind", kind);
  json_set_optional_string(description, "content_type",
                           content_type ? std::optional<std::string>(content_type) : std::nullopt);
  if (!data) {
    json_object_set_null_member(description, "size");
    return;
  }
  json_object_set_int_member(description, "size", g_bytes_get_size(data));
  g_autofree char *sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
  json_object_set_string_member(description, "sha256", sha256);
  if (std::optional<std::pair<guint, guint>> pixels = read_image_size(data)) {
    json_object_set_int_member(description, "width", pixels->first);
    json_object_set_int_member(description, "height", pixels->second);
  }
}

void describe_data_url(JsonObject *description, const char *url) {
  g_autofree char *content_type = nullptr;
  g_autoptr(GBytes) data = soup_uri_decode_data_uri(url, &content_type);
  describe_bytes(description, "data_url", content_type, data);
}

void add_reference(JsonArray *images, const std::string &field, JsonNode *reference) {
  const char *url = reference_url(reference);
  if (!url) {
    return;
  }
  JsonObject *description = json_object_new();
  json_object_set_string_member(description, "field", field.c_str());
  if (JSON_NODE_HOLDS_OBJECT(reference)) {
    JsonObject *object = json_node_get_object(reference);
    if (const char *frame_type =
            json_object_get_string_member_with_default(object, "frame_type", nullptr)) {
      json_object_set_string_member(description, "frame_type", frame_type);
    }
  }
  if (g_ascii_strncasecmp(url, "data:", 5) == 0) {
    describe_data_url(description, url);
  } else {
    json_object_set_string_member(description, "kind", "url");
    json_object_set_string_member(description, "url", url);
  }
  json_array_add_object_element(images, description);
}

void add_reference_array(JsonArray *images, JsonObject *body, const char *name) {
  JsonNode *member =
      json_object_has_member(body, name) ? json_object_get_member(body, name) : nullptr;
  if (!member || !JSON_NODE_HOLDS_ARRAY(member)) {
    return;
  }
  JsonArray *references = json_node_get_array(member);
  for (guint i = 0; i < json_array_get_length(references); i++) {
    add_reference(images, std::string(name) + "[" + std::to_string(i) + "]",
                  json_array_get_element(references, i));
  }
}

// The Gemini API's instances[i].image: {"bytesBase64Encoded": ..., "mimeType": ...}.
void add_gemini_images(JsonArray *images, JsonObject *body) {
  JsonNode *member = json_object_get_member(body, "instances");
  if (!member || !JSON_NODE_HOLDS_ARRAY(member)) {
    return;
  }
  JsonArray *instances = json_node_get_array(member);
  for (guint i = 0; i < json_array_get_length(instances); i++) {
    JsonNode *instance = json_array_get_element(instances, i);
    JsonNode *image = JSON_NODE_HOLDS_OBJECT(instance)
                          ? json_object_get_member(json_node_get_object(instance), "image")
                          : nullptr;
    if (!image || !JSON_NODE_HOLDS_OBJECT(image)) {
      continue;
    }
    JsonObject *object = json_node_get_object(image);
    const char *encoded =
        json_object_get_string_member_with_default(object, "bytesBase64Encoded", nullptr);
    if (!encoded) {
      continue;
    }
    JsonObject *description = json_object_new();
    std::string field = "instances[" + std::to_string(i) + "].image";
    json_object_set_string_member(description, "field", field.c_str());
    gsize size = 0;
    guchar *decoded = g_base64_decode(encoded, &size);
    g_autoptr(GBytes) data = g_bytes_new_take(decoded, size);
    describe_bytes(description, "base64",
                   json_object_get_string_member_with_default(object, "mimeType", nullptr), data);
    json_array_add_object_element(images, description);
  }
}

// fal's `image_url` and Replicate's `input.image` / `input.start_image`: a URL or data URL.
void add_native_image_fields(JsonArray *images, JsonObject *body) {
  if (json_object_has_member(body, "image_url")) {
    add_reference(images, "image_url", json_object_get_member(body, "image_url"));
  }
  JsonNode *input = json_object_get_member(body, "input");
  if (!input || !JSON_NODE_HOLDS_OBJECT(input)) {
    return;
  }
  for (const char *name : {"image", "start_image"}) {
    if (JsonNode *image = json_object_get_member(json_node_get_object(input), name)) {
      add_reference(images, std::string("input.") + name, image);
    }
  }
}

}  // namespace

JsonNodePtr describe_inline_images(JsonNode *body) {
  g_autoptr(JsonArray) images = json_array_new();
  if (body && JSON_NODE_HOLDS_OBJECT(body)) {
    JsonObject *object = json_node_get_object(body);
    add_reference_array(images, object, "frame_images");
    add_reference_array(images, object, "input_references");
    if (json_object_has_member(object, "input_reference")) {
      add_reference(images, "input_reference", json_object_get_member(object, "input_reference"));
    }
    add_gemini_images(images, object);
    add_native_image_fields(images, object);
  }
  return json_node_from_array(images);
}
