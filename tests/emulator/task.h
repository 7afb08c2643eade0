/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// One video generation task and its lifecycle. Status and progress are not stored but computed
// from the time elapsed since creation (queued for queue_us, then in_progress for
// generation_us) and from the render: a task completes only once its clip rendered, and fails
// when the render failed or a failure was planned for it (the control API's fail_next). A
// stalled task (never_finish, stall_next) stays in_progress for ever.
#pragma once

#include "chaos_mode.h"
#include "clip_spec.h"
#include "glib_ptr.h"
#include "render_cache.h"

#include <optional>
#include <string>
#include <vector>

enum class TaskStatus { kQueued, kInProgress, kCompleted, kFailed };

const char *task_status_name(TaskStatus status);

struct TaskError {
  std::string code;
  std::string message;
  // The word the task ends with instead of "failed": "cancelled" or "expired" (OpenRouter).
  std::optional<std::string> end_status;
  // Non-empty when the safety filters blocked the result (filter_next), with their reasons.
  std::vector<std::string> filter_reasons;
};

enum class RenderState { kNotNeeded, kRendering, kSucceeded, kFailed };

const char *render_state_name(RenderState state);

// What a client is told about a task at one moment.
struct VideoView {
  std::string id;  // the id this answer shows (a re-encoded one, with retrieve_id: reencoded)
  guint64 sequence = 0;
  std::string model;
  TaskStatus status = TaskStatus::kQueued;
  double queued_fraction = 0;   // how much of the queue time has passed, while queued
  bool status_hidden = false;   // this answer carries no status (first_poll_status: absent)
  bool status_unknown = false;  // this answer says "unknown" (unknown_status: once)
  int progress = 0;
  double exact_progress = 0;  // progress before rounding down, for dialects that send a float
  gint64 created_at = 0;      // unix seconds
  std::optional<gint64> started_at;  // unix seconds when it left the queue
  std::optional<gint64> completed_at;
  std::optional<gint64> completed_us;  // when it turned completed or failed, g_get_monotonic_time()
  std::optional<gint64> expires_at;
  std::string prompt;
  std::string size;
  std::string seconds;
  std::optional<std::string> remixed_from_video_id;
  std::optional<TaskError> error;
  bool content_expired = false;  // completed, but past expires_at
  guint retrievals = 0;          // how often a client has retrieved the task so far
  std::string generation_id;     // OpenRouter's generation id
  // Set by the endpoint: where the content is on the CDN listener, the API's retrieve path
  // ("/v1/videos/ID", escaped) and the API's own content URL (absolute, "?index=0").
  std::string cdn_url;
  std::string retrieve_path;
  std::string api_root;  // "http://127.0.0.1:PORT"
  std::string api_content_url;
};

struct Task {
  std::string id;
  std::string alias_id;  // a second id for the same task (LiteLLM's re-encoded one), or empty
  std::string generation_id;
  guint64 sequence = 0;  // creation order; breaks ties between equal created_at
  std::string model;
  std::string prompt;
  std::string size;
  ClipSpec clip;
  std::optional<std::string> remixed_from_video_id;
  JsonNodePtr metadata;         // as the client sent it, for the control API
  JsonNodePtr input_reference;  // a description of the reference image, for the control API

  gint64 created_us = 0;       // g_get_monotonic_time()
  gint64 created_wall_us = 0;  // g_get_real_time()
  gint64 queue_us = 0;
  gint64 generation_us = 0;
  gint64 expires_after_s = 0;
  std::optional<gint64> expires_at_override;  // set by the control API's expire_now

  std::optional<TaskError> planned_failure;
  bool stalled = false;
  // When a client cancelled it (a native provider's cancel): from then on it is finished,
  // failed with end_status "cancelled".
  std::optional<gint64> cancelled_us;
  TaskChaos chaos = TaskChaos::kNone;  // what chaos mode drew for it
  guint retrievals = 0;
  bool said_unknown = false;  // a retrieval has answered "unknown" (unknown_status: once)
  RenderState render_state = RenderState::kNotNeeded;
  RenderedClip files;
  std::string render_error;
  gint64 render_finished_us = 0;

  VideoView view_at(gint64 now_us) const;
};
