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

bool parse_frame_size(const std::string &size, int &width, int &height) {
  const char *text = size.c_str();
  char *end = nullptr;
  long parsed_width = std::strtol(text, &end, 10);
  if (end == text || *end != 'x') {
    return false;
  }
  const char *height_text = end + 1;
  long parsed_height = std::strtol(height_text, &end, 10);
  if (end == height_text || *end != '\0') {
    return false;
  }
  if (parsed_width <= 0 || parsed_height <= 0 || parsed_width > 8192 || parsed_height > 8192 ||
      parsed_width % 2 != 0 || parsed_height % 2 != 0) {
    return false;
  }
  width = static_cast<int>(parsed_width);
  height = static_cast<int>(parsed_height);
  return true;
}
