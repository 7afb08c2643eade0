/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-render: a small command-line renderer built on soravideosrc.
 *
 *   sora-render [--seconds=N] [--size=WxH] [--model=NAME] [--image=FILE] PROMPT OUTPUT.mp4
 *
 * Prompt in, MP4 out, with a progress bar on the terminal. The pipeline is
 * `soravideosrc location=OUTPUT ! fakesink`: the element writes the file
 * atomically (the whole clip or nothing), so an interrupted run never leaves
 * a half-written OUTPUT behind.
 *
 * Ctrl-C (or SIGTERM) sets the pipeline to NULL, which returns at once and
 * leaves no thread, connection or partial file behind. The task itself goes
 * on on the server: it is paid for, so it is not thrown away. The element's
 * cache journal remembers it, and running the same command again picks it up
 * where it is (no second POST, no second charge).
 *
 * Needs OPENAI_API_KEY (and OPENAI_BASE_URL for a gateway) and the plugin on
 * GST_PLUGIN_PATH. Exit status: 0 done, 1 failed, 2 usage, 130 interrupted.
 */
#include <gst/gst.h>

#include <glib-unix.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

constexpr int kBarWidth = 40;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

struct Renderer {
  GMainLoop *loop = nullptr;
  std::string output;
  std::string video_id;
  std::string last_line;
  bool tty = false;
  bool bar_open = false;
  int status = 0;
};

/* percent -1: the server reports no progress (OpenRouter); shown as "?". */
void draw_bar(Renderer &r, const char *phase, int percent, const char *text) {
  percent = CLAMP(percent, -1, 100);
  int filled = MAX(percent, 0) * kBarWidth / 100;
  std::string line = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] ";
  char figures[32];
  if (percent < 0)
    g_snprintf(figures, sizeof figures, "   ? %-11s ", phase);
  else
    g_snprintf(figures, sizeof figures, "%3d%% %-11s ", percent, phase);
  line += figures;
  line += text ? text : "";
  if (line == r.last_line)
    return;
  r.last_line = line;
  if (r.tty) {
    /* Redrawn in place; the line is cut to the usual terminal width. */
    line.resize(100, ' ');
    fprintf(stderr, "\r%s", line.c_str());
    r.bar_open = true;
  } else {
    fprintf(stderr, "%s\n", line.c_str());
  }
  fflush(stderr);
}

void close_bar(Renderer &r) {
  if (r.bar_open)
    fputc('\n', stderr);
  r.bar_open = false;
}

gboolean on_message(GstBus *, GstMessage *message, gpointer data) {
  Renderer &r = *static_cast<Renderer *>(data);
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_PROGRESS: {
      const GstStructure *s = gst_message_get_structure(message);
      const char *id = gst_structure_get_string(s, "video-id");
      if (id && *id)
        r.video_id = id;
      gint percent = 0;
      gst_structure_get_int(s, "percent", &percent);
      const char *phase = gst_structure_get_string(s, "phase");
      draw_bar(r, phase ? phase : "", percent, gst_structure_get_string(s, "text"));
      break;
    }
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure(message);
      if (gst_structure_has_name(s, "sora-cache") &&
          g_strcmp0(gst_structure_get_string(s, "event"), "hit") == 0)
        draw_bar(r, "cache", 100, "already generated: served from the cache");
      break;
    }
    case GST_MESSAGE_EOS:
      close_bar(r);
      printf("Saved %s (task %s)\n", r.output.c_str(), r.video_id.c_str());
      g_main_loop_quit(r.loop);
      break;
    case GST_MESSAGE_ERROR: {
      g_autoptr(GError) error = nullptr;
      g_autofree char *debug = nullptr;
      gst_message_parse_error(message, &error, &debug);
      close_bar(r);
      fprintf(stderr, "Error: %s\n", error->message);
      if (!r.video_id.empty())
        fprintf(stderr, "Task: %s\n", r.video_id.c_str());
      r.status = kExitFailed;
      g_main_loop_quit(r.loop);
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

gboolean on_interrupt(gpointer data) {
  Renderer &r = *static_cast<Renderer *>(data);
  r.status = kExitInterrupted;
  g_main_loop_quit(r.loop);
  return G_SOURCE_CONTINUE;
}

}  // namespace

