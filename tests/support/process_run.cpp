/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "process_run.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace sora_test {

ProcessRun::ProcessRun(std::vector<std::string> argv, std::map<std::string, std::string> env)
    : argv_(std::move(argv)), env_(std::move(env)) {}

namespace {

/* The program and everything it started (a script's pipelines). */
void kill_group(GSubprocess *process) {
  const char *id = g_subprocess_get_identifier(process);
  if (id)
    kill(-static_cast<pid_t>(atoi(id)), SIGKILL);
}

}  // namespace

ProcessRun::~ProcessRun() {
  if (process_) {
    kill_group(process_);
    g_subprocess_wait(process_, nullptr, nullptr);
    g_object_unref(process_);
  }
}

void ProcessRun::start() {
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(static_cast<GSubprocessFlags>(
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE));
  /* No stdin: a program that asks a question must not wait for an answer. */
  g_subprocess_launcher_take_stdin_fd(launcher, open("/dev/null", O_RDONLY | O_CLOEXEC));
  apply_test_preload(launcher);
  for (const auto &[name, value] : env_)
    g_subprocess_launcher_setenv(launcher, name.c_str(), value.c_str(), TRUE);
  /* Its own process group, so that a deadline stops a script's children
   * too; and a test that dies must not leave the program behind. */
  g_subprocess_launcher_set_child_setup(
      launcher,
      [](gpointer) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
      },
      nullptr, nullptr);
  std::vector<const char *> argv;
  for (const std::string &a : argv_)
    argv.push_back(a.c_str());
  argv.push_back(nullptr);
  g_autoptr(GError) error = nullptr;
  process_ = g_subprocess_launcher_spawnv(launcher, argv.data(), &error);
  if (!process_)
    g_error("cannot start %s: %s", argv_[0].c_str(), error->message);
}

void ProcessRun::send_signal(int signum) {
  g_assert_nonnull(process_);
  g_subprocess_send_signal(process_, signum);
}

namespace {

struct Communication {
  bool done = false;
  char *out = nullptr;
  char *err = nullptr;
  GError *error = nullptr;
};

}  // namespace

ProcessResult ProcessRun::wait(guint timeout_s) {
  g_assert_nonnull(process_);
  ProcessResult result;
  GMainContext *context = g_main_context_new();
  g_main_context_push_thread_default(context);
  Communication c;
  g_subprocess_communicate_utf8_async(
      process_, nullptr, nullptr,
      [](GObject *source, GAsyncResult *res, gpointer data) {
        auto *c = static_cast<Communication *>(data);
        g_subprocess_communicate_utf8_finish(G_SUBPROCESS(source), res, &c->out, &c->err,
                                             &c->error);
        c->done = true;
      },
      &c);
  /* Millisecond timer: a seconds timer may fire early, and then nothing
   * would wake the loop before the program ends on its own. */
  struct Deadline {
    GSubprocess *process;
    bool *timed_out;
  } deadline{process_, &result.timed_out};
  GSource *timer = g_timeout_source_new(timeout_s * 1000);
  g_source_set_callback(
      timer,
      [](gpointer data) {
        auto *d = static_cast<Deadline *>(data);
        *d->timed_out = true;
        kill_group(d->process);
        return G_SOURCE_REMOVE;
      },
      &deadline, nullptr);
  g_source_attach(timer, context);
  while (!c.done)
    g_main_context_iteration(context, TRUE);
  g_source_destroy(timer);
  g_source_unref(timer);
  g_main_context_pop_thread_default(context);
  g_main_context_unref(context);
  if (c.error) {
    g_error("reading the output of %s: %s", argv_[0].c_str(), c.error->message);
  }
  g_subprocess_wait(process_, nullptr, nullptr);
  result.exited = g_subprocess_get_if_exited(process_);
  if (result.exited)
    result.status = g_subprocess_get_exit_status(process_);
  result.out = c.out ? c.out : "";
  result.err = c.err ? c.err : "";
  g_free(c.out);
  g_free(c.err);
  g_clear_object(&process_);
  return result;
}

ProcessResult ProcessRun::run(std::vector<std::string> argv, std::map<std::string, std::string> env,
                              guint timeout_s) {
  ProcessRun process(std::move(argv), std::move(env));
  process.start();
  return process.wait(timeout_s);
}

std::map<std::string, std::string> user_env(const EmulatorProcess &emulator,
                                            const std::string &cache_home, const std::string &key) {
  std::map<std::string, std::string> env = {{"OPENAI_API_KEY", key},
                                            {"OPENAI_BASE_URL", emulator.base_url()}};
  if (!cache_home.empty())
    env["XDG_CACHE_HOME"] = cache_home;
  return env;
}

std::string test_preload() {
  const char *preload = g_getenv("SORA_TEST_PRELOAD");
  return preload ? preload : "";
}

void apply_test_preload(GSubprocessLauncher *launcher) {
  std::string preload = test_preload();
  if (!preload.empty())
    g_subprocess_launcher_setenv(launcher, "LD_PRELOAD", preload.c_str(), TRUE);
}

std::string find_program(const char *program) {
  g_autofree char *path = g_find_program_in_path(program);
  return path ? path : "";
}

std::string require_program(const char *program) {
  std::string path = find_program(program);
  if (path.empty())
    g_error("%s is not installed: .ci/install-deps installs it", program);
  return path;
}

std::string uri_escaped(const std::string &text) {
  g_autofree char *escaped = g_uri_escape_string(text.c_str(), nullptr, FALSE);
  return escaped;
}

}  // namespace sora_test
