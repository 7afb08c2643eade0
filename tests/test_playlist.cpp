/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soraplaylistsrc: a programme of generated shots, played against the
 * emulator making clips as real models make them (no audio, 24 fps, a size
 * that was not asked for, a failure, a late shot). Every test measures what
 * came out: decoded frames and their timestamps, what the emulator was
 * asked and when. */
#include "assertions.h"
#include "core/mp4_summary.h"
#include "emulator_process.h"
#include "playlist_run.h"
#include "process_run.h"
#include "temp_dir.h"
#include "threads.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <csignal>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;
using sora_test::wait_until;
using namespace sora_test;  // the programme helpers of playlist_run.h

namespace {

sora_test::TempDir *scratch;

constexpr gint64 kPromptMs = 200;

std::string source_root() {
  const char *root = g_getenv("SORA_SOURCE_ROOT");
  g_assert_nonnull(root);
  return root;
}

/* ---- the emulator's view ---- */

struct TaskSpan {
  std::string prompt;
  gint64 created_us = 0;
  gint64 completed_us = 0; /* G_MAXINT64 while it runs */
};

std::vector<TaskSpan> task_spans(EmulatorProcess &emulator) {
  std::vector<TaskSpan> spans;
  emulator.for_each_task([&spans](JsonObject *task) {
    TaskSpan span;
    span.prompt = json_object_get_string_member(task, "prompt");
    span.created_us = json_object_get_int_member(task, "created_us");
    JsonNode *completed = json_object_get_member(task, "completed_us");
    span.completed_us =
        completed && !JSON_NODE_HOLDS_NULL(completed) ? json_node_get_int(completed) : G_MAXINT64;
    spans.push_back(span);
  });
  return spans;
}

/* The most tasks that were generating at one moment. */
size_t peak_in_flight(const std::vector<TaskSpan> &spans) {
  std::vector<std::pair<gint64, int>> edges;
  for (const TaskSpan &span : spans) {
    edges.emplace_back(span.created_us, +1);
    edges.emplace_back(span.completed_us, -1);
  }
  /* An end and a start at the same microsecond do not overlap. */
  std::sort(edges.begin(), edges.end());
  int now = 0, peak = 0;
  for (const auto &edge : edges) {
    now += edge.second;
    peak = std::max(peak, now);
  }
  return static_cast<size_t>(peak);
}

std::vector<std::string> posted_prompts(EmulatorProcess &emulator) {
  std::vector<std::string> prompts;
  for (const SeenRequest &post : emulator.requests("POST", "/v1/videos"))
    prompts.push_back(post.field("prompt"));
  return prompts;
}

/* ---- checks on a programme ---- */

/* Decodes a file into `capture`, video as I420 at its own size. */
void decode_file(const std::string &path, Capture &capture, const char *demuxer = "decodebin") {
  GstElement *pipeline = launch(std::string("filesrc location=\"") + path + "\" ! " + demuxer +
                                " name=d d. ! queue ! videoconvert ! video/x-raw,format=I420 ! "
                                "appsink name=vsink sync=false d. ! queue ! audioconvert ! "
                                "appsink name=asink sync=false");
  capture_into(pipeline, capture);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  BusLog log;
  read_bus(pipeline, log, 60);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  if (!log.error.empty())
    g_error("decoding %s: %s", path.c_str(), log.error.c_str());
  g_assert_true(log.eos);
}

/* Each shot went queued, generating, ready, playing, done, in that order. */
void check_lifecycle(const BusLog &log, guint shots) {
  const std::vector<std::string> expected = {"queued", "generating", "ready", "playing", "done"};
  for (guint i = 0; i < shots; i++) {
    std::vector<std::string> states = log.states_of(i);
    if (states != expected) {
      std::string seen;
      for (const std::string &s : states)
        seen += s + " ";
      g_error("shot %u went through: %s", i, seen.c_str());
    }
    const GstStructure *done = log.first(i, "done");
    g_assert_true(g_str_has_prefix(gst_structure_get_string(done, "video-id"), "video_"));
  }
}

/* ---- the five-shot programme ---- */

/* Shots as real models make them: portrait among landscape, a 24 fps clip,
 * a silent clip, a clip at a size nobody asked for; one trimmed and one
 * held by `duration`. 1.5 + 1.5 + 1 + 1 + 1 = 6 s. */
const char kFiveShots[] = R"([
  {"prompt": "Title: a sunrise over the sea", "seconds": 2, "size": "1280x720", "duration": 1.5},
  {"prompt": "A lighthouse, portrait", "seconds": 1, "size": "720x1280", "duration": 1.5},
  {"prompt": "A harbour filmed at 24 fps", "seconds": 1, "size": "1280x720",
   "metadata": {"emulator": {"fps": 24}}},
  {"prompt": "A silent street", "seconds": 1, "size": "1280x720",
   "metadata": {"emulator": {"audio": false}}},
  {"prompt": "Closing: a model that ignores size", "seconds": 1, "size": "1280x720",
   "metadata": {"emulator": {"size": "640x480"}}}
])";
constexpr GstClockTime kFiveShotsLength = 6 * GST_SECOND;

