/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Application code inside the element's signals: a notify:: handler or a
 * sync bus handler that stops the pipeline returns promptly, with no crash
 * and no critical, and the element runs again after it; a handler that
 * blocks holds up its own source only, never another source of the process
 * (job events arrive on one I/O thread that every source shares; the
 * emissions leave from elsewhere, emission_queue.h). */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include <sys/prctl.h>

#include <condition_variable>
#include <mutex>
#include <string>

using sora_test::EmulatorProcess;

namespace {

/* soravideosrc ! fakesink, counting the bytes that came out. */
struct BytePipeline {
  GstElement *pipeline = nullptr;
  GstElement *src = nullptr;
  guint64 bytes = 0;

  explicit BytePipeline(const EmulatorProcess &emulator, const std::string &extra = "") {
    std::string line = "soravideosrc name=src cache-mode=off " +
                       sora_test::element_props(emulator, extra) + " ! fakesink name=sink";
    pipeline = gst_parse_launch(line.c_str(), nullptr);
    g_assert_nonnull(pipeline);
    src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
    GstPad *pad = gst_element_get_static_pad(sink, "sink");
    gst_pad_add_probe(
        pad, GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad *, GstPadProbeInfo *info, gpointer data) {
          static_cast<BytePipeline *>(data)->bytes +=
              gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info));
          return GST_PAD_PROBE_OK;
        },
        this, nullptr);
    gst_object_unref(pad);
    gst_object_unref(sink);
  }
  ~BytePipeline() {
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(src);
    gst_object_unref(pipeline);
  }

  /* Plays to EOS (true) or an error or 60 s (false). */
  bool play_to_eos() {
    bytes = 0;
    gst_element_set_state(pipeline, GST_STATE_PLAYING);
    GstBus *bus = gst_element_get_bus(pipeline);
    GstMessage *msg = gst_bus_timed_pop_filtered(
        bus, 60 * GST_SECOND, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
    bool eos = msg && GST_MESSAGE_TYPE(msg) == GST_MESSAGE_EOS;
    if (msg)
      gst_message_unref(msg);
    gst_object_unref(bus);
    gst_element_set_state(pipeline, GST_STATE_NULL);
    return eos;
  }
};

std::string current_thread_name() {
  char name[32] = {};
  prctl(PR_GET_NAME, name);
  return name;
}

/* What a handler that stops the pipeline saw. */
struct StopInHandler {
  GstElement *pipeline = nullptr;
  std::mutex lock;
  std::condition_variable done_cond;
  bool done = false;
  GstStateChangeReturn ret = GST_STATE_CHANGE_FAILURE;
  gint64 took_us = 0;
  std::string thread;

  void stop() {
    {
      std::lock_guard<std::mutex> guard(lock);
      if (done || !pipeline)
        return;
    }
    gint64 start = g_get_monotonic_time();
    GstStateChangeReturn r = gst_element_set_state(pipeline, GST_STATE_NULL);
    std::lock_guard<std::mutex> guard(lock);
    ret = r;
    took_us = g_get_monotonic_time() - start;
    thread = current_thread_name();
    done = true;
    done_cond.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> guard(lock);
    g_assert_true(done_cond.wait_for(guard, std::chrono::seconds(60), [this] { return done; }));
  }
};

void on_notify_stop(GObject *, GParamSpec *, gpointer data) {
  static_cast<StopInHandler *>(data)->stop();
}

/* The handler stopped the pipeline from the emissions' thread, at once,
 * and the same pipeline then plays the whole clip. */
