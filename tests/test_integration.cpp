/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc as a citizen of GStreamer: the sora:// URI handler, and the
 * tools and elements that take URIs (playbin, uridecodebin, gst-play-1.0,
 * gst-discoverer-1.0, ges-launch-1.0); the examples, run as a user runs
 * them; and the element reference checked against gst-inspect-1.0. */
#include "assertions.h"
#include "emulator_process.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <set>
#include <string>
#include <vector>

using sora_test::connect_source_setup;
using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::play_with_playbin;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;
using sora_test::SourceSetup;
using sora_test::user_env;

namespace {

sora_test::TempDir *scratch;

std::string source_root() {
  const char *root = g_getenv("SORA_SOURCE_ROOT");
  g_assert_nonnull(root);
  return root;
}

GstElement *element_from_uri(const std::string &uri) {
  g_autoptr(GError) error = nullptr;
  GstElement *e = gst_element_make_from_uri(GST_URI_SRC, uri.c_str(), nullptr, &error);
  if (!e)
    g_error("%s: %s", uri.c_str(), error ? error->message : "no element");
  return e;
}

std::string string_property(GstElement *e, const char *name) {
  g_autofree char *value = nullptr;
  g_object_get(e, name, &value, nullptr);
  return value ? value : "";
}

guint uint_property(GstElement *e, const char *name) {
  guint value = 0;
  g_object_get(e, name, &value, nullptr);
  return value;
}

/* ---- the URI handler ---- */

void test_uri_generate() {
  GstElement *src = element_from_uri(
      "sora://generate?prompt=A+cat%20walking%20on%20the%20street%26more&model=sora-2-pro"
      "&seconds=8&size=1792x1024&variant=thumbnail");
  sora_assert_str_eq(GST_OBJECT_NAME(gst_element_get_factory(src)), "soravideosrc");
  sora_assert_str_eq(string_property(src, "prompt"), "A cat walking on the street&more");
  sora_assert_str_eq(string_property(src, "model"), "sora-2-pro");
  g_assert_cmpuint(uint_property(src, "seconds"), ==, 8);
  sora_assert_str_eq(string_property(src, "size"), "1792x1024");
  gint variant = 0;
  g_object_get(src, "variant", &variant, nullptr);
  g_assert_cmpint(variant, ==, 1); /* thumbnail */
  gst_object_unref(src);
}

/* get_uri describes the request; setting it again gives the same element. */
void test_uri_round_trip() {
  GstElement *src = element_from_uri(
      "sora://generate?prompt=Waves%20%2B%20foam%3F&seconds=12&size=720x1280"
      "&metadata=%7B%22input%22%3A%7B%22seed%22%3A7%7D%7D&variant=spritesheet");
  g_autofree char *uri = gst_uri_handler_get_uri(GST_URI_HANDLER(src));
  sora_assert_contains(uri, "sora://generate?");
  /* The request only: no key, and nothing the environment decides. */
  g_assert_null(strstr(uri, "api-key"));
  g_assert_null(strstr(uri, "base-url"));
  g_assert_null(strstr(uri, "cache-dir"));
  g_assert_null(strstr(uri, "model=")); /* the default */
  GstElement *again = element_from_uri(uri);
  for (const char *name : {"prompt", "size", "metadata", "model"})
    sora_assert_str_eq(string_property(again, name), string_property(src, name));
  sora_assert_str_eq(string_property(again, "prompt"), "Waves + foam?");
  g_assert_cmpuint(uint_property(again, "seconds"), ==, 12);
  gint variant = 0;
  g_object_get(again, "variant", &variant, nullptr);
  g_assert_cmpint(variant, ==, 2); /* spritesheet */
  gst_object_unref(again);
  gst_object_unref(src);
}

void test_uri_video() {
  GstElement *src = element_from_uri("sora://video/job%2F2025%2Bx%20y");
  sora_assert_str_eq(string_property(src, "video-id"), "job/2025+x y");
  g_autofree char *uri = gst_uri_handler_get_uri(GST_URI_HANDLER(src));
  sora_assert_contains(uri, "sora://video/job%2F2025%2Bx%20y");
  gst_object_unref(src);

  /* With what to fetch of it. */
  src = element_from_uri("sora://video/video_123?variant=thumbnail");
  sora_assert_str_eq(string_property(src, "video-id"), "video_123");
  gint variant = 0;
  g_object_get(src, "variant", &variant, nullptr);
  g_assert_cmpint(variant, ==, 1);
  gst_object_unref(src);
}

/* ges-launch-1.0 cuts a +clip argument at '?' and '#': the query can also
 * follow the path. */
void test_uri_path_form() {
  GstElement *src = element_from_uri("sora://generate/prompt=A%20cat%20walking&seconds=8");
  sora_assert_str_eq(string_property(src, "prompt"), "A cat walking");
  g_assert_cmpuint(uint_property(src, "seconds"), ==, 8);
  gst_object_unref(src);
}

void test_uri_refuses_key() {
  GstElement *src = gst_element_factory_make("soravideosrc", nullptr);
  for (const char *uri : {"sora://generate?prompt=x&api-key=sk-secret-in-uri-0123456789",
                          "sora://generate?api-key=sk-secret-in-uri-0123456789&colour=blue",
                          "sora://video/video_1?api-key=sk-secret-in-uri-0123456789",
                          "sora://generate/prompt=x&api-key=sk-secret-in-uri-0123456789"}) {
    g_autoptr(GError) error = nullptr;
    g_assert_false(gst_uri_handler_set_uri(GST_URI_HANDLER(src), uri, &error));
    g_assert_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);
    sora_assert_contains(error->message, "OPENAI_API_KEY");
    /* The error repeats neither the key nor the URI that held it. */
    g_assert_null(strstr(error->message, "sk-secret"));
  }
  gst_object_unref(src);
}

