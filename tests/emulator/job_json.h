/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// OpenRouter's job object, the answer to create (202) and to every poll: `id`, `polling_url`
// (the retrieve path, relative as OpenRouter documents it, or absolute), `status` (pending,
// in_progress, completed, failed, cancelled, expired), `generation_id`; once completed
// `unsigned_urls` (the API's own /content?index=0, which needs the key) and `usage`; when failed
// `error` as a plain string. No progress.
#pragma once

#include "dialect_settings.h"
#include "glib_ptr.h"
#include "task.h"

JsonNodePtr job_json(const VideoView &video, const DialectSettings &settings);
