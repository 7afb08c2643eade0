/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* PathStyle: where a server keeps its video tasks.
 *
 * OpenAI and most gateways use {base}/videos; some use the singular
 * {base}/video (seeds/000, 001), and new-api also routes {base}/video/generations.
 * In auto mode the job tries them in that order on a 404 and remembers, for
 * the life of the process, which one each base URL answered, so only the
 * first job against a server pays the extra round trip. A 404 creates
 * nothing, so probing never bills twice. */
#pragma once

#include "core/http_message.h"

#include <optional>
#include <string>

namespace sora {

enum class PathStyle {
  kAuto,
  kVideos,           /* {base}/videos */
  kVideo,            /* {base}/video */
  kVideoGenerations, /* {base}/video/generations */
};

/* "videos", "video" or "video/generations"; auto counts as videos. */
const char *path_style_segment(PathStyle style);

/* The style auto mode tries after `style`, or nullopt after the last. */
std::optional<PathStyle> next_path_style(PathStyle style);

std::optional<PathStyle> remembered_path_style(const std::string &base_url);
void remember_path_style(const std::string &base_url, PathStyle style);
void forget_path_style(const std::string &base_url);

/* Whether a 404 is the API saying an id is unknown (video_not_found,
 * task_not_exist, ...) rather than that it has no such path: only the
 * latter makes auto mode try the next style. */
bool names_missing_entity(const HttpResponse &response);

}  // namespace sora
