/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* FalQueue: the Provider of fal's queue API.
 *
 *   POST {base}/{app}   Authorization: Key KEY   the model's input as JSON
 *     -> {request_id, status_url, response_url, cancel_url}
 *   GET {status_url}/stream: server-sent events with the same objects as
 *     GET {status_url}: IN_QUEUE (queue_position), IN_PROGRESS, COMPLETED
 *   GET {response_url} -> {"video": {"url"}} (the clip on fal's CDN, which
 *     gets no key), or the failure (422 with pydantic's "detail")
 *   PUT {cancel_url}: only when the user cancels (sora-tasks cancel)
 *
 * The URLs are the server's: they name only the app's first two segments
 * (.../fal-ai/kling-video/requests/{id}/status), so they are journalled,
 * never rebuilt; an id alone (video-id) is attached to at
 * {base}/{first two segments of model}/requests/{id}, as fal's docs write it.
 *
 * The input's field names and types are the model's own (fal publishes an
 * OpenAPI schema per app, input_schema.h); without one, the conventional
 * names: prompt, duration (a string: "5"), aspect_ratio, image_url (a data
 * URL), and the metadata's members. */
#pragma once

#include "core/input_schema.h"
#include "core/provider.h"

namespace sora {

/* "fal-ai/kling-video/v2.1/master/text-to-video" -> "fal-ai/kling-video". */
std::string fal_app_root(const std::string &app);

/* Why `app` cannot name a fal app (segments of letters, digits, '.', '_'
 * and '-', at least two, no dot segments), or nullopt. */
std::optional<std::string> fal_app_problem(const std::string &app);

/* A fal status object (or one event of its stream). */
std::optional<VideoObject> parse_fal_status(std::string_view body, const std::string &id,
                                            std::string *problem);

/* The answer of response_url for the request whose last status was
 * `status`: the clip's URL, or why it failed (the answer's detail, else
 * the status's error). */
std::optional<VideoObject> parse_fal_result(const HttpResponse &response,
                                            const VideoObject &status, std::string *problem);

class FalQueue : public Provider {
 public:
  explicit FalQueue(ProviderSettings settings) : Provider(std::move(settings)) {}

  std::optional<HttpRequest> schema_request() const override;
  std::optional<InputSchema> read_schema(const HttpResponse &response,
                                         std::string *problem) const override;
  void set_schema(std::optional<InputSchema> schema) override { schema_ = std::move(schema); }
  std::optional<SettingsProblem> check() const override;
  HttpRequest create_request() override;
  std::optional<TaskHandle> read_created(const HttpResponse &response, VideoObject *video,
                                         std::string *problem) override;
  std::optional<TaskHandle> handle_for_id(const std::string &id,
                                          std::string *problem) const override;
  HttpRequest status_request(const TaskHandle &task) const override;
  std::optional<HttpRequest> stream_request(const TaskHandle &task) const override;
  std::optional<VideoObject> read_status(const HttpResponse &response, const TaskHandle &task,
                                         std::string *problem) override;
  std::optional<VideoObject> read_event(const std::string &data, const TaskHandle &task,
                                        std::string *problem) override;
  std::optional<HttpRequest> result_request(const TaskHandle &task,
                                            const VideoObject &video) const override;
  std::optional<VideoObject> read_result(const HttpResponse &response, const TaskHandle &task,
                                         const VideoObject &status,
                                         std::string *problem) override;
  std::vector<std::string> download_sources(const TaskHandle &task,
                                            const VideoObject &video) const override;
  std::optional<HttpRequest> cancel_request(const TaskHandle &task) const override;
  const char *task_noun() const override { return "request"; }

 private:
  std::optional<InputSchema> schema_;
};

}  // namespace sora
