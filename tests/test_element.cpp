/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc end to end against the emulator: every frame decoded, the
 * request the server saw, one POST per run, both MP4 layouts, a seek, the
 * reference image upload, each error, and the bus messages. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "core/mp4_check.h"
#include "pipeline_run.h"
#include "temp_dir.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

using sora_test::assert_whole_clip;
using sora_test::EmulatorProcess;
using sora_test::kPrompt;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::SeenRequest;

namespace {

sora_test::TempDir *scratch;

void test_frames(int width, int height) {
  EmulatorProcess emulator;
  std::string size = std::to_string(width) + "x" + std::to_string(height);
  PipelineRun run(sora_test::decode_pipeline(
      sora_test::element_props(emulator, "model=sora-2 seconds=4 size=" + size)));
  PipelineResult r = run.play();
  assert_whole_clip(r, width, height);
  g_test_message("%s: %u video frames, %.3f s of audio, first frame after %.0f ms", size.c_str(),
                 r.video_frames, r.audio_duration / 1e9, r.time_to_first_frame / 1e6);
}

void test_frames_portrait() {
  test_frames(720, 1280);
}

void test_frames_landscape() {
  test_frames(1280, 720);
}

void test_post_fields() {
  EmulatorProcess emulator;
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "seconds=8 size=1280x720")));
  PipelineResult r = run.play();
  g_assert_true(r.eos);
  g_assert_cmpuint(r.video_frames, ==, 240);

  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(posts.size(), ==, 1);
  const SeenRequest &post = posts[0];
  sora_assert_str_eq(post.body_kind, "multipart");
  g_assert_true(g_str_has_prefix(post.content_type.c_str(), "multipart/form-data"));
  sora_assert_str_eq(post.authorization, (std::string("Bearer ") + kTestKey));
  sora_assert_str_eq(post.field("prompt", "value"), kPrompt);
  sora_assert_str_eq(post.field("prompt", "kind"), "text");
  sora_assert_str_eq(post.field("model", "value"), "sora-2");
  /* seconds travels as a string: a text part holding "8". */
  sora_assert_str_eq(post.field("seconds", "kind"), "text");
  sora_assert_str_eq(post.field("seconds", "value"), "8");
  sora_assert_str_eq(post.field("size", "value"), "1280x720");
  sora_assert_str_eq(post.field("input_reference", "kind"), "<absent>");

  /* The rest of the job: polls and one download, all with the key. */
  std::string id = json_object_get_string_member(post.record, "video_id");
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id).size(), >=, 1);
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id + "/content").size(), ==, 1);
  for (const SeenRequest &seen : emulator.requests())
    sora_assert_str_eq(seen.authorization, (std::string("Bearer ") + kTestKey));

  gchar *video_id = nullptr;
  g_object_get(run.element("src"), "video-id", &video_id, nullptr);
  g_assert_cmpstr(video_id, ==, id.c_str());
  g_free(video_id);
}

void test_one_post_per_run() {
  EmulatorProcess emulator;
  /* decodebin's typefind activates the source in pull mode, deactivates it
   * and activates it again: still one task. */
  PipelineRun decode(sora_test::decode_pipeline(sora_test::element_props(emulator)));
  assert_whole_clip(decode.play(), 720, 1280);
  g_assert_cmpuint(emulator.create_count(), ==, 1);

  /* qtdemux straight after the source, no typefind: one task too. */
  EmulatorProcess direct;
  PipelineRun demux("soravideosrc cache-mode=off " + sora_test::element_props(direct) +
                    " ! qtdemux ! h264parse ! avdec_h264 ! fakesink name=vsink sync=false");
  PipelineResult r = demux.play();
  g_assert_true(r.eos);
  g_assert_cmpuint(r.video_frames, ==, 120);
  g_assert_cmpuint(direct.create_count(), ==, 1);
}

