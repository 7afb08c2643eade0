/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/video_job.h"

#include "core/debug.h"
#include "core/orphan_files.h"
#include "core/schema_cache.h"
#include "core/soup_runtime.h"
#include "core/task_id.h"

#include <cstring>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr unsigned kTooManyRequests = 429; /* libsoup 3 names no constant for it */
/* How often a run that waits for another one's cache entry looks again. */
constexpr guint kCacheLockPollMs = 100;

JobPhase phase_for_state(TaskState state) {
  switch (state) {
    case TaskState::kQueued:
      return JobPhase::kQueued;
    case TaskState::kRunning:
      return JobPhase::kRunning;
    case TaskState::kCompleted:
      return JobPhase::kDownloading;
    case TaskState::kFailed:
    case TaskState::kExpired:
      return JobPhase::kFailed;
    case TaskState::kCancelled:
      return JobPhase::kCancelled;
  }
  return JobPhase::kRunning;
}

/* "@1774310400" (RFC 9745) with its date: "@1774310400 (2026-03-24)". */
std::string describe_deprecation(const char *value) {
  std::string text = value;
  guint64 seconds = 0;
  if (value[0] == '@' &&
      g_ascii_string_to_unsigned(value + 1, 10, 0, G_MAXINT64, &seconds, nullptr)) {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(static_cast<gint64>(seconds));
    if (when) {
      g_autofree char *date = g_date_time_format(when, "%Y-%m-%d");
      text += std::string(" (") + date + ")";
    }
  }
  return text;
}

}  // namespace

const char *cache_event_name(CacheEvent event) {
  switch (event) {
    case CacheEvent::kWaiting:
      return "waiting";
    case CacheEvent::kHit:
      return "hit";
    case CacheEvent::kResumed:
      return "resumed";
    case CacheEvent::kStale:
      return "stale";
    case CacheEvent::kStored:
      return "stored";
  }
  return "hit";
}

const char *job_phase_name(JobPhase phase) {
  switch (phase) {
    case JobPhase::kCreating:
      return "creating";
    case JobPhase::kQueued:
      return "queued";
    case JobPhase::kRunning:
      return "in_progress";
    case JobPhase::kDownloading:
      return "downloading";
    case JobPhase::kCompleted:
      return "completed";
    case JobPhase::kFailed:
      return "failed";
    case JobPhase::kCancelled:
      return "cancelled";
  }
  return "failed";
}

VideoJob::VideoJob(IoLoop &loop, JobSettings settings, JobEvents events)
    : settings_(std::move(settings)),
      events_(std::move(events)),
      loop_(loop),
      create_retries_(settings_.connection.retries),
      unusable_poll_retries_(settings_.connection.retries),
      download_retries_(settings_.connection.retries),
      list_retries_(settings_.connection.retries),
      schema_retries_(settings_.connection.retries) {
  init_debug_categories();
  Connection &connection = settings_.connection;
  connection.base_url = normalize_base_url(std::move(connection.base_url));
  if (connection.profile().fraction_progress)
    progress_scale_ = ProgressScale::kFractionLikely;
}

VideoJob::~VideoJob() {
  if (wait_timer_)
    g_source_destroy(wait_timer_.get());
  if (deadline_timer_)
    g_source_destroy(deadline_timer_.get());
}

std::shared_ptr<VideoJob> VideoJob::start(IoLoop &loop, JobSettings settings, JobEvents events) {
  std::shared_ptr<VideoJob> job(new VideoJob(loop, std::move(settings), std::move(events)));
  job->cancellable_.reset(g_cancellable_new());
  loop.post([job] { job->begin(); });
  return job;
}

void VideoJob::cancel() {
  auto self = shared_from_this();
  loop_.post([self] { self->stop(StopReason::kCancelled); });
}

void VideoJob::wait() {
  g_return_if_fail(!loop_.is_loop_thread());
  std::unique_lock<std::mutex> guard(lock_);
  finished_cond_.wait(guard, [this] { return finished_; });
}

void VideoJob::begin() {
  if (stop_reason_ != StopReason::kNone)
    return; /* cancelled before it began; stop() has finished it */
  begun_us_ = g_get_real_time();
  const Connection &connection = settings_.connection;
  client_ = std::make_shared<HttpClient>(http_config(connection));
  ProviderSettings provider{connection, settings_.request,
                            settings_.image ? &*settings_.image : nullptr, settings_.variant};
  provider.connection.api_key.clear(); /* a provider never needs the key */
  provider_ = make_provider(std::move(provider));
  new_cost_guard();

  if (settings_.generation_timeout_s > 0) {
    auto self = shared_from_this();
    guint seconds = MIN(settings_.generation_timeout_s, G_MAXUINT / 1000);
    deadline_timer_ = loop_.schedule(seconds * 1000, [self] { self->stop(StopReason::kTimeout); });
  }
  if (settings_.cache.mode != CacheMode::kOff) {
    cache_ = std::make_unique<GenerationCache>(settings_.cache.dir);
    std::string problem;
    if (cache_->prepare(&problem)) {
      acquire_cache_entry();
      return;
    }
    go_uncached(problem);
    return;
  }
  start_generation();
}

void VideoJob::begin_waiting(const std::string &what) {
  if (began_waiting_)
    return;
  began_waiting_ = true;
  if (events_.waiting)
    events_.waiting(what);
}

/* The run goes on as with the cache off, and the user is told why. */
void VideoJob::go_uncached(const std::string &problem) {
  GST_WARNING("going on without the cache: %s", problem.c_str());
  cache_.reset();
  if (events_.cache_unusable)
    events_.cache_unusable(settings_.cache.dir, problem);
  start_generation();
}

void VideoJob::start_generation() {
  if (settings_.video_id.empty()) {
    if (provider_->schema_request() && !schema_read_) {
      fetch_schema();
      return;
    }
    /* What the protocol cannot ask for is refused before anything is paid. */
    if (std::optional<SettingsProblem> problem = provider_->check()) {
      fail(errors().make(JobError::Kind::kRejected, problem->message));
      return;
    }
    create_task();
    return;
  }
  std::string problem;
  std::optional<TaskHandle> task = provider_->handle_for_id(settings_.video_id, &problem);
  if (!task) {
    fail(errors().make(JobError::Kind::kRejected, "video-id \"" + settings_.video_id +
                                                      "\" cannot name a task: " + problem +
                                                      ". No request was sent."));
    return;
  }
  attach(std::move(*task));
  phase_ = JobPhase::kQueued;
  poll();
}

