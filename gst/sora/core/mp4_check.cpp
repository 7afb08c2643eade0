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

/* What is read at a box's offset: its header (8 or 16 bytes) and, for a
 * sample table, the fields that give its entry count. */
constexpr gsize kHeadBytes = 28;

/* Box headers read a page at a time: a run of tiny boxes costs one read
 * per page, not one per box; a large box's header costs one read, as
 * before (a page costs what 16 bytes do). */
class BoxHeaderReader {
 public:
  BoxHeaderReader(int fd, guint64 *reads) : fd_(fd), reads_(reads) {}

  /* The up to kHeadBytes bytes at `offset` in `head`: how many there are
   * (fewer only at the end of the file), or -1 on an error (errno). */
  gssize at(guint64 offset, guint8 head[kHeadBytes]) {
    if (offset < start_ || offset + kHeadBytes > start_ + filled_) {
      gssize got = read_at(fd_, page_, sizeof page_, offset);
      ++*reads_;
      if (got < 0)
        return -1;
      start_ = offset;
      filled_ = static_cast<gsize>(got);
    }
    gsize available = static_cast<gsize>(start_ + filled_ - offset);
    gsize take = MIN(available, kHeadBytes);
    memcpy(head, page_ + (offset - start_), take);
    return static_cast<gssize>(take);
  }

 private:
  int fd_;
  guint64 *reads_;
  guint8 page_[4096];
  guint64 start_ = 0;
  gsize filled_ = 0;
};

struct Box {
  guint64 offset = 0;
  guint64 size = 0;
  guint64 header_size = 8;
  std::string type;
  guint8 head[kHeadBytes] = {};
  gsize got = 0; /* bytes of head read */
};

/* The walk of one file: every box it visits counts against kMaxBoxes. */
class BoxWalk {
 public:
  BoxWalk(int fd, Mp4Check *check) : reader_(fd, &check->reads), check_(check) {}

  enum class Read {
    kOk,
    kOverruns, /* the box claims more than is left before `end` */
    kFailed,   /* the problem is in the check */
  };

  /* The box at `offset`, which should end by `end`, the end of the file or
   * of its container. */
  Read read(guint64 offset, guint64 end, Box *box) {
    if (++boxes_ > kMaxBoxes) {
      check_->problem = "the file has more than " + std::to_string(kMaxBoxes) +
                        " boxes (a real clip has a few hundred, a fragmented one a few thousand)";
      return Read::kFailed;
    }
    gssize read = reader_.at(offset, box->head);
    if (read < 0) {
      check_->problem = std::string("cannot read the file: ") + g_strerror(errno);
      return Read::kFailed;
    }
    box->offset = offset;
    box->got = static_cast<gsize>(read);
    guint64 room = MIN(end - offset, static_cast<guint64>(box->got));
    if (room < 8) {
      check_->problem = "the file ends inside a box header at byte " + std::to_string(offset);
      return Read::kFailed;
    }
    box->size = read_be(box->head, 4);
    box->header_size = 8;
    if (box->size == 1) {
      if (room < 16) {
        check_->problem = "the file ends inside a box header at byte " + std::to_string(offset);
        return Read::kFailed;
      }
      box->size = read_be(box->head + 8, 8);
      box->header_size = 16;
    } else if (box->size == 0) {
      box->size = end - offset; /* "extends to the end of its container" */
    }
    box->type = box_name(box->head + 4);
    if (box->size < box->header_size || box->size > end - offset)
      return Read::kOverruns;
    return Read::kOk;
  }

  /* The boxes in [start, end) down to the sample tables, whose entries must
   * fit in them: a moov that claims 2^30 samples in a few bytes is refused
   * here rather than left to a demuxer (whose error decodebin can lose, see
   * mp4_check.h). A box that runs past its container ends the walk of that
   * container, as it ends qtdemux's: not a reason to refuse a paid clip. */
  bool check_tables(guint64 start, guint64 end, int depth) {
    for (guint64 offset = start; offset + 8 <= end;) {
      Box box;
      Read read_box = read(offset, end, &box);
      if (read_box == Read::kFailed)
        return false;
      if (read_box == Read::kOverruns)
        return true;
      if (is_container(box.type) && depth < 8) {
        if (!check_tables(offset + box.header_size, offset + box.size, depth + 1))
          return false;
      } else if (!table_fits(box)) {
        return false;
      }
      offset += box.size;
    }
    return true;
  }

 private:
  static bool is_container(const std::string &type) {
    return type == "moov" || type == "trak" || type == "mdia" || type == "minf" || type == "stbl";
  }

  /* A sample table: version and flags, its fixed fields, a count, then
   * count entries of a fixed size. */
  bool table_fits(const Box &box) {
    struct Table {
      const char *type;
      guint64 count_at; /* after the header: version and flags, then fields */
      guint64 entry_size;
    };
    static const Table kTables[] = {
        {"stts", 4, 8}, {"ctts", 4, 8}, {"stsc", 4, 12}, {"stsz", 8, 4},
        {"stco", 4, 4}, {"co64", 4, 8}, {"stss", 4, 4},
    };
    for (const Table &table : kTables) {
      if (box.type != table.type)
        continue;
      guint64 payload = box.size - box.header_size;
      guint64 fixed = table.count_at + 4;
      gsize count_end = static_cast<gsize>(box.header_size + fixed);
      if (payload < fixed || box.got < count_end) {
        check_->problem = "the '" + box.type + "' box at byte " + std::to_string(box.offset) +
                          " is too short for its fields";
        return false;
      }
      guint64 count = read_be(box.head + count_end - 4, 4);
      /* stsz with one size for every sample has no table */
      if (box.type == "stsz" && read_be(box.head + box.header_size + 4, 4) != 0)
        return true;
      if (count * table.entry_size > payload - fixed) {
        check_->problem = "the '" + box.type + "' box at byte " + std::to_string(box.offset) +
                          " claims " + std::to_string(count) + " entries but holds room for " +
                          std::to_string((payload - fixed) / table.entry_size) +
                          " (a corrupt moov)";
        return false;
      }
      return true;
    }
    return true;
  }

  BoxHeaderReader reader_;
  Mp4Check *check_;
  guint64 boxes_ = 0;
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
  BoxWalk walk(fd, &check);

  bool seen_moov = false, seen_mdat = false;
  for (guint64 offset = 0; offset < check.size;) {
    Box box;
    BoxWalk::Read read = walk.read(offset, check.size, &box);
    if (read == BoxWalk::Read::kFailed)
      return check;
    if (read == BoxWalk::Read::kOverruns) {
      check.problem = "the '" + box.type + "' box at byte " + std::to_string(offset) + " claims " +
                      std::to_string(box.size) + " bytes but the file ends after " +
                      std::to_string(check.size - offset) + " (truncated download?)";
      return check;
    }
    if (offset == 0 && box.type != "ftyp") {
      check.problem = "the file does not start with an ftyp box (found '" + box.type + "')";
      return check;
    }
    if (box.type == "moov") {
      seen_moov = true;
      check.moov_first = !seen_mdat;
      if (!walk.check_tables(offset + box.header_size, offset + box.size, 0))
        return check;
    } else if (box.type == "mdat") {
      seen_mdat = true;
    }
    offset += box.size;
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
