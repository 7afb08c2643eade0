/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soraplaylistsrc's pads as GStreamer users link them: one pad alone (a
 * programme of its video only, or its audio only, as concat and
 * uriplaylistbin users expect), neither, and a format downstream refuses;
 * the errors are the bin's own. Every test measures what came out. */
#include "assertions.h"
#include "emulator_process.h"
#include "playlist_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <string>

using namespace sora_test;

namespace {

TempDir *scratch;

/* Two one-second shots: 60 frames, 2 s of audio. */
const char kTwoShots[] = R"([
  {"prompt": "A pad alone, first", "seconds": 1, "size": "320x180"},
  {"prompt": "A pad alone, second", "seconds": 1, "size": "320x180"}
])";

struct Outcome {
  BusLog log;
  Capture capture;
};

/* Plays the two shots into `sinks` (which name the bin's pads p.video and
 * p.audio as they like) to EOS or an error. */
void play(const std::string &sinks, Outcome &outcome, const std::string &extra = "") {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string playlist = scratch->write("two.json", kTwoShots);
  GstElement *pipeline =
      launch("soraplaylistsrc name=p location=" + playlist + " " +
             connection(emulator, scratch->fresh_dir("cache")) + " " + extra + " " + sinks);
  if (!GST_IS_PIPELINE(pipeline)) {
    /* The bin alone: gst_parse_launch() gave the element itself. */
    GstElement *bin = pipeline;
    pipeline = gst_pipeline_new(nullptr);
    gst_bin_add(GST_BIN(pipeline), bin);
  }
  capture_into(pipeline, outcome.capture);
  play_to_end(pipeline, outcome.log, 60);
  g_assert_false(outcome.log.timed_out);
}

/* Only p.video linked: the whole programme's video, no error. (It failed
 * with not-linked from the audio appsrc inside.) */
void test_video_only() {
  Outcome outcome;
  play("p.video ! queue ! videoconvert ! video/x-raw,format=I420 ! appsink name=vsink sync=false",
       outcome);
  if (!outcome.log.error.empty())
    g_error("%s", outcome.log.error.c_str());
  g_assert_true(outcome.log.eos);
  std::lock_guard<std::mutex> guard(outcome.capture.lock);
  g_assert_cmpuint(outcome.capture.video.size(), ==, 60);
  g_assert_cmpuint(outcome.capture.audio.size(), ==, 0);
  for (size_t i = 0; i < outcome.capture.video.size(); i++) {
    const Frame &frame = outcome.capture.video[i];
    g_assert_cmpint(frame.width, ==, 320);
    g_assert_cmpint(frame.height, ==, 180);
    GstClockTime expected = gst_util_uint64_scale(i, GST_SECOND, 30);
    g_assert_cmpuint(frame.pts, ==, expected);
  }
}

/* Only p.audio linked: two seconds of audio without a gap. */
void test_audio_only() {
  Outcome outcome;
  play("p.audio ! queue ! appsink name=asink sync=false", outcome);
  if (!outcome.log.error.empty())
    g_error("%s", outcome.log.error.c_str());
  g_assert_true(outcome.log.eos);
  std::lock_guard<std::mutex> guard(outcome.capture.lock);
  g_assert_cmpuint(outcome.capture.video.size(), ==, 0);
  const auto &audio = outcome.capture.audio;
  g_assert_cmpuint(audio.size(), >, 0);
  g_assert_cmpuint(audio.front().first, ==, 0);
  for (size_t i = 1; i < audio.size(); i++)
    g_assert_cmpuint(audio[i].first, ==, audio[i - 1].first + audio[i - 1].second);
  GstClockTime end = audio.back().first + audio.back().second;
  g_test_message("audio alone: %zu buffers, %.3f s", audio.size(), end / 1e9);
  g_assert_cmpuint(end, >=, 2 * GST_SECOND - kFrame);
  g_assert_cmpuint(end, <=, 2 * GST_SECOND + kFrame);
}

/* Neither pad linked: an error of the bin that says so. */
void test_neither_linked() {
  Outcome outcome;
  play("", outcome);
  g_assert_false(outcome.log.eos);
  sora_assert_str_eq(outcome.log.error_source.c_str(), "p");
  sora_assert_contains(outcome.log.error, "Neither the video nor the audio pad is linked");
}

/* A format the programme cannot make for what is linked: the error is the
 * bin's (it named the appsrc inside, GstAppSrc:video), and says what to
 * do. */
void test_refused_format_names_the_bin() {
  Outcome outcome;
  play("p.video ! video/x-raw,format=RGBx ! fakesink p.audio ! fakesink", outcome,
       "video-caps=video/x-raw,format=I420");
  g_assert_false(outcome.log.eos);
  g_test_message("error: %s", outcome.log.error.c_str());
  sora_assert_str_eq(outcome.log.error_source.c_str(), "p");
  sora_assert_contains(outcome.log.error, "What is linked to the video pad refused");
  sora_assert_contains(outcome.log.error, "format=(string)I420");
  sora_assert_contains(outcome.log.error, "set video-caps");
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  TempDir dir;
  scratch = &dir;
  g_test_add_func("/playlist-pads/video-only", test_video_only);
  g_test_add_func("/playlist-pads/audio-only", test_audio_only);
  g_test_add_func("/playlist-pads/neither-linked", test_neither_linked);
  g_test_add_func("/playlist-pads/refused-format-names-the-bin", test_refused_format_names_the_bin);
  return g_test_run();
}
