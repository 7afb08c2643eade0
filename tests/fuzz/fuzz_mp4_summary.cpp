/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: the reading of a clip's moov box (core/mp4_summary) that
 * gives a playlist shot its length, size and frame rate, over a file whose
 * bytes the server chose. Built by tests/fuzz/run.sh with clang; replayed over
 * corpus/mp4-summary by the test suite (fuzz-corpus-mp4-summary). */
#include "core/mp4_summary.h"

#include "scratch_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ScratchFile clip("clip");
  std::optional<sora::Mp4Summary> summary = sora::read_mp4_summary(clip.write(data, size));
  /* The frame rate is a fraction a caps field can hold. */
  if (summary && summary->video &&
      (summary->video->fps_n < 0 || summary->video->fps_d <= 0 ||
       (summary->video->fps_n == 0 && summary->video->fps_d != 1)))
    abort();
  return 0;
}
