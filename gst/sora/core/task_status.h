/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* TaskStatus: the status words servers use for a video task, folded into the
 * states the client acts on.
 *
 * OpenAI answers queued/in_progress/completed/failed; gateways answer
 * SUCCESS, processing, not_start, cancelled and more (DIALECTS.md). A word the
 * table does not know means "still running": the job's overall deadline, not
 * this table, decides when to give up on it. */
#pragma once

#include <string_view>

namespace sora {

enum class TaskState {
  kQueued,
  kRunning,
  kCompleted,
  kFailed,
  kCancelled, /* cancelled on the server (OpenRouter's cancelled, canceled) */
  kExpired,   /* the task or its result expired before it was fetched (OpenRouter) */
};

/* Case-insensitive; surrounding white space is ignored. */
TaskState classify_status(std::string_view word);

/* The canonical OpenAI word for a state: "queued", "in_progress", ... */
const char *task_state_name(TaskState state);

inline bool task_state_is_final(TaskState state) {
  return state != TaskState::kQueued && state != TaskState::kRunning;
}

}  // namespace sora
