/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "generation.h"

namespace sora_test {

std::string element_props(const EmulatorProcess &emulator, const std::string &extra) {
  return std::string("prompt=\"") + kPrompt + "\" api-key=" + kTestKey +
         " base-url=" + emulator.base_url() + " " + extra;
}

PipelineResult generate(const EmulatorProcess &emulator, const std::string &extra,
                        guint timeout_s) {
  PipelineRun run(decode_pipeline(element_props(emulator, extra)));
  return run.play(timeout_s);
}

void assert_whole_clip(const PipelineResult &r, int width, int height, guint seconds) {
  if (r.has_error())
    g_error("pipeline error: %s (%s)", r.error_message.c_str(), r.error_debug.c_str());
  g_assert_false(r.timed_out);
  g_assert_true(r.eos);
  g_assert_cmpuint(r.video_frames, ==, seconds * 30);
  g_assert_cmpint(r.width, ==, width);
  g_assert_cmpint(r.height, ==, height);
  g_assert_cmpuint(r.audio_buffers, >, 0);
  g_assert_cmpuint(r.audio_duration, >=, seconds * GST_SECOND - 100 * GST_MSECOND);
  g_assert_cmpuint(r.audio_duration, <=, seconds * GST_SECOND + 100 * GST_MSECOND);
}

}  // namespace sora_test