/* Push mode, and what a second run of the same element costs. */
void test_replay_same_element() {
  EmulatorProcess emulator;
  std::string out = scratch->file("pushed.mp4");
  PipelineRun run("soravideosrc name=src cache-mode=off " + sora_test::element_props(emulator) +
                  " ! filesink location=" + out);
  g_assert_true(run.play().eos);
  sora::Mp4Check first = sora::check_mp4_file(out);
  g_assert_true(first.ok);
  g_assert_cmpuint(emulator.create_count(), ==, 1);

  /* Playing the same element again replays the task it paid for. */
  g_assert_true(run.play().eos);
  sora::Mp4Check again = sora::check_mp4_file(out);
  g_assert_true(again.ok);
  g_assert_cmpuint(again.size, ==, first.size);
  g_assert_cmpuint(emulator.create_count(), ==, 1);

  /* A new prompt is a new request: one more task. */
  g_object_set(run.element("src"), "prompt", "A dog running on the beach", nullptr);
  g_assert_true(run.play().eos);
  g_assert_true(sora::check_mp4_file(out).ok);
  g_assert_cmpuint(emulator.create_count(), ==, 2);
}

void test_layout(const char *layout, bool moov_first) {
  EmulatorProcess emulator({"--layout", layout});
  std::string location = scratch->file(std::string(layout) + ".mp4");
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "location=" + location)));
  PipelineResult r = run.play();
  assert_whole_clip(r, 720, 1280);
  /* location keeps the very bytes that were served. */
  sora::Mp4Check check = sora::check_mp4_file(location);
  g_assert_true(check.ok);
  g_assert_cmpint(check.moov_first, ==, moov_first);
}

void test_layout_moov_end() {
  test_layout("moov-end", false);
}

void test_layout_moov_first() {
  test_layout("moov-first", true);
}

void test_seek() {
  EmulatorProcess emulator;
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator)));
  GstElement *pipeline = run.pipeline();
  gst_element_set_state(pipeline, GST_STATE_PAUSED);
  GstState state;
  g_assert_cmpint(gst_element_get_state(pipeline, &state, nullptr, 60 * GST_SECOND), ==,
                  GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint(state, ==, GST_STATE_PAUSED);
  gint64 duration = 0;
  g_assert_true(gst_element_query_duration(pipeline, GST_FORMAT_TIME, &duration));
  g_assert_cmpint(duration, >=, 3900 * GST_MSECOND);

  /* The probe counted the preroll frame; count from the seek on. */
  GstElement *vsink = run.element("vsink");
  g_object_set(vsink, "signal-handoffs", TRUE, nullptr);
  struct Seen {
    guint frames = 0;
    GstClockTime first = GST_CLOCK_TIME_NONE;
  } seen;
  g_assert_true(gst_element_seek_simple(
      pipeline, GST_FORMAT_TIME,
      static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE), 2 * GST_SECOND));
  g_assert_cmpint(gst_element_get_state(pipeline, nullptr, nullptr, 30 * GST_SECOND), ==,
                  GST_STATE_CHANGE_SUCCESS);
  g_signal_connect(vsink, "handoff",
                   G_CALLBACK(+[](GstElement *, GstBuffer *buf, GstPad *, gpointer data) {
                     auto *s = static_cast<Seen *>(data);
                     if (s->frames++ == 0)
                       s->first = GST_BUFFER_PTS(buf);
                   }),
                   &seen);
  PipelineResult r = run.play();
  g_assert_true(r.eos);
  g_assert_false(r.has_error());
  /* fakesink hands over the prerolled frame when it starts playing: so
   * exactly the 60 frames from 2 s to the end, the first at 2 s. */
  g_assert_cmpuint(seen.frames, ==, 60);
  g_assert_cmpuint(seen.first, ==, 2 * GST_SECOND);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

std::string make_png(int width, int height) {
  std::string path = scratch->file("reference.png");
  std::string description =
      "videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=" + std::to_string(width) +
      ",height=" + std::to_string(height) + " ! pngenc ! filesink location=" + path;
  PipelineRun run(description);
  g_assert_true(run.play().eos);
  return path;
}

