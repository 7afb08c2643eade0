// The HTTP front of the emulator: a SoupServer that stamps and logs every API request, checks its
// Bearer key, and routes /v1 to the videos API and /_emulator to the control API.
#pragma once

#include "control_endpoint.h"
#include "emulator_config.h"
#include "request_log.h"
#include "videos_endpoint.h"

#include <libsoup/soup.h>

#include <optional>
#include <string>

class ApiServer {
 public:
  ApiServer(const EmulatorConfig &config, VideosEndpoint &videos, ControlEndpoint &control,
            RequestLog &log);
  ~ApiServer();

  ApiServer(const ApiServer &) = delete;
  ApiServer &operator=(const ApiServer &) = delete;

  // Listens on the configured host and port.
  bool listen(GError **error);

  // The API's base URL, e.g. http://127.0.0.1:PORT/v1.
  std::string base_url() const;

 private:
  static void on_request(SoupServer *server, SoupServerMessage *message, const char *path,
                         GHashTable *query, gpointer self);
  void handle_api(ApiRequest &request);
  std::optional<ApiError> check_authorization(SoupServerMessage *message) const;

  const EmulatorConfig &config_;
  VideosEndpoint &videos_;
  ControlEndpoint &control_;
  RequestLog &log_;
  SoupServer *server_;
};
