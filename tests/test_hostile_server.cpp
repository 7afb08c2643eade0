/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A hostile server (the emulator's hostile mode) cannot hurt the user
 * (issue 18): answers nested 100,000 levels deep end in an error, not a
 * crash; a key it echoes in an error's code, type or x-request-id, in any of
 * its forms, shows nowhere; its control sequences never reach a terminal;
 * an id "." or ".." (its own or the user's) never turns into a request to
 * the task list or the base URL. */
#include "assertions.h"
#include "debug_capture.h"
#include "emulator_process.h"
#include "pipeline_run.h"
#include "process_run.h"

#include <gst/gst.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;

namespace {

/* With '/' and '+', so that its raw, JSON-escaped and URL-encoded forms differ. */
const std::string kKey = "sk-hostile/5b8e1c+0f9d3a7e2c4b6d8f0a1e3c5b7";

struct KeyForm {
  const char *name;
  std::string text;
};

std::vector<KeyForm> key_forms() {
  g_autofree char *url = g_uri_escape_string(kKey.c_str(), nullptr, FALSE);
  std::string json = kKey;
  json.replace(json.find('/'), 1, "\\/");
  return {{"raw", kKey}, {"JSON-escaped", json}, {"URL-encoded", url}};
}

/* (Plain checks: a failing sora_assert_contains would print a whole log.) */
void assert_no_key(const std::string &text, const char *where) {
  for (const KeyForm &form : key_forms()) {
    if (text.find(form.text) != std::string::npos)
      g_error("the key (%s) appears in %s", form.name, where);
  }
}

void assert_messages_clean(const PipelineResult &r) {
  for (const GstStructure *s : r.element_messages) {
    g_autofree char *text = gst_structure_to_string(s);
    assert_no_key(text, "an element message");
  }
  for (const GstStructure *s : r.progress_messages) {
    g_autofree char *text = gst_structure_to_string(s);
    assert_no_key(text, "a progress message");
  }
  for (const std::string &warning : r.warnings)
    assert_no_key(warning, "a warning");
  assert_no_key(r.error_message, "the error text");
  assert_no_key(r.error_debug, "the error's debug text");
  g_assert_nonnull(r.error_details);
  g_autofree char *details = gst_structure_to_string(r.error_details);
  assert_no_key(details, "the error details");
}

/* Nothing a terminal obeys: no byte below 0x20 but newline and tab, no DEL,
 * no C1 control (U+0080..U+009F in UTF-8). */
void assert_printable(const std::string &text, const char *where) {
  for (size_t i = 0; i < text.size(); i++) {
    auto c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c1)
      g_error("%s holds the control byte 0x%02x at %zu: %s", where, c, i, text.c_str());
  }
}

std::string tasks_binary() {
  const char *binary = g_getenv("SORA_TASKS");
  g_assert_nonnull(binary);
  return binary;
}

/* sora-tasks as a user runs it, the key and server in its environment. */
ProcessResult tool(const EmulatorProcess &emulator, std::vector<std::string> args,
                   const std::string &key = sora_test::kTestKey) {
  args.insert(args.begin(), tasks_binary());
  ProcessResult run = ProcessRun::run(std::move(args), sora_test::user_env(emulator, "", key));
  g_assert_false(run.timed_out);
  g_assert_true(run.exited); /* no signal: no crash */
  return run;
}

ProcessResult gst_launch(const EmulatorProcess &emulator, std::vector<std::string> args,
                         std::map<std::string, std::string> extra_env = {},
                         const std::string &key = sora_test::kTestKey) {
  std::map<std::string, std::string> env = sora_test::user_env(emulator, "", key);
  env.insert(extra_env.begin(), extra_env.end());
  args.insert(args.begin(), "gst-launch-1.0");
  ProcessResult run = ProcessRun::run(std::move(args), env);
  g_assert_false(run.timed_out);
  g_assert_true(run.exited);
  return run;
}

/* The element with the hostile key set as an application sets it. */
PipelineResult play(const EmulatorProcess &emulator, const std::string &properties,
                    const std::string &key = sora_test::kTestKey) {
  PipelineRun run(sora_test::decode_pipeline(
      "prompt=cat poll-interval=100 base-url=" + emulator.base_url() + " " + properties));
  g_object_set(run.element("src"), "api-key", key.c_str(), nullptr);
  return run.play();
}

std::string details_string(const PipelineResult &r, const char *field) {
  g_assert_nonnull(r.error_details);
  const char *value = gst_structure_get_string(r.error_details, field);
  return value ? value : "";
}

/* ---- finding 5: deep JSON ---- */

/* A create answered 200 with a body nested 100,000 levels: the task exists
 * (and is billed), its id cannot be read. An error that says so, no second
 * create, no crash; gst-launch-1.0 exits without a signal. */
void test_deep_create_answer() {
  EmulatorProcess emulator;
  emulator.configure(R"({"hostile": {"deep_json": ["create"]}})");
  PipelineResult r = play(emulator, "");
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  sora_assert_contains(r.error_message, "its answer is unusable");
  sora_assert_contains(r.error_message, "nested deeper than 64 levels");
  sora_assert_contains(r.error_message, "may have created, and billed, a task");
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, 1);

  ProcessResult launch =
      gst_launch(emulator, {"soravideosrc", "cache-mode=off", "prompt=dog", "!", "fakesink"});
  g_assert_cmpint(launch.status, !=, 0);
  sora_assert_contains(launch.err + launch.out, "nested deeper than 64 levels");
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 2);
}

