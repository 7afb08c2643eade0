/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Seeking in a soraplaylistsrc programme as a player does: flushing TIME
 * seeks, accurate and key-unit, into the middle of a later shot (the first
 * buffer at the position, no gap after, EOS at the end), into a shot still
 * generating (the seek waits for it), and refused by a live programme. */
#include "assertions.h"
#include "emulator_process.h"
#include "playlist_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <string>

using namespace sora_test;

namespace {

TempDir *scratch;

/* Four one-second shots: 4 s, 120 frames. */
const char kFourShots[] = R"([
  {"prompt": "Seek, one", "seconds": 1, "size": "320x180"},
  {"prompt": "Seek, two", "seconds": 1, "size": "320x180"},
  {"prompt": "Seek, three", "seconds": 1, "size": "320x180"},
  {"prompt": "Seek, four", "seconds": 1, "size": "320x180"}
])";

/* Waits for the pipeline's ASYNC_DONE (preroll) or an error. */
void wait_prerolled(GstElement *pipeline, guint timeout_s) {
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered(
      bus, timeout_s * GST_SECOND,
      static_cast<GstMessageType>(GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR));
  g_assert_nonnull(message);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    g_autoptr(GError) error = nullptr;
    gst_message_parse_error(message, &error, nullptr);
    g_error("%s", error->message);
  }
}

/* The programme of `playlist` into the capture sinks, prerolled. */
GstElement *prerolled(const EmulatorProcess &emulator, const std::string &playlist,
                      Capture &capture) {
  GstElement *pipeline =
      launch("soraplaylistsrc name=p location=" + playlist + " " +
             connection(emulator, scratch->fresh_dir("cache")) + " " + kCaptureSinks);
  capture_into(pipeline, capture);
  gst_element_set_state(pipeline, GST_STATE_PAUSED);
  wait_prerolled(pipeline, 60);
  return pipeline;
}

/* Video from `position` to `end` without a gap, audio the same. */
void check_from(Capture &capture, GstClockTime position, GstClockTime end) {
  std::lock_guard<std::mutex> guard(capture.lock);
  const auto &video = capture.video;
  g_assert_cmpuint(video.size(), >, 0);
  g_test_message("after the seek: %zu frames from %.3f s to %.3f s", video.size(),
                 video.front().pts / 1e9, (video.back().pts + video.back().duration) / 1e9);
  g_assert_cmpuint(video.front().pts, ==, position);
  for (size_t i = 1; i < video.size(); i++) {
    if (video[i].pts != video[i - 1].pts + video[i - 1].duration)
      g_error("a gap before frame %zu at %.3f s", i, video[i].pts / 1e9);
  }
  g_assert_cmpuint(video.back().pts + video.back().duration, ==, end);
  g_assert_cmpuint(video.size(), ==, (end - position) / kFrame);
  const auto &audio = capture.audio;
  g_assert_cmpuint(audio.size(), >, 0);
  g_assert_cmpuint(audio.front().first, ==, position);
  for (size_t i = 1; i < audio.size(); i++)
    g_assert_cmpuint(audio[i].first, ==, audio[i - 1].first + audio[i - 1].second);
  GstClockTime audio_end = audio.back().first + audio.back().second;
  g_assert_cmpuint(audio_end, >=, end - GST_MSECOND);
  g_assert_cmpuint(audio_end, <=, end + GST_MSECOND);
}

/* Prerolls the four shots, seeks to `position` with `flags`, plays to EOS. */
void seek_and_play(GstClockTime position, GstSeekFlags flags) {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string playlist = scratch->write("four.json", kFourShots);
  Capture capture;
  GstElement *pipeline = prerolled(emulator, playlist, capture);

  g_autoptr(GstQuery) seeking = gst_query_new_seeking(GST_FORMAT_TIME);
  g_assert_true(gst_element_query(pipeline, seeking));
  gboolean seekable = FALSE;
  gst_query_parse_seeking(seeking, nullptr, &seekable, nullptr, nullptr);
  g_assert_true(seekable);

  g_assert_true(gst_element_seek_simple(pipeline, GST_FORMAT_TIME,
                                        static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | flags),
                                        static_cast<gint64>(position)));
  wait_prerolled(pipeline, 60);
  gint64 at = -1, duration = -1;
  g_assert_true(gst_element_query_position(pipeline, GST_FORMAT_TIME, &at));
  /* Known once every shot is generated (the last may still be). */
  wait_until(
      "the duration",
      [&] { return gst_element_query_duration(pipeline, GST_FORMAT_TIME, &duration); }, 30);
  g_test_message("after the seek: position %.3f s, duration %.3f s", at / 1e9, duration / 1e9);
  g_assert_cmpint(at, ==, static_cast<gint64>(position));
  g_assert_cmpint(duration, ==, static_cast<gint64>(4 * GST_SECOND));

  BusLog log;
  play_to_end(pipeline, log, 60);
  if (!log.error.empty())
    g_error("%s", log.error.c_str());
  g_assert_true(log.eos);
  check_from(capture, position, 4 * GST_SECOND);
}

