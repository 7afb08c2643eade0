/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ClipDownload: brings a finished clip from the server to a file on disk,
 * across as many attempts as it takes, and publishes the file only once it
 * is known to be whole.
 *
 * The clip is never held in memory: it is written as it arrives to a
 * temporary file beside the target. When a connection drops, the next
 * attempt asks for the rest with a Range request (If-Range guards against a
 * file that changed meanwhile); a server that ignores Range answers 200 and
 * the file starts again from zero. The file is renamed onto the target only
 * after the status, Content-Type, length and MP4 structure all check out, so
 * a reader of the target sees a whole clip or nothing, and an error page is
 * never mistaken for video.
 *
 * With a GrowingClip the file may be read while it is written: each range
 * written is announced there, serving starts once the answer and its first
 * bytes check out, and a reader far ahead of the download (the moov at the
 * end of an MP4) gets its range fetched with a Range request of its own. A
 * server that ignores Range for it is left to the sequential download; a
 * range fetch that fails fails the reader waiting for it.
 *
 * A clip larger than its limit, or than the room left on the disk with a
 * margin, is refused before a byte is written when the server announces its
 * size, and as soon as the bytes written would pass the limit when it does
 * not: a hostile or broken server cannot fill the disk. */
#pragma once

#include "core/file_read.h"
#include "core/growing_clip.h"
#include "core/http_client.h"

#include <functional>
#include <memory>

namespace sora {

struct DownloadOutcome {
  bool ok = false;
  HttpResponse response; /* the answer's head, and its body when it was an error */
  std::string problem;   /* what was wrong with an answer that claimed success */
  /* The failure left the bytes received so far in place: the next fetch of
   * the same URL continues from them. */
  bool resumable = false;
  /* The failure was writing the file here (no room, no permission), not
   * the answer: no other attempt or source can help. */
  bool local = false;
  /* The clip is larger than the limit, or than the room on the disk: no
   * other attempt or source is tried (`problem` says which and how much). */
  bool too_large = false;
  guint64 size = 0; /* bytes of the published file */
};

class ClipDownload : public std::enable_shared_from_this<ClipDownload> {
 public:
  using Progress = std::function<void(guint64 received, guint64 total)>;
  using Done = std::function<void(DownloadOutcome outcome)>;

  /* Loop thread only, as every method. `video`: an MP4 is expected;
   * otherwise a JPEG, PNG or WebP image (a thumbnail or a spritesheet).
   * `private_file`: the file is readable by its owner only (a cache entry);
   * otherwise it gets the usual permissions (0666 less the umask), as a
   * file the user asked for should. `max_size`: the most bytes the clip may
   * have. */
  static std::shared_ptr<ClipDownload> create(std::shared_ptr<HttpClient> client,
                                              std::string target_path, bool video,
                                              bool private_file, guint64 max_size,
                                              GCancellable *cancellable,
                                              std::shared_ptr<GrowingClip> growing = nullptr);
  ~ClipDownload();

  /* One attempt at `url`, continuing from the bytes kept when the last
   * attempt was at the same URL. `done` runs once, on the loop thread. */
  void fetch(const std::string &url, Progress progress, Done done);

  guint64 received() const { return received_; }

  /* Fetches [offset, offset + length) of the clip ahead of the sequential
   * download, for a reader of the GrowingClip. One at a time. A server that
   * answers the whole clip is left to the sequential download; a failure
   * fails the range for its reader (GrowingClip::fail_range). */
  void fetch_range(guint64 offset, guint64 length);

 private:
  ClipDownload() = default;
  void on_open(HttpResponse head, GObjectPtr<GInputStream> body);
  bool take_answer(std::string *problem, bool *resumable);
  bool fits(std::string *problem) const;
  bool open_part_file(std::string *problem);
  void restart_from_zero();
  void read_next();
  static void on_read(GObject *source, GAsyncResult *result, gpointer data);
  bool check_start(const guint8 *data, gsize size);
  void finish_stream();
  /* `local`: writing the file here failed (DownloadOutcome::local). */
  void fail(std::string problem, bool resumable, bool local = false);
  void refuse_size(std::string problem);
  void discard();
  void complete(DownloadOutcome outcome);
  void report_progress(bool force);
  bool write_at(const guint8 *data, gsize size, guint64 offset, std::string *problem);
  struct RangeFetch;
  void on_range_open(std::shared_ptr<RangeFetch> fetch, HttpResponse head,
                     GObjectPtr<GInputStream> body);
  void range_failed(const RangeFetch &fetch, const std::string &problem);
  static void read_range(std::shared_ptr<RangeFetch> fetch);
  static void on_range_read(GObject *source, GAsyncResult *result, gpointer data);

  std::shared_ptr<HttpClient> client_;
  std::string target_path_;
  bool video_ = true;
  bool private_file_ = true;
  guint64 max_size_ = 0;
  std::string part_path_; /* empty until the first byte is written */
  GObjectPtr<GCancellable> cancellable_;
  FileDescriptor out_; /* the part file, written with pwrite() */
  std::shared_ptr<GrowingClip> growing_;
  bool range_fetching_ = false; /* a fetch_range() in flight */
  bool range_ignored_ = false;  /* the server answered a range with the whole clip */
  bool verified_ = false;       /* the answer and its first bytes checked out */
  guint64 restarts_ = 0;        /* times the file was cut or dropped: stale range fetches */
  std::string url_;             /* the URL the kept bytes came from */
  std::string validator_;       /* its ETag or Last-Modified, for If-Range */
  guint64 received_ = 0;
  gint64 total_ = -1;     /* the whole clip's size, when the server said */
  guint8 start_[12] = {}; /* the first bytes, to tell the content from an error page */

  /* The attempt in progress. */
  GObjectPtr<GInputStream> body_;
  HttpResponse head_;
  std::vector<guint8> buffer_;
  gint64 last_progress_us_ = 0;
  Progress progress_;
  Done done_;
};

}  // namespace sora
