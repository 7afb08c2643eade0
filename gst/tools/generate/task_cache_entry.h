/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The cache entry of a task id: what `sora://video/ID` (soravideosrc
 * video-id=ID) looks up.
 *
 * soravideosrc stores a generated clip under its request's key (the prompt,
 * model, seconds, ...); a later run that names the task by id looks under
 * another key (the server and the id), misses, and downloads the clip again.
 * For an edit made of `sora://video/ID` URIs (a GES project, whose
 * discoverer and renderer each open every clip) that is one download per
 * clip and per open. So once a shot is generated, its clip is entered under
 * the id's key too: a hard link to the same file in the same directory (a
 * copy where links are refused), with the request's record. Both keys then
 * serve the clip from the cache, and nothing is paid or fetched again.
 * Eviction counts the clip once per entry (it reads the records), so a
 * linked clip leaves the cache early rather than late; its bytes leave the
 * disk with the last of its two entries.
 *
 * The id's key and the directory come from make_job_settings(), as the
 * element computes them: the same server settings give the same entry. */
#pragma once

#include "job_settings.h"

#include <optional>
#include <string>

namespace sora::generate {

/* Enters the clip stored for the task `video_id` under the task's own key
 * (unless it is there already) and returns the cached clip's path; nothing
 * and `problem` when the cache holds no clip of that task or cannot be used.
 * `server` gives the connection and the cache directory. */
std::optional<std::string> enter_task_clip(const SourceSettings &server,
                                           const std::string &video_id, std::string *problem);

}  // namespace sora::generate
