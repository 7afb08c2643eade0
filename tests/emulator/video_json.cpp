/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "video_json.h"

#include "json_text.h"
#include "status_words.h"

#include <cmath>

namespace {

constexpr int kCoarseSteps[] = {0, 10, 20, 30, 50, 100};

// A misconfigured gateway's own address in result_url: nothing listens there.
constexpr char kUnreachableContentBase[] = "http://localhost:1/v1/videos/";

int coarse_progress(int progress) {
  int step = 0;
  for (int candidate : kCoarseSteps) {
    if (candidate <= progress) {
      step = candidate;
    }
  }
  return step;
}

}  // namespace

void json_set_progress(JsonObject *object, const VideoView &video, ProgressFormat format) {
  switch (format) {
    case ProgressFormat::kFraction:
      // Sixteenths print exactly (0.4375; json-glib prints 0.45 as 0.45000000000000001).
      json_object_set_double_member(object, "progress",
                                    std::floor(video.exact_progress * 16 / 100) / 16);
      break;
    case ProgressFormat::kNull:
      json_object_set_null_member(object, "progress");
      break;
    case ProgressFormat::kFloat:
      // Quarters print exactly (45.25, where 45.3 would print as 45.299999999999997).
      json_object_set_double_member(object, "progress", std::floor(video.exact_progress * 4) / 4);
      break;
    case ProgressFormat::kString:
      json_object_set_string_member(object, "progress",
                                    (std::to_string(video.progress) + "%").c_str());
      break;
    case ProgressFormat::kMissing:
      break;
    case ProgressFormat::kCoarse:
      json_object_set_int_member(object, "progress", coarse_progress(video.progress));
      break;
    case ProgressFormat::kInt:
      json_object_set_int_member(object, "progress", video.progress);
      break;
  }
}

namespace {

// Gateways that set completed_at while the task is still running set it from creation on.
std::optional<gint64> completed_at(const VideoView &video, const DialectSettings &settings) {
  if (settings.early_completed_at && !video.completed_at) {
    return video.created_at;
  }
  return video.completed_at;
}

JsonObject *error_object(const TaskError &error, bool with_message) {
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "code", error.code.c_str());
  if (with_message) {
    json_object_set_string_member(object, "message", error.message.c_str());
  }
  return object;
}

}  // namespace

void json_set_failure(JsonObject *object, const VideoView &video, FailureField field) {
  if (field == FailureField::kErrorString) {
    if (video.error) {
      json_object_set_string_member(object, "error", video.error->message.c_str());
    }
    return;
  }
  bool error_object_field = field == FailureField::kError || field == FailureField::kErrorCodeOnly;
  if (error_object_field && video.error) {
    json_object_set_object_member(object, "error",
                                  error_object(*video.error, field == FailureField::kError));
  } else if (error_object_field) {
    json_object_set_null_member(object, "error");
  } else if (video.error) {
    const char *name = field == FailureField::kFailReason ? "fail_reason" : "message";
    json_object_set_string_member(object, name, video.error->message.c_str());
  }
}

namespace {

// Sets a dotted member path such as "outputs.video_url", making the objects on the way.
void set_at_path(JsonObject *object, const std::string &path, const std::string &value) {
  g_auto(GStrv) keys = g_strsplit(path.c_str(), ".", -1);
  JsonObject *parent = object;
  char **key = keys;
  for (; key[1]; key++) {
    if (!json_object_has_member(parent, *key)) {
      json_object_set_object_member(parent, *key, json_object_new());
    }
    parent = json_object_get_object_member(parent, *key);
  }
  json_object_set_string_member(parent, *key, value.c_str());
}

}  // namespace

void json_set_download_url(JsonObject *object, const VideoView &video, Download download) {
  std::optional<std::string> field = download_url_field(download);
  if (!field || video.status != TaskStatus::kCompleted) {
    return;
  }
  if (download == Download::kUnsignedUrls) {
    JsonArray *urls = json_array_new();
    json_array_add_string_element(urls, video.api_content_url.c_str());
    json_object_set_array_member(object, "unsigned_urls", urls);
  } else if (download == Download::kBrokenResultUrl) {
    g_autofree char *escaped_id = g_uri_escape_string(video.id.c_str(), nullptr, FALSE);
    set_at_path(object, *field, kUnreachableContentBase + std::string(escaped_id) + "/content");
  } else {
    set_at_path(object, *field, video.cdn_url);
  }
}

void json_set_video_id(JsonObject *object, const char *name, const std::string &id, IdStyle style) {
  gint64 number = 0;
  if (style == IdStyle::kNumeric &&
      g_ascii_string_to_signed(id.c_str(), 10, 0, G_MAXINT64, &number, nullptr)) {
    json_object_set_int_member(object, name, number);
  } else {
    json_object_set_string_member(object, name, id.c_str());
  }
}

JsonNodePtr video_json(const VideoView &video, const DialectSettings &settings) {
  g_autoptr(JsonObject) object = json_object_new();
  json_set_video_id(object, "id", video.id, settings.id_style);
  json_object_set_string_member(object, "object", "video");
  json_object_set_string_member(object, "model", video.model.c_str());
  if (!video.status_hidden) {
    json_object_set_string_member(object, "status",
                                  status_word(settings.status_words, video).c_str());
  }
  json_set_progress(object, video, settings.progress);
  json_object_set_int_member(object, "created_at", video.created_at);
  json_set_optional_int(object, "completed_at", completed_at(video, settings));
  json_set_optional_int(object, "expires_at", video.expires_at);
  json_object_set_string_member(object, "prompt", video.prompt.c_str());
  json_object_set_string_member(object, "size", video.size.c_str());
  json_object_set_string_member(object, "seconds", video.seconds.c_str());
  if (video.remixed_from_video_id) {
    json_set_video_id(object, "remixed_from_video_id", *video.remixed_from_video_id,
                      settings.id_style);
  } else {
    json_object_set_null_member(object, "remixed_from_video_id");
  }
  json_set_failure(object, video, settings.failure_field);
  json_set_download_url(object, video, settings.download);
  if (settings.report_cost && video.status == TaskStatus::kCompleted) {
    JsonObject *usage = json_object_new();
    json_object_set_double_member(usage, "cost", *settings.report_cost);
    json_object_set_object_member(object, "usage", usage);
  }
  return json_node_from_object(object);
}