void test_five_shots_to_mp4_and_hls() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string dir = scratch->fresh_dir("five");
  std::string playlist = scratch->write("five.json", kFiveShots);
  std::string cache = dir + "/cache";
  std::string source = "soraplaylistsrc name=p max-parallel=2 location=" + playlist + " " +
                       connection(emulator, cache);

  /* An MP4 file, the way the README shows it. */
  std::string mp4 = dir + "/programme.mp4";
  GstElement *pipeline =
      launch(source +
             " p.video ! queue ! x264enc speed-preset=ultrafast ! h264parse ! mp4mux name=mux"
             " ! filesink location=" +
             mp4 + " p.audio ! queue ! audioconvert ! avenc_aac ! aacparse ! mux.");
  std::optional<GstClockTime> queried;
  BusLog log;
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  read_bus(pipeline, log, 120, [&](GstMessage *message) {
    gint64 duration = -1;
    /* The first answer: from the shots' containers, before any has played. */
    if (!queried && GST_MESSAGE_TYPE(message) == GST_MESSAGE_DURATION_CHANGED &&
        gst_element_query_duration(playlist_of(pipeline), GST_FORMAT_TIME, &duration))
      queried = duration;
  });
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  if (!log.error.empty())
    g_error("%s", log.error.c_str());
  g_assert_true(log.eos);
  check_lifecycle(log, 5);
  g_assert_true(queried.has_value());
  g_test_message("duration query: %.3f s", *queried / 1e9);
  g_assert_cmpuint(*queried, ==, kFiveShotsLength);

  Capture file;
  decode_file(mp4, file);
  GstClockTime length = check_continuous(file, 1280, 720);
  g_test_message("programme.mp4: %.3f s for shots adding up to %.3f s", length / 1e9,
                 kFiveShotsLength / 1e9);
  GstClockTime off =
      length > kFiveShotsLength ? length - kFiveShotsLength : kFiveShotsLength - length;
  g_assert_cmpuint(off, <=, kFrame);
  /* Scaled with their aspect ratio kept: the portrait shot (frames 45-89)
   * and the 4:3 one (150-179) have black borders at the sides; the 16:9
   * ones fill the frame (the clips' background is blue). */
  {
    std::lock_guard<std::mutex> guard(file.lock);
    for (size_t i : {10, 120, 135})
      g_assert_cmpint(file.video[i].luma, >, 40);
    for (size_t i : {50, 85, 160})
      g_assert_cmpint(file.video[i].luma, <, 24);
  }

  /* Each shot was generated once, at most max-parallel at a time. */
  std::vector<std::string> prompts = posted_prompts(emulator);
  g_assert_cmpuint(prompts.size(), ==, 5);
  g_assert_cmpuint(std::set<std::string>(prompts.begin(), prompts.end()).size(), ==, 5);
  size_t peak = peak_in_flight(task_spans(emulator));
  g_test_message("peak tasks in flight: %zu (max-parallel=2)", peak);
  g_assert_cmpuint(peak, ==, 2);

  /* HLS: the same programme, every shot from the cache (no new task). */
  std::string hls = dir + "/hls";
  g_mkdir_with_parents(hls.c_str(), 0700);
  /* The raw programme is kept too, to measure it before the encoders. */
  pipeline = launch(source +
                    " video-caps=\"video/x-raw,width=1280,height=720,framerate=30/1\""
                    " p.video ! tee name=vt ! queue ! x264enc speed-preset=ultrafast"
                    " key-int-max=30 ! h264parse ! hls.video"
                    " vt. ! queue ! appsink name=vsink sync=false"
                    " p.audio ! tee name=at ! queue ! audioconvert ! avenc_aac ! aacparse"
                    " ! hls.audio at. ! queue ! appsink name=asink sync=false"
                    " hlssink2 name=hls target-duration=1 max-files=0 playlist-length=0"
                    " location=" +
                    hls + "/segment%05d.ts playlist-location=" + hls + "/programme.m3u8");
  Capture raw;
  capture_into(pipeline, raw);
  BusLog hls_log;
  play_to_end(pipeline, hls_log, 120);
  if (!hls_log.error.empty())
    g_error("%s", hls_log.error.c_str());
  g_assert_true(hls_log.eos);
  g_assert_cmpuint(emulator.create_count(), ==, 5);
  GstClockTime raw_length = check_continuous(raw, 1280, 720);
  g_assert_cmpuint(raw_length, ==, kFiveShotsLength);
  g_assert_cmpuint(raw.audio_end(), ==, kFiveShotsLength);

  g_autofree char *m3u8 = nullptr;
  g_assert_true(g_file_get_contents((hls + "/programme.m3u8").c_str(), &m3u8, nullptr, nullptr));
  double listed = 0;
  std::string joined = dir + "/joined.ts";
  std::string bytes;
  g_auto(GStrv) lines = g_strsplit(m3u8, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    if (g_str_has_prefix(lines[i], "#EXTINF:"))
      listed += g_ascii_strtod(lines[i] + 8, nullptr);
    else if (*lines[i] && lines[i][0] != '#') {
      std::string name = lines[i];
      std::string path = name[0] == '/' ? name : hls + "/" + name;
      g_autofree char *data = nullptr;
      gsize size = 0;
      g_assert_true(g_file_get_contents(path.c_str(), &data, &size, nullptr));
      bytes.append(data, size);
    }
  }
  g_test_message("programme.m3u8 lists %.3f s", listed);
  g_assert_cmpfloat(std::abs(listed - kFiveShotsLength / 1e9), <=, 1.0 / 30 + 0.01);
  g_assert_true(g_file_set_contents(joined.c_str(), bytes.data(), bytes.size(), nullptr));
  Capture segments;
  decode_file(joined, segments);
  GstClockTime start;
  {
    std::lock_guard<std::mutex> guard(segments.lock);
    start = segments.video.front().pts;
  }
  /* MPEG-TS cannot say that AAC's first 1024 samples are the encoder's
   * priming, so the decoded audio is that much longer. */
  GstClockTime hls_length =
      check_continuous(segments, 1280, 720, start, gst_util_uint64_scale(1024, GST_SECOND, 48000));
  g_test_message("HLS segments: %.3f s", hls_length / 1e9);
  off =
      hls_length > kFiveShotsLength ? hls_length - kFiveShotsLength : kFiveShotsLength - hls_length;
  g_assert_cmpuint(off, <=, kFrame);
}

