/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "api_request.h"

#include "named_values.h"

namespace {

const NamedValue<Listener> kListeners[] = {
    {Listener::kApi, "api"},
    {Listener::kCdn, "cdn"},
};

// Splits a raw path such as "/v1/videos/a%2Fb/content" into decoded segments ("a/b").
std::vector<std::string> decoded_segments(const char *path) {
  std::vector<std::string> segments;
  g_auto(GStrv) parts = g_strsplit(path[0] == '/' ? path + 1 : path, "/", -1);
  for (char **part = parts; *part; part++) {
    g_autofree char *decoded = g_uri_unescape_string(*part, nullptr);
    segments.emplace_back(decoded ? decoded : *part);
  }
  return segments;
}

}  // namespace

const char *listener_name(Listener listener) {
  return name_of(kListeners, listener);
}

std::optional<Listener> parse_listener(const char *name) {
  return value_named(kListeners, name);
}

const char *listener_prefix(Listener listener) {
  return listener == Listener::kCdn ? "cdn" : "v1";
}

std::unique_ptr<ApiRequest> ApiRequest::read(SoupServerMessage *message, const char *raw_path,
                                             GHashTable *query, Listener listener) {
  auto request = std::make_unique<ApiRequest>();
  request->arrival = {g_get_monotonic_time(), g_get_real_time()};
  request->message = ref_object(message);
  request->listener = listener;
  request->method = soup_server_message_get_method(message);
  request->raw_path = raw_path;
  g_autofree char *decoded = g_uri_unescape_string(raw_path, nullptr);
  request->path = decoded ? decoded : raw_path;
  // The server keeps paths raw, so that an escaped "/" in an id stays inside its segment.
  request->segments = decoded_segments(raw_path);
  request->query.reset(query ? g_hash_table_ref(query) : nullptr);
  request->body = RequestBody::read(message);
  return request;
}

bool ApiRequest::starts_with(const char *first_segment) const {
  return !segments.empty() && segments[0] == first_segment;
}

std::vector<std::string> ApiRequest::segments_after_prefix() const {
  return segments.empty() ? segments
                          : std::vector<std::string>(segments.begin() + 1, segments.end());
}

std::string ApiRequest::raw_query() const {
  const char *query_text = g_uri_get_query(soup_server_message_get_uri(message.get()));
  return query_text ? query_text : "";
}
