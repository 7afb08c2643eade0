/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Variant: what can be fetched of a finished task (the API's
 * /content?variant=...), in one table that the element, the cache and
 * sora-tasks share: the name the API uses, the media type of its bytes, the
 * file extension a saved copy gets, and a description for users. */
#pragma once

#include <string>

namespace sora {

struct Variant {
  const char *name;        /* video, thumbnail, spritesheet */
  const char *caps;        /* video/quicktime, image/webp, image/jpeg */
  const char *extension;   /* .mp4, .webp, .jpg */
  const char *description; /* "The clip, an MP4 (video/quicktime)" */
};

/* The clip first: index 0 is the default everywhere. */
inline constexpr Variant kVariants[] = {
    {"video", "video/quicktime", ".mp4", "The clip, an MP4 (video/quicktime)"},
    {"thumbnail", "image/webp", ".webp", "A still of the clip, WebP (image/webp)"},
    {"spritesheet", "image/jpeg", ".jpg", "A grid of frames, JPEG (image/jpeg)"},
};

/* The variant named `name`, or nullptr. */
const Variant *find_variant(const std::string &name);

/* "video, thumbnail or spritesheet", for messages. */
std::string variant_names();

}  // namespace sora
