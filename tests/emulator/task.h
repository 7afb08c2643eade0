// One video generation task and its lifecycle. Status and progress are not stored but computed
// from the time elapsed since creation (queued for queue_us, then in_progress for
// generation_us) and from the render: a task completes only once its clip rendered, and fails
// when the render failed or a failure was planned for it (the control API's fail_next). A
// stalled task (never_finish, stall_next) stays in_progress for ever.
#pragma once

#include "clip_spec.h"
#include "glib_ptr.h"
#include "render_cache.h"

#include <optional>
#include <string>

enum class TaskStatus { kQueued, kInProgress, kCompleted, kFailed };

const char *task_status_name(TaskStatus status);

struct TaskError {
  std::string code;
  std::string message;
};

enum class RenderState { kNotNeeded, kRendering, kSucceeded, kFailed };

const char *render_state_name(RenderState state);

// What a client is told about a task at one moment.
struct VideoView {
  std::string id;
  std::string model;
  TaskStatus status = TaskStatus::kQueued;
  int progress = 0;
  double exact_progress = 0;  // progress before rounding down, for dialects that send a float
  gint64 created_at = 0;      // unix seconds
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
  std::string cdn_url;           // where the content is on the CDN listener; set by the endpoint
};

struct Task {
  std::string id;
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
  guint retrievals = 0;
  RenderState render_state = RenderState::kNotNeeded;
  RenderedClip files;
  std::string render_error;
  gint64 render_finished_us = 0;

  VideoView view_at(gint64 now_us) const;
};
