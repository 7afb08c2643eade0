/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The element against every row of the DIALECTS.md table: the emulator
 * speaks one variant at a time, the element must get every frame of the
 * clip without being told which variant it faces. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"

#include <gst/gst.h>

#include <map>
#include <string>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::SeenRequest;

namespace {

/* Gateways send no poll hint, and the element's default is 5 s: poll fast. */
const std::string kFast = std::string(sora_test::kFastPolls) + " ";

std::string with_dialect(const std::string &knobs) {
  return R"({"dialect":)" + knobs + "}";
}

/* Every request of the run, with the key only where it belongs. */
void assert_key_only_on_api(EmulatorProcess &emulator) {
  for (const SeenRequest &r : emulator.requests()) {
    std::string host = json_object_get_string_member(r.record, "host");
    if (host == "api")
      sora_assert_str_eq(r.authorization, std::string("Bearer ") + kTestKey);
    else if (!r.authorization.empty())
      g_error("the key went to %s %s", host.c_str(), r.path.c_str());
  }
}

size_t count(EmulatorProcess &emulator, const char *method, const char *host,
             const char *path_suffix) {
  size_t n = 0;
  for (const SeenRequest &r : emulator.requests()) {
    if (r.method == method &&
        g_strcmp0(json_object_get_string_member(r.record, "host"), host) == 0 &&
        g_str_has_suffix(r.path.c_str(), path_suffix))
      n++;
  }
  return n;
}

/* One run against a dialect given as knobs: the whole clip, one task, the
 * key only on the API. */
void run_dialect(const std::string &knobs, const std::string &extra = "") {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(knobs));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast + extra));
  assert_key_only_on_api(emulator);
}

/* ---- create path ---- */

void test_path_singular_auto() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"create_path":"video"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  /* auto: /videos answered 404 (nothing created), then /video. */
  std::vector<SeenRequest> posts;
  for (const SeenRequest &r : emulator.requests()) {
    if (r.method == "POST")
      posts.push_back(r);
  }
  g_assert_cmpuint(posts.size(), ==, 2);
  sora_assert_str_eq(posts[0].path, "/v1/videos");
  g_assert_cmpuint(posts[0].response_status, ==, 404);
  sora_assert_str_eq(posts[1].path, "/v1/video");
  g_assert_cmpuint(posts[1].response_status, ==, 200);
  g_assert_cmpuint(count(emulator, "GET", "api", "/content"), ==, 1);

  /* The answer is remembered for this server: the next run goes straight
   * to /video. */
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast + "prompt=\"A dog\""));
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 1);
  g_assert_cmpuint(emulator.requests("POST", "/v1/video").size(), ==, 2);
}

void test_path_singular_property() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"create_path":"video"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast + "path-style=video"));
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 0);
  g_assert_cmpuint(emulator.requests("POST", "/v1/video").size(), ==, 1);
}

void test_path_generations_auto() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"create_path":"video/generations"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 1);
  g_assert_cmpuint(emulator.requests("POST", "/v1/video").size(), ==, 1);
  g_assert_cmpuint(emulator.requests("POST", "/v1/video/generations").size(), ==, 1);
}

/* The style remembered for a base URL stops holding (the gateway moved its
 * routes, or another server took over the address, as a test's port can
 * be reused): the 404 starts the probing again instead of failing. */
void test_path_remembered_then_moved() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"create_path":"video/generations"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  emulator.configure(with_dialect(R"({"create_path":"videos"})"));
  emulator.clear_requests();
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast + "prompt=\"A dog\""));
  g_assert_cmpuint(emulator.requests("POST", "/v1/video/generations").size(), ==, 1);
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, 2);
  /* And the new style is remembered: the next run asks it first. */
  emulator.clear_requests();
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast + "prompt=\"A fox\""));
  g_assert_cmpuint(emulator.requests().front().path == "/v1/videos", ==, true);
}

void test_path_wrong_property() {
  /* path-style=videos against a singular server: the 404 is an error, not
   * a probe, and it names what was tried. */
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"create_path":"video"})"));
  PipelineResult r = sora_test::generate(emulator, kFast + "path-style=videos");
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "HTTP 404");
  g_assert_cmpuint(emulator.requests("POST", "/v1/video").size(), ==, 0);
}

/* ---- create answer ---- */

void test_create_201() {
  run_dialect(R"({"create_status":201})");
}

void test_create_envelope() {
  run_dialect(R"({"create_shape":"envelope","retrieve_shape":"envelope"})");
}

void test_create_task_id_only() {
  run_dialect(R"({"create_shape":"task_id"})");
}

