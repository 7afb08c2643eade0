// Reads the pixel size of a JPEG, PNG or WebP image from its header, so the emulator can check a
// reference image against the requested size as OpenAI does, and show the size in its log.
#pragma once

#include <glib.h>

#include <optional>
#include <utility>

// {width, height}, or nullopt when the header cannot be read.
std::optional<std::pair<guint, guint>> read_image_size(GBytes *image);
