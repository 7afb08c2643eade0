/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The gateways of 2026, each as the emulator's preset of it answers: a clip
 * decoded whole through a pipeline, exactly one create, the body the server
 * saw, the header that carried the key on every request, the content fetched
 * the way that server wants it, and the key on no other host. Then what
 * goes wrong with gateways: a multipart create a JSON-only server refuses,
 * cancelled and expired tasks, no server at all, a server that says it is
 * going away. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <map>

#include <string>
#include <vector>

using sora_test::assert_whole_clip;
using sora_test::EmulatorProcess;
using sora_test::generate;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;

namespace {

sora_test::TempDir *scratch;

/* Gateways send no poll hint: poll fast rather than wait their default. */
const std::string kFast = std::string(sora_test::kFastPolls) + " ";

std::string header(const SeenRequest &r, const char *name) {
  JsonObject *headers = json_object_get_object_member(r.record, "headers");
  return headers && json_object_has_member(headers, name)
             ? json_object_get_string_member(headers, name)
             : "";
}

std::string host_of(const SeenRequest &r) {
  return json_object_get_string_member(r.record, "host");
}

std::string route_of(const SeenRequest &r) {
  JsonNode *route = json_object_get_member(r.record, "route");
  return route && !JSON_NODE_HOLDS_NULL(route) ? json_node_get_string(route) : "";
}

std::vector<SeenRequest> on_route(EmulatorProcess &emulator, const char *route) {
  std::vector<SeenRequest> matching;
  for (const SeenRequest &r : emulator.requests()) {
    if (route_of(r) == route)
      matching.push_back(r);
  }
  return matching;
}

/* Every API request carried the key in `name` ("authorization" or
 * "api-key") as `value`, and in no other header; no other host saw it. */
void assert_key_in(EmulatorProcess &emulator, const char *name, const std::string &value) {
  const char *other = g_strcmp0(name, "authorization") == 0 ? "api-key" : "authorization";
  for (const SeenRequest &r : emulator.requests()) {
    if (host_of(r) != "api") {
      g_assert_cmpstr(header(r, "authorization").c_str(), ==, "");
      g_assert_cmpstr(header(r, "api-key").c_str(), ==, "");
      continue;
    }
    sora_assert_str_eq(header(r, name), value);
    sora_assert_str_eq(header(r, other), "");
  }
}

/* The create requests: exactly `count`, all JSON or all multipart. */
std::vector<SeenRequest> creates(EmulatorProcess &emulator) {
  return on_route(emulator, "create");
}

JsonObject *json_body(const SeenRequest &r) {
  sora_assert_str_eq(r.body_kind, "json");
  return json_object_get_object_member(r.record, "json");
}

std::string image_sha256(const std::string &path) {
  g_autofree char *data = nullptr;
  gsize size = 0;
  g_assert_true(g_file_get_contents(path.c_str(), &data, &size, nullptr));
  g_autofree char *sum =
      g_compute_checksum_for_data(G_CHECKSUM_SHA256, reinterpret_cast<guchar *>(data), size);
  return sum;
}

/* A 1280x720 PNG made with GStreamer. */
std::string make_png(const char *name) {
  std::string path = scratch->path() + "/" + name;
  std::string launch =
      "videotestsrc num-buffers=1 ! video/x-raw,width=1280,height=720 ! "
      "pngenc ! filesink location=\"" +
      path + "\"";
  PipelineRun run(launch);
  g_assert_true(run.play().eos);
  return path;
}

/* ---- OpenRouter ---- */

void test_openrouter_clip() {
  EmulatorProcess emulator({"--dialect", "openrouter", "--api-key", kTestKey});
  PipelineResult r =
      generate(emulator, kFast + "gateway=openrouter model=google/veo-3.1 seconds=4 size=1280x720");
  assert_whole_clip(r, 1280, 720);

  /* One create, JSON only: duration an integer, no seconds. */
  std::vector<SeenRequest> posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 1);
  g_assert_cmpuint(posts[0].response_status, ==, 202);
  JsonObject *body = json_body(posts[0]);
  sora_assert_str_eq(json_object_get_string_member(body, "model"), "google/veo-3.1");
  sora_assert_str_eq(json_object_get_string_member(body, "prompt"), sora_test::kPrompt);
  JsonNode *duration = json_object_get_member(body, "duration");
  g_assert_cmpuint(json_node_get_value_type(duration), ==, G_TYPE_INT64);
  g_assert_cmpint(json_node_get_int(duration), ==, 4);
  g_assert_false(json_object_has_member(body, "seconds"));
  sora_assert_str_eq(json_object_get_string_member(body, "resolution"), "720p");
  sora_assert_str_eq(json_object_get_string_member(body, "aspect_ratio"), "16:9");
  g_assert_false(json_object_has_member(body, "size"));
  g_assert_cmpuint(emulator.task_count(), ==, 1);

