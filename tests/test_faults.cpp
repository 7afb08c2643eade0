/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Never lose a paid result: one test per fault the emulator can inject.
 * Each checks what the client did about it (requests the server saw, the
 * clip decoded or the error raised) and that no second task was billed. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "temp_dir.h"

#include <gst/gst.h>
#include <libsoup/soup.h>

#include <string>

using sora_test::assert_whole_clip;
using sora_test::EmulatorProcess;
using sora_test::generate;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::SeenRequest;

namespace {

sora_test::TempDir *scratch;

void fault(EmulatorProcess &emulator, const std::string &rule) {
  emulator.configure(R"({"faults":[)" + rule + "]}");
}

std::vector<SeenRequest> seen(EmulatorProcess &emulator, const char *method, const char *suffix) {
  std::vector<SeenRequest> matching;
  for (const SeenRequest &r : emulator.requests()) {
    if (r.method == method && g_str_has_suffix(r.path.c_str(), suffix))
      matching.push_back(r);
  }
  return matching;
}

std::vector<const GstStructure *> retries_of(const PipelineResult &r, const char *request) {
  std::vector<const GstStructure *> found;
  for (const GstStructure *s : r.messages_named("sora-retry")) {
    if (g_strcmp0(gst_structure_get_string(s, "request"), request) == 0)
      found.push_back(s);
  }
  return found;
}

/* ---- create ---- */

void test_create_5xx_retried() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"create","action":"status","status":500,"times":2})");
  PipelineResult r = generate(emulator);
  assert_whole_clip(r);
  g_assert_cmpuint(emulator.create_count(), ==, 3);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
  g_assert_cmpuint(retries_of(r, "create").size(), ==, 2);
  sora_assert_contains(gst_structure_get_string(retries_of(r, "create")[0], "reason"), "HTTP 500");
}

void test_create_html_502_retried() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"create","action":"body","status":502,"content_type":"text/html",)"
                  R"("body":"<html><title>502 Bad Gateway</title></html>"})");
  assert_whole_clip(generate(emulator));
  g_assert_cmpuint(emulator.create_count(), ==, 2);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
}

/* The time between the two requests, which must be two. */
gint64 gap_ms(const std::vector<SeenRequest> &requests) {
  g_assert_cmpuint(requests.size(), ==, 2);
  return (requests[1].time_us - requests[0].time_us) / 1000;
}

void test_create_429_retry_after() {
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"create","action":"status","status":429,"headers":{"Retry-After":"2"}})");
  assert_whole_clip(generate(emulator));
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(posts.size(), ==, 2);
  /* Backoff alone would have waited 375-500 ms. */
  g_assert_cmpint(gap_ms(posts), >=, 1950);
  g_assert_cmpint(gap_ms(posts), <, 3000);
}

void test_create_429_retry_after_ms() {
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"create","action":"status","status":429,"headers":{"retry-after-ms":"1500"}})");
  assert_whole_clip(generate(emulator));
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpint(gap_ms(posts), >=, 1450);
  g_assert_cmpint(gap_ms(posts), <, 2500);
}

void test_create_429_retry_after_date() {
  EmulatorProcess emulator;
  g_autoptr(GDateTime) soon = g_date_time_new_now_utc();
  g_autoptr(GDateTime) later = g_date_time_add_seconds(soon, 3);
  g_autofree char *date = soup_date_time_to_string(later, SOUP_DATE_HTTP);
  fault(emulator, std::string(R"({"route":"create","action":"status","status":429,)") +
                      R"("headers":{"Retry-After":")" + date + R"("}})");
  assert_whole_clip(generate(emulator));
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  /* An HTTP date has whole seconds: 2 to 3 s from now. */
  g_assert_cmpint(gap_ms(posts), >=, 1900);
  g_assert_cmpint(gap_ms(posts), <, 3500);
}

void test_create_429_retry_after_too_long() {
  /* A wait beyond 120 s is not obeyed: the backoff applies. */
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"create","action":"status","status":429,"headers":{"Retry-After":"600"}})");
  assert_whole_clip(generate(emulator));
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos");
  g_assert_cmpint(gap_ms(posts), <, 1000);
}

void test_should_retry_false() {
  EmulatorProcess emulator;
  fault(
      emulator,
      R"({"route":"create","action":"status","status":500,"headers":{"x-should-retry":"false"}})");
  PipelineResult r = generate(emulator);
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "HTTP 500");
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

void test_insufficient_quota() {
  EmulatorProcess emulator;
  fault(
      emulator,
      R"({"route":"create","action":"status","status":429,"error_code":"insufficient_quota","times":-1})");
  PipelineResult r = generate(emulator);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  sora_assert_contains(r.error_message, "no quota or credit left");
  sora_assert_str_eq(gst_structure_get_string(r.error_details, "error-code"), "insufficient_quota");
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(retries_of(r, "create").size(), ==, 0);
}

