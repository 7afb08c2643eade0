/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/clip_download.h"

#include "core/debug.h"
#include "core/mp4_check.h"
#include "core/orphan_files.h"
#include "core/soup_runtime.h"
#include "core/video_request.h"

#include <glib/gstdio.h>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr gsize kBufferSize = 256 * 1024;
constexpr gsize kErrorBodyLimit = 64 * 1024;
constexpr gint64 kProgressIntervalUs = 100 * 1000;
/* Room left on the disk after the clip: the system and the other programs
 * of the machine need some too. */
constexpr guint64 kDiskMargin = 64 * 1024 * 1024;

/* Types a CDN or gateway may give the content. Anything else, JSON and
 * HTML above all, is an error page however the status reads. */
bool is_media_content_type(const char *content_type, bool video) {
  if (!content_type || !*content_type)
    return true;
  g_autofree char *base = g_ascii_strdown(content_type, -1);
  char *semicolon = strchr(base, ';');
  if (semicolon)
    *semicolon = '\0';
  g_strstrip(base);
  if (strcmp(base, "application/octet-stream") == 0 || strcmp(base, "binary/octet-stream") == 0)
    return true;
  return video ? g_str_has_prefix(base, "video/") || strcmp(base, "application/mp4") == 0
               : g_str_has_prefix(base, "image/");
}

void delete_file(const std::string &path) {
  g_autoptr(GFile) file = g_file_new_for_path(path.c_str());
  g_file_delete(file, nullptr, nullptr);
}

// The size a 416 answer reports, "bytes */1234" -> 1234.
gint64 unsatisfied_range_total(SoupMessageHeaders *headers) {
  const char *range = soup_message_headers_get_one(headers, "Content-Range");
  if (!range || !g_str_has_prefix(range, "bytes */"))
    return -1;
  guint64 total = 0;
  if (!g_ascii_string_to_unsigned(range + 8, 10, 0, G_MAXINT64, &total, nullptr))
    return -1;
  return static_cast<gint64>(total);
}

/* What If-Range may carry: a strong ETag, else Last-Modified. */
std::string resume_validator(SoupMessageHeaders *headers) {
  const char *etag = soup_message_headers_get_one(headers, "ETag");
  if (etag && !g_str_has_prefix(etag, "W/"))
    return etag;
  const char *modified = soup_message_headers_get_one(headers, "Last-Modified");
  return modified ? modified : "";
}

}  // namespace

std::shared_ptr<ClipDownload> ClipDownload::create(std::shared_ptr<HttpClient> client,
                                                   std::string target_path, bool video,
                                                   bool private_file, guint64 max_size,
                                                   GCancellable *cancellable,
                                                   std::shared_ptr<GrowingClip> growing) {
  std::shared_ptr<ClipDownload> self(new ClipDownload());
  self->growing_ = std::move(growing);
  self->client_ = std::move(client);
  self->target_path_ = std::move(target_path);
  self->video_ = video;
  self->private_file_ = private_file;
  self->max_size_ = max_size;
  self->cancellable_ = ref_object(cancellable);
  return self;
}

ClipDownload::~ClipDownload() {
  out_ = FileDescriptor();
  if (!part_path_.empty())
    delete_file(part_path_);
}

void ClipDownload::fetch(const std::string &url, Progress progress, Done done) {
  if (url != url_) {
    restart_from_zero();
    url_ = url;
    validator_.clear();
  }
  progress_ = std::move(progress);
  done_ = std::move(done);
  HttpRequest request;
  request.url = url;
  request.raw_body = true;
  if (received_ > 0) {
    request.headers.emplace_back("Range", "bytes=" + std::to_string(received_) + "-");
    if (!validator_.empty())
      request.headers.emplace_back("If-Range", validator_);
    GST_INFO("resuming the download at byte %" G_GUINT64_FORMAT, received_);
  }
  auto self = shared_from_this();
  client_->open(std::move(request), cancellable_.get(),
                [self](HttpResponse head, GObjectPtr<GInputStream> body) {
                  self->on_open(std::move(head), std::move(body));
                });
}