void test_input_reference() {
  EmulatorProcess emulator;
  std::string png = make_png(720, 1280);
  g_autofree char *contents = nullptr;
  gsize length = 0;
  g_assert_true(g_file_get_contents(png.c_str(), &contents, &length, nullptr));
  g_autofree char *sha256 = g_compute_checksum_for_data(
      G_CHECKSUM_SHA256, reinterpret_cast<const guchar *>(contents), length);

  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "input-reference=" + png)));
  PipelineResult r = run.play();
  assert_whole_clip(r, 720, 1280);
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(posts.size(), ==, 1);
  const SeenRequest &post = posts[0];
  sora_assert_str_eq(post.field("input_reference", "kind"), "file");
  sora_assert_str_eq(post.field("input_reference", "filename"), "reference.png");
  sora_assert_str_eq(post.field("input_reference", "content_type"), "image/png");
  sora_assert_str_eq(post.field("input_reference", "size"), std::to_string(length));
  sora_assert_str_eq(post.field("input_reference", "sha256"), sha256);
}

/* The `phase` property over runs: what each notification of it saw, with
 * the `status` string read at the same moment. */
struct PhaseLog {
  std::mutex lock;
  std::vector<std::pair<std::string, std::string>> seen; /* (phase nick, status) */

  static void on_phase(GObject *src, GParamSpec *, gpointer data) {
    auto *log = static_cast<PhaseLog *>(data);
    gint phase = 0;
    g_autofree char *status = nullptr;
    g_object_get(src, "phase", &phase, "status", &status, nullptr);
    std::lock_guard<std::mutex> guard(log->lock);
    log->seen.emplace_back(phase_nick(phase), status ? status : "");
  }

  static std::string phase_nick(gint phase) {
    g_autoptr(GEnumClass) type = G_ENUM_CLASS(g_type_class_ref(g_type_from_name("GstSoraPhase")));
    GEnumValue *value = g_enum_get_value(type, phase);
    return value ? value->value_nick : "?";
  }

  static std::string phase_of(GstElement *src) {
    gint phase = -1;
    g_object_get(src, "phase", &phase, nullptr);
    return phase_nick(phase);
  }

  size_t count() {
    std::lock_guard<std::mutex> guard(lock);
    return seen.size();
  }

  /* The phases notified since the `from`th notification, each once in a
   * row, joined with spaces. */
  std::string phases(size_t from = 0) {
    std::lock_guard<std::mutex> guard(lock);
    std::string out, last;
    for (size_t i = from; i < seen.size(); i++) {
      if (seen[i].first != last)
        out += (out.empty() ? "" : " ") + seen[i].first;
      last = seen[i].first;
    }
    return out;
  }
};

/* Notifications leave from the element's emission queue, after the change
 * (emission_queue.h): a handler reads the phase as it is then, so on a busy
 * machine it may find a later phase than the one notified. What it sees is
 * in the run's order, and the last is where the run ended. */
void assert_phases_in_order(const std::string &seen, const std::string &order) {
  g_auto(GStrv) seen_words = g_strsplit(seen.c_str(), " ", -1);
  g_auto(GStrv) order_words = g_strsplit(order.c_str(), " ", -1);
  guint at = 0;
  for (guint i = 0; seen_words[i]; i++) {
    while (order_words[at] && g_strcmp0(order_words[at], seen_words[i]) != 0)
      at++;
    if (!order_words[at])
      g_error("phases '%s' are not in the order '%s'", seen.c_str(), order.c_str());
  }
  g_assert_true(g_str_has_suffix(seen.c_str(), order_words[g_strv_length(order_words) - 1]));
}

/* `phase` is `status` as an enum: idle until a run, then the phases the run
 * goes through, each notified with the string; a failed run ends in failed. */
