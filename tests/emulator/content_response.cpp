/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "content_response.h"

#include "byte_range.h"

namespace {

void set_download_headers(SoupMessageHeaders *headers, const char *content_type,
                          const std::string &download_name, bool honour_range) {
  soup_message_headers_set_content_type(headers, content_type, nullptr);
  if (honour_range) {
    soup_message_headers_replace(headers, "Accept-Ranges", "bytes");
  }
  g_autoptr(GHashTable) params = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(params, const_cast<char *>("filename"),
                      const_cast<char *>(download_name.c_str()));
  soup_message_headers_set_content_disposition(headers, "attachment", params);
}

}  // namespace

bool send_file(SoupServerMessage *message, const std::string &path, const char *content_type,
               const std::string &download_name, const ContentDelivery &delivery, GError **error) {
  g_autoptr(GMappedFile) mapped = g_mapped_file_new(path.c_str(), FALSE, error);
  if (!mapped) {
    return false;
  }
  g_autoptr(GBytes) contents = g_mapped_file_get_bytes(mapped);
  send_contents(message, contents, content_type, download_name, delivery);
  return true;
}

void send_contents(SoupServerMessage *message, GBytes *contents, const char *content_type,
                   const std::string &download_name, const ContentDelivery &delivery) {
  auto size = static_cast<goffset>(g_bytes_get_size(contents));
  SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
  set_download_headers(headers, content_type, download_name, delivery.honour_range);

  const char *range_header =
      soup_message_headers_get_one(soup_server_message_get_request_headers(message), "Range");
  ByteRange range = ByteRange::parse(delivery.honour_range ? range_header : nullptr, size);
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    g_autofree char *content_range = g_strdup_printf("bytes */%" G_GOFFSET_FORMAT, size);
    soup_message_headers_replace(headers, "Content-Range", content_range);
    soup_message_headers_set_content_length(headers, 0);
    soup_server_message_set_status(message, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, nullptr);
    return;
  }
  if (range.kind == ByteRange::Kind::kPartial) {
    soup_message_headers_set_content_range(headers, range.first, range.last, size);
    soup_server_message_set_status(message, SOUP_STATUS_PARTIAL_CONTENT, nullptr);
  } else {
    range.first = 0;
    range.last = size - 1;
    soup_server_message_set_status(message, SOUP_STATUS_OK, nullptr);
  }
  soup_message_headers_set_content_length(headers, range.length());
  if (soup_server_message_get_method(message) == SOUP_METHOD_HEAD) {
    return;
  }
  g_autoptr(GBytes) slice = g_bytes_new_from_bytes(contents, range.first, range.length());
  if (delivery.pacing.is_paced()) {
    stream_body(message, slice, range.length(), delivery.pacing);
    return;
  }
  SoupMessageBody *body = soup_server_message_get_response_body(message);
  // Not accumulating lets libsoup drop each chunk once written, and keeps its own Range
  // handling (which would flatten the body into one copy) out of the way.
  soup_message_body_set_accumulate(body, FALSE);
  soup_message_body_append_bytes(body, slice);
}
