/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/task_id.h"

#include <glib.h>

namespace sora {

namespace {

bool only_dots(const std::string &id) {
  return !id.empty() && id.find_first_not_of('.') == std::string::npos;
}

}  // namespace

std::optional<std::string> task_id_problem(const std::string &id) {
  if (id.empty())
    return std::string("the id is empty");
  if (id == "." || id == "..")
    return "\"" + id +
           "\" is a dot segment: in a URL it names the task list or the base URL, not a task";
  return std::nullopt;
}

std::string task_path_segment(const std::string &id) {
  if (only_dots(id)) {
    std::string encoded;
    for (size_t i = 0; i < id.size(); i++)
      encoded += "%2E";
    return encoded;
  }
  g_autofree char *escaped = g_uri_escape_string(id.c_str(), nullptr, FALSE);
  return escaped;
}

}  // namespace sora
