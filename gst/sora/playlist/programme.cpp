/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "programme.h"

#include "slate.h"

#include "core/printable_text.h"

#include <glib/gstdio.h>
#include <pthread.h>

#include <algorithm>
#include <cstring>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

namespace {

constexpr char kShotMessage[] = "sora-playlist";
constexpr char kProgressCode[] = "sora-playlist";
/* Buffers pushed per pad before the thread looks at everything else again. */
constexpr int kBatch = 8;
/* What the appsrcs may hold before the programme waits for them to drain
 * (non-live): a few frames, ~0.3 s of audio. */
constexpr guint kVideoQueue = 4;
constexpr guint kAudioQueue = 16;
/* A live programme: how late a shot's frame or audio may come before a
 * repeated frame or silence takes its place. Within the latency the appsrcs
 * declare, so sinks still see every buffer in time. */
constexpr GstClockTime kLiveGrace = 100 * GST_MSECOND;
/* Audio within this of where it belongs is taken as continuous (as audio
 * sinks do); further off, silence fills the gap or the overlap is cut. */
constexpr GstClockTime kAudioTolerance = 40 * GST_MSECOND;
constexpr GstClockTime kSilenceChunk = 20 * GST_MSECOND;
/* A container's duration runs past the video by up to the audio's last
 * frame: an estimate from it takes this much of a frame off. */
constexpr double kEstimateSlack = 0.3;
constexpr guint kDefaultSeconds = 4;
constexpr size_t kSlateCards = 8;

GstClockTime running_time(GstSample *sample) {
  GstBuffer *buffer = gst_sample_get_buffer(sample);
  const GstSegment *segment = gst_sample_get_segment(sample);
  if (!buffer || !GST_BUFFER_PTS_IS_VALID(buffer))
    return GST_CLOCK_TIME_NONE;
  if (!segment || segment->format != GST_FORMAT_TIME)
    return GST_BUFFER_PTS(buffer);
  return gst_segment_to_running_time(segment, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
}

BufferPtr copy_of(GstSample *sample) {
  GstBuffer *buffer = sample ? gst_sample_get_buffer(sample) : nullptr;
  return BufferPtr(buffer ? gst_buffer_copy(buffer) : nullptr);
}

}  // namespace

void Wakeup::notify() {
  std::lock_guard<std::mutex> guard(lock);
  pending = true;
  cond.notify_all();
}

Programme::Programme(GstElement *owner, GstAppSrc *video, GstAppSrc *audio,
                     const ShotDefaults &defaults, ProgrammeSettings settings)
    : owner_(owner),
      video_src_(video),
      audio_src_(audio),
      defaults_(defaults),
      settings_(std::move(settings)),
      wakeup_(std::make_shared<Wakeup>()) {
  for (ShotSpec &spec : settings_.shots) {
    auto shot = std::make_unique<Shot>();
    shot->index = shots_.size();
    shot->title = spec.title();
    shot->spec = std::move(spec);
    shots_.push_back(std::move(shot));
  }
  settings_.shots.clear();
  closed_ = !settings_.keep_open;

  /* The format is fixed now when nothing is left to learn from the clips: a
   * live programme may have to show the slate before any clip is there, so
   * it takes the first shot's requested size. */
  const GstStructure *requested =
      settings_.video_caps && !gst_caps_is_empty(settings_.video_caps.get())
          ? gst_caps_get_structure(settings_.video_caps.get(), 0)
          : nullptr;
  bool complete = requested && gst_structure_has_field(requested, "width") &&
                  gst_structure_has_field(requested, "height") &&
                  gst_structure_has_field(requested, "framerate");
  if (settings_.live || complete) {
    std::string size = shots_.empty() ? "" : shots_.front()->spec.text("size");
    if (size.empty())
      size = defaults_.text("size");
    FrameShape fallback = shape_from_size(size).value_or(FrameShape{1280, 720, 0, 1});
    GstCaps *video_caps = programme_video_caps(settings_.video_caps.get(), fallback);
    if (video_caps)
      format_ =
          std::make_unique<ProgrammeFormat>(video_caps, gst_caps_ref(settings_.audio_caps.get()));
  }

  /* Where the clips wait for their turn; the run posts an error if none. */
  g_autofree char *directory = g_dir_make_tmp("gst-sora-programme-XXXXXX", nullptr);
  directory_ = directory ? directory : "";

  GstAppSrcCallbacks callbacks = {};
  callbacks.need_data = [](GstAppSrc *, guint, gpointer wakeup) {
    (*static_cast<std::shared_ptr<Wakeup> *>(wakeup))->notify();
  };
  for (GstAppSrc *src : {video_src_, audio_src_}) {
    gst_app_src_set_callbacks(
        src, &callbacks, new std::shared_ptr<Wakeup>(wakeup_),
        [](gpointer wakeup) { delete static_cast<std::shared_ptr<Wakeup> *>(wakeup); });
  }
}

Programme::~Programme() {
  stop();
}

void Programme::start() {
  started_ = true;
  thread_ = std::thread([this] {
    /* Named, so that a test can see it is gone after set_state(NULL). */
    pthread_setname_np(pthread_self(), "sora-playlist");
    run();
  });
}

void Programme::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> guard(lock_);
    stopping_ = true;
  }
  wakeup_->notify();
  if (thread_.joinable())
    thread_.join();
  /* The thread is gone: its fields are this thread's now. */
  for (size_t i = 0; i < shot_count(); i++) {
    Shot *shot = shot_at(i);
    stop_shot(*shot);
    shot->last_frame.reset();
    if (shot->own_file)
      g_remove(shot->path.c_str());
  }
  if (!directory_.empty())
    g_rmdir(directory_.c_str());
  timeline_.clear();
  if (generation_round_ && !failed_)
    post_progress(GST_PROGRESS_TYPE_CANCELED, "The programme was stopped");
  generation_round_ = false;
}

bool Programme::append(ShotSpec spec) {
  size_t index;
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (closed_ || stopping_)
      return false;
    auto shot = std::make_unique<Shot>();
    index = shot->index = shots_.size();
    shot->title = spec.title();
    shot->spec = std::move(spec);
    shots_.push_back(std::move(shot));
  }
  post_shot(*shot_at(index), "queued");
  wakeup_->notify();
  return true;
}

