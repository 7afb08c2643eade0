/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The API key never shows: not in GStreamer's debug log at any level (with
 * libsoup's own logger on), not in bus messages, not in error text even
 * when a server echoes it, and never on the wire to another host. */
#include "assertions.h"
#include "debug_capture.h"
#include "emulator_process.h"
#include "pipeline_run.h"
#include "process_run.h"

#include <gst/gst.h>

#include <map>
#include <memory>
#include <string>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::PipelineRun;

namespace {

/* Unique, so that finding it anywhere means it leaked. */
const std::string kSecret = "sk-secret-7d1f0e29c4b84a6f9e3b5a0c21d8f6e4";

void assert_no_secret(const std::string &text, const char *where) {
  if (text.find(kSecret) != std::string::npos)
    g_error("the key appears in %s", where);
}

void assert_messages_clean(const PipelineResult &r) {
  for (const GstStructure *s : r.element_messages) {
    g_autofree char *text = gst_structure_to_string(s);
    assert_no_secret(text, "an element message");
  }
  for (const GstStructure *s : r.progress_messages) {
    g_autofree char *text = gst_structure_to_string(s);
    assert_no_secret(text, "a progress message");
  }
  assert_no_secret(r.error_message, "the error text");
  assert_no_secret(r.error_debug, "the error's debug text");
  if (r.error_details) {
    g_autofree char *details = gst_structure_to_string(r.error_details);
    assert_no_secret(details, "the error details");
  }
}

/* The key set through the property (as an application does) and every
 * debug category at level 9, libsoup's logger included, across a run that
 * follows a redirect to another host and one whose server echoes the key
 * back in an error. */
void test_debug_log_at_every_level() {
  auto capture = std::make_unique<sora_test::DebugCapture>();

  EmulatorProcess emulator({"--api-key", kSecret});
  emulator.configure(R"({"dialect":{"download":"content_redirect"}})");
  PipelineRun run(sora_test::decode_pipeline("prompt=cat base-url=" + emulator.base_url()));
  g_object_set(run.element("src"), "api-key", kSecret.c_str(), nullptr);
  PipelineResult ok = run.play();
  g_assert_true(ok.eos);
  assert_messages_clean(ok);

  /* A hostile server that puts the whole key in its error. */
  emulator.configure(R"({"faults":[{"route":"create","action":"status","status":401,)"
                     R"("body":"{\"error\":{\"message\":\"Bad key )" +
                     kSecret + R"(\",\"code\":\"invalid_api_key\"}}"}]})");
  g_object_set(run.element("src"), "prompt", "dog", nullptr);
  PipelineResult refused = run.play();
  g_assert_cmpint(refused.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  sora_assert_contains(refused.error_message, "Bad key [redacted]");
  assert_messages_clean(refused);

  std::string debug_log = capture->text();
  capture.reset();
  g_test_message("captured %zu bytes of debug output", debug_log.size());
  /* The log is really there: libsoup's headers, with the key blanked. */
  g_assert_cmpuint(debug_log.size(), >, 100000);
  /* (Plain checks: a failing sora_assert_contains would print 10 MB.) */
  g_assert_true(debug_log.find("Authorization: [redacted]") != std::string::npos);
  g_assert_true(debug_log.find("GET /cdn/videos/") != std::string::npos);
  assert_no_secret(debug_log, "the debug log");

  /* On the wire: the key went to the API only, never to the CDN host. */
  for (const sora_test::SeenRequest &seen : emulator.requests()) {
    bool api = g_strcmp0(json_object_get_string_member(seen.record, "host"), "api") == 0;
    if (api)
      sora_assert_str_eq(seen.authorization, "Bearer " + kSecret);
    else
      g_assert_true(seen.authorization.empty());
  }
}

/* gst-launch-1.0 with the key in the environment, GST_DEBUG=*:9 and GLib's
 * debug messages on: the whole output holds no key. */
void test_gst_launch_output() {
  EmulatorProcess emulator({"--api-key", kSecret});
  std::map<std::string, std::string> env = sora_test::user_env(emulator, "", kSecret);
  env["GST_DEBUG"] = "*:9";
  env["GST_DEBUG_NO_COLOR"] = "1";
  env["G_MESSAGES_DEBUG"] = "all";
  sora_test::ProcessResult launch = sora_test::ProcessRun::run(
      {"gst-launch-1.0", "-v", "soravideosrc", "cache-mode=off", "prompt=cat", "!", "fakesink"},
      env);
  g_assert_true(launch.exited);
  g_assert_cmpint(launch.status, ==, 0);
  std::string text = launch.out + launch.err;
  g_test_message("gst-launch printed %zu bytes", text.size());
  g_assert_true(text.find("Authorization: [redacted]") != std::string::npos);
  g_assert_true(text.find("Got EOS from element") != std::string::npos);
  assert_no_secret(text, "gst-launch-1.0's output");
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/secrets/debug-log-at-every-level", test_debug_log_at_every_level);
  g_test_add_func("/secrets/gst-launch-output", test_gst_launch_output);
  return g_test_run();
}
