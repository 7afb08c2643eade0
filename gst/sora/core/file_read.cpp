/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/file_read.h"

#include <glib/gstdio.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace sora {

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0)
    close(fd_);
}

FileDescriptor &FileDescriptor::operator=(FileDescriptor &&other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      close(fd_);
    fd_ = other.release();
  }
  return *this;
}

FileDescriptor open_for_reading(const std::string &path, guint64 *size, int open_flags) {
  FileDescriptor file(g_open(path.c_str(), O_RDONLY | O_CLOEXEC | open_flags, 0));
  GStatBuf st;
  if (!file.valid() || fstat(file.get(), &st) != 0)
    return FileDescriptor();
  *size = static_cast<guint64>(st.st_size);
  return file;
}

gssize read_at(int fd, void *data, gsize size, guint64 offset) {
  auto *bytes = static_cast<guint8 *>(data);
  gsize got = 0;
  while (got < size) {
    ssize_t n = pread(fd, bytes + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    got += static_cast<gsize>(n);
  }
  return static_cast<gssize>(got);
}

bool write_all(int fd, const char *data, gsize size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    size -= static_cast<gsize>(n);
  }
  return true;
}

}  // namespace sora
