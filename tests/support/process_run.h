/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ProcessRun: a program the tests run as a user would, from a shell: stdin
 * /dev/null, its output captured, in a process group of its own, with a
 * deadline. user_env() gives it what a shell user has: the key and the
 * server in the environment (never on the command line), and a private
 * cache directory, so that one test's clips are not another's cache hits. */
#pragma once

#include "emulator_process.h"

#include <gio/gio.h>

#include <map>
#include <string>
#include <vector>

namespace sora_test {

struct ProcessResult {
  bool exited = false; /* false: killed by a signal, or by the deadline */
  int status = -1;     /* the exit status, when it exited */
  bool timed_out = false;
  std::string out;
  std::string err;
};

class ProcessRun {
 public:
  /* `env` is added to (and overrides) the test's own environment. */
  ProcessRun(std::vector<std::string> argv, std::map<std::string, std::string> env);
  ~ProcessRun();
  ProcessRun(const ProcessRun &) = delete;
  ProcessRun &operator=(const ProcessRun &) = delete;

  /* Starts the program: stdin is /dev/null, stdout and stderr are read into
   * the result as they come, so a talkative program never blocks on a pipe. */
  void start();
  void send_signal(int signum);
  /* Waits for the program to end, at most `timeout_s` (then it is killed and
   * the result says timed_out). */
  ProcessResult wait(guint timeout_s);

  /* start() and wait() in one. */
  static ProcessResult run(std::vector<std::string> argv, std::map<std::string, std::string> env,
                           guint timeout_s = 120);

 private:
  std::vector<std::string> argv_;
  std::map<std::string, std::string> env_;
  GSubprocess *process_ = nullptr;
};

/* OPENAI_API_KEY (`key`) and OPENAI_BASE_URL for `emulator`, and, when
 * `cache_home` is set, XDG_CACHE_HOME. */
std::map<std::string, std::string> user_env(const EmulatorProcess &emulator,
                                            const std::string &cache_home = "",
                                            const std::string &key = kTestKey);

/* Under an AddressSanitizer build (tests/meson.build sets SORA_TEST_PRELOAD),
 * the uninstrumented tools (gst-launch-1.0, ...) get the sanitizer's runtime
 * preloaded, so that the instrumented plugin can load into them. */
void apply_test_preload(GSubprocessLauncher *launcher);
/* The LD_PRELOAD value for that, or "" in a normal build. */
std::string test_preload();

/* The full path of `program` on PATH, or "" when it is not installed. */
std::string find_program(const char *program);
/* The same, for a program .ci/install-deps installs: a test error without it. */
std::string require_program(const char *program);

/* `text` %-escaped for a URI's query or path segment. */
std::string uri_escaped(const std::string &text);

}  // namespace sora_test
