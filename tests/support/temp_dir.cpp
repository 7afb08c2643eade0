/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "temp_dir.h"

#include <gio/gio.h>

namespace sora_test {

namespace {

void remove_tree(GFile *file) {
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children(
      file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, nullptr, nullptr);
  if (children) {
    GFileInfo *info;
    while ((info = g_file_enumerator_next_file(children, nullptr, nullptr))) {
      g_autoptr(GFile) child = g_file_get_child(file, g_file_info_get_name(info));
      remove_tree(child);
      g_object_unref(info);
    }
  }
  g_file_delete(file, nullptr, nullptr);
}

}  // namespace

TempDir::TempDir() {
  g_autoptr(GError) error = nullptr;
  g_autofree char *dir = g_dir_make_tmp("sora-test-XXXXXX", &error);
  if (!dir)
    g_error("cannot make a temporary directory: %s", error->message);
  path_ = dir;
}

TempDir::~TempDir() {
  g_autoptr(GFile) root = g_file_new_for_path(path_.c_str());
  remove_tree(root);
}

std::string TempDir::file(const std::string &name) const {
  g_autofree char *path = g_build_filename(path_.c_str(), name.c_str(), nullptr);
  return path;
}

std::string TempDir::write(const std::string &name, const std::string &bytes) const {
  std::string path = file(name);
  g_autoptr(GError) error = nullptr;
  if (!g_file_set_contents(path.c_str(), bytes.data(), static_cast<gssize>(bytes.size()), &error))
    g_error("cannot write %s: %s", path.c_str(), error->message);
  return path;
}

std::string TempDir::fresh_dir(const std::string &name) const {
  std::string dir = file(name + "-" + std::to_string(++dirs_made_));
  g_mkdir_with_parents(dir.c_str(), 0700);
  return dir;
}

}  // namespace sora_test
