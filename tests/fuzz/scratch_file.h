/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ScratchFile: one file in a private temporary directory that a fuzz target
 * rewrites with each input. The MP4 readers, the cache and the playlist parser
 * take paths, and the fuzz targets feed them through their real entry points
 * (open, size checks, O_NOFOLLOW) rather than a copy of their parsing. */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

class ScratchFile {
 public:
  /* `name`: the file's name in the directory (a cache record is KEY.json). */
  explicit ScratchFile(const std::string &name);
  ~ScratchFile();
  ScratchFile(const ScratchFile &) = delete;
  ScratchFile &operator=(const ScratchFile &) = delete;

  /* Replaces the file's contents with `data`; its path. Aborts on an error:
   * a target that cannot write its input would test nothing. */
  const std::string &write(const uint8_t *data, size_t size);

  const std::string &dir() const { return dir_; }
  const std::string &path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};