void test_uri_bad() {
  struct Case {
    const char *uri;
    const char *says;
  };
  const Case cases[] = {
      {"sora://generate?prompt=x&colour=blue", "'colour' is not a soravideosrc property"},
      {"sora://generate?prompt=x&seconds=eight", "'eight' is not a valid"},
      {"sora://generate?prompt=x&variant=sometimes", "'sometimes' is not a valid"},
      {"sora://generate?prompt=x&status=done", "'status' is not a soravideosrc property"},
      {"sora://render?prompt=x", "use sora://generate?prompt=... or sora://video/ID"},
      {"sora://video/", "use sora://generate?prompt=... or sora://video/ID"},
      {"sora://video/bad%zzescape", "bad %-escape"},
      {"sora://generate?prompt=x&size=%zz", "not key=value pairs"},
  };
  GstElement *src = element_from_uri("sora://generate?prompt=kept&seconds=8");
  for (const Case &c : cases) {
    g_autoptr(GError) error = nullptr;
    g_assert_false(gst_uri_handler_set_uri(GST_URI_HANDLER(src), c.uri, &error));
    g_assert_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);
    sora_assert_contains(error->message, c.says);
    /* A URI that fails changes nothing. */
    sora_assert_str_eq(string_property(src, "prompt"), "kept");
    g_assert_cmpuint(uint_property(src, "seconds"), ==, 8);
  }
  g_autoptr(GError) error = nullptr;
  g_assert_null(
      gst_element_make_from_uri(GST_URI_SRC, "sorax://generate?prompt=x", nullptr, &error));
  gst_object_unref(src);
}

/* A URI is the whole request: what it leaves out is the default, not what
 * an earlier URI said. */
void test_uri_resets() {
  GstElement *src = element_from_uri("sora://generate?prompt=one&seconds=12&model=sora-2-pro");
  g_autoptr(GError) error = nullptr;
  g_assert_true(
      gst_uri_handler_set_uri(GST_URI_HANDLER(src), "sora://generate?prompt=two", &error));
  sora_assert_str_eq(string_property(src, "prompt"), "two");
  g_assert_cmpuint(uint_property(src, "seconds"), ==, 4);
  sora_assert_str_eq(string_property(src, "model"), "sora-2");
  g_assert_true(gst_uri_handler_set_uri(GST_URI_HANDLER(src), "sora://video/video_9", &error));
  sora_assert_str_eq(string_property(src, "prompt"), "");
  sora_assert_str_eq(string_property(src, "video-id"), "video_9");
  gst_object_unref(src);
}

void test_uri_running() {
  EmulatorProcess emulator({"--generation-ms", "60000"});
  GstElement *pipeline = gst_pipeline_new(nullptr);
  GstElement *src = element_from_uri("sora://generate?prompt=x");
  g_object_set(src, "api-key", kTestKey, "base-url", emulator.base_url().c_str(), "cache-mode", 2,
               nullptr);
  GstElement *sink = gst_element_factory_make("fakesink", nullptr);
  gst_bin_add_many(GST_BIN(pipeline), src, sink, nullptr);
  g_assert_true(gst_element_link(src, sink));
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  g_autoptr(GError) error = nullptr;
  g_assert_false(gst_uri_handler_set_uri(GST_URI_HANDLER(src), "sora://generate?prompt=y", &error));
  g_assert_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE);
  sora_assert_str_eq(string_property(src, "prompt"), "x");
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
}

/* ---- playbin, uridecodebin ---- */

std::string generate_uri(const std::string &prompt) {
  return "sora://generate?prompt=" + sora_test::uri_escaped(prompt) + "&seconds=4&size=1280x720";
}

/* The key, the server and the cache mode, given as an application gives
 * them (a URI cannot). */
