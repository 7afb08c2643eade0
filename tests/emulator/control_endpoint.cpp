/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "control_endpoint.h"

#include "clip_renderer.h"
#include "json_response.h"
#include "json_text.h"

namespace {

void respond_problem(SoupServerMessage *message, guint status, const std::string &problem) {
  g_autoptr(JsonObject) details = json_object_new();
  json_object_set_string_member(details, "message", problem.c_str());
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_object_member(object, "error", json_object_ref(details));
  respond_json(message, status, json_node_from_object(object).get());
}

JsonObject *error_object(const std::optional<TaskError> &error) {
  if (!error) {
    return nullptr;
  }
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "code", error->code.c_str());
  json_object_set_string_member(object, "message", error->message.c_str());
  return object;
}

void set_optional_object(JsonObject *object, const char *name, JsonObject *value) {
  if (value) {
    json_object_set_object_member(object, name, value);
  } else {
    json_object_set_null_member(object, name);
  }
}

JsonNode *copy_or_null(const JsonNodePtr &node) {
  return node ? json_node_copy(node.get()) : json_node_new(JSON_NODE_NULL);
}

JsonArray *segments_array(const ClipSpec &clip) {
  JsonArray *segments = json_array_new();
  for (const ClipSegment &segment : clip.segments) {
    JsonObject *object = json_object_new();
    json_object_set_string_member(object, "prompt", segment.prompt.c_str());
    json_object_set_int_member(object, "seconds", segment.seconds);
    json_array_add_object_element(segments, object);
  }
  return segments;
}

JsonObject *files_object(const RenderedClip &files) {
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "video", files.video_path.c_str());
  json_object_set_string_member(object, "thumbnail", files.thumbnail_path.c_str());
  json_object_set_string_member(object, "spritesheet", files.spritesheet_path.c_str());
  return object;
}

JsonObject *task_object(const Task &task, gint64 now_us) {
  VideoView view = task.view_at(now_us);
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "id", task.id.c_str());
  json_object_set_int_member(object, "sequence", task.sequence);
  json_object_set_string_member(object, "model", task.model.c_str());
  json_object_set_string_member(object, "prompt", task.prompt.c_str());
  json_object_set_string_member(object, "size", task.size.c_str());
  json_object_set_string_member(object, "seconds", view.seconds.c_str());
  json_object_set_string_member(object, "status", task_status_name(view.status));
  json_object_set_int_member(object, "progress", view.progress);
  json_object_set_int_member(object, "created_at", view.created_at);
  json_set_optional_int(object, "completed_at", view.completed_at);
  // Monotonic clock, as the request log's time_us: when the task turned completed (or failed).
  json_set_optional_int(object, "completed_us", view.completed_us);
  json_object_set_int_member(object, "created_us", task.created_us);
  json_set_optional_int(object, "expires_at", view.expires_at);
  json_object_set_boolean_member(object, "content_expired", view.content_expired);
  json_set_optional_string(object, "remixed_from_video_id", task.remixed_from_video_id);
  set_optional_object(object, "error", error_object(view.error));
  set_optional_object(object, "planned_failure", error_object(task.planned_failure));
  json_object_set_array_member(object, "segments", segments_array(task.clip));
  json_object_set_string_member(object, "layout", mp4_layout_name(task.clip.layout));
  json_object_set_int_member(object, "width", task.clip.width);
  json_object_set_int_member(object, "height", task.clip.height);
  json_object_set_int_member(object, "fps", task.clip.fps);
  json_object_set_boolean_member(object, "audio", task.clip.audio);
  json_object_set_string_member(object, "render_key", render_cache_key(task.clip).c_str());
  json_object_set_string_member(object, "render_state", render_state_name(task.render_state));
  json_set_optional_string(
      object, "render_error",
      task.render_error.empty() ? std::nullopt : std::optional(task.render_error));
  set_optional_object(
      object, "files",
      task.render_state == RenderState::kSucceeded ? files_object(task.files) : nullptr);
  json_object_set_int_member(object, "queue_ms", task.queue_us / 1000);
  json_object_set_int_member(object, "generation_ms", task.generation_us / 1000);
  json_object_set_member(object, "metadata", copy_or_null(task.metadata));
  json_object_set_member(object, "input_reference", copy_or_null(task.input_reference));
  json_object_set_boolean_member(object, "cancelled", task.cancelled_us.has_value());
  return object;
}

}  // namespace

ControlEndpoint::ControlEndpoint(EmulatorConfig &config, RequestLog &log, TaskStore &tasks)
    : config_(config), log_(log), tasks_(tasks) {}

void ControlEndpoint::handle(SoupServerMessage *message, const std::vector<std::string> &segments,
                             const RequestBody &body) {
  std::string method = soup_server_message_get_method(message);
  std::string resource = segments.size() == 1 ? segments[0] : "";
  if (resource == "requests" && method == "GET") {
    respond_json(message, SOUP_STATUS_OK, log_.to_json().get());
  } else if (resource == "requests" && method == "DELETE") {
    log_.clear();
    soup_server_message_set_status(message, SOUP_STATUS_NO_CONTENT, nullptr);
  } else if (resource == "config" && method == "GET") {
    respond_json(message, SOUP_STATUS_OK, config_.to_json().get());
  } else if (resource == "config" && method == "POST") {
    update_config(message, body);
  } else if (resource == "tasks" && method == "GET") {
    send_tasks(message);
  } else {
    respond_problem(message, SOUP_STATUS_NOT_FOUND,
                    "unknown control request; see GET|DELETE /_emulator/requests, "
                    "GET|POST /_emulator/config, GET /_emulator/tasks");
  }
}

// expire_now is an action on one task rather than a setting, so it is taken out of the patch.
void ControlEndpoint::update_config(SoupServerMessage *message, const RequestBody &body) {
  if (body.kind != BodyKind::kJson || !body.json || !JSON_NODE_HOLDS_OBJECT(body.json.get())) {
    respond_problem(message, SOUP_STATUS_BAD_REQUEST, "the body must be a JSON object");
    return;
  }
  JsonNodePtr patch = json_node_clone(body.json.get());
  JsonObject *settings = json_node_get_object(patch.get());
  Task *expiring = nullptr;
  if (json_object_has_member(settings, "expire_now")) {
    const char *video_id = json_object_get_string_member_with_default(settings, "expire_now", "");
    expiring = tasks_.find(video_id);
    if (!expiring) {
      respond_problem(message, SOUP_STATUS_BAD_REQUEST,
                      std::string("'expire_now': no video with id '") + video_id + "'");
      return;
    }
    json_object_remove_member(settings, "expire_now");
  }
  if (std::optional<std::string> problem = config_.merge_json(settings)) {
    respond_problem(message, SOUP_STATUS_BAD_REQUEST, *problem);
    return;
  }
  if (expiring) {
    expiring->expires_at_override = g_get_real_time() / G_USEC_PER_SEC - 1;
  }
  respond_json(message, SOUP_STATUS_OK, config_.to_json().get());
}

void ControlEndpoint::send_tasks(SoupServerMessage *message) const {
  g_autoptr(JsonArray) array = json_array_new();
  gint64 now_us = g_get_monotonic_time();
  for (const Task *task : tasks_.in_creation_order()) {
    json_array_add_object_element(array, task_object(*task, now_us));
  }
  respond_json(message, SOUP_STATUS_OK, json_node_from_array(array).get());
}
