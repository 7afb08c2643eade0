/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-chaos-run: one run of a pipeline for the chaos soak, observed as
 * an application sees it.
 *
 *   sora-chaos-run RESULT.json 'soravideosrc name=src prompt=... ! fakesink'
 *
 * Plays the pipeline until EOS or an error, or until SIGINT or SIGTERM
 * (then it stops the run as an application does: set_state(NULL)), and
 * writes RESULT.json atomically: how the run ended, the error with its
 * details, the video id of the element named "src", every bus message as
 * text, and how long set_state(NULL) took. A run killed with SIGKILL
 * leaves no result: the soak knows it from that. Exit status: 0 after EOS,
 * 1 after an error, 2 when stopped by a signal. The key comes from the
 * environment, never from the pipeline text. */
#include <glib-unix.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <string>
#include <vector>

namespace {

struct Run {
  GMainLoop *loop = nullptr;
  GstElement *pipeline = nullptr;
  std::string outcome = "running"; /* eos, error, interrupted */
  std::string error_domain;
  gint error_code = 0;
  std::string error_message;
  std::string error_debug;
  std::string error_details;
  std::string error_source;
  std::vector<std::string> messages;
  gint64 started_us = 0;
};

std::string structure_text(const GstStructure *s) {
  if (!s)
    return "";
  g_autofree char *text = gst_structure_to_string(s);
  return text;
}

void record(Run &run, GstMessage *message) {
  std::string text = std::string(GST_MESSAGE_TYPE_NAME(message)) + " from " +
                     (GST_MESSAGE_SRC(message) ? GST_OBJECT_NAME(GST_MESSAGE_SRC(message)) : "?");
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_WARNING: {
      g_autoptr(GError) error = nullptr;
      g_autofree char *debug = nullptr;
      const GstStructure *details = nullptr;
      if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
        gst_message_parse_error(message, &error, &debug);
        gst_message_parse_error_details(message, &details);
      } else {
        gst_message_parse_warning(message, &error, &debug);
        gst_message_parse_warning_details(message, &details);
      }
      text += std::string(": ") + error->message + " | " + (debug ? debug : "") + " | " +
              structure_text(details);
      break;
    }
    case GST_MESSAGE_TAG: {
      GstTagList *tags = nullptr;
      gst_message_parse_tag(message, &tags);
      g_autofree char *list = gst_tag_list_to_string(tags);
      text += std::string(": ") + list;
      gst_tag_list_unref(tags);
      break;
    }
    default:
      text += ": " + structure_text(gst_message_get_structure(message));
      break;
  }
  run.messages.push_back(std::move(text));
}

gboolean on_message(GstBus *, GstMessage *message, gpointer data) {
  auto *run = static_cast<Run *>(data);
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_STATE_CHANGED:
    case GST_MESSAGE_STREAM_STATUS:
    case GST_MESSAGE_LATENCY:
    case GST_MESSAGE_ASYNC_DONE:
    case GST_MESSAGE_NEW_CLOCK:
    case GST_MESSAGE_STREAM_START:
    case GST_MESSAGE_DURATION_CHANGED:
      return G_SOURCE_CONTINUE;
    default:
      break;
  }
  record(*run, message);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS && run->outcome == "running") {
    run->outcome = "eos";
    g_main_loop_quit(run->loop);
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR && run->outcome == "running") {
    g_autoptr(GError) error = nullptr;
    g_autofree char *debug = nullptr;
    const GstStructure *details = nullptr;
    gst_message_parse_error(message, &error, &debug);
    gst_message_parse_error_details(message, &details);
    run->outcome = "error";
    run->error_domain = g_quark_to_string(error->domain);
    run->error_code = error->code;
    run->error_message = error->message;
    run->error_debug = debug ? debug : "";
    run->error_details = structure_text(details);
    run->error_source = GST_OBJECT_NAME(GST_MESSAGE_SRC(message));
    g_main_loop_quit(run->loop);
  }
  return G_SOURCE_CONTINUE;
}

gboolean on_signal(gpointer data) {
  auto *run = static_cast<Run *>(data);
  if (run->outcome == "running")
    run->outcome = "interrupted";
  g_main_loop_quit(run->loop);
  return G_SOURCE_CONTINUE;
}