void Programme::end_of_playlist() {
  {
    std::lock_guard<std::mutex> guard(lock_);
    closed_ = true;
  }
  wakeup_->notify();
}

std::optional<GstClockTime> Programme::duration() const {
  std::lock_guard<std::mutex> guard(lock_);
  return duration_;
}

Programme::Shot *Programme::shot_at(size_t index) const {
  std::lock_guard<std::mutex> guard(lock_);
  return index < shots_.size() ? shots_[index].get() : nullptr;
}

size_t Programme::shot_count() const {
  std::lock_guard<std::mutex> guard(lock_);
  return shots_.size();
}

const ProgrammeFormat *Programme::format() const {
  std::lock_guard<std::mutex> guard(lock_);
  return format_.get();
}

/* ---- the shots' hooks, on their threads ---- */

void Programme::record_failure(Shot &shot, GstMessage *message) {
  Failure failure;
  g_autoptr(GError) error = nullptr;
  g_autofree char *debug = nullptr;
  gst_message_parse_error(message, &error, &debug);
  const GstStructure *details = nullptr;
  gst_message_parse_error_details(message, &details);
  failure.domain = error->domain;
  failure.code = error->code;
  failure.message = error->message;
  failure.debug = debug ? debug : "";
  if (details)
    failure.details.reset(gst_structure_copy(details));
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (!shot.failure)
      shot.failure = std::move(failure);
  }
  wakeup_->notify();
}

void Programme::forward_warning(const Shot &shot, GstMessage *message) {
  g_autoptr(GError) warning = nullptr;
  gst_message_parse_warning(message, &warning, nullptr);
  std::string text = "Shot " + std::to_string(shot.index) + " (\"" + shot.title +
                     "\"): " + (warning ? warning->message : "a warning");
  gst_element_post_message(owner_,
                           gst_message_new_warning(GST_OBJECT(owner_), warning, text.c_str()));
}

void Programme::on_generation_message(size_t index, GstMessage *message) {
  Shot *shot = shot_at(index);
  if (!shot)
    return;
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
      record_failure(*shot, message);
      break;
    case GST_MESSAGE_WARNING:
      forward_warning(*shot, message);
      break;
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure(message);
      const char *video_id = s ? gst_structure_get_string(s, "video-id") : nullptr;
      guint progress = 0;
      bool status = s && gst_structure_has_name(s, "sora-status");
      /* The server's progress; a download's messages carry none. */
      bool reported = status && gst_structure_get_uint(s, "progress", &progress);
      /* soravideosrc's run ended with the clip verified and at its location
       * (its PROGRESS completes earlier, once the clip starts to flow). */
      if (status && g_strcmp0(gst_structure_get_string(s, "phase"), "completed") == 0) {
        {
          std::lock_guard<std::mutex> guard(lock_);
          shot->generated = true;
        }
        wakeup_->notify();
      }
      bool changed = false;
      {
        std::lock_guard<std::mutex> guard(lock_);
        if (video_id && *video_id && shot->video_id != video_id) {
          shot->video_id = video_id;
          changed = true;
        }
        if (reported && progress != shot->progress) {
          shot->progress = progress;
          changed = true;
        }
      }
      /* The progress of a generating shot, as its server reports it. */
      if (status && changed)
        post_shot(*shot, "generating");
      /* A shot's estimate (or refusal) goes on the programme's bus, with
       * the shot's index (docs/soraplaylistsrc.md). */
      if (s && gst_structure_has_name(s, "sora-cost")) {
        GstStructure *cost = gst_structure_copy(s);
        gst_structure_set(cost, "index", G_TYPE_UINT, static_cast<guint>(shot->index), nullptr);
        gst_element_post_message(owner_, gst_message_new_element(GST_OBJECT(owner_), cost));
      }
      break;
    }
    default:
      break;
  }
}

void Programme::on_decoder_message(size_t index, GstMessage *message) {
  Shot *shot = shot_at(index);
  if (!shot)
    return;
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
      record_failure(*shot, message);
      break;
    case GST_MESSAGE_WARNING:
      forward_warning(*shot, message);
      break;
    case GST_MESSAGE_ASYNC_DONE:
      if (GST_IS_PIPELINE(GST_MESSAGE_SRC(message))) {
        {
          std::lock_guard<std::mutex> guard(lock_);
          shot->decoded = true;
        }
        wakeup_->notify();
      }
      break;
    default:
      break;
  }
}

/* The format is the first shot's (unless video-caps says it all): fixed
 * once the first shot that has not failed is generated; when every shot
 * failed and no more can come, from the first shot's request. */
void Programme::try_fix_format() {
  if (format())
    return;
  FrameShape shape;
  bool found = false;
  bool closed;
  size_t count;
  {
    std::lock_guard<std::mutex> guard(lock_);
    closed = closed_;
    count = shots_.size();
  }
  for (size_t i = 0; i < count && !found; i++) {
    Shot &shot = *shot_at(i);
    if (shot.state == ShotState::kFailed || shot.state == ShotState::kSkipped)
      continue;
    if (!shot.info || !shot.info->video)
      return; /* the first shot that may play is not there yet */
    shape = *shot.info->video;
    found = true;
  }
  if (!found) {
    if (!closed)
      return;
    Shot *first = shot_at(0);
    std::string size = first ? first->spec.text("size") : "";
    if (size.empty())
      size = defaults_.text("size");
    shape = shape_from_size(size).value_or(FrameShape{1280, 720, 0, 1});
  }
  GstCaps *video_caps = programme_video_caps(settings_.video_caps.get(), shape);
  if (!video_caps)
    return;
  GST_INFO_OBJECT(owner_, "programme format %" GST_PTR_FORMAT, video_caps);
  std::lock_guard<std::mutex> guard(lock_);
  format_ = std::make_unique<ProgrammeFormat>(video_caps, gst_caps_ref(settings_.audio_caps.get()));
}

/* ---- the thread ---- */