  /* Polled where polling_url said; the content from unsigned_urls, with
   * the key (OpenRouter's content proxy wants it). */
  std::string id = json_object_get_string_member(posts[0].record, "video_id");
  /* validate=true: the model list was read first, once, for what Veo 3.1 takes. */
  std::vector<SeenRequest> listed = on_route(emulator, "video_models");
  g_assert_cmpuint(listed.size(), ==, 1);
  g_assert_cmpint(listed[0].time_us, <=, posts[0].time_us);
  std::vector<SeenRequest> polls = on_route(emulator, "retrieve");
  g_assert_cmpuint(polls.size(), >=, 1);
  for (const SeenRequest &poll : polls)
    sora_assert_str_eq(poll.path, "/v1/videos/" + id);
  std::vector<SeenRequest> content = on_route(emulator, "content");
  g_assert_cmpuint(content.size(), ==, 1);
  sora_assert_str_eq(content[0].path, "/v1/videos/" + id + "/content");
  JsonObject *query = json_object_get_object_member(content[0].record, "query");
  g_assert_cmpuint(json_object_get_size(query), ==, 1);
  sora_assert_str_eq(json_object_get_string_member(query, "index"), "0");
  g_assert_cmpuint(content[0].response_status, ==, 200);
  assert_key_in(emulator, "authorization", std::string("Bearer ") + kTestKey);

  /* No progress from OpenRouter: unknown, never a made-up 0 %. */
  bool running_seen = false;
  for (const GstStructure *s : r.messages_named("sora-status")) {
    if (g_strcmp0(gst_structure_get_string(s, "state"), "completed") == 0)
      continue;
    running_seen = true;
    g_assert_false(gst_structure_has_field(s, "progress"));
  }
  g_assert_true(running_seen);
  bool unknown_percent = false;
  for (const GstStructure *s : r.progress_messages) {
    gint percent = 0;
    if (g_strcmp0(gst_structure_get_string(s, "phase"), "queued") == 0 &&
        gst_structure_get_int(s, "percent", &percent))
      unknown_percent = unknown_percent || percent == -1;
  }
  g_assert_true(unknown_percent);
}

/* OpenRouter's /videos/models says what each model takes: a length or size
 * outside it is refused before the create, naming the allowed values. */
void test_openrouter_models_refuse() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  PipelineResult seconds =
      generate(emulator, kFast + "gateway=openrouter model=google/veo-3.1 seconds=5 size=1280x720");
  g_assert_true(seconds.has_error());
  sora_assert_contains(seconds.error_message, "seconds=5");
  sora_assert_contains(seconds.error_message, "4, 6 or 8");
  sora_assert_contains(seconds.error_message, "/videos/models");
  /* 640x480 goes as resolution 480p: Veo 3.1 on OpenRouter takes 720p or 1080p. */
  PipelineResult size =
      generate(emulator, kFast + "gateway=openrouter model=google/veo-3.1 seconds=4 size=640x480");
  g_assert_true(size.has_error());
  sora_assert_contains(size.error_message, "size=\"640x480\"");
  sora_assert_contains(size.error_message, "720p or 1080p");
  g_assert_cmpuint(creates(emulator).size(), ==, 0);
  g_assert_cmpuint(emulator.task_count(), ==, 0);
  /* The list was read once in the process: the second run had it from memory. */
  std::vector<SeenRequest> listed = on_route(emulator, "video_models");
  g_assert_cmpuint(listed.size(), ==, 1);
  sora_assert_str_eq(listed[0].path, "/v1/videos/models");
}

/* A list that cannot be read leaves the request unchecked: the create goes
 * out, and OpenRouter's own 400 is the error. With validate=false the list
 * is not read at all. */
void test_openrouter_models_unreadable() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  emulator.configure(
      R"({"faults":[{"route":"video_models","action":"status","status":404,"times":-1}]})");
  PipelineResult r =
      generate(emulator, kFast + "gateway=openrouter model=google/veo-3.1 seconds=5 size=1280x720");
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "Invalid duration");
  g_assert_cmpuint(creates(emulator).size(), ==, 1);
  g_assert_cmpuint(on_route(emulator, "video_models").size(), ==, 1);

  EmulatorProcess unchecked({"--dialect", "openrouter"});
  PipelineResult made = generate(unchecked, kFast + "gateway=openrouter model=google/veo-3.1 "
                                                    "seconds=4 size=1280x720 validate=false");
  assert_whole_clip(made, 1280, 720);
  g_assert_cmpuint(on_route(unchecked, "video_models").size(), ==, 0);
  g_assert_cmpuint(creates(unchecked).size(), ==, 1);
}