void ClipDownload::on_open(HttpResponse head, GObjectPtr<GInputStream> body) {
  bool readable =
      body && (head.is_success() || head.status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE);
  if (!readable) {
    /* Keep the error body: it holds the server's own explanation. */
    auto self = shared_from_this();
    client_->read_body(std::move(head), std::move(body), cancellable_.get(), kErrorBodyLimit,
                       [self](HttpResponse response) {
                         DownloadOutcome outcome;
                         outcome.response = std::move(response);
                         outcome.resumable = self->received_ > 0;
                         self->complete(std::move(outcome));
                       });
    return;
  }
  head_ = std::move(head);
  body_ = std::move(body);
  std::string problem;
  bool resumable = false;
  if (!take_answer(&problem, &resumable)) {
    if (!problem.empty())
      fail(std::move(problem), resumable);
    return;
  }
  if (!fits(&problem)) {
    refuse_size(std::move(problem));
    return;
  }
  if (!open_part_file(&problem)) {
    fail(std::move(problem), false, /*local=*/true);
    return;
  }
  buffer_.resize(kBufferSize);
  read_next();
}

/* Decides what the answer's body is: the rest of the clip (206), the whole
 * clip (200, also when the server ignored Range), or nothing to read (416).
 * False when the body is not to be read; `problem` says why, if it is a
 * failure. */
bool ClipDownload::take_answer(std::string *problem, bool *resumable) {
  SoupMessageHeaders *headers = soup_message_get_response_headers(head_.message.get());
  if (head_.status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE) {
    if (received_ > 0 && unsatisfied_range_total(headers) == static_cast<gint64>(received_)) {
      finish_stream(); /* the last attempt had every byte already */
      return false;
    }
    restart_from_zero();
    *problem = "the server cannot resume the download";
    *resumable = true;
    return false;
  }
  const char *content_type = head_.header("Content-Type");
  if (!is_media_content_type(content_type, video_)) {
    *problem = std::string("the server answered ") + std::to_string(head_.status) +
               " with Content-Type '" + content_type + "' instead of " +
               (video_ ? "a video" : "an image");
    return false;
  }
  if (head_.status == SOUP_STATUS_PARTIAL_CONTENT) {
    goffset start = -1, end = -1, total = -1;
    if (received_ == 0 || !soup_message_headers_get_content_range(headers, &start, &end, &total) ||
        start != static_cast<goffset>(received_)) {
      restart_from_zero();
      *problem = "the server resumed the download at the wrong place";
      *resumable = true;
      return false;
    }
    total_ = total;
  } else {
    if (received_ > 0) {
      GST_INFO("the server ignored Range: starting again from zero");
      restart_from_zero();
    }
    total_ = soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH
                 ? soup_message_headers_get_content_length(headers)
                 : -1;
  }
  validator_ = resume_validator(headers);
  return true;
}

/* Whether the clip, as large as the server announced (when it did), is
 * within the limit and fits on the disk with a margin: checked before a
 * byte of it is written. */
bool ClipDownload::fits(std::string *problem) const {
  if (total_ < 0)
    return true;
  auto total = static_cast<guint64>(total_);
  if (total > max_size_) {
    *problem = "the server announced " + std::to_string(total) + " bytes, more than the limit of " +
               std::to_string(max_size_) +
               " bytes (raise max-clip-size if it is meant to be that large)";
    return false;
  }
  g_autofree char *dir = g_path_get_dirname(target_path_.c_str());
  struct statvfs disk;
  if (statvfs(dir, &disk) != 0)
    return true; /* writing tells, if it fails */
  guint64 free_bytes = static_cast<guint64>(disk.f_bavail) * disk.f_frsize;
  guint64 still = total - MIN(received_, total);
  if (still + kDiskMargin > free_bytes) {
    *problem = "it is " + std::to_string(total) + " bytes and " + dir + " has " +
               std::to_string(free_bytes) + " bytes free (" + std::to_string(kDiskMargin) +
               " are kept free): free some space";
    return false;
  }
  return true;
}

bool ClipDownload::open_part_file(std::string *problem) {
  if (out_.valid())
    return true;
  remove_orphan_parts(target_path_);
  part_path_ = part_path_for(target_path_);
  /* A cache entry is its owner's; a file the user asked for gets the usual
   * permissions (0666 less the umask). */
  out_ = FileDescriptor(g_open(part_path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                               private_file_ ? 0600 : 0666));
  if (!out_.valid()) {
    *problem =
        std::string("cannot write the clip next to ") + target_path_ + ": " + g_strerror(errno);
    part_path_.clear();
    return false;
  }
  if (growing_)
    growing_->open(part_path_);
  return true;
}