void Programme::run() {
  if (directory_.empty()) {
    GST_ELEMENT_ERROR(owner_, RESOURCE, OPEN_WRITE,
                      ("Cannot create a temporary directory for the programme's clips"), (nullptr));
    failed_ = true;
    return;
  }
  size_t count = shot_count();
  for (size_t i = 0; i < count; i++)
    post_shot(*shot_at(i), "queued");
  while (true) {
    {
      std::lock_guard<std::mutex> guard(lock_);
      if (stopping_)
        break;
    }
    wake_at_.reset();
    bool closed;
    {
      std::lock_guard<std::mutex> guard(lock_);
      closed = closed_;
    }
    if (closed && !closed_seen_) {
      /* The last shot is known: the format and the duration may be too. */
      closed_seen_ = true;
      try_fix_format();
      update_duration();
    }
    handle_shot_changes();
    if (failed_)
      break;
    start_generations();
    update_generation_progress();
    start_decoders();
    bool progressed = step_video();
    progressed = step_audio() || progressed;
    reap();
    if (failed_)
      break;
    if (video_ended_ && audio_ended_)
      break;
    if (progressed)
      continue;
    std::unique_lock<std::mutex> guard(wakeup_->lock);
    auto woken = [this] { return wakeup_->pending; };
    if (wake_at_)
      wakeup_->cond.wait_until(guard, *wake_at_, woken);
    else
      wakeup_->cond.wait(guard, woken);
    wakeup_->pending = false;
  }
}

void Programme::handle_shot_changes() {
  size_t count = shot_count();
  /* Shots that are over need no look: a channel that runs all day keeps
   * this loop short. */
  while (settled_ < std::min(count, next_to_play_)) {
    ShotState state = shot_at(settled_)->state;
    if (state != ShotState::kDone && state != ShotState::kSkipped && state != ShotState::kFailed)
      break;
    settled_++;
  }
  for (size_t i = settled_; i < count; i++) {
    Shot &shot = *shot_at(i);
    if (shot.state == ShotState::kQueued || shot.state == ShotState::kDone ||
        shot.state == ShotState::kSkipped || shot.failure_handled)
      continue;
    bool failed, generated, decoded;
    {
      std::lock_guard<std::mutex> guard(lock_);
      failed = shot.failure.has_value();
      generated = shot.generated;
      decoded = shot.decoded;
    }
    if (failed)
      on_failed(shot);
    else if (generated && shot.state == ShotState::kGenerating)
      on_generated(shot);
    else if (decoded && shot.decoder && !shot.decoder->playing())
      on_decoded(shot);
    if (failed_)
      return;
  }
}

/* The clip is on disk: the task is done with, the shot waits for its turn. */
void Programme::on_generated(Shot &shot) {
  std::string video_id = shot.generation->video_id();
  shot.generation->stop();
  shot.generation.reset();
  {
    std::lock_guard<std::mutex> guard(lock_);
    shot.progress = 100;
    if (!video_id.empty())
      shot.video_id = video_id;
  }
  if (!settings_.live) {
    /* Its length for the duration query, its size for the format. */
    std::string error;
    shot.info = read_clip_info(shot.path, error);
    if (!shot.info || !shot.info->video) {
      std::lock_guard<std::mutex> guard(lock_);
      shot.failure =
          Failure{GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
                  shot.info ? "The clip has no video stream" : "The clip cannot be read: " + error,
                  "", nullptr};
      return; /* handled as a failure on the next pass */
    }
  }
  shot.state = ShotState::kReady;
  post_shot(shot, "ready");
  post_progress(GST_PROGRESS_TYPE_CONTINUE,
                "Shot " + std::to_string(shot.index) + " ready: " + shot.title);
  try_fix_format();
  update_duration();
  update_generation_progress();
}

void Programme::on_decoded(Shot &shot) {
  if (!shot.decoder->has_video()) {
    std::lock_guard<std::mutex> guard(lock_);
    shot.failure = Failure{GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
                           "The clip has no video stream", "", nullptr};
    return;
  }
  shot.decoder->play();
}

void Programme::on_failed(Shot &shot) {
  shot.failure_handled = true;
  ShotState was = shot.state;
  stop_shot(shot);
  shot.state = ShotState::kFailed;

  std::string error_text;
  {
    std::lock_guard<std::mutex> guard(lock_);
    error_text = shot.failure->message;
  }
  GstStructure *extra =
      gst_structure_new("extra", "error", G_TYPE_STRING, error_text.c_str(), nullptr);
  post_shot(shot, "failed", extra);
  update_generation_progress();

  if (was == ShotState::kPlaying) {
    /* Part of it is on air: the rest holds its last frame. */
    bool fatal = settings_.on_failure == OnFailure::kError && !settings_.live;
    post_failure(shot, fatal, "its last frame holds for the rest of its time");
    if (fatal) {
      failed_ = true;
      post_progress(GST_PROGRESS_TYPE_ERROR, "Shot " + std::to_string(shot.index) + " failed");
    }
    shot.state = ShotState::kPlaying;
    return;
  }
  switch (settings_.on_failure) {
    case OnFailure::kError:
      if (!settings_.live) {
        post_failure(shot, true, "");
        failed_ = true;
        if (generation_round_)
          post_progress(GST_PROGRESS_TYPE_ERROR, "Shot " + std::to_string(shot.index) + " failed");
        generation_round_ = false;
        return;
      }
      /* A live programme never stops on a failed shot. */
      post_failure(shot, false, "the slate fills its time (a live programme goes on)");
      break;
    case OnFailure::kSkip:
      post_failure(shot, false, "it is skipped");
      shot.state = ShotState::kSkipped;
      post_shot(shot, "skipped");
      break;
    case OnFailure::kSlate:
      post_failure(shot, false, "the slate fills its time");
      break;
  }
  post_progress(GST_PROGRESS_TYPE_CONTINUE,
                "Shot " + std::to_string(shot.index) + " failed: " + shot.title);
  try_fix_format();
  update_duration();
}