/* The default model is OpenAI's sora-2: OpenRouter knows it as a slug. */
void test_openrouter_model_slug() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  PipelineResult r = generate(emulator, kFast + "gateway=openrouter");
  assert_whole_clip(r, 720, 1280);
  sora_assert_str_eq(json_object_get_string_member(json_body(creates(emulator)[0]), "model"),
                     "openai/sora-2");
}

/* The reference image travels as a data URL in frame_images[]. */
void test_openrouter_reference_image() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  std::string png = make_png("first-frame.png");
  PipelineResult r = generate(emulator, kFast +
                                            "gateway=openrouter model=google/veo-3.1 size=1280x720 "
                                            "input-reference=\"" +
                                            png + "\"");
  assert_whole_clip(r, 1280, 720);
  std::vector<SeenRequest> posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 1);
  JsonObject *body = json_body(posts[0]);
  JsonObject *frame =
      json_array_get_object_element(json_object_get_array_member(body, "frame_images"), 0);
  sora_assert_str_eq(json_object_get_string_member(frame, "frame_type"), "first_frame");
  sora_assert_str_eq(json_object_get_string_member(frame, "type"), "image_url");
  /* The server decoded the very bytes of the file. */
  JsonObject *image =
      json_array_get_object_element(json_object_get_array_member(posts[0].record, "images"), 0);
  sora_assert_str_eq(json_object_get_string_member(image, "kind"), "data_url");
  sora_assert_str_eq(json_object_get_string_member(image, "content_type"), "image/png");
  sora_assert_str_eq(json_object_get_string_member(image, "sha256"), image_sha256(png));
  g_assert_cmpint(json_object_get_int_member(image, "width"), ==, 1280);
  g_assert_cmpint(json_object_get_int_member(image, "height"), ==, 720);
}

/* A server that takes JSON only, reached in auto mode: the multipart create
 * is refused (nothing created), sent once more as JSON, and the base URL
 * remembered. */
void test_json_fallback(const char *create_body, unsigned refused_status) {
  EmulatorProcess emulator;
  emulator.configure(std::string(R"({"dialect":{"preset":"openai","create_body":")") + create_body +
                     "\"}}");
  PipelineResult r = generate(emulator, kFast);
  assert_whole_clip(r, 720, 1280);
  std::vector<SeenRequest> posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 2);
  sora_assert_str_eq(posts[0].body_kind, "multipart");
  g_assert_cmpuint(posts[0].response_status, ==, refused_status);
  JsonObject *body = json_body(posts[1]);
  sora_assert_str_eq(json_object_get_string_member(body, "seconds"), "4");
  sora_assert_str_eq(json_object_get_string_member(body, "size"), "720x1280");
  g_assert_cmpuint(emulator.task_count(), ==, 1);

  /* The next run in this process goes straight to JSON. */
  emulator.clear_requests();
  PipelineResult again = generate(emulator, kFast + "prompt=\"A dog\"");
  assert_whole_clip(again, 720, 1280);
  posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 1);
  sora_assert_str_eq(posts[0].body_kind, "json");
  g_assert_cmpuint(emulator.task_count(), ==, 2);
}

void test_json_fallback_400() {
  test_json_fallback("json_only", 400);
}

void test_json_fallback_415() {
  test_json_fallback("json_only_415", 415);
}

/* A 400 about a value is not a wish for JSON: one create, the server's
 * message. */
void test_no_fallback_on_value_error() {
  EmulatorProcess emulator;
  PipelineResult r = generate(emulator, kFast + "validate=false seconds=5");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  g_assert_cmpuint(creates(emulator).size(), ==, 1);
}

/* OpenRouter's own terminal words, each with its own error naming the task. */
void test_openrouter_ended(const char *status, gint code, const char *words) {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  emulator.configure(std::string(R"({"fail_next":{"status":")") + status +
                     R"(","code":"provider_error","message":"The provider dropped the job"}})");
  PipelineResult r =
      generate(emulator, kFast + "gateway=openrouter model=google/veo-3.1 size=1280x720");
  std::string id = json_object_get_string_member(creates(emulator)[0].record, "video_id");
  g_assert_cmpint(r.error_domain, ==, GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, code);
  sora_assert_contains(r.error_message, id + words);
  sora_assert_contains(r.error_message, "The provider dropped the job");
  sora_assert_contains(r.error_message, "cache-mode=refresh");
  g_assert_cmpuint(r.video_frames, ==, 0);
  g_assert_cmpuint(on_route(emulator, "content").size(), ==, 0);
}