/* The model's schema: from the schema cache when it holds a fresh copy,
 * else from the provider. */
void VideoJob::fetch_schema() {
  HttpRequest request = *provider_->schema_request();
  if (std::optional<std::string> text = cached_schema(settings_.cache.mode != CacheMode::kOff
                                                          ? settings_.cache.dir
                                                          : std::string(),
                                                      request.url)) {
    HttpResponse cached;
    cached.status = SOUP_STATUS_OK;
    cached.body = bytes_from_string(*text);
    std::string problem;
    if (std::optional<InputSchema> schema = provider_->read_schema(cached, &problem)) {
      GST_DEBUG("the schema of %s from the schema cache", settings_.request.model.c_str());
      provider_->set_schema(std::move(schema));
      schema_read_ = true;
      start_generation();
      return;
    }
  }
  counts_.schemas++;
  client_->fetch(std::move(request), cancellable_.get(), when_back(&VideoJob::on_schema_answer));
}

/* A schema that cannot be had (a private model, no network to the schema
 * host) leaves the conventional names, said once per model; a passing
 * failure is tried again first. */
void VideoJob::on_schema_answer(HttpResponse response) {
  std::string problem;
  if (response.is_success() && !response.error) {
    if (std::optional<InputSchema> schema = provider_->read_schema(response, &problem)) {
      store_schema(settings_.cache.mode != CacheMode::kOff ? settings_.cache.dir : std::string(),
                   response.url.empty() ? provider_->schema_request()->url : response.url,
                   std::string(response.text()));
      provider_->set_schema(std::move(schema));
      schema_read_ = true;
      start_generation();
      return;
    }
  } else if (classify_failure(response, RequestKind::kPoll) == FailureClass::kTransient &&
             schema_retries_.take()) {
    unsigned attempt = schema_retries_.used();
    retry_later("schema", attempt, retry_delay_ms(response, attempt),
                errors().failure_reason(response), &VideoJob::fetch_schema);
    return;
  } else {
    problem = errors().failure_reason(response);
  }
  warn_conventional_names(settings_.request.model, problem, provider_->without_schema());
  schema_read_ = true;
  start_generation();
}

void VideoJob::attach(TaskHandle task) {
  task_ = std::move(task);
  video_.id = task_.id;
}

std::string VideoJob::output_path() const {
  return cache_ ? cache_->clip_path(settings_.cache.key, settings_.variant) : settings_.output_path;
}

/* One run per cache entry at a time, in this process or any other: the
 * others wait, then find the clip (or the journalled task) it left. */
void VideoJob::acquire_cache_entry() {
  std::string problem;
  cache_lock_ = cache_->try_lock(settings_.cache.task_key, &problem);
  if (cache_lock_) {
    consult_cache();
    return;
  }
  if (!problem.empty()) {
    go_uncached("The cache in " + settings_.cache.dir + " is not used for this run: " + problem +
                ".");
    return;
  }
  if (!told_waiting_) {
    told_waiting_ = true;
    begin_waiting("Waiting for another run of the same request");
    cache_event(CacheEvent::kWaiting);
  }
  wait_then(kCacheLockPollMs, &VideoJob::acquire_cache_entry);
}

void VideoJob::consult_cache() {
  const CacheSettings &cache = settings_.cache;
  /* Holding the lock, this run is the only one that writes the entry: what
   * temporary files it has are those of runs killed before they finished. */
  cache_->remove_leftovers(cache.task_key);
  if (cache.key != cache.task_key)
    cache_->remove_leftovers(cache.key);
  if (cache.mode == CacheMode::kRefresh) {
    /* Refresh replaces what was delivered before this run began. A clip
     * stored since (by a run this one waited behind on the lock), and a
     * task the journal holds that was paid for and never delivered (a run
     * killed, or a download that failed), are that new generation already:
     * served, or attached to first and made anew only if the server no
     * longer has it, or it failed, was cancelled or expired. Runs told to
     * refresh at once so share one generation. */
    std::optional<CacheRecord> task = cache.task_key == cache.key && settings_.video_id.empty()
                                          ? cache_->read(cache.task_key)
                                          : std::nullopt;
    if (task && task->completed && task->last_used_us >= begun_us_ &&
        cache_->clip_is_intact(*task)) {
      serve_from_cache(std::move(*task));
      return;
    }
    if (task && !task->completed && !task->creating) {
      resume_journalled(*task);
      return;
    }
    forget_cache_entry();
    start_generation();
    return;
  }
  std::optional<CacheRecord> clip = cache_->read(cache.key);
  if (clip && cache_->clip_is_intact(*clip)) {
    serve_from_cache(std::move(*clip));
    return;
  }
  /* For the video the clip's record is the task's (the same key). */
  std::optional<CacheRecord> task =
      cache.task_key == cache.key ? clip : cache_->read(cache.task_key);
  if (task && task->creating) {
    /* An earlier run died (or lost the answer) while its create was in
     * flight: the server may have made the task. Never send it again
     * blindly: ask the server which task it is. */
    find_interrupted_create(*task);
    return;
  }
  if (task) {
    /* A task was paid for: created, or done but this clip of it is missing
     * or damaged. Attach to it; a task the server no longer has is made
     * anew. */
    resume_journalled(*task);
    return;
  }
  start_generation();
}

void VideoJob::resume_journalled(const CacheRecord &task) {
  from_journal_ = true;
  /* The URLs the server gave, as journalled; a record without them (an
   * OpenAI-format task, or one journalled before they were) by its id. */
  std::string problem;
  std::optional<TaskHandle> handle = provider_->handle_for_id(task.video_id, &problem);
  TaskHandle journalled = handle.value_or(TaskHandle{});
  journalled.id = task.video_id;
  if (!task.status_url.empty())
    journalled.status_url = task.status_url;
  if (!task.result_url.empty())
    journalled.result_url = task.result_url;
  if (!task.cancel_url.empty())
    journalled.cancel_url = task.cancel_url;
  attach(std::move(journalled));
  phase_ = JobPhase::kQueued;
  cache_event(CacheEvent::kResumed);
  poll();
}

