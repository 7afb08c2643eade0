/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: the check of a finished clip (core/mp4_check), which runs
 * on every download and every cache hit, over a file whose bytes a server or
 * another user of a shared cache chose. Built by tests/fuzz/run.sh with clang;
 * replayed over corpus/mp4-check by the test suite (fuzz-corpus-mp4-check). */
#include "core/mp4_check.h"

#include "scratch_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ScratchFile clip("clip");
  sora::starts_like_mp4(data, size);
  sora::Mp4Check check = sora::check_mp4_file(clip.write(data, size));
  /* A clip passes only whole, and a refusal always says why. */
  if (check.ok ? check.size != size || check.size == 0 : check.problem.empty())
    abort();
  return 0;
}
