/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Starts a task for any API that creates one (the OpenAI format's create, remix and extension,
// the native providers' creates): applies the current timing, the planned failure or stall and
// chaos mode's draw, stores the task and queues its render, and records the render's outcome.
#pragma once

#include "emulator_config.h"
#include "render_pool.h"
#include "server_dialect.h"
#include "task_store.h"

#include <memory>
#include <string>

class TaskLauncher {
 public:
  TaskLauncher(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
               RenderPool &renders);

  // @task has its clip, model and prompt; the caller has checked the clip's variation.
  Task &start(std::unique_ptr<Task> task);

 private:
  void record_render(const std::string &video_id, const RenderOutcome &outcome);

  EmulatorConfig &config_;
  const ServerDialect &dialect_;
  TaskStore &tasks_;
  RenderPool &renders_;
};
