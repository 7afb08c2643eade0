/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "request_body.h"

#include "json_text.h"

#include <cstring>

namespace {

FormField read_part(SoupMessageHeaders *headers, GBytes *data) {
  FormField field;
  g_autofree char *disposition = nullptr;
  g_autoptr(GHashTable) params = nullptr;
  if (soup_message_headers_get_content_disposition(headers, &disposition, &params)) {
    auto name = static_cast<const char *>(g_hash_table_lookup(params, "name"));
    field.name = name ? name : "";
    gpointer filename = nullptr;
    field.is_file = g_hash_table_lookup_extended(params, "filename", nullptr, &filename);
    field.filename = filename ? static_cast<const char *>(filename) : "";
  }
  const char *content_type = soup_message_headers_get_content_type(headers, nullptr);
  field.content_type = content_type ? content_type : "";
  if (!field.is_file) {
    gsize size = 0;
    auto bytes = static_cast<const char *>(g_bytes_get_data(data, &size));
    g_autofree char *valid = g_utf8_make_valid(bytes ? bytes : "", static_cast<gssize>(size));
    field.value = valid;
  }
  field.data = BytesPtr(g_bytes_ref(data));
  return field;
}

void read_multipart(SoupServerMessage *message, GBytes *data, RequestBody &body) {
  g_autoptr(SoupMultipart) multipart =
      soup_multipart_new_from_message(soup_server_message_get_request_headers(message), data);
  if (!multipart) {
    body.parse_error = "the multipart/form-data body could not be parsed";
    return;
  }
  for (int i = 0; i < soup_multipart_get_length(multipart); i++) {
    SoupMessageHeaders *part_headers = nullptr;
    GBytes *part_data = nullptr;
    if (soup_multipart_get_part(multipart, i, &part_headers, &part_data)) {
      body.fields.push_back(read_part(part_headers, part_data));
    }
  }
}

void read_json(GBytes *data, RequestBody &body) {
  gsize size = 0;
  auto text = static_cast<const char *>(g_bytes_get_data(data, &size));
  g_autoptr(GError) error = nullptr;
  body.json = json_parse_text(text ? text : "", size, &error);
  if (!body.json) {
    body.parse_error = error->message;
  }
}

}  // namespace

const char *body_kind_name(BodyKind kind) {
  switch (kind) {
    case BodyKind::kJson:
      return "json";
    case BodyKind::kMultipart:
      return "multipart";
    case BodyKind::kOther:
      return "other";
    case BodyKind::kNone:
      break;
  }
  return "none";
}

RequestBody RequestBody::read(SoupServerMessage *message) {
  RequestBody body;
  const char *media_type = soup_message_headers_get_content_type(
      soup_server_message_get_request_headers(message), nullptr);
  body.media_type = media_type ? media_type : "";
  g_autoptr(GBytes) data = soup_message_body_flatten(soup_server_message_get_request_body(message));
  if (g_ascii_strcasecmp(body.media_type.c_str(), "application/json") == 0) {
    body.kind = BodyKind::kJson;
    read_json(data, body);
  } else if (g_ascii_strcasecmp(body.media_type.c_str(), "multipart/form-data") == 0) {
    body.kind = BodyKind::kMultipart;
    read_multipart(message, data, body);
  } else if (!body.media_type.empty() || g_bytes_get_size(data) > 0) {
    body.kind = BodyKind::kOther;
  }
  return body;
}

const FormField *RequestBody::field(const std::string &name) const {
  for (const FormField &field : fields) {
    if (field.name == name) {
      return &field;
    }
  }
  return nullptr;
}

JsonNodePtr RequestBody::parsed_value(const char *name) const {
  JsonNodePtr value;
  if (kind == BodyKind::kJson && json && JSON_NODE_HOLDS_OBJECT(json.get())) {
    JsonObject *object = json_node_get_object(json.get());
    value = json_node_clone(json_object_get_member(object, name));
  } else if (const FormField *form_field = field(name); form_field && !form_field->is_file) {
    value.reset(json_node_new(JSON_NODE_VALUE));
    json_node_set_string(value.get(), form_field->value.c_str());
  }
  if (!value || json_node_get_value_type(value.get()) != G_TYPE_STRING) {
    return value;
  }
  const char *text = json_node_get_string(value.get());
  JsonNodePtr parsed = json_parse_text(text, strlen(text), nullptr);
  bool structured =
      parsed && (JSON_NODE_HOLDS_OBJECT(parsed.get()) || JSON_NODE_HOLDS_ARRAY(parsed.get()));
  return structured ? std::move(parsed) : std::move(value);
}
