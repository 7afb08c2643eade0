/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/http_client.h"

#include "core/debug.h"
#include "core/gateway.h"

#include <cstring>
#include <initializer_list>
#include <utility>
#include <vector>

#define GST_CAT_DEFAULT sora_http_debug

namespace sora {

namespace {

constexpr gsize kReadChunk = 64 * 1024;
constexpr GUriFlags kHttpUriFlags = static_cast<GUriFlags>(SOUP_HTTP_URI_FLAGS);
constexpr char kRedacted[] = "[redacted]";

int effective_port(GUri *uri) {
  int port = g_uri_get_port(uri);
  if (port > 0)
    return port;
  return g_ascii_strcasecmp(g_uri_get_scheme(uri), "https") == 0 ? 443 : 80;
}

/* libsoup before 3.6.6 sends a GET again by itself when the kept-alive
 * connection it reused turns out to be closed (servers and load balancers
 * close idle ones at any moment), and when the first attempt's error comes
 * back after the second attempt started, it finishes the message twice: a
 * use after free that crashes the process (fixed upstream by libsoup
 * commit 9ba1243a). Each request then gets a connection of its own, closed
 * after its answer, so that no request ever goes out on a reused one. The
 * client retries failed requests itself; libsoup's resend is not needed. */
bool must_close_each_connection() {
  static const bool close_each = !soup_check_version(3, 6, 6);
  return close_each;
}

/* The first of the environment variables that is set and not empty. */
const char *first_env(std::initializer_list<const char *> names) {
  for (const char *name : names) {
    const char *value = g_getenv(name);
    if (value && *value)
      return value;
  }
  return nullptr;
}

/* The proxy as curl and souphttpsrc take it, from the environment:
 * http_proxy (lower case only: CGI sets HTTP_PROXY from a request header),
 * https_proxy or HTTPS_PROXY, all_proxy or ALL_PROXY for the rest, minus the
 * hosts of no_proxy or NO_PROXY; none set: direct (nullptr). Not GLib's
 * default resolver: glib-networking's libproxy module does a lookup (PAC,
 * WPAD, desktop settings) for every connection, which with a connection per
 * request (below) tripled the CPU of a run waiting on a generation. */
GProxyResolver *proxy_from_environment() {
  const char *http = first_env({"http_proxy"});
  const char *https = first_env({"https_proxy", "HTTPS_PROXY"});
  const char *all = first_env({"all_proxy", "ALL_PROXY"});
  if (!http && !https && !all)
    return nullptr;
  const char *no_proxy = first_env({"no_proxy", "NO_PROXY"});
  g_auto(GStrv) ignore = no_proxy ? g_strsplit(no_proxy, ",", -1) : nullptr;
  for (char **host = ignore; host && *host; host++)
    g_strstrip(*host);
  /* "*": no host goes through a proxy. */
  if (ignore && g_strv_contains(ignore, "*"))
    return nullptr;
  GProxyResolver *resolver = g_simple_proxy_resolver_new(all, ignore);
  if (http)
    g_simple_proxy_resolver_set_uri_proxy(G_SIMPLE_PROXY_RESOLVER(resolver), "http", http);
  if (https)
    g_simple_proxy_resolver_set_uri_proxy(G_SIMPLE_PROXY_RESOLVER(resolver), "https", https);
  return resolver;
}

bool is_redirect(unsigned status) {
  return status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
         status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
         status == SOUP_STATUS_PERMANENT_REDIRECT;
}

/* Runs fn on the calling thread's main context after the current callback,
 * so that handlers are never re-entered from inside open() or fetch(). */
void complete_later(std::function<void()> fn) {
  GSource *idle = g_idle_source_new();
  g_source_set_callback(
      idle,
      [](gpointer data) -> gboolean {
        (*static_cast<std::function<void()> *>(data))();
        return G_SOURCE_REMOVE;
      },
      new std::function<void()>(std::move(fn)),
      [](gpointer data) { delete static_cast<std::function<void()> *>(data); });
  g_source_attach(idle, g_main_context_get_thread_default());
  g_source_unref(idle);
}

/* The headers of an answer with the key blanked in place, before anything
 * reads them (x-request-id is quoted in errors). Only a header that held the
 * key is rewritten. */
void redact_headers(SoupMessage *message, const KeyRedaction &redaction) {
  SoupMessageHeaders *headers = soup_message_get_response_headers(message);
  std::vector<std::pair<std::string, std::string>> redacted;
  SoupMessageHeadersIter iter;
  soup_message_headers_iter_init(&iter, headers);
  const char *name = nullptr;
  const char *value = nullptr;
  while (soup_message_headers_iter_next(&iter, &name, &value)) {
    std::string clean = redaction.apply(value);
    if (clean != value)
      redacted.emplace_back(name, std::move(clean));
  }
  for (const auto &[header, clean] : redacted)
    soup_message_headers_replace(headers, header.c_str(), clean.c_str());
}

/* The logger's printer shares the client's redaction, released with the
 * logger: the logger can outlive the client, since a response stream still
 * open holds the session, and it prints when that stream closes. */
void print_soup_line(SoupLogger *, SoupLoggerLogLevel level, char direction, const char *data,
                     gpointer user_data) {
  const auto &redaction = *static_cast<const std::shared_ptr<const KeyRedaction> *>(user_data);
  std::string line;
  if (g_ascii_strncasecmp(data, "Authorization:", 14) == 0)
    line = std::string("Authorization: ") + kRedacted;
  else if (g_ascii_strncasecmp(data, "api-key:", 8) == 0)
    line = std::string("api-key: ") + kRedacted;
  else if (g_ascii_strncasecmp(data, "x-goog-api-key:", 15) == 0)
    line = std::string("x-goog-api-key: ") + kRedacted;
  else
    line = redaction->apply(data);
  GstDebugLevel gst_level = level >= SOUP_LOGGER_LOG_BODY ? GST_LEVEL_MEMDUMP : GST_LEVEL_TRACE;
  GST_CAT_LEVEL_LOG(sora_http_debug, gst_level, nullptr, "%c %s", direction, line.c_str());
}

}  // namespace

struct HttpClient::OpenOp {
  HttpRequest request;
  GObjectPtr<GCancellable> cancellable;
  GObjectPtr<SoupMessage> message;
  OpenHandler done;
  std::shared_ptr<HttpClient> client;
  unsigned redirects = 0;
  gint64 started_us = 0;
  bool request_sent = false;
  gulong wrote_body_handler = 0;
};

struct HttpClient::FetchOp {
  HttpResponse response;
  GObjectPtr<GInputStream> stream;
  GObjectPtr<GCancellable> cancellable;
  std::string data;
  gsize limit = 0;
  FetchHandler done;
  std::shared_ptr<const KeyRedaction> redaction;
};

HttpClient::HttpClient(HttpConfig config)
    : config_(std::move(config)), redaction_(std::make_shared<KeyRedaction>(config_.api_key)) {
  init_debug_categories();
  base_uri_.reset(g_uri_parse(config_.base_url.c_str(), kHttpUriFlags, nullptr));
  session_.reset(soup_session_new());
  GProxyResolver *proxy = proxy_from_environment();
  soup_session_set_proxy_resolver(session_.get(), proxy);
  if (proxy)
    g_object_unref(proxy);
  soup_session_set_timeout(session_.get(), config_.timeout_s);
  soup_session_set_idle_timeout(session_.get(), config_.timeout_s);
  if (!config_.user_agent.empty())
    soup_session_set_user_agent(session_.get(), config_.user_agent.c_str());

  GstDebugLevel level = gst_debug_category_get_threshold(sora_http_debug);
  if (level >= GST_LEVEL_TRACE) {
    SoupLogger *logger = soup_logger_new(level >= GST_LEVEL_MEMDUMP ? SOUP_LOGGER_LOG_BODY
                                                                    : SOUP_LOGGER_LOG_HEADERS);
    soup_logger_set_max_body_size(logger, 4096);
    soup_logger_set_printer(
        logger, print_soup_line, new std::shared_ptr<const KeyRedaction>(redaction_),
        [](gpointer shared) { delete static_cast<std::shared_ptr<const KeyRedaction> *>(shared); });
    soup_session_add_feature(
        session_.get(),
        G_TYPE_CHECK_INSTANCE_CAST(logger, soup_session_feature_get_type(), SoupSessionFeature));
    g_object_unref(logger);
  }
}

HttpConfig http_config(const Connection &connection) {
  HttpConfig config;
  config.base_url = connection.base_url;
  config.api_key = connection.api_key;
  config.auth = connection.profile().auth;
  config.user_agent = connection.user_agent;
  config.timeout_s = connection.timeout_s;
  return config;
}

std::string HttpClient::redact(std::string text) const {
  return redaction_->apply(std::move(text));
}

std::string HttpClient::shown_url(const std::string &url) const {
  return redact(url_without_userinfo(url));
}

bool HttpClient::may_authorize(GUri *uri) const {
  if (!base_uri_ || config_.api_key.empty())
    return false;
  const char *host = g_uri_get_host(uri);
  const char *base_host = g_uri_get_host(base_uri_.get());
  return g_ascii_strcasecmp(g_uri_get_scheme(uri), g_uri_get_scheme(base_uri_.get())) == 0 &&
         host && base_host && g_ascii_strcasecmp(host, base_host) == 0 &&
         effective_port(uri) == effective_port(base_uri_.get());
}

GObjectPtr<SoupMessage> HttpClient::build_message(const HttpRequest &request,
                                                  GError **error) const {
  UriPtr uri(g_uri_parse(request.url.c_str(), kHttpUriFlags, error));
  if (!uri)
    return nullptr;
  const char *scheme = g_uri_get_scheme(uri.get());
  if (g_ascii_strcasecmp(scheme, "http") != 0 && g_ascii_strcasecmp(scheme, "https") != 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an HTTP URL: %s",
                shown_url(request.url).c_str());
    return nullptr;
  }
  GObjectPtr<SoupMessage> msg(soup_message_new_from_uri(request.method.c_str(), uri.get()));
  soup_message_add_flags(msg.get(), SOUP_MESSAGE_NO_REDIRECT);
  SoupMessageHeaders *headers = soup_message_get_request_headers(msg.get());
  for (const auto &[name, value] : request.headers)
    soup_message_headers_replace(headers, name.c_str(), value.c_str());
  /* Dropped by libsoup on HTTP/2, which has no such resend. */
  if (must_close_each_connection())
    soup_message_headers_replace(headers, "Connection", "close");
  if (may_authorize(uri.get())) {
    if (config_.auth == AuthHeader::kApiKey) {
      soup_message_headers_replace(headers, "api-key", config_.api_key.c_str());
    } else if (config_.auth == AuthHeader::kGoogApiKey) {
      soup_message_headers_replace(headers, "x-goog-api-key", config_.api_key.c_str());
    } else {
      std::string auth =
          (config_.auth == AuthHeader::kKey ? "Key " : "Bearer ") + config_.api_key;
      soup_message_headers_replace(headers, "Authorization", auth.c_str());
      wipe_secret(auth);
    }
  }
  if (request.body.bytes)
    soup_message_set_request_body_from_bytes(msg.get(), request.body.content_type.c_str(),
                                             request.body.bytes.get());
  if (request.raw_body)
    soup_message_disable_feature(msg.get(), SOUP_TYPE_CONTENT_DECODER);
  return msg;
}