void test_phase_property() {
  EmulatorProcess emulator;
  PhaseLog log; /* outlives the elements, whose last notifications it takes */
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, sora_test::kFastPolls)));
  GstElement *src = run.element("src");
  sora_assert_str_eq(PhaseLog::phase_of(src), "idle");
  g_signal_connect(src, "notify::phase", G_CALLBACK(PhaseLog::on_phase), &log);
  PipelineResult r = run.play();
  assert_whole_clip(r);
  assert_phases_in_order(log.phases(), "creating queued in-progress downloading completed");
  sora_assert_str_eq(PhaseLog::phase_of(src), "completed");

  size_t first_run = log.count();
  emulator.configure(R"({"fail_next":{"code":"moderation_blocked","message":"Blocked."}})");
  /* Another request (seconds=8), so that the cache does not serve the first clip. */
  PipelineRun failing(sora_test::decode_pipeline(
      sora_test::element_props(emulator, std::string(sora_test::kFastPolls) + " seconds=8")));
  GstElement *failing_src = failing.element("src");
  g_signal_connect(failing_src, "notify::phase", G_CALLBACK(PhaseLog::on_phase), &log);
  PipelineResult failed = failing.play();
  g_assert_true(failed.has_error());
  std::string second = log.phases(first_run);
  assert_phases_in_order(second, "creating queued in-progress failed");
  sora_assert_str_eq(PhaseLog::phase_of(failing_src), "failed");

  /* Each notification saw the string's word (in-progress for in_progress). */
  std::lock_guard<std::mutex> guard(log.lock);
  for (const auto &[phase, status] : log.seen) {
    std::string word = status;
    std::replace(word.begin(), word.end(), '_', '-');
    sora_assert_str_eq(phase, word);
  }
}

void test_failed_task() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"fail_next":{"code":"moderation_blocked","message":"Your request was blocked by our moderation system."}})");
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator)));
  PipelineResult r = run.play();
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_FAILED);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "blocked by our moderation system");
  sora_assert_contains(r.error_message, "moderation_blocked");
  sora_assert_contains(r.error_message, id);
  g_assert_nonnull(r.error_details);
  g_assert_cmpstr(gst_structure_get_string(r.error_details, "video-id"), ==, id.c_str());
  g_assert_cmpstr(gst_structure_get_string(r.error_details, "error-code"), ==,
                  "moderation_blocked");
  g_assert_cmpuint(r.video_frames, ==, 0);
  /* A failed task is final: the element does not keep it for the next run. */
  gchar *video_id = nullptr;
  g_object_get(run.element("src"), "video-id", &video_id, nullptr);
  g_assert_null(video_id);
  gchar *status = nullptr;
  g_object_get(run.element("src"), "status", &status, nullptr);
  g_assert_cmpstr(status, ==, "failed");
  g_free(status);
  /* No download was attempted for a failed task. */
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id + "/content").size(), ==, 0);
}

/* An answer that is not video never goes downstream, whatever its label. */
void assert_not_video(const char *content_type, const char *needle) {
  EmulatorProcess emulator;
  std::string fault =
      std::string(R"({"faults":[{"route":"content","action":"body","status":200,)") +
      R"("content_type":")" + content_type +
      R"(","body":"{\"error\":{\"message\":\"Video is not ready\"}}"}]})";
  emulator.configure(fault);
  std::string location = scratch->file("not-video.mp4");
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "location=" + location)));
  PipelineResult r = run.play();
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_STREAM_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_STREAM_ERROR_WRONG_TYPE);
  sora_assert_contains(r.error_message, needle);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "video-id=" + id);
  g_assert_cmpuint(r.video_frames, ==, 0);
  g_assert_false(g_file_test(location.c_str(), G_FILE_TEST_EXISTS));
}

void test_not_video() {
  assert_not_video("application/json", "instead of a video");
  assert_not_video("video/mp4", "does not start like an MP4");
}

/* The clip cannot be written here: a local WRITE error that keeps the paid
 * task (its id, and how to resume), tried once, not a download retried. */
void test_unwritable_location() {
  EmulatorProcess emulator;
  std::string location = scratch->file("no-such-directory/clip.mp4");
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "location=" + location)));
  PipelineResult r = run.play();
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_WRITE);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "could not be saved");
  sora_assert_contains(r.error_message, "video-id=" + id);
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id + "/content").size(), ==, 1);
}

void assert_not_authorized(EmulatorProcess &emulator, const char *key, const char *status_text) {
  PipelineRun run(sora_test::decode_pipeline(std::string("prompt=\"") + kPrompt + "\" api-key=" +
                                             key + " base-url=" + emulator.base_url()));
  PipelineResult r = run.play();
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  sora_assert_contains(r.error_message, status_text);
  /* The key the user gave never comes back in the error. */
  g_assert_null(strstr(r.error_message.c_str(), key));
  g_assert_null(strstr(r.error_debug.c_str(), key));
  g_assert_cmpuint(r.video_frames, ==, 0);
}

