/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "clip_spec.h"

#include <cstdlib>

const char *mp4_layout_name(Mp4Layout layout) {
  return layout == Mp4Layout::kMoovFirst ? "moov-first" : "moov-end";
}

std::optional<Mp4Layout> parse_mp4_layout(const std::string &name) {
  if (name == "moov-end") {
    return Mp4Layout::kMoovEnd;
  }
  if (name == "moov-first") {
    return Mp4Layout::kMoovFirst;
  }
  return std::nullopt;
}

int ClipSpec::total_seconds() const {
  int total = 0;
  for (const ClipSegment &segment : segments) {
    total += segment.seconds;
  }
  return total;
}

namespace {

constexpr long kMaxDimension = 8192;

bool is_even_size(long width, long height) {
  return width > 0 && height > 0 && width <= kMaxDimension && height <= kMaxDimension &&
         width % 2 == 0 && height % 2 == 0;
}

// "720P": the height of a 16:9 frame; its width rounded up to an even number.
bool parse_height_class(const char *text, long &width, long &height) {
  char *end = nullptr;
  height = std::strtol(text, &end, 10);
  if (end == text || (*end != 'P' && *end != 'p') || end[1] != '\0') {
    return false;
  }
  width = (height * 16 + 8) / 9;
  width += width % 2;
  return true;
}

bool parse_dimensions(const char *text, long &width, long &height) {
  char *end = nullptr;
  width = std::strtol(text, &end, 10);
  if (end == text || (*end != 'x' && *end != '*')) {
    return false;
  }
  const char *height_text = end + 1;
  height = std::strtol(height_text, &end, 10);
  return end != height_text && *end == '\0';
}

}  // namespace

bool parse_frame_size(const std::string &size, int &width, int &height) {
  long parsed_width = 0;
  long parsed_height = 0;
  if (!parse_dimensions(size.c_str(), parsed_width, parsed_height) &&
      !parse_height_class(size.c_str(), parsed_width, parsed_height)) {
    return false;
  }
  if (!is_even_size(parsed_width, parsed_height)) {
    return false;
  }
  width = static_cast<int>(parsed_width);
  height = static_cast<int>(parsed_height);
  return true;
}
