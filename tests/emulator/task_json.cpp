/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "task_json.h"

#include "json_text.h"
#include "status_words.h"
#include "video_json.h"

namespace {

// Illustrative values for the fields of newer releases that describe new-api's own bookkeeping.
constexpr char kPlatform[] = "55";
constexpr gint64 kUserId = 1;
constexpr char kGroup[] = "default";
constexpr gint64 kChannelId = 1;
constexpr gint64 kQuota = 50000;

gint64 or_zero(const std::optional<gint64> &seconds) {
  return seconds.value_or(0);
}

}  // namespace

JsonNodePtr task_json(const VideoView &video, const DialectSettings &settings, bool enveloped) {
  bool newer = settings.task_fields == TaskFields::kNew;
  g_autoptr(JsonObject) task = json_object_new();
  if (newer) {
    json_object_set_int_member(task, "id", static_cast<gint64>(video.sequence));
    json_object_set_int_member(task, "created_at", video.created_at);
    json_object_set_int_member(
        task, "updated_at",
        video.completed_at.value_or(video.started_at.value_or(video.created_at)));
  }
  json_object_set_string_member(task, "task_id", video.id.c_str());
  if (newer) {
    json_object_set_string_member(task, "platform", kPlatform);
    json_object_set_int_member(task, "user_id", kUserId);
    json_object_set_string_member(task, "group", kGroup);
    json_object_set_int_member(task, "channel_id", kChannelId);
    json_object_set_int_member(task, "quota", kQuota);
  }
  json_object_set_string_member(task, "action", "textGenerate");
  if (!video.status_hidden) {
    json_object_set_string_member(task, "status",
                                  task_status_word(settings.status_words, video).c_str());
  }
  json_object_set_string_member(task, "fail_reason",
                                video.error ? video.error->message.c_str() : "");
  if (newer && video.status == TaskStatus::kCompleted) {
    std::string result_url = video.api_root + video.retrieve_path + "/content";
    json_object_set_string_member(task, "result_url", result_url.c_str());
  }
  json_object_set_int_member(task, "submit_time", video.created_at);
  json_object_set_int_member(task, "start_time", or_zero(video.started_at));
  json_object_set_int_member(task, "finish_time", or_zero(video.completed_at));
  // new-api marks a failed task 100% done.
  VideoView progress = video;
  if (video.status == TaskStatus::kFailed) {
    progress.progress = 100;
    progress.exact_progress = 100;
  }
  json_set_progress(task, progress, settings.progress);
  if (newer) {
    json_object_set_object_member(task, "properties", json_object_new());
  }
  json_object_set_null_member(task, "data");
  if (!enveloped) {
    return json_node_from_object(task);
  }
  g_autoptr(JsonObject) envelope = json_object_new();
  json_object_set_string_member(envelope, "code", "success");
  json_object_set_string_member(envelope, "message", "");
  json_object_set_object_member(envelope, "data", json_object_ref(task));
  return json_node_from_object(envelope);
}