void Programme::start_generations() {
  size_t count = shot_count();
  guint generating = 0;
  for (size_t i = settled_; i < std::min(count, next_to_start_); i++) {
    if (shot_at(i)->state == ShotState::kGenerating)
      generating++;
  }
  while (next_to_start_ < count && generating < settings_.max_parallel) {
    Shot &shot = *shot_at(next_to_start_++);
    start_generation(shot);
    generating++;
  }
}

void Programme::start_generation(Shot &shot) {
  /* Always the programme's own file: a shot cannot set `location`. */
  shot.path = directory_ + G_DIR_SEPARATOR_S "shot-" + std::to_string(shot.index) + ".mp4";
  shot.own_file = true;
  shot.generation = std::make_unique<ShotGeneration>(
      shot.index, shot.spec, defaults_, shot.path,
      [this](size_t index, GstMessage *message) { on_generation_message(index, message); });
  shot.state = ShotState::kGenerating;
  if (!generation_round_) {
    generation_round_ = true;
    post_progress(GST_PROGRESS_TYPE_START, "Generating the programme's shots");
  }
  post_shot(shot, "generating");
  GST_INFO_OBJECT(owner_, "shot %zu: generating \"%s\"", shot.index, shot.title.c_str());
  std::string error;
  if (!shot.generation->start(error)) {
    std::lock_guard<std::mutex> guard(lock_);
    if (!shot.failure)
      shot.failure = Failure{GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE, error, "", nullptr};
  }
}

/* Decoders for the next shot to play and the one after, so that a shot is
 * prerolled before its turn; the one on air keeps its own. */
void Programme::start_decoders() {
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return;
  for (size_t i = next_to_play_; i < next_to_play_ + 2; i++) {
    Shot *shot = shot_at(i);
    if (!shot || shot->state != ShotState::kReady || shot->decoder)
      continue;
    DecoderHooks hooks;
    hooks.message = [this](size_t index, GstMessage *message) {
      on_decoder_message(index, message);
    };
    hooks.wake = [this] { wakeup_->notify(); };
    shot->decoder = std::make_unique<ShotDecoder>(shot->index, shot->path, fmt->video_caps(),
                                                  settings_.audio_caps.get(), std::move(hooks));
    std::string error;
    if (!shot->decoder->start(error)) {
      std::lock_guard<std::mutex> guard(lock_);
      if (!shot->failure)
        shot->failure = Failure{GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE, error, "", nullptr};
    }
  }
}

/* Stops and frees its pipelines: a channel that runs all day keeps none of
 * the shots it has played. What the decoder had seen of the video stays. */
void Programme::stop_shot(Shot &shot) {
  if (shot.generation) {
    shot.generation->stop();
    shot.generation.reset();
  }
  if (shot.decoder) {
    shot.decoded_end = shot.decoder->decoded_video_end();
    shot.decoder->stop();
    shot.decoder.reset();
  }
  shot.video_head.reset();
  shot.audio_head.reset();
}

GstClockTime Programme::decoded_end(const Shot &shot) const {
  return shot.decoder ? shot.decoder->decoded_video_end() : shot.decoded_end;
}

/* One progress task per round of generation: START when a shot starts
 * generating, COMPLETE when no shot is waiting to be generated any more.
 * (gst-launch-1.0 waits for COMPLETE before PLAYING: a task spanning the
 * whole playback would never let it start.) */
void Programme::update_generation_progress() {
  if (!generation_round_)
    return;
  size_t count = shot_count();
  if (next_to_start_ < count)
    return;
  for (size_t i = settled_; i < count; i++) {
    if (shot_at(i)->state == ShotState::kGenerating)
      return;
  }
  generation_round_ = false;
  post_progress(GST_PROGRESS_TYPE_COMPLETE, "Every shot of the programme is generated");
}

/* ---- video ---- */

/* Generated, and its decoder prerolled and running. */
bool Programme::playable(const Shot &shot) const {
  return shot.state == ShotState::kReady && shot.decoder && shot.decoder->playing();
}

bool Programme::step_video() {
  int pushed = 0;
  while (pushed < kBatch && !video_ended_) {
    auto segment = std::find_if(timeline_.begin(), timeline_.end(),
                                [](const Segment &s) { return !s.video_finished; });
    if (segment == timeline_.end()) {
      if (!decide_next())
        break;
      continue;
    }
    if (!room(video_src_))
      break;
    const ProgrammeFormat *fmt = format();
    guint64 frame = segment->first_frame + segment->video_done;
    GstClockTime pts = fmt->frame_time(frame);
    if (!due(pts))
      break;
    BufferPtr buffer = next_video_frame(*segment, pts);
    if (segment->video_finished)
      continue;
    if (!buffer)
      break;
    buffer.reset(gst_buffer_make_writable(buffer.release()));
    GST_BUFFER_PTS(buffer.get()) = pts;
    GST_BUFFER_DTS(buffer.get()) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_DURATION(buffer.get()) = fmt->frame_time(frame + 1) - pts;
    GST_BUFFER_OFFSET(buffer.get()) = frame;
    GST_BUFFER_OFFSET_END(buffer.get()) = frame + 1;
    GST_BUFFER_FLAG_UNSET(buffer.get(), GST_BUFFER_FLAG_DISCONT);
    GST_BUFFER_FLAG_UNSET(buffer.get(), GST_BUFFER_FLAG_GAP);
    if (first_video_) {
      /* The format is fixed by the time the first frame goes out. */
      gst_app_src_set_caps(video_src_, fmt->video_caps());
      GST_BUFFER_FLAG_SET(buffer.get(), GST_BUFFER_FLAG_DISCONT);
    }
    first_video_ = false;
    last_video_.reset(gst_buffer_ref(buffer.get()));
    segment->video_done++;
    frames_out_ = frame + 1;
    if (!push(video_src_, std::move(buffer)))
      break;
    pushed++;
  }
  return pushed > 0;
}

/* What plays after the last segment: the next shot if it is there, its
 * slate if it failed, the slate while a live programme waits, or the end.
 * False when there is nothing to do but wait. */
