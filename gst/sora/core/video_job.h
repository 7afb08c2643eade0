/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* VideoJob: one generation, from the create request to a verified clip on
 * disk: create the task (or attach to an existing one), poll it until it is
 * done, download the result.
 *
 * The job runs on the shared IoLoop and never blocks it: polling waits on a
 * timer, requests are asynchronous. It reports through JobEvents, called on
 * the loop thread, and ends with exactly one finished() call: completed,
 * failed (with an error a user can act on, naming the video id) or
 * cancelled. cancel() stops it at any point without waiting for the network.
 *
 * With the cache on, a create request already sent is the one thing a stop
 * does not cancel: the server may make (and bill) the task whether its answer
 * is read or not. The job finishes at once and the request goes on detached,
 * bounded by its I/O timeout, holding the job, the cache entry's lock and the
 * IoLoop (so the loop thread outlives the last run until then), never the
 * element (events are dropped once finished). Its answer journals the task
 * id, so the next run attaches to it; a refusal (nothing created) clears the
 * journal's "creating" mark. A process that exits meanwhile leaves the mark,
 * as a crash does: the next run looks for the task in the server's list
 * (InterruptedCreateSearch). With the cache off nothing could record the
 * task, and a stop cancels the create as it does any request. */
#pragma once

#include "core/clip_download.h"
#include "core/connection.h"
#include "core/cost_guard.h"
#include "core/event_stream.h"
#include "core/generation_cache.h"
#include "core/http_client.h"
#include "core/interrupted_create.h"
#include "core/io_loop.h"
#include "core/job_error.h"
#include "core/provider.h"
#include "core/retry_policy.h"
#include "core/video_object.h"
#include "core/video_request.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sora {

/* Where the job keeps and finds finished clips; mode kOff leaves it out. */
struct CacheSettings {
  CacheMode mode = CacheMode::kOff;
  std::string dir;
  std::string key; /* the clip: the request and the variant */
  /* The task: the request with the video variant. The journal lives here,
   * and its lock is held, so a thumbnail of a request attaches to the task
   * its video came from instead of paying for another. Equal to `key` for
   * the video itself. */
  std::string task_key;
  guint64 max_bytes = 0; /* 0: no limit */
};

/* The largest clip a job downloads unless told otherwise: the largest real
 * clip (20 s of 1080p, some 100 MB at a generous bitrate) with a wide margin. */
constexpr guint64 kDefaultMaxClipSize = G_GUINT64_CONSTANT(4) * 1024 * 1024 * 1024;

struct JobSettings {
  Connection connection;
  VideoRequest request;
  std::optional<ReferenceImage> image;
  std::string video_id;          /* attach to this task instead of creating one */
  std::string variant = "video"; /* or thumbnail, spritesheet */
  /* 0: the server's openai-poll-after-ms, else the gateway's default */
  unsigned poll_interval_ms = 0;
  unsigned generation_timeout_s = 3600; /* the whole job; 0: none */
  /* Where the finished clip is published. With the cache on, the cache
   * decides and `copy_to` (if set) receives a copy. */
  std::string output_path;
  std::string copy_to;
  /* A larger clip is refused before it is written (the task stays
   * journalled, and can be fetched again with a higher limit). */
  guint64 max_clip_size = kDefaultMaxClipSize;
  CacheSettings cache;
  /* The price list, the budget and the ledger (core/cost_guard.h). */
  SpendSettings spend;
};

enum class JobPhase {
  kCreating,
  kQueued,
  kRunning,
  kDownloading,
  kCompleted,
  kFailed,
  kCancelled,
};

const char *job_phase_name(JobPhase phase);

struct JobResult {
  JobPhase phase = JobPhase::kFailed; /* kCompleted, kFailed or kCancelled */
  std::optional<JobError> error;
  VideoObject video; /* the last state the server reported */
  std::string path;  /* the clip, when completed */
  guint64 size = 0;
  bool from_cache = false; /* served from the cache: no request was made */
};

