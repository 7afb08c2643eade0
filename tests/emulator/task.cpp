/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "task.h"

#include <algorithm>

namespace {

constexpr gint64 kMicrosPerSecond = G_USEC_PER_SEC;
// Where the progress of a stalled task stops rising.
constexpr double kStalledProgress = 42;

}  // namespace

const char *task_status_name(TaskStatus status) {
  switch (status) {
    case TaskStatus::kInProgress:
      return "in_progress";
    case TaskStatus::kCompleted:
      return "completed";
    case TaskStatus::kFailed:
      return "failed";
    case TaskStatus::kQueued:
      break;
  }
  return "queued";
}

const char *render_state_name(RenderState state) {
  switch (state) {
    case RenderState::kRendering:
      return "rendering";
    case RenderState::kSucceeded:
      return "succeeded";
    case RenderState::kFailed:
      return "failed";
    case RenderState::kNotNeeded:
      break;
  }
  return "not_needed";
}

VideoView Task::view_at(gint64 now_us) const {
  VideoView view;
  view.id = id;
  view.sequence = sequence;
  view.generation_id = generation_id;
  view.model = model;
  view.created_at = created_wall_us / kMicrosPerSecond;
  view.prompt = prompt;
  view.size = size;
  view.seconds = std::to_string(clip.total_seconds());
  view.remixed_from_video_id = remixed_from_video_id;
  view.retrievals = retrievals;

  if (cancelled_us && now_us >= *cancelled_us) {
    view.status = TaskStatus::kFailed;
    view.completed_us = *cancelled_us;
    view.completed_at = (created_wall_us + (*cancelled_us - created_us)) / kMicrosPerSecond;
    view.error = TaskError{"cancelled", "The task was cancelled.", std::string("cancelled"), {}};
    return view;
  }
  gint64 elapsed_us = now_us - created_us;
  gint64 generated_after_us = queue_us + generation_us;
  if (elapsed_us < queue_us) {
    view.queued_fraction = static_cast<double>(elapsed_us) / queue_us;
    return view;
  }
  view.started_at = (created_wall_us + queue_us) / kMicrosPerSecond;
  if (stalled || elapsed_us < generated_after_us || render_state == RenderState::kRendering) {
    view.status = TaskStatus::kInProgress;
    gint64 in_progress_us = elapsed_us - queue_us;
    double progress =
        generation_us > 0 ? std::min<double>(in_progress_us * 100.0 / generation_us, 99) : 99;
    view.exact_progress = stalled ? std::min(progress, kStalledProgress) : progress;
    view.progress = static_cast<int>(view.exact_progress);
    return view;
  }

  gint64 finished_after_us = generated_after_us;
  if (render_state != RenderState::kNotNeeded) {
    finished_after_us = std::max(finished_after_us, render_finished_us - created_us);
  }
  view.completed_at = (created_wall_us + finished_after_us) / kMicrosPerSecond;
  view.completed_us = created_us + finished_after_us;
  if (planned_failure) {
    view.status = TaskStatus::kFailed;
    view.error = planned_failure;
  } else if (render_state == RenderState::kFailed) {
    view.status = TaskStatus::kFailed;
    view.error = TaskError{
        "internal_error", "Video generation failed due to an internal error.", std::nullopt, {}};
  } else {
    view.status = TaskStatus::kCompleted;
    view.progress = 100;
    view.exact_progress = 100;
    view.expires_at = expires_at_override.value_or(*view.completed_at + expires_after_s);
    view.content_expired = g_get_real_time() / kMicrosPerSecond >= *view.expires_at;
  }
  return view;
}