void HttpClient::open(HttpRequest request, GCancellable *cancellable, OpenHandler done) {
  auto op = std::make_unique<OpenOp>();
  op->request = std::move(request);
  op->cancellable = ref_object(cancellable);
  op->done = std::move(done);
  op->client = shared_from_this();
  send(std::move(op));
}

void HttpClient::send(std::unique_ptr<OpenOp> op) {
  GError *error = nullptr;
  op->message = build_message(op->request, &error);
  if (!op->message) {
    auto shared = std::shared_ptr<OpenOp>(std::move(op));
    complete_later([shared, error] {
      HttpResponse head;
      head.error.reset(error);
      shared->done(std::move(head), nullptr);
    });
    return;
  }
  GST_DEBUG("%s %s", op->request.method.c_str(), shown_url(op->request.url).c_str());
  op->started_us = g_get_monotonic_time();
  SoupMessage *msg = op->message.get();
  op->request_sent = false;
  op->wrote_body_handler = g_signal_connect(
      msg, "wrote-body",
      G_CALLBACK(+[](SoupMessage *, gpointer sent) { *static_cast<bool *>(sent) = true; }),
      &op->request_sent);
  GCancellable *cancellable = op->cancellable.get();
  soup_session_send_async(session_.get(), msg, G_PRIORITY_DEFAULT, cancellable, on_sent,
                          op.release());
}

