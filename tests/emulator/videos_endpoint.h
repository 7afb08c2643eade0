// The /v1/videos API: create, retrieve, list, delete, download content, remix and extend. The
// handlers read requests, let the ServerDialect decide what is valid and how answers look, keep
// tasks in the TaskStore and hand renders to the RenderPool.
#pragma once

#include "api_error.h"
#include "emulator_config.h"
#include "render_pool.h"
#include "request_body.h"
#include "server_dialect.h"
#include "task_store.h"

#include <libsoup/soup.h>

#include <string>
#include <vector>

struct ApiRequest {
  SoupServerMessage *message;
  const char *path;                   // decoded, for error messages
  std::vector<std::string> segments;  // decoded path segments after "/v1"
  GHashTable *query;                  // decoded query parameters; may be null
  const RequestBody &body;
  std::string video_id;  // set by the handler: the task the request concerned
};

class VideosEndpoint {
 public:
  VideosEndpoint(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
                 RenderPool &renders);

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

  // Finds the task for @video_id, or answers 404 and returns null.
  Task *find_or_404(ApiRequest &request, const std::string &video_id);
  // A completed task to derive a new one from, or an error.
  std::optional<ApiError> check_source(const Task &source) const;

  // Applies the current timing and planned failure, stores the task and queues its render.
  Task &start(std::unique_ptr<Task> task);
  void record_render(const std::string &video_id, const RenderOutcome &outcome);

  void send_video(ApiRequest &request, const Task &task) const;

  EmulatorConfig &config_;
  const ServerDialect &dialect_;
  TaskStore &tasks_;
  RenderPool &renders_;
};