std::string string_property(GstElement *pipeline, const char *element, const char *property) {
  g_autoptr(GstElement) found = gst_bin_get_by_name(GST_BIN(pipeline), element);
  if (!found || !g_object_class_find_property(G_OBJECT_GET_CLASS(found), property))
    return "";
  g_autofree char *value = nullptr;
  g_object_get(found, property, &value, nullptr);
  return value ? value : "";
}

void add_string(JsonBuilder *builder, const char *name, const std::string &value) {
  json_builder_set_member_name(builder, name);
  json_builder_add_string_value(builder, value.c_str());
}

bool write_result(const char *path, const Run &run, const std::string &video_id,
                  const std::string &status, double set_null_ms, gint64 ended_us) {
  g_autoptr(JsonBuilder) builder = json_builder_new();
  json_builder_begin_object(builder);
  add_string(builder, "outcome", run.outcome);
  add_string(builder, "video_id", video_id);
  add_string(builder, "status", status);
  json_builder_set_member_name(builder, "set_null_ms");
  json_builder_add_double_value(builder, set_null_ms);
  json_builder_set_member_name(builder, "started_us");
  json_builder_add_int_value(builder, run.started_us);
  json_builder_set_member_name(builder, "ended_us");
  json_builder_add_int_value(builder, ended_us);
  json_builder_set_member_name(builder, "error");
  if (run.outcome == "error") {
    json_builder_begin_object(builder);
    add_string(builder, "domain", run.error_domain);
    json_builder_set_member_name(builder, "code");
    json_builder_add_int_value(builder, run.error_code);
    add_string(builder, "message", run.error_message);
    add_string(builder, "debug", run.error_debug);
    add_string(builder, "details", run.error_details);
    add_string(builder, "source", run.error_source);
    json_builder_end_object(builder);
  } else {
    json_builder_add_null_value(builder);
  }
  json_builder_set_member_name(builder, "messages");
  json_builder_begin_array(builder);
  for (const std::string &message : run.messages)
    json_builder_add_string_value(builder, message.c_str());
  json_builder_end_array(builder);
  json_builder_end_object(builder);
  g_autoptr(JsonNode) root = json_builder_get_root(builder);
  g_autofree char *text = json_to_string(root, TRUE);
  g_autoptr(GError) error = nullptr;
  if (!g_file_set_contents(path, text, -1, &error)) {
    g_printerr("sora-chaos-run: cannot write %s: %s\n", path, error->message);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  if (argc != 3) {
    g_printerr("usage: sora-chaos-run RESULT.json PIPELINE\n");
    return 3;
  }
  Run run;
  run.started_us = g_get_monotonic_time();
  run.loop = g_main_loop_new(nullptr, FALSE);
  g_unix_signal_add(SIGINT, on_signal, &run);
  g_unix_signal_add(SIGTERM, on_signal, &run);

  g_autoptr(GError) parse_error = nullptr;
  run.pipeline = gst_parse_launch(argv[2], &parse_error);
  if (!run.pipeline) {
    g_printerr("sora-chaos-run: %s\n", parse_error->message);
    return 3;
  }
  GstBus *bus = gst_element_get_bus(run.pipeline);
  gst_bus_add_watch(bus, on_message, &run);
  if (gst_element_set_state(run.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    /* The error is on the bus: let the loop read it. */
    g_timeout_add(
        1000,
        [](gpointer loop) -> gboolean {
          g_main_loop_quit(static_cast<GMainLoop *>(loop));
          return G_SOURCE_REMOVE;
        },
        run.loop);
  }
  g_main_loop_run(run.loop);
  if (run.outcome == "running")
    run.outcome = "error"; /* a state change failed without a message */

  std::string video_id = string_property(run.pipeline, "src", "video-id");
  std::string status = string_property(run.pipeline, "src", "status");
  gint64 before = g_get_monotonic_time();
  gst_element_set_state(run.pipeline, GST_STATE_NULL);
  gint64 after = g_get_monotonic_time();
  /* Messages posted while stopping (CANCELED progress, ...) count too. */
  while (GstMessage *message = gst_bus_pop(bus)) {
    record(run, message);
    gst_message_unref(message);
  }
  gst_bus_remove_watch(bus);
  gst_object_unref(bus);
  bool written = write_result(argv[1], run, video_id, status, (after - before) / 1000.0, after);
  gst_object_unref(run.pipeline);
  g_main_loop_unref(run.loop);
  if (!written)
    return 3;
  return run.outcome == "eos" ? 0 : run.outcome == "error" ? 1 : 2;
}
