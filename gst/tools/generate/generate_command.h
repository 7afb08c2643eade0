/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-tasks generate: prompts (or a playlist) in, generated side by side,
 * the cache warmed, `sora://video/ID` URIs or a GES project out. See
 * docs/sora-tasks.md. */
#pragma once

namespace sora::generate {

/* argv[0] is "generate". The exit status: 0 every shot made, 1 one failed
 * (the others are kept), 2 a usage mistake, 128 + the signal when stopped. */
int generate_command(int argc, char **argv);

}  // namespace sora::generate
