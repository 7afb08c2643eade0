/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/orphan_files.h"

#include "core/debug.h"

#include <glib.h>
#include <glib/gstdio.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

bool process_is_gone(pid_t pid) {
  return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
}

pid_t leading_pid(const char *text) {
  char *end = nullptr;
  guint64 pid = g_ascii_strtoull(text, &end, 10);
  if (end == text || *end != '-' || pid == 0 || pid > G_MAXINT32)
    return 0;
  return static_cast<pid_t>(pid);
}

std::string part_path_for(const std::string &target) {
  g_autofree char *suffix =
      g_strdup_printf(".%ld-%08x.part", static_cast<long>(getpid()), g_random_int());
  return target + suffix;
}

void remove_orphan_parts(const std::string &target) {
  g_autofree char *dir = g_path_get_dirname(target.c_str());
  g_autofree char *base = g_path_get_basename(target.c_str());
  const std::string prefix = std::string(base) + ".";
  g_autoptr(GDir) handle = g_dir_open(dir, 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    if (!g_str_has_prefix(name, prefix.c_str()) || !g_str_has_suffix(name, ".part"))
      continue;
    /* PID-XXXXXXXX.part after the prefix: a part of another name is not ours to judge. */
    const char *owner = name + prefix.size();
    pid_t pid = leading_pid(owner);
    if (pid == 0 || strlen(strchr(owner, '-')) != strlen("-XXXXXXXX.part") || !process_is_gone(pid))
      continue;
    g_autofree char *path = g_build_filename(dir, name, nullptr);
    GStatBuf st;
    if (g_lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid())
      continue;
    GST_INFO("removing %s, left by process %d, which is gone", path, static_cast<int>(pid));
    g_remove(path);
  }
}

}  // namespace sora