/* The server's list, newest first, read until it is older than the create
 * could be. Remixes and extensions are left to the user: their tasks are
 * told apart by more than the request's fields. */
void VideoJob::find_interrupted_create(const CacheRecord &task) {
  interrupted_ = task;
  const VideoRequest &wanted = settings_.request;
  if (!wanted.remix_of.empty() || !wanted.extend_of.empty()) {
    fail(errors().interrupted_create(task.base_url, task.last_used_us,
                                     "a remix or an extension is not looked for in the task list"));
    return;
  }
  if (!provider_->list_request("")) {
    fail(errors().interrupted_create(
        task.base_url, task.last_used_us,
        std::string(settings_.connection.profile().title) +
            " has no task list to search (the provider's dashboard lists its requests)"));
    return;
  }
  GST_INFO("the journal says a create was in flight: looking for its task in the server's list");
  begin_waiting("Looking for the task of an interrupted create in the server's list");
  search_ = std::make_unique<InterruptedCreateSearch>(wanted, task.last_used_us,
                                                      settings_.connection.timeout_s);
  list_tasks();
}

void VideoJob::list_tasks() {
  client_->fetch(*provider_->list_request(list_after_), cancellable_.get(),
                 when_back(&VideoJob::on_list_answer));
}

void VideoJob::on_list_answer(HttpResponse response) {
  /* Past this many pages (10,000 tasks in the window) the list cannot tell. */
  constexpr unsigned kMaxListPages = 100;
  if (provider_->ask_differently(response, false)) {
    list_tasks();
    return;
  }
  std::string problem;
  std::optional<VideoPage> page;
  if (response.is_success() && !response.error)
    page = provider_->read_list(response, &problem);
  const std::string &base = interrupted_.base_url;
  const gint64 sent = interrupted_.last_used_us;
  if (!page) {
    if (classify_failure(response, RequestKind::kPoll) == FailureClass::kTransient &&
        list_retries_.take()) {
      unsigned attempt = list_retries_.used();
      retry_later("list", attempt, retry_delay_ms(response, attempt),
                  errors().failure_reason(response), &VideoJob::list_tasks);
      return;
    }
    std::string why = problem.empty() ? errors().failure_reason(response) : problem;
    fail(errors().interrupted_create(base, sent,
                                     "the server's task list is not available (" + why + ")"));
    return;
  }
  if (search_->add_page(*page) && !page->last_id.empty()) {
    if (++list_pages_ < kMaxListPages) {
      list_after_ = page->last_id;
      list_tasks();
      return;
    }
    fail(errors().interrupted_create(base, sent, "the server's task list is too long to search"));
    return;
  }
  const std::vector<std::string> &found = search_->matches();
  if (found.size() != 1) {
    std::string why = "no task in the server's list matches it";
    if (found.size() > 1) {
      why = std::to_string(found.size()) + " tasks in the server's list match it (";
      for (size_t i = 0; i < found.size(); i++)
        why += (i ? ", " : "") + found[i];
      why += ")";
    }
    fail(errors().interrupted_create(base, sent, why));
    return;
  }
  GST_INFO("the interrupted create made %s: attaching to it", found[0].c_str());
  found_by_search_ = true;
  std::string why;
  TaskHandle found_task;
  found_task.id = found[0];
  attach(provider_->handle_for_id(found[0], &why).value_or(found_task));
  journal_task();
  CacheRecord task = interrupted_;
  task.video_id = found[0];
  task.creating = false;
  resume_journalled(task);
}

/* A hit adds nothing to the cache, so nothing needs evicting. */
void VideoJob::serve_from_cache(CacheRecord record) {
  cache_->touch(record);
  video_.id = record.video_id;
  video_.status = "completed";
  video_.state = TaskState::kCompleted;
  video_.progress = 100;
  cache_event(CacheEvent::kHit);
  JobResult result;
  result.phase = JobPhase::kCompleted;
  result.video = video_;
  result.path = output_path();
  result.size = record.clip_size;
  result.from_cache = true;
  complete(std::move(result));
}

/* The journal: the task id is on disk before anything else happens, so a
 * crash from here on loses nothing that was paid for. */
void VideoJob::journal_task() {
  if (!cache_)
    return;
  CacheRecord record;
  record.key = settings_.cache.task_key;
  record.video_id = video_.id;
  record.status_url = task_.status_url;
  record.result_url = task_.result_url;
  record.cancel_url = task_.cancel_url;
  record.base_url = settings_.connection.base_url;
  record.last_used_us = g_get_real_time();
  std::string problem;
  if (!cache_->write(record, &problem))
    GST_WARNING("cannot journal %s: %s", video_.id.c_str(), problem.c_str());
}

/* Before a create is sent, the journal says so; once an answer shows that
 * nothing was created (the server refused it, or it never left), the mark
 * goes. It stays when the answer was lost, or the run ends or dies with the
 * request in flight: then the next run of the request does not pay again. */
void VideoJob::journal_create(bool in_flight) {
  if (!cache_)
    return;
  if (!in_flight) {
    cache_->remove(settings_.cache.task_key);
    return;
  }
  CacheRecord record;
  record.key = settings_.cache.task_key;
  record.creating = true;
  record.base_url = settings_.connection.base_url;
  record.last_used_us = g_get_real_time();
  std::string problem;
  if (!cache_->write(record, &problem))
    GST_WARNING("cannot journal the create request: %s", problem.c_str());
}