void test_not_authorized() {
  EmulatorProcess emulator({"--forbidden-key", "sk-forbidden-key-42"});
  assert_not_authorized(emulator, "sk-wrong-key-1234567", "HTTP 401");
  assert_not_authorized(emulator, "sk-forbidden-key-42", "HTTP 403");
  g_assert_cmpuint(emulator.create_count(), ==, 2);
}

/* A setting that cannot work fails the state change with a SETTINGS error,
 * and not one request reaches the server. */
void assert_settings_error(EmulatorProcess &emulator, const std::string &props,
                           const char *property, const char *needle) {
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=\"\" " + props)));
  g_assert_cmpint(gst_element_set_state(run.pipeline(), GST_STATE_PAUSED), ==,
                  GST_STATE_CHANGE_FAILURE);
  PipelineResult r;
  run.collect(r, 5);
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  if (!strstr(r.error_message.c_str(), needle))
    g_error("'%s' does not mention '%s'", r.error_message.c_str(), needle);
  g_assert_cmpstr(gst_structure_get_string(r.error_details, "property"), ==, property);
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

void test_settings_errors() {
  EmulatorProcess emulator;
  assert_settings_error(emulator, "", "prompt", "No prompt");
  assert_settings_error(emulator, "prompt=cat size=720by1280", "size", "WIDTHxHEIGHT");
  assert_settings_error(emulator, "prompt=cat size=640x480", "size", "'1280x720'");
  assert_settings_error(emulator, "prompt=cat seconds=5", "seconds", "'4', '8'");
  assert_settings_error(emulator, "prompt=cat input-reference=/nonexistent/ref.png",
                        "input-reference", "/nonexistent/ref.png");
  std::string text = scratch->write("not-an-image.png", "hello");
  assert_settings_error(emulator, "prompt=cat input-reference=" + text, "input-reference",
                        "not a JPEG, PNG or WebP");
  assert_settings_error(emulator, "prompt=cat base-url=ftp://example.com/v1", "base-url",
                        "ftp://example.com/v1");
}