bool Programme::decide_next() {
  size_t count;
  bool closed;
  {
    std::lock_guard<std::mutex> guard(lock_);
    count = shots_.size();
    closed = closed_;
  }
  guint64 first_frame = frames_out_;
  size_t k = next_to_play_;
  if (k >= count) {
    if (closed) {
      gst_app_src_end_of_stream(video_src_);
      video_ended_ = true;
      return true;
    }
    if (!settings_.live)
      return false;
    Segment waiting;
    waiting.kind = SegmentKind::kSlate;
    waiting.waiting = true;
    waiting.awaits = k;
    waiting.first_frame = first_frame;
    waiting.slate = slate_for("Please stand by");
    timeline_.push_back(std::move(waiting));
    return true;
  }
  Shot &shot = *shot_at(k);
  if (shot.state == ShotState::kSkipped) {
    next_to_play_++;
    return true;
  }
  if (shot.state == ShotState::kFailed) {
    /* on-failure=slate, or error in a live programme. */
    if (!format())
      return false;
    Segment slate;
    slate.kind = SegmentKind::kSlate;
    slate.shot = &shot;
    slate.first_frame = first_frame;
    slate.frames = planned_frames(shot);
    slate.slate = slate_for(next_title(k + 1));
    timeline_.push_back(std::move(slate));
    next_to_play_++;
    GstStructure *extra =
        gst_structure_new("extra", "slate", G_TYPE_BOOLEAN, TRUE, "start", G_TYPE_UINT64,
                          format()->frame_time(first_frame), nullptr);
    post_shot(shot, "playing", extra);
    return true;
  }
  if (playable(shot)) {
    Segment play;
    play.kind = SegmentKind::kShot;
    play.shot = &shot;
    play.first_frame = first_frame;
    if (shot.spec.duration)
      shot.length = format()->frames_in(*shot.spec.duration);
    timeline_.push_back(std::move(play));
    shot.state = ShotState::kPlaying;
    next_to_play_++;
    GstStructure *extra = gst_structure_new("extra", "start", G_TYPE_UINT64,
                                            format()->frame_time(first_frame), nullptr);
    post_shot(shot, "playing", extra);
    return true;
  }
  if (!settings_.live)
    return false;
  Segment waiting;
  waiting.kind = SegmentKind::kSlate;
  waiting.waiting = true;
  waiting.awaits = k;
  waiting.first_frame = first_frame;
  waiting.slate = slate_for("Next: " + shot.title);
  timeline_.push_back(std::move(waiting));
  return true;
}

/* A waiting slate ends as soon as what it waits for is decided: the shot is
 * ready or failed, or more shots came, or the playlist ended. */
bool Programme::waiting_over(const Segment &segment) {
  size_t count;
  bool closed;
  {
    std::lock_guard<std::mutex> guard(lock_);
    count = shots_.size();
    closed = closed_;
  }
  if (segment.awaits >= count)
    return closed;
  Shot &shot = *shot_at(segment.awaits);
  return playable(shot) || shot.state == ShotState::kFailed || shot.state == ShotState::kSkipped;
}

BufferPtr Programme::next_video_frame(Segment &segment, GstClockTime pts) {
  if (segment.kind == SegmentKind::kShot)
    return next_shot_frame(segment, pts);
  if (segment.waiting && waiting_over(segment)) {
    segment.frames = segment.video_done;
    segment.video_finished = true;
    post_slate_warning(segment);
    return nullptr;
  }
  if (segment.frames && segment.video_done >= *segment.frames) {
    segment.video_finished = true;
    return nullptr;
  }
  if (segment.slate)
    return copy_of(segment.slate.get());
  return BufferPtr(last_video_ ? gst_buffer_copy(last_video_.get()) : nullptr);
}

/* The frame of the shot for slot `video_done`: the decoded frame nearest
 * its time (videorate has put them on the programme's grid already), the
 * last one held when the clip is shorter than its slot, a repeat when a
 * live programme cannot wait. */
BufferPtr Programme::next_shot_frame(Segment &segment, GstClockTime pts) {
  Shot &shot = *segment.shot;
  const ProgrammeFormat *fmt = format();
  guint64 slot = segment.video_done;
  if (shot.length && slot >= *shot.length) {
    segment.frames = shot.length;
    segment.video_finished = true;
    return nullptr;
  }
  GstClockTime at = fmt->frame_time(slot);
  GstClockTime half = fmt->frame_duration() / 2;
  while (true) {
    if (!shot.video_head && shot.decoder)
      shot.video_head.reset(shot.decoder->pull_video());
    if (!shot.video_head)
      break;
    GstClockTime t = running_time(shot.video_head.get());
    if (GST_CLOCK_TIME_IS_VALID(t) && t + half <= at) {
      shot.last_frame = std::move(shot.video_head); /* an earlier slot's: passed */
      continue;
    }
    if (!GST_CLOCK_TIME_IS_VALID(t) || t < at + half) {
      shot.last_frame = std::move(shot.video_head);
      return copy_of(shot.last_frame.get());
    }
    /* The next frame is later than this slot: the clip starts late, or
     * skips. Show what is there. */
    return copy_of(shot.last_frame ? shot.last_frame.get() : shot.video_head.get());
  }
  bool ended = !shot.decoder || shot.decoder->video_eos() || shot.state == ShotState::kFailed;
  if (ended) {
    if (!shot.length) {
      /* Its own video decides its length, not the container's. */
      GstClockTime end = decoded_end(shot);
      guint64 frames = GST_CLOCK_TIME_IS_VALID(end) ? fmt->frames_in(end) : 0;
      shot.length = std::max(frames, slot);
      update_duration();
      if (slot >= *shot.length) {
        segment.frames = shot.length;
        segment.video_finished = true;
        return nullptr;
      }
    }
    if (shot.last_frame)
      return copy_of(shot.last_frame.get());
    return BufferPtr(last_video_ ? gst_buffer_copy(last_video_.get()) : nullptr);
  }
  /* Not decoded yet. Wait; a live programme only for so long. */
  if (settings_.live && overdue(pts + kLiveGrace)) {
    GST_DEBUG_OBJECT(owner_, "shot %zu: frame %" G_GUINT64_FORMAT " late, repeating", shot.index,
                     slot);
    if (shot.last_frame)
      return copy_of(shot.last_frame.get());
    return BufferPtr(last_video_ ? gst_buffer_copy(last_video_.get()) : nullptr);
  }
  return nullptr;
}

