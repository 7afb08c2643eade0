/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fault_answer.h"

#include "json_text.h"

namespace {

constexpr char kJson[] = "application/json";
constexpr gsize kFillerPieceSize = 64 * 1024;

// One piece of filler, repeated for bodies of any size.
GBytes *new_filler_piece() {
  static const std::string kFiller(kFillerPieceSize, 'a');
  return g_bytes_new_static(kFiller.data(), kFiller.size());
}

void add_headers(SoupServerMessage *message, const FaultRule &rule) {
  SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
  for (const auto &[name, value] : rule.headers) {
    soup_message_headers_replace(headers, name.c_str(), value.c_str());
  }
}

void send_text(SoupServerMessage *message, guint status, const std::string &content_type,
               const std::string &text) {
  soup_server_message_set_status(message, status, nullptr);
  soup_server_message_set_response(message, content_type.c_str(), SOUP_MEMORY_COPY, text.data(),
                                   text.size());
}

// OpenAI's error for the status; error_code "insufficient_quota" picks the billing error.
ApiError fault_error(const FaultRule &rule) {
  auto status = static_cast<guint>(*rule.status);
  ApiError error = rule.error_code == "insufficient_quota" ? ApiError::insufficient_quota()
                                                           : ApiError::for_status(status);
  error.http_status = status;
  if (rule.error_code) {
    error.code = rule.error_code;
  }
  if (rule.error_type) {
    error.type = *rule.error_type;
  }
  return error;
}

void send_status(ApiRequest &request, const FaultRule &rule, const ServerDialect &dialect) {
  std::string body =
      rule.body ? *rule.body : json_to_text(dialect.error_json(fault_error(rule)).get());
  send_text(request.message.get(), static_cast<guint>(*rule.status),
            rule.content_type.value_or(kJson), body);
}

void send_body(ApiRequest &request, const FaultRule &rule) {
  SoupServerMessage *message = request.message.get();
  auto status = static_cast<guint>(rule.status.value_or(SOUP_STATUS_OK));
  std::string content_type = rule.content_type.value_or(kJson);
  if (rule.body) {
    send_text(message, status, content_type, *rule.body);
    return;
  }
  SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
  soup_server_message_set_status(message, status, nullptr);
  soup_message_headers_set_content_type(headers, content_type.c_str(), nullptr);
  if (request.method == SOUP_METHOD_HEAD) {
    soup_message_headers_set_content_length(headers, *rule.body_size);
    return;
  }
  g_autoptr(GBytes) filler = new_filler_piece();
  stream_body(message, filler, *rule.body_size, BodyPacing{});
}

std::string redirect_location(const ApiRequest &request, const FaultRule &rule,
                              const std::string &cdn_url) {
  if (rule.location) {
    return *rule.location;
  }
  if (rule.redirect_to == RedirectTarget::kSelf) {
    g_autofree char *own_url = g_uri_to_string(soup_server_message_get_uri(request.message.get()));
    return own_url;
  }
  // The same path and query on the CDN listener, under /cdn instead of /v1.
  size_t prefix_end = request.raw_path.find('/', 1);
  std::string below_prefix =
      prefix_end == std::string::npos ? "" : request.raw_path.substr(prefix_end);
  std::string query = request.raw_query();
  return cdn_url + "/cdn" + below_prefix + (query.empty() ? "" : "?" + query);
}

void send_redirect(ApiRequest &request, const FaultRule &rule, const std::string &cdn_url) {
  SoupServerMessage *message = request.message.get();
  soup_message_headers_replace(soup_server_message_get_response_headers(message), "Location",
                               redirect_location(request, rule, cdn_url).c_str());
  soup_server_message_set_status(
      message, static_cast<guint>(rule.status.value_or(SOUP_STATUS_FOUND)), nullptr);
}

}  // namespace

void send_fault_answer(ApiRequest &request, const FaultRule &rule, const ServerDialect &dialect,
                       const std::string &cdn_url) {
  add_headers(request.message.get(), rule);
  switch (rule.action) {
    case FaultAction::kStatus:
      send_status(request, rule, dialect);
      break;
    case FaultAction::kBody:
      send_body(request, rule);
      break;
    case FaultAction::kRedirect:
      send_redirect(request, rule, cdn_url);
      break;
    default:
      g_warn_if_reached();
      break;
  }
}
