/* ClipDownload: streams a finished clip from the server to a file on disk,
 * and publishes the file only once it is known to be whole.
 *
 * The clip is never held in memory: it is written as it arrives to a
 * temporary file beside the target, which is renamed onto the target only
 * after the status, Content-Type, Content-Length and MP4 structure all check
 * out. So a reader of the target path sees a whole clip or nothing, and an
 * error page is never mistaken for video. */
#pragma once

#include "http_client.h"

#include <functional>
#include <memory>

namespace sora {

struct DownloadOutcome {
  bool ok = false;
  HttpResponse response; /* the answer's head, and its body when it was an error */
  std::string problem;   /* what was wrong with an answer that claimed success */
  guint64 size = 0;      /* bytes of the published file */
};

class ClipDownload : public std::enable_shared_from_this<ClipDownload> {
 public:
  using Progress = std::function<void(guint64 received, guint64 total)>;
  using Done = std::function<void(DownloadOutcome outcome)>;

  /* Loop thread only. `done` runs exactly once, on the loop thread. */
  static void run(std::shared_ptr<HttpClient> client, HttpRequest request, std::string target_path,
                  GCancellable *cancellable, Progress progress, Done done);

  ~ClipDownload();

 private:
  ClipDownload() = default;
  void on_open(HttpResponse head, GObjectPtr<GInputStream> body);
  void read_next();
  static void on_read(GObject *source, GAsyncResult *result, gpointer data);
  bool accept_head(std::string *problem);
  bool check_start(const guint8 *data, gsize size);
  void finish_stream();
  void fail(std::string problem);
  void complete(DownloadOutcome outcome);
  void report_progress(bool force);

  std::shared_ptr<HttpClient> client_;
  std::string target_path_;
  std::string part_path_;
  GObjectPtr<GCancellable> cancellable_;
  GObjectPtr<GInputStream> body_;
  GObjectPtr<GFileOutputStream> out_;
  HttpResponse head_;
  std::vector<guint8> buffer_;
  guint64 received_ = 0;
  guint8 start_[8] = {}; /* the first bytes, to tell an MP4 from an error page */
  gint64 expected_ = -1; /* Content-Length, when sent */
  gint64 last_progress_us_ = 0;
  Progress progress_;
  Done done_;
};

}  // namespace sora
