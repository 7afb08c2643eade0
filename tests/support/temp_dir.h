/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* TempDir: a private directory for one test binary, removed with everything
 * in it when the object goes away. */
#pragma once

#include <string>

namespace sora_test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  /* path()/name */
  std::string file(const std::string &name) const;
  /* Writes `bytes` to path()/name and returns the path. */
  std::string write(const std::string &name, const std::string &bytes) const;
  /* A new, empty directory path()/name-N (0700), N counting up: a test's
   * cache or output of its own. */
  std::string fresh_dir(const std::string &name) const;

 private:
  std::string path_;
  mutable int dirs_made_ = 0;
};

}  // namespace sora_test
