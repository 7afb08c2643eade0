#include "api_server.h"

#include "random_id.h"

#include <cstring>

namespace {

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

ApiServer::ApiServer(const EmulatorConfig &config, VideosEndpoint &videos, ControlEndpoint &control,
                     RequestLog &log)
    : config_(config),
      videos_(videos),
      control_(control),
      log_(log),
      server_(soup_server_new("server-header", "sora-emulator", "raw-paths", TRUE, nullptr)) {
  soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
}

ApiServer::~ApiServer() {
  soup_server_disconnect(server_);
  g_object_unref(server_);
}

bool ApiServer::listen(GError **error) {
  g_autoptr(GSocketAddress) address =
      g_inet_socket_address_new_from_string(config_.host.c_str(), config_.port);
  if (!address) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "'%s' is not an IP address",
                config_.host.c_str());
    return false;
  }
  return soup_server_listen(server_, address, static_cast<SoupServerListenOptions>(0), error);
}

std::string ApiServer::base_url() const {
  GSList *uris = soup_server_get_uris(server_);
  int port = uris ? g_uri_get_port(static_cast<GUri *>(uris->data)) : config_.port;
  g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
  bool ipv6 = config_.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + config_.host + "]" : config_.host;
  return "http://" + host + ":" + std::to_string(port) + "/v1";
}

void ApiServer::on_request(SoupServer *, SoupServerMessage *message, const char *path,
                           GHashTable *query, gpointer self) {
  auto *server = static_cast<ApiServer *>(self);
  RequestArrival arrival{g_get_monotonic_time(), g_get_real_time()};
  RequestBody body = RequestBody::read(message);
  // The server keeps paths raw, so that an escaped "/" in an id stays inside its segment.
  std::vector<std::string> segments = decoded_segments(path);
  g_autofree char *decoded = g_uri_unescape_string(path, nullptr);
  const char *decoded_path = decoded ? decoded : path;

  if (!segments.empty() && segments[0] == "_emulator") {
    segments.erase(segments.begin());
    server->control_.handle(message, segments, body);
    return;
  }
  ApiRequest request{message, decoded_path, std::move(segments), query, body, {}};
  server->handle_api(request);
  server->log_.record(message, decoded_path, query, body, arrival, request.video_id);
  if (server->config_.verbose) {
    g_printerr("sora-emulator: %s %s -> %u\n", soup_server_message_get_method(message), path,
               soup_server_message_get_status(message));
  }
}

void ApiServer::handle_api(ApiRequest &request) {
  std::string request_id = random_id("req_", 32);
  soup_message_headers_replace(soup_server_message_get_response_headers(request.message),
                               "x-request-id", request_id.c_str());
  if (request.segments.empty() || request.segments[0] != "v1") {
    videos_.send_error(request, ApiError::invalid_url(
                                    soup_server_message_get_method(request.message), request.path));
    return;
  }
  if (std::optional<ApiError> error = check_authorization(request.message)) {
    videos_.send_error(request, *error);
    return;
  }
  request.segments.erase(request.segments.begin());
  videos_.handle(request);
}

std::optional<ApiError> ApiServer::check_authorization(SoupServerMessage *message) const {
  const char *header = soup_message_headers_get_one(
      soup_server_message_get_request_headers(message), "Authorization");
  constexpr char kBearer[] = "Bearer ";
  if (!header || g_ascii_strncasecmp(header, kBearer, strlen(kBearer)) != 0) {
    return ApiError::missing_api_key();
  }
  g_autofree char *key = g_strstrip(g_strdup(header + strlen(kBearer)));
  if (!*key) {
    return ApiError::missing_api_key();
  }
  if (config_.forbidden_key == key) {
    return ApiError::permission_denied();
  }
  if (config_.api_key && *config_.api_key != key) {
    return ApiError::incorrect_api_key(key);
  }
  return std::nullopt;
}
