/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/path_style.h"

#include "core/video_object.h"

#include <glib.h>

#include <map>
#include <mutex>

namespace sora {

namespace {

std::mutex memory_lock;

std::map<std::string, PathStyle> &memory() {
  static std::map<std::string, PathStyle> styles;
  return styles;
}

}  // namespace

const char *path_style_segment(PathStyle style) {
  switch (style) {
    case PathStyle::kVideo:
      return "video";
    case PathStyle::kVideoGenerations:
      return "video/generations";
    case PathStyle::kAuto:
    case PathStyle::kVideos:
      break;
  }
  return "videos";
}

std::optional<PathStyle> next_path_style(PathStyle style) {
  switch (style) {
    case PathStyle::kAuto:
    case PathStyle::kVideos:
      return PathStyle::kVideo;
    case PathStyle::kVideo:
      return PathStyle::kVideoGenerations;
    case PathStyle::kVideoGenerations:
      break;
  }
  return std::nullopt;
}

std::optional<PathStyle> remembered_path_style(const std::string &base_url) {
  std::lock_guard<std::mutex> guard(memory_lock);
  auto it = memory().find(base_url);
  if (it == memory().end())
    return std::nullopt;
  return it->second;
}

void remember_path_style(const std::string &base_url, PathStyle style) {
  std::lock_guard<std::mutex> guard(memory_lock);
  memory()[base_url] = style;
}

void forget_path_style(const std::string &base_url) {
  std::lock_guard<std::mutex> guard(memory_lock);
  memory().erase(base_url);
}

bool names_missing_entity(const HttpResponse &response) {
  const std::string code = parse_api_error(response.text()).code;
  return code.find("not_found") != std::string::npos || code.find("not_exist") != std::string::npos;
}

}  // namespace sora