void VideoJob::store_clip(guint64 size) {
  if (!cache_)
    return;
  CacheRecord record;
  record.key = settings_.cache.key;
  record.variant = settings_.variant;
  record.video_id = video_.id;
  record.base_url = settings_.connection.base_url;
  record.completed = true;
  record.clip_size = size;
  record.fingerprint = GenerationCache::fingerprint(output_path());
  record.expires_at = video_.expires_at.value_or(0);
  record.last_used_us = g_get_real_time();
  std::string problem;
  if (!cache_->write(record, &problem)) {
    GST_WARNING("cannot record %s in the cache: %s", video_.id.c_str(), problem.c_str());
    return;
  }
  cache_->evict(settings_.cache.max_bytes, record.key);
  cache_event(CacheEvent::kStored);
}

/* A journalled task that the server no longer knows, or whose content
 * expired, or that failed: the request is made anew, once. */
bool VideoJob::retry_stale_journal(const JobError &error) {
  /* A task that ended cancelled or expired stays in the journal: only a
   * refresh pays for the request again. */
  bool ended =
      error.kind == JobError::Kind::kTaskCancelled || error.kind == JobError::Kind::kTaskExpired;
  bool gone = error.kind == JobError::Kind::kNotFound || error.kind == JobError::Kind::kExpired ||
              error.kind == JobError::Kind::kGenerationFailed ||
              (ended && settings_.cache.mode == CacheMode::kRefresh);
  if (!from_journal_ || !gone || !settings_.video_id.empty())
    return false;
  GST_INFO("journalled task %s is gone (%s): generating anew", video_.id.c_str(),
           error.message.c_str());
  from_journal_ = false;
  forget_cache_entry();
  cache_event(CacheEvent::kStale);
  video_ = VideoObject{};
  task_ = TaskHandle{};
  new_cost_guard(); /* a new task: priced, checked and recorded anew */
  start_generation(); /* the model's schema first, then the checks, as for any create */
  return true;
}

/* The request's entry: the clip's record and, for a still, its task's. */
void VideoJob::forget_cache_entry() {
  cache_->remove(settings_.cache.key);
  if (settings_.cache.task_key != settings_.cache.key)
    cache_->remove(settings_.cache.task_key);
}

void VideoJob::cache_event(CacheEvent event) {
  GST_INFO("cache %s: %s (%s)", cache_event_name(event), settings_.cache.key.c_str(),
           video_.id.c_str());
  if (events_.cache)
    events_.cache(event, video_.id);
}

struct CopyOp {
  std::shared_ptr<VideoJob> job;
  JobResult result;
  std::string part;
  std::string target;
};

/* With the cache on, `location` gets a copy of the cached clip, written
 * beside it and renamed into place. */
void VideoJob::complete(JobResult result) {
  if (!cache_ || settings_.copy_to.empty()) {
    finish(std::move(result));
    return;
  }
  auto *op = new CopyOp{shared_from_this(), std::move(result), "", settings_.copy_to};
  remove_orphan_parts(op->target);
  op->part = part_path_for(op->target);
  g_autoptr(GFile) source = g_file_new_for_path(output_path().c_str());
  g_autoptr(GFile) part = g_file_new_for_path(op->part.c_str());
  busy_ = true;
  /* The copy is the user's file: the usual permissions, not the cache's.
   * It is not cancelled: a pipeline served while the clip downloaded may
   * stop at its end while the copy runs, and `location` must not be lost
   * for a few milliseconds of local copying. */
  g_file_copy_async(
      source, part,
      static_cast<GFileCopyFlags>(G_FILE_COPY_OVERWRITE | G_FILE_COPY_TARGET_DEFAULT_PERMS),
      G_PRIORITY_DEFAULT, nullptr, nullptr, nullptr, on_copied, op);
}

void VideoJob::on_copied(GObject *source, GAsyncResult *res, gpointer data) {
  std::unique_ptr<CopyOp> op(static_cast<CopyOp *>(data));
  VideoJob *self = op->job.get();
  self->busy_ = false;
  g_autoptr(GError) error = nullptr;
  bool copied = g_file_copy_finish(G_FILE(source), res, &error);
  g_autoptr(GFile) part = g_file_new_for_path(op->part.c_str());
  g_autoptr(GFile) target = g_file_new_for_path(op->target.c_str());
  if (copied &&
      !g_file_move(part, target, G_FILE_COPY_OVERWRITE, nullptr, nullptr, nullptr, &error))
    copied = false;
  if (!copied)
    g_file_delete(part, nullptr, nullptr);
  /* Stopped meanwhile: the copy was let finish, and so is the job. */
  if (copied && self->stop_reason_ != StopReason::kNone) {
    self->finish(std::move(op->result));
    return;
  }
  if (self->stopped_while_busy())
    return;
  if (!copied) {
    self->fail(self->errors().make(JobError::Kind::kWrite, "The clip of " + self->video_.id +
                                                               " is in the cache but cannot be "
                                                               "copied to " +
                                                               op->target + ": " + error->message));
    return;
  }
  self->finish(std::move(op->result));
}

std::string VideoJob::creating() const {
  const VideoRequest &wanted = settings_.request;
  if (!wanted.remix_of.empty())
    return "Remixing " + wanted.remix_of;
  if (!wanted.extend_of.empty())
    return "Extending " + wanted.extend_of;
  return "Creating the video task";
}

/* The callback of an operation about to be in flight: the job is busy
 * until it comes back; then, unless the job was stopped meanwhile (which
 * ends it here), `handler` takes the result. */
template <typename Result>
std::function<void(Result)> VideoJob::when_back(void (VideoJob::*handler)(Result)) {
  busy_ = true;
  auto self = shared_from_this();
  return [self, handler](Result result) {
    self->busy_ = false;
    if (!self->stopped_while_busy())
      ((*self).*handler)(std::move(result));
  };
}

/* The request as the price list reads it. */
void VideoJob::new_cost_guard() {
  const VideoRequest &wanted = settings_.request;
  PriceQuery query;
  query.gateway = gateway_name(settings_.connection.gateway);
  query.model = wanted.model;
  query.seconds = wanted.seconds;
  query.size = wanted.size;
  query.audio = requested_audio(wanted.metadata);
  cost_guard_ = std::make_unique<CostGuard>(settings_.spend, std::move(query),
                                            settings_.cache.task_key);
  cost_checked_ = false;
  cost_recorded_ = false;
}

/* Priced once per job, before its first create is sent (a resend of the
 * same create is the same purchase); refused here, nothing is sent. */
