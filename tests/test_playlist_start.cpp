/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* When a soraplaylistsrc programme starts: gst-launch-1.0 (a real process,
 * as a user runs it) plays as soon as the first shot can, while a later,
 * slow shot is still generating on the emulator, then waits for that shot
 * and plays to its end; a live programme added to a pipeline that has been
 * playing for a while starts at that running time, paced from its start,
 * with one group for its two streams, a stream collection and the latency
 * of its real queue. */
#include "assertions.h"
#include "emulator_process.h"
#include "playlist_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <atomic>
#include <string>

using namespace sora_test;

namespace {

TempDir *scratch;

/* How long the slow shot generates: long enough that nothing else explains
 * a PLAYING before it is done, short enough for the suite. */
constexpr gint64 kSlowShotMs = 8000;

struct TaskState {
  bool found = false;
  bool completed = false;
};

TaskState task_with_prompt(EmulatorProcess &emulator, const std::string &prompt) {
  TaskState state;
  emulator.for_each_task([&](JsonObject *task) {
    if (prompt != json_object_get_string_member(task, "prompt"))
      return;
    state.found = true;
    JsonNode *completed = json_object_get_member(task, "completed_us");
    state.completed = completed && !JSON_NODE_HOLDS_NULL(completed);
  });
  return state;
}

/* gst-launch-1.0 holds a non-live pipeline in PAUSED until the programme's
 * PROGRESS completes: that is once the first shot plays, not once every shot
 * is generated (it was: the whole programme waited for its slowest shot). */
void test_gst_launch_plays_before_the_last_shot() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  emulator.configure(R"({"prompt_rules": [{"prompt_contains": "slow", "generation_ms": )" +
                     std::to_string(kSlowShotMs) + "}]}");
  std::string playlist = scratch->write("three.json", R"([
    {"prompt": "First, quick", "seconds": 1, "size": "320x180"},
    {"prompt": "Second, quick", "seconds": 1, "size": "320x180"},
    {"prompt": "Third, slow", "seconds": 1, "size": "320x180"}
  ])");
  std::string output = scratch->file("gst-launch.txt");
  std::string line =
      "exec gst-launch-1.0 soraplaylistsrc name=p location=" + playlist +
      " validate=false max-parallel=3 cache-dir=" + scratch->fresh_dir("launch-cache") +
      " p.video ! fakesink sync=true p.audio ! fakesink sync=true >" + output + " 2>&1";
  ProcessRun run({"/bin/sh", "-c", line}, user_env(emulator));
  run.start();

  /* Poll its output for the state it reached, and look at the slow task
   * the moment PLAYING shows. */
  std::string text;
  wait_until(
      "gst-launch-1.0 to reach PLAYING or fail",
      [&] {
        g_autofree char *contents = nullptr;
        if (g_file_get_contents(output.c_str(), &contents, nullptr, nullptr))
          text = contents;
        return text.find("Setting pipeline to PLAYING") != std::string::npos ||
               text.find("ERROR") != std::string::npos;
      },
      60);
  TaskState slow = task_with_prompt(emulator, "Third, slow");
  TaskState first = task_with_prompt(emulator, "First, quick");
  g_test_message("gst-launch-1.0 so far:\n%s", text.c_str());
  g_assert_true(text.find("ERROR") == std::string::npos);
  g_assert_true(first.completed);
  g_assert_true(slow.found);
  g_assert_false(slow.completed);

  /* Then it waits for the slow shot and plays the whole programme. */
  ProcessResult result = run.wait(60);
  g_autofree char *contents = nullptr;
  g_assert_true(g_file_get_contents(output.c_str(), &contents, nullptr, nullptr));
  if (!result.exited || result.status != 0)
    g_error("gst-launch-1.0 did not end well:\n%s", contents);
  sora_assert_contains(contents, "Got EOS from element");
  g_assert_true(task_with_prompt(emulator, "Third, slow").completed);
}

GstPadProbeReturn note_group(GstPad *, GstPadProbeInfo *info, gpointer data) {
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT(info);
  guint group = 0;
  if (GST_EVENT_TYPE(event) == GST_EVENT_STREAM_START && gst_event_parse_group_id(event, &group))
    static_cast<std::atomic<guint> *>(data)->store(group);
  return GST_PAD_PROBE_OK;
}

/* A live programme added to a pipeline that has played for 3 s: its first
 * frame is at the running time it started at, and frames are rendered at
 * their pace from there (they were stamped from 0, so the first 3 s of the
 * programme came out at once). */