bool HttpClient::follow_redirect(OpenOp &op, SoupMessage *answer) {
  const char *location =
      soup_message_headers_get_one(soup_message_get_response_headers(answer), "Location");
  if (!location)
    return false;
  UriPtr target(
      g_uri_parse_relative(soup_message_get_uri(answer), location, kHttpUriFlags, nullptr));
  if (!target)
    return false;
  unsigned status = soup_message_get_status(answer);
  /* RFC 9110 15.4: 303 always, and 301/302 after a POST, continue as GET. */
  if (status == SOUP_STATUS_SEE_OTHER ||
      (op.request.method == "POST" &&
       (status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND))) {
    op.request.method = "GET";
    op.request.body = RequestBody{};
  }
  g_autofree char *url = g_uri_to_string(target.get());
  op.request.url = url;
  return true;
}

void HttpClient::on_sent(GObject *source, GAsyncResult *result, gpointer data) {
  std::unique_ptr<OpenOp> op(static_cast<OpenOp *>(data));
  GError *error = nullptr;
  GObjectPtr<GInputStream> body(soup_session_send_finish(
      G_TYPE_CHECK_INSTANCE_CAST(source, soup_session_get_type(), SoupSession), result, &error));
  HttpClient *self = op->client.get();
  SoupMessage *msg = op->message.get();
  g_signal_handler_disconnect(msg, op->wrote_body_handler);
  HttpResponse head;
  head.status = body ? soup_message_get_status(msg) : 0;
  head.error.reset(error);
  head.request_sent = op->request_sent;
  g_autofree char *url = g_uri_to_string(soup_message_get_uri(msg));
  head.url = url;

  GST_DEBUG("%s %s -> %u %s (%" G_GINT64_FORMAT " ms)%s%s", op->request.method.c_str(),
            self->shown_url(head.url).c_str(), head.status,
            head.status ? soup_message_get_reason_phrase(msg) : "",
            (g_get_monotonic_time() - op->started_us) / 1000, error ? ": " : "",
            error ? self->redact(error->message).c_str() : "");

  if (body && is_redirect(head.status)) {
    if (op->redirects >= self->config_.max_redirects) {
      /* No final answer came: report it as a transport failure. */
      head.status = 0;
      head.error.reset(g_error_new(SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
                                   "Too many redirects (more than %u), last at %s",
                                   self->config_.max_redirects, self->shown_url(head.url).c_str()));
      redact_headers(msg, *self->redaction_);
      head.message = std::move(op->message);
      op->done(std::move(head), nullptr);
      return;
    }
    if (self->follow_redirect(*op, msg)) {
      op->redirects++;
      self->send(std::move(op));
      return;
    }
  }
  redact_headers(msg, *self->redaction_);
  head.message = std::move(op->message);
  op->done(std::move(head), std::move(body));
}