bool VideoJob::refused_by_budget() {
  if (cost_checked_)
    return false;
  CostNotice notice;
  std::optional<std::string> refusal = cost_guard_->reserve(&notice);
  if (events_.cost)
    events_.cost(notice);
  if (!refusal) {
    cost_checked_ = true;
    return false;
  }
  GST_WARNING("%s", refusal->c_str());
  fail(errors().make(JobError::Kind::kOverBudget, *refusal));
  return true;
}

/* What the server says the task cost: the answer's usage.cost, or LiteLLM's
 * x-litellm-response-cost header. Replaces the estimate in the ledger. */
void VideoJob::record_cost(const HttpResponse &response) {
  std::optional<double> cost = video_.reported_cost;
  if (!cost) {
    const char *header = response.header("x-litellm-response-cost");
    char *end = nullptr;
    double value = header ? g_ascii_strtod(header, &end) : -1;
    if (header && end && *end == '\0' && value >= 0)
      cost = value;
  }
  std::optional<gint64> micros = cost ? money_micros(*cost) : std::nullopt;
  if (!micros)
    return;
  GST_INFO("%s: the server reports a cost of %s", video_.id.c_str(),
           format_money(*micros, "USD").c_str());
  if (cost_guard_->reported_cost(*micros, video_.id) && events_.cost) {
    CostNotice notice;
    notice.kind = CostNotice::Kind::kReported;
    notice.reported = *micros;
    notice.estimate.currency = "USD";
    notice.video_id = video_.id;
    events_.cost(notice);
  }
}

void VideoJob::create_task() {
  if (refused_by_budget())
    return;
  counts_.creates++;
  begin_waiting("Creating the video task");
  phase_ = JobPhase::kCreating;
  journal_create(true);
  poll_due_us_ = g_get_monotonic_time(); /* the cadence counts from the create */
  busy_ = true;
  /* With the journal, a stop leaves a sent create be (see the header): not
   * the job's cancellable, and the loop held so that it outlives the run.
   * Without it, nothing would record the task: the create is cancelled. */
  detachable_create_ = cache_ != nullptr;
  std::shared_ptr<IoLoop> loop = detachable_create_ ? loop_.shared_from_this() : nullptr;
  auto self = shared_from_this();
  client_->fetch(
      provider_->create_request(), detachable_create_ ? nullptr : cancellable_.get(),
      [self, loop](HttpResponse response) { self->on_create_done(std::move(response)); });
}

void VideoJob::on_create_done(HttpResponse response) {
  busy_ = false;
  detachable_create_ = false;
  /* An error status, or a request that never left: nothing was created,
   * whether or not the job was stopped meanwhile. */
  if ((response.status != 0 && !response.is_success()) ||
      (response.status == 0 && !response.request_sent))
    journal_create(false);
  else
    cost_guard_->maybe_created(); /* accepted, or the answer lost: a task may exist */
  if (finished_) {
    settle_detached_create(response);
    return;
  }
  if (!stopped_while_busy())
    on_create_answer(std::move(response));
}

/* The answer of a create the job was stopped during: the task it made is
 * journalled for the next run, then the entry is let go. Nothing else is
 * done for a job that is over (no retry: a refusal created nothing, and
 * nobody waits for the clip). */
void VideoJob::settle_detached_create(const HttpResponse &response) {
  std::string problem;
  VideoObject video;
  std::optional<TaskHandle> task;
  if (response.is_success() && !response.error)
    task = provider_->read_created(response, &video, &problem);
  const std::string &source = settings_.request.remix_of;
  bool remix_of_another = task && !source.empty() && !video.remixed_from_video_id.empty() &&
                          video.remixed_from_video_id != source;
  if (task && provider_->handle_for_id(task->id, &problem) && !remix_of_another) {
    GST_INFO("the create sent before the stop made %s: journalled for the next run",
             task->id.c_str());
    attach(std::move(*task));
    journal_task();
    cost_guard_->created(video_.id);
  } else if (response.is_success() || (response.status == 0 && response.request_sent)) {
    GST_WARNING(
        "the create sent before the stop was taken but its answer is lost: the next run "
        "looks for its task in the server's list");
  }
  cost_guard_->settle();
  cache_lock_.reset();
}

void VideoJob::on_create_answer(HttpResponse response) {
  check_deprecation(response);
  if (provider_->ask_differently(response, true)) {
    create_task();
    return;
  }
  if (response.is_success() && !response.error) {
    std::string problem;
    VideoObject video;
    if (std::optional<TaskHandle> task = provider_->read_created(response, &video, &problem))
      created(std::move(*task), std::move(video), response);
    else
      fail(errors().ambiguous_create("the server accepted it (HTTP " +
                                         std::to_string(response.status) +
                                         ") but its answer is unusable: " + problem,
                                     cache_ != nullptr));
    return;
  }
  switch (classify_failure(response, RequestKind::kCreate)) {
    case FailureClass::kTransient:
      /* A rate limit (Azure's "too many running tasks") passes as tasks
       * finish: it is waited out until the generation-timeout, not counted
       * against the retries. Nothing was created, so nothing is paid. */
      if (response.status == kTooManyRequests) {
        unsigned attempt = ++create_rate_limited_;
        retry_later("create", attempt, retry_delay_ms(response, attempt),
                    errors().failure_reason(response), &VideoJob::create_task);
        return;
      }
      if (create_retries_.take()) {
        unsigned attempt = create_retries_.used();
        retry_later("create", attempt, retry_delay_ms(response, attempt),
                    errors().failure_reason(response), &VideoJob::create_task);
        return;
      }
      fail(errors().request(response, creating(), create_retries_.used() + 1));
      return;
    case FailureClass::kAmbiguous:
      fail(errors().ambiguous_create("its answer was lost: " + errors().failure_reason(response),
                                     cache_ != nullptr));
      return;
    case FailureClass::kBilling:
      fail(errors().billing(response, creating()));
      return;
    case FailureClass::kFinal:
      fail(errors().request(response, creating(), create_retries_.used() + 1));
      return;
  }
}

