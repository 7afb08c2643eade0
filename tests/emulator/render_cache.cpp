/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "render_cache.h"

#include <glib/gstdio.h>

#include <ftw.h>

#include <cerrno>

namespace {

int remove_entry(const char *path, const struct stat *, int, struct FTW *) {
  g_remove(path);
  return 0;
}

bool rename_into_place(const std::string &from, const std::string &to, GError **error) {
  if (g_rename(from.c_str(), to.c_str()) != 0) {
    int saved_errno = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved_errno),
                "cannot move %s to %s: %s", from.c_str(), to.c_str(), g_strerror(saved_errno));
    return false;
  }
  return true;
}

}  // namespace

RenderCache::RenderCache(std::string directory, bool is_private)
    : directory_(std::move(directory)), is_private_(is_private) {}

RenderCache::~RenderCache() {
  if (is_private_) {
    remove_tree(directory_);
  }
}

std::unique_ptr<RenderCache> RenderCache::open(const std::string &directory, GError **error) {
  if (directory.empty()) {
    g_autofree char *private_dir = g_dir_make_tmp("sora-emulator-XXXXXX", error);
    if (!private_dir) {
      return nullptr;
    }
    return std::unique_ptr<RenderCache>(new RenderCache(private_dir, true));
  }
  if (g_mkdir_with_parents(directory.c_str(), 0755) != 0) {
    int saved_errno = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved_errno),
                "cannot create render cache %s: %s", directory.c_str(), g_strerror(saved_errno));
    return nullptr;
  }
  return std::unique_ptr<RenderCache>(new RenderCache(directory, false));
}

RenderedClip RenderCache::files_in(const std::string &directory, const std::string &stem) {
  std::string base = directory + G_DIR_SEPARATOR_S + stem;
  return RenderedClip{base + ".mp4", base + ".webp", base + ".jpg"};
}

std::optional<RenderedClip> RenderCache::lookup(const std::string &key) const {
  RenderedClip files = files_in(directory_, key);
  for (const std::string *path :
       {&files.video_path, &files.thumbnail_path, &files.spritesheet_path}) {
    if (!g_file_test(path->c_str(), G_FILE_TEST_IS_REGULAR)) {
      return std::nullopt;
    }
  }
  return files;
}

std::optional<std::string> RenderCache::create_staging_dir(GError **error) const {
  std::string staging = directory_ + G_DIR_SEPARATOR_S + ".staging-XXXXXX";
  if (!g_mkdtemp(staging.data())) {
    int saved_errno = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved_errno),
                "cannot create a staging directory in %s: %s", directory_.c_str(),
                g_strerror(saved_errno));
    return std::nullopt;
  }
  return staging;
}

std::optional<RenderedClip> RenderCache::commit(const RenderedClip &staged, const std::string &key,
                                                GError **error) const {
  RenderedClip cached = files_in(directory_, key);
  if (!rename_into_place(staged.thumbnail_path, cached.thumbnail_path, error) ||
      !rename_into_place(staged.spritesheet_path, cached.spritesheet_path, error) ||
      !rename_into_place(staged.video_path, cached.video_path, error)) {
    return std::nullopt;
  }
  return cached;
}

void RenderCache::remove_tree(const std::string &path) {
  nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
