/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Reading local files with plain POSIX calls, no GIO: the cache checks and
 * the element's serving path run these on every hit and every buffer. */
#pragma once

#include <glib.h>

#include <string>

namespace sora {

/* An open file descriptor, closed when it goes away. */
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor &&other) noexcept : fd_(other.release()) {}
  FileDescriptor &operator=(FileDescriptor &&other) noexcept;
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

/* `path` opened read-only, and its size in `size`; invalid on an error
 * (errno says which). `open_flags` are added to O_RDONLY (O_NOFOLLOW). */
FileDescriptor open_for_reading(const std::string &path, guint64 *size, int open_flags = 0);

/* pread() until `size` bytes, the end of the file or an error: the number
 * of bytes read (fewer than `size` only at the end of the file), or -1 on
 * an error, with errno set. */
gssize read_at(int fd, void *data, gsize size, guint64 offset);

/* All of `data` written to `fd`, through short writes and EINTR; false on
 * an error (errno says which). The cache's records and the spend ledger. */
bool write_all(int fd, const char *data, gsize size);

}  // namespace sora
