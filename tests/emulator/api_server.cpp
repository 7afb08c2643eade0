/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "api_server.h"

#include "api_key_check.h"
#include "chaos_answer.h"
#include "connection_drop.h"
#include "fault_answer.h"
#include "hostile_clip.h"
#include "native_route.h"
#include "provider_key_check.h"
#include "random_id.h"

#include <cstring>

namespace {

// Loopback addresses other than 127.0.0.1 are a different host to a client, without any setup.
constexpr char kCdnHost[] = "127.0.0.2";
constexpr char kCdnFallbackHost[] = "127.0.0.1";

SoupServer *new_soup_server() {
  return soup_server_new("server-header", "sora-emulator", "raw-paths", TRUE, nullptr);
}

// The socket is made here rather than by soup_server_listen(), whose listen backlog is GLib's
// default of 10: with more clients connecting at once (32 sources in one pipeline), the kernel
// drops the extra SYNs and those clients retry a second later, which a real server would not
// make them do.
constexpr int kListenBacklog = 256;

bool listen_on(SoupServer *server, const std::string &host, int port, GError **error) {
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string(host.c_str(), port);
  if (!address) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "'%s' is not an IP address",
                host.c_str());
    return false;
  }
  g_autoptr(GSocket) socket = g_socket_new(g_socket_address_get_family(address),
                                           G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (!socket) {
    return false;
  }
  g_socket_set_listen_backlog(socket, kListenBacklog);
  return g_socket_bind(socket, address, TRUE, error) && g_socket_listen(socket, error) &&
         soup_server_listen_socket(server, socket, static_cast<SoupServerListenOptions>(0), error);
}

// "http://HOST:PORT" of the server's first listening address.
std::string root_url(SoupServer *server) {
  GSList *uris = soup_server_get_uris(server);
  auto *uri = static_cast<GUri *>(uris->data);
  const char *host = g_uri_get_host(uri);
  bool ipv6 = strchr(host, ':') != nullptr;
  std::string root = std::string("http://") + (ipv6 ? "[" : "") + host + (ipv6 ? "]" : "") + ":" +
                     std::to_string(g_uri_get_port(uri));
  g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
  return root;
}

}  // namespace

struct ApiServer::DelayedAnswer {
  ApiServer *server;
  std::unique_ptr<ApiRequest> request;
};

ApiServer::ApiServer(EmulatorConfig &config, const ServerDialect &dialect, RequestLog &log)
    : config_(config),
      dialect_(dialect),
      log_(log),
      api_server_(new_soup_server()),
      cdn_server_(new_soup_server()) {}

ApiServer::~ApiServer() {
  soup_server_disconnect(api_server_.get());
  soup_server_disconnect(cdn_server_.get());
}

bool ApiServer::listen(GError **error) {
  if (!listen_on(api_server_.get(), config_.host, config_.port, error)) {
    return false;
  }
  return listen_on(cdn_server_.get(), kCdnHost, 0, nullptr) ||
         listen_on(cdn_server_.get(), kCdnFallbackHost, 0, error);
}

std::string ApiServer::base_url() const {
  return api_root() + "/v1";
}

std::string ApiServer::api_root() const {
  return root_url(api_server_.get());
}

std::string ApiServer::cdn_url() const {
  return root_url(cdn_server_.get());
}

void ApiServer::serve(VideosEndpoint &videos, NativeEndpoints &native, ControlEndpoint &control) {
  videos_ = &videos;
  native_ = &native;
  control_ = &control;
  soup_server_add_handler(api_server_.get(), nullptr, on_api_request, this, nullptr);
  soup_server_add_handler(cdn_server_.get(), nullptr, on_cdn_request, this, nullptr);
}

void ApiServer::on_api_request(SoupServer *, SoupServerMessage *message, const char *path,
                               GHashTable *query, gpointer self) {
  auto *server = static_cast<ApiServer *>(self);
  std::unique_ptr<ApiRequest> request = ApiRequest::read(message, path, query, Listener::kApi);
  if (request->starts_with("_emulator")) {
    server->control_->handle(message, request->segments_after_prefix(), request->body);
    return;
  }
  std::string request_id = random_id("req_", 32);
  soup_message_headers_replace(soup_server_message_get_response_headers(message), "x-request-id",
                               request_id.c_str());
  server->dispatch(std::move(request));
}

