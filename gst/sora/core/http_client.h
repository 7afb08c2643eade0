/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* HttpClient: libsoup on the IoLoop thread, with the rules this product
 * needs on top of it.
 *
 * - The API key goes only to the origin of the base URL, in the header the
 *   server family expects (Authorization: Bearer, or Azure's api-key).
 *   Redirects are
 *   followed here rather than by libsoup, because libsoup keeps the
 *   Authorization header when a redirect leads to another host.
 * - Bodies read into memory are capped, so a hostile or broken server cannot
 *   make the client allocate without bound.
 * - Every answer is redacted as it arrives (KeyRedaction): a key the server
 *   echoes in a header or the body reaches nothing after the client.
 *   libsoup's own log, when enabled through GST_DEBUG, goes through a printer
 *   that blanks the Authorization header and the key wherever it appears.
 *
 * An HttpClient is created and used on the IoLoop thread, always through a
 * shared_ptr: a request in flight keeps its client alive until its handler
 * has run. Every handler runs on the IoLoop thread. */
#pragma once

#include "core/connection.h"
#include "core/secret.h"
#include "core/http_message.h"
#include "core/key_redaction.h"

#include <functional>
#include <memory>

namespace sora {

struct HttpConfig {
  std::string base_url; /* the key is sent to this URL's origin only */
  std::string api_key;
  AuthHeader auth = AuthHeader::kBearer; /* the header that carries the key */
  std::string user_agent;
  unsigned timeout_s = 60; /* I/O timeout of one request, as souphttpsrc's */
  gsize max_body_bytes = 8 * 1024 * 1024;
  unsigned max_redirects = 10;
};

/* The HTTP side of a connection: its URL, key, header and timeout. */
HttpConfig http_config(const Connection &connection);

class HttpClient : public std::enable_shared_from_this<HttpClient> {
 public:
  explicit HttpClient(HttpConfig config);
  HttpClient(const HttpClient &) = delete;
  HttpClient &operator=(const HttpClient &) = delete;

  using OpenHandler = std::function<void(HttpResponse head, GObjectPtr<GInputStream> body)>;
  using FetchHandler = std::function<void(HttpResponse response)>;

  /* Sends the request and hands over the answer's head and its unread body.
   * On a transport failure the stream is null and head.error is set. */
  void open(HttpRequest request, GCancellable *cancellable, OpenHandler done);

  /* Sends the request and reads the whole answer, up to max_body_bytes. */
  void fetch(HttpRequest request, GCancellable *cancellable, FetchHandler done);

  /* Reads the rest of an answer opened with open(), up to `limit` bytes. */
  void read_body(HttpResponse head, GObjectPtr<GInputStream> body, GCancellable *cancellable,
                 gsize limit, FetchHandler done);

  /* The header the key goes in. */
  AuthHeader auth() const { return config_.auth; }

  /* `text` with every form of the API key blanked. */
  std::string redact(std::string text) const;
  /* A URL as logs and errors show it: without user:password@, the key
   * blanked. */
  std::string shown_url(const std::string &url) const;

 private:
  struct OpenOp;
  struct FetchOp;
  void send(std::unique_ptr<OpenOp> op);
  static void on_sent(GObject *source, GAsyncResult *result, gpointer data);
  bool follow_redirect(OpenOp &op, SoupMessage *answer);
  static void read_more(std::unique_ptr<FetchOp> op);
  static void on_read(GObject *source, GAsyncResult *result, gpointer data);
  GObjectPtr<SoupMessage> build_message(const HttpRequest &request, GError **error) const;
  bool may_authorize(GUri *uri) const;

  HttpConfig config_;
  /* Shared with reads in flight and the logger, which may outlive the client. */
  std::shared_ptr<const KeyRedaction> redaction_;
  GObjectPtr<SoupSession> session_;
  UriPtr base_uri_;
};

}  // namespace sora
