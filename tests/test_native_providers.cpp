/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc against the emulator's native provider presets (gemini,
 * fal, replicate): per provider, the whole clip; exactly one create with
 * the provider's key header and the body's JSON types; the status read
 * where the server said; no key at the CDN host; a refused value with no
 * create; the provider's own failure words in the error; a 429 waited out
 * with one task made; a journalled request attached to again after its
 * process was killed; the key absent from a GST_DEBUG=*:9 log. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <csignal>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::kPrompt;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;

namespace {

/* What differs between the providers for these tests. */
struct Provider {
  const char *gateway;       /* the element's gateway value, the emulator's preset */
  const char *model;         /* a model the preset knows */
  const char *base_path;     /* below the emulator's root */
  const char *key_env;       /* the provider's key variable */
  const char *create_suffix; /* the create's path ends so */
  unsigned fps;              /* of the preset's clips */
  unsigned seconds;          /* a duration the model takes */
  const char *key_header;    /* where the key goes, as the debug log shows it blanked */
  bool audio;                /* the model's clips have sound */
};

const Provider kGemini{"gemini", "veo-3.0-generate-001", "/v1beta", "GEMINI_API_KEY",
                       ":predictLongRunning", 24, 4, "x-goog-api-key: [redacted]", true};
/* Veo 3 on fal: its duration is a string enum with a unit ("4s"), and
 * its clips have sound (the decoding pipeline wants an audio track). */
const Provider kFal{"fal", "fal-ai/veo3", "", "FAL_KEY", "/fal-ai/veo3", 24, 4,
                    "Authorization: [redacted]", true};
/* Kling 2.1 on Replicate: duration an integer enum (Cog's allOf), no sound. */
const Provider kReplicate{"replicate", "kwaivgi/kling-v2.1-master", "/v1",
                          "REPLICATE_API_TOKEN", "/v1/models/kwaivgi/kling-v2.1-master/predictions",
                          24, 5, "Authorization: [redacted]", false};

std::string root_of(const EmulatorProcess &emulator) {
  const std::string &base = emulator.base_url();
  return base.substr(0, base.rfind("/v1"));
}

std::string base_url(const EmulatorProcess &emulator, const Provider &p) {
  return root_of(emulator) + p.base_path;
}

/* The element's properties for `p` at `emulator`, the key among them
 * unless `with_key` is false (then it comes from the environment). */
std::string props(const EmulatorProcess &emulator, const Provider &p, const std::string &extra = "",
                  bool with_key = true) {
  return std::string("prompt=\"") + kPrompt + "\" gateway=" + p.gateway +
         " base-url=" + base_url(emulator, p) + " model=" + p.model +
         " poll-interval=100 seconds=" + std::to_string(p.seconds) + " size=1280x720 " + (with_key ? "api-key=" + std::string(kTestKey) + " " : "") +
         extra;
}

PipelineResult generate(const EmulatorProcess &emulator, const Provider &p,
                        const std::string &extra = "") {
  /* A clip without sound: decoded to video alone. */
  std::string description =
      p.audio ? sora_test::decode_pipeline(props(emulator, p, extra))
              : "soravideosrc cache-mode=off " + props(emulator, p, extra) +
                    " ! decodebin ! queue ! videoconvert ! fakesink name=vsink sync=false";
  PipelineRun run(description);
  return run.play(90);
}

/* The clip at the preset's frame rate, whole. */
void assert_whole_clip(const PipelineResult &r, const Provider &p, unsigned frames = 0,
                       int width = 1280, int height = 720) {
  if (r.has_error())
    g_error("pipeline error: %s (%s)", r.error_message.c_str(), r.error_debug.c_str());
  g_assert_false(r.timed_out);
  g_assert_true(r.eos);
  g_assert_cmpuint(r.video_frames, ==, frames ? frames : p.seconds * p.fps);
  g_assert_cmpint(r.width, ==, width);
  g_assert_cmpint(r.height, ==, height);
}

bool is_create(const SeenRequest &r, const Provider &p) {
  return r.method == "POST" && g_str_has_suffix(r.path.c_str(), p.create_suffix);
}

std::vector<SeenRequest> creates(EmulatorProcess &emulator, const Provider &p) {
  std::vector<SeenRequest> out;
  for (const SeenRequest &r : emulator.requests()) {
    if (is_create(r, p))
      out.push_back(r);
  }
  return out;
}

std::string member_text(JsonObject *object, const char *name) {
  JsonNode *node = object ? json_object_get_member(object, name) : nullptr;
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
             ? json_node_get_string(node)
             : "";
}

JsonObject *member_object(JsonObject *object, const char *name) {
  JsonNode *node = object ? json_object_get_member(object, name) : nullptr;
  return node && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
}

bool key_sent(const SeenRequest &r) {
  JsonNode *node = json_object_get_member(r.record, "key_sent");
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_boolean(node);
}

/* Every request to the CDN host came without a key, and there was one. */
void assert_cdn_saw_no_key(EmulatorProcess &emulator) {
  size_t cdn = 0;
  for (const SeenRequest &r : emulator.requests()) {
    if (member_text(r.record, "host") != "cdn")
      continue;
    cdn++;
    g_assert_false(key_sent(r));
  }
  g_assert_cmpuint(cdn, >, 0);
}

/* The one task the emulator made, its id. */
std::string only_task_id(EmulatorProcess &emulator) {
  std::vector<std::string> ids;
  emulator.for_each_task([&ids](JsonObject *task) { ids.push_back(member_text(task, "id")); });
  g_assert_cmpuint(ids.size(), ==, 1);
  return ids[0];
}

std::vector<std::string> launch_command(const std::string &description) {
  return {"/bin/sh", "-c", "exec gst-launch-1.0 " + description};
}

/* ---- Gemini API (Veo) ---- */

void test_gemini_whole_clip() {
  EmulatorProcess emulator({"--dialect", "gemini", "--api-key", kTestKey});
  PipelineResult r = generate(emulator, kGemini);
  assert_whole_clip(r, kGemini);

  std::vector<SeenRequest> made = creates(emulator, kGemini);
  g_assert_cmpuint(made.size(), ==, 1);
  const SeenRequest &create = made[0];
  sora_assert_str_eq(create.path, "/v1beta/models/veo-3.0-generate-001:predictLongRunning");
  JsonObject *headers = member_object(create.record, "headers");
  sora_assert_str_eq(member_text(headers, "x-goog-api-key"), kTestKey);
  g_assert_false(json_object_has_member(headers, "authorization"));
  JsonObject *body = member_object(create.record, "json");
  JsonObject *parameters = member_object(body, "parameters");
  JsonNode *duration = json_object_get_member(parameters, "durationSeconds");
  g_assert_nonnull(duration);
  g_assert_true(json_node_get_value_type(duration) == G_TYPE_INT64);
  g_assert_cmpint(json_node_get_int(duration), ==, 4);
  sora_assert_str_eq(member_text(parameters, "aspectRatio"), "16:9");
  sora_assert_str_eq(member_text(parameters, "resolution"), "720p");

  /* The operation was read at the name the create answered, and only there. */
  std::string operation = "/v1beta/models/veo-3.0-generate-001/operations/" + only_task_id(emulator);
  size_t polls = 0;
  for (const SeenRequest &seen : emulator.requests()) {
    if (seen.method != "GET" || member_text(seen.record, "host") != "api")
      continue;
    if (g_str_has_prefix(seen.path.c_str(), "/v1beta/files/"))
      continue; /* the clip's file URL, which redirects to the CDN */
    sora_assert_str_eq(seen.path, operation);
    polls++;
  }
  g_assert_cmpuint(polls, >=, 1);
  assert_cdn_saw_no_key(emulator);
}

/* Veo 3 takes 4, 6 or 8 s: 5 is refused before anything is sent. */
void test_gemini_refused_value() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  PipelineResult r = generate(emulator, kGemini, "seconds=5");
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "seconds=5");
  sora_assert_contains(r.error_message, "'4', '6' or '8'");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