int main(int argc, char **argv) {
  int seconds = 0;
  g_autofree char *size = nullptr;
  g_autofree char *model = nullptr;
  g_autofree char *image = nullptr;
  GOptionEntry entries[] = {
      {"seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Clip length in seconds (server default)",
       "N"},
      {"size", 0, 0, G_OPTION_ARG_STRING, &size, "Resolution, e.g. 1280x720", "WxH"},
      {"model", 'm', 0, G_OPTION_ARG_STRING, &model, "Model name", "NAME"},
      {"image", 'i', 0, G_OPTION_ARG_FILENAME, &image, "Reference image for the first frame",
       "FILE"},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
  };
  g_autoptr(GOptionContext) context = g_option_context_new("PROMPT OUTPUT.mp4");
  g_option_context_set_summary(context, "Generate a video clip from a text prompt.");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_option_context_add_group(context, gst_init_get_option_group());
  g_autoptr(GError) error = nullptr;
  if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 3) {
    g_autofree char *help = g_option_context_get_help(context, TRUE, nullptr);
    fprintf(stderr, "%s%s%s", error ? error->message : "", error ? "\n\n" : "", help);
    return kExitUsage;
  }

  g_autoptr(GstElement) pipeline = gst_pipeline_new("sora-render");
  GstElement *src = gst_element_factory_make("soravideosrc", "src");
  GstElement *sink = gst_element_factory_make("fakesink", nullptr);
  if (!src || !sink) {
    fprintf(stderr, "Error: the soravideosrc plugin is not installed (check GST_PLUGIN_PATH)\n");
    if (src)
      gst_object_unref(src);
    if (sink)
      gst_object_unref(sink);
    return kExitFailed;
  }
  gst_bin_add_many(GST_BIN(pipeline), src, sink, nullptr);
  gst_element_link(src, sink);
  g_object_set(src, "prompt", argv[1], "location", argv[2], nullptr);
  if (seconds > 0)
    g_object_set(src, "seconds", seconds, nullptr);
  if (size)
    g_object_set(src, "size", size, nullptr);
  if (model)
    g_object_set(src, "model", model, nullptr);
  if (image)
    g_object_set(src, "input-reference", image, nullptr);

  Renderer r;
  r.output = argv[2];
  r.tty = isatty(STDERR_FILENO);
  r.loop = g_main_loop_new(nullptr, FALSE);
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  gst_bus_add_watch(bus, on_message, &r);
  guint sigint = g_unix_signal_add(SIGINT, on_interrupt, &r);
  guint sigterm = g_unix_signal_add(SIGTERM, on_interrupt, &r);

  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    /* The reason is on the bus; let the watch print it. */
    r.status = kExitFailed;
    g_autoptr(GstMessage) msg =
        gst_bus_timed_pop_filtered(bus, 0, static_cast<GstMessageType>(GST_MESSAGE_ERROR));
    if (msg)
      on_message(bus, msg, &r);
  } else {
    g_main_loop_run(r.loop);
  }

  /* NULL stops polling and downloading at once and joins every thread. */
  gst_element_set_state(pipeline, GST_STATE_NULL);
  if (r.status == kExitInterrupted) {
    close_bar(r);
    if (!r.video_id.empty())
      fprintf(stderr,
              "Interrupted. Task %s goes on on the server; run the same command again to pick "
              "it up without paying twice.\n",
              r.video_id.c_str());
    else
      fprintf(stderr, "Interrupted before a task was created.\n");
  }

  g_source_remove(sigint);
  g_source_remove(sigterm);
  gst_bus_remove_watch(bus);
  g_main_loop_unref(r.loop);
  return r.status;
}