/* ---- failures ---- */

const char kThreeShots[] = R"([
  {"prompt": "First, all is well", "seconds": 1, "size": "320x180"},
  {"prompt": "Second, this one fails", "seconds": 1, "size": "320x180"},
  {"prompt": "Third, all is well again", "seconds": 1, "size": "320x180"}
])";

/* The emulator fails the task whose prompt says so, whenever it comes. */
void fail_second_shot(EmulatorProcess &emulator) {
  emulator.configure(R"({"prompt_rules": [{"prompt_contains": "this one fails",
    "fail": {"code": "moderation_blocked", "message": "Blocked by moderation."}}]})");
}

struct Played {
  BusLog log;
  Capture capture;
};

void play_failing(const char *on_failure, Played &played, EmulatorProcess &emulator) {
  allow_any_request(emulator);
  fail_second_shot(emulator);
  std::string playlist = scratch->write(std::string("three-") + on_failure + ".json", kThreeShots);
  GstElement *pipeline =
      launch("soraplaylistsrc name=p location=" + playlist + " on-failure=" + on_failure + " " +
             connection(emulator, scratch->fresh_dir("fail-cache")) + " " + kCaptureSinks);
  capture_into(pipeline, played.capture);
  play_to_end(pipeline, played.log, 60);
  g_assert_false(played.log.timed_out);
}

std::string failed_video_id(EmulatorProcess &emulator) {
  for (const SeenRequest &post : emulator.requests("POST", "/v1/videos")) {
    if (post.field("prompt") == "Second, this one fails")
      return json_object_get_string_member(post.record, "video_id");
  }
  g_error("the failing shot was never created");
}

void test_failure_error() {
  EmulatorProcess emulator;
  Played played;
  play_failing("error", played, emulator);
  g_assert_false(played.log.eos);
  std::string id = failed_video_id(emulator);
  g_test_message("error: %s", played.log.error.c_str());
  /* The second shot, as users count: from 1. */
  sora_assert_contains(played.log.error, "Shot 2 (");
  sora_assert_contains(played.log.error, "Second, this one fails");
  sora_assert_contains(played.log.error, id);
  sora_assert_contains(played.log.error, "Blocked by moderation.");
  guint index = 9;
  g_assert_true(gst_structure_get_uint(played.log.error_details, "index", &index));
  g_assert_cmpuint(index, ==, 1);
  guint number = 0;
  g_assert_true(gst_structure_get_uint(played.log.error_details, "number", &number));
  g_assert_cmpuint(number, ==, 2);
  /* Posted by the bin, not by an element inside it. */
  sora_assert_str_eq(played.log.error_source.c_str(), "p");
  sora_assert_str_eq(gst_structure_get_string(played.log.error_details, "video-id"), id);
  g_assert_nonnull(played.log.first(1, "failed"));
  /* The key the bin was given is in none of it. */
  g_assert_true(played.log.error.find(kTestKey) == std::string::npos);
  g_autofree char *details = gst_structure_to_string(played.log.error_details);
  g_assert_null(strstr(details, kTestKey));
  for (const GstStructure *s : played.log.shots) {
    g_autofree char *text = gst_structure_to_string(s);
    g_assert_null(strstr(text, kTestKey));
  }
}

/* A shot whose download fails for good after its first bytes were served
 * (its soravideosrc waits in PAUSED, the first buffer prerolled): the
 * programme fails with the shot's error, never hangs. (The chaos soak
 * found it hanging.) */
void test_failure_after_first_bytes() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  emulator.configure(
      R"({"faults":[{"route":"content","times":1,"action":"truncate","after_bytes":20000},)"
      R"({"route":"content","times":-1,"action":"status","status":404}]})");
  std::string playlist = scratch->write(
      "cut-then-gone.json", R"([{"prompt": "Cut, then gone", "seconds": 1, "size": "320x180"}])");
  GstElement *pipeline = launch("soraplaylistsrc name=p location=" + playlist + " " +
                                connection(emulator, scratch->fresh_dir("cut-cache")) +
                                " p.video ! fakesink p.audio ! fakesink");
  BusLog log;
  play_to_end(pipeline, log, 30);
  g_assert_false(log.timed_out);
  sora_assert_contains(log.error, "Shot 1 (");
  sora_assert_contains(log.error, "404");
  sora_assert_str_eq(log.error_source.c_str(), "p");
}

