/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// What the native providers' endpoints (Gemini API, fal, Replicate) share: starting a task for a
// checked request, finding one, where its file is on the CDN, the time stamps the providers
// print, and NativeEndpoints, which hands a request to the endpoint of the dialect's provider.
#pragma once

#include "api_error.h"
#include "api_request.h"
#include "emulator_config.h"
#include "model_schemas.h"
#include "server_dialect.h"
#include "task_launcher.h"
#include "task_store.h"

#include <memory>
#include <optional>
#include <string>

// The clip a checked create asks for.
struct NativeClip {
  std::string model;
  std::string prompt;
  int seconds = 0;
  int width = 0;
  int height = 0;
  int fps = kClipFramesPerSecond;
  bool audio = true;
  JsonNodePtr input;            // the model's input as sent: the task's metadata
  JsonNodePtr input_reference;  // a description of the reference image, if any
};

class NativeEndpoint {
 public:
  NativeEndpoint(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
                 TaskLauncher &launcher, std::string api_root, std::string cdn_url);
  virtual ~NativeEndpoint() = default;

  NativeEndpoint(const NativeEndpoint &) = delete;
  NativeEndpoint &operator=(const NativeEndpoint &) = delete;

  // Answers @request, whose route has been matched and whose key has been checked.
  virtual void handle(ApiRequest &request) = 0;

 protected:
  // Starts the task, unless the input's "emulator" member (clips as models make them) is
  // malformed: then that error, and no task.
  std::optional<ApiError> start(ApiRequest &request, NativeClip clip, Task *&started);
  // The task with @id, noted as the request's video; null when there is none.
  Task *find(ApiRequest &request, const std::string &id) const;
  VideoView view_of(const Task &task) const;
  // The task's video on the CDN listener: http://127.0.0.2:PORT/cdn/videos/{id}/content.
  std::string cdn_content_url(const Task &task) const;
  void send_error(ApiRequest &request, const ApiError &error) const;
  const char *query_value(const ApiRequest &request, const char *name) const;

  EmulatorConfig &config_;
  const ServerDialect &dialect_;
  TaskStore &tasks_;
  TaskLauncher &launcher_;
  std::string api_root_;  // http://127.0.0.1:PORT
  std::string cdn_url_;   // http://127.0.0.2:PORT
};

// The clip a schema-checked input asks for (fal, Replicate): @input is the model's input, @body
// the request body its reference image is described from.
NativeClip schema_clip(const std::string &model, const ModelSchema &schema,
                       const ClipRequest &wanted, JsonNode *input, JsonNode *body);
// A description of the first image in a create body (describe_inline_images), or null.
JsonNodePtr first_image(JsonNode *body);

// "2026-12-06T15:51:32.123456Z" for a g_get_real_time() value.
std::string iso8601_time(gint64 unix_us);

class NativeEndpoints {
 public:
  NativeEndpoints(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
                  TaskLauncher &launcher, const std::string &api_root, const std::string &cdn_url);
  ~NativeEndpoints();

  // The endpoint of the dialect's provider; null for the OpenAI video format.
  NativeEndpoint *current() const;

 private:
  const ServerDialect &dialect_;
  std::unique_ptr<NativeEndpoint> gemini_;
  std::unique_ptr<NativeEndpoint> fal_;
  std::unique_ptr<NativeEndpoint> replicate_;
};
