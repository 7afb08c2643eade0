/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GrowingClip: a clip file that its download is still writing, read at the
 * same time by the element, so that the first frame need not wait for the
 * last byte.
 *
 * It knows which byte ranges are on disk (the sequential download's, and
 * those a Range request fetched ahead of it), how long the clip is once the
 * server said, whether the answer has been checked (status, type, the first
 * bytes: nothing is served before), and whether the download has ended. A
 * reader waits for the bytes it asks for, never gets short data as if it
 * were the end (the end is the size the server gave, or the whole clip's
 * when it gave none; whether the stream may end there is the reader's
 * call: the element waits for the job to finish), and
 * can ask for bytes far ahead of the download to be fetched first: the moov
 * at the end of an MP4, or the part a seek lands in.
 *
 * Thread-safe: the download writes on the IoLoop thread, readers read on
 * streaming threads. */
#pragma once

#include "core/file_read.h"

#include <glib.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sora {

class GrowingClip {
 public:
  /* What a wait ended with. */
  enum class Wait {
    kReady,       /* the bytes are on disk: read them */
    kEnd,         /* the offset is at or past the end of the clip (its size known) */
    kFailed,      /* the download failed for good, or the run was stopped */
    kRangeFailed, /* the range fetched ahead for this read failed: range_problem() says how */
    kFlushing,    /* set_flushing(true) */
  };

  /* A reader asks for [offset, offset + length) to be fetched before the
   * sequential download gets there. Called on the reader's thread, with no
   * lock held: it must only hand the request over (IoLoop::post). */
  using Fetcher = std::function<void(guint64 offset, guint64 length)>;

  /* How far ahead of the sequential download a read must be before its
   * range is fetched on its own rather than waited for. */
  static constexpr guint64 kAheadBytes = 1024 * 1024;
  /* ... and unless the download, at its pace so far (measured over
   * kPaceBytes at least), gets there within kSoonUs anyway. */
  static constexpr guint64 kPaceBytes = 256 * 1024;
  static constexpr gint64 kSoonUs = 300 * 1000;

  /* ---- the writer, on the loop thread ---- */

  /* The clip is (now) written at `path`: a reader opens it there. Forgets
   * every range: a new file starts empty. */
  void open(const std::string &path);
  /* The answer checked out: serving may start. `total`: the clip's size, or
   * -1 when the server did not say. */
  void verified(gint64 total);
  /* [offset, offset + length) is on disk. */
  void add(guint64 offset, guint64 length);
  /* The file is about to be truncated to nothing: its ranges are gone, and
   * a read under way is told so. Called before the truncation, never after:
   * a reader that finds the bytes still listed must find them on disk. */
  void restart();
  /* The clip is whole and checked, `size` bytes. */
  void complete(guint64 size);
  /* No more bytes will come: readers stop waiting. */
  void fail();
  /* Fetching [offset, end) ahead of the download failed: a reader waiting
   * for bytes in it gets kRangeFailed instead of waiting on. */
  void fail_range(guint64 offset, guint64 end, std::string problem);
  void set_fetcher(Fetcher fetcher);

  /* ---- readers, on any thread ---- */

  /* Waits until [offset, offset + *length) can be read, the clip ends
   * before it (then *length is cut to what is left, or kEnd at the end),
   * the download fails, or set_flushing(true). */
  Wait wait(guint64 offset, guint64 *length);
  /* What read() found. */
  enum class Read {
    kDone,  /* `size` bytes read */
    kGone,  /* a restart dropped them after wait() said they were there: wait again */
    kError, /* pread() failed (*error: its errno) or came short (*error: 0) */
  };
  /* pread() of bytes wait() said are there, checked against a restart: the
   * bytes must still be listed before it and no restart may come during it
   * (restart() counts a generation), so a truncated file is never read as
   * short data. */
  Read read(guint64 offset, void *data, gsize size, int *error);
  /* For tests: runs in read() between its check and its pread(), where a
   * restart on the loop thread may land. */
  void set_read_hook(std::function<void()> hook);
  void set_flushing(bool flushing);
  /* Whether [offset, end) is on disk (an empty range always is). */
  bool has(guint64 offset, guint64 end) const;
  /* Why the last range fetched ahead failed. */
  std::string range_problem() const;
  /* The clip's size, once the server said it. */
  std::optional<guint64> size() const;
  /* The bytes on disk, in order, for tests and the debug log. */
  std::vector<std::pair<guint64, guint64>> ranges() const;

 private:
  bool covered(guint64 offset, guint64 end) const;
  bool arrives_soon(guint64 offset) const;
  guint64 prefix_end() const;

  mutable std::mutex lock_;
  std::condition_variable changed_;
  std::shared_ptr<FileDescriptor> file_;
  std::vector<std::pair<guint64, guint64>> ranges_; /* [start, end), sorted, merged */
  std::vector<std::pair<guint64, guint64>> asked_;  /* ranges a reader had fetched */
  std::vector<std::pair<guint64, guint64>> lost_;   /* ranges whose fetch failed */
  std::string range_problem_;
  guint64 generation_ = 0; /* counts open() and restart(): the bytes read() may trust */
  std::function<void()> read_hook_;
  gint64 total_ = -1;
  gint64 first_byte_us_ = 0; /* when the download's first bytes came (its pace) */
  bool verified_ = false;
  bool complete_ = false;
  bool failed_ = false;
  bool flushing_ = false;
  Fetcher fetcher_;
};

}  // namespace sora
