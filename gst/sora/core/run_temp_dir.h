/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RunTempDir: the private directory a run without `location` writes its
 * clip into, removed with the run, and found again if the process was
 * killed first.
 *
 * Its name says whose it is: gst-sora-run-PID-XXXXXX in the temporary
 * directory ($TMPDIR, else /tmp), mode 0700. A killed run cannot remove it,
 * and a clip may be gigabytes: every new directory made sweeps those of
 * processes that are gone, owned by the same user (another user's, and a
 * live process's, are never touched). */
#pragma once

#include <glib.h>

#include <string>

namespace sora {

class RunTempDir {
 public:
  /* Sweeps the leftovers, then makes the directory; invalid on an error
   * (`problem` says which). */
  static RunTempDir make(std::string *problem);
  /* Removes the leftovers of dead processes in `parent`. */
  static void sweep(const std::string &parent);

  RunTempDir() = default;
  ~RunTempDir();
  RunTempDir(RunTempDir &&other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  RunTempDir &operator=(RunTempDir &&other) noexcept;
  RunTempDir(const RunTempDir &) = delete;
  RunTempDir &operator=(const RunTempDir &) = delete;

  bool valid() const { return !path_.empty(); }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace sora
