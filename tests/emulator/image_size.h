/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Reads the pixel size of a JPEG, PNG or WebP image from its header, so the emulator can check a
// reference image against the requested size as OpenAI does, and show the size in its log.
#pragma once

#include <glib.h>

#include <optional>
#include <utility>

// {width, height}, or nullopt when the header cannot be read.
std::optional<std::pair<guint, guint>> read_image_size(GBytes *image);
