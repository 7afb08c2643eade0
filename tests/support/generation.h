/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What most end-to-end tests do: run soravideosrc against a private
 * emulator, decode the clip, and check that it came out whole.
 *
 * "A whole clip" means one thing in every test: the pipeline reached EOS
 * without an error or a timeout, every video frame of the clip was decoded
 * (30 per second), at the asked size, and the audio
 * covers the clip's length within 0.1 s. */
#pragma once

#include "emulator_process.h"
#include "pipeline_run.h"

#include <string>

namespace sora_test {

constexpr const char kPrompt[] = "A cat walking on the street";

/* Polls every 100 ms: for servers that send no poll hint (gateways), where
 * the default interval is seconds long. */
constexpr const char kFastPolls[] = "poll-interval=100";

/* soravideosrc properties for a run against `emulator`: the prompt, the
 * test key and the emulator's base URL, then `extra`, which may override any
 * of them (a property set twice takes the last value). */
std::string element_props(const EmulatorProcess &emulator, const std::string &extra = "");

/* Plays decode_pipeline(element_props(emulator, extra)) to its end. */
PipelineResult generate(const EmulatorProcess &emulator, const std::string &extra = "",
                        guint timeout_s = 60);

/* The clip of `seconds` at `width`x`height` came out whole (see above). The
 * defaults are the element's own request: 4 s at 720x1280. */
void assert_whole_clip(const PipelineResult &r, int width = 720, int height = 1280,
                       guint seconds = 4);

}  // namespace sora_test