/* ---- audio ---- */

/* Where the segment's audio ends, in samples from its start: final once its
 * video length is known, else as far as the video is known to go. */
guint64 Programme::audio_end(const Segment &segment, bool &final) const {
  const ProgrammeFormat *fmt = format();
  std::optional<guint64> frames = segment.frames;
  if (!frames && segment.kind == SegmentKind::kShot && segment.shot->length)
    frames = segment.shot->length;
  guint64 start = fmt->sample_at_frame(segment.first_frame);
  if (frames) {
    final = true;
    return fmt->sample_at_frame(segment.first_frame + *frames) - start;
  }
  final = false;
  guint64 bound = segment.video_done;
  if (segment.kind == SegmentKind::kShot) {
    GstClockTime decoded = decoded_end(*segment.shot);
    if (GST_CLOCK_TIME_IS_VALID(decoded))
      bound = std::max(bound, fmt->frames_in(decoded));
  }
  return fmt->sample_at_frame(segment.first_frame + bound) - start;
}

bool Programme::step_audio() {
  int pushed = 0;
  while (pushed < kBatch && !audio_ended_) {
    auto segment = std::find_if(timeline_.begin(), timeline_.end(),
                                [](const Segment &s) { return !s.audio_finished; });
    if (segment == timeline_.end()) {
      if (video_ended_) {
        reap(); /* the last shot's "done" before the end of the stream */
        gst_app_src_end_of_stream(audio_src_);
        audio_ended_ = true;
      }
      break;
    }
    bool final = false;
    guint64 end = audio_end(*segment, final);
    if (segment->audio_done >= end) {
      if (!final)
        break; /* the video will tell how far */
      segment->audio_finished = true;
      continue;
    }
    if (!room(audio_src_))
      break;
    const ProgrammeFormat *fmt = format();
    guint64 sample = fmt->sample_at_frame(segment->first_frame) + segment->audio_done;
    GstClockTime pts = fmt->sample_time(sample);
    if (!due(pts))
      break;
    BufferPtr buffer = next_audio(*segment, end - segment->audio_done, pts);
    if (!buffer)
      break;
    guint64 samples = gst_buffer_get_size(buffer.get()) / fmt->bytes_per_frame();
    buffer.reset(gst_buffer_make_writable(buffer.release()));
    GST_BUFFER_PTS(buffer.get()) = pts;
    GST_BUFFER_DTS(buffer.get()) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_DURATION(buffer.get()) = fmt->sample_time(sample + samples) - pts;
    GST_BUFFER_OFFSET(buffer.get()) = sample;
    GST_BUFFER_OFFSET_END(buffer.get()) = sample + samples;
    GST_BUFFER_FLAG_UNSET(buffer.get(), GST_BUFFER_FLAG_DISCONT);
    GST_BUFFER_FLAG_UNSET(buffer.get(), GST_BUFFER_FLAG_GAP);
    if (first_audio_)
      GST_BUFFER_FLAG_SET(buffer.get(), GST_BUFFER_FLAG_DISCONT);
    first_audio_ = false;
    segment->audio_done += samples;
    samples_out_ = sample + samples;
    if (!push(audio_src_, std::move(buffer)))
      break;
    pushed++;
  }
  return pushed > 0;
}

/* Up to `want` samples of the segment's audio from where it stands: the
 * clip's own, placed by its timestamps, or silence where it has none. */
BufferPtr Programme::next_audio(Segment &segment, guint64 want, GstClockTime pts) {
  const ProgrammeFormat *fmt = format();
  const guint64 chunk = std::max<guint64>(1, fmt->samples_in(kSilenceChunk));
  auto silence = [&](guint64 samples) {
    return BufferPtr(fmt->silence(std::min({samples, want, chunk})));
  };
  Shot *shot = segment.kind == SegmentKind::kShot ? segment.shot : nullptr;
  if (!shot || !shot->decoder || !shot->decoder->has_audio())
    return silence(want);
  const guint64 tolerance = fmt->samples_in(kAudioTolerance);
  const guint64 bpf = fmt->bytes_per_frame();
  while (true) {
    if (!shot->audio_head) {
      shot->audio_head.reset(shot->decoder->pull_audio());
      shot->audio_head_used = 0;
    }
    if (!shot->audio_head) {
      if (shot->decoder->audio_eos() || shot->state == ShotState::kFailed)
        return silence(want); /* the clip's audio is shorter than its video */
      if (settings_.live && overdue(pts + kLiveGrace))
        return silence(want);
      return nullptr;
    }
    GstBuffer *head = gst_sample_get_buffer(shot->audio_head.get());
    guint64 size = head ? gst_buffer_get_size(head) / bpf : 0;
    GstClockTime t = running_time(shot->audio_head.get());
    guint64 position = (GST_CLOCK_TIME_IS_VALID(t) ? fmt->samples_in(t) : segment.audio_done) +
                       shot->audio_head_used;
    if (shot->audio_head_used >= size) {
      shot->audio_head.reset();
      continue;
    }
    if (position > segment.audio_done + tolerance)
      return silence(position - segment.audio_done); /* a gap in the clip's audio */
    if (position + tolerance < segment.audio_done) {
      /* Already covered (by silence while a live programme waited): cut. */
      shot->audio_head_used += std::min(segment.audio_done - position, size);
      continue;
    }
    guint64 take = std::min(size - shot->audio_head_used, want);
    BufferPtr part(gst_buffer_copy_region(head, GST_BUFFER_COPY_MEMORY, shot->audio_head_used * bpf,
                                          take * bpf));
    shot->audio_head_used += take;
    if (shot->audio_head_used >= size)
      shot->audio_head.reset();
    return part;
  }
}