void ClipDownload::restart_from_zero() {
  /* Readers first: once the growing clip forgot the bytes, none is read
   * from the file while it is cut (GrowingClip::read). */
  if (growing_)
    growing_->restart();
  restarts_++;
  if (out_.valid() && ftruncate(out_.get(), 0) != 0)
    GST_WARNING("cannot truncate %s: %s", part_path_.c_str(), g_strerror(errno));
  received_ = 0;
  total_ = -1;
  verified_ = false;
}

bool ClipDownload::write_at(const guint8 *data, gsize size, guint64 offset, std::string *problem) {
  while (size > 0) {
    gssize n = pwrite(out_.get(), data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      *problem = std::string("cannot write the clip: ") + g_strerror(n < 0 ? errno : ENOSPC);
      return false;
    }
    data += n;
    size -= static_cast<gsize>(n);
    offset += static_cast<guint64>(n);
  }
  return true;
}

void ClipDownload::read_next() {
  g_input_stream_read_async(body_.get(), buffer_.data(), buffer_.size(), G_PRIORITY_DEFAULT,
                            cancellable_.get(), on_read,
                            new std::shared_ptr<ClipDownload>(shared_from_this()));
}

void ClipDownload::on_read(GObject *source, GAsyncResult *result, gpointer data) {
  std::unique_ptr<std::shared_ptr<ClipDownload>> holder(
      static_cast<std::shared_ptr<ClipDownload> *>(data));
  ClipDownload *self = holder->get();
  g_autoptr(GError) error = nullptr;
  gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);
  if (n < 0) {
    self->head_.error.reset(g_steal_pointer(&error));
    self->fail("the connection failed after " + std::to_string(self->received_) + " bytes", true);
    return;
  }
  if (n == 0) {
    guint64 total = static_cast<guint64>(self->total_);
    if (self->total_ >= 0 && self->received_ != total) {
      bool short_read = self->received_ < total;
      if (!short_read)
        self->restart_from_zero();
      self->fail("the download ended after " + std::to_string(self->received_) + " of " +
                     std::to_string(total) + " bytes",
                 true);
      return;
    }
    self->finish_stream();
    return;
  }
  if (!self->check_start(self->buffer_.data(), static_cast<gsize>(n))) {
    self->fail(self->video_ ? "the answer does not start like an MP4 file (no ftyp box)"
                            : "the answer does not start like a JPEG, PNG or WebP image",
               false);
    return;
  }
  /* Announced or not, the clip stops at the limit: not a byte past it is
   * written. */
  if (self->received_ + static_cast<guint64>(n) > self->max_size_) {
    self->refuse_size("the server sent more than the limit of " + std::to_string(self->max_size_) +
                      " bytes" +
                      (self->total_ < 0 ? std::string(" without announcing a size") : "") +
                      " (raise max-clip-size if it is meant to be that large)");
    return;
  }
  std::string problem;
  if (!self->write_at(self->buffer_.data(), static_cast<gsize>(n), self->received_, &problem)) {
    self->fail(std::move(problem), false, /*local=*/true);
    return;
  }
  if (self->growing_) {
    self->growing_->add(self->received_, static_cast<guint64>(n));
    /* Serving starts once the first bytes said what the answer is. */
    if (!self->verified_ && self->received_ + static_cast<guint64>(n) >= sizeof self->start_) {
      self->verified_ = true;
      self->growing_->verified(self->total_);
    }
  }
  self->received_ += static_cast<guint64>(n);
  /* Every byte on disk: done now, in the callback that made the last of
   * them readable, so that a stop asked by a reader that reached the end
   * (a demuxer's EOS) cannot come between the clip being served whole and
   * it being checked and kept. The rest of the stream is not waited for,
   * nor a tail that a range fetch already brought fetched twice. */
  if (self->total_ >= 0 && self->growing_ &&
      self->growing_->has(self->received_, static_cast<guint64>(self->total_))) {
    self->received_ = static_cast<guint64>(self->total_);
    self->finish_stream();
    return;
  }
  self->report_progress(false);
  self->read_next();
}

/* The first bytes may arrive over several reads. */
bool ClipDownload::check_start(const guint8 *data, gsize size) {
  if (received_ >= sizeof start_)
    return true;
  gsize take = MIN(size, sizeof start_ - received_);
  memcpy(start_ + received_, data, take);
  if (received_ + take < sizeof start_)
    return true;
  return video_ ? starts_like_mp4(start_, sizeof start_)
                : sniff_image_mime(start_, sizeof start_) != nullptr;
}