void test_openrouter_cancelled() {
  test_openrouter_ended("cancelled", GST_RESOURCE_ERROR_FAILED, " was cancelled on the server");
}

void test_openrouter_expired() {
  test_openrouter_ended("expired", GST_RESOURCE_ERROR_NOT_FOUND,
                        " expired on the server before its clip was fetched");
}

/* A failed job's error is a plain string. */
void test_openrouter_failed_string() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  emulator.configure(
      R"({"fail_next":{"code":"content_policy","message":"Prompt violates the provider's policy"}})");
  PipelineResult r =
      generate(emulator, kFast + "gateway=openrouter model=google/veo-3.1 size=1280x720");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_FAILED);
  sora_assert_contains(r.error_message, "failed: Prompt violates the provider's policy");
}

/* An expired task stays in the journal: a rerun fails the same way without
 * paying; cache-mode=refresh pays for a new one. */
void test_openrouter_expired_refresh() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  std::string cache = scratch->path() + "/expired-cache";
  std::string props = "gateway=openrouter model=google/veo-3.1 size=1280x720 cache-dir=\"" + cache +
                      "\" cache-mode=";
  emulator.configure(
      R"({"fail_next":{"status":"expired","code":"expired","message":"Result expired"}})");
  g_assert_true(generate(emulator, kFast + props + "reuse").has_error());
  PipelineResult again = generate(emulator, kFast + props + "reuse");
  sora_assert_contains(again.error_message, "expired on the server");
  g_assert_cmpuint(creates(emulator).size(), ==, 1);
  PipelineResult refreshed = generate(emulator, kFast + props + "refresh");
  assert_whole_clip(refreshed, 1280, 720);
  g_assert_cmpuint(creates(emulator).size(), ==, 2);
}

/* ---- Azure OpenAI ---- */

void test_azure_clip() {
  EmulatorProcess emulator({"--dialect", "azure", "--api-key", kTestKey});
  PipelineResult r =
      generate(emulator, kFast + "gateway=azure model=my-sora-deployment validate=false");
  assert_whole_clip(r, 720, 1280);
  std::vector<SeenRequest> posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 1);
  sora_assert_str_eq(posts[0].body_kind, "multipart");
  sora_assert_str_eq(posts[0].field("model"), "my-sora-deployment");
  sora_assert_str_eq(posts[0].field("seconds"), "4");
  g_assert_cmpuint(on_route(emulator, "content").size(), ==, 1);
  assert_key_in(emulator, "api-key", kTestKey);
}

/* Bearer is for Entra ID tokens on Azure: without gateway=azure (a local
 * host says nothing), the key is refused, and the error says what to do. */
void test_azure_bearer_refused() {
  EmulatorProcess emulator({"--dialect", "azure", "--api-key", kTestKey});
  PipelineResult r = generate(emulator, kFast);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  sora_assert_contains(r.error_message, "Access token is missing");
  sora_assert_contains(r.error_message, "set gateway=azure");
  g_assert_cmpuint(emulator.task_count(), ==, 0);
}

/* Three jobs against Azure's limit of two running tasks: the third create
 * is answered 429, waits, and goes through once a slot is free. */
void test_azure_running_limit() {
  EmulatorProcess emulator({"--dialect", "azure", "--api-key", kTestKey});
  std::string description;
  for (int i = 0; i < 3; i++) {
    description += "soravideosrc name=src" + std::to_string(i) +
                   " cache-mode=off gateway=azure retries=0 poll-interval=100 api-key=" + kTestKey +
                   " base-url=" + emulator.base_url() + " prompt=\"Shot " + std::to_string(i) +
                   "\" ! qtdemux ! fakesink ";
  }
  PipelineRun run(description);
  PipelineResult r = run.play(90);
  if (r.has_error())
    g_error("pipeline error: %s", r.error_message.c_str());
  g_assert_true(r.eos);
  g_assert_cmpuint(emulator.task_count(), ==, 3);
  size_t refused = 0;
  for (const SeenRequest &post : creates(emulator))
    refused += post.response_status == 429;
  g_assert_cmpuint(refused, >=, 1);
  g_assert_cmpuint(creates(emulator).size(), ==, 3 + refused);
  /* Waited out, not given up after retries=0. */
  bool retried = false;
  for (const GstStructure *s : r.messages_named("sora-retry"))
    retried = retried || g_strcmp0(gst_structure_get_string(s, "request"), "create") == 0;
  g_assert_true(retried);
}

/* ---- LiteLLM ---- */

