/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The words servers use for a task's status. OpenAI says queued, in_progress, completed and
// failed; gateways say processing, succeeded, SUCCESS, failure and many more (DIALECTS.md, the
// "status" row), and a tolerant client must map them all.
#pragma once

#include "dialect_settings.h"
#include "task.h"

#include <string>

// The word for @video's status in the vocabulary @words, in a video or job object. The "mixed"
// vocabulary changes word on every retrieval, so it needs the task's retrieval count. "unknown"
// when the view says so, and a planned end ("cancelled", "expired") in place of the failed word.
std::string status_word(StatusWords words, const VideoView &video);
// The same in new-api's task object, where `newapi_task` words are NOT_START, SUBMITTED,
// QUEUED, IN_PROGRESS, SUCCESS and FAILURE (and UNKNOWN).
std::string task_status_word(StatusWords words, const VideoView &video);
