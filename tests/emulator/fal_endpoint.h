/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// fal's queue (docs.fal.ai/model-apis/model-endpoints/queue, the fal-js and fal-client queue
// clients): a JSON input posted to an app, checked against the app's schema (422 with
// pydantic's `detail` list) and answered with the request id and its status, response and cancel
// URLs, which name only the app's owner and alias; the status polled (IN_QUEUE with
// queue_position, IN_PROGRESS, COMPLETED) or streamed as server-sent events; the result
// ({"video": {"url"}} on the CDN listener, or 422 for a failed request); cancel; and each app's
// OpenAPI document.
#pragma once

#include "native_endpoint.h"

class FalEndpoint : public NativeEndpoint {
 public:
  using NativeEndpoint::NativeEndpoint;

  void handle(ApiRequest &request) override;

 private:
  void create(ApiRequest &request, const std::string &app);
  void status(ApiRequest &request, const std::string &app, const std::string &id);
  void stream(ApiRequest &request, const std::string &app, const std::string &id);
  void result(ApiRequest &request, const std::string &app, const std::string &id);
  void cancel(ApiRequest &request, const std::string &app, const std::string &id);
  void schema(ApiRequest &request);

  // The task @id submitted to an app of @app's owner and alias, or null (answered 404).
  Task *find_request(ApiRequest &request, const std::string &app, const std::string &id);
  // The status object, as polled and as each event of the stream.
  JsonNodePtr status_json(const Task &task, bool with_logs) const;
  std::string request_url(const Task &task) const;
};
