#include "clip_download.h"

#include "debug.h"
#include "mp4_check.h"

#include <cstring>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr gsize kBufferSize = 256 * 1024;
constexpr gsize kErrorBodyLimit = 64 * 1024;
constexpr gint64 kProgressIntervalUs = 100 * 1000;

/* Types a CDN or gateway may give an MP4. Anything else, JSON and HTML above
 * all, is an error page however the status reads. */
bool is_video_content_type(const char *content_type) {
  if (!content_type || !*content_type)
    return true;
  g_autofree char *base = g_ascii_strdown(content_type, -1);
  char *semicolon = strchr(base, ';');
  if (semicolon)
    *semicolon = '\0';
  g_strstrip(base);
  return g_str_has_prefix(base, "video/") || strcmp(base, "application/mp4") == 0 ||
         strcmp(base, "application/octet-stream") == 0 || strcmp(base, "binary/octet-stream") == 0;
}

std::string part_path_for(const std::string &target) {
  g_autofree char *suffix = g_strdup_printf(".%08x.part", g_random_int());
  return target + suffix;
}

void delete_file(const std::string &path) {
  g_autoptr(GFile) file = g_file_new_for_path(path.c_str());
  g_file_delete(file, nullptr, nullptr);
}

}  // namespace

void ClipDownload::run(std::shared_ptr<HttpClient> client, HttpRequest request,
                       std::string target_path, GCancellable *cancellable, Progress progress,
                       Done done) {
  std::shared_ptr<ClipDownload> self(new ClipDownload());
  self->client_ = std::move(client);
  self->target_path_ = std::move(target_path);
  self->cancellable_ = ref_object(cancellable);
  self->progress_ = std::move(progress);
  self->done_ = std::move(done);
  request.raw_body = true;
  self->client_->open(std::move(request), cancellable,
                      [self](HttpResponse head, GObjectPtr<GInputStream> body) {
                        self->on_open(std::move(head), std::move(body));
                      });
}

ClipDownload::~ClipDownload() {
  if (!part_path_.empty())
    delete_file(part_path_);
}

void ClipDownload::on_open(HttpResponse head, GObjectPtr<GInputStream> body) {
  if (!body || !head.is_success()) {
    /* Keep the error body: it holds the server's own explanation. */
    auto self = shared_from_this();
    HttpClient::read_body(std::move(head), std::move(body), cancellable_.get(), kErrorBodyLimit,
                          [self](HttpResponse response) {
                            DownloadOutcome outcome;
                            outcome.response = std::move(response);
                            self->complete(std::move(outcome));
                          });
    return;
  }
  head_ = std::move(head);
  body_ = std::move(body);
  std::string problem;
  if (!accept_head(&problem)) {
    fail(std::move(problem));
    return;
  }
  part_path_ = part_path_for(target_path_);
  g_autoptr(GFile) part = g_file_new_for_path(part_path_.c_str());
  g_autoptr(GError) error = nullptr;
  out_.reset(g_file_create(part, G_FILE_CREATE_PRIVATE, nullptr, &error));
  if (!out_) {
    part_path_.clear();
    fail(std::string("cannot write the clip next to ") + target_path_ + ": " + error->message);
    return;
  }
  buffer_.resize(kBufferSize);
  read_next();
}

bool ClipDownload::accept_head(std::string *problem) {
  const char *content_type = head_.header("Content-Type");
  if (!is_video_content_type(content_type)) {
    *problem = std::string("the server answered ") + std::to_string(head_.status) +
               " with Content-Type '" + content_type + "' instead of a video";
    return false;
  }
  SoupMessageHeaders *headers = soup_message_get_response_headers(head_.message.get());
  if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH)
    expected_ = soup_message_headers_get_content_length(headers);
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
    self->fail("the connection failed after " + std::to_string(self->received_) + " bytes");
    return;
  }
  if (n == 0) {
    self->finish_stream();
    return;
  }
  if (!self->check_start(self->buffer_.data(), static_cast<gsize>(n))) {
    self->fail("the answer does not start like an MP4 file (no ftyp box)");
    return;
  }
  if (!g_output_stream_write_all(G_OUTPUT_STREAM(self->out_.get()), self->buffer_.data(),
                                 static_cast<gsize>(n), nullptr, nullptr, &error)) {
    self->fail(std::string("cannot write the clip: ") + error->message);
    return;
  }
  self->received_ += static_cast<guint64>(n);
  self->report_progress(false);
  self->read_next();
}

/* The first 8 bytes may arrive over several reads. */
bool ClipDownload::check_start(const guint8 *data, gsize size) {
  if (received_ >= sizeof start_)
    return true;
  gsize take = MIN(size, sizeof start_ - received_);
  memcpy(start_ + received_, data, take);
  return received_ + take < sizeof start_ || starts_like_mp4(start_, sizeof start_);
}

void ClipDownload::finish_stream() {
  g_autoptr(GError) error = nullptr;
  if (!g_output_stream_close(G_OUTPUT_STREAM(out_.get()), nullptr, &error)) {
    fail(std::string("cannot write the clip: ") + error->message);
    return;
  }
  if (expected_ >= 0 && received_ != static_cast<guint64>(expected_)) {
    fail("the download ended after " + std::to_string(received_) + " of " +
         std::to_string(expected_) + " bytes");
    return;
  }
  Mp4Check check = check_mp4_file(part_path_);
  if (!check.ok) {
    fail("the downloaded file is not a whole MP4: " + check.problem);
    return;
  }
  g_autoptr(GFile) part = g_file_new_for_path(part_path_.c_str());
  g_autoptr(GFile) target = g_file_new_for_path(target_path_.c_str());
  if (!g_file_move(part, target, G_FILE_COPY_OVERWRITE, nullptr, nullptr, nullptr, &error)) {
    fail("cannot move the clip to " + target_path_ + ": " + error->message);
    return;
  }
  part_path_.clear();
  report_progress(true);
  GST_DEBUG("clip complete: %" G_GUINT64_FORMAT " bytes, moov %s, at %s", received_,
            check.moov_first ? "first" : "last", target_path_.c_str());
  DownloadOutcome outcome;
  outcome.ok = true;
  outcome.size = received_;
  outcome.response = std::move(head_);
  complete(std::move(outcome));
}

void ClipDownload::fail(std::string problem) {
  if (out_)
    g_output_stream_close(G_OUTPUT_STREAM(out_.get()), nullptr, nullptr);
  if (!part_path_.empty()) {
    delete_file(part_path_);
    part_path_.clear();
  }
  DownloadOutcome outcome;
  outcome.problem = std::move(problem);
  outcome.response = std::move(head_);
  complete(std::move(outcome));
}

void ClipDownload::complete(DownloadOutcome outcome) {
  body_.reset();
  out_.reset();
  Done done = std::move(done_);
  done(std::move(outcome));
}

void ClipDownload::report_progress(bool force) {
  gint64 now = g_get_monotonic_time();
  if (!progress_ || (!force && now - last_progress_us_ < kProgressIntervalUs))
    return;
  last_progress_us_ = now;
  progress_(received_, expected_ >= 0 ? static_cast<guint64>(expected_) : 0);
}

}  // namespace sora