/* ---- ids ---- */

void test_id(const char *style) {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(std::string(R"({"id_style":")") + style + "\"}"));
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, kFast)));
  sora_test::assert_whole_clip(run.play());
  std::string id = emulator.created_video_id();
  /* The server saw the id back, decoded, on every poll and the download. */
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id).size(), >=, 1);
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id + "/content").size(), ==, 1);
  g_autofree char *video_id = nullptr;
  g_object_get(run.element("src"), "video-id", &video_id, nullptr);
  sora_assert_str_eq(video_id, id);
}

void test_id_task() {
  test_id("task");
}
void test_id_numeric() {
  test_id("numeric");
}
void test_id_base64url() {
  test_id("base64url");
}
void test_id_slash() {
  test_id("slash");
}

/* ---- status words ---- */

void test_status_words(const char *words) {
  run_dialect(std::string(R"({"status_words":")") + words + "\"}");
}

void test_status_processing() {
  test_status_words("processing");
}
void test_status_succeeded() {
  test_status_words("succeeded");
}
void test_status_newapi() {
  test_status_words("newapi");
}
void test_status_upper() {
  test_status_words("upper");
}
void test_status_mixed() {
  test_status_words("mixed");
}
void test_status_unknown_running() {
  test_status_words("unknown_running");
}

/* Words the client cannot know mean "still running", for as long as the
 * generation-timeout allows. */
void test_status_unknown_forever() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"status_words":"unknown_running"})"));
  emulator.configure(R"({"never_finish":true})");
  PipelineResult r = sora_test::generate(emulator, kFast + "generation-timeout=2");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_FAILED);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "did not finish within the generation-timeout of 2 s");
  sora_assert_contains(r.error_message, "last status: rendering, 42%");
  sora_assert_contains(r.error_message, "video-id=" + id);
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id).size(), >=, 10);
}

/* ---- progress ---- */

void test_progress(const char *form, bool reported) {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(std::string(R"({"progress":")") + form + "\"}"));
  PipelineResult r = sora_test::generate(emulator, kFast);
  sora_test::assert_whole_clip(r);
  guint last = 0;
  bool saw_middle = false;
  for (const GstStructure *s : r.messages_named("sora-status")) {
    guint progress = 0;
    gst_structure_get_uint(s, "progress", &progress);
    g_assert_cmpuint(progress, >=, last);
    saw_middle = saw_middle || (progress > 0 && progress < 100);
    last = progress;
  }
  g_assert_cmpuint(last, ==, 100);
  g_assert_cmpint(saw_middle, ==, reported);
}

void test_progress_float() {
  test_progress("float", true);
}
void test_progress_string() {
  test_progress("string", true);
}
void test_progress_missing() {
  test_progress("missing", false);
}
void test_progress_coarse() {
  test_progress("coarse", true);
}

/* ---- download ---- */

/* The clip from a link the server filled: fetched from the CDN host, with
 * no key, and /content never asked. */
void test_download_field(const char *field) {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(std::string(R"({"download":")") + field + "\"}"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  g_assert_cmpuint(count(emulator, "GET", "cdn", "/content"), ==, 1);
  g_assert_cmpuint(count(emulator, "GET", "api", "/content"), ==, 0);
  assert_key_only_on_api(emulator);
}

void test_download_url() {
  test_download_field("url");
}
void test_download_metadata_url() {
  test_download_field("metadata.url");
}
void test_download_meta_data_url() {
  test_download_field("meta_data.url");
}
void test_download_result_url() {
  test_download_field("result_url");
}
void test_download_video_url() {
  test_download_field("video_url");
}
void test_download_outputs_video_url() {
  test_download_field("outputs.video_url");
}
void test_download_video_dot_url() {
  test_download_field("video.url");
}

void test_download_content_redirect() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"download":"content_redirect"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  /* /content with the key, then the CDN without it. */
  g_assert_cmpuint(count(emulator, "GET", "api", "/content"), ==, 1);
  g_assert_cmpuint(count(emulator, "GET", "cdn", "/content"), ==, 1);
  assert_key_only_on_api(emulator);
}

void test_download_broken_link() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"download":"broken_result_url"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  /* result_url refused the connection: /content served the clip. */
  g_assert_cmpuint(count(emulator, "GET", "api", "/content"), ==, 1);
}

void test_download_link_fails() {
  /* The CDN link answers 403: fall back to /content. */
  EmulatorProcess emulator;
  emulator.configure(std::string(R"({"dialect":{"download":"url"},)") +
                     R"("faults":[{"host":"cdn","action":"status","status":403}]})");
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  g_assert_cmpuint(count(emulator, "GET", "cdn", "/content"), ==, 1);
  g_assert_cmpuint(count(emulator, "GET", "api", "/content"), ==, 1);
}