/* Segments both pads have passed: their shots are done. */
void Programme::reap() {
  while (!timeline_.empty() && timeline_.front().video_finished &&
         timeline_.front().audio_finished) {
    Segment &segment = timeline_.front();
    if (segment.kind == SegmentKind::kShot) {
      Shot &shot = *segment.shot;
      stop_shot(shot);
      shot.last_frame.reset();
      /* Played: a channel that runs all day must not fill the disk. */
      if (shot.own_file)
        g_remove(shot.path.c_str());
      bool failed = shot.state == ShotState::kFailed;
      shot.state = failed ? ShotState::kFailed : ShotState::kDone;
      if (!failed) {
        GstStructure *extra = gst_structure_new(
            "extra", "duration", G_TYPE_UINT64,
            format()->frame_time(segment.frames.value_or(segment.video_done)), nullptr);
        post_shot(shot, "done", extra);
        post_progress(GST_PROGRESS_TYPE_CONTINUE,
                      "Shot " + std::to_string(shot.index) + " done: " + shot.title);
      }
    }
    timeline_.pop_front();
  }
}

/* ---- slates, lengths ---- */

SamplePtr Programme::slate_for(const std::string &text) {
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return nullptr;
  std::string error;
  if (!settings_.slate_image.empty() && !image_slate_failed_) {
    if (!image_slate_) {
      image_slate_.reset(render_slate_image(settings_.slate_image, fmt->video_caps(), error));
      if (!image_slate_) {
        image_slate_failed_ = true;
        GST_ELEMENT_WARNING(owner_, RESOURCE, READ,
                            ("Cannot use the slate image %s: %s; showing a plain card instead",
                             settings_.slate_image.c_str(), error.c_str()),
                            (nullptr));
      }
    }
    if (image_slate_)
      return ref_sample(image_slate_.get());
  }
  auto found = slates_.find(text);
  if (found != slates_.end())
    return ref_sample(found->second.get());
  SamplePtr card(render_slate_card(text, fmt->video_caps(), error));
  if (!card) {
    GST_WARNING_OBJECT(owner_, "cannot draw the slate card: %s", error.c_str());
    return nullptr;
  }
  /* A card per upcoming prompt: a channel that runs all day keeps a few. */
  if (slates_.size() >= kSlateCards)
    slates_.clear();
  slates_.emplace(text, ref_sample(card.get()));
  return card;
}

std::string Programme::next_title(size_t after) const {
  Shot *shot = shot_at(after);
  return shot ? "Next: " + shot->title : "Please stand by";
}

/* A shot's length in frames as far as it is known: final once played, else
 * its `duration`, else its clip's video length. */
std::optional<guint64> Programme::known_length(const Shot &shot) const {
  if (shot.length)
    return shot.length;
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return std::nullopt;
  if (shot.spec.duration)
    return fmt->frames_in(*shot.spec.duration);
  if (shot.info && GST_CLOCK_TIME_IS_VALID(shot.info->video_length))
    return fmt->frames_in(shot.info->video_length);
  if (shot.info && GST_CLOCK_TIME_IS_VALID(shot.info->duration)) {
    /* Not an MP4: the container's length, a little of a frame taken off. */
    GstClockTime slack = static_cast<GstClockTime>(fmt->frame_duration() * kEstimateSlack);
    GstClockTime duration = shot.info->duration;
    return fmt->frames_in(duration > slack ? duration - slack : 0);
  }
  return std::nullopt;
}

/* How long a failed shot's slate lasts: its duration, else the seconds it
 * asked for. */
guint64 Programme::planned_frames(const Shot &shot) const {
  const ProgrammeFormat *fmt = format();
  if (shot.spec.duration)
    return fmt->frames_in(*shot.spec.duration);
  std::string seconds = shot.spec.text("seconds");
  if (seconds.empty())
    seconds = defaults_.text("seconds");
  guint64 value = g_ascii_strtoull(seconds.c_str(), nullptr, 10);
  return fmt->frames_in((value ? value : kDefaultSeconds) * GST_SECOND);
}

/* ---- pacing ---- */

bool Programme::room(GstAppSrc *src) const {
  guint64 level = gst_app_src_get_current_level_buffers(src);
  /* Live: paced by the clock, the queue only absorbs a hiccup downstream. */
  guint64 limit = settings_.live ? 64 : (src == video_src_ ? kVideoQueue : kAudioQueue);
  return level < limit;
}

void Programme::wake_in(GstClockTime delay) {
  auto at = std::chrono::steady_clock::now() + std::chrono::nanoseconds(delay);
  if (!wake_at_ || at < *wake_at_)
    wake_at_ = at;
}

/* Live: true once the pipeline clock has reached the buffer's time, else
 * the thread is woken then. Not live: always. */
bool Programme::due(GstClockTime pts) {
  if (!settings_.live)
    return true;
  GST_OBJECT_LOCK(owner_);
  bool playing = GST_STATE(owner_) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK(owner_);
  g_autoptr(GstClock) clock = playing ? gst_element_get_clock(owner_) : nullptr;
  if (!clock)
    return false; /* woken at PLAYING */
  GstClockTime target = gst_element_get_base_time(owner_) + pts;
  GstClockTime now = gst_clock_get_time(clock);
  if (now >= target)
    return true;
  wake_in(target - now);
  return false;
}

bool Programme::overdue(GstClockTime pts) {
  GST_OBJECT_LOCK(owner_);
  bool playing = GST_STATE(owner_) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK(owner_);
  g_autoptr(GstClock) clock = playing ? gst_element_get_clock(owner_) : nullptr;
  if (!clock)
    return false;
  GstClockTime target = gst_element_get_base_time(owner_) + pts;
  GstClockTime now = gst_clock_get_time(clock);
  if (now >= target)
    return true;
  wake_in(target - now);
  return false;
}

bool Programme::push(GstAppSrc *src, BufferPtr buffer) {
  GstFlowReturn ret = gst_app_src_push_buffer(src, buffer.release());
  if (ret != GST_FLOW_OK) {
    GST_DEBUG_OBJECT(owner_, "push: %s", gst_flow_get_name(ret));
    return false;
  }
  return true;
}

/* ---- messages ---- */