/* The operation's error (INVALID_ARGUMENT) and the safety filters' reasons
 * reach the error, with the operation's name. */
void test_gemini_failure_words() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  emulator.configure(
      R"({"fail_next": {"code": "INVALID_ARGUMENT", "message": "The prompt could not be used."}})");
  PipelineResult failed = generate(emulator, kGemini);
  g_assert_true(failed.has_error());
  sora_assert_contains(failed.error_message, "INVALID_ARGUMENT");
  sora_assert_contains(failed.error_message, "The prompt could not be used.");
  sora_assert_contains(failed.error_message, "models/veo-3.0-generate-001/operations/");

  emulator.configure(R"({"filter_next": ["Unable to generate: a celebrity likeness."]})");
  PipelineResult filtered = generate(emulator, kGemini);
  g_assert_true(filtered.has_error());
  sora_assert_contains(filtered.error_message, "celebrity likeness");
  sora_assert_contains(filtered.error_message, "safety filters");
  sora_assert_contains(filtered.error_message, "models/veo-3.0-generate-001/operations/");
}

/* A 429 to the create is waited out: sent again, one task made. */
void test_rate_limit(gconstpointer data) {
  const Provider &p = *static_cast<const Provider *>(data);
  EmulatorProcess emulator({"--dialect", p.gateway});
  emulator.configure(R"({"faults": [{"route": "create", "action": "status", "status": 429,
                         "times": 1, "headers": {"Retry-After": "1"}}]})");
  PipelineResult r = generate(emulator, p);
  assert_whole_clip(r, p);
  g_assert_cmpuint(creates(emulator, p).size(), ==, 2);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
}

