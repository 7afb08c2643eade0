/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The threads of this process, by name (GLib names the threads it starts),
 * for the tests that check that a stop leaves none of the element's behind. */
#pragma once

#include <glib.h>

#include <dirent.h>

#include <string>
#include <vector>

namespace sora_test {

inline std::vector<std::string> thread_names() {
  std::vector<std::string> names;
  DIR *dir = opendir("/proc/self/task");
  while (struct dirent *entry = dir ? readdir(dir) : nullptr) {
    if (entry->d_name[0] == '.')
      continue;
    std::string path = std::string("/proc/self/task/") + entry->d_name + "/comm";
    g_autofree char *comm = nullptr;
    if (g_file_get_contents(path.c_str(), &comm, nullptr, nullptr))
      names.push_back(g_strstrip(comm));
  }
  if (dir)
    closedir(dir);
  return names;
}

}  // namespace sora_test