void assert_stopped_then_plays(StopInHandler &handler, BytePipeline &p, EmulatorProcess &emulator) {
  handler.wait();
  g_assert_cmpint(handler.ret, ==, GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint(handler.took_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpstr(handler.thread.c_str(), !=, "sora-io");
  handler.pipeline = nullptr; /* the next run is left alone */
  g_assert_true(p.play_to_eos());
  std::string clip = emulator.rendered_clip(emulator.created_video_id());
  GStatBuf st;
  g_assert_cmpint(g_stat(clip.c_str(), &st), ==, 0);
  g_assert_cmpuint(p.bytes, ==, static_cast<guint64>(st.st_size));
}

void stop_from_notify(const char *property) {
  EmulatorProcess emulator({"--generation-ms", "400"});
  BytePipeline p(emulator);
  StopInHandler handler;
  handler.pipeline = p.pipeline;
  std::string signal = std::string("notify::") + property;
  g_signal_connect(p.src, signal.c_str(), G_CALLBACK(on_notify_stop), &handler);
  gst_element_set_state(p.pipeline, GST_STATE_PLAYING);
  assert_stopped_then_plays(handler, p, emulator);
}

void test_stop_from_notify_status() {
  stop_from_notify("status");
}

void test_stop_from_notify_progress() {
  stop_from_notify("progress");
}

void test_stop_from_notify_video_id() {
  stop_from_notify("video-id");
}

/* A sync bus handler (run in the thread that posts) stops the pipeline on
 * the first sora-status message. */
void test_stop_from_sync_bus_handler() {
  EmulatorProcess emulator({"--generation-ms", "400"});
  BytePipeline p(emulator);
  StopInHandler handler;
  handler.pipeline = p.pipeline;
  GstBus *bus = gst_element_get_bus(p.pipeline);
  gst_bus_set_sync_handler(
      bus,
      [](GstBus *, GstMessage *msg, gpointer data) {
        if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ELEMENT &&
            gst_message_has_name(msg, "sora-status"))
          static_cast<StopInHandler *>(data)->stop();
        return GST_BUS_PASS;
      },
      &handler, nullptr);
  gst_element_set_state(p.pipeline, GST_STATE_PLAYING);
  handler.wait();
  gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
  gst_object_unref(bus);
  assert_stopped_then_plays(handler, p, emulator);
}

/* Source A's status handler blocks until source B, in another pipeline of
 * the same process, has played its whole clip. */
void test_slow_handler_stalls_no_other_source() {
  EmulatorProcess emulator({"--generation-ms", "200"});
  BytePipeline a(emulator, "prompt=\"source A\"");
  BytePipeline b(emulator, "prompt=\"source B\"");
  struct Gate {
    std::mutex lock;
    std::condition_variable cond;
    bool entered = false;
    bool open = false;
  } gate;
  g_signal_connect(a.src, "notify::status", G_CALLBACK(+[](GObject *, GParamSpec *, gpointer data) {
                     auto *g = static_cast<Gate *>(data);
                     std::unique_lock<std::mutex> guard(g->lock);
                     g->entered = true;
                     g->cond.notify_all();
                     g->cond.wait_for(guard, std::chrono::seconds(90), [g] { return g->open; });
                   }),
                   &gate);
  gst_element_set_state(a.pipeline, GST_STATE_PLAYING);
  {
    std::unique_lock<std::mutex> guard(gate.lock);
    g_assert_true(
        gate.cond.wait_for(guard, std::chrono::seconds(60), [&] { return gate.entered; }));
  }
  /* A's handler holds its thread: B creates, polls, downloads and plays. */
  bool b_whole = b.play_to_eos();
  bool a_still_held;
  {
    std::lock_guard<std::mutex> guard(gate.lock);
    a_still_held = !gate.open;
    gate.open = true;
    gate.cond.notify_all();
  }
  g_assert_true(a_still_held);
  g_assert_true(b_whole);
  g_assert_cmpuint(b.bytes, >, 0);
  gst_element_set_state(a.pipeline, GST_STATE_NULL);
}

}  // namespace

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  gst_init(&argc, &argv);
  /* A critical or warning anywhere (GStreamer's, GLib's, the plugin's) fails the test. */
  g_log_set_always_fatal(static_cast<GLogLevelFlags>(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING));
  g_test_add_func("/threads/stop-from-notify/status", test_stop_from_notify_status);
  g_test_add_func("/threads/stop-from-notify/progress", test_stop_from_notify_progress);
  g_test_add_func("/threads/stop-from-notify/video-id", test_stop_from_notify_video_id);
  g_test_add_func("/threads/stop-from-sync-bus-handler", test_stop_from_sync_bus_handler);
  g_test_add_func("/threads/slow-handler-stalls-no-other-source",
                  test_slow_handler_stalls_no_other_source);
  return g_test_run();
}
