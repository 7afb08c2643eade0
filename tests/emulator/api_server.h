/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The HTTP front of the emulator, on two listeners. The API listener (configured host and port)
// routes /_emulator to the control API and /v1 to the videos API (or, with a native provider's
// dialect, every path to that provider's routes), checking the key where the dialect wants it, and
// adds the dialect's extra response headers to every answer. The CDN listener (127.0.0.2, or
// 127.0.0.1 when that cannot be bound; any free port) stands for the other host that download URLs
// and redirects point at: it serves content under /cdn without a key. Both log every request, apply
// the fault rules, then answer.
#pragma once

#include "control_endpoint.h"
#include "emulator_config.h"
#include "native_endpoint.h"
#include "glib_ptr.h"
#include "request_log.h"
#include "server_dialect.h"
#include "videos_endpoint.h"

#include <libsoup/soup.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class ApiServer {
 public:
  ApiServer(EmulatorConfig &config, const ServerDialect &dialect, RequestLog &log);
  ~ApiServer();

  ApiServer(const ApiServer &) = delete;
  ApiServer &operator=(const ApiServer &) = delete;

  // Listens on the configured host and port, and on a free port for the CDN.
  bool listen(GError **error);

  // The API's base URL, e.g. http://127.0.0.1:PORT/v1.
  std::string base_url() const;
  // The API listener's root, e.g. http://127.0.0.1:PORT.
  std::string api_root() const;
  // The CDN listener's root, e.g. http://127.0.0.2:PORT.
  std::string cdn_url() const;

  // Starts answering requests; the endpoints need the URLs, so they come after listen().
  void serve(VideosEndpoint &videos, NativeEndpoints &native, ControlEndpoint &control);

 private:
  struct DelayedAnswer;

  static void on_api_request(SoupServer *server, SoupServerMessage *message, const char *path,
                             GHashTable *query, gpointer self);
  static void on_cdn_request(SoupServer *server, SoupServerMessage *message, const char *path,
                             GHashTable *query, gpointer self);
  static gboolean answer_delayed(gpointer delayed);

  void dispatch(std::unique_ptr<ApiRequest> request);
  void apply_fault(std::unique_ptr<ApiRequest> request, const FaultRule &fault);
  void apply_chaos(std::unique_ptr<ApiRequest> request, const ChaosFate &fate);
  // Answers as the API does when no fault applies.
  void answer(ApiRequest &request);
  void answer_later(std::unique_ptr<ApiRequest> request, gint64 delay_ms);
  // Logs how @request went; an answered one is first made hostile when hostile mode says so.
  void record_outcome(ApiRequest &request, bool answered);
  std::optional<std::vector<std::string>> api_segments(const ApiRequest &request) const;

  EmulatorConfig &config_;
  const ServerDialect &dialect_;
  RequestLog &log_;
  VideosEndpoint *videos_ = nullptr;
  NativeEndpoints *native_ = nullptr;
  ControlEndpoint *control_ = nullptr;
  GObjectPtr<SoupServer> api_server_;
  GObjectPtr<SoupServer> cdn_server_;
};
