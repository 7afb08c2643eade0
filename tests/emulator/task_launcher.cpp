/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "task_launcher.h"

#include <utility>

TaskLauncher::TaskLauncher(EmulatorConfig &config, const ServerDialect &dialect, TaskStore &tasks,
                           RenderPool &renders)
    : config_(config), dialect_(dialect), tasks_(tasks), renders_(renders) {}

Task &TaskLauncher::start(std::unique_ptr<Task> task) {
  task->queue_us = config_.queue_ms * 1000;
  task->generation_us = config_.generation_ms * 1000;
  task->expires_after_s = config_.expires_after_s;
  task->planned_failure = std::exchange(config_.fail_next, std::nullopt);
  if (std::optional<std::vector<std::string>> reasons =
          std::exchange(config_.filter_next, std::nullopt)) {
    task->planned_failure =
        TaskError{"content_filtered", reasons->front(), std::nullopt, std::move(*reasons)};
  }
  task->stalled = std::exchange(config_.stall_next, false) || config_.never_finish;
  task->chaos = config_.chaos.draw_task(task->prompt);
  if (task->chaos == TaskChaos::kFails && !task->planned_failure) {
    task->planned_failure =
        TaskError{"chaos_failure", "Video generation failed (chaos mode).", std::nullopt, {}};
  } else if (task->chaos == TaskChaos::kExpires) {
    task->expires_after_s = config_.chaos.settings().expiry_s;
  }
  // create() has checked the request's own variation: nothing can fail here.
  ClipVariation variation;
  config_.clip_variations.for_task(task->prompt, task->metadata.get(), variation);
  variation.apply(*task);
  Task &started =
      tasks_.add(std::move(task), dialect_.settings(), config_.hostile.take_next_task_id());
  if (!started.planned_failure && !started.stalled) {
    started.render_state = RenderState::kRendering;
    std::string video_id = started.id;
    renders_.submit(started.clip, [this, video_id](const RenderOutcome &outcome) {
      record_render(video_id, outcome);
    });
  }
  return started;
}

void TaskLauncher::record_render(const std::string &video_id, const RenderOutcome &outcome) {
  Task *task = tasks_.find(video_id);
  if (!task) {
    return;
  }
  task->render_state = outcome.succeeded ? RenderState::kSucceeded : RenderState::kFailed;
  task->files = outcome.files;
  task->render_error = outcome.error;
  task->render_finished_us = outcome.finished_us;
}
