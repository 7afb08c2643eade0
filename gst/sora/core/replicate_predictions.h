/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ReplicatePredictions: the Provider of Replicate's predictions API.
 *
 *   POST {base}/models/{owner}/{name}/predictions  {"input": {...}}
 *     (a model pinned to a version, owner/name:VERSION: POST
 *     {base}/predictions with {"version", "input"})
 *     -> a prediction {id, status: "starting", urls: {get, cancel}}
 *   GET urls.get: starting -> processing -> succeeded (output: a URL or a
 *     list of them) / failed (error) / canceled
 *   POST urls.cancel: only when the user cancels (sora-tasks cancel)
 *   GET {base}/models/{owner}/{name}: latest_version.openapi_schema, the
 *     input schema (Cog writes enums as allOf: [{$ref}]); a pinned version's
 *     at .../versions/{VERSION}
 *
 * Outputs are deleted after an hour: the clip is downloaded as soon as the
 * prediction succeeded (the job always does), from Replicate's CDN, which
 * gets no key. */
#pragma once

#include "core/provider.h"

namespace sora {

/* A prediction (a create or get answer). */
std::optional<VideoObject> parse_replicate_prediction(std::string_view body,
                                                      const std::string &id,
                                                      std::string *problem);

/* A page of GET /predictions: {"results": [...], "next": URL or null}; the
 * next page's URL goes in last_id. Each prediction with its input's prompt,
 * its model and its creation time. */
std::optional<VideoPage> parse_replicate_page(std::string_view body, std::string *problem);

class ReplicatePredictions : public Provider {
 public:
  explicit ReplicatePredictions(ProviderSettings settings) : Provider(std::move(settings)) {}

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
  std::optional<VideoObject> read_status(const HttpResponse &response, const TaskHandle &task,
                                         std::string *problem) override;
  std::vector<std::string> download_sources(const TaskHandle &task,
                                            const VideoObject &video) const override;
  std::optional<HttpRequest> cancel_request(const TaskHandle &task) const override;
  std::optional<HttpRequest> list_request(const std::string &after) const override;
  std::optional<VideoPage> read_list(const HttpResponse &response,
                                     std::string *problem) const override;
  const char *task_noun() const override { return "prediction"; }

 private:
  /* "owner/name" and the pinned version ("" for the latest). */
  std::string model_path() const;
  std::string version() const;

  std::optional<InputSchema> schema_;
};

}  // namespace sora