void ClipDownload::finish_stream() {
  g_autoptr(GError) error = nullptr;
  if (!out_.valid()) {
    fail("cannot write the clip: no file", false, /*local=*/true);
    return;
  }
  out_ = FileDescriptor();
  if (received_ < sizeof start_) {
    fail("the answer is only " + std::to_string(received_) + " bytes long", false);
    return;
  }
  if (video_) {
    Mp4Check check = check_mp4_file(part_path_);
    if (!check.ok) {
      fail("the downloaded file is not a whole MP4: " + check.problem, false);
      return;
    }
  }
  g_autoptr(GFile) part = g_file_new_for_path(part_path_.c_str());
  g_autoptr(GFile) target = g_file_new_for_path(target_path_.c_str());
  if (!g_file_move(part, target, G_FILE_COPY_OVERWRITE, nullptr, nullptr, nullptr, &error)) {
    fail("cannot move the clip to " + target_path_ + ": " + error->message, false, /*local=*/true);
    return;
  }
  part_path_.clear();
  if (growing_)
    growing_->complete(received_);
  report_progress(true);
  GST_DEBUG("download complete: %" G_GUINT64_FORMAT " bytes at %s", received_,
            target_path_.c_str());
  DownloadOutcome outcome;
  outcome.ok = true;
  outcome.size = received_;
  outcome.response = std::move(head_);
  complete(std::move(outcome));
}

/* A failure that is not resumable throws the bytes away: the next attempt
 * starts from zero. */
void ClipDownload::fail(std::string problem, bool resumable, bool local) {
  if (!resumable)
    discard();
  DownloadOutcome outcome;
  outcome.problem = std::move(problem);
  outcome.resumable = resumable;
  outcome.local = local;
  outcome.response = std::move(head_);
  complete(std::move(outcome));
}

/* Too large for its limit or the disk: the bytes go, and no other attempt
 * is made. */
void ClipDownload::refuse_size(std::string problem) {
  GST_WARNING("refusing the clip: %s", problem.c_str());
  discard();
  DownloadOutcome outcome;
  outcome.problem = std::move(problem);
  outcome.too_large = true;
  outcome.response = std::move(head_);
  complete(std::move(outcome));
}

void ClipDownload::discard() {
  if (growing_)
    growing_->restart();
  restarts_++;
  out_ = FileDescriptor();
  if (!part_path_.empty())
    delete_file(part_path_);
  part_path_.clear();
  received_ = 0;
  total_ = -1;
  verified_ = false;
}

void ClipDownload::complete(DownloadOutcome outcome) {
  body_.reset();
  Done done = std::move(done_);
  progress_ = nullptr;
  done(std::move(outcome));
}

void ClipDownload::report_progress(bool force) {
  gint64 now = g_get_monotonic_time();
  if (!progress_ || (!force && now - last_progress_us_ < kProgressIntervalUs))
    return;
  last_progress_us_ = now;
  progress_(received_, total_ >= 0 ? static_cast<guint64>(total_) : 0);
}

/* ---- a range ahead of the sequential download ---- */

struct ClipDownload::RangeFetch {
  std::shared_ptr<ClipDownload> download;
  GObjectPtr<GInputStream> body;
  guint64 offset = 0; /* where the next byte goes */
  guint64 end = 0;
  guint64 restarts = 0; /* the download's restarts when it was asked */
  std::vector<guint8> buffer;
};

