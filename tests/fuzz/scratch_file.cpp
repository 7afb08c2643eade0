/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "scratch_file.h"

#include <glib.h>
#include <glib/gstdio.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

/* In memory when it can: on ext4, a file truncated and rewritten is flushed
 * to disk at close (auto_da_alloc), which made a run 50 times slower. */
static std::string make_scratch_dir() {
  g_autofree char *in_memory = g_strdup("/dev/shm/sora-fuzz-XXXXXX");
  if (g_mkdtemp(in_memory))
    return in_memory;
  g_autoptr(GError) error = nullptr;
  g_autofree char *dir = g_dir_make_tmp("sora-fuzz-XXXXXX", &error);
  if (!dir)
    g_error("cannot make a scratch directory: %s", error->message);
  return dir;
}

ScratchFile::ScratchFile(const std::string &name) : dir_(make_scratch_dir()) {
  g_autofree char *path = g_build_filename(dir_.c_str(), name.c_str(), nullptr);
  path_ = path;
}

/* Whatever the code under test left next to the file (a cache's lock files)
 * goes too. */
ScratchFile::~ScratchFile() {
  if (g_autoptr(GDir) dir = g_dir_open(dir_.c_str(), 0, nullptr)) {
    while (const char *name = g_dir_read_name(dir)) {
      g_autofree char *child = g_build_filename(dir_.c_str(), name, nullptr);
      g_remove(child);
    }
  }
  g_rmdir(dir_.c_str());
}

const std::string &ScratchFile::write(const uint8_t *data, size_t size) {
  int fd = g_open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    g_error("cannot write %s: %s", path_.c_str(), g_strerror(errno));
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      g_error("cannot write %s: %s", path_.c_str(), g_strerror(errno));
    done += static_cast<size_t>(n);
  }
  close(fd);
  return path_;
}