void test_missing_key() {
  EmulatorProcess emulator;
  PipelineRun run(
      sora_test::decode_pipeline(std::string("prompt=cat base-url=") + emulator.base_url()));
  g_assert_cmpint(gst_element_set_state(run.pipeline(), GST_STATE_PAUSED), ==,
                  GST_STATE_CHANGE_FAILURE);
  PipelineResult r;
  run.collect(r, 5);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  sora_assert_contains(r.error_message, "OPENAI_API_KEY");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

void test_bus_messages() {
  EmulatorProcess emulator;
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, "model=sora-2")));
  PipelineResult r = run.play();
  g_assert_true(r.eos);
  std::string id = emulator.created_video_id();

  /* sora-status: one per status answer (the create answer and each poll),
   * then the download's, then the run's end. */
  std::vector<const GstStructure *> statuses, downloads;
  const GstStructure *end = nullptr;
  for (const GstStructure *s : r.messages_named("sora-status")) {
    g_assert_cmpstr(gst_structure_get_string(s, "video-id"), ==, id.c_str());
    g_assert_null(end); /* the end is the last */
    g_assert_nonnull(gst_structure_get_string(s, "phase"));
    if (gst_structure_has_field(s, "bytes-received"))
      downloads.push_back(s);
    else if (gst_structure_has_field(s, "size"))
      end = s;
    else
      statuses.push_back(s);
  }
  size_t polls = emulator.requests("GET", "/v1/videos/" + id).size();
  g_assert_cmpuint(statuses.size(), ==, polls + 1);
  guint last_progress = 0;
  for (const GstStructure *s : statuses) {
    g_assert_nonnull(gst_structure_get_string(s, "status"));
    guint progress = 0;
    g_assert_true(gst_structure_get_uint(s, "progress", &progress));
    g_assert_cmpuint(progress, >=, last_progress);
    last_progress = progress;
  }
  g_assert_cmpstr(gst_structure_get_string(statuses.front(), "status"), ==, "queued");
  g_assert_cmpstr(gst_structure_get_string(statuses.back(), "status"), ==, "completed");
  g_assert_cmpuint(last_progress, ==, 100);

  /* The download counts up to the clip's size; the end says it is whole. */
  g_assert_nonnull(end);
  sora_assert_str_eq(gst_structure_get_string(end, "phase"), "completed");
  guint64 size = 0, received = 0, total = 0;
  g_assert_true(gst_structure_get_uint64(end, "size", &size));
  GStatBuf clip;
  g_assert_cmpint(g_stat(emulator.rendered_clip(id).c_str(), &clip), ==, 0);
  g_assert_cmpuint(size, ==, static_cast<guint64>(clip.st_size));
  g_assert_cmpuint(downloads.size(), >=, 1);
  guint64 last_received = 0;
  for (const GstStructure *s : downloads) {
    g_assert_true(gst_structure_get_uint64(s, "bytes-received", &received));
    g_assert_true(gst_structure_get_uint64(s, "bytes-total", &total));
    g_assert_cmpuint(received, >=, last_received);
    g_assert_cmpuint(total, ==, size);
    last_received = received;
  }
  g_assert_cmpuint(last_received, ==, size);

  /* GstProgress: START first, COMPLETE last, continues between; COMPLETE
   * once the clip started to flow, before the whole clip's end. */
  g_assert_cmpuint(r.progress_messages.size(), >=, 3);
  auto type_of = [](const GstStructure *s) {
    GstProgressType type;
    gst_structure_get_enum(s, "type", GST_TYPE_PROGRESS_TYPE, reinterpret_cast<gint *>(&type));
    return type;
  };
  g_assert_cmpint(type_of(r.progress_messages.front()), ==, GST_PROGRESS_TYPE_START);
  g_assert_cmpint(type_of(r.progress_messages.back()), ==, GST_PROGRESS_TYPE_COMPLETE);
  for (size_t i = 1; i + 1 < r.progress_messages.size(); i++)
    g_assert_cmpint(type_of(r.progress_messages[i]), ==, GST_PROGRESS_TYPE_CONTINUE);
  gint64 completed_at = 0, ended_at = 0;
  gst_structure_get_int64(r.progress_messages.back(), "arrived-us", &completed_at);
  gst_structure_get_int64(end, "arrived-us", &ended_at);
  g_assert_cmpint(completed_at, <=, ended_at);
  g_assert_cmpstr(gst_structure_get_string(r.progress_messages.back(), "video-id"), ==, id.c_str());

  /* Tags: the prompt as the description, the model and the id. */
  bool found = false;
  for (GstTagList *tags : r.tags) {
    gchar *title = nullptr, *model = nullptr, *tag_id = nullptr;
    if (gst_tag_list_get_string(tags, GST_TAG_DESCRIPTION, &title) &&
        g_strcmp0(title, kPrompt) == 0 && gst_tag_list_get_string(tags, "sora-model", &model) &&
        g_strcmp0(model, "sora-2") == 0 &&
        gst_tag_list_get_string(tags, "sora-video-id", &tag_id) && id == tag_id)
      found = true;
    g_free(title);
    g_free(model);
    g_free(tag_id);
  }
  g_assert_true(found);

  gchar *status = nullptr;
  guint progress = 0;
  g_object_get(run.element("src"), "status", &status, "progress", &progress, nullptr);
  g_assert_cmpstr(status, ==, "completed");
  g_assert_cmpuint(progress, ==, 100);
  g_free(status);
}

void test_attach_to_existing() {
  EmulatorProcess emulator;
  {
    PipelineRun first(sora_test::decode_pipeline(sora_test::element_props(emulator)));
    g_assert_true(first.play().eos);
  }
  std::string id = emulator.created_video_id();
  /* A new element given the id: no prompt needed, no new task. */
  PipelineRun attach(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=\"\" video-id=" + id)));
  PipelineResult r = attach.play();
  assert_whole_clip(r, 720, 1280);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