/* Deprecation (RFC 9745) and Sunset (RFC 8594): said once per job. */
void VideoJob::check_deprecation(const HttpResponse &response) {
  const char *deprecation = response.header("Deprecation");
  const char *sunset = response.header("Sunset");
  if (told_deprecation_ || (!deprecation && !sunset))
    return;
  told_deprecation_ = true;
  std::string notice = client_->redact(settings_.connection.base_url) + " says its video API";
  if (deprecation)
    notice += " is deprecated (Deprecation: " + describe_deprecation(deprecation) + ")";
  if (deprecation && sunset)
    notice += " and";
  if (sunset)
    notice += std::string(" shuts down (Sunset: ") + sunset + ")";
  if (const char *link = response.header("Link"))
    notice += std::string("; see ") + link;
  notice +=
      ". Move to a gateway that carries the OpenAI video format on (set base-url and gateway).";
  GST_WARNING("%s", notice.c_str());
  if (events_.deprecated)
    events_.deprecated(notice);
}

void VideoJob::created(TaskHandle task, VideoObject video, const HttpResponse &response) {
  GST_INFO("created task %s (status %s)", task.id.c_str(), video.status.c_str());
  /* A task that cannot be addressed cannot be polled: it may be billed, so
   * the create is not sent again. */
  std::string problem;
  if (!provider_->handle_for_id(task.id, &problem)) {
    fail(errors().ambiguous_create("its answer names the task \"" + task.id + "\", and " + problem,
                                   cache_ != nullptr));
    return;
  }
  const std::string &source = settings_.request.remix_of;
  if (!source.empty() && !video.remixed_from_video_id.empty() &&
      video.remixed_from_video_id != source) {
    video_.id = video.id;
    fail(errors().make(JobError::Kind::kServer,
                       "The server made " + video.id + " a remix of " +
                           video.remixed_from_video_id + " instead of " + source +
                           ". It may still be billed: fetch it with video-id=" + video.id +
                           " if it is of use."));
    return;
  }
  video.id = task.id;
  attach(std::move(task));
  journal_task();
  cost_guard_->created(video.id);
  if (events_.created)
    events_.created(video.id);
  handle_video(std::move(video), response);
}

void VideoJob::poll() {
  counts_.polls++;
  begin_waiting("Attaching to " + video_.id);
  HttpRequest request = provider_->status_request(task_);
  if (poll_due_us_ == 0)
    poll_due_us_ = g_get_monotonic_time(); /* attached: from the first poll */
  client_->fetch(std::move(request), cancellable_.get(), when_back(&VideoJob::on_poll_answer));
}

/* A poll that failed for a passing reason is tried again until the
 * generation-timeout ends the job: the task goes on regardless. An answer
 * that makes no sense counts against the retries. */
void VideoJob::on_poll_answer(HttpResponse response) {
  check_deprecation(response);
  if (provider_->ask_differently(response, false)) {
    poll();
    return;
  }
  std::string problem;
  if (response.is_success() && !response.error) {
    if (std::optional<VideoObject> video = provider_->read_status(response, task_, &problem)) {
      poll_failures_ = 0;
      unusable_poll_retries_.reset();
      handle_video(std::move(*video), response);
      return;
    }
  }
  FailureClass failure = classify_failure(response, RequestKind::kPoll);
  if (failure == FailureClass::kTransient) {
    unsigned attempt = ++poll_failures_;
    retry_later("poll", attempt, retry_delay_ms(response, attempt),
                errors().failure_reason(response), &VideoJob::poll);
    return;
  }
  if (response.is_success()) {
    if (problem.empty())
      problem = client_->redact(response.error->message);
    if (unusable_poll_retries_.take()) {
      unsigned attempt = unusable_poll_retries_.used();
      retry_later("poll", attempt, backoff_delay_ms(attempt - 1), "an unusable answer: " + problem,
                  &VideoJob::poll);
      return;
    }
    fail(errors().make(
        JobError::Kind::kServer,
        "The server's answers about " + video_.id + " are unusable: " + problem +
            ". The task goes on on the server: resume it with video-id=" + video_.id + ".",
        response.status));
    return;
  }
  fail(errors().request(response, "Polling " + video_.id, poll_failures_ + 1));
}

void VideoJob::handle_video(VideoObject video, const HttpResponse &response) {
  provider_->confirmed();
  /* A server may count in fractions of 1: read every answer of this task
   * on the scale its earlier ones showed. */
  if (video.progress_value)
    video.progress = progress_percent(*video.progress_value, progress_scale_);
  video_ = std::move(video);
  phase_ = phase_for_state(video_.state);
  /* A task this run did not create (video-id, the journal, the server's
   * list): paid for elsewhere, recorded once, as the server describes it. */
  if (!cost_checked_ && !cost_recorded_) {
    cost_recorded_ = true;
    PriceQuery described;
    described.gateway = gateway_name(settings_.connection.gateway);
    described.model = video_.model.empty() ? settings_.request.model : video_.model;
    guint64 seconds = 0;
    described.seconds =
        g_ascii_string_to_unsigned(video_.seconds.c_str(), 10, 1, 3600, &seconds, nullptr)
            ? static_cast<unsigned>(seconds)
            : settings_.request.seconds;
    described.size = video_.size.empty() ? settings_.request.size : video_.size;
    described.audio = requested_audio(settings_.request.metadata);
    cost_guard_->attached(video_.id, described);
  }
  if (video_.state == TaskState::kCompleted)
    record_cost(response);
  GST_DEBUG("%s: status '%s', progress %d", video_.id.c_str(), video_.status.c_str(),
            video_.progress ? static_cast<int>(*video_.progress) : -1);
  if (events_.status)
    events_.status(video_, phase_);

  if (task_state_is_final(video_.state))
    close_stream();
  switch (video_.state) {
    case TaskState::kCompleted:
      /* Where the clip is may take another request (fal's response_url). */
      if (provider_->result_request(task_, video_)) {
        fetch_result();
        break;
      }
      download();
      break;
    case TaskState::kFailed: {
      ApiError api = video_.error;
      std::string why = api.empty() ? "the server gave no reason" : api.describe();
      JobError error =
          errors().make(JobError::Kind::kGenerationFailed,
                        "Generation of " + video_.id + " failed: " + why, response.status);
      error.api = std::move(api);
      fail(std::move(error));
      break;
    }
    case TaskState::kCancelled:
    case TaskState::kExpired:
      fail(errors().ended(response));
      break;
    default:
      /* Pushed states where the provider offers them, until the stream
       * breaks; then polling. */
      if (!stream_broken_ && provider_->stream_request(task_)) {
        if (!stream_)
          open_stream();
        break;
      }
      schedule_poll(response);
      break;
  }
}