/* Polls answered 200, nested 100,000 levels: retried as any unusable
 * answer, then an error that names the paid task and how to resume it.
 * `sora-tasks show` on the same task: an error, exit 1, no signal. */
void test_deep_poll_answer() {
  EmulatorProcess emulator;
  emulator.configure(R"({"hostile": {"deep_json": ["retrieve"]}})");
  PipelineResult r = play(emulator, "retries=1");
  g_assert_true(r.has_error());
  std::string id = emulator.created_video_id(0);
  sora_assert_contains(r.error_message, "answers about " + id + " are unusable");
  sora_assert_contains(r.error_message, "nested deeper than 64 levels");
  sora_assert_contains(r.error_message, "resume it with video-id=" + id);
  sora_assert_str_eq(details_string(r, "video-id"), id);
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id).size(), ==, 2);
  g_assert_cmpuint(emulator.task_count(), ==, 1);

  ProcessResult show = tool(emulator, {"show", id});
  g_assert_cmpint(show.status, ==, 1);
  sora_assert_contains(show.err, "nested deeper than 64 levels");
}

/* ---- finding 8: an echoed key ---- */

constexpr char kEchoingRefusal[] =
    R"({"hostile": {"echo_key": true},
        "faults": [{"route": "create", "action": "status", "status": 400}]})";

/* The create refused with 400, the key echoed in the error's code, type,
 * message and param and in x-request-id (raw, URL-encoded, JSON-escaped in
 * the field and "\/" on the wire): none of it in the error, its details,
 * the progress and element messages, or the debug log at every level. */
void test_echoed_key_on_the_bus_and_in_the_log() {
  EmulatorProcess emulator({"--api-key", kKey});
  emulator.configure(kEchoingRefusal);
  auto capture = std::make_unique<sora_test::DebugCapture>();
  PipelineResult r = play(emulator, "", kKey);
  std::string log = capture->text();
  capture.reset();

  g_assert_true(r.has_error());
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  /* The echo arrived, blanked. */
  sora_assert_contains(r.error_message, "[redacted] [redacted] [redacted]");
  sora_assert_contains(r.error_message, "request id req [redacted]");
  sora_assert_contains(details_string(r, "error-code"), "[redacted]");
  sora_assert_contains(details_string(r, "request-id"), "[redacted]");
  assert_messages_clean(r);
  g_assert_false(r.progress_messages.empty());

  g_test_message("captured %zu bytes of debug output", log.size());
  g_assert_true(log.find("x-request-id: req [redacted]") != std::string::npos);
  assert_no_key(log, "the debug log");
}

/* gst-launch-1.0 with GST_DEBUG=*:9 against the same server: its whole
 * output (the ERROR line, libsoup's log of headers and bodies) holds no
 * form of the key. */
void test_echoed_key_in_gst_launch_output() {
  EmulatorProcess emulator({"--api-key", kKey});
  emulator.configure(kEchoingRefusal);
  ProcessResult launch = gst_launch(
      emulator, {"-m", "soravideosrc", "cache-mode=off", "prompt=cat", "!", "fakesink"},
      {{"GST_DEBUG", "*:9"}, {"GST_DEBUG_NO_COLOR", "1"}, {"G_MESSAGES_DEBUG", "all"}}, kKey);
  g_assert_cmpint(launch.status, !=, 0);
  std::string text = launch.out + launch.err;
  g_test_message("gst-launch printed %zu bytes", text.size());
  g_assert_true(text.find("x-request-id: req [redacted]") != std::string::npos);
  g_assert_true(text.find("ERROR: from element") != std::string::npos);
  assert_no_key(text, "gst-launch-1.0's output");
}

/* ---- finding 10: control sequences ---- */

/* The task's id, and the emulator's control sequences: OSC title, clear
 * screen, CR, 8-bit CSI, DEL. */
const std::string kControlId = "video_ctl\x1b]0;pwned\x07\x1b[2J\rend";
constexpr char kVisibleTitle[] = "\\x1b]0;pwned\\x07";

/* A task with control sequences in its id, model, size and error ends
 * failed: gst-launch-1.0 prints the ERROR (and progress) lines with them
 * as visible escapes; then `sora-tasks list` and `show` print the task with
 * its status garbled too, all as visible escapes. */