void test_failure_skip() {
  EmulatorProcess emulator;
  Played played;
  play_failing("skip", played, emulator);
  if (!played.log.error.empty())
    g_error("%s", played.log.error.c_str());
  g_assert_true(played.log.eos);
  g_assert_nonnull(played.log.first(1, "skipped"));
  bool warned = false;
  for (const Warning &w : played.log.warnings)
    warned = warned || w.text.find("Shot 2 (") != std::string::npos;
  g_assert_true(warned);
  /* Two seconds: the failed shot took no time. */
  GstClockTime length = check_continuous(played.capture, 320, 180);
  g_assert_cmpuint(length, ==, 2 * GST_SECOND);
  g_assert_cmpuint(played.capture.frames(), ==, 60);
}

/* The slate's card: dark, where every emulator clip is blue. */
bool is_slate(const Frame &frame) {
  return frame.luma < 48;
}

void test_failure_slate() {
  EmulatorProcess emulator;
  Played played;
  play_failing("slate", played, emulator);
  if (!played.log.error.empty())
    g_error("%s", played.log.error.c_str());
  g_assert_true(played.log.eos);
  /* Three seconds: the failed shot's second is the slate's. */
  GstClockTime length = check_continuous(played.capture, 320, 180);
  g_assert_cmpuint(length, ==, 3 * GST_SECOND);
  std::lock_guard<std::mutex> guard(played.capture.lock);
  const std::vector<Frame> &frames = played.capture.video;
  g_assert_cmpuint(frames.size(), ==, 90);
  for (size_t i = 0; i < frames.size(); i++) {
    bool in_slate = i >= 30 && i < 60;
    if (is_slate(frames[i]) != in_slate)
      g_error("frame %zu (luma %d) should %sbe the slate", i, frames[i].luma,
              in_slate ? "" : "not ");
  }
}

/* ---- live ---- */

/* The second shot takes 4 s to generate, far beyond its turn (after 1 s):
 * frames keep coming at the frame rate, the slate shows, then the shot. */
void test_live_late_shot() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  emulator.configure(R"({"prompt_rules": [{"prompt_contains": "late", "generation_ms": 4000}]})");
  std::string playlist = scratch->write("live.json", R"([
    {"prompt": "On time", "seconds": 1, "size": "320x180"},
    {"prompt": "A late shot", "seconds": 1, "size": "320x180"}
  ])");
  GstElement *pipeline = launch(
      "soraplaylistsrc name=p is-live=true location=" + playlist + " " +
      connection(emulator, scratch->fresh_dir("live-cache")) +
      " p.video ! queue ! videoconvert ! video/x-raw,format=I420 ! appsink name=vsink sync=true"
      " p.audio ! queue ! appsink name=asink sync=true");
  Capture capture;
  capture_into(pipeline, capture);
  BusLog log;
  /* A live source: nothing to preroll. */
  g_assert_cmpint(gst_element_set_state(pipeline, GST_STATE_PAUSED), ==,
                  GST_STATE_CHANGE_NO_PREROLL);
  play_to_end(pipeline, log, 60);
  if (!log.error.empty())
    g_error("%s", log.error.c_str());
  g_assert_true(log.eos);

  /* The slate ran until the late shot was there, and said so. */
  std::vector<const Warning *> slates = log.slate_warnings();
  GstClockTime late_start = 0, late_ran = 0;
  for (const Warning *w : slates) {
    guint index = 0;
    gst_structure_get_uint(w->details, "index", &index);
    if (index == 1) {
      gst_structure_get_uint64(w->details, "start", &late_start);
      gst_structure_get_uint64(w->details, "slate-duration", &late_ran);
      g_test_message("%s", w->text.c_str());
    }
  }
  g_test_message("slate before the late shot: %.3f s from %.3f s", late_ran / 1e9,
                 late_start / 1e9);
  g_assert_cmpuint(late_ran, >=, 2 * GST_SECOND);

  std::lock_guard<std::mutex> guard(capture.lock);
  const std::vector<Frame> &frames = capture.video;
  /* Rendered at the frame rate throughout, never waiting for the late shot
   * (3 s): no gap between two frames beyond what a loaded machine's
   * scheduling adds (a quarter of a second), and the wall-clock span of
   * the frames that of their timestamps. */
  gint64 largest_us = 0;
  for (size_t i = 1; i < frames.size(); i++)
    largest_us = std::max(largest_us, frames[i].rendered_us - frames[i - 1].rendered_us);
  g_assert_cmpuint(frames.size(), >=, 2);
  gint64 wall_us = frames.back().rendered_us - frames.front().rendered_us;
  gint64 pts_us = static_cast<gint64>((frames.back().pts - frames.front().pts) / GST_USECOND);
  g_test_message(
      "%zu frames rendered; largest gap between two %.1f ms; %.3f s of frames in "
      "%.3f s",
      frames.size(), largest_us / 1000.0, pts_us / 1e6, wall_us / 1e6);
  g_assert_cmpint(largest_us, <=, 250 * 1000);
  g_assert_cmpint(std::abs(wall_us - pts_us), <=, 250 * 1000);
  /* Timestamps on without a gap, each frame of the slate period a slate,
   * then the shot's own frames. */
  size_t slate_frames = 0, shot_after = 0;
  for (size_t i = 0; i < frames.size(); i++) {
    if (i > 0)
      g_assert_cmpuint(frames[i].pts - frames[i - 1].pts, <=, kFrame + GST_MSECOND);
    bool in_slate = frames[i].pts >= late_start && frames[i].pts < late_start + late_ran;
    if (in_slate) {
      g_assert_true(is_slate(frames[i]));
      slate_frames++;
    } else if (frames[i].pts >= late_start + late_ran) {
      g_assert_false(is_slate(frames[i]));
      shot_after++;
    }
  }
  g_assert_cmpuint(slate_frames, >=, 60);
  g_assert_cmpuint(shot_after, ==, 30);
}