void test_create_retries_exhausted() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"create","action":"status","status":503,"times":-1})");
  PipelineResult r = generate(emulator, "retries=2");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_READ);
  sora_assert_contains(r.error_message, "(3 attempts)");
  sora_assert_contains(r.error_message, "HTTP 503");
  g_assert_cmpuint(emulator.create_count(), ==, 3);
  g_assert_cmpuint(emulator.task_count(), ==, 0);
}

/* Nothing listens yet: the request never left, so it is safe to send again
 * once the server is up. One task in the end. */
void test_create_no_connection() {
  unsigned port = sora_test::free_port();
  std::string base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  PipelineRun run(
      sora_test::decode_pipeline(std::string("prompt=\"A cat walking on the street\" api-key=") +
                                 kTestKey + " base-url=" + base_url));
  gst_element_set_state(run.pipeline(), GST_STATE_PLAYING);
  GstBus *bus = gst_element_get_bus(run.pipeline());
  bool refused = false;
  while (!refused) {
    GstMessage *msg = gst_bus_timed_pop_filtered(bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT);
    g_assert_nonnull(msg);
    const GstStructure *s = gst_message_get_structure(msg);
    refused = gst_structure_has_name(s, "sora-retry");
    if (refused)
      sora_assert_contains(gst_structure_get_string(s, "reason"), "refused");
    gst_message_unref(msg);
  }
  gst_object_unref(bus);
  EmulatorProcess emulator({"--port", std::to_string(port)});
  PipelineResult r;
  run.collect(r, 60);
  g_assert_true(r.eos);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
}

/* The server took the request, made the task, and the answer was lost: the
 * client must not pay again. */
void assert_ambiguous_create(EmulatorProcess &emulator, const std::string &extra,
                             size_t tasks_created) {
  PipelineResult r = generate(emulator, extra);
  g_assert_true(r.has_error());
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_READ);
  sora_assert_contains(r.error_message, "may have created, and billed, a task");
  sora_assert_contains(r.error_message, "not sent again");
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, tasks_created);
}

void test_create_accepted_then_dropped() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"create","action":"accept_then_drop"})");
  assert_ambiguous_create(emulator, "", 1);
}

void test_create_dropped() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"create","action":"drop"})");
  assert_ambiguous_create(emulator, "", 0);
}

void test_create_read_timeout() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"create","action":"hang"})");
  assert_ambiguous_create(emulator, "timeout=1", 0);
}

void test_create_answer_cut_off() {
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"create","action":"body","status":200,"content_type":"application/json",)"
        R"("body":"{\"id\":\"video_12\",\"sta"})");
  assert_ambiguous_create(emulator, "", 0);
}

/* ---- poll ---- */

void test_poll_5xx_retried() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"status","status":503,"times":3})");
  PipelineResult r = generate(emulator);
  assert_whole_clip(r);
  g_assert_cmpuint(retries_of(r, "poll").size(), ==, 3);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

void test_poll_outage_outlasts_retries() {
  /* Polls give up only at the deadline, not after `retries`. */
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"status","status":502,"times":5})");
  PipelineResult r = generate(emulator, "retries=1");
  assert_whole_clip(r);
  g_assert_cmpuint(retries_of(r, "poll").size(), ==, 5);
}

void test_poll_outage_until_deadline() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"status","status":502,"times":-1})");
  PipelineResult r = generate(emulator, "generation-timeout=3");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_FAILED);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "generation-timeout of 3 s");
  sora_assert_contains(r.error_message, "video-id=" + id);
  sora_assert_str_eq(gst_structure_get_string(r.error_details, "video-id"), id);
}

void test_poll_slow_answer() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"delay","delay_ms":2500})");
  PipelineResult r = generate(emulator, "timeout=1");
  assert_whole_clip(r);
  g_assert_cmpuint(retries_of(r, "poll").size(), ==, 1);
}

void test_poll_hang() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"hang","times":2})");
  PipelineResult r = generate(emulator, "timeout=1");
  assert_whole_clip(r);
  g_assert_cmpuint(retries_of(r, "poll").size(), ==, 2);
}

void test_poll_html_page() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"body","status":200,"content_type":"text/html",)"
                  R"("body":"<html><body>Maintenance</body></html>","times":2})");
  PipelineResult r = generate(emulator);
  assert_whole_clip(r);
  g_assert_cmpuint(retries_of(r, "poll").size(), ==, 2);
}