void Programme::post_shot(const Shot &shot, const char *state, GstStructure *extra) {
  std::string video_id;
  guint progress;
  {
    std::lock_guard<std::mutex> guard(lock_);
    video_id = shot.video_id;
    progress = shot.progress;
  }
  GstStructure *s = gst_structure_new(
      kShotMessage, "index", G_TYPE_UINT, static_cast<guint>(shot.index), "prompt", G_TYPE_STRING,
      shot.title.c_str(), "video-id", G_TYPE_STRING, video_id.c_str(), "state", G_TYPE_STRING,
      state, "progress", G_TYPE_UINT, progress, nullptr);
  if (extra) {
    gst_structure_foreach(
        extra,
        [](GQuark field, const GValue *value, gpointer target) -> gboolean {
          gst_structure_id_set_value(static_cast<GstStructure *>(target), field, value);
          return TRUE;
        },
        s);
    gst_structure_free(extra);
  }
  gst_element_post_message(owner_, gst_message_new_element(GST_OBJECT(owner_), s));
}

void Programme::post_progress(GstProgressType type, const std::string &text) {
  size_t total = 0, generated = 0;
  {
    std::lock_guard<std::mutex> guard(lock_);
    total = shots_.size();
    for (auto &shot : shots_) {
      if (shot->generated || shot->failure)
        generated++;
    }
  }
  gint percent = total ? static_cast<gint>(generated * 100 / total) : 100;
  GstMessage *message =
      gst_message_new_progress(GST_OBJECT(owner_), type, kProgressCode, text.c_str());
  gst_structure_set(gst_message_writable_structure(message), "percent", G_TYPE_INT, percent,
                    "shots", G_TYPE_UINT, static_cast<guint>(total), nullptr);
  gst_element_post_message(owner_, message);
}

/* A failed shot, as an error (the programme stops) or a warning (it goes
 * on: `consequence` says how). Names the shot, its prompt and its task. */
void Programme::post_failure(const Shot &shot, bool as_error, const std::string &consequence) {
  Failure failure;
  std::string video_id;
  {
    std::lock_guard<std::mutex> guard(lock_);
    failure.domain = shot.failure->domain;
    failure.code = shot.failure->code;
    failure.message = shot.failure->message;
    failure.debug = shot.failure->debug;
    if (shot.failure->details)
      failure.details.reset(gst_structure_copy(shot.failure->details.get()));
    video_id = shot.video_id;
  }
  if (video_id.empty() && failure.details) {
    const char *id = gst_structure_get_string(failure.details.get(), "video-id");
    video_id = id ? id : "";
  }
  std::string text = "Shot " + std::to_string(shot.index) + " (\"" + shot.title + "\"";
  if (!video_id.empty())
    text += ", video " + video_id;
  text += ") failed: " + failure.message;
  if (!consequence.empty())
    text += "; " + consequence;
  GstStructure *details = failure.details ? gst_structure_copy(failure.details.get())
                                          : gst_structure_new_empty("details");
  gst_structure_set(details, "index", G_TYPE_UINT, static_cast<guint>(shot.index), "prompt",
                    G_TYPE_STRING, shot.title.c_str(), "video-id", G_TYPE_STRING, video_id.c_str(),
                    nullptr);
  /* The video id is the server's: shown as escapes, as soravideosrc's own texts are. */
  gst_element_message_full_with_details(
      owner_, as_error ? GST_MESSAGE_ERROR : GST_MESSAGE_WARNING, failure.domain, failure.code,
      g_strdup(sora::printable_text(text).c_str()), g_strdup(failure.debug.c_str()), __FILE__,
      GST_FUNCTION, __LINE__, details);
}

void Programme::post_slate_warning(const Segment &segment) {
  const ProgrammeFormat *fmt = format();
  GstClockTime ran = fmt->frame_time(segment.video_done);
  if (ran == 0)
    return;
  Shot *next = shot_at(segment.awaits);
  std::string title = next ? next->title : "";
  std::string text =
      next ? "The slate ran " + std::to_string(ran / GST_MSECOND) + " ms before shot " +
                 std::to_string(segment.awaits) + " (\"" + title + "\") was there"
           : "The slate ran " + std::to_string(ran / GST_MSECOND) + " ms waiting for more shots";
  GstStructure *details = gst_structure_new(
      kShotMessage, "index", G_TYPE_UINT, static_cast<guint>(segment.awaits), "prompt",
      G_TYPE_STRING, title.c_str(), "state", G_TYPE_STRING, "slate", "start", G_TYPE_UINT64,
      fmt->frame_time(segment.first_frame), "slate-duration", G_TYPE_UINT64, ran, nullptr);
  gst_element_message_full_with_details(owner_, GST_MESSAGE_WARNING, GST_STREAM_ERROR,
                                        GST_STREAM_ERROR_FAILED, g_strdup(text.c_str()), nullptr,
                                        __FILE__, GST_FUNCTION, __LINE__, details);
}

/* Not live: the programme's length once it is closed and every shot's is
 * known (estimates from the containers first, then their real lengths). */
void Programme::update_duration() {
  if (settings_.live)
    return;
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return;
  std::optional<guint64> frames = 0;
  size_t count = shot_count();
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (!closed_)
      frames.reset();
  }
  for (size_t i = 0; i < count && frames; i++) {
    Shot &shot = *shot_at(i);
    if (shot.state == ShotState::kSkipped)
      continue;
    std::optional<guint64> length = known_length(shot);
    GST_LOG_OBJECT(owner_, "shot %zu: %s frames", i,
                   length ? std::to_string(*length).c_str() : "unknown");
    if (shot.state == ShotState::kFailed && !shot.length)
      *frames += settings_.on_failure == OnFailure::kSlate ? planned_frames(shot) : 0;
    else if (length)
      *frames += *length;
    else
      frames.reset();
  }
  if (!frames)
    return;
  GstClockTime total = fmt->frame_time(*frames);
  bool changed;
  {
    std::lock_guard<std::mutex> guard(lock_);
    changed = duration_ != total;
    duration_ = total;
  }
  if (changed)
    gst_element_post_message(owner_, gst_message_new_duration_changed(GST_OBJECT(owner_)));
}

}  // namespace sora::playlist
