/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/mp4_check.h"

#include "core/file_read.h"

#include <cerrno>
#include <cstring>

namespace sora {

namespace {

guint64 read_be(const guint8 *p, int bytes) {
  guint64 v = 0;
  for (int i = 0; i < bytes; i++)
    v = (v << 8) | p[i];
  return v;
}

std::string box_name(const guint8 *type) {
  std::string name;
  for (int i = 0; i < 4; i++)
    name += g_ascii_isprint(type[i]) ? static_cast<char>(type[i]) : '?';
  return name;
}

}  // namespace

bool starts_like_mp4(const guint8 *data, gsize size) {
  return size >= 8 && memcmp(data + 4, "ftyp", 4) == 0 && read_be(data, 4) >= 8;
}

Mp4Check check_mp4_file(const std::string &path) {
  guint64 size = 0;
  FileDescriptor file = open_for_reading(path, &size);
  if (!file.valid()) {
    Mp4Check check;
    check.problem = std::string("cannot read the file: ") + g_strerror(errno);
    return check;
  }
  return check_mp4_fd(file.get(), size);
}

/* Plain POSIX reads: this runs before every cache hit is served, where
 * GIO's first-use set-up (its VFS modules) would cost more than the walk. */
Mp4Check check_mp4_fd(int fd, guint64 size) {
  Mp4Check check;
  check.size = size;

  bool seen_moov = false, seen_mdat = false;
  guint64 offset = 0;
  for (int index = 0; offset < check.size; index++) {
    guint8 header[16];
    gssize read = read_at(fd, header, sizeof header, offset);
    if (read < 0) {
      check.problem = std::string("cannot read the file: ") + g_strerror(errno);
      return check;
    }
    auto got = static_cast<gsize>(read);
    if (got < 8) {
      check.problem = "the file ends inside a box header at byte " + std::to_string(offset);
      return check;
    }
    guint64 box_size = read_be(header, 4);
    guint64 header_size = 8;
    if (box_size == 1) {
      if (got < 16) {
        check.problem = "the file ends inside a box header at byte " + std::to_string(offset);
        return check;
      }
      box_size = read_be(header + 8, 8);
      header_size = 16;
    } else if (box_size == 0) {
      box_size = check.size - offset; /* "extends to the end of the file" */
    }
    std::string type = box_name(header + 4);
    if (index == 0 && type != "ftyp") {
      check.problem = "the file does not start with an ftyp box (found '" + type + "')";
      return check;
    }
    if (box_size < header_size || box_size > check.size - offset) {
      check.problem = "the '" + type + "' box at byte " + std::to_string(offset) + " claims " +
                      std::to_string(box_size) + " bytes but the file ends after " +
                      std::to_string(check.size - offset) + " (truncated download?)";
      return check;
    }
    if (type == "moov") {
      seen_moov = true;
      check.moov_first = !seen_mdat;
    } else if (type == "mdat") {
      seen_mdat = true;
    }
    offset += box_size;
  }
  if (check.size == 0) {
    check.problem = "the file is empty";
    return check;
  }
  if (!seen_moov) {
    check.problem = "the file has no moov box (truncated, or not a finished MP4)";
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace sora