void test_litellm_clip() {
  EmulatorProcess emulator({"--dialect", "litellm", "--api-key", kTestKey});
  PipelineResult r = generate(emulator, kFast + "gateway=litellm");
  assert_whole_clip(r, 720, 1280);
  std::vector<SeenRequest> posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 1);
  std::string id = json_object_get_string_member(posts[0].record, "video_id");
  /* The id holds '+', '/' and '=': every poll named it whole, escaped,
   * although the server answered with a re-encoded one. */
  g_assert_true(id.find_first_of("+/=") != std::string::npos);
  std::vector<SeenRequest> polls = on_route(emulator, "retrieve");
  g_assert_cmpuint(polls.size(), >=, 2);
  for (const SeenRequest &poll : polls)
    sora_assert_str_eq(poll.path, "/v1/videos/" + id);
  /* /content without a variant query. */
  std::vector<SeenRequest> content = on_route(emulator, "content");
  g_assert_cmpuint(content.size(), ==, 1);
  sora_assert_str_eq(content[0].path, "/v1/videos/" + id + "/content");
  g_assert_cmpuint(json_object_get_size(json_object_get_object_member(content[0].record, "query")),
                   ==, 0);
  assert_key_in(emulator, "authorization", std::string("Bearer ") + kTestKey);

  /* Runway's fractions read as percentages: some answer between 1 and 99. */
  bool middle = false;
  guint last = 0;
  for (const GstStructure *s : r.messages_named("sora-status")) {
    guint progress = 0;
    if (!gst_structure_get_uint(s, "progress", &progress))
      continue;
    g_assert_cmpuint(progress, >=, last);
    last = progress;
    middle = middle || (progress > 1 && progress < 100);
  }
  g_assert_true(middle);
  g_assert_cmpuint(last, ==, 100);
}

/* LiteLLM in front of Veo: processing, progress null: unknown, not 0 %. */
void test_litellm_veo_progress() {
  EmulatorProcess emulator;
  emulator.configure(R"({"dialect":{"preset":"litellm","litellm_upstream":"veo"}})");
  PipelineResult r = generate(emulator, kFast + "gateway=litellm");
  assert_whole_clip(r, 720, 1280);
  size_t running = 0;
  for (const GstStructure *s : r.messages_named("sora-status")) {
    if (g_strcmp0(gst_structure_get_string(s, "state"), "completed") == 0)
      continue;
    running++;
    g_assert_false(gst_structure_has_field(s, "progress"));
  }
  g_assert_cmpuint(running, >=, 2);
}

/* No variants behind LiteLLM: refused before anything is sent. */
void test_litellm_no_variants() {
  EmulatorProcess emulator({"--dialect", "litellm"});
  PipelineResult r =
      generate(emulator, kFast + "gateway=litellm video-id=video_abc variant=thumbnail");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_contains(r.error_message, "LiteLLM serves only the video");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

/* ---- new-api's task shape ---- */

void test_newapi_task_shape() {
  EmulatorProcess emulator;
  emulator.configure(R"({"dialect":{"preset":"newapi-task","first_poll_status":"absent"}})");
  PipelineResult r = generate(emulator, kFast + "gateway=newapi");
  assert_whole_clip(r, 720, 1280);
  std::vector<SeenRequest> posts = creates(emulator);
  g_assert_cmpuint(posts.size(), ==, 1);
  std::string id = json_object_get_string_member(posts[0].record, "video_id");
  g_assert_true(g_str_has_prefix(id.c_str(), "task_"));
  g_assert_cmpuint(id.size(), ==, 5 + 32);
  /* The content only after SUCCESS: no 400 "not completed yet" on the way. */
  std::vector<SeenRequest> content = on_route(emulator, "content");
  g_assert_cmpuint(content.size(), ==, 1);
  g_assert_cmpuint(content[0].response_status, ==, 200);
  /* The status-less first answer was read as "still running". */
  std::vector<const GstStructure *> statuses = r.messages_named("sora-status");
  g_assert_cmpuint(statuses.size(), >=, 3);
  sora_assert_str_eq(gst_structure_get_string(statuses[1], "state"), "in_progress");
  sora_assert_str_eq(gst_structure_get_string(statuses.back(), "status"), "SUCCESS");
}

/* ---- no server, a server going away ---- */

/* With no base URL anywhere the run never starts, and says why. */
void test_closed_endpoint() {
  PipelineRun run(sora_test::decode_pipeline(std::string("prompt=\"A cat\" api-key=") + kTestKey));
  GstStateChangeReturn ret = gst_element_set_state(run.pipeline(), GST_STATE_PAUSED);
  g_assert_cmpint(ret, ==, GST_STATE_CHANGE_FAILURE);
  PipelineResult r;
  run.collect(r, 5);
  gst_element_set_state(run.pipeline(), GST_STATE_NULL);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_contains(r.error_message, "OpenAI closed its own video API on 2026-09-24");
  sora_assert_contains(r.error_message, "base-url");
  sora_assert_contains(r.error_message, "gateway=openrouter");
  const GstStructure *details = r.error_details;
  g_assert_nonnull(details);
  sora_assert_str_eq(gst_structure_get_string(details, "property"), "base-url");
}

/* Deprecation and Sunset: one warning per run, quoting both; the clip
 * still comes. */
void test_deprecation_warning() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"dialect":{"response_headers":{"Deprecation":"@1774310400","Sunset":"Thu, 24 Sep 2026 00:00:00 GMT"}}})");
  PipelineResult r = generate(emulator, kFast);
  assert_whole_clip(r, 720, 1280);
  g_assert_cmpuint(r.warnings.size(), ==, 1);
  sora_assert_contains(r.warnings[0], "Deprecation: @1774310400 (2026-03-24)");
  sora_assert_contains(r.warnings[0], "Sunset: Thu, 24 Sep 2026 00:00:00 GMT");
  sora_assert_contains(r.warnings[0], emulator.base_url());
  /* None from a server that says nothing. */
  EmulatorProcess quiet;
  PipelineResult calm = generate(quiet, kFast);
  assert_whole_clip(calm, 720, 1280);
  g_assert_cmpuint(calm.warnings.size(), ==, 0);
}