void ApiServer::on_cdn_request(SoupServer *, SoupServerMessage *message, const char *path,
                               GHashTable *query, gpointer self) {
  static_cast<ApiServer *>(self)->dispatch(ApiRequest::read(message, path, query, Listener::kCdn));
}

// The path segments that name an API operation: those after /v1 (or /cdn), or on the API
// listener all of them when the dialect serves the API without its prefix too (LiteLLM) or
// speaks a native provider's protocol.
std::optional<std::vector<std::string>> ApiServer::api_segments(const ApiRequest &request) const {
  if (request.listener == Listener::kApi && dialect_.settings().provider != Provider::kNone) {
    return request.segments;
  }
  if (request.starts_with(listener_prefix(request.listener))) {
    return request.segments_after_prefix();
  }
  if (request.listener == Listener::kApi && dialect_.settings().unprefixed_routes &&
      !request.segments.empty()) {
    return request.segments;
  }
  return std::nullopt;
}

void ApiServer::dispatch(std::unique_ptr<ApiRequest> request) {
  const DialectSettings &settings = dialect_.settings();
  if (std::optional<std::vector<std::string>> segments = api_segments(*request)) {
    request->route = request->listener == Listener::kApi && settings.provider != Provider::kNone
                         ? match_native_route(settings.provider, request->method, *segments)
                         : match_api_route(request->method, *segments, settings);
  }
  if (request->listener == Listener::kApi) {
    SoupMessageHeaders *headers = soup_server_message_get_response_headers(request->message.get());
    for (const auto &[name, value] : dialect_.settings().response_headers) {
      soup_message_headers_replace(headers, name.c_str(), value.c_str());
    }
  }
  // The CDN serves nothing but content.
  if (request->listener == Listener::kCdn && request->route &&
      request->route->route != ApiRoute::kContent) {
    request->route.reset();
  }
  request->log_seq = log_.add(*request);
  if (std::optional<FaultRule> fault = config_.faults.take(*request)) {
    apply_fault(std::move(request), *fault);
    return;
  }
  if (std::optional<ChaosFate> fate = config_.chaos.draw(
          *request, [this](const std::string &id) { return videos_->prompt_of(id); })) {
    apply_chaos(std::move(request), *fate);
    return;
  }
  answer(*request);
  record_outcome(*request, true);
}

void ApiServer::apply_fault(std::unique_ptr<ApiRequest> request, const FaultRule &fault) {
  SoupServerMessage *message = request->message.get();
  request->fault = fault_action_name(fault.action);
  switch (fault.action) {
    case FaultAction::kDelay:
      answer_later(std::move(request), *fault.delay_ms);
      return;
    case FaultAction::kHang:
      soup_server_message_pause(message);
      record_outcome(*request, false);
      return;
    case FaultAction::kDrop:
      drop_connection(message);
      record_outcome(*request, false);
      return;
    case FaultAction::kAcceptThenDrop:
      answer(*request);
      drop_connection(message);
      record_outcome(*request, false);
      return;
    case FaultAction::kTruncate:
      request->pacing.cut_after = *fault.after_bytes;
      break;
    case FaultAction::kThrottle:
      request->pacing.bytes_per_second = static_cast<guint64>(*fault.bytes_per_second);
      break;
    case FaultAction::kCorruptMoov:
      request->corrupt_sample_count = static_cast<guint32>(fault.sample_count.value_or(1 << 30));
      request->pacing.bytes_per_second = static_cast<guint64>(fault.bytes_per_second.value_or(0));
      break;
    case FaultAction::kHugeClip:
      send_huge_clip(*request, fault.announced_bytes, fault.sent_bytes);
      record_outcome(*request, true);
      return;
    case FaultAction::kStatus:
    case FaultAction::kBody:
    case FaultAction::kRedirect:
      send_fault_answer(*request, fault, dialect_, cdn_url());
      record_outcome(*request, true);
      return;
  }
  answer(*request);
  record_outcome(*request, true);
}