SourceSetup app_setup(const EmulatorProcess &emulator) {
  return {
      std::string("api-key=") + kTestKey + " base-url=" + emulator.base_url() + " cache-mode=off",
      ""};
}

void test_playbin() {
  EmulatorProcess emulator;
  SourceSetup setup = app_setup(emulator);
  PipelineResult r = play_with_playbin(generate_uri("A cat walking"), setup);
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_true(r.eos);
  sora_assert_str_eq(setup.factory, "soravideosrc");
  g_assert_cmpuint(r.video_frames, ==, 120);
  g_assert_cmpint(r.width, ==, 1280);
  g_assert_cmpint(r.height, ==, 720);
  g_assert_cmpuint(r.audio_duration / GST_MSECOND, >=, 3900);
  g_assert_false(r.messages_named("sora-status").empty());
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

/* An existing task, by id: played without a new POST. */
void test_playbin_video_id() {
  EmulatorProcess emulator;
  SourceSetup setup = app_setup(emulator);
  PipelineResult first = play_with_playbin(generate_uri("A heron"), setup);
  g_assert_true(first.eos);
  std::string id = emulator.created_video_id();
  PipelineResult again = play_with_playbin("sora://video/" + sora_test::uri_escaped(id), setup);
  if (again.has_error())
    g_error("%s", again.error_message.c_str());
  g_assert_cmpuint(again.video_frames, ==, 120);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id + "/content").size(), ==, 2);
}