/* A process killed while its operation runs: the rerun attaches to the
 * journalled operation, nothing is created again. */
void test_resume_after_kill(gconstpointer data) {
  const Provider &p = *static_cast<const Provider *>(data);
  EmulatorProcess emulator({"--dialect", p.gateway, "--generation-ms", "4000"});
  sora_test::TempDir dir;
  std::string cached = "cache-mode=reuse cache-dir=" + dir.path();
  ProcessRun doomed(launch_command("soravideosrc " + props(emulator, p, cached) + " ! fakesink"),
                    {});
  doomed.start();
  /* The create answered, and the task's state asked for. */
  sora_test::wait_until("the first status read", [&emulator, &p] {
    bool created = false;
    for (const SeenRequest &r : emulator.requests()) {
      if (is_create(r, p) && r.response_status >= 200 && r.response_status < 300)
        created = true;
      else if (created && r.method == "GET" && member_text(r.record, "route") != "schema")
        return true;
    }
    return false;
  });
  doomed.send_signal(SIGKILL);
  ProcessResult killed = doomed.wait(10);
  g_assert_false(killed.exited);

  PipelineResult rerun = generate(emulator, p, cached);
  assert_whole_clip(rerun, p);
  g_assert_cmpuint(creates(emulator, p).size(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
}

/* gst-launch-1.0 with the key in the provider's variable and
 * GST_DEBUG=*:9: the whole output holds no key, and the header shows
 * blanked. */
void test_key_not_logged(gconstpointer data) {
  const Provider &p = *static_cast<const Provider *>(data);
  EmulatorProcess emulator({"--dialect", p.gateway, "--api-key", kTestKey});
  std::map<std::string, std::string> env = {{p.key_env, kTestKey},
                                            {"GST_DEBUG", "*:9"},
                                            {"GST_DEBUG_NO_COLOR", "1"},
                                            {"G_MESSAGES_DEBUG", "all"}};
  ProcessResult launch = ProcessRun::run(
      launch_command("-v soravideosrc cache-mode=off " + props(emulator, p, "", false) +
                     " ! fakesink"),
      env);
  g_assert_true(launch.exited);
  g_assert_cmpint(launch.status, ==, 0);
  std::string text = launch.out + launch.err;
  g_assert_true(text.find(p.key_header) != std::string::npos);
  g_assert_true(text.find(kTestKey) == std::string::npos);
  g_assert_cmpuint(creates(emulator, p).size(), ==, 1);
}

/* ---- fal ---- */

/* The request's paths below its app's first two segments, as the create
 * answered them. */
std::string fal_requests_path(EmulatorProcess &emulator) {
  return "/fal-ai/veo3/requests/" + only_task_id(emulator);
}

size_t count_gets(EmulatorProcess &emulator, const std::string &path) {
  size_t n = 0;
  for (const SeenRequest &r : emulator.requests())
    n += r.method == "GET" && r.path == path;
  return n;
}

void test_fal_whole_clip() {
  EmulatorProcess emulator({"--dialect", "fal", "--api-key", kTestKey});
  PipelineResult r = generate(emulator, kFal);
  assert_whole_clip(r, kFal);

  std::vector<SeenRequest> made = creates(emulator, kFal);
  g_assert_cmpuint(made.size(), ==, 1);
  sora_assert_str_eq(made[0].authorization, std::string("Key ") + kTestKey);
  /* Veo 3's duration is a string enum with a unit, from the app's
   * schema: "4s"; the size as aspect_ratio and resolution. */
  JsonObject *input = member_object(made[0].record, "json");
  JsonNode *duration = json_object_get_member(input, "duration");
  g_assert_nonnull(duration);
  g_assert_true(json_node_get_value_type(duration) == G_TYPE_STRING);
  sora_assert_str_eq(json_node_get_string(duration), "4s");
  sora_assert_str_eq(member_text(input, "aspect_ratio"), "16:9");
  sora_assert_str_eq(member_text(input, "resolution"), "720p");
  g_assert_cmpuint(emulator.requests("GET", "/api/openapi/queue/openapi.json").size(), ==, 1);

  /* The states came on the status stream, at the URL the create gave:
   * no poll; then the result. */
  std::string requests = fal_requests_path(emulator);
  g_assert_cmpuint(count_gets(emulator, requests + "/status/stream"), ==, 1);
  g_assert_cmpuint(count_gets(emulator, requests + "/status"), ==, 0);
  g_assert_cmpuint(count_gets(emulator, requests), ==, 1);
  /* Nothing was cancelled. */
  for (const SeenRequest &seen : emulator.requests())
    g_assert_true(seen.method != "PUT");
  assert_cdn_saw_no_key(emulator);
}

/* The schema is kept a day in the cache directory: a second process with
 * the same cache reads no schema, and the file holds no key. */
void test_fal_schema_cached_on_disk() {
  EmulatorProcess emulator({"--dialect", "fal"});
  sora_test::TempDir dir;
  std::map<std::string, std::string> env = {{"FAL_KEY", kTestKey}};
  for (const char *prompt : {"first", "second"}) {
    ProcessResult run = ProcessRun::run(
        launch_command("soravideosrc " +
                       props(emulator, kFal,
                             std::string("prompt=") + prompt + " cache-mode=reuse cache-dir=" +
                                 dir.path(),
                             false) +
                       " ! fakesink"),
        env);
    g_assert_true(run.exited);
    g_assert_cmpint(run.status, ==, 0);
  }
  g_assert_cmpuint(emulator.requests("GET", "/api/openapi/queue/openapi.json").size(), ==, 1);
  g_assert_cmpuint(creates(emulator, kFal).size(), ==, 2);
  g_autoptr(GDir) schemas = g_dir_open((dir.path() + "/schemas").c_str(), 0, nullptr);
  g_assert_nonnull(schemas);
  const char *name = g_dir_read_name(schemas);
  g_assert_nonnull(name);
  g_autofree char *text = nullptr;
  g_assert_true(
      g_file_get_contents((dir.path() + "/schemas/" + name).c_str(), &text, nullptr, nullptr));
  g_assert_true(strstr(text, "duration") != nullptr);
  g_assert_true(strstr(text, kTestKey) == nullptr);
}

/* A journalled request that failed meanwhile is made anew, once, through
 * the same path as any create: the schema read (from the cache directory)
 * and the body in the schema's types. */
void test_fal_stale_journal_recreated() {
  EmulatorProcess emulator({"--dialect", "fal", "--generation-ms", "3000"});
  emulator.configure(R"({"fail_next": {"code": "generation_error", "message": "broke"}})");
  sora_test::TempDir dir;
  std::string cached = "cache-mode=reuse cache-dir=" + dir.path();
  ProcessRun doomed(launch_command("soravideosrc " + props(emulator, kFal, cached) + " ! fakesink"),
                    {});
  doomed.start();
  sora_test::wait_until("the status stream", [&emulator] {
    for (const SeenRequest &r : emulator.requests()) {
      if (g_str_has_suffix(r.path.c_str(), "/status/stream"))
        return true;
    }
    return false;
  });
  doomed.send_signal(SIGKILL);
  doomed.wait(10);

  assert_whole_clip(generate(emulator, kFal, cached), kFal);
  std::vector<SeenRequest> made = creates(emulator, kFal);
  g_assert_cmpuint(made.size(), ==, 2);
  JsonNode *duration =
      json_object_get_member(member_object(made[1].record, "json"), "duration");
  g_assert_true(duration && json_node_get_value_type(duration) == G_TYPE_STRING);
  sora_assert_str_eq(json_node_get_string(duration), "4s");
}

/* A stream cut short gives way to polling the status URL. */
void test_fal_stream_broken() {
  EmulatorProcess emulator({"--dialect", "fal"});
  emulator.configure(
      R"({"faults": [{"route": "stream", "action": "truncate", "after_bytes": 20, "times": -1}]})");
  PipelineResult r = generate(emulator, kFal);
  assert_whole_clip(r, kFal);
  std::string requests = fal_requests_path(emulator);
  g_assert_cmpuint(count_gets(emulator, requests + "/status/stream"), ==, 1);
  g_assert_cmpuint(count_gets(emulator, requests + "/status"), >=, 1);
  g_assert_cmpuint(creates(emulator, kFal).size(), ==, 1);
}

/* Kling takes "5" or "10": seconds=7 is refused from the schema, before
 * any create; Veo 3 takes "4s", "6s" or "8s". */
void test_fal_refused_value() {
  EmulatorProcess emulator({"--dialect", "fal"});
  PipelineResult kling =
      generate(emulator, kFal, "seconds=7 model=fal-ai/kling-video/v2.1/master/text-to-video");
  g_assert_true(kling.has_error());
  sora_assert_contains(kling.error_message, "seconds=7");
  sora_assert_contains(kling.error_message, "'5' or '10'");
  PipelineResult veo = generate(emulator, kFal, "seconds=5");
  g_assert_true(veo.has_error());
  sora_assert_contains(veo.error_message, "'4s', '6s' or '8s'");
  for (const SeenRequest &seen : emulator.requests())
    g_assert_true(seen.method != "POST");
}

/* A failed request: pydantic's detail from the result, and the request id. */
void test_fal_failure_words() {
  EmulatorProcess emulator({"--dialect", "fal"});
  emulator.configure(
      R"({"fail_next": {"code": "generation_error", "message": "The model could not render it."}})");
  PipelineResult r = generate(emulator, kFal);
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "The model could not render it.");
  sora_assert_contains(r.error_message, only_task_id(emulator));
}

/* From the request's completion (the emulator's clock, the same monotonic
 * clock) to the first decoded frame, with the status stream and with the
 * polling it falls back to, both at the product's defaults (no
 * poll-interval): printed for the record (docs/gateways.md quotes it), and
 * the requests each way checked. */
void test_fal_stream_latency() {
  for (bool broken : {false, true}) {
    EmulatorProcess emulator({"--dialect", "fal"});
    if (broken)
      emulator.configure(
          R"({"faults": [{"route": "stream", "action": "truncate", "after_bytes": 20, "times": -1}]})");
    std::string description = sora_test::decode_pipeline(
        std::string("prompt=\"") + kPrompt + "\" gateway=fal base-url=" + base_url(emulator, kFal) +
        " model=fal-ai/veo3 seconds=4 size=1280x720 api-key=" + kTestKey);
    PipelineRun run(description);
    PipelineResult r = run.play(90);
    assert_whole_clip(r, kFal);
    gint64 completed_us = 0;
    emulator.for_each_task([&completed_us](JsonObject *task) {
      completed_us = json_object_get_int_member(task, "completed_us");
    });
    g_assert_cmpint(completed_us, >, 0);
    gint64 first_frame_us = r.started_us + static_cast<gint64>(r.time_to_first_frame / 1000);
    std::string requests = fal_requests_path(emulator);
    size_t polls = count_gets(emulator, requests + "/status");
    g_test_message("fal, %s: completed -> first frame %.1f ms (%zu polls)",
                   broken ? "polling (stream broken)" : "status stream",
                   (first_frame_us - completed_us) / 1000.0, polls);
    if (broken)
      g_assert_cmpuint(polls, >=, 1);
    else
      g_assert_cmpuint(polls, ==, 0);
  }
}

/* ---- Replicate ---- */

void test_replicate_whole_clip() {
  EmulatorProcess emulator({"--dialect", "replicate", "--api-key", kTestKey});
  PipelineResult r = generate(emulator, kReplicate);
  assert_whole_clip(r, kReplicate);

  std::vector<SeenRequest> made = creates(emulator, kReplicate);
  g_assert_cmpuint(made.size(), ==, 1);
  sora_assert_str_eq(made[0].authorization, std::string("Bearer ") + kTestKey);
  /* {"input": {...}}, the duration an integer (Cog's allOf enum). */
  JsonObject *input = member_object(member_object(made[0].record, "json"), "input");
  g_assert_nonnull(input);
  JsonNode *duration = json_object_get_member(input, "duration");
  g_assert_nonnull(duration);
  g_assert_true(json_node_get_value_type(duration) == G_TYPE_INT64);
  g_assert_cmpint(json_node_get_int(duration), ==, 5);
  sora_assert_str_eq(member_text(input, "aspect_ratio"), "16:9");
  g_assert_cmpuint(emulator.requests("GET", "/v1/models/kwaivgi/kling-v2.1-master").size(), ==,
                   1);
  /* Polled at urls.get; never cancelled. */
  std::string get = "/v1/predictions/" + only_task_id(emulator);
  size_t polls = 0;
  for (const SeenRequest &seen : emulator.requests()) {
    g_assert_true(!g_str_has_suffix(seen.path.c_str(), "/cancel"));
    polls += seen.method == "GET" && seen.path == get;
  }
  g_assert_cmpuint(polls, >=, 1);
  assert_cdn_saw_no_key(emulator);
}

/* Zeroscope: width and height from the size, num_frames at its fps (8),
 * its output a list of URLs. */
void test_replicate_list_output() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  PipelineResult r =
      generate(emulator, kReplicate, "model=anotherjesse/zeroscope-v2-xl seconds=3 size=576x320");
  assert_whole_clip(r, kReplicate, 24, 576, 320);
  std::vector<SeenRequest> posts =
      emulator.requests("POST", "/v1/models/anotherjesse/zeroscope-v2-xl/predictions");
  g_assert_cmpuint(posts.size(), ==, 1);
  JsonObject *input = member_object(member_object(posts[0].record, "json"), "input");
  g_assert_nonnull(input);
  g_assert_cmpint(json_object_get_int_member(input, "num_frames"), ==, 24);
  g_assert_cmpint(json_object_get_int_member(input, "width"), ==, 576);
  g_assert_cmpint(json_object_get_int_member(input, "height"), ==, 320);
}