void test_poll_html_page_for_good() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"retrieve","action":"body","status":200,"content_type":"text/html",)"
                  R"("body":"<html><body>Maintenance</body></html>","times":-1})");
  PipelineResult r = generate(emulator, "retries=2");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_READ);
  sora_assert_contains(r.error_message, "unusable: the body is not JSON");
  sora_assert_contains(r.error_message, "video-id=" + emulator.created_video_id());
}

void test_poll_wrong_types() {
  EmulatorProcess emulator;
  fault(
      emulator,
      R"({"route":"retrieve","action":"body","status":200,"content_type":"application/json",)"
      R"("body":"{\"id\":7,\"status\":{\"x\":1},\"progress\":\"lots\",\"error\":[]}","times":3})");
  assert_whole_clip(generate(emulator));
}

void test_poll_missing_fields() {
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"retrieve","action":"body","status":200,"content_type":"application/json",)"
        R"("body":"{}","times":2})");
  assert_whole_clip(generate(emulator));
}

void test_poll_oversized_answer() {
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"retrieve","action":"body","status":200,"content_type":"application/json",)"
        R"("body_size":50000000})");
  PipelineResult r = generate(emulator);
  assert_whole_clip(r);
  std::vector<const GstStructure *> retries = retries_of(r, "poll");
  g_assert_cmpuint(retries.size(), ==, 1);
  sora_assert_contains(gst_structure_get_string(retries[0], "reason"), "larger than 8388608 bytes");
}

void test_redirect_loop() {
  EmulatorProcess emulator;
  fault(emulator,
        R"({"route":"retrieve","action":"redirect","to":"self","status":307,"times":-1})");
  PipelineResult r = generate(emulator);
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "Too many redirects");
  /* The loop was cut after 10 hops, and not retried. */
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + emulator.created_video_id()).size(), ==,
                   11);
}

void test_redirect_to_other_host() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"content","action":"redirect","to":"cdn"})");
  assert_whole_clip(generate(emulator));
  for (const SeenRequest &r : emulator.requests()) {
    if (g_strcmp0(json_object_get_string_member(r.record, "host"), "cdn") == 0)
      g_assert_true(r.authorization.empty());
  }
  g_assert_cmpuint(seen(emulator, "GET", "/content").size(), ==, 2);
}

/* ---- download ---- */

void test_download_dropped_resumes() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"content","action":"truncate","after_bytes":100000})");
  std::string location = scratch->file("resumed.mp4");
  PipelineResult r = generate(emulator, "location=" + location);
  assert_whole_clip(r);
  std::vector<SeenRequest> downloads = seen(emulator, "GET", "/content");
  g_assert_cmpuint(downloads.size(), ==, 2);
  JsonObject *headers = json_object_get_object_member(downloads[1].record, "headers");
  sora_assert_str_eq(json_object_get_string_member(headers, "range"), "bytes=100000-");
  g_assert_cmpuint(downloads[1].response_status, ==, 206);
  /* The file is the server's, byte for byte. */
  unsigned status = 0;
  std::string whole = emulator.http(
      "GET", emulator.base_url() + "/videos/" + emulator.created_video_id() + "/content", &status);
  g_autofree char *kept = nullptr;
  gsize kept_size = 0;
  g_assert_true(g_file_get_contents(location.c_str(), &kept, &kept_size, nullptr));
  g_assert_cmpuint(kept_size, ==, whole.size());
  g_assert_true(memcmp(kept, whole.data(), kept_size) == 0);
}

void test_download_dropped_range_ignored() {
  EmulatorProcess emulator;
  emulator.configure(R"({"dialect":{"range":"ignore"}})");
  fault(emulator, R"({"route":"content","action":"truncate","after_bytes":100000})");
  assert_whole_clip(generate(emulator));
  std::vector<SeenRequest> downloads = seen(emulator, "GET", "/content");
  g_assert_cmpuint(downloads.size(), ==, 2);
  /* Asked for the rest, got the whole: started again from zero. */
  g_assert_cmpuint(downloads[1].response_status, ==, 200);
}

void test_download_5xx_retried() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"content","action":"status","status":503,"times":2})");
  PipelineResult r = generate(emulator);
  assert_whole_clip(r);
  g_assert_cmpuint(retries_of(r, "download").size(), ==, 2);
}

void test_download_slow() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"content","action":"throttle","bytes_per_second":500000})");
  assert_whole_clip(generate(emulator));
}

/* A server that drops the connection every 100 kB still delivers: each
 * attempt resumes where the last stopped, and progress renews the retries. */
