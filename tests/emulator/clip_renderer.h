/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Renders a ClipSpec into real media with GStreamer: an MP4 with H.264 video (High profile,
// 4:2:0, the spec's frame rate, a keyframe each second) and, unless the spec says none, AAC audio
// (48 kHz), showing a moving ball, the segment's prompt and a frame counter; plus the clip's
// thumbnail and spritesheet. Runs on the
// calling thread until done or cancelled.
#pragma once

#include "clip_spec.h"
#include "render_cache.h"

#include <gio/gio.h>

#include <string>

// Identifies everything that changes the rendered bytes, including this renderer's version.
std::string render_cache_key(const ClipSpec &spec);

// Writes the clip's three files to @outputs. On failure or cancellation returns false, sets
// @error and leaves partial files for the caller to remove.
bool render_clip(const ClipSpec &spec, const RenderedClip &outputs, GCancellable *cancellable,
                 std::string &error);
