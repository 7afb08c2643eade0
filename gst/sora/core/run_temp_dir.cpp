/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/run_temp_dir.h"

#include "core/debug.h"
#include "core/orphan_files.h"

#include <glib/gstdio.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr char kPrefix[] = "gst-sora-run-";

/* The files of a run's directory (a clip and its .part), then the
 * directory. Names are read from the directory itself: nothing outside it
 * is touched, and a symbolic link is removed, not followed. */
void remove_dir(const std::string &dir) {
  g_autoptr(GDir) handle = g_dir_open(dir.c_str(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    g_autofree char *path = g_build_filename(dir.c_str(), name, nullptr);
    g_remove(path);
  }
  g_rmdir(dir.c_str());
}

/* The pid in gst-sora-run-PID-XXXXXX, or 0. */
pid_t owner_of(const char *name) {
  return g_str_has_prefix(name, kPrefix) ? leading_pid(name + strlen(kPrefix)) : 0;
}

}  // namespace

void RunTempDir::sweep(const std::string &parent) {
  g_autoptr(GDir) handle = g_dir_open(parent.c_str(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    pid_t pid = owner_of(name);
    if (pid == 0 || !process_is_gone(pid))
      continue;
    g_autofree char *path = g_build_filename(parent.c_str(), name, nullptr);
    /* lstat: a symbolic link named so is not ours to follow. */
    GStatBuf st;
    if (g_lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
      continue;
    GST_INFO("removing %s, left by process %d, which is gone", path, static_cast<int>(pid));
    remove_dir(path);
  }
}

RunTempDir RunTempDir::make(std::string *problem) {
  sweep(g_get_tmp_dir());
  std::string name_template =
      std::string(kPrefix) + std::to_string(static_cast<long>(getpid())) + "-XXXXXX";
  g_autoptr(GError) error = nullptr;
  g_autofree char *dir = g_dir_make_tmp(name_template.c_str(), &error);
  RunTempDir made;
  if (!dir) {
    *problem = error->message;
    return made;
  }
  made.path_ = dir;
  return made;
}

RunTempDir::~RunTempDir() {
  if (!path_.empty())
    remove_dir(path_);
}

RunTempDir &RunTempDir::operator=(RunTempDir &&other) noexcept {
  if (this != &other) {
    if (!path_.empty())
      remove_dir(path_);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

}  // namespace sora