void HttpClient::fetch(HttpRequest request, GCancellable *cancellable, FetchHandler done) {
  gsize limit = config_.max_body_bytes;
  /* The open request holds a reference on the cancellable while it runs
   * this handler, and the client itself. */
  open(std::move(request), cancellable,
       [this, limit, cancellable, done = std::move(done)](HttpResponse head,
                                                          GObjectPtr<GInputStream> body) mutable {
         read_body(std::move(head), std::move(body), cancellable, limit, std::move(done));
       });
}

void HttpClient::read_body(HttpResponse head, GObjectPtr<GInputStream> body,
                           GCancellable *cancellable, gsize limit, FetchHandler done) {
  if (!body) {
    done(std::move(head));
    return;
  }
  auto op = std::make_unique<FetchOp>();
  op->response = std::move(head);
  op->stream = std::move(body);
  op->cancellable = ref_object(cancellable);
  op->limit = limit;
  op->done = std::move(done);
  op->redaction = redaction_;
  read_more(std::move(op));
}

void HttpClient::read_more(std::unique_ptr<FetchOp> op) {
  GInputStream *stream = op->stream.get();
  GCancellable *cancellable = op->cancellable.get();
  g_input_stream_read_bytes_async(stream, kReadChunk, G_PRIORITY_DEFAULT, cancellable, on_read,
                                  op.release());
}

void HttpClient::on_read(GObject *source, GAsyncResult *result, gpointer data) {
  std::unique_ptr<FetchOp> op(static_cast<FetchOp *>(data));
  GError *error = nullptr;
  g_autoptr(GBytes) chunk =
      g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, &error);
  if (!chunk) {
    op->response.error.reset(error);
  } else if (g_bytes_get_size(chunk) > 0) {
    std::string_view piece = bytes_view(chunk);
    if (op->data.size() + piece.size() > op->limit) {
      op->response.error.reset(g_error_new(G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                           "The answer is larger than %" G_GSIZE_FORMAT " bytes",
                                           op->limit));
    } else {
      op->data.append(piece);
      read_more(std::move(op));
      return;
    }
  }
  op->response.body = bytes_from_string(op->redaction->apply_to_body(std::move(op->data)));
  op->done(std::move(op->response));
}

}  // namespace sora
