/* ProcessRun: a program the tests run as a user would, from a shell: with
 * its output captured, the environment it needs, and a deadline.
 *
 * Each run gets OPENAI_API_KEY and OPENAI_BASE_URL for the given emulator
 * (through the environment, never the command line) and a private cache
 * directory, so that one test's clips are not another's cache hits. */
#pragma once

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

/* Under an AddressSanitizer build (tests/meson.build sets SORA_TEST_PRELOAD),
 * the uninstrumented tools (gst-launch-1.0, ...) get the sanitizer's runtime
 * preloaded, so that the instrumented plugin can load into them. */
void apply_test_preload(GSubprocessLauncher *launcher);

/* The full path of `program` on PATH, or "" when it is not installed. */
std::string find_program(const char *program);

}  // namespace sora_test
