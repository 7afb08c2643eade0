/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "image_size.h"

#include <cstring>

namespace {

guint be16(const guint8 *p) {
  return (p[0] << 8) | p[1];
}

guint be32(const guint8 *p) {
  return (static_cast<guint>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

guint le_bits(const guint8 *p, int bytes) {
  guint v = 0;
  for (int i = bytes - 1; i >= 0; i--) {
    v = (v << 8) | p[i];
  }
  return v;
}

std::optional<std::pair<guint, guint>> png_size(const guint8 *data, gsize size) {
  if (size < 24 || memcmp(data + 12, "IHDR", 4) != 0) {
    return std::nullopt;
  }
  return std::make_pair(be32(data + 16), be32(data + 20));
}

// Walks the marker segments to the first start-of-frame.
std::optional<std::pair<guint, guint>> jpeg_size(const guint8 *data, gsize size) {
  gsize at = 2;
  while (at + 9 < size && data[at] == 0xFF) {
    guint8 marker = data[at + 1];
    bool start_of_frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (start_of_frame) {
      return std::make_pair(be16(data + at + 7), be16(data + at + 5));
    }
    at += 2 + be16(data + at + 2);
  }
  return std::nullopt;
}

std::optional<std::pair<guint, guint>> webp_size(const guint8 *data, gsize size) {
  if (size < 30) {
    return std::nullopt;
  }
  if (memcmp(data + 12, "VP8 ", 4) == 0) {
    return std::make_pair(le_bits(data + 26, 2) & 0x3FFF, le_bits(data + 28, 2) & 0x3FFF);
  }
  if (memcmp(data + 12, "VP8L", 4) == 0) {
    guint bits = le_bits(data + 21, 4);
    return std::make_pair((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (memcmp(data + 12, "VP8X", 4) == 0) {
    return std::make_pair(le_bits(data + 24, 3) + 1, le_bits(data + 27, 3) + 1);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::pair<guint, guint>> read_image_size(GBytes *image) {
  gsize size = 0;
  auto *data = static_cast<const guint8 *>(g_bytes_get_data(image, &size));
  if (size >= 8 && memcmp(data, "\x89PNG", 4) == 0) {
    return png_size(data, size);
  }
  if (size >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0) {
    return jpeg_size(data, size);
  }
  if (size >= 16 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
    return webp_size(data, size);
  }
  return std::nullopt;
}
