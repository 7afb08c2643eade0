/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* CacheDirectory: the cache's directory, used only when no one but the user
 * can change what is in it, as OpenSSH's StrictModes trusts ~/.ssh.
 *
 * Cache keys are hashes of public inputs: in a directory another local user
 * can write, they could plant a clip the user is served without a request, a
 * record that attaches the run to a task of their choosing, or a symlink the
 * run writes through. So the directory is opened once (O_DIRECTORY |
 * O_NOFOLLOW) and checked on that descriptor, never again by path:
 *
 *   - it is owned by the user running the process and writable by no one
 *     else (a sticky directory such as /tmp is not enough: others could
 *     still add files);
 *   - every directory above it, up to the home directory (included) or /,
 *     is owned by the user or root and writable by no one else, or sticky
 *     (as /tmp: there only an entry's owner may rename or remove it, so
 *     the path to the cache stays put).
 *
 * Every file of the cache is then opened relative to the descriptor, with
 * O_NOFOLLOW. */
#pragma once

#include "core/file_read.h"

#include <string>

namespace sora {

class CacheDirectory {
 public:
  CacheDirectory() = default;

  /* Creates `path` (mode 0700, and the parents it lacks) if it is missing,
   * opens it and checks it. Invalid when it cannot be used; `problem` then
   * names the directory, what is wrong and what to do. A directory of the
   * user's that others may read (earlier versions made it 0755) is made
   * 0700. */
  static CacheDirectory open(const std::string &path, std::string *problem);

  bool valid() const { return fd_.valid(); }
  int fd() const { return fd_.get(); }

 private:
  explicit CacheDirectory(FileDescriptor fd) : fd_(std::move(fd)) {}
  FileDescriptor fd_;
};

}  // namespace sora
