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

/* Box headers read a page at a time: a run of tiny boxes costs one read
 * per page, not one per box; a large box's header costs one read, as
 * before (a page costs what 16 bytes do). */
class BoxHeaderReader {
 public:
  BoxHeaderReader(int fd, guint64 *reads) : fd_(fd), reads_(reads) {}

  /* The up to 16 bytes at `offset` in `header`: how many there are (fewer
   * only at the end of the file), or -1 on an error (errno). */
  gssize at(guint64 offset, guint8 header[16]) {
    if (offset < start_ || offset + 16 > start_ + filled_) {
      gssize got = read_at(fd_, page_, sizeof page_, offset);
      ++*reads_;
      if (got < 0)
        return -1;
      start_ = offset;
      filled_ = static_cast<gsize>(got);
    }
    gsize available = static_cast<gsize>(start_ + filled_ - offset);
    gsize take = MIN(available, static_cast<gsize>(16));
    memcpy(header, page_ + (offset - start_), take);
    return static_cast<gssize>(take);
  }

 private:
  int fd_;
  guint64 *reads_;
  guint8 page_[4096];
  guint64 start_ = 0;
  gsize filled_ = 0;
};

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
  BoxHeaderReader reader(fd, &check.reads);

  bool seen_moov = false, seen_mdat = false;
  guint64 offset = 0;
  for (guint64 index = 0; offset < check.size; index++) {
    if (index == kMaxTopLevelBoxes) {
      check.problem = "the file has more than " + std::to_string(kMaxTopLevelBoxes) +
                      " top-level boxes (a real clip has a few, a fragmented one a few thousand)";
      return check;
    }
    guint8 header[16];
    gssize read = reader.at(offset, header);
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