/* ---- a channel: shots appended while it plays ---- */

GValue shot_value(const char *prompt, int seconds) {
  GValue value = G_VALUE_INIT;
  g_value_init(&value, GST_TYPE_STRUCTURE);
  GstStructure *s =
      gst_structure_new("shot", "prompt", G_TYPE_STRING, prompt, "seconds", G_TYPE_INT, seconds,
                        "size", G_TYPE_STRING, "320x180", nullptr);
  g_value_take_boxed(&value, s);
  return value;
}

void test_append_while_playing() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  GstElement *pipeline =
      launch("soraplaylistsrc name=p keep-open=true " +
             connection(emulator, scratch->fresh_dir("append-cache")) + " " + kCaptureSinks);
  GstElement *playlist = playlist_of(pipeline);
  /* The first shot from code, as an application gives it. */
  g_auto(GValue) shots = G_VALUE_INIT;
  g_value_init(&shots, GST_TYPE_ARRAY);
  GValue first = shot_value("The channel opens", 1);
  gst_value_array_append_and_take_value(&shots, &first);
  g_object_set_property(G_OBJECT(playlist), "shots", &shots);
  Capture capture;
  capture_into(pipeline, capture);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);

  BusLog log;
  bool appended = false;
  read_bus(pipeline, log, 60, [&](GstMessage *message) {
    const GstStructure *s = gst_message_get_structure(message);
    if (appended || GST_MESSAGE_TYPE(message) != GST_MESSAGE_ELEMENT ||
        !gst_structure_has_name(s, "sora-playlist") ||
        g_strcmp0(gst_structure_get_string(s, "state"), "playing") != 0)
      return;
    /* The first shot is on air: two more, then no more. */
    appended = true;
    for (const char *prompt : {"Then the news", "And the weather"}) {
      g_autoptr(GstStructure) shot =
          gst_structure_new("shot", "prompt", G_TYPE_STRING, prompt, "seconds", G_TYPE_INT, 1,
                            "size", G_TYPE_STRING, "320x180", nullptr);
      gboolean accepted = FALSE;
      g_signal_emit_by_name(playlist, "append-shot", shot, &accepted);
      g_assert_true(accepted);
    }
    g_signal_emit_by_name(playlist, "end-of-playlist");
  });
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  if (!log.error.empty())
    g_error("%s", log.error.c_str());
  g_assert_true(appended);
  g_assert_true(log.eos);
  check_lifecycle(log, 3);
  GstClockTime length = check_continuous(capture, 320, 180);
  g_assert_cmpuint(length, ==, 3 * GST_SECOND);
  g_assert_cmpuint(emulator.create_count(), ==, 3);

  /* After end-of-playlist, nothing more is taken. */
  GstElement *closed = gst_element_factory_make("soraplaylistsrc", nullptr);
  g_signal_emit_by_name(closed, "end-of-playlist");
  g_autoptr(GstStructure) late = gst_structure_new("shot", "prompt", G_TYPE_STRING, "x", nullptr);
  gboolean accepted = TRUE;
  g_signal_emit_by_name(closed, "append-shot", late, &accepted);
  g_assert_false(accepted);
  gst_object_unref(closed);
}

/* ---- stopping ---- */

/* Threads at work: all of this process's, less the idle ones GLib keeps in
 * its shared pool for reuse (GStreamer's streaming threads return there,
 * still wearing the name of their last task). */
size_t working_threads() {
  return sora_test::thread_names().size() - g_thread_pool_get_num_unused_threads();
}

size_t threads_named_sora() {
  size_t count = 0;
  for (const std::string &name : sora_test::thread_names())
    count += g_str_has_prefix(name.c_str(), "sora-") ? 1 : 0;
  return count;
}

/* set_state(NULL) in the phase `reached` says: under 200 ms, no thread of
 * the run left, no request after it. */
