/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "job_json.h"

#include "json_text.h"
#include "status_words.h"
#include "video_json.h"

namespace {

// What OpenRouter's documentation shows for a finished job; the emulator bills nothing.
constexpr double kJobCost = 0.5;

}  // namespace

JsonNodePtr job_json(const VideoView &video, const DialectSettings &settings) {
  g_autoptr(JsonObject) object = json_object_new();
  json_set_video_id(object, "id", video.id, settings.id_style);
  std::string polling_url = settings.polling_url == PollingUrl::kAbsolute
                                ? video.api_root + video.retrieve_path
                                : video.retrieve_path;
  json_object_set_string_member(object, "polling_url", polling_url.c_str());
  if (!video.status_hidden) {
    json_object_set_string_member(object, "status",
                                  status_word(settings.status_words, video).c_str());
  }
  json_object_set_string_member(object, "generation_id", video.generation_id.c_str());
  json_set_progress(object, video, settings.progress);
  if (video.status == TaskStatus::kCompleted) {
    json_set_download_url(object, video, settings.download);
    JsonObject *usage = json_object_new();
    json_object_set_double_member(usage, "cost", kJobCost);
    json_object_set_boolean_member(usage, "is_byok", FALSE);
    json_object_set_object_member(object, "usage", usage);
  }
  if (video.status == TaskStatus::kFailed) {
    json_set_failure(object, video, settings.failure_field);
  }
  return json_node_from_object(object);
}