/* ---- docs/gateways.md: each section's line, run as written ---- */

/* The gst-launch-1.0 command in the section of docs/gateways.md titled
 * `title`, continuation lines joined, split into words as a shell would. */
std::vector<std::string> documented_line(const std::string &title) {
  const char *root = g_getenv("SORA_SOURCE_ROOT");
  g_assert_nonnull(root);
  g_autofree char *text = nullptr;
  std::string path = std::string(root) + "/docs/gateways.md";
  g_assert_true(g_file_get_contents(path.c_str(), &text, nullptr, nullptr));
  std::string doc = text;
  size_t start = doc.find("\n## " + title + "\n");
  if (start == std::string::npos)
    g_error("docs/gateways.md has no section '%s'", title.c_str());
  size_t end = doc.find("\n## ", start + 1);
  std::string section =
      doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
  size_t at = section.find("\ngst-launch-1.0 ");
  g_assert_true(at != std::string::npos);
  std::string command;
  for (size_t i = at + 1; i < section.size() && section[i] != '\n'; i++) {
    if (section[i] == '\\' && i + 1 < section.size() && section[i + 1] == '\n') {
      i++; /* a continuation: the next line goes on */
      continue;
    }
    command += section[i];
  }
  g_assert_true(section.find("gst-launch-1.0 ", at + 1 + command.size()) == std::string::npos);
  gchar **argv = nullptr;
  g_assert_true(g_shell_parse_argv(command.c_str(), nullptr, &argv, nullptr));
  std::vector<std::string> words(argv, argv + g_strv_length(argv));
  g_strfreev(argv);
  return words;
}

/* Runs the section's line against the emulator in `dialect`, with `env`
 * standing for the variables the section exports; the clip is written where
 * `location=` says, moved into the scratch directory. */