void VideoJob::open_stream() {
  auto self = shared_from_this();
  counts_.streams++;
  stream_ = EventStream::open(
      client_, *provider_->stream_request(task_), cancellable_.get(),
      [self](const std::string &data) { self->on_stream_event(data); },
      [self](const std::string &why, const HttpResponse &head) {
        self->on_stream_end(why, head);
      });
}

void VideoJob::on_stream_event(const std::string &data) {
  if (finished_ || stop_reason_ != StopReason::kNone || !stream_)
    return;
  counts_.events++;
  std::string problem;
  std::optional<VideoObject> video = provider_->read_event(data, task_, &problem);
  if (!video) {
    GST_DEBUG("%s: an event of the status stream is unusable (%s)", video_.id.c_str(),
              problem.c_str());
    return;
  }
  HttpResponse none;
  handle_video(std::move(*video), none);
}

/* A stream that ends before the task did gives way to polling, for the
 * rest of the job. */
void VideoJob::on_stream_end(const std::string &why, const HttpResponse &head) {
  if (finished_ || stop_reason_ != StopReason::kNone || !stream_)
    return;
  stream_.reset();
  stream_broken_ = true;
  GST_INFO("%s: the status stream ended (%s): polling instead", video_.id.c_str(),
           why.empty() ? "closed by the server" : why.c_str());
  schedule_poll(head);
}

void VideoJob::close_stream() {
  if (!stream_)
    return;
  stream_->close();
  stream_.reset();
}

void VideoJob::fetch_result() {
  counts_.results++;
  client_->fetch(*provider_->result_request(task_, video_), cancellable_.get(),
                 when_back(&VideoJob::on_result_answer));
}

/* The result of a completed task: the clip's URLs, or why it failed (a
 * final error status is the provider's answer, not a failed request). */
void VideoJob::on_result_answer(HttpResponse response) {
  if (!response.is_success() &&
      classify_failure(response, RequestKind::kPoll) == FailureClass::kTransient) {
    unsigned attempt = ++poll_failures_;
    retry_later("result", attempt, retry_delay_ms(response, attempt),
                errors().failure_reason(response), &VideoJob::fetch_result);
    return;
  }
  std::string problem;
  if (std::optional<VideoObject> video = provider_->read_result(response, task_, video_, &problem)) {
    poll_failures_ = 0;
    handle_video(std::move(*video), response);
    return;
  }
  if (unusable_poll_retries_.take()) {
    unsigned attempt = unusable_poll_retries_.used();
    retry_later("result", attempt, backoff_delay_ms(attempt - 1),
                "an unusable answer: " + problem, &VideoJob::fetch_result);
    return;
  }
  fail(errors().make(JobError::Kind::kServer,
                     "The result of " + video_.id + " is unusable: " + problem +
                         ". The task is done on the server: fetch it again with video-id=" +
                         video_.id + ".",
                     response.status));
}

void VideoJob::schedule_poll(const HttpResponse &response) {
  guint interval = settings_.poll_interval_ms;
  if (interval == 0)
    interval = provider_->poll_interval_ms(response);
  /* At the interval's cadence, from the create on (each poll due one
   * interval after the last was due, not after its answer came), so that
   * neither the answers' time nor a timer's lateness adds up over a long
   * generation; never sooner than half an interval after an answer (a slow
   * server is not polled back to back). */
  gint64 now = g_get_monotonic_time();
  poll_due_us_ = MAX(poll_due_us_ + gint64{interval} * 1000, now + gint64{interval} * 500);
  wait_then(static_cast<guint>((poll_due_us_ - now + 999) / 1000), &VideoJob::poll);
}

void VideoJob::wait_then(guint delay_ms, void (VideoJob::*next)()) {
  auto self = shared_from_this();
  wait_timer_ = loop_.schedule(delay_ms, [self, next] {
    self->wait_timer_.reset();
    ((*self).*next)();
  });
}

void VideoJob::retry_later(const char *request, unsigned attempt, guint delay_ms,
                           std::string reason, void (VideoJob::*again)()) {
  GST_INFO("%s attempt %u failed (%s): again in %u ms", request, attempt, reason.c_str(), delay_ms);
  if (events_.retrying)
    events_.retrying(RetryNotice{request, attempt, delay_ms, std::move(reason)});
  wait_then(delay_ms, again);
}

/* The links the provider names, best first; a link that fails for good
 * gives way to the next. */
void VideoJob::download() {
  const bool video = settings_.variant == "video";
  sources_ = provider_->download_sources(task_, video_);
  if (sources_.empty()) {
    fail(errors().make(JobError::Kind::kServer,
                       video_.id + " is done but its answer names no clip to download."));
    return;
  }
  /* Cache entries are private; without the cache the file is the user's
   * `location` (or lies in a private temporary directory). */
  /* A video is served while it arrives; a still (small, and its type
   * known only from its bytes) once it is whole. One GrowingClip for the
   * job, whatever downloads it takes: a reader waits on it throughout. */
  if (video && events_.serving && !growing_) {
    growing_ = std::make_shared<GrowingClip>();
    events_.serving(growing_);
  }
  download_ = ClipDownload::create(client_, output_path(), video,
                                   /*private_file=*/cache_ != nullptr, settings_.max_clip_size,
                                   cancellable_.get(), growing_);
  if (growing_) {
    std::weak_ptr<ClipDownload> weak = download_;
    IoLoop *loop = &loop_;
    growing_->set_fetcher([weak, loop](guint64 offset, guint64 length) {
      loop->post([weak, offset, length] {
        if (std::shared_ptr<ClipDownload> download = weak.lock())
          download->fetch_range(offset, length);
      });
    });
  }
  fetch_clip();
}

