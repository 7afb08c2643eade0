/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* TaskClient: the task operations that are not a generation — list,
 * retrieve and delete — for command-line tools, with the same HTTP client,
 * parsers, retry rules, path-style detection and error texts as the element.
 *
 * Calls block until the answer is in (the I/O runs on the shared IoLoop
 * thread), which is what a command-line tool wants. Downloads go through a
 * VideoJob attached to the task, as the element does. */
#pragma once

#include "core/connection.h"
#include "core/io_loop.h"
#include "core/input_schema.h"
#include "core/job_error.h"
#include "core/provider.h"

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sora {

struct ListQuery {
  std::string after;
  unsigned limit = 20;
  std::string order = "desc"; /* or asc */
};

class TaskClient {
 public:
  explicit TaskClient(Connection connection);
  ~TaskClient();
  TaskClient(const TaskClient &) = delete;
  TaskClient &operator=(const TaskClient &) = delete;

  std::variant<VideoPage, JobError> list(const ListQuery &query);
  std::variant<VideoObject, JobError> retrieve(const std::string &video_id);
  /* Only completed or failed tasks can be deleted: the server says so. */
  std::variant<std::monostate, JobError> remove(const std::string &video_id);
  /* The server's video models, where it lists them: OpenRouter's
   * /videos/models, else /models. */
  std::variant<std::vector<ModelInfo>, JobError> models();

  /* A native provider's tasks (gemini, fal, replicate), through its
   * Provider: `model` is needed where an id alone does not say where the
   * task is (fal: its app). */
  void set_model(std::string model) { model_ = std::move(model); }
  /* Cancels the task on the server: fal's cancel_url, Replicate's
   * urls.cancel; an error where the provider has no cancel. */
  std::variant<std::monostate, JobError> cancel(const std::string &video_id);
  /* The input fields the model's published schema allows (fal, Replicate). */
  std::variant<InputSchema, JobError> schema();

 private:
  /* `path` below the task collection ({base}/videos...), found by path
   * probing in auto mode; or, with `below_base`, that path below the base
   * URL itself. */
  HttpResponse send(const std::string &method, const std::string &path, const std::string &doing,
                    bool below_base = false);
  HttpResponse send_once(HttpRequest request);
  JobError error_for(const HttpResponse &response, const std::string &doing,
                     const std::string &video_id) const;
  std::optional<JobError> refuse_id(const std::string &video_id, const std::string &doing) const;
  bool native() const { return connection_.profile().protocol != Protocol::kOpenAiFormat; }
  std::unique_ptr<Provider> provider() const;
  /* A request with the poll's retry rules, no path probing. */
  HttpResponse send_with_retries(const HttpRequest &request, const std::string &doing);
  std::variant<VideoObject, JobError> native_retrieve(const std::string &video_id);

  Connection connection_;
  std::shared_ptr<IoLoop> loop_;
  std::shared_ptr<HttpClient> client_;
  PathStyle style_;
  bool style_known_;
  bool style_remembered_ = false; /* from memory, not confirmed by an answer yet */
  std::string model_;
};

}  // namespace sora
