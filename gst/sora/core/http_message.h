/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* HttpRequest and HttpResponse: plain values that carry one exchange between
 * the job and HttpClient, so that neither the job nor its tests handle
 * SoupMessage directly. */
#pragma once

#include "core/glib_ptr.h"
#include "core/soup_runtime.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sora {

struct RequestBody {
  std::string content_type;
  BytesPtr bytes;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  RequestBody body;
  std::vector<std::pair<std::string, std::string>> headers;
  /* Media downloads: no content decoding, so byte counts and ranges are the
   * server's own. */
  bool raw_body = false;
};

struct HttpResponse {
  unsigned status = 0; /* 0: no HTTP answer arrived, see error */
  ErrorPtr error;      /* transport failure, or a failure reading the body */
  GObjectPtr<SoupMessage> message;
  BytesPtr body;   /* fetch() only */
  std::string url; /* where the answer came from, after redirects */
  /* The whole request was written to the network before the failure: the
   * server may have acted on it. */
  bool request_sent = false;

  bool is_success() const { return status >= 200 && status < 300; }
  const char *header(const char *name) const {
    return message ? soup_message_headers_get_one(soup_message_get_response_headers(message.get()),
                                                  name)
                   : nullptr;
  }
  std::string_view text() const { return bytes_view(body.get()); }
};

}  // namespace sora