void stop_in_phase(const char *phase, const char *extra_config,
                   const std::function<bool(const BusLog &)> &reached, bool live = false) {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  if (*extra_config)
    emulator.configure(extra_config);
  std::string cache = scratch->fresh_dir("stop-cache");
  std::string playlist = scratch->write(std::string("stop-") + phase + ".json", R"([
    {"prompt": "Shot one", "seconds": 2, "size": "320x180"},
    {"prompt": "Shot two, slow", "seconds": 2, "size": "320x180"},
    {"prompt": "Shot three", "seconds": 2, "size": "320x180"}
  ])");
  std::string sync = live ? "true" : "false";
  size_t baseline = working_threads();
  GstElement *pipeline =
      launch("soraplaylistsrc name=p location=" + playlist + (live ? " is-live=true " : " ") +
             connection(emulator, cache) + " p.video ! queue ! fakesink sync=" + sync +
             " p.audio ! queue ! fakesink sync=" + sync);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  BusLog log;
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
  while (!reached(log)) {
    g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    g_assert_true(log.error.empty() && !log.eos);
    g_autoptr(GstMessage) message = gst_bus_timed_pop(bus, 20 * GST_MSECOND);
    if (!message)
      continue;
    const GstStructure *s = gst_message_get_structure(message);
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT && s &&
        gst_structure_has_name(s, "sora-playlist"))
      log.shots.push_back(gst_structure_copy(s));
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING) {
      const GstStructure *details = nullptr;
      gst_message_parse_warning_details(message, &details);
      log.warnings.push_back({"", details ? gst_structure_copy(details) : nullptr});
    }
  }
  g_assert_cmpuint(threads_named_sora(), >, 0);
  gint64 start = g_get_monotonic_time();
  g_assert_cmpint(gst_element_set_state(pipeline, GST_STATE_NULL), ==, GST_STATE_CHANGE_SUCCESS);
  gint64 took_ms = (g_get_monotonic_time() - start) / 1000;
  g_test_message("%s: set_state(NULL) took %" G_GINT64_FORMAT " ms", phase, took_ms);
  g_assert_cmpint(took_ms, <, kPromptMs);
  /* GStreamer's task threads drop their pad names as they return to the
   * pool; give them the time to. */
  /* Joined by the time set_state returns: the programme's thread and the
   * I/O thread. The streaming threads go back to GLib's pool as their tasks
   * end: give that a moment. */
  g_assert_cmpuint(threads_named_sora(), ==, 0);
  gint64 threads_deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
  while (working_threads() > baseline && g_get_monotonic_time() < threads_deadline)
    g_usleep(10 * 1000);
  if (working_threads() > baseline) {
    std::string names;
    for (const std::string &name : sora_test::thread_names())
      names += name + " ";
    g_error("%s: %zu threads at work after set_state(NULL), %zu before the run: %s", phase,
            working_threads(), baseline, names.c_str());
  }
  size_t seen = emulator.requests().size();
  g_usleep(300 * 1000);
  g_assert_cmpuint(emulator.requests().size(), ==, seen);
  gst_object_unref(pipeline);

  /* What was paid for stays paid for: the same programme again, with the
   * same cache, creates no task that was created before. */
  size_t created = emulator.create_count();
  emulator.configure(R"({"prompt_rules": [], "generation_ms": 300})");
  GstElement *again =
      launch("soraplaylistsrc name=p location=" + playlist + " " + connection(emulator, cache) +
             " p.video ! queue ! fakesink p.audio ! queue ! fakesink");
  gst_element_set_state(again, GST_STATE_PLAYING);
  BusLog again_log;
  read_bus(again, again_log, 60);
  gst_element_set_state(again, GST_STATE_NULL);
  gst_object_unref(again);
  g_assert_true(again_log.eos);
  g_assert_cmpuint(emulator.create_count(), ==, 3);
  g_assert_cmpuint(created, <=, 3);
}

bool has_state(const BusLog &log, guint index, const char *state) {
  return log.first(index, state) != nullptr;
}

/* Shots with a task on the server (a generating message that names it). */
size_t created_shots(const BusLog &log) {
  std::set<guint> created;
  for (const GstStructure *s : log.shots) {
    guint index = 0;
    gst_structure_get_uint(s, "index", &index);
    if (g_strcmp0(gst_structure_get_string(s, "state"), "generating") == 0 &&
        *gst_structure_get_string(s, "video-id"))
      created.insert(index);
  }
  return created.size();
}

void test_stop_generating() {
  /* Long enough to stop in the middle, short enough for the second run to
   * wait for the same tasks. */
  stop_in_phase("generating", R"({"generation_ms": 3000})",
                [](const BusLog &log) { return created_shots(log) == 3; });
}

void test_stop_ready() {
  /* Shot one plays; shots two and three are generated, waiting their turn. */
  stop_in_phase("ready", "", [](const BusLog &log) {
    return has_state(log, 0, "playing") && has_state(log, 2, "ready");
  });
}

void test_stop_playing() {
  stop_in_phase(
      "playing", "", [](const BusLog &log) { return has_state(log, 1, "playing"); }, true);
}

void test_stop_slate() {
  stop_in_phase(
      "slate", R"({"prompt_rules": [{"prompt_contains": "slow", "generation_ms": 4000}]})",
      [](const BusLog &log) { return has_state(log, 0, "done"); }, true);
}

/* ---- settings ---- */