/* What the cache did, for the bus. */
enum class CacheEvent {
  kWaiting, /* another run works on the same request: waiting for it */
  kHit,     /* the clip came from the cache */
  kResumed, /* the journal named a task: attaching to it, no new create */
  kStale,   /* the journalled task is gone: generating anew */
  kStored,  /* the clip went into the cache */
};
const char *cache_event_name(CacheEvent event);

/* A failed request that will be sent again. */
struct RetryNotice {
  const char *request; /* "create", "poll" or "download" */
  unsigned attempt;    /* the attempt that failed, from 1 */
  guint delay_ms;
  std::string reason; /* "HTTP 503 Service Unavailable", "Connection refused", ... */
};

/* Called on the IoLoop thread. Any may be empty. */
struct JobEvents {
  /* The job starts to wait on the server: it creates a task, attaches to
   * one, looks for the task of an interrupted create, or waits for another
   * run of the same request. Once per job, before the request it speaks of;
   * never for a clip served from the cache. `what` is for people. */
  std::function<void(const std::string &what)> waiting;
  std::function<void(const std::string &video_id)> created;
  std::function<void(const VideoObject &video, JobPhase phase)> status;
  std::function<void(guint64 received, guint64 total)> download_progress;
  std::function<void(const RetryNotice &notice)> retrying;
  std::function<void(CacheEvent event, const std::string &video_id)> cache;
  /* The cache cannot be used (its directory is not safe, or cannot be
   * made or locked): the run goes on without it. `problem` is for the user. */
  std::function<void(const std::string &dir, const std::string &problem)> cache_unusable;
  /* The server announced that this API is deprecated or going away
   * (Deprecation, Sunset headers): once per job, with the headers quoted. */
  std::function<void(const std::string &notice)> deprecated;
  /* The video's download started: its bytes can be read as they arrive.
   * Once per job, before the first byte; without this event the clip is
   * only offered whole (finished()). */
  std::function<void(std::shared_ptr<GrowingClip> clip)> serving;
  /* The estimate before a create (allowed or refused by the budget), and
   * the cost a server reported for the task. */
  std::function<void(const CostNotice &notice)> cost;
  std::function<void(const JobResult &result)> finished;
};

class VideoJob : public std::enable_shared_from_this<VideoJob> {
 public:
  /* Runs the job on `loop`. The caller keeps the loop until wait() has
   * returned and lets go of it after the job: then the last owner of the
   * loop joins its thread, and no thread outlives the run. */
  static std::shared_ptr<VideoJob> start(IoLoop &loop, JobSettings settings, JobEvents events);
  ~VideoJob();

  /* Stops the job; finished() reports kCancelled unless it already ran.
   * Any thread. Does not wait. */
  void cancel();

  /* Blocks until finished() has returned. Not from the loop thread. */
  void wait();

 private:
  enum class StopReason { kNone, kCancelled, kTimeout };

  VideoJob(IoLoop &loop, JobSettings settings, JobEvents events);
  void begin();
  void begin_waiting(const std::string &what);
  void acquire_cache_entry();
  void consult_cache();
  void forget_cache_entry();
  void go_uncached(const std::string &problem);
  void start_generation();
  void serve_from_cache(CacheRecord record);
  void resume_journalled(const CacheRecord &task);
  void find_interrupted_create(const CacheRecord &task);
  void list_tasks();
  void on_list_answer(HttpResponse response);
  void settle_detached_create(const HttpResponse &response);
  void journal_task();
  void journal_create(bool in_flight);
  void store_clip(guint64 size);
  bool retry_stale_journal(const JobError &error);
  void complete(JobResult result);
  static void on_copied(GObject *source, GAsyncResult *result, gpointer data);
  std::string output_path() const;
  void cache_event(CacheEvent event);
  void create_task();
  bool refused_by_budget();
  void new_cost_guard();
  void record_cost(const HttpResponse &response);
  void on_create_done(HttpResponse response);
  void on_create_answer(HttpResponse response);
  void check_deprecation(const HttpResponse &response);
  void created(TaskHandle task, VideoObject video, const HttpResponse &response);
  void attach(TaskHandle task);
  void fetch_schema();
  void on_schema_answer(HttpResponse response);
  void open_stream();
  void on_stream_event(const std::string &data);
  void on_stream_end(const std::string &why, const HttpResponse &head);
  void close_stream();
  void fetch_result();
  void on_result_answer(HttpResponse response);
  void poll();
  void on_poll_answer(HttpResponse response);
  void handle_video(VideoObject video, const HttpResponse &response);
  void schedule_poll(const HttpResponse &response);
  void download();
  void fetch_clip();
  void on_download_attempt(DownloadOutcome outcome);
  void retry_later(const char *request, unsigned attempt, guint delay_ms, std::string reason,
                   void (VideoJob::*again)());
  void wait_then(guint delay_ms, void (VideoJob::*next)());
  template <typename Result>
  std::function<void(Result)> when_back(void (VideoJob::*handler)(Result));
  void stop(StopReason reason);
  bool stopped_while_busy();
  void fail(JobError error);
  void finish(JobResult result);
  std::string creating() const; /* "Remixing video_1", for error messages */
  /* The wording of this job's errors (job_error.h). */
  JobErrorText errors() const;

