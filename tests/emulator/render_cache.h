/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The directory that holds rendered clips, one set of files (video, thumbnail, spritesheet) per
// render key: either a persistent directory shared by test runs so the same clip is encoded once,
// or a private temporary directory removed when the emulator exits. Renders are written into a
// staging directory and renamed into place, so readers never see a partial file.
#pragma once

#include <glib.h>

#include <memory>
#include <optional>
#include <string>

struct RenderedClip {
  std::string video_path;        // MP4
  std::string thumbnail_path;    // WebP
  std::string spritesheet_path;  // JPEG
};

class RenderCache {
 public:
  // Uses @directory (created if missing), or a new private temporary directory when empty.
  static std::unique_ptr<RenderCache> open(const std::string &directory, GError **error);
  ~RenderCache();

  RenderCache(const RenderCache &) = delete;
  RenderCache &operator=(const RenderCache &) = delete;

  const std::string &directory() const { return directory_; }

  // The cached files for @key, if a complete set is present.
  std::optional<RenderedClip> lookup(const std::string &key) const;

  // A new, empty directory inside the cache where one render writes its files.
  std::optional<std::string> create_staging_dir(GError **error) const;

  // Moves staged files to their cached names; the video goes last because lookup() keys on it.
  std::optional<RenderedClip> commit(const RenderedClip &staged, const std::string &key,
                                     GError **error) const;

  // The file names a clip gets inside @directory.
  static RenderedClip files_in(const std::string &directory, const std::string &stem);

  static void remove_tree(const std::string &path);

 private:
  RenderCache(std::string directory, bool is_private);

  std::string directory_;
  bool is_private_;
};
