/* What most end-to-end tests do: run soravideosrc against a private
 * emulator, decode the clip, and check that it came out whole.
 *
 * "A whole clip" means one thing in every test: the pipeline reached EOS
 * without an error or a timeout, every video frame of the clip was decoded
 * (30 per second), at the asked size when one is given, and the audio
 * covers the clip's length within 0.1 s. */
#pragma once

#include "emulator_process.h"
#include "pipeline_run.h"

#include <string>

namespace sora_test {

constexpr const char kPrompt[] = "A cat walking on the street";

/* soravideosrc properties for a run against `emulator`: the prompt, the
 * test key, the emulator's base URL, polls every 100 ms (gateways send no
 * hint, and the default interval is seconds long), then `extra`, which may
 * override any of them. */
std::string element_props(const EmulatorProcess &emulator, const std::string &extra = "");

/* Plays decode_pipeline(element_props(emulator, extra)) to its end. */
PipelineResult generate(const EmulatorProcess &emulator, const std::string &extra = "",
                        guint timeout_s = 60);

/* The clip of `seconds` came out whole (see above); `width` and `height`
 * are checked when not 0. */
void assert_whole_clip(const PipelineResult &r, int width = 0, int height = 0,
                       guint seconds = 4);

}  // namespace sora_test