  JobSettings settings_;
  JobEvents events_;
  IoLoop &loop_;
  std::shared_ptr<HttpClient> client_;
  std::unique_ptr<Provider> provider_; /* how this protocol asks and answers */
  TaskHandle task_;                    /* the task, once created or attached to */
  bool schema_read_ = false;           /* the model's schema was looked for */
  std::shared_ptr<EventStream> stream_; /* the task's pushed states, while open */
  bool stream_broken_ = false;          /* it ended early: polling from then on */
  /* The requests one generation made, logged when it ends. */
  struct {
    unsigned schemas = 0, creates = 0, polls = 0, streams = 0, events = 0, results = 0,
             downloads = 0;
  } counts_;
  GObjectPtr<GCancellable> cancellable_;
  SourcePtr wait_timer_; /* the next poll, or the next attempt of a failed request */
  SourcePtr deadline_timer_;
  VideoObject video_;
  JobPhase phase_ = JobPhase::kCreating;
  bool busy_ = false;              /* a request is in flight */
  bool detachable_create_ = false; /* a journalled create is in flight: a stop leaves it be */
  StopReason stop_reason_ = StopReason::kNone;
  ProgressScale progress_scale_ = ProgressScale::kUnknown;
  bool told_deprecation_ = false;
  unsigned create_rate_limited_ = 0; /* 429s to the create, waited out */

  RetryBudget create_retries_;
  RetryBudget unusable_poll_retries_; /* polls answered with nonsense */
  unsigned poll_failures_ = 0;        /* transient: retried until the deadline */
  RetryBudget download_retries_;
  std::shared_ptr<ClipDownload> download_;
  std::shared_ptr<GrowingClip> growing_; /* the video's bytes as they arrive */
  std::vector<std::string> sources_;     /* where the clip may be fetched, best first */
  guint64 download_mark_ = 0;            /* bytes held before the last attempt */

  std::unique_ptr<CostGuard> cost_guard_;
  bool cost_checked_ = false;  /* this job's create was priced and let through */
  bool cost_recorded_ = false; /* the task attached to is in the ledger */

  std::unique_ptr<GenerationCache> cache_; /* null with the cache off */
  std::unique_ptr<CacheLock> cache_lock_;
  bool told_waiting_ = false;
  bool began_waiting_ = false; /* events_.waiting went out */
  bool found_by_search_ = false; /* attached to what the interrupted-create search found */
  bool from_journal_ = false; /* attached to a task the journal named */
  gint64 begun_us_ = 0;       /* g_get_real_time() when it began */
  gint64 poll_due_us_ = 0;    /* when the last poll (or the create) was due; 0: none yet */

  /* Looking in the server's list for the task of an interrupted create. */
  std::unique_ptr<InterruptedCreateSearch> search_;
  CacheRecord interrupted_; /* the journal's "creating" record */
  std::string list_after_;  /* the page to read next */
  unsigned list_pages_ = 0;
  RetryBudget list_retries_;
  RetryBudget schema_retries_; /* reading the model's schema */

  std::mutex lock_;
  std::condition_variable finished_cond_;
  bool finished_ = false;
};

}  // namespace sora