void test_range_ignored() {
  run_dialect(R"({"range":"ignore"})");
}

/* ---- completion and errors ---- */

void test_early_completed_at() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(
      R"({"early_completed_at":true,"content_before_completion":"400_not_completed"})"));
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  /* completed_at is no completion signal: one download, answered 200. */
  for (const SeenRequest &r : emulator.requests()) {
    if (g_str_has_suffix(r.path.c_str(), "/content"))
      g_assert_cmpuint(r.response_status, ==, 200);
  }
  g_assert_cmpuint(count(emulator, "GET", "api", "/content"), ==, 1);
}

void test_error_envelope_unauthorized() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"error_shape":"envelope"})"));
  PipelineRun run(sora_test::decode_pipeline(
      std::string("prompt=cat api-key=sk-wrong-0000 base-url=") + emulator.base_url()));
  PipelineResult r = run.play();
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  sora_assert_contains(r.error_message, "Incorrect API key");
}

void test_unknown_id_task_not_exist() {
  EmulatorProcess emulator;
  emulator.configure(
      with_dialect(R"({"unknown_id":"400_task_not_exist","error_shape":"envelope"})"));
  PipelineRun run(sora_test::decode_pipeline(
      sora_test::element_props(emulator, "prompt=\"\" video-id=task_missing path-style=videos")));
  PipelineResult r = run.play();
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_FOUND);
  sora_assert_contains(r.error_message, "task_missing");
  sora_assert_str_eq(gst_structure_get_string(r.error_details, "error-code"), "task_not_exist");
}

void test_failure_text(const char *field, const char *expected) {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(std::string(R"({"failure_field":")") + field + "\"}"));
  emulator.configure(R"({"fail_next":{"code":"content_policy","message":"No cats allowed."}})");
  PipelineResult r = sora_test::generate(emulator, kFast);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_FAILED);
  sora_assert_contains(r.error_message, expected);
  g_assert_cmpuint(r.video_frames, ==, 0);
}

void test_failure_error_object() {
  test_failure_text("error", "No cats allowed. (content_policy)");
}
void test_failure_error_code_only() {
  test_failure_text("error_code_only", "content_policy");
}
void test_failure_fail_reason() {
  test_failure_text("fail_reason", "No cats allowed.");
}
void test_failure_message() {
  test_failure_text("message", "No cats allowed.");
}

/* ---- extra parameters ---- */

void test_gateway_model_parameters() {
  EmulatorProcess emulator;
  emulator.configure(with_dialect(R"({"models":"any"})"));
  PipelineResult r =
      generate(emulator,
               "model=wan2.5-t2v-preview seconds=5 size=1920*1080 "
               "metadata=\"{\\\"parameters\\\":{\\\"watermark\\\":false},\\\"input\\\":{}}\"");
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_cmpuint(r.video_frames, ==, 150);
  SeenRequest post = emulator.requests("POST", "/v1/videos")[0];
  sora_assert_str_eq(post.field("model"), "wan2.5-t2v-preview");
  sora_assert_str_eq(post.field("seconds"), "5");
  sora_assert_str_eq(post.field("size"), "1920*1080");
  sora_assert_str_eq(post.field("metadata"), R"({"parameters":{"watermark":false},"input":{}})");
}

void test_poll_hint_absent() {
  /* No openai-poll-after-ms and poll-interval=0: the element waits its
   * default 5 s between polls. */
  EmulatorProcess emulator({"--queue-ms", "0", "--generation-ms", "200"});
  emulator.configure(with_dialect(R"({"poll_after":false})"));
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=cat")));
  sora_test::assert_whole_clip(run.play(30));
  std::vector<SeenRequest> seen = emulator.requests();
  g_assert_cmpuint(seen.size(), ==, 3); /* create, one poll, download */
  gint64 waited_ms = (seen[1].time_us - seen[0].time_us) / 1000;
  g_assert_cmpint(waited_ms, >=, 4900);
  g_assert_cmpint(waited_ms, <, 6000);
}