void test_documented(const char *title, const char *dialect, const char *key_header,
                     std::map<std::string, std::string> env, const char *native_path = nullptr,
                     const char *key_scheme = "Bearer ") {
  EmulatorProcess emulator({"--api-key", kTestKey});
  emulator.configure(std::string(R"({"dialect":)") + dialect + "}");
  std::vector<std::string> argv = documented_line(title);
  /* A native provider's line names no server (its public endpoint):
   * base-url points it at the emulator's root. */
  if (native_path) {
    const std::string &base = emulator.base_url();
    argv.insert(argv.begin() + 2, "base-url=" + base.substr(0, base.rfind("/v1")) + native_path);
  }
  std::string clip;
  for (std::string &word : argv) {
    if (g_str_has_prefix(word.c_str(), "location=")) {
      clip = scratch->path() + "/doc-" + word.substr(9);
      word = "location=" + clip;
    }
  }
  g_assert_false(clip.empty());
  argv[0] = sora_test::find_program("gst-launch-1.0");
  for (const char *name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENROUTER_API_KEY",
                           "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "GEMINI_API_KEY",
                           "GOOGLE_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN"}) {
    if (!env.count(name))
      env[name] = "";
  }
  for (auto &[name, value] : env) {
    if (value == "URL")
      value = emulator.base_url();
    else if (value == "KEY")
      value = kTestKey;
  }
  env["XDG_CACHE_HOME"] = scratch->path() + "/doc-cache-" + std::string(title).substr(0, 3);
  ProcessResult r = ProcessRun::run(argv, env, 90);
  if (!r.exited || r.status != 0)
    g_error("the %s line of docs/gateways.md failed (%d):\n%s\n%s", title, r.status, r.out.c_str(),
            r.err.c_str());
  /* One task, the clip whole at `location`, the key in its header only. */
  g_assert_cmpuint(emulator.task_count(), ==, 1);
  /* (Google's file URL redirects to the CDN: the redirect is not a download.) */
  size_t downloads = 0;
  for (const SeenRequest &r : on_route(emulator, "content"))
    downloads += r.response_status != 302;
  g_assert_cmpuint(downloads, ==, 1);
  PipelineRun check("filesrc location=\"" + clip +
                    "\" ! qtdemux ! h264parse ! avdec_h264 ! fakesink name=vsink");
  PipelineResult decoded = check.play();
  g_assert_true(decoded.eos);
  g_assert_cmpuint(decoded.video_frames, >=, 120);
  assert_key_in(emulator, key_header,
                std::string(key_header) == "api-key" || std::string(key_header) == "x-goog-api-key"
                    ? std::string(kTestKey)
                    : std::string(key_scheme) + kTestKey);
  g_assert_true(r.out.find(kTestKey) == std::string::npos);
  g_assert_true(r.err.find(kTestKey) == std::string::npos);
}

/* OpenRouter's line has no base URL: the test points OPENAI_BASE_URL (the
 * fallback before OpenRouter's public endpoint) at the emulator. */
void test_doc_openrouter() {
  test_documented("OpenRouter", R"("openrouter")", "authorization",
                  {{"OPENROUTER_API_KEY", "KEY"}, {"OPENAI_BASE_URL", "URL"}});
}

/* An endpoint with a path is taken as it is: the emulator's /v1. */
void test_doc_azure() {
  test_documented("Azure OpenAI", R"("azure")", "api-key",
                  {{"AZURE_OPENAI_API_KEY", "KEY"}, {"AZURE_OPENAI_ENDPOINT", "URL"}});
}

void test_doc_litellm() {
  test_documented("LiteLLM proxy", R"("litellm")", "authorization",
                  {{"OPENAI_API_KEY", "KEY"}, {"OPENAI_BASE_URL", "URL"}});
}

void test_doc_newapi() {
  test_documented("new-api", R"("newapi-task")", "authorization",
                  {{"OPENAI_API_KEY", "KEY"}, {"OPENAI_BASE_URL", "URL"}});
}

/* Another gateway that takes JSON only: the documented fallback. */
void test_doc_other() {
  test_documented("Any other gateway",
                  R"({"preset":"openai","models":"any","create_body":"json_only"})",
                  "authorization", {{"OPENAI_API_KEY", "KEY"}, {"OPENAI_BASE_URL", "URL"}});
}

/* The native providers' lines: the key from the provider's variable, in
 * its own header. */
void test_doc_gemini() {
  test_documented("Gemini API (Veo)", R"("gemini")", "x-goog-api-key",
                  {{"GEMINI_API_KEY", "KEY"}}, "/v1beta");
}

void test_doc_fal() {
  test_documented("fal", R"("fal")", "authorization", {{"FAL_KEY", "KEY"}}, "", "Key ");
}

void test_doc_replicate() {
  test_documented("Replicate", R"("replicate")", "authorization", {{"REPLICATE_API_TOKEN", "KEY"}},
                  "/v1");
}

/* ---- sora-tasks ---- */

std::string sora_tasks() {
  const char *binary = g_getenv("SORA_TASKS");
  g_assert_nonnull(binary);
  return binary;
}

void test_tool_models() {
  EmulatorProcess emulator({"--dialect", "openrouter"});
  std::map<std::string, std::string> env = sora_test::user_env(emulator);
  env["OPENAI_API_KEY"] = "";
  env["OPENROUTER_API_KEY"] = kTestKey;
  ProcessResult r = ProcessRun::run(
      {sora_tasks(), "--gateway", "openrouter", "--base-url", emulator.base_url(), "models"}, env);
  if (!r.exited || r.status != 0)
    g_error("sora-tasks models failed: %s", r.err.c_str());
  sora_assert_contains(r.out, "google/veo-3.1");
  sora_assert_contains(r.out, "16:9");
  std::vector<SeenRequest> listed = on_route(emulator, "video_models");
  g_assert_cmpuint(listed.size(), ==, 1);
  sora_assert_str_eq(listed[0].path, "/v1/videos/models");
  g_assert_true(r.out.find(kTestKey) == std::string::npos);
  g_assert_true(r.err.find(kTestKey) == std::string::npos);
}

