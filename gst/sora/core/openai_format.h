/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* OpenAiFormat: the Provider of the "OpenAI video format" families (auto,
 * openai, openrouter, azure, litellm, newapi; their differences are their
 * GatewayProfile rows). POST {base}/videos (multipart, or JSON when the row
 * says or the server refuses multipart), GET {base}/videos/{id} or the
 * server's polling_url, the clip at its download URLs or
 * /videos/{id}/content. Where tasks live is probed on a 404 (/videos,
 * /video) and remembered per base URL (path_style.h). */
#pragma once

#include "core/path_style.h"
#include "core/provider.h"

namespace sora {

class OpenAiFormat : public Provider {
 public:
  explicit OpenAiFormat(ProviderSettings settings);

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
  bool ask_differently(const HttpResponse &response, bool create) override;
  void confirmed() override;
  const std::string &paths_tried() const override { return paths_tried_; }
  std::optional<HttpRequest> list_request(const std::string &after) const override;
  /* OpenRouter with validate=true: its /videos/models, what each model
   * takes, read (and cached) as the native providers' schemas are. */
  std::optional<HttpRequest> schema_request() const override;
  std::optional<InputSchema> read_schema(const HttpResponse &response,
                                         std::string *problem) const override;
  void set_schema(std::optional<InputSchema> schema) override { schema_ = std::move(schema); }
  const char *without_schema() const override {
    return "OpenRouter's model list could not be read, so seconds and size go unchecked and "
           "OpenRouter itself refuses what the model does not take";
  }
  std::optional<SettingsProblem> check() const override;

 private:
  std::string collection_url() const;
  bool try_next_path_style(const HttpResponse &response);
  bool try_json_body(const HttpResponse &response);

  PathStyle path_style_ = PathStyle::kVideos;
  bool path_style_known_ = false;      /* set, remembered, or confirmed by an answer */
  bool path_style_remembered_ = false; /* from memory, not confirmed by this job yet */
  std::string paths_tried_;            /* for the error when every style answered 404 */
  BodyEncoding body_ = BodyEncoding::kMultipart; /* of the create request */
  bool body_switched_ = false; /* a multipart create was refused: sent as JSON */
  std::optional<InputSchema> schema_; /* OpenRouter's word on the model; nullopt: none */
};

}  // namespace sora