void test_live_added_to_running_pipeline() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string playlist = scratch->write("live.json", R"([
    {"prompt": "Live, added later, first", "seconds": 1, "size": "320x180"},
    {"prompt": "Live, added later, second", "seconds": 1, "size": "320x180"}
  ])");
  GstElement *pipeline = launch("videotestsrc is-live=true ! fakesink sync=true");
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  g_autoptr(GstClock) clock = gst_pipeline_get_clock(GST_PIPELINE(pipeline));
  auto running_time = [&] {
    return gst_clock_get_time(clock) - gst_element_get_base_time(pipeline);
  };
  wait_until("the pipeline to have played 3 s", [&] { return running_time() >= 3 * GST_SECOND; });

  g_autoptr(GError) error = nullptr;
  GstElement *branch = gst_parse_bin_from_description(
      ("soraplaylistsrc name=p is-live=true location=" + playlist + " " +
       connection(emulator, scratch->fresh_dir("live-cache")) +
       " p.video ! queue ! videoconvert ! video/x-raw,format=I420 ! appsink name=vsink sync=true"
       " p.audio ! queue ! appsink name=asink sync=true")
          .c_str(),
      FALSE, &error);
  g_assert_no_error(error);
  Capture capture;
  capture_into(branch, capture);
  std::atomic<guint> video_group{0}, audio_group{0};
  for (auto [name, group] : {std::pair{"vsink", &video_group}, {"asink", &audio_group}}) {
    g_autoptr(GstElement) sink = gst_bin_get_by_name(GST_BIN(branch), name);
    g_autoptr(GstPad) pad = gst_element_get_static_pad(sink, "sink");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, note_group, group, nullptr);
  }
  gst_bin_add(GST_BIN(pipeline), branch);
  GstClockTime added = running_time();
  g_assert_true(gst_element_sync_state_with_parent(branch));
  wait_until(
      "both shots to play", [&] { return capture.frames() >= 60; }, 60);

  g_autoptr(GstElement) bin = gst_bin_get_by_name(GST_BIN(pipeline), "p");
  g_autoptr(GstPad) video_pad = gst_element_get_static_pad(bin, "video");
  g_autoptr(GstQuery) latency = gst_query_new_latency();
  g_assert_true(gst_pad_query(video_pad, latency));
  gboolean live = FALSE;
  GstClockTime min_latency = 0, max_latency = 0;
  gst_query_parse_latency(latency, &live, &min_latency, &max_latency);

  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  g_autoptr(GstMessage) collected = gst_bus_pop_filtered(bus, GST_MESSAGE_STREAM_COLLECTION);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);

  std::lock_guard<std::mutex> guard(capture.lock);
  const std::vector<Frame> &frames = capture.video;
  GstClockTime first = frames.front().pts;
  g_test_message("added at %.3f s, first frame at %.3f s", added / 1e9, first / 1e9);
  g_assert_cmpuint(first, >=, added);
  g_assert_cmpuint(first, <, added + 500 * GST_MSECOND);
  /* Paced: no frame rendered before its time (less a quarter of a second
   * of scheduling), counted from the first. */
  for (size_t i = 1; i < frames.size(); i++) {
    gint64 wall_us = frames[i].rendered_us - frames.front().rendered_us;
    gint64 pts_us = static_cast<gint64>((frames[i].pts - first) / GST_USECOND);
    if (wall_us + 250 * 1000 < pts_us)
      g_error("frame %zu at %.3f s was rendered %.3f s after the first", i, pts_us / 1e6,
              wall_us / 1e6);
  }
  /* One group for both streams, and their collection. */
  g_assert_cmpuint(video_group.load(), !=, 0);
  g_assert_cmpuint(video_group.load(), ==, audio_group.load());
  g_assert_nonnull(collected);
  sora_assert_str_eq(GST_OBJECT_NAME(GST_MESSAGE_SRC(collected)), "p");
  g_autoptr(GstStreamCollection) collection = nullptr;
  gst_message_parse_stream_collection(collected, &collection);
  g_assert_cmpuint(gst_stream_collection_get_size(collection), ==, 2);
  /* The latency of the real queue: a frame may come 200 ms late, the
   * appsrc holds up to a second more. */
  g_test_message("latency: live %d, min %.3f s, max %.3f s", live, min_latency / 1e9,
                 max_latency / 1e9);
  g_assert_true(live);
  g_assert_cmpuint(min_latency, ==, 200 * GST_MSECOND);
  g_assert_cmpuint(max_latency, ==, min_latency + GST_SECOND);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  TempDir dir;
  scratch = &dir;
  g_test_add_func("/playlist-start/gst-launch-plays-before-the-last-shot",
                  test_gst_launch_plays_before_the_last_shot);
  g_test_add_func("/playlist-start/live-added-to-running-pipeline",
                  test_live_added_to_running_pipeline);
  return g_test_run();
}
