/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "request_log.h"

#include "image_size.h"
#include "inline_images.h"

#include "json_text.h"

#include <algorithm>

namespace {

JsonObject *query_object(GHashTable *query) {
  JsonObject *object = json_object_new();
  if (query) {
    GHashTableIter iter;
    gpointer name = nullptr;
    gpointer value = nullptr;
    g_hash_table_iter_init(&iter, query);
    while (g_hash_table_iter_next(&iter, &name, &value)) {
      json_object_set_string_member(object, static_cast<const char *>(name),
                                    static_cast<const char *>(value));
    }
  }
  return object;
}

// Header names are lowercased (HTTP treats them case-insensitively); repeated headers are joined
// with ", " as HTTP allows.
JsonObject *headers_object(SoupMessageHeaders *headers) {
  JsonObject *object = json_object_new();
  SoupMessageHeadersIter iter;
  const char *name = nullptr;
  const char *value = nullptr;
  soup_message_headers_iter_init(&iter, headers);
  while (soup_message_headers_iter_next(&iter, &name, &value)) {
    g_autofree char *key = g_ascii_strdown(name, -1);
    std::string joined = value;
    if (json_object_has_member(object, key)) {
      joined = std::string(json_object_get_string_member(object, key)) + ", " + value;
    }
    json_object_set_string_member(object, key, joined.c_str());
  }
  return object;
}

// The headers any dialect or provider reads a key from.
constexpr const char *kKeyHeaders[] = {"authorization", "x-goog-api-key", "api-key",
                                       "x-litellm-api-key", "x-api-key"};

// The names of the key headers @headers carries: with `key_sent` (which also counts a `key`
// query parameter), what a test asserts to show that no key reached the CDN.
JsonArray *key_headers_array(SoupMessageHeaders *headers) {
  JsonArray *names = json_array_new();
  for (const char *name : kKeyHeaders) {
    if (soup_message_headers_get_one(headers, name)) {
      json_array_add_string_element(names, name);
    }
  }
  return names;
}

JsonObject *field_object(const FormField &field) {
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "name", field.name.c_str());
  json_object_set_string_member(object, "kind", field.is_file ? "file" : "text");
  json_set_optional_string(object, "value",
                           field.is_file ? std::nullopt : std::optional(field.value));
  json_set_optional_string(object, "filename",
                           field.is_file ? std::optional(field.filename) : std::nullopt);
  json_set_optional_string(
      object, "content_type",
      field.content_type.empty() ? std::nullopt : std::optional(field.content_type));
  json_object_set_int_member(object, "size", g_bytes_get_size(field.data.get()));
  if (field.is_file) {
    g_autofree char *sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, field.data.get());
    json_object_set_string_member(object, "sha256", sha256);
    if (std::optional<std::pair<guint, guint>> pixels = read_image_size(field.data.get())) {
      json_object_set_int_member(object, "width", pixels->first);
      json_object_set_int_member(object, "height", pixels->second);
    }
  } else {
    json_object_set_null_member(object, "sha256");
  }
  return object;
}

JsonArray *fields_array(const RequestBody &body) {
  JsonArray *fields = json_array_new();
  for (const FormField &field : body.fields) {
    json_array_add_object_element(fields, field_object(field));
  }
  return fields;
}

JsonNode *null_if_absent(JsonNodePtr value) {
  return value ? value.release() : json_node_new(JSON_NODE_NULL);
}

}  // namespace

gint64 RequestLog::add(const ApiRequest &request) {
  SoupMessageHeaders *headers = soup_server_message_get_request_headers(request.message.get());
  const char *content_type = soup_message_headers_get_one(headers, "Content-Type");
  const RequestBody &body = request.body;

  g_autoptr(JsonObject) record = json_object_new();
  gint64 seq = next_seq_++;
  json_object_set_int_member(record, "seq", seq);
  json_object_set_int_member(record, "time_us", request.arrival.monotonic_us);
  json_object_set_double_member(record, "wall_time",
                                static_cast<double>(request.arrival.wall_us) / G_USEC_PER_SEC);
  json_object_set_string_member(record, "host", listener_name(request.listener));
  json_object_set_string_member(record, "method", request.method.c_str());
  json_object_set_string_member(record, "path", request.path.c_str());
  json_set_optional_string(record, "route",
                           request.route
                               ? std::optional<std::string>(api_route_name(request.route->route))
                               : std::nullopt);
  json_object_set_object_member(record, "query", query_object(request.query.get()));
  json_object_set_object_member(record, "headers", headers_object(headers));
  JsonArray *key_headers = key_headers_array(headers);
  bool key_in_query = request.query && g_hash_table_contains(request.query.get(), "key");
  json_object_set_boolean_member(record, "key_sent",
                                 json_array_get_length(key_headers) > 0 || key_in_query);
  json_object_set_array_member(record, "key_headers", key_headers);
  json_set_optional_string(record, "content_type",
                           content_type ? std::optional<std::string>(content_type) : std::nullopt);
  json_object_set_string_member(record, "body_kind", body_kind_name(body.kind));
  if (body.kind == BodyKind::kMultipart) {
    json_object_set_array_member(record, "fields", fields_array(body));
  } else {
    json_object_set_null_member(record, "fields");
  }
  json_object_set_member(
      record, "json", body.json ? json_node_copy(body.json.get()) : json_node_new(JSON_NODE_NULL));
  json_object_set_member(record, "metadata", null_if_absent(body.parsed_value("metadata")));
  json_object_set_member(record, "images", describe_inline_images(body.json.get()).release());
  json_object_set_null_member(record, "response_status");
  json_object_set_null_member(record, "video_id");
  json_object_set_null_member(record, "fault");
  json_object_set_null_member(record, "chaos");
  records_.push_back(json_node_from_object(record));
  return seq;
}

void RequestLog::record_outcome(const ApiRequest &request, bool answered) {
  gint64 seq = request.log_seq;
  auto found = std::find_if(records_.rbegin(), records_.rend(), [seq](const JsonNodePtr &record) {
    return json_object_get_int_member(json_node_get_object(record.get()), "seq") == seq;
  });
  if (found == records_.rend()) {
    return;
  }
  JsonObject *record = json_node_get_object(found->get());
  if (answered) {
    json_object_set_int_member(record, "response_status",
                               soup_server_message_get_status(request.message.get()));
  }
  json_set_optional_string(
      record, "video_id",
      request.video_id.empty() ? std::nullopt : std::optional(request.video_id));
  json_set_optional_string(
      record, "fault", request.fault ? std::optional<std::string>(request.fault) : std::nullopt);
  if (!request.chaos_kind.empty() || !request.chaos_task.empty()) {
    JsonObject *chaos = json_object_new();
    json_set_optional_string(
        chaos, "kind",
        request.chaos_kind.empty() ? std::nullopt : std::optional(request.chaos_kind));
    json_set_optional_string(
        chaos, "detail",
        request.chaos_detail.empty() ? std::nullopt : std::optional(request.chaos_detail));
    json_set_optional_string(
        chaos, "task",
        request.chaos_task.empty() ? std::nullopt : std::optional(request.chaos_task));
    json_object_set_object_member(record, "chaos", chaos);
  }
}

JsonNodePtr RequestLog::to_json() const {
  g_autoptr(JsonArray) array = json_array_new();
  for (const JsonNodePtr &record : records_) {
    json_array_add_element(array, json_node_copy(record.get()));
  }
  return json_node_from_array(array);
}