/* owner/name:VERSION: the version's own schema, and the create at
 * /predictions naming the version. */
void test_replicate_pinned_version() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  g_autofree char *version =
      g_compute_checksum_for_string(G_CHECKSUM_SHA256, "kwaivgi/kling-v2.1-master", -1);
  std::string model = std::string("kwaivgi/kling-v2.1-master:") + version;
  assert_whole_clip(generate(emulator, kReplicate, "model=" + model), kReplicate);
  g_assert_cmpuint(
      emulator
          .requests("GET", std::string("/v1/models/kwaivgi/kling-v2.1-master/versions/") + version)
          .size(),
      ==, 1);
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/predictions");
  g_assert_cmpuint(posts.size(), ==, 1);
  JsonObject *body = member_object(posts[0].record, "json");
  sora_assert_str_eq(member_text(body, "version"), version);
  JsonNode *duration = json_object_get_member(member_object(body, "input"), "duration");
  g_assert_true(duration && json_node_get_value_type(duration) == G_TYPE_INT64);
}

/* Kling takes 5 or 10: seconds=7 refused from the Cog schema, no create. */
void test_replicate_refused_value() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  PipelineResult r = generate(emulator, kReplicate, "seconds=7");
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "seconds=7");
  sora_assert_contains(r.error_message, "'5' or '10'");
  for (const SeenRequest &seen : emulator.requests())
    g_assert_true(seen.method != "POST");
}