void VideoJob::fetch_clip() {
  counts_.downloads++;
  phase_ = JobPhase::kDownloading;
  download_mark_ = download_->received();
  auto self = shared_from_this();
  download_->fetch(
      sources_.front(),
      [self](guint64 received, guint64 total) {
        if (self->events_.download_progress)
          self->events_.download_progress(received, total);
      },
      when_back(&VideoJob::on_download_attempt));
}

void VideoJob::on_download_attempt(DownloadOutcome outcome) {
  if (outcome.ok) {
    JobResult result;
    result.phase = JobPhase::kCompleted;
    result.video = video_;
    result.path = output_path();
    result.size = outcome.size;
    download_.reset();
    store_clip(outcome.size);
    complete(std::move(result));
    return;
  }
  /* Writing here failed, or the clip is too large for its limit or the
   * disk: another attempt or source cannot help. */
  if (outcome.local || outcome.too_large) {
    download_.reset();
    fail(errors().download(outcome));
    return;
  }
  /* An attempt that brought more bytes was worth it: count afresh. */
  if (download_->received() > download_mark_)
    download_retries_.reset();
  bool transient =
      outcome.problem.empty()
          ? classify_failure(outcome.response, RequestKind::kDownload) == FailureClass::kTransient
          : outcome.resumable;
  /* A link that gave nothing yields to the next source at once; the last
   * source, and a link that was delivering, are tried again. */
  bool fall_back_now = sources_.size() > 1 && download_->received() == 0;
  if (transient && !fall_back_now && download_retries_.take()) {
    unsigned attempt = download_retries_.used();
    std::string reason = outcome.problem.empty() ? errors().failure_reason(outcome.response)
                                                 : client_->redact(outcome.problem);
    retry_later("download", attempt, retry_delay_ms(outcome.response, attempt), std::move(reason),
                &VideoJob::fetch_clip);
    return;
  }
  JobError error = errors().download(outcome);
  if (sources_.size() > 1) {
    GST_WARNING("%s; trying %s", error.message.c_str(), client_->redact(sources_[1]).c_str());
    sources_.erase(sources_.begin());
    download_retries_.reset();
    fetch_clip();
    return;
  }
  download_.reset();
  fail(std::move(error));
}

JobErrorText VideoJob::errors() const {
  static const std::string none;
  return JobErrorText(video_, settings_.connection.base_url, *client_,
                      provider_ ? provider_->paths_tried() : none);
}

void VideoJob::stop(StopReason reason) {
  if (stop_reason_ != StopReason::kNone || finished_)
    return;
  stop_reason_ = reason;
  g_cancellable_cancel(cancellable_.get());
  if (wait_timer_) {
    g_source_destroy(wait_timer_.get());
    wait_timer_.reset();
  }
  /* A create in flight is not waited for: it goes on detached. */
  if (!busy_ || detachable_create_)
    stopped_while_busy();
}

/* Called when the request in flight comes back, and by stop() when none is:
 * ends the job if it was stopped meanwhile. */
bool VideoJob::stopped_while_busy() {
  switch (stop_reason_) {
    case StopReason::kNone:
      return false;
    case StopReason::kCancelled: {
      JobResult result;
      result.phase = JobPhase::kCancelled;
      result.video = video_;
      finish(std::move(result));
      return true;
    }
    case StopReason::kTimeout:
      fail(errors().timeout(settings_.generation_timeout_s));
      return true;
  }
  return false;
}

void VideoJob::fail(JobError error) {
  /* The task the search found for an interrupted create ended without a
   * clip: it may be an earlier run's task of the same request (the list's
   * times are in seconds), while the interrupted create is still on its way
   * to the server. Making the request anew could pay twice: the create stays
   * journalled as interrupted, and the next run searches again. */
  bool ended = error.kind == JobError::Kind::kGenerationFailed ||
               error.kind == JobError::Kind::kTaskCancelled ||
               error.kind == JobError::Kind::kTaskExpired ||
               error.kind == JobError::Kind::kNotFound || error.kind == JobError::Kind::kExpired;
  if (found_by_search_ && ended && cache_) {
    found_by_search_ = false;
    std::string problem;
    if (!cache_->write(interrupted_, &problem))
      GST_WARNING("cannot journal the interrupted create again: %s", problem.c_str());
    error = errors().interrupted_create(
        interrupted_.base_url, interrupted_.last_used_us,
        "the one task of the server's list that matches it, " + video_.id +
            ", ended without a clip (" + error.message +
            "); it may be an earlier run's task while the create is still on its way");
  }
  if (retry_stale_journal(error))
    return;
  /* A failed task is final: its record must not send the next run to it. */
  if (cache_ && error.kind == JobError::Kind::kGenerationFailed)
    cache_->remove(settings_.cache.task_key);
  GST_INFO("job failed: %s", error.message.c_str());
  JobResult result;
  result.phase = JobPhase::kFailed;
  result.video = video_;
  result.error = std::move(error);
  finish(std::move(result));
}

void VideoJob::finish(JobResult result) {
  if (finished_)
    return;
  for (SourcePtr *timer : {&wait_timer_, &deadline_timer_}) {
    if (*timer) {
      g_source_destroy(timer->get());
      timer->reset();
    }
  }
  close_stream();
  GST_INFO("%s: requests made: %u schema, %u create, %u poll, %u status stream (%u events), "
           "%u result, %u download",
           video_.id.c_str(), counts_.schemas, counts_.creates, counts_.polls, counts_.streams,
           counts_.events, counts_.results, counts_.downloads);
  phase_ = result.phase;
  if (events_.finished)
    events_.finished(result);
  events_ = JobEvents{};
  client_.reset();
  /* A detached create keeps the entry until its answer is journalled. */
  if (!detachable_create_) {
    cache_lock_.reset();
    if (cost_guard_)
      cost_guard_->settle();
  }
  std::lock_guard<std::mutex> guard(lock_);
  finished_ = true;
  finished_cond_.notify_all();
}

}  // namespace sora
