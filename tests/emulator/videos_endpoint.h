/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The videos API: create, retrieve, list, delete, download content, remix and extend, the model
// lists, and the same downloads on the CDN listener. The handlers read requests, let the
// ServerDialect decide what is valid and how answers look, keep tasks in the TaskStore and
// start them with the TaskLauncher.
#pragma once

#include "api_error.h"
#include "api_request.h"
#include "emulator_config.h"
#include "server_dialect.h"
#include "task_launcher.h"
#include "task_store.h"

#include <libsoup/soup.h>

#include <string>

class VideosEndpoint {
 public:
  // @api_root and @cdn_url are the roots of the two listeners, e.g. http://127.0.0.1:PORT and
  // http://127.0.0.2:PORT.
  VideosEndpoint(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
                 TaskLauncher &launcher, std::string api_root, std::string cdn_url);

  // Answers @request, whose route has been matched.
  void handle(ApiRequest &request);

  void send_error(ApiRequest &request, const ApiError &error) const;

  // The prompt of the task with @video_id (either of its ids), "" when there is none.
  std::string prompt_of(const std::string &video_id) const;

 private:
  void create(ApiRequest &request);
  void retrieve(ApiRequest &request, const std::string &video_id);
  void list(ApiRequest &request);
  void remove(ApiRequest &request, const std::string &video_id);
  void download(ApiRequest &request, const std::string &video_id);
  void remix(ApiRequest &request, const std::string &video_id);
  void extend(ApiRequest &request);

  // Finds the task for @video_id, or answers the dialect's unknown-id error and returns null.
  Task *find_or_answer(ApiRequest &request, const std::string &video_id);
  // A completed task to derive a new one from, or an error.
  std::optional<ApiError> check_source(const Task &source) const;

  // A 429 when the dialect's max_running_tasks are queued or running already.
  std::optional<ApiError> check_capacity() const;

  // Which of a task's ids an answer shows (they differ with retrieve_id: reencoded).
  enum class IdShown { kOnCreate, kOnRetrieve };
  // What a client is told about @task now, including where its content is on the CDN and on
  // the API.
  VideoView view_of(const Task &task, IdShown shown) const;
  std::string cdn_content_url(const std::string &video_id) const;

  void send_created(ApiRequest &request, const Task &task) const;
  void send_retrieved(ApiRequest &request, const VideoView &view) const;
  void add_poll_hint(SoupServerMessage *message) const;
  // Content can be downloaded once the task completed, until it expires.
  std::optional<ApiError> check_downloadable(const Task &task) const;

  EmulatorConfig &config_;
  const ServerDialect &dialect_;
  TaskStore &tasks_;
  TaskLauncher &launcher_;
  std::string api_root_;
  std::string cdn_url_;
};