void test_uridecodebin() {
  EmulatorProcess emulator;
  PipelineRun run("uridecodebin uri=\"" + generate_uri("A lighthouse") +
                  "\" name=d d. ! queue ! videoconvert ! fakesink name=vsink sync=false "
                  "d. ! queue ! audioconvert ! fakesink name=asink sync=false");
  SourceSetup setup = app_setup(emulator);
  connect_source_setup(run.element("d"), &setup);
  PipelineResult r = run.play();
  sora_assert_str_eq(setup.factory, "soravideosrc");
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_cmpuint(r.video_frames, ==, 120);
  g_assert_cmpuint(r.audio_buffers, >, 0);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

/* ---- the command-line tools ---- */

/* Discovers a file or URI in-process, for the outputs of the tools. */
struct Discovered {
  GstClockTime duration = 0;
  int width = 0, height = 0;
  std::string video_codec, audio_codec;
};

Discovered discover(const std::string &uri) {
  g_autoptr(GError) error = nullptr;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new(30 * GST_SECOND, &error);
  g_assert_no_error(error);
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri(discoverer, uri.c_str(), &error);
  g_assert_no_error(error);
  g_assert_cmpint(gst_discoverer_info_get_result(info), ==, GST_DISCOVERER_OK);
  Discovered d;
  d.duration = gst_discoverer_info_get_duration(info);
  GList *videos = gst_discoverer_info_get_video_streams(info);
  GList *audios = gst_discoverer_info_get_audio_streams(info);
  if (videos) {
    auto *v = GST_DISCOVERER_VIDEO_INFO(videos->data);
    d.width = static_cast<int>(gst_discoverer_video_info_get_width(v));
    d.height = static_cast<int>(gst_discoverer_video_info_get_height(v));
    GstCaps *caps = gst_discoverer_stream_info_get_caps(GST_DISCOVERER_STREAM_INFO(v));
    d.video_codec = gst_structure_get_name(gst_caps_get_structure(caps, 0));
    gst_caps_unref(caps);
  }
  if (audios) {
    GstCaps *caps = gst_discoverer_stream_info_get_caps(GST_DISCOVERER_STREAM_INFO(audios->data));
    d.audio_codec = gst_structure_get_name(gst_caps_get_structure(caps, 0));
    gst_caps_unref(caps);
  }
  gst_discoverer_stream_info_list_free(videos);
  gst_discoverer_stream_info_list_free(audios);
  return d;
}

std::string file_uri(const std::string &path) {
  g_autofree char *uri = g_filename_to_uri(path.c_str(), nullptr, nullptr);
  return uri;
}

/* The number in "  Duration: 0:00:04.021333333", in ms. */
long reported_duration_ms(const std::string &out) {
  size_t at = out.find("Duration: ");
  g_assert_true(at != std::string::npos);
  unsigned h = 0, m = 0;
  double s = 0;
  g_assert_cmpint(sscanf(out.c_str() + at, "Duration: %u:%u:%lf", &h, &m, &s), ==, 3);
  return static_cast<long>(((h * 60 + m) * 60 + s) * 1000 + 0.5);
}

void test_discoverer() {
  EmulatorProcess emulator;
  std::string uri =
      "sora://generate?prompt=" + sora_test::uri_escaped("A red kite") + "&seconds=4&size=1280x720";
  ProcessResult r = ProcessRun::run({sora_test::require_program("gst-discoverer-1.0"), uri},
                                    user_env(emulator, scratch->fresh_dir("discoverer")));
  if (r.status != 0)
    g_error("gst-discoverer-1.0 failed (%d):\n%s\n%s", r.status, r.out.c_str(), r.err.c_str());
  long ms = reported_duration_ms(r.out);
  g_assert_cmpint(ms, >=, 4000);
  g_assert_cmpint(ms, <=, 4100);
  sora_assert_contains(r.out, "container #0: Quicktime");
  sora_assert_contains(r.out, "video #1: H.264");
  sora_assert_contains(r.out, "Width: 1280");
  sora_assert_contains(r.out, "Height: 720");
  sora_assert_contains(r.out, "Frame rate: 30/1");
  sora_assert_contains(r.out, "audio #2: MPEG-4 AAC");
  sora_assert_contains(r.out, "Seekable: yes");
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  /* Through the environment only: nothing printed holds the key. */
  g_assert_true(r.out.find(kTestKey) == std::string::npos);
  g_assert_true(r.err.find(kTestKey) == std::string::npos);
}

void test_gst_play() {
  EmulatorProcess emulator;
  std::string frames = scratch->fresh_dir("gst-play");
  std::string uri = "sora://generate?prompt=" + sora_test::uri_escaped("A paper boat") +
                    "&seconds=4&size=1280x720";
  ProcessResult r = ProcessRun::run(
      {sora_test::require_program("gst-play-1.0"), "--no-interactive", "--videosink",
       "videoconvert ! jpegenc ! multifilesink location=" + frames + "/frame-%05d.jpg",
       "--audiosink", "fakesink sync=true", uri},
      user_env(emulator, scratch->fresh_dir("gst-play-cache")));
  if (r.status != 0)
    g_error("gst-play-1.0 failed (%d):\n%s\n%s", r.status, r.out.c_str(), r.err.c_str());
  sora_assert_contains(r.out, "Now playing " + uri);
  sora_assert_contains(r.out, "Reached end of play list");
  if (r.err.find("ERROR") != std::string::npos)
    g_error("gst-play-1.0 reported an error:\n%s", r.err.c_str());
  /* Every frame reached the sink, the size asked for. */
  g_autoptr(GDir) dir = g_dir_open(frames.c_str(), 0, nullptr);
  int count = 0;
  while (g_dir_read_name(dir))
    count++;
  g_assert_cmpint(count, ==, 120);
  Discovered frame = discover(file_uri(frames + "/frame-00000.jpg"));
  g_assert_cmpint(frame.width, ==, 1280);
  g_assert_cmpint(frame.height, ==, 720);
}

void test_ges_launch() {
  EmulatorProcess emulator;
  std::string output = scratch->fresh_dir("ges") + "/timeline.mp4";
  /* Two clips on one layer: a generated one, then the same again with a
   * different prompt; rendered to H.264 + AAC in MP4. */
  ProcessResult r =
      ProcessRun::run({sora_test::require_program("ges-launch-1.0"), "+clip",
                       "sora://generate/prompt=" + sora_test::uri_escaped("A cat walking") +
                           "&seconds=4&size=1280x720",
                       "+clip",
                       "sora://generate/prompt=" + sora_test::uri_escaped("A cat sleeping") +
                           "&seconds=4&size=1280x720",
                       "-o", file_uri(output), "-f",
                       "video/quicktime,variant=iso:video/x-h264:audio/mpeg,mpegversion=4"},
                      user_env(emulator, scratch->fresh_dir("ges-cache")), 240);
  if (r.status != 0)
    g_error("ges-launch-1.0 failed (%d):\n%s\n%s", r.status, r.out.c_str(), r.err.c_str());
  Discovered d = discover(file_uri(output));
  g_assert_cmpuint(d.duration / GST_MSECOND, >=, 7900);
  g_assert_cmpuint(d.duration / GST_MSECOND, <=, 8200);
  g_assert_cmpint(d.width, ==, 1280);
  g_assert_cmpint(d.height, ==, 720);
  sora_assert_str_eq(d.video_codec, "video/x-h264");
  sora_assert_str_eq(d.audio_codec, "audio/mpeg");
  /* GES discovers each clip before it renders it: the cache makes that one
   * generation per clip, not two. */
  g_assert_cmpuint(emulator.create_count(), ==, 2);
}

/* ---- the examples ---- */

std::string decoded_summary(const std::string &path, guint *frames, GstClockTime *audio) {
  PipelineRun run("filesrc location=\"" + path +
                  "\" ! decodebin name=d d. ! queue ! videoconvert ! fakesink name=vsink "
                  "sync=false d. ! queue ! audioconvert ! fakesink name=asink sync=false");
  PipelineResult r = run.play();
  *frames = r.video_frames;
  *audio = r.audio_duration;
  return r.has_error() ? r.error_message : "";
}

void test_example_broadcast_chain() {
  EmulatorProcess emulator;
  /* Silent clips, as many video models make them: a hand-built concat
   * pipeline waited for ever on their audio. */
  emulator.configure(R"({"clip": {"audio": false}})");
  std::string output = scratch->fresh_dir("chain") + "/programme.mp4";
  std::map<std::string, std::string> env = user_env(emulator, scratch->fresh_dir("chain-cache"));
  env["PROGRAMME_SIZE"] = "640x360"; /* a cheaper encode; the clips stay 1280x720 */
  ProcessResult r =
      ProcessRun::run({"bash", source_root() + "/examples/broadcast-chain.sh", output}, env, 240);
  if (r.status != 0)
    g_error("broadcast-chain.sh failed (%d):\n%s\n%s", r.status, r.out.c_str(), r.err.c_str());
  sora_assert_contains(r.out, "Programme written to " + output);

  /* One programme of the three clips: 3 x 4 s, every frame decodable, and
   * 12 s of audio (silence) all the same. */
  guint frames = 0;
  GstClockTime audio = 0;
  sora_assert_str_eq(decoded_summary(output, &frames, &audio), "");
  g_assert_cmpuint(frames, ==, 360);
  g_assert_cmpuint(audio / GST_MSECOND, >=, 11900);
  Discovered d = discover(file_uri(output));
  g_assert_cmpuint(d.duration / GST_MSECOND, >=, 11900);
  g_assert_cmpuint(d.duration / GST_MSECOND, <=, 12200);
  g_assert_cmpint(d.width, ==, 640);
  sora_assert_str_eq(d.video_codec, "video/x-h264");

  /* The three tasks were created in parallel: all three POSTs arrived
   * before the first one could finish generating, within a second. */
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(posts.size(), ==, 3);
  std::set<std::string> prompts;
  gint64 first = G_MAXINT64, last = 0;
  for (const SeenRequest &p : posts) {
    first = std::min(first, p.time_us);
    last = std::max(last, p.time_us);
    prompts.insert(p.field("prompt"));
  }
  g_test_message("the three POSTs arrived within %.1f ms", (last - first) / 1000.0);
  g_assert_cmpint(last - first, <, G_USEC_PER_SEC);
  g_assert_cmpuint(prompts.size(), ==, 3);
  gint64 first_download = G_MAXINT64;
  for (const SeenRequest &q : emulator.requests()) {
    if (q.method == "GET" && g_str_has_suffix(q.path.c_str(), "/content"))
      first_download = std::min(first_download, q.time_us);
  }
  g_assert_cmpint(last, <, first_download);
}

std::string system_python() {
  /* Debian's python3-gi is for Debian's python3. */
  for (const char *candidate : {"/usr/bin/python3", "python3"}) {
    std::string path =
        g_path_is_absolute(candidate) ? candidate : sora_test::find_program(candidate);
    if (!path.empty() && g_file_test(path.c_str(), G_FILE_TEST_IS_EXECUTABLE))
      return path;
  }
  g_error("python3 is not installed: .ci/install-deps installs it");
}

void test_example_progress_app() {
  EmulatorProcess emulator;
  std::string output = scratch->fresh_dir("python") + "/clip.mp4";
  ProcessResult r = ProcessRun::run(
      {system_python(), source_root() + "/examples/progress_app.py", "A cat walking", output},
      user_env(emulator, scratch->fresh_dir("python-cache")));
  if (r.status != 0)
    g_error("progress_app.py failed (%d):\n%s\n%s", r.status, r.out.c_str(), r.err.c_str());
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.out, "Saved " + output + " (task " + id + ")");
  /* The bar went through the task's phases from the bus messages, to the end. */
  sora_assert_contains(r.err, "creating");
  sora_assert_contains(r.err, "in_progress");
  sora_assert_contains(r.err, "downloading");
  sora_assert_contains(r.err, "[" + std::string(40, '#') + "] 100%");
  guint frames = 0;
  GstClockTime audio = 0;
  sora_assert_str_eq(decoded_summary(output, &frames, &audio), "");
  g_assert_cmpuint(frames, ==, 120);
}

