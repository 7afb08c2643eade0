/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A run killed while it downloads into the cache leaves its partial clip
 * (KEY.mp4.PID-XXXXXXXX.part) behind; the chaos soak found these piling up,
 * one per kill, never removed: on a render farm whose nodes crash, a cache
 * of 100 MB clips fills the disk. The next run that takes the entry's lock
 * is the only one that could have written them: it removes them. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <signal.h>
#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::ProcessRun;

namespace {

std::vector<std::string> temporary_files(const std::string &dir) {
  std::vector<std::string> found;
  g_autoptr(GDir) handle = g_dir_open(dir.c_str(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    if (g_str_has_suffix(name, ".part"))
      found.push_back(name);
  }
  return found;
}

void test_killed_download_leaves_nothing() {
  sora_test::TempDir dir;
  EmulatorProcess emulator;
  emulator.configure(
      R"({"faults":[{"route":"content","action":"throttle","bytes_per_second":20000}]})");
  std::string cache = "cache-mode=reuse cache-dir=" + dir.path();
  std::string props = sora_test::element_props(emulator, cache);
  ProcessRun doomed({"/bin/sh", "-c", "exec gst-launch-1.0 soravideosrc " + props + " ! fakesink"},
                    {});
  doomed.start();
  sora_test::wait_until("a partial clip in the cache",
                        [&dir] { return !temporary_files(dir.path()).empty(); });
  doomed.send_signal(SIGKILL);
  g_assert_false(doomed.wait(10).exited);
  g_assert_cmpuint(temporary_files(dir.path()).size(), ==, 1);

  emulator.configure(R"({"faults":[]})");
  PipelineResult r = sora_test::generate(emulator, cache);
  sora_test::assert_whole_clip(r);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
  g_assert_cmpuint(temporary_files(dir.path()).size(), ==, 0);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/cache-leftovers/killed-download", test_killed_download_leaves_nothing);
  return g_test_run();
}