void test_poll_hint_followed() {
  EmulatorProcess emulator({"--poll-after-ms", "250", "--generation-ms", "1000"});
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=cat")));
  sora_test::assert_whole_clip(run.play());
  /* 1.1 s of generation at 250 ms: create, at least 4 polls, download. A
   * client that ignored the hint (5 s) would have polled once. */
  std::vector<SeenRequest> seen = emulator.requests();
  g_assert_cmpuint(seen.size(), >=, 6);
  /* The cadence counts from the create: poll k is never sent before k hints
   * have passed (50 ms for the create's own way to the server). A poll that
   * came late (a loaded machine) may be followed by one sooner, catching up,
   * so single gaps bound nothing below; above, a gap far from 5 s shows the
   * hint was followed. */
  for (size_t k = 1; k + 1 < seen.size(); k++) {
    gint64 since_create_ms = (seen[k].time_us - seen[0].time_us) / 1000;
    g_assert_cmpint(since_create_ms, >=, static_cast<gint64>(k) * 250 - 50);
    g_assert_cmpint((seen[k + 1].time_us - seen[k].time_us) / 1000, <, 1500);
  }
}

/* ---- presets ---- */

void test_preset(const char *name) {
  EmulatorProcess emulator({"--dialect", name});
  /* Gateway presets accept any model; sora-2 with its defaults works on all. */
  sora_test::assert_whole_clip(sora_test::generate(emulator, kFast));
  assert_key_only_on_api(emulator);
}

void test_preset_newapi() {
  test_preset("newapi");
}
void test_preset_juhe() {
  test_preset("juhe");
}
void test_preset_zhaotou() {
  test_preset("zhaotou");
}
void test_preset_legacy() {
  test_preset("legacy");
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  struct Case {
    const char *path;
    void (*test)();
  };
  const Case cases[] = {
      {"/dialect/create-path/singular-auto", test_path_singular_auto},
      {"/dialect/create-path/singular-property", test_path_singular_property},
      {"/dialect/create-path/generations-auto", test_path_generations_auto},
      {"/dialect/create-path/wrong-property", test_path_wrong_property},
      {"/dialect/create-path/remembered-then-moved", test_path_remembered_then_moved},
      {"/dialect/create-answer/201", test_create_201},
      {"/dialect/create-answer/envelope", test_create_envelope},
      {"/dialect/create-answer/task-id-only", test_create_task_id_only},
      {"/dialect/id/task", test_id_task},
      {"/dialect/id/numeric", test_id_numeric},
      {"/dialect/id/base64url", test_id_base64url},
      {"/dialect/id/slash", test_id_slash},
      {"/dialect/status/processing", test_status_processing},
      {"/dialect/status/succeeded", test_status_succeeded},
      {"/dialect/status/newapi", test_status_newapi},
      {"/dialect/status/upper", test_status_upper},
      {"/dialect/status/mixed", test_status_mixed},
      {"/dialect/status/unknown-running", test_status_unknown_running},
      {"/dialect/status/unknown-forever", test_status_unknown_forever},
      {"/dialect/progress/float", test_progress_float},
      {"/dialect/progress/string", test_progress_string},
      {"/dialect/progress/missing", test_progress_missing},
      {"/dialect/progress/coarse", test_progress_coarse},
      {"/dialect/download/url", test_download_url},
      {"/dialect/download/metadata-url", test_download_metadata_url},
      {"/dialect/download/meta-data-url", test_download_meta_data_url},
      {"/dialect/download/result-url", test_download_result_url},
      {"/dialect/download/video-url", test_download_video_url},
      {"/dialect/download/outputs-video-url", test_download_outputs_video_url},
      {"/dialect/download/video-dot-url", test_download_video_dot_url},
      {"/dialect/download/content-redirect", test_download_content_redirect},
      {"/dialect/download/broken-result-url", test_download_broken_link},
      {"/dialect/download/link-fails", test_download_link_fails},
      {"/dialect/range/ignored", test_range_ignored},
      {"/dialect/completed-at/early", test_early_completed_at},
      {"/dialect/errors/envelope-unauthorized", test_error_envelope_unauthorized},
      {"/dialect/errors/task-not-exist", test_unknown_id_task_not_exist},
      {"/dialect/failure-text/error", test_failure_error_object},
      {"/dialect/failure-text/error-code-only", test_failure_error_code_only},
      {"/dialect/failure-text/fail-reason", test_failure_fail_reason},
      {"/dialect/failure-text/message", test_failure_message},
      {"/dialect/parameters/gateway-model", test_gateway_model_parameters},
      {"/dialect/poll-hint/absent", test_poll_hint_absent},
      {"/dialect/poll-hint/followed", test_poll_hint_followed},
      {"/dialect/preset/newapi", test_preset_newapi},
      {"/dialect/preset/juhe", test_preset_juhe},
      {"/dialect/preset/zhaotou", test_preset_zhaotou},
      {"/dialect/preset/legacy", test_preset_legacy},
  };
  for (const Case &c : cases)
    g_test_add_func(c.path, c.test);
  return g_test_run();
}