/* The middle of the third shot, accurately: frame 75 first. */
void test_accurate_into_third_shot() {
  seek_and_play(2500 * GST_MSECOND, GST_SEEK_FLAG_ACCURATE);
}

/* Every frame of raw video is a key unit: the same, at 1.5 s. */
void test_key_unit() {
  seek_and_play(1500 * GST_MSECOND,
                static_cast<GstSeekFlags>(GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_BEFORE));
}

/* A seek into the third shot while it is still generating: the seek
 * waits for it (the pipeline prerolls once it is there), then plays from
 * the position. */
void test_into_a_shot_still_generating() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  emulator.configure(R"({"prompt_rules": [{"prompt_contains": "slow", "generation_ms": 5000}]})");
  std::string playlist = scratch->write("slow.json", R"([
    {"prompt": "Seek ahead, one", "seconds": 1, "size": "320x180"},
    {"prompt": "Seek ahead, two", "seconds": 1, "size": "320x180"},
    {"prompt": "Seek ahead, three, slow", "seconds": 1, "size": "320x180"}
  ])");
  Capture capture;
  GstElement *pipeline = prerolled(emulator, playlist, capture);
  bool slow_done = false;
  auto slow_completed = [&] {
    bool completed = false;
    emulator.for_each_task([&](JsonObject *task) {
      JsonNode *end = json_object_get_member(task, "completed_us");
      if (g_str_has_suffix(json_object_get_string_member(task, "prompt"), "slow"))
        completed = end && !JSON_NODE_HOLDS_NULL(end);
    });
    return completed;
  };
  slow_done = slow_completed();
  g_assert_false(slow_done);
  g_assert_true(gst_element_seek_simple(
      pipeline, GST_FORMAT_TIME,
      static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE),
      static_cast<gint64>(2500 * GST_MSECOND)));
  wait_prerolled(pipeline, 60);
  /* Prerolled at the position: the slow shot was there by then. */
  g_assert_true(slow_completed());
  BusLog log;
  play_to_end(pipeline, log, 60);
  if (!log.error.empty())
    g_error("%s", log.error.c_str());
  g_assert_true(log.eos);
  check_from(capture, 2500 * GST_MSECOND, 3 * GST_SECOND);
}

/* set_state(NULL) while a seek waits for a shot still generating: as
 * prompt as in every other phase (the stop tests of test_playlist). */
void test_stop_while_a_seek_waits() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  emulator.configure(R"({"prompt_rules": [{"prompt_contains": "slow", "generation_ms": 20000}]})");
  std::string playlist = scratch->write("stop.json", R"([
    {"prompt": "Stop in a seek, one", "seconds": 1, "size": "320x180"},
    {"prompt": "Stop in a seek, two, slow", "seconds": 1, "size": "320x180"}
  ])");
  Capture capture;
  GstElement *pipeline = prerolled(emulator, playlist, capture);
  g_assert_true(gst_element_seek_simple(pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH,
                                        static_cast<gint64>(1500 * GST_MSECOND)));
  gint64 start = g_get_monotonic_time();
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gint64 took_ms = (g_get_monotonic_time() - start) / 1000;
  gst_object_unref(pipeline);
  g_test_message("set_state(NULL) while the seek waits took %" G_GINT64_FORMAT " ms", took_ms);
  g_assert_cmpint(took_ms, <, 200);
}

/* A live programme is not seekable, as live sources are not. */
void test_live_refuses() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string playlist = scratch->write("live.json", kFourShots);
  GstElement *pipeline = launch("soraplaylistsrc name=p is-live=true location=" + playlist + " " +
                                connection(emulator, scratch->fresh_dir("cache")) +
                                " p.video ! fakesink p.audio ! fakesink");
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  g_assert_cmpint(gst_element_get_state(pipeline, nullptr, nullptr, 10 * GST_SECOND), !=,
                  GST_STATE_CHANGE_FAILURE);
  g_autoptr(GstQuery) seeking = gst_query_new_seeking(GST_FORMAT_TIME);
  gboolean seekable = TRUE;
  if (gst_element_query(pipeline, seeking))
    gst_query_parse_seeking(seeking, nullptr, &seekable, nullptr, nullptr);
  else
    seekable = FALSE;
  g_assert_false(seekable);
  g_assert_false(gst_element_seek_simple(pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH,
                                         static_cast<gint64>(GST_SECOND)));
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  TempDir dir;
  scratch = &dir;
  g_test_add_func("/playlist-seek/accurate-into-third-shot", test_accurate_into_third_shot);
  g_test_add_func("/playlist-seek/key-unit", test_key_unit);
  g_test_add_func("/playlist-seek/into-a-shot-still-generating", test_into_a_shot_still_generating);
  g_test_add_func("/playlist-seek/stop-while-a-seek-waits", test_stop_while_a_seek_waits);
  g_test_add_func("/playlist-seek/live-refuses", test_live_refuses);
  return g_test_run();
}
