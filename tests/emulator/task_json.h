/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// new-api's task object (dto.TaskDto, built by TaskModel2Dto), which its task routes answer on
// retrieve in place of a video object, inside {"code": "success", "message": "", "data": ...}
// (relay/relay_task.go). Older releases send task_id, action, status, fail_reason, submit_time,
// start_time, finish_time, progress and data: no id, no URL. Newer ones add a numeric row `id`
// (not the task id), created_at, updated_at, platform, user_id, group, channel_id, quota,
// properties and, once there is one, result_url.
#pragma once

#include "dialect_settings.h"
#include "glib_ptr.h"
#include "task.h"

// @enveloped: inside new-api's {"code": "success", ...} (retrieve_shape `task`), or bare.
JsonNodePtr task_json(const VideoView &video, const DialectSettings &settings, bool enveloped);
