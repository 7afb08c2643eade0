/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* When a soraplaylistsrc programme starts: gst-launch-1.0 (a real process,
 * as a user runs it) plays as soon as the first shot can, while a later,
 * slow shot is still generating on the emulator; the programme then waits
 * for that shot and plays to its end. */
#include "assertions.h"
#include "emulator_process.h"
#include "playlist_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <string>

using namespace sora_test;

namespace {

TempDir *scratch;

/* How long the slow shot generates: long enough that nothing else explains
 * a PLAYING before it is done, short enough for the suite. */
constexpr gint64 kSlowShotMs = 8000;

struct TaskState {
  bool found = false;
  bool completed = false;
};

TaskState task_with_prompt(EmulatorProcess &emulator, const std::string &prompt) {
  TaskState state;
  emulator.for_each_task([&](JsonObject *task) {
    if (prompt != json_object_get_string_member(task, "prompt"))
      return;
    state.found = true;
    JsonNode *completed = json_object_get_member(task, "completed_us");
    state.completed = completed && !JSON_NODE_HOLDS_NULL(completed);
  });
  return state;
}

/* gst-launch-1.0 holds a non-live pipeline in PAUSED until the programme's
 * PROGRESS completes: that is once the first shot plays, not once every shot
 * is generated (it was: the whole programme waited for its slowest shot). */
void test_gst_launch_plays_before_the_last_shot() {
  EmulatorProcess emulator;
  allow_any_request(emulator);
  emulator.configure(R"({"prompt_rules": [{"prompt_contains": "slow", "generation_ms": )" +
                     std::to_string(kSlowShotMs) + "}]}");
  std::string playlist = scratch->write("three.json", R"([
    {"prompt": "First, quick", "seconds": 1, "size": "320x180"},
    {"prompt": "Second, quick", "seconds": 1, "size": "320x180"},
    {"prompt": "Third, slow", "seconds": 1, "size": "320x180"}
  ])");
  std::string output = scratch->file("gst-launch.txt");
  std::string line =
      "exec gst-launch-1.0 soraplaylistsrc name=p location=" + playlist +
      " validate=false max-parallel=3 cache-dir=" + scratch->fresh_dir("launch-cache") +
      " p.video ! fakesink sync=true p.audio ! fakesink sync=true >" + output + " 2>&1";
  ProcessRun run({"/bin/sh", "-c", line}, user_env(emulator));
  run.start();

  /* Poll its output for the state it reached, and look at the slow task
   * the moment PLAYING shows. */
  std::string text;
  wait_until(
      "gst-launch-1.0 to reach PLAYING or fail",
      [&] {
        g_autofree char *contents = nullptr;
        if (g_file_get_contents(output.c_str(), &contents, nullptr, nullptr))
          text = contents;
        return text.find("Setting pipeline to PLAYING") != std::string::npos ||
               text.find("ERROR") != std::string::npos;
      },
      60);
  TaskState slow = task_with_prompt(emulator, "Third, slow");
  TaskState first = task_with_prompt(emulator, "First, quick");
  g_test_message("gst-launch-1.0 so far:\n%s", text.c_str());
  g_assert_true(text.find("ERROR") == std::string::npos);
  g_assert_true(first.completed);
  g_assert_true(slow.found);
  g_assert_false(slow.completed);

  /* Then it waits for the slow shot and plays the whole programme. */
  ProcessResult result = run.wait(60);
  g_autofree char *contents = nullptr;
  g_assert_true(g_file_get_contents(output.c_str(), &contents, nullptr, nullptr));
  if (!result.exited || result.status != 0)
    g_error("gst-launch-1.0 did not end well:\n%s", contents);
  sora_assert_contains(contents, "Got EOS from element");
  g_assert_true(task_with_prompt(emulator, "Third, slow").completed);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  TempDir dir;
  scratch = &dir;
  g_test_add_func("/playlist-start/gst-launch-plays-before-the-last-shot",
                  test_gst_launch_plays_before_the_last_shot);
  return g_test_run();
}