/* The safety filter's E005 text reaches the error, with the prediction. */
void test_replicate_failure_words() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  emulator.configure(R"({"filter_next": ["flagged"]})");
  PipelineResult r = generate(emulator, kReplicate);
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "E005");
  sora_assert_contains(r.error_message, only_task_id(emulator));
}

/* A create whose answer was lost (the provider made the task, the
 * connection closed): the journal keeps the "creating" mark, and the rerun
 * never sends it again. Replicate lists its predictions: the rerun finds
 * the one the lost create made and attaches to it. fal and the Gemini API
 * list nothing: the rerun says so, and creates nothing. */
void test_interrupted_create(gconstpointer data) {
  const Provider &p = *static_cast<const Provider *>(data);
  EmulatorProcess emulator({"--dialect", p.gateway});
  emulator.configure(R"({"faults":[{"route":"create","action":"accept_then_drop"}]})");
  sora_test::TempDir dir;
  std::string cached = "cache-mode=reuse cache-dir=" + dir.path();
  PipelineResult lost = generate(emulator, p, cached);
  g_assert_true(lost.has_error());
  g_assert_cmpuint(emulator.task_count(), ==, 1);

  PipelineResult rerun = generate(emulator, p, cached);
  g_assert_cmpuint(creates(emulator, p).size(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
  if (std::string(p.gateway) == "replicate") {
    assert_whole_clip(rerun, p);
    g_assert_cmpuint(emulator.requests("GET", "/v1/predictions").size(), >=, 1);
    return;
  }
  g_assert_true(rerun.has_error());
  sora_assert_contains(rerun.error_message, "has no task list to search");
}

/* A download cut short resumes with Range at the CDN, without the key,
 * and the file is the rendered clip byte for byte. */
void test_download_resumed(gconstpointer data) {
  const Provider &p = *static_cast<const Provider *>(data);
  EmulatorProcess emulator({"--dialect", p.gateway});
  /* Google's file URL is a content route too: it redirects, the CDN's is cut. */
  emulator.configure(std::string(R"({"faults":[{"route":"content","action":"truncate",)") +
                     R"("after_bytes":100000,"skip":)" +
                     (std::string(p.gateway) == "gemini" ? "1" : "0") + "}]}");
  sora_test::TempDir dir;
  std::string location = dir.path() + "/resumed.mp4";
  assert_whole_clip(generate(emulator, p, "location=" + location), p);
  std::vector<SeenRequest> cdn;
  for (const SeenRequest &r : emulator.requests()) {
    if (member_text(r.record, "host") == "cdn")
      cdn.push_back(r);
  }
  g_assert_cmpuint(cdn.size(), ==, 2);
  sora_assert_str_eq(member_text(member_object(cdn[1].record, "headers"), "range"),
                     "bytes=100000-");
  g_assert_cmpuint(cdn[1].response_status, ==, 206);
  assert_cdn_saw_no_key(emulator);
  g_autofree char *kept = nullptr, *rendered = nullptr;
  gsize kept_size = 0, rendered_size = 0;
  g_assert_true(g_file_get_contents(location.c_str(), &kept, &kept_size, nullptr));
  g_assert_true(g_file_get_contents(emulator.rendered_clip(only_task_id(emulator)).c_str(),
                                    &rendered, &rendered_size, nullptr));
  g_assert_cmpuint(kept_size, ==, rendered_size);
  g_assert_true(memcmp(kept, rendered, kept_size) == 0);
}

/* ---- sora-tasks ---- */

std::vector<std::string> sora_tasks(const EmulatorProcess &emulator, const Provider &p,
                                    std::vector<std::string> args) {
  const char *binary = g_getenv("SORA_TASKS");
  g_assert_nonnull(binary);
  std::vector<std::string> argv = {binary, "--gateway", p.gateway, "--base-url",
                                   base_url(emulator, p), "--model", p.model};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

/* The id the user sees for the emulator's task: Gemini's operation name. */
std::string user_id(const Provider &p, const std::string &task_id) {
  if (std::string(p.gateway) == "gemini")
    return std::string("models/") + p.model + "/operations/" + task_id;
  return task_id;
}

/* show and download by id, then cancel one that runs (fal, Replicate; the
 * Gemini API has none): stopping a pipeline never cancels, sora-tasks
 * does when asked. */
void test_sora_tasks(gconstpointer data) {
  const Provider &p = *static_cast<const Provider *>(data);
  EmulatorProcess emulator({"--dialect", p.gateway, "--api-key", kTestKey});
  std::map<std::string, std::string> env = {{p.key_env, kTestKey}};
  assert_whole_clip(generate(emulator, p), p);
  std::string id = user_id(p, only_task_id(emulator));

  ProcessResult shown = ProcessRun::run(sora_tasks(emulator, p, {"show", id}), env);
  g_assert_true(shown.exited);
  if (shown.status != 0)
    g_error("sora-tasks show: %s", shown.err.c_str());
  sora_assert_contains(shown.out, id);
  /* Replicate lists its predictions; the others have no list. */
  ProcessResult listed = ProcessRun::run(sora_tasks(emulator, p, {"list"}), env);
  g_assert_true(listed.exited);
  if (std::string(p.gateway) == "replicate") {
    g_assert_cmpint(listed.status, ==, 0);
    sora_assert_contains(listed.out, id);
  } else {
    g_assert_cmpint(listed.status, !=, 0);
    sora_assert_contains(listed.err, "has no task list");
  }
  sora_test::TempDir dir;
  std::string clip = dir.path() + "/clip.mp4";
  ProcessResult fetched = ProcessRun::run(sora_tasks(emulator, p, {"download", id, "-o", clip}), env);
  if (!fetched.exited || fetched.status != 0)
    g_error("sora-tasks download: %s", fetched.err.c_str());
  g_autofree char *got = nullptr, *rendered = nullptr;
  gsize got_size = 0, rendered_size = 0;
  g_assert_true(g_file_get_contents(clip.c_str(), &got, &got_size, nullptr));
  g_assert_true(g_file_get_contents(emulator.rendered_clip(only_task_id(emulator)).c_str(),
                                    &rendered, &rendered_size, nullptr));
  g_assert_cmpuint(got_size, ==, rendered_size);
  g_assert_true(memcmp(got, rendered, got_size) == 0);
  g_assert_true(shown.out.find(kTestKey) == std::string::npos);

  /* A request that runs, its pipeline stopped: no cancel until asked. */
  emulator.configure(R"({"generation_ms": 30000})");
  emulator.clear_requests();
  ProcessRun doomed(launch_command("soravideosrc cache-mode=off " + props(emulator, p, "prompt=other") +
                                   " ! fakesink"),
                    {});
  doomed.start();
  sora_test::wait_until("the create", [&emulator, &p] {
    for (const SeenRequest &r : emulator.requests()) {
      if (is_create(r, p) && r.response_status >= 200 && r.response_status < 300)
        return true;
    }
    return false;
  });
  doomed.send_signal(SIGINT);
  doomed.wait(10);
  std::string running;
  emulator.for_each_task([&running](JsonObject *task) {
    if (member_text(task, "prompt") == "other" ||
        member_text(task, "status") != "completed")
      running = member_text(task, "id");
  });
  g_assert_false(running.empty());
  for (const SeenRequest &r : emulator.requests())
    g_assert_false(g_str_has_suffix(r.path.c_str(), "/cancel"));
  ProcessResult cancelled =
      ProcessRun::run(sora_tasks(emulator, p, {"cancel", user_id(p, running)}), env);
  g_assert_true(cancelled.exited);
  if (std::string(p.gateway) == "gemini") {
    g_assert_cmpint(cancelled.status, !=, 0);
    sora_assert_contains(cancelled.err, "has no cancel");
    return;
  }
  if (cancelled.status != 0)
    g_error("sora-tasks cancel: %s", cancelled.err.c_str());
  bool seen = false;
  emulator.for_each_task([&seen, &running](JsonObject *task) {
    JsonNode *flag = json_object_get_member(task, "cancelled");
    if (member_text(task, "id") == running)
      seen = flag && JSON_NODE_HOLDS_VALUE(flag) && json_node_get_boolean(flag);
  });
  g_assert_true(seen);
}

/* models MODEL: the fields the model's schema allows. */
void test_sora_tasks_models() {
  for (const Provider *p : {&kFal, &kReplicate}) {
    EmulatorProcess emulator({"--dialect", p->gateway});
    std::string model = std::string(p->gateway) == "fal"
                            ? "fal-ai/kling-video/v2.1/master/text-to-video"
                            : "kwaivgi/kling-v2.1-master";
    ProcessResult listed = ProcessRun::run(
        {g_getenv("SORA_TASKS"), "--gateway", p->gateway, "--base-url", base_url(emulator, *p),
         "models", model},
        {{p->key_env, kTestKey}});
    g_assert_true(listed.exited);
    if (listed.status != 0)
      g_error("sora-tasks models: %s", listed.err.c_str());
    sora_assert_contains(listed.out, std::string("duration (") +
                                         (std::string(p->gateway) == "fal" ? "string" : "integer") +
                                         "): '5' or '10'");
    sora_assert_contains(listed.out, "aspect_ratio");
  }
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/native/gemini/whole-clip", test_gemini_whole_clip);
  g_test_add_func("/native/gemini/refused-value", test_gemini_refused_value);
  g_test_add_func("/native/gemini/failure-words", test_gemini_failure_words);
  g_test_add_func("/native/fal/whole-clip", test_fal_whole_clip);
  g_test_add_func("/native/fal/stream-broken", test_fal_stream_broken);
  g_test_add_func("/native/fal/schema-cached-on-disk", test_fal_schema_cached_on_disk);
  g_test_add_func("/native/fal/stale-journal-recreated", test_fal_stale_journal_recreated);
  g_test_add_func("/native/fal/refused-value", test_fal_refused_value);
  g_test_add_func("/native/fal/failure-words", test_fal_failure_words);
  g_test_add_func("/native/fal/stream-latency", test_fal_stream_latency);
  g_test_add_func("/native/replicate/whole-clip", test_replicate_whole_clip);
  g_test_add_func("/native/replicate/list-output", test_replicate_list_output);
  g_test_add_func("/native/replicate/refused-value", test_replicate_refused_value);
  g_test_add_func("/native/replicate/failure-words", test_replicate_failure_words);
  g_test_add_func("/native/replicate/pinned-version", test_replicate_pinned_version);
  g_test_add_func("/native/sora-tasks-models", test_sora_tasks_models);
  for (const Provider *p : {&kGemini, &kFal, &kReplicate}) {
    std::string name = std::string("/native/") + p->gateway;
    g_test_add_data_func((name + "/rate-limit").c_str(), p, test_rate_limit);
    g_test_add_data_func((name + "/resume-after-kill").c_str(), p, test_resume_after_kill);
    g_test_add_data_func((name + "/key-not-logged").c_str(), p, test_key_not_logged);
    g_test_add_data_func((name + "/sora-tasks").c_str(), p, test_sora_tasks);
    g_test_add_data_func((name + "/interrupted-create").c_str(), p, test_interrupted_create);
    g_test_add_data_func((name + "/download-resumed").c_str(), p, test_download_resumed);
  }
  return g_test_run();
}