void test_tool_azure() {
  EmulatorProcess emulator({"--dialect", "azure", "--api-key", kTestKey});
  PipelineResult made = generate(emulator, kFast + "gateway=azure");
  assert_whole_clip(made, 720, 1280);
  std::string id = json_object_get_string_member(creates(emulator)[0].record, "video_id");
  emulator.clear_requests();
  std::map<std::string, std::string> env = sora_test::user_env(emulator);
  env["OPENAI_API_KEY"] = "";
  env["OPENAI_BASE_URL"] = "";
  env["AZURE_OPENAI_API_KEY"] = kTestKey;
  /* The endpoint as Azure's SDK convention gives it: the root, /openai/v1 added. */
  std::string root = emulator.base_url().substr(0, emulator.base_url().size() - 3);
  env["AZURE_OPENAI_ENDPOINT"] = root;
  ProcessResult r = ProcessRun::run({sora_tasks(), "--gateway", "azure", "show", id}, env);
  /* The emulator serves /v1, not /openai/v1: a 404 that names the path. */
  g_assert_true(r.exited);
  std::vector<SeenRequest> seen = emulator.requests();
  g_assert_cmpuint(seen.size(), >=, 1);
  sora_assert_str_eq(seen[0].path, "/openai/v1/videos/" + id);
  sora_assert_str_eq(header(seen[0], "api-key"), kTestKey);

  emulator.clear_requests();
  env["AZURE_OPENAI_ENDPOINT"] = "";
  r = ProcessRun::run(
      {sora_tasks(), "--gateway", "azure", "--base-url", emulator.base_url(), "show", id}, env);
  if (!r.exited || r.status != 0)
    g_error("sora-tasks show failed: %s", r.err.c_str());
  sora_assert_contains(r.out, id);
  assert_key_in(emulator, "api-key", kTestKey);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/gateways/openrouter/clip", test_openrouter_clip);
  g_test_add_func("/gateways/openrouter/model-slug", test_openrouter_model_slug);
  g_test_add_func("/gateways/openrouter/models-refuse", test_openrouter_models_refuse);
  g_test_add_func("/gateways/openrouter/models-unreadable", test_openrouter_models_unreadable);
  g_test_add_func("/gateways/openrouter/reference-image", test_openrouter_reference_image);
  g_test_add_func("/gateways/openrouter/cancelled", test_openrouter_cancelled);
  g_test_add_func("/gateways/openrouter/expired", test_openrouter_expired);
  g_test_add_func("/gateways/openrouter/expired-refresh", test_openrouter_expired_refresh);
  g_test_add_func("/gateways/openrouter/failed-string", test_openrouter_failed_string);
  g_test_add_func("/gateways/json-fallback/400", test_json_fallback_400);
  g_test_add_func("/gateways/json-fallback/415", test_json_fallback_415);
  g_test_add_func("/gateways/json-fallback/not-on-value-errors", test_no_fallback_on_value_error);
  g_test_add_func("/gateways/azure/clip", test_azure_clip);
  g_test_add_func("/gateways/azure/bearer-refused", test_azure_bearer_refused);
  g_test_add_func("/gateways/azure/running-limit", test_azure_running_limit);
  g_test_add_func("/gateways/litellm/clip", test_litellm_clip);
  g_test_add_func("/gateways/litellm/veo-progress", test_litellm_veo_progress);
  g_test_add_func("/gateways/litellm/no-variants", test_litellm_no_variants);
  g_test_add_func("/gateways/newapi/task-shape", test_newapi_task_shape);
  g_test_add_func("/gateways/closed-endpoint", test_closed_endpoint);
  g_test_add_func("/gateways/deprecation", test_deprecation_warning);
  g_test_add_func("/gateways/tool/models", test_tool_models);
  g_test_add_func("/gateways/docs/openrouter", test_doc_openrouter);
  g_test_add_func("/gateways/docs/azure", test_doc_azure);
  g_test_add_func("/gateways/docs/litellm", test_doc_litellm);
  g_test_add_func("/gateways/docs/newapi", test_doc_newapi);
  g_test_add_func("/gateways/docs/other", test_doc_other);
  g_test_add_func("/gateways/docs/gemini", test_doc_gemini);
  g_test_add_func("/gateways/docs/fal", test_doc_fal);
  g_test_add_func("/gateways/docs/replicate", test_doc_replicate);
  g_test_add_func("/gateways/tool/azure", test_tool_azure);
  return g_test_run();
}
