/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The video object a server sends for a task, shaped by the dialect: its status words, progress
// format, id type, download URL field, failure fields and early completed_at. The setters of the
// members that other answer shapes (OpenRouter's job, new-api's task) share are here too.
#pragma once

#include "dialect_settings.h"
#include "glib_ptr.h"
#include "task.h"

#include <string>

JsonNodePtr video_json(const VideoView &video, const DialectSettings &settings);

// Sets an id member: a JSON number for numeric ids, else a string.
void json_set_video_id(JsonObject *object, const char *name, const std::string &id, IdStyle style);

// `progress` in @format (or no member, for `missing`).
void json_set_progress(JsonObject *object, const VideoView &video, ProgressFormat format);
// The failure text in @field: `error` as an object, a code or a plain string, `fail_reason` or
// `message`.
void json_set_failure(JsonObject *object, const VideoView &video, FailureField field);
// Once completed, the download URL in the field @download names (nothing for `content`).
void json_set_download_url(JsonObject *object, const VideoView &video, Download download);
