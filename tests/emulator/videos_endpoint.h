// The videos API: create, retrieve, list, delete, download content, remix and extend, and the
// same downloads on the CDN listener. The handlers read requests, let the ServerDialect decide
// what is valid and how answers look, keep tasks in the TaskStore and hand renders to the
// RenderPool.
#pragma once

#include "api_error.h"
#include "api_request.h"
#include "emulator_config.h"
#include "render_pool.h"
#include "server_dialect.h"
#include "task_store.h"

#include <libsoup/soup.h>

#include <string>

class VideosEndpoint {
 public:
  // @cdn_url is the root of the CDN listener, e.g. http://127.0.0.2:PORT.
  VideosEndpoint(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
                 RenderPool &renders, std::string cdn_url);

  // Answers @request, whose route has been matched.
  void handle(ApiRequest &request);

  void send_error(ApiRequest &request, const ApiError &error) const;

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

  // Applies the current timing and planned failure, stores the task and queues its render.
  Task &start(std::unique_ptr<Task> task);
  void record_render(const std::string &video_id, const RenderOutcome &outcome);

  // What a client is told about @task now, including where its content is on the CDN.
  VideoView view_of(const Task &task) const;
  std::string cdn_content_url(const std::string &video_id) const;

  void send_created(ApiRequest &request, const Task &task) const;
  void send_retrieved(ApiRequest &request, const Task &task) const;
  void add_poll_hint(SoupServerMessage *message) const;
  // Content can be downloaded once the task completed, until it expires.
  std::optional<ApiError> check_downloadable(const Task &task) const;

  EmulatorConfig &config_;
  const ServerDialect &dialect_;
  TaskStore &tasks_;
  RenderPool &renders_;
  std::string cdn_url_;
};