// Chaos mode's faults: those fault rules have are applied as rules; an answer cut mid-JSON, a
// download cut at a share of its body and Range ignored are made here.
void ApiServer::apply_chaos(std::unique_ptr<ApiRequest> request, const ChaosFate &fate) {
  request->chaos_kind = chaos_kind_name(fate.kind);
  request->chaos_detail = fate.describe();
  switch (fate.kind) {
    case ChaosKind::kCutJson:
      answer(*request);
      request->chaos_detail = cut_answer(request->message.get(), fate.cut_fraction);
      request->fault = "truncate";
      record_outcome(*request, true);
      return;
    case ChaosKind::kTruncate:
      request->pacing.cut_fraction = fate.cut_fraction;
      request->fault = "truncate";
      break;
    case ChaosKind::kRangeIgnored:
      request->ignore_range = true;
      break;
    default:
      apply_fault(std::move(request), fate.as_fault_rule());
      return;
  }
  answer(*request);
  record_outcome(*request, true);
}

// The API checks the key before it looks at the path below /v1; the CDN needs no key, nor does
// OpenRouter's list of video models, nor fal's OpenAPI documents. A native provider's requests
// go to its endpoint after its own key check.
void ApiServer::answer(ApiRequest &request) {
  NativeEndpoint *native = request.listener == Listener::kApi ? native_->current() : nullptr;
  if (native) {
    bool public_schema = request.route && request.route->route == ApiRoute::kSchema &&
                         dialect_.settings().provider == Provider::kFal;
    std::optional<ApiError> error =
        public_schema ? std::nullopt : check_provider_key(request, config_, dialect_.settings());
    if (!error && !request.route) {
      error = ApiError::invalid_url(request.method, request.path);
    }
    if (error) {
      videos_->send_error(request, *error);
    } else {
      native->handle(request);
    }
    return;
  }
  std::optional<ApiError> error;
  bool keyless = request.route && request.route->route == ApiRoute::kVideoModels;
  if (!api_segments(request)) {
    error = ApiError::invalid_url(request.method, request.path);
  } else if (request.listener == Listener::kApi && !keyless) {
    error = check_api_key(soup_server_message_get_request_headers(request.message.get()), config_,
                          dialect_.settings());
  }
  if (!error && !request.route) {
    error = ApiError::invalid_url(request.method, request.path);
  }
  if (error) {
    videos_->send_error(request, *error);
  } else {
    videos_->handle(request);
  }
}

void ApiServer::answer_later(std::unique_ptr<ApiRequest> request, gint64 delay_ms) {
  soup_server_message_pause(request->message.get());
  g_timeout_add_full(G_PRIORITY_DEFAULT, static_cast<guint>(delay_ms), answer_delayed,
                     new DelayedAnswer{this, std::move(request)},
                     [](gpointer delayed) { delete static_cast<DelayedAnswer *>(delayed); });
}

gboolean ApiServer::answer_delayed(gpointer data) {
  auto *delayed = static_cast<DelayedAnswer *>(data);
  delayed->server->answer(*delayed->request);
  delayed->server->record_outcome(*delayed->request, true);
  soup_server_message_unpause(delayed->request->message.get());
  return G_SOURCE_REMOVE;
}

void ApiServer::record_outcome(ApiRequest &request, bool answered) {
  if (answered) {
    config_.hostile.rewrite(request);
  }
  log_.record_outcome(request, answered);
  if (config_.verbose) {
    g_printerr("sora-emulator: %s %s %s -> %u%s%s\n", listener_name(request.listener),
               request.method.c_str(), request.raw_path.c_str(),
               answered ? soup_server_message_get_status(request.message.get()) : 0,
               request.fault ? " fault " : "", request.fault ? request.fault : "");
  }
}