void test_properties() {
  GstElement *p = gst_element_factory_make("soraplaylistsrc", nullptr);
  g_object_set(p, "api-key", "sk-secret-0123456789", "model", "sora-2-pro", "seconds", 8u,
               "cache-mode", 2, "max-parallel", 5u, nullptr);
  g_autofree char *model = nullptr;
  guint seconds = 0, parallel = 0;
  gint cache_mode = 0;
  g_object_get(p, "model", &model, "seconds", &seconds, "cache-mode", &cache_mode, "max-parallel",
               &parallel, nullptr);
  /* The key is write-only on the bin too. */
  GParamSpec *key_spec = g_object_class_find_property(G_OBJECT_GET_CLASS(p), "api-key");
  g_assert_false(key_spec->flags & G_PARAM_READABLE);
  sora_assert_str_eq(model, "sora-2-pro");
  g_assert_cmpuint(seconds, ==, 8);
  g_assert_cmpint(cache_mode, ==, 2);
  g_assert_cmpuint(parallel, ==, 5);
  g_autoptr(GstPad) video = gst_element_get_static_pad(p, "video");
  g_autoptr(GstPad) audio = gst_element_get_static_pad(p, "audio");
  g_assert_nonnull(video);
  g_assert_nonnull(audio);
  gst_object_unref(p);
}

/* A playlist with a mistake fails at once, naming the shot and the key,
 * before any task is created. */
void test_bad_playlist() {
  EmulatorProcess emulator;
  struct Case {
    const char *json;
    const char *says;
  } cases[] = {
      {R"([{"prompt": "ok"}, {"prompt": "x", "colour": "blue"}])",
       "Shot 2: 'colour' is not a soravideosrc property"},
      {R"([{"prompt": "x", "seconds": "eight"}])",
       "Shot 1: 'eight' is not a valid seconds"},
      {R"([{"prompt": "x", "duration": -1}])",
       "Shot 1: 'duration' must be"},
      {R"([{"prompt": "x", "api-key": "sk-in-a-file"}])",
       "Shot 1: 'api-key' cannot be set by a playlist shot"},
      {R"({"prompt": "x"})", "is not a JSON array of shots"},
      {R"([])", "The playlist has no shots"},
      /* json-glib lets a lone surrogate through as bytes that are not UTF-8. */
      {R"([{"prompt": "A harbour \udc00 at dawn"}])",
       "Shot 1: the value of 'prompt' is not valid UTF-8 text"},
  };
  for (const Case &c : cases) {
    std::string path = scratch->write("bad.json", c.json);
    GstElement *pipeline = launch("soraplaylistsrc name=p location=" + path + " " +
                                  connection(emulator, scratch->fresh_dir("bad")) +
                                  " p.video ! fakesink p.audio ! fakesink");
    g_assert_cmpint(gst_element_set_state(pipeline, GST_STATE_PAUSED), ==,
                    GST_STATE_CHANGE_FAILURE);
    BusLog log;
    read_bus(pipeline, log, 5);
    sora_assert_contains(log.error, c.says);
    g_assert_true(log.error.find("sk-in-a-file") == std::string::npos);
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(pipeline);
  }
  g_assert_cmpuint(emulator.create_count(), ==, 0);
}

/* ---- the examples ---- */

std::map<std::string, std::string> example_env(EmulatorProcess &emulator, const char *name) {
  std::map<std::string, std::string> env = sora_test::user_env(emulator, scratch->fresh_dir(name));
  return env;
}

/* examples/live-hls.sh: a live programme to HLS. Run for a few segments,
 * then stopped as a user stops it. */
void test_example_live_hls() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  std::string dir = scratch->fresh_dir("live-hls");
  std::map<std::string, std::string> env = example_env(emulator, "live-hls-cache");
  env["SECONDS_PER_SHOT"] = "1";
  env["PROGRAMME_SIZE"] = "320x180";
  env["SIZE"] = "320x180";
  env["VALIDATE"] = "false";
  ProcessRun run({"bash", source_root() + "/examples/live-hls.sh", dir}, env);
  run.start();
  std::string m3u8 = dir + "/programme.m3u8";
  wait_until(
      "three HLS segments",
      [&] {
        g_autofree char *text = nullptr;
        if (!g_file_get_contents(m3u8.c_str(), &text, nullptr, nullptr))
          return false;
        int segments = 0;
        for (const char *at = text; (at = strstr(at, "#EXTINF:")); at++)
          segments++;
        return segments >= 3;
      },
      60);
  run.send_signal(SIGINT);
  ProcessResult r = run.wait(20);
  g_assert_false(r.timed_out);
  sora_assert_contains(r.out, "Streaming a live programme to " + m3u8);
  /* The first segment decodes, at the programme's size. */
  Capture first;
  decode_file(dir + "/segment00000.ts", first);
  std::lock_guard<std::mutex> guard(first.lock);
  g_assert_cmpuint(first.video.size(), >, 0);
  g_assert_cmpint(first.video.front().width, ==, 320);
}

/* ---- the clip's facts, from its moov ---- */