void test_properties() {
  GstElement *src = gst_element_factory_make("soravideosrc", nullptr);
  g_assert_nonnull(src);
  gchar *model = nullptr, *size = nullptr, *base_url = nullptr, *status = nullptr;
  guint seconds = 0, timeout = 0, generation_timeout = 0, poll_interval = 1;
  g_object_get(src, "model", &model, "size", &size, "base-url", &base_url, "seconds", &seconds,
               "timeout", &timeout, "generation-timeout", &generation_timeout, "poll-interval",
               &poll_interval, "status", &status, nullptr);
  g_assert_cmpstr(model, ==, "sora-2");
  g_assert_cmpstr(size, ==, "720x1280");
  /* OpenAI's own video API closed on 2026-09-24: there is no default. */
  g_assert_null(base_url);
  g_assert_cmpuint(seconds, ==, 4);
  g_assert_cmpuint(timeout, ==, 60);
  g_assert_cmpuint(generation_timeout, ==, 3600);
  g_assert_cmpuint(poll_interval, ==, 0);
  g_assert_cmpstr(status, ==, "idle");

  /* The key goes in and never comes out: the property is write-only. */
  g_object_set(src, "api-key", "sk-secret-value-123", nullptr);
  GParamSpec *key_spec = g_object_class_find_property(G_OBJECT_GET_CLASS(src), "api-key");
  g_assert_true(key_spec->flags & G_PARAM_WRITABLE);
  g_assert_false(key_spec->flags & G_PARAM_READABLE);

  /* An id the user sets is kept when the request changes. */
  g_object_set(src, "video-id", "video_abc", nullptr);
  g_object_set(src, "prompt", "something else", nullptr);
  gchar *id = nullptr;
  g_object_get(src, "video-id", &id, nullptr);
  g_assert_cmpstr(id, ==, "video_abc");

  /* base-url and cache-dir read back what was set, never what the machine's
   * environment gives: gst-inspect-1.0 prints what reads back as the default. */
  g_setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", TRUE);
  g_object_set(src, "gateway", 2 /* openrouter: a public endpoint of its own */, nullptr);
  gchar *unset_url = nullptr, *unset_dir = nullptr;
  g_object_get(src, "base-url", &unset_url, "cache-dir", &unset_dir, nullptr);
  g_assert_null(unset_url);
  g_assert_null(unset_dir);
  g_setenv("OPENAI_BASE_URL", "", TRUE);
  g_object_set(src, "base-url", "http://127.0.0.1:9/v1", "cache-dir", "/nonexistent/sora-cache",
               nullptr);
  gchar *set_url = nullptr, *set_dir = nullptr;
  g_object_get(src, "base-url", &set_url, "cache-dir", &set_dir, nullptr);
  g_assert_cmpstr(set_url, ==, "http://127.0.0.1:9/v1");
  g_assert_cmpstr(set_dir, ==, "/nonexistent/sora-cache");

  for (gchar *s : {model, size, base_url, status, id, unset_url, unset_dir, set_url, set_dir})
    g_free(s);
  gst_object_unref(src);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/element/properties", test_properties);
  g_test_add_func("/element/frames/720x1280", test_frames_portrait);
  g_test_add_func("/element/frames/1280x720", test_frames_landscape);
  g_test_add_func("/element/request/post-fields", test_post_fields);
  g_test_add_func("/element/request/one-post-per-run", test_one_post_per_run);
  g_test_add_func("/element/request/replay-same-element", test_replay_same_element);
  g_test_add_func("/element/request/input-reference", test_input_reference);
  g_test_add_func("/element/request/attach-video-id", test_attach_to_existing);
  g_test_add_func("/element/layout/moov-end", test_layout_moov_end);
  g_test_add_func("/element/layout/moov-first", test_layout_moov_first);
  g_test_add_func("/element/seek", test_seek);
  g_test_add_func("/element/bus-messages", test_bus_messages);
  g_test_add_func("/element/phase", test_phase_property);
  g_test_add_func("/element/errors/failed-task", test_failed_task);
  g_test_add_func("/element/errors/not-video", test_not_video);
  g_test_add_func("/element/errors/unwritable-location", test_unwritable_location);
  g_test_add_func("/element/errors/not-authorized", test_not_authorized);
  g_test_add_func("/element/errors/settings", test_settings_errors);
  g_test_add_func("/element/errors/missing-key", test_missing_key);
  return g_test_run();
}