void test_download_dropped_repeatedly() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"content","action":"truncate","after_bytes":100000,"times":-1})");
  PipelineResult r = generate(emulator, "retries=1");
  assert_whole_clip(r);
  std::vector<SeenRequest> downloads = seen(emulator, "GET", "/content");
  g_assert_cmpuint(downloads.size(), ==, 4); /* a 389 kB clip in 100 kB pieces */
  for (size_t i = 1; i < downloads.size(); i++)
    g_assert_cmpuint(downloads[i].response_status, ==, 206);
}

/* A server that drops every download before a byte arrives: after the
 * retries, an error; nothing served, nothing written. */
void test_download_dropped_for_good() {
  EmulatorProcess emulator;
  fault(emulator, R"({"route":"content","action":"truncate","after_bytes":0,"times":-1})");
  std::string location = scratch->file("never.mp4");
  PipelineResult r = generate(emulator, "retries=2 location=" + location);
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message, "video-id=" + emulator.created_video_id());
  g_assert_cmpuint(r.video_frames, ==, 0);
  g_assert_false(g_file_test(location.c_str(), G_FILE_TEST_EXISTS));
  g_assert_cmpuint(seen(emulator, "GET", "/content").size(), ==, 3);
}

void assert_expired(EmulatorProcess &emulator) {
  PipelineResult r = generate(emulator);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_FOUND);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "The content of " + id + " has expired");
  g_assert_cmpuint(r.video_frames, ==, 0);
}

void test_content_expired_404() {
  EmulatorProcess emulator({"--expires-after", "0"});
  assert_expired(emulator);
}

void test_content_expired_410() {
  EmulatorProcess emulator({"--expires-after", "0"});
  emulator.configure(R"({"expired_status":410})");
  assert_expired(emulator);
}

void test_task_never_finishes() {
  EmulatorProcess emulator;
  emulator.configure(R"({"never_finish":true})");
  PipelineResult r = generate(emulator, "generation-timeout=2");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_FAILED);
  sora_assert_contains(r.error_message, "resume it with video-id=" + emulator.created_video_id());
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  struct Case {
    const char *path;
    void (*test)();
  };
  const Case cases[] = {
      {"/faults/create/5xx-retried", test_create_5xx_retried},
      {"/faults/create/html-502-retried", test_create_html_502_retried},
      {"/faults/create/429-retry-after", test_create_429_retry_after},
      {"/faults/create/429-retry-after-ms", test_create_429_retry_after_ms},
      {"/faults/create/429-retry-after-date", test_create_429_retry_after_date},
      {"/faults/create/429-retry-after-too-long", test_create_429_retry_after_too_long},
      {"/faults/create/x-should-retry-false", test_should_retry_false},
      {"/faults/create/insufficient-quota", test_insufficient_quota},
      {"/faults/create/retries-exhausted", test_create_retries_exhausted},
      {"/faults/create/no-connection", test_create_no_connection},
      {"/faults/create/accepted-then-dropped", test_create_accepted_then_dropped},
      {"/faults/create/dropped", test_create_dropped},
      {"/faults/create/read-timeout", test_create_read_timeout},
      {"/faults/create/answer-cut-off", test_create_answer_cut_off},
      {"/faults/poll/5xx-retried", test_poll_5xx_retried},
      {"/faults/poll/outage-outlasts-retries", test_poll_outage_outlasts_retries},
      {"/faults/poll/outage-until-deadline", test_poll_outage_until_deadline},
      {"/faults/poll/slow-answer", test_poll_slow_answer},
      {"/faults/poll/hang", test_poll_hang},
      {"/faults/poll/html-page", test_poll_html_page},
      {"/faults/poll/html-page-for-good", test_poll_html_page_for_good},
      {"/faults/poll/wrong-types", test_poll_wrong_types},
      {"/faults/poll/missing-fields", test_poll_missing_fields},
      {"/faults/poll/oversized-answer", test_poll_oversized_answer},
      {"/faults/poll/redirect-loop", test_redirect_loop},
      {"/faults/download/redirect-other-host", test_redirect_to_other_host},
      {"/faults/download/dropped-resumes", test_download_dropped_resumes},
      {"/faults/download/dropped-range-ignored", test_download_dropped_range_ignored},
      {"/faults/download/5xx-retried", test_download_5xx_retried},
      {"/faults/download/slow", test_download_slow},
      {"/faults/download/dropped-repeatedly", test_download_dropped_repeatedly},
      {"/faults/download/dropped-for-good", test_download_dropped_for_good},
      {"/faults/download/expired-404", test_content_expired_404},
      {"/faults/download/expired-410", test_content_expired_410},
      {"/faults/task/never-finishes", test_task_never_finishes},
  };
  for (const Case &c : cases)
    g_test_add_func(c.path, c.test);
  return g_test_run();
}