std::string sora_render() {
  const char *binary = g_getenv("SORA_RENDER");
  g_assert_nonnull(binary);
  return binary;
}

mode_t current_umask() {
  mode_t mask = umask(0);
  umask(mask);
  return mask;
}

std::vector<std::string> files_in(const std::string &dir) {
  std::vector<std::string> names;
  g_autoptr(GDir) d = g_dir_open(dir.c_str(), 0, nullptr);
  while (const char *name = d ? g_dir_read_name(d) : nullptr)
    names.push_back(name);
  return names;
}

void test_example_sora_render() {
  EmulatorProcess emulator;
  std::string dir = scratch->fresh_dir("render");
  std::string output = dir + "/clip.mp4";
  ProcessResult r =
      ProcessRun::run({sora_render(), "--seconds=8", "--size=1280x720", "A cat walking", output},
                      user_env(emulator, scratch->fresh_dir("render-cache")));
  if (r.status != 0)
    g_error("sora-render failed (%d):\n%s\n%s", r.status, r.out.c_str(), r.err.c_str());
  sora_assert_contains(r.out, "Saved " + output);
  sora_assert_contains(r.err, "[" + std::string(40, '#') + "] 100%");
  guint frames = 0;
  GstClockTime audio = 0;
  sora_assert_str_eq(decoded_summary(output, &frames, &audio), "");
  g_assert_cmpuint(frames, ==, 240);
  /* The user's file, with the user's permissions (not the cache's 0600). */
  struct stat st;
  g_assert_cmpint(stat(output.c_str(), &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0666 & ~current_umask());
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(posts.size(), ==, 1);
  sora_assert_str_eq(posts[0].field("seconds"), "8");
  sora_assert_str_eq(posts[0].field("size"), "1280x720");

  ProcessResult usage = ProcessRun::run({sora_render(), "only a prompt"}, {});
  g_assert_cmpint(usage.status, ==, 2);
  sora_assert_contains(usage.err, "PROMPT OUTPUT.mp4");
}

/* Ctrl-C while the task generates: the program stops at once and leaves
 * nothing behind; the paid task is not lost, and running the same command
 * again finishes it without a second POST. */
void test_example_sora_render_interrupt() {
  EmulatorProcess emulator({"--generation-ms", "3000"});
  std::string dir = scratch->fresh_dir("interrupt");
  std::string output = dir + "/clip.mp4";
  std::map<std::string, std::string> env =
      user_env(emulator, scratch->fresh_dir("interrupt-cache"));
  std::vector<std::string> argv = {sora_render(), "--size=1280x720", "A dog on a beach", output};

  ProcessRun first(argv, env);
  first.start();
  sora_test::wait_until("the task to be created and polled once", [&emulator] {
    return emulator.create_count() == 1 &&
           !emulator.requests("GET", "/v1/videos/" + emulator.created_video_id()).empty();
  });
  std::string id = emulator.created_video_id();
  gint64 interrupted_at = g_get_monotonic_time();
  first.send_signal(SIGINT);
  ProcessResult stopped = first.wait(10);
  gint64 stop_ms = (g_get_monotonic_time() - interrupted_at) / 1000;
  g_test_message("stopped %" G_GINT64_FORMAT " ms after SIGINT", stop_ms);
  g_assert_true(stopped.exited);
  g_assert_cmpint(stopped.status, ==, 130);
  g_assert_cmpint(stop_ms, <, 2000);
  sora_assert_contains(stopped.err, "Task " + id + " goes on on the server");
  /* No output, no partial file: nothing at all in the output directory. */
  g_assert_true(files_in(dir).empty());
  /* The task is still there, unharmed. */
  g_assert_true(emulator.requests("DELETE", "/v1/videos/" + id).empty());

  ProcessResult again = ProcessRun::run(argv, env);
  if (again.status != 0)
    g_error("sora-render failed (%d):\n%s\n%s", again.status, again.out.c_str(), again.err.c_str());
  sora_assert_contains(again.out, "Saved " + output + " (task " + id + ")");
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  guint frames = 0;
  GstClockTime audio = 0;
  sora_assert_str_eq(decoded_summary(output, &frames, &audio), "");
  g_assert_cmpuint(frames, ==, 120);
}

/* ---- the docs ---- */

std::string read_text(const std::string &path) {
  g_autofree char *text = nullptr;
  g_autoptr(GError) error = nullptr;
  if (!g_file_get_contents(path.c_str(), &text, nullptr, &error))
    g_error("%s", error->message);
  return text;
}

/* The property names in gst-inspect-1.0's "Element Properties:" section. */
std::vector<std::string> inspected_properties(const std::string &out) {
  std::vector<std::string> names;
  size_t at = out.find("\nElement Properties:\n");
  g_assert_true(at != std::string::npos);
  g_auto(GStrv) lines = g_strsplit(out.c_str() + at + 1, "\n", -1);
  for (int i = 1; lines[i]; i++) {
    const char *line = lines[i];
    if (*line && !g_ascii_isspace(*line))
      break; /* the next section */
    /* "  name                : blurb"; the continuation lines go deeper. */
    if (g_str_has_prefix(line, "  ") && g_ascii_isalpha(line[2])) {
      const char *colon = strstr(line, " : ");
      if (!colon)
        continue;
      g_autofree char *name = g_strstrip(g_strndup(line + 2, colon - line - 2));
      names.push_back(name);
    }
  }
  return names;
}

/* The names in the first column of the reference's property tables (those
 * headed "| property |"): "| `name` | ...". */
std::set<std::string> documented_properties(const std::string &doc) {
  std::set<std::string> names;
  g_auto(GStrv) lines = g_strsplit(doc.c_str(), "\n", -1);
  bool in_table = false;
  for (int i = 0; lines[i]; i++) {
    const char *line = lines[i];
    if (g_str_has_prefix(line, "| property |")) {
      in_table = true;
      continue;
    }
    if (!g_str_has_prefix(line, "|")) {
      in_table = false;
      continue;
    }
    if (!in_table || !g_str_has_prefix(line, "| `"))
      continue;
    const char *end = strchr(line + 3, '`');
    if (end)
      names.insert(std::string(line + 3, end));
  }
  return names;
}

void test_docs_reference() {
  ProcessResult r =
      ProcessRun::run({sora_test::require_program("gst-inspect-1.0"), "soravideosrc"}, {});
  g_assert_cmpint(r.status, ==, 0);
  std::vector<std::string> shown = inspected_properties(r.out);
  g_assert_cmpuint(shown.size(), >=, 30);
  std::set<std::string> documented =
      documented_properties(read_text(source_root() + "/docs/soravideosrc.md"));
  for (const std::string &name : shown) {
    if (!documented.count(name))
      g_error("gst-inspect-1.0 shows '%s', which docs/soravideosrc.md does not document",
              name.c_str());
  }
  /* And the reference documents nothing that is not there. */
  std::set<std::string> real(shown.begin(), shown.end());
  for (const std::string &name : documented) {
    if (!real.count(name))
      g_error("docs/soravideosrc.md documents '%s', which soravideosrc does not have",
              name.c_str());
  }
}

/* The default as the reference writes it: NULL, true, an enum's nick, a
 * number, or the string itself. */
std::string default_text(GParamSpec *spec) {
  const GValue *value = g_param_spec_get_default_value(spec);
  if (G_VALUE_HOLDS_STRING(value))
    return g_value_get_string(value) ? g_value_get_string(value) : "NULL";
  if (G_VALUE_HOLDS_BOOLEAN(value))
    return g_value_get_boolean(value) ? "true" : "false";
  if (G_VALUE_HOLDS_ENUM(value)) {
    g_autoptr(GEnumClass) enums = G_ENUM_CLASS(g_type_class_ref(spec->value_type));
    return g_enum_get_value(enums, g_value_get_enum(value))->value_nick;
  }
  g_autofree char *text = g_strdup_value_contents(value);
  return text;
}

/* Every default the reference states is the one the element has. */
void test_docs_defaults() {
  std::string doc = read_text(source_root() + "/docs/soravideosrc.md");
  GstElement *src = gst_element_factory_make("soravideosrc", nullptr);
  guint n = 0;
  g_autofree GParamSpec **specs = g_object_class_list_properties(G_OBJECT_GET_CLASS(src), &n);
  guint checked = 0;
  for (guint i = 0; i < n; i++) {
    GParamSpec *spec = specs[i];
    /* name and parent have no default to speak of. */
    if (!(spec->flags & G_PARAM_WRITABLE) || spec->owner_type == GST_TYPE_OBJECT)
      continue;
    /* "| `name` | type | default | ..." */
    std::string row = "| `" + std::string(spec->name) + "` |";
    size_t at = doc.find(row);
    g_assert_true(at != std::string::npos);
    std::string line = doc.substr(at, doc.find('\n', at) - at);
    g_auto(GStrv) cells = g_strsplit(line.c_str(), "|", -1);
    g_assert_cmpuint(g_strv_length(cells), >=, 5);
    std::string documented = g_strstrip(cells[3]);
    documented.erase(std::remove(documented.begin(), documented.end(), '`'), documented.end());
    if (documented != default_text(spec))
      g_error("docs/soravideosrc.md gives %s the default '%s'; the element's is '%s'", spec->name,
              documented.c_str(), default_text(spec).c_str());
    checked++;
  }
  g_assert_cmpuint(checked, >=, 25);
  gst_object_unref(src);
}

/* The same for soraplaylistsrc and its reference. */
void test_docs_playlist_reference() {
  ProcessResult r =
      ProcessRun::run({sora_test::require_program("gst-inspect-1.0"), "soraplaylistsrc"}, {});
  g_assert_cmpint(r.status, ==, 0);
  std::vector<std::string> shown = inspected_properties(r.out);
  g_assert_cmpuint(shown.size(), >=, 20);
  std::string doc = read_text(source_root() + "/docs/soraplaylistsrc.md");
  std::set<std::string> documented = documented_properties(doc);
  for (const std::string &name : shown) {
    if (!documented.count(name))
      g_error("gst-inspect-1.0 shows '%s', which docs/soraplaylistsrc.md does not document",
              name.c_str());
  }
  std::set<std::string> real(shown.begin(), shown.end());
  for (const std::string &name : documented) {
    if (!real.count(name))
      g_error("docs/soraplaylistsrc.md documents '%s', which soraplaylistsrc does not have",
              name.c_str());
  }
  /* The defaults it states, for the properties that have a plain one. */
  GstElement *src = gst_element_factory_make("soraplaylistsrc", nullptr);
  guint n = 0;
  g_autofree GParamSpec **specs = g_object_class_list_properties(G_OBJECT_GET_CLASS(src), &n);
  for (guint i = 0; i < n; i++) {
    GParamSpec *spec = specs[i];
    if (!(spec->flags & G_PARAM_WRITABLE) || spec->owner_type != G_OBJECT_TYPE(src) ||
        G_IS_PARAM_SPEC_BOXED(spec) || GST_IS_PARAM_SPEC_ARRAY_LIST(spec))
      continue;
    std::string row = "| `" + std::string(spec->name) + "` |";
    size_t at = doc.find(row);
    g_assert_true(at != std::string::npos);
    std::string line = doc.substr(at, doc.find('\n', at) - at);
    g_auto(GStrv) cells = g_strsplit(line.c_str(), "|", -1);
    g_assert_cmpuint(g_strv_length(cells), >=, 5);
    std::string documented_default = g_strstrip(cells[3]);
    documented_default.erase(std::remove(documented_default.begin(), documented_default.end(), '`'),
                             documented_default.end());
    if (documented_default != default_text(spec))
      g_error("docs/soraplaylistsrc.md gives %s the default '%s'; the element's is '%s'",
              spec->name, documented_default.c_str(), default_text(spec).c_str());
  }
  gst_object_unref(src);
}

void test_inspect_reads_cleanly() {
  ProcessResult r =
      ProcessRun::run({sora_test::require_program("gst-inspect-1.0"), "soravideosrc"}, {});
  g_assert_cmpint(r.status, ==, 0);
  g_assert_true(r.err.empty());
  sora_assert_contains(r.out, "Long-name                Sora video generation source");
  sora_assert_contains(r.out, "License                  LGPL");
  sora_assert_contains(r.out, "Origin URL               http");
  sora_assert_contains(r.out, "Supported URI protocols:\n    sora");
  /* Each of the element's own properties says what it is for. */
  GstElement *src = gst_element_factory_make("soravideosrc", nullptr);
  guint n = 0;
  g_autofree GParamSpec **specs = g_object_class_list_properties(G_OBJECT_GET_CLASS(src), &n);
  for (guint i = 0; i < n; i++) {
    if (specs[i]->owner_type != G_OBJECT_TYPE(src))
      continue;
    const char *blurb = g_param_spec_get_blurb(specs[i]);
    if (!blurb || strlen(blurb) < 20 || g_strcmp0(blurb, specs[i]->name) == 0)
      g_error("property %s has no real description", specs[i]->name);
  }
  gst_object_unref(src);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/integration/uri/generate", test_uri_generate);
  g_test_add_func("/integration/uri/round-trip", test_uri_round_trip);
  g_test_add_func("/integration/uri/video", test_uri_video);
  g_test_add_func("/integration/uri/path-form", test_uri_path_form);
  g_test_add_func("/integration/uri/refuses-key", test_uri_refuses_key);
  g_test_add_func("/integration/uri/bad", test_uri_bad);
  g_test_add_func("/integration/uri/resets", test_uri_resets);
  g_test_add_func("/integration/uri/running", test_uri_running);
  g_test_add_func("/integration/playbin", test_playbin);
  g_test_add_func("/integration/playbin/video-id", test_playbin_video_id);
  g_test_add_func("/integration/uridecodebin", test_uridecodebin);
  g_test_add_func("/integration/gst-discoverer", test_discoverer);
  g_test_add_func("/integration/gst-play", test_gst_play);
  g_test_add_func("/integration/ges-launch", test_ges_launch);
  g_test_add_func("/examples/broadcast-chain", test_example_broadcast_chain);
  g_test_add_func("/examples/progress-app", test_example_progress_app);
  g_test_add_func("/examples/sora-render", test_example_sora_render);
  g_test_add_func("/examples/sora-render/interrupt", test_example_sora_render_interrupt);
  g_test_add_func("/docs/reference-lists-every-property", test_docs_reference);
  g_test_add_func("/docs/defaults", test_docs_defaults);
  g_test_add_func("/docs/playlist-reference", test_docs_playlist_reference);
  g_test_add_func("/docs/inspect-reads-cleanly", test_inspect_reads_cleanly);
  return g_test_run();
}
