/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A run stopped while its create request is in flight (killed, or set to
 * NULL) may have had its task created: the server answers a create it has
 * taken in whole, whether the client still listens or not. The chaos soak
 * found that the next run of the same request then paid again, as did a
 * second run of the request waiting on the cache's lock behind a run whose
 * create was ambiguous. With the cache on, the journal now records a create
 * before it is sent: the next run reports the ambiguous create instead of
 * sending it again, until the user attaches to the task or asks for
 * cache-mode=refresh. A create the server refused leaves nothing behind. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <signal.h>
#include <string>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessRun;

namespace {

struct Farm {
  sora_test::TempDir dir;
  EmulatorProcess emulator;

  std::string props(const std::string &extra = "") const {
    return sora_test::element_props(emulator,
                                    std::string("cache-mode=reuse cache-dir=") + dir.path() + " " +
                                        extra);
  }

  PipelineResult run(const std::string &extra = "") {
    return sora_test::generate(emulator,
                               std::string("cache-mode=reuse cache-dir=") + dir.path() + " " +
                                   extra);
  }

  /* The create request has reached the server (and waits for its answer). */
  void wait_for_create() {
    sora_test::wait_until("the create request", [this] { return emulator.create_count() >= 1; });
  }

  /* The server has made the task the interrupted run asked for. */
  void wait_for_task() {
    sora_test::wait_until("the task", [this] { return emulator.task_count() >= 1; });
  }
};

void assert_ambiguous(const PipelineResult &r) {
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_READ);
  sora_assert_contains(r.error_message, "may have created");
  sora_assert_contains(r.error_message, "cache-mode=refresh");
}

/* Killed while the server takes its time to answer the create: the task is
 * made after the process is gone. */
void test_killed_while_creating() {
  Farm farm;
  farm.emulator.configure(R"({"faults":[{"route":"create","action":"delay","delay_ms":1500}]})");
  ProcessRun doomed(
      {"/bin/sh", "-c", "exec gst-launch-1.0 soravideosrc " + farm.props() + " ! fakesink"}, {});
  doomed.start();
  farm.wait_for_create();
  doomed.send_signal(SIGKILL);
  g_assert_false(doomed.wait(10).exited);
  farm.wait_for_task();

  PipelineResult rerun = farm.run();
  g_assert_cmpuint(farm.emulator.task_count(), ==, 1);
  g_assert_cmpuint(farm.emulator.create_count(), ==, 1);
  assert_ambiguous(rerun);
  /* Asked again, it says so again rather than paying. */
  assert_ambiguous(farm.run());
  g_assert_cmpuint(farm.emulator.create_count(), ==, 1);

  /* The user found no task of theirs (say): refresh pays for a new one. */
  PipelineResult refreshed = farm.run("cache-mode=refresh");
  g_assert_false(refreshed.has_error());
  g_assert_cmpuint(farm.emulator.task_count(), ==, 2);
  /* And from then on the request is served from the cache. */
  g_assert_false(farm.run().has_error());
  g_assert_cmpuint(farm.emulator.create_count(), ==, 2);
}

/* Set to NULL (SIGINT in gst-launch-1.0, an application stopping) while
 * the create is in flight: the request was sent, its answer never read. */
void test_stopped_while_creating() {
  Farm farm;
  farm.emulator.configure(R"({"faults":[{"route":"create","action":"delay","delay_ms":1000}]})");
  {
    PipelineRun stopped(sora_test::decode_pipeline(farm.props()));
    gst_element_set_state(stopped.pipeline(), GST_STATE_PLAYING);
    farm.wait_for_create();
    gst_element_set_state(stopped.pipeline(), GST_STATE_NULL);
  }
  farm.wait_for_task();
  PipelineResult rerun = farm.run();
  g_assert_cmpuint(farm.emulator.task_count(), ==, 1);
  assert_ambiguous(rerun);
}

/* Two runs of one request at once (a render farm's two nodes): the first
 * one's create is taken and its answer lost. The second, which waited on
 * the cache's lock, must not send it again. */
void test_waiting_run_after_ambiguous_create() {
  Farm farm;
  farm.emulator.configure(R"({"faults":[{"route":"create","action":"accept_then_drop"}]})");
  PipelineRun a(sora_test::decode_pipeline(farm.props()));
  PipelineRun b(sora_test::decode_pipeline(farm.props()));
  gst_element_set_state(a.pipeline(), GST_STATE_PLAYING);
  gst_element_set_state(b.pipeline(), GST_STATE_PLAYING);
  PipelineResult ra, rb;
  a.collect(ra, 60);
  b.collect(rb, 60);
  gst_element_set_state(a.pipeline(), GST_STATE_NULL);
  gst_element_set_state(b.pipeline(), GST_STATE_NULL);
  g_assert_cmpuint(farm.emulator.task_count(), ==, 1);
  g_assert_cmpuint(farm.emulator.create_count(), ==, 1);
  assert_ambiguous(ra);
  assert_ambiguous(rb);
}

/* A create the server refused created nothing: a run killed while it waits
 * to send it again leaves no trace, and the next run creates as usual. */
void test_killed_after_refused_create() {
  Farm farm;
  farm.emulator.configure(R"({"faults":[{"route":"create","action":"status","status":503,)"
                          R"("headers":{"Retry-After":"60"}}]})");
  ProcessRun doomed(
      {"/bin/sh", "-c", "exec gst-launch-1.0 soravideosrc " + farm.props() + " ! fakesink"}, {});
  doomed.start();
  sora_test::wait_until("the refused create", [&farm] {
    for (const sora_test::SeenRequest &r : farm.emulator.requests()) {
      if (r.response_status == 503)
        return true;
    }
    return false;
  });
  g_usleep(200 * 1000); /* the answer is read and handled */
  doomed.send_signal(SIGKILL);
  g_assert_false(doomed.wait(10).exited);

  PipelineResult rerun = farm.run();
  g_assert_false(rerun.has_error());
  g_assert_cmpuint(farm.emulator.task_count(), ==, 1);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/interrupted-create/killed", test_killed_while_creating);
  g_test_add_func("/interrupted-create/stopped", test_stopped_while_creating);
  g_test_add_func("/interrupted-create/waiting-run", test_waiting_run_after_ambiguous_create);
  g_test_add_func("/interrupted-create/refused-then-killed", test_killed_after_refused_create);
  return g_test_run();
}
