/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Runs the fuzz target over files, without libFuzzer: the test suite uses it
 * to replay the seed corpus (and any crash a fuzzing run found) with gcc. */
#include <glib.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Defined by the targets that set up GStreamer before the first input. */
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static void replay(const char *path, unsigned *count) {
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_autoptr(GDir) dir = g_dir_open(path, 0, nullptr);
    while (const char *name = g_dir_read_name(dir)) {
      g_autofree char *child = g_build_filename(path, name, nullptr);
      replay(child, count);
    }
    return;
  }
  g_autofree char *contents = nullptr;
  gsize length = 0;
  if (!g_file_get_contents(path, &contents, &length, nullptr))
    g_error("cannot read %s", path);
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(contents), length);
  (*count)++;
}

int main(int argc, char **argv) {
  unsigned count = 0;
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; i++)
    replay(argv[i], &count);
  g_print("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
