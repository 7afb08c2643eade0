/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A host process that already has libsoup 2 (a WebKitGTK 4.0 application,
 * say) must survive loading the plugin: libsoup 3 is loaded at run time
 * (core/soup_runtime.h), so the plugin itself brings none, and beside
 * libsoup 2 a source posts an error that says why instead of aborting the
 * host. The host here is gst-launch-1.0 with libsoup 2 preloaded. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "process_run.h"

#include <gst/gst.h>

#include <cstring>
#include <string>

using sora_test::EmulatorProcess;
using sora_test::ProcessResult;
using sora_test::ProcessRun;

namespace {

constexpr char kLibsoup2[] = "libsoup-2.4.so.1";

std::vector<std::string> launch_line(const EmulatorProcess &emulator) {
  return {"gst-launch-1.0",
          "-q",
          "soravideosrc",
          "prompt=libsoup host",
          "api-key=" + std::string(sora_test::kTestKey),
          "base-url=" + emulator.base_url(),
          "cache-mode=off",
          "!",
          "fakesink"};
}

/* The plugin itself does not bring libsoup 3 into the process. */
void test_plugin_links_no_libsoup() {
  GstPlugin *plugin = gst_registry_find_plugin(gst_registry_get(), "sora");
  g_assert_nonnull(plugin);
  g_autofree char *ldd = nullptr;
  std::string command = std::string("ldd ") + gst_plugin_get_filename(plugin);
  g_assert_true(g_spawn_command_line_sync(command.c_str(), &ldd, nullptr, nullptr, nullptr));
  g_assert_null(strstr(ldd, "libsoup"));
  gst_object_unref(plugin);
}

void test_host_with_libsoup2() {
  /* Looked up, not loaded: beside this program's own libsoup 3 it would abort. */
  g_autofree char *libraries = nullptr;
  g_spawn_command_line_sync("/sbin/ldconfig -p", &libraries, nullptr, nullptr, nullptr);
  if (!libraries || !strstr(libraries, kLibsoup2)) {
    g_test_skip("libsoup 2 is not installed (Debian: libsoup2.4-1)");
    return;
  }
  EmulatorProcess emulator;

  /* The same line without libsoup 2 plays: the harness is sound. */
  ProcessResult plain = ProcessRun::run(launch_line(emulator), {}, 120);
  g_assert_true(plain.exited);
  g_assert_cmpint(plain.status, ==, 0);
  g_assert_cmpuint(emulator.create_count(), ==, 1);

  std::string preload = sora_test::test_preload();
  preload += (preload.empty() ? "" : " ") + std::string(kLibsoup2);
  ProcessResult r = ProcessRun::run(launch_line(emulator), {{"LD_PRELOAD", preload}}, 120);
  g_assert_true(r.exited); /* before: SIGTRAP, "libsoup2 symbols detected" */
  g_assert_cmpint(r.status, !=, 0);
  sora_assert_contains(r.out + r.err, "libsoup 2 is loaded in this process");
  g_assert_null(strstr((r.out + r.err).c_str(), "libsoup2 symbols detected"));
  g_assert_cmpuint(emulator.create_count(), ==, 1); /* nothing sent, nothing paid */
}

}  // namespace

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  gst_init(&argc, &argv);
  g_test_add_func("/soup-runtime/plugin-links-no-libsoup", test_plugin_links_no_libsoup);
  g_test_add_func("/soup-runtime/host-with-libsoup2", test_host_with_libsoup2);
  return g_test_run();
}
