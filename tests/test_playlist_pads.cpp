/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soraplaylistsrc's pads as GStreamer users link them: one pad alone (a
 * programme of its video only, or its audio only, as concat and
 * uriplaylistbin users expect), neither; downstream choosing the format
 * (capsfilters after each pad, as for videotestsrc and audiotestsrc), and
 * asking for another one while the programme plays; a format downstream
 * refuses, whose error is the bin's own. Every test measures what came
 * out. */
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

/* Capsfilters after each pad choose the size, rate and format: the clips
 * are I420 320x180 at 30 fps with 48 kHz stereo audio; what comes out is
 * what downstream asked for, timestamps on its frame rate. */
void test_downstream_chooses() {
  Outcome outcome;
  play(
      "p.video ! video/x-raw,format=RGBx,width=640,height=360,framerate=25/1 "
      "! appsink name=vsink sync=false "
      "p.audio ! audio/x-raw,rate=44100,channels=1 ! appsink name=asink sync=false",
      outcome);
  if (!outcome.log.error.empty())
    g_error("%s", outcome.log.error.c_str());
  g_assert_true(outcome.log.eos);
  std::lock_guard<std::mutex> guard(outcome.capture.lock);
  const auto &video = outcome.capture.video;
  g_assert_cmpuint(video.size(), ==, 50); /* 2 s at 25 fps */
  for (size_t i = 0; i < video.size(); i++) {
    sora_assert_str_eq(video[i].format.c_str(), "RGBx");
    g_assert_cmpint(video[i].width, ==, 640);
    g_assert_cmpint(video[i].height, ==, 360);
    g_assert_cmpuint(video[i].pts, ==, i * GST_SECOND / 25);
  }
  g_assert_cmpint(outcome.capture.audio_rate, ==, 44100);
  g_assert_cmpint(outcome.capture.audio_channels, ==, 1);
  const auto &audio = outcome.capture.audio;
  GstClockTime end = audio.back().first + audio.back().second;
  g_assert_cmpuint(audio.front().first, ==, 0);
  g_assert_cmpuint(end, >=, 2 * GST_SECOND - GST_MSECOND);
  g_assert_cmpuint(end, <=, 2 * GST_SECOND + GST_MSECOND);
}

/* A sink that changes its mind: its caps query answers `wanted` (within
 * the filter), and it sends RECONFIGURE upstream when told to. */
struct ChangingSink {
  std::mutex lock;
  GstCaps *wanted = nullptr;
  ~ChangingSink() {
    if (wanted)
      gst_caps_unref(wanted);
  }
};

GstPadProbeReturn answer_caps(GstPad *, GstPadProbeInfo *info, gpointer data) {
  auto *sink = static_cast<ChangingSink *>(data);
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY(info);
  if (GST_QUERY_TYPE(query) != GST_QUERY_CAPS)
    return GST_PAD_PROBE_OK;
  GstCaps *filter = nullptr;
  gst_query_parse_caps(query, &filter);
  std::lock_guard<std::mutex> guard(sink->lock);
  g_autoptr(GstCaps) result =
      filter ? gst_caps_intersect_full(filter, sink->wanted, GST_CAPS_INTERSECT_FIRST)
             : gst_caps_ref(sink->wanted);
  gst_query_set_caps_result(query, result);
  return GST_PAD_PROBE_HANDLED;
}

/* Downstream asks for a smaller picture while the first shot plays (a
 * RECONFIGURE event, as a sink whose window changed sends): the programme
 * changes format at the next shot boundary, exactly, and nowhere else. */
void test_reconfigure_at_shot_boundary() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string playlist = scratch->write("three.json", R"([
    {"prompt": "Reconfigure, first", "seconds": 1, "size": "320x180"},
    {"prompt": "Reconfigure, second", "seconds": 1, "size": "320x180"},
    {"prompt": "Reconfigure, third", "seconds": 1, "size": "320x180"}
  ])");
  GstElement *pipeline =
      launch("soraplaylistsrc name=p location=" + playlist + " " +
             connection(emulator, scratch->fresh_dir("cache")) +
             " p.video ! appsink name=vsink sync=false p.audio ! appsink name=asink sync=false");
  Outcome outcome;
  capture_into(pipeline, outcome.capture);
  ChangingSink changing;
  changing.wanted = gst_caps_from_string("video/x-raw,format=I420,width=320,height=180");
  g_autoptr(GstElement) vsink = gst_bin_get_by_name(GST_BIN(pipeline), "vsink");
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad(vsink, "sink");
  gst_pad_add_probe(sink_pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, answer_caps, &changing, nullptr);
  /* On the programme's thread, as the first shot starts playing: before
   * any of its frames is pushed. */
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  struct Switch {
    ChangingSink *sink;
    GstPad *pad;
  } change{&changing, sink_pad};
  gst_bus_set_sync_handler(
      bus,
      [](GstBus *, GstMessage *message, gpointer data) {
        auto *change = static_cast<Switch *>(data);
        const GstStructure *s = gst_message_get_structure(message);
        guint index = 9;
        if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT && s &&
            gst_structure_has_name(s, "sora-playlist") &&
            g_strcmp0(gst_structure_get_string(s, "state"), "playing") == 0 &&
            gst_structure_get_uint(s, "index", &index) && index == 0) {
          {
            std::lock_guard<std::mutex> guard(change->sink->lock);
            gst_caps_unref(change->sink->wanted);
            change->sink->wanted =
                gst_caps_from_string("video/x-raw,format=I420,width=160,height=90");
          }
          gst_pad_push_event(change->pad, gst_event_new_reconfigure());
        }
        return GST_BUS_PASS;
      },
      &change, nullptr);
  play_to_end(pipeline, outcome.log, 60);
  if (!outcome.log.error.empty())
    g_error("%s", outcome.log.error.c_str());
  g_assert_true(outcome.log.eos);
  std::lock_guard<std::mutex> guard(outcome.capture.lock);
  const auto &video = outcome.capture.video;
  g_assert_cmpuint(video.size(), ==, 90);
  for (size_t i = 0; i < video.size(); i++) {
    int width = i < 30 ? 320 : 160;
    if (video[i].width != width || video[i].height != width * 9 / 16)
      g_error("frame %zu is %dx%d", i, video[i].width, video[i].height);
    g_assert_cmpuint(video[i].pts, ==, gst_util_uint64_scale(i, GST_SECOND, 30));
  }
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
  g_test_add_func("/playlist-pads/downstream-chooses", test_downstream_chooses);
  g_test_add_func("/playlist-pads/reconfigure-at-shot-boundary", test_reconfigure_at_shot_boundary);
  g_test_add_func("/playlist-pads/refused-format-names-the-bin", test_refused_format_names_the_bin);
  return g_test_run();
}