/* Encodes `frames` of video (and audio, when asked) into an MP4 at `path`. */
void encode_clip(const std::string &path, const char *video_caps, int frames, bool audio,
                 bool faststart) {
  std::string description = std::string("videotestsrc num-buffers=") + std::to_string(frames) +
                            " ! " + video_caps +
                            " ! x264enc speed-preset=ultrafast ! h264parse ! mp4mux name=m "
                            "faststart=" +
                            (faststart ? "true" : "false") + " ! filesink location=" + path;
  if (audio)
    description +=
        " audiotestsrc num-buffers=40 ! audio/x-raw,rate=48000,channels=2 ! "
        "audioconvert ! avenc_aac ! m.";
  g_autoptr(GError) error = nullptr;
  GstElement *pipeline = gst_parse_launch(description.c_str(), &error);
  g_assert_no_error(error);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus *bus = gst_element_get_bus(pipeline);
  GstMessage *end = gst_bus_timed_pop_filtered(
      bus, 60 * GST_SECOND, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  g_assert_nonnull(end);
  g_assert_cmpint(GST_MESSAGE_TYPE(end), ==, GST_MESSAGE_EOS);
  gst_message_unref(end);
  gst_object_unref(bus);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
}

/* What the programme reads from a shot's moov (a millisecond, nothing to
 * cancel) is what a GstDiscoverer's decoding pipeline says (tens of
 * milliseconds that a stop had to wait for: the chaos soak measured
 * set_state(NULL) over 200 ms): size, frame rate, duration; and the video
 * track's own length. */
void test_clip_facts_from_moov() {
  struct Case {
    const char *caps;
    int frames;
    bool audio;
    bool faststart;
  };
  const Case cases[] = {
      {"video/x-raw,width=320,height=180,framerate=30/1", 30, true, false},
      {"video/x-raw,width=160,height=96,framerate=24000/1001", 24, false, true},
      {"video/x-raw,width=200,height=112,framerate=25/1", 50, true, true},
  };
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new(30 * GST_SECOND, nullptr);
  int n = 0;
  for (const Case &c : cases) {
    std::string path = scratch->file("facts-" + std::to_string(n++) + ".mp4");
    encode_clip(path, c.caps, c.frames, c.audio, c.faststart);

    std::optional<sora::Mp4Summary> summary = sora::read_mp4_summary(path);
    g_assert_true(summary.has_value());
    g_assert_true(summary->video.has_value());
    const sora::Mp4VideoTrack &video = *summary->video;

    g_autofree char *uri = g_filename_to_uri(path.c_str(), nullptr, nullptr);
    g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri(discoverer, uri, nullptr);
    g_assert_nonnull(info);
    GList *streams = gst_discoverer_info_get_video_streams(info);
    g_assert_nonnull(streams);
    auto *found = GST_DISCOVERER_VIDEO_INFO(streams->data);
    g_test_message("%s: moov %dx%d %d/%d, %" GST_TIME_FORMAT " (video %" GST_TIME_FORMAT
                   "); discoverer %ux%u %u/%u, %" GST_TIME_FORMAT,
                   c.caps, video.width, video.height, video.fps_n, video.fps_d,
                   GST_TIME_ARGS(summary->duration), GST_TIME_ARGS(video.length),
                   gst_discoverer_video_info_get_width(found),
                   gst_discoverer_video_info_get_height(found),
                   gst_discoverer_video_info_get_framerate_num(found),
                   gst_discoverer_video_info_get_framerate_denom(found),
                   GST_TIME_ARGS(gst_discoverer_info_get_duration(info)));
    g_assert_cmpint(video.width, ==, gst_discoverer_video_info_get_width(found));
    g_assert_cmpint(video.height, ==, gst_discoverer_video_info_get_height(found));
    g_assert_cmpint(video.fps_n, ==, gst_discoverer_video_info_get_framerate_num(found));
    g_assert_cmpint(video.fps_d, ==, gst_discoverer_video_info_get_framerate_denom(found));
    GstClockTime discovered = gst_discoverer_info_get_duration(info);
    g_assert_cmpuint(summary->duration + GST_MSECOND, >=, discovered);
    g_assert_cmpuint(summary->duration, <=, discovered + GST_MSECOND);
    gst_discoverer_stream_info_list_free(streams);

    /* The video's own length: its frames at its rate. */
    GstClockTime frames_length =
        gst_util_uint64_scale(static_cast<guint64>(c.frames) * GST_SECOND,
                              static_cast<guint64>(video.fps_d), static_cast<guint64>(video.fps_n));
    g_assert_cmpuint(video.length + GST_MSECOND, >=, frames_length);
    g_assert_cmpuint(video.length, <=, frames_length + GST_MSECOND);
  }
  /* Not an MP4: nothing, and the programme asks the discoverer. */
  std::string text = scratch->write("not-a-clip.mp4", "plain text, no boxes");
  g_assert_false(sora::read_mp4_summary(text).has_value());
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/playlist/properties", test_properties);
  g_test_add_func("/playlist/clip-facts-from-moov", test_clip_facts_from_moov);
  g_test_add_func("/playlist/bad-playlist", test_bad_playlist);
  g_test_add_func("/playlist/five-shots/mp4-and-hls", test_five_shots_to_mp4_and_hls);
  g_test_add_func("/playlist/on-failure/error", test_failure_error);
  g_test_add_func("/playlist/on-failure/skip", test_failure_skip);
  g_test_add_func("/playlist/on-failure/after-first-bytes", test_failure_after_first_bytes);
  g_test_add_func("/playlist/on-failure/slate", test_failure_slate);
  g_test_add_func("/playlist/live/late-shot", test_live_late_shot);
  g_test_add_func("/playlist/append-shot", test_append_while_playing);
  g_test_add_func("/playlist/stop/generating", test_stop_generating);
  g_test_add_func("/playlist/stop/ready", test_stop_ready);
  g_test_add_func("/playlist/stop/playing", test_stop_playing);
  g_test_add_func("/playlist/stop/slate", test_stop_slate);
  g_test_add_func("/examples/live-hls", test_example_live_hls);
  return g_test_run();
}