void test_control_sequences_are_shown_as_escapes() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"hostile": {"next_task_id": "video_ctl\u001b]0;pwned\u0007\u001b[2J\rend",
                      "control_chars": ["model", "size", "error"]},
          "fail_next": {"code": "moderation_blocked",
                        "message": "Blocked\u001b[2J\r\u0007 by policy"}})");
  ProcessResult launch = gst_launch(emulator, {"soravideosrc", "cache-mode=off", "prompt=cat",
                                               "poll-interval=100", "!", "fakesink"});
  g_assert_cmpint(launch.status, !=, 0);
  sora_assert_str_eq(emulator.created_video_id(0), kControlId);
  std::string text = launch.out + launch.err;
  sora_assert_contains(text, "ERROR: from element");
  sora_assert_contains(text, std::string("video_ctl") + kVisibleTitle + "\\x1b[2J\\rend");
  sora_assert_contains(text, "Blocked\\x1b[2J\\r\\x07 by policy");
  sora_assert_contains(text, "\\u009b31m\\x7f");
  assert_printable(text, "gst-launch-1.0's output");

  /* The failed task's error shown, then its status garbled too. */
  emulator.configure(R"({"hostile": {"control_chars": ["id", "model", "size", "error"]}})");
  ProcessResult show = tool(emulator, {"show", kControlId});
  g_assert_cmpint(show.status, ==, 0);
  sora_assert_contains(show.out, std::string("id                     video_ctl") + kVisibleTitle);
  sora_assert_contains(show.out, "Blocked\\x1b[2J\\r\\x07 by policy");
  assert_printable(show.out + show.err, "sora-tasks show");

  emulator.configure(
      R"({"hostile": {"control_chars": ["id", "status", "model", "size", "error"]}})");
  ProcessResult list = tool(emulator, {"list"});
  g_assert_cmpint(list.status, ==, 0);
  sora_assert_contains(list.out, std::string("video_ctl") + kVisibleTitle);
  sora_assert_contains(list.out, std::string("failed") + kVisibleTitle);
  assert_printable(list.out + list.err, "sora-tasks list");
}

/* ---- finding 11: dot ids ---- */

/* The creates alone reached the server: no request to the task list or the
 * base URL, which is what a dot id makes of a task's path. */
void assert_only_creates(EmulatorProcess &emulator) {
  for (const sora_test::SeenRequest &seen : emulator.requests()) {
    sora_assert_str_eq(seen.method + " " + seen.path, "POST /v1/videos");
  }
}

/* A create answered with the id ".", ".." or "": the task cannot be polled
 * (GET {base}/videos/. is the list): an error naming what the server
 * answered and that it may be billed, one create, no other request. */
void test_dot_ids_from_the_server() {
  EmulatorProcess emulator;
  size_t created = 0;
  for (const char *id : {".", "..", ""}) {
    emulator.configure(std::string(R"({"hostile": {"next_task_id": ")") + id + "\"}}");
    PipelineResult r = play(emulator, "");
    g_assert_true(r.has_error());
    sora_assert_contains(r.error_message, "may have created, and billed, a task");
    if (*id)
      sora_assert_contains(r.error_message,
                           std::string("its answer names the task \"") + id + "\"");
    else
      sora_assert_contains(r.error_message, "the answer holds no task id");
    created++;
    g_assert_cmpuint(emulator.task_count(), ==, created);
    g_assert_cmpuint(emulator.requests().size(), ==, created);
    assert_only_creates(emulator);
  }
}

/* video-id, a sora://video/ URI and sora-tasks given ".", ".." or "": a
 * clear error, and no request at all. */
void test_dot_ids_from_the_user() {
  EmulatorProcess emulator;
  for (const char *id : {".", ".."}) {
    PipelineResult r = play(emulator, std::string("video-id=") + id);
    g_assert_true(r.has_error());
    g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
    sora_assert_contains(r.error_message,
                         std::string("video-id \"") + id + "\" cannot name a task");
    sora_assert_str_eq(details_string(r, "property"), "video-id");
  }
  for (const char *uri : {"sora://video/%2E", "sora://video/%2E%2E", "sora://video/.."}) {
    ProcessResult launch = gst_launch(emulator, {"playbin", std::string("uri=") + uri,
                                                 "video-sink=fakesink", "audio-sink=fakesink"});
    g_assert_cmpint(launch.status, !=, 0);
  }
  for (std::vector<std::string> args : {std::vector<std::string>{"delete", "."},
                                        {"delete", ".."},
                                        {"show", "."},
                                        {"resume", ".."},
                                        {"download", "."}}) {
    ProcessResult run = tool(emulator, args);
    g_assert_cmpint(run.status, ==, 1);
    sora_assert_contains(run.err, "cannot name a task");
    sora_assert_contains(run.err, "No request was sent");
  }
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/hostile/deep-json/create", test_deep_create_answer);
  g_test_add_func("/hostile/deep-json/poll-and-show", test_deep_poll_answer);
  g_test_add_func("/hostile/echoed-key/bus-and-log", test_echoed_key_on_the_bus_and_in_the_log);
  g_test_add_func("/hostile/echoed-key/gst-launch", test_echoed_key_in_gst_launch_output);
  g_test_add_func("/hostile/control-sequences", test_control_sequences_are_shown_as_escapes);
  g_test_add_func("/hostile/dot-ids/server", test_dot_ids_from_the_server);
  g_test_add_func("/hostile/dot-ids/user", test_dot_ids_from_the_user);
  return g_test_run();
}