void ClipDownload::fetch_range(guint64 offset, guint64 length) {
  if (range_fetching_ || range_ignored_ || url_.empty() || !out_.valid() || length == 0)
    return;
  range_fetching_ = true;
  HttpRequest request;
  request.url = url_;
  request.raw_body = true;
  request.headers.emplace_back(
      "Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  if (!validator_.empty())
    request.headers.emplace_back("If-Range", validator_);
  GST_INFO("fetching bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
           " ahead of the download (at %" G_GUINT64_FORMAT ")",
           offset, offset + length - 1, received_);
  auto fetch = std::make_shared<RangeFetch>();
  fetch->download = shared_from_this();
  fetch->offset = offset;
  fetch->end = offset + length;
  fetch->restarts = restarts_;
  client_->open(std::move(request), cancellable_.get(),
                [fetch](HttpResponse head, GObjectPtr<GInputStream> body) {
                  fetch->download->on_range_open(fetch, std::move(head), std::move(body));
                });
}

void ClipDownload::on_range_open(std::shared_ptr<RangeFetch> fetch, HttpResponse head,
                                 GObjectPtr<GInputStream> body) {
  if (restarts_ != fetch->restarts) {
    range_fetching_ = false; /* asked of a file since cut: its reader asks again */
    return;
  }
  goffset start = -1, end = -1, total = -1;
  bool partial = body && head.status == SOUP_STATUS_PARTIAL_CONTENT &&
                 soup_message_headers_get_content_range(
                     soup_message_get_response_headers(head.message.get()), &start, &end, &total) &&
                 start == static_cast<goffset>(fetch->offset);
  if (!partial) {
    if (head.status == SOUP_STATUS_OK) {
      /* The whole clip again: the sequential download brings it anyway. */
      range_fetching_ = false;
      range_ignored_ = true;
      GST_INFO(
          "the server ignores Range: the clip is served as the download reaches each part "
          "(for an MP4 with its moov at the end, once it is whole)");
      return; /* dropping the body closes the connection */
    }
    std::string reason;
    if (head.status == 0)
      reason = head.error ? head.error->message : "no answer";
    else if (head.status == SOUP_STATUS_PARTIAL_CONTENT)
      reason = "the server answered another range";
    else
      reason = "HTTP " + std::to_string(head.status) + " " +
               (head.message ? soup_message_get_reason_phrase(head.message.get()) : "");
    range_failed(*fetch, reason);
    return;
  }
  fetch->end = MIN(fetch->end, static_cast<guint64>(end) + 1);
  fetch->body = std::move(body);
  fetch->buffer.resize(kBufferSize);
  read_range(std::move(fetch));
}

/* The next piece of a range fetch. */
void ClipDownload::read_range(std::shared_ptr<RangeFetch> fetch) {
  GInputStream *body = fetch->body.get();
  guint8 *buffer = fetch->buffer.data();
  gsize size = fetch->buffer.size();
  GCancellable *cancellable = fetch->download->cancellable_.get();
  g_input_stream_read_async(body, buffer, size, G_PRIORITY_DEFAULT, cancellable, on_range_read,
                            new std::shared_ptr<RangeFetch>(std::move(fetch)));
}

void ClipDownload::on_range_read(GObject *source, GAsyncResult *result, gpointer data) {
  std::unique_ptr<std::shared_ptr<RangeFetch>> holder(
      static_cast<std::shared_ptr<RangeFetch> *>(data));
  std::shared_ptr<RangeFetch> fetch = *holder;
  ClipDownload *self = fetch->download.get();
  gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, nullptr);
  /* The part file was cut or replaced meanwhile (a restart): these bytes
   * are not its own. */
  if (!self->out_.valid() || self->restarts_ != fetch->restarts || fetch->offset >= fetch->end) {
    self->range_fetching_ = false;
    return;
  }
  std::string problem;
  if (n < 0) {
    self->range_failed(*fetch, "the connection failed");
    return;
  }
  if (n == 0) {
    self->range_failed(*fetch, "the answer ended early");
    return;
  }
  if (!self->write_at(fetch->buffer.data(),
                      static_cast<gsize>(MIN(static_cast<guint64>(n), fetch->end - fetch->offset)),
                      fetch->offset, &problem)) {
    self->range_failed(*fetch, problem);
    return;
  }
  guint64 wrote = MIN(static_cast<guint64>(n), fetch->end - fetch->offset);
  if (self->growing_)
    self->growing_->add(fetch->offset, wrote);
  fetch->offset += wrote;
  if (fetch->offset >= fetch->end) {
    self->range_fetching_ = false;
    return;
  }
  read_range(std::move(fetch));
}

/* The reader waiting for the range is told, rather than left waiting for
 * bytes this fetch will not bring. */
void ClipDownload::range_failed(const RangeFetch &fetch, const std::string &problem) {
  range_fetching_ = false;
  if (g_cancellable_is_cancelled(cancellable_.get()))
    return; /* the run is stopping: its readers are told so */
  std::string text = "fetching bytes " + std::to_string(fetch.offset) + "-" +
                     std::to_string(fetch.end - 1) +
                     " ahead of the download failed: " + client_->redact(problem);
  GST_WARNING("%s", text.c_str());
  if (growing_)
    growing_->fail_range(fetch.offset, fetch.end, std::move(text));
}

}  // namespace sora
