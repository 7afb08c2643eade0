/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "programme.h"

#include "slate_cards.h"

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
constexpr char kStandBy[] = "Please stand by";

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
    GstCaps *video_caps = negotiated_video_caps(settings_.video_caps.get(), fallback);
    if (video_caps)
      format_ =
          std::make_unique<ProgrammeFormat>(video_caps, gst_caps_ref(settings_.audio_caps.get()));
  }

  cards_ = std::make_unique<SlateCards>(owner_, settings_.slate_image,
                                        [wakeup = wakeup_] { wakeup->notify(); });
  if (format_)
    prepare_slates(0);

  /* Where the clips wait for their turn; the run posts an error if none. */
  g_autofree char *directory = g_dir_make_tmp("gst-sora-programme-XXXXXX", nullptr);
  directory_ = directory ? directory : "";

  GstAppSrcCallbacks callbacks = {};
  callbacks.need_data = [](GstAppSrc *, guint, gpointer wakeup) {
    (*static_cast<std::shared_ptr<Wakeup> *>(wakeup))->notify();
  };
  callbacks.seek_data = [](GstAppSrc *, guint64 offset, gpointer data) -> gboolean {
    Wakeup &wakeup = **static_cast<std::shared_ptr<Wakeup> *>(data);
    return wakeup.seeking.load() || (offset == 0 && wakeup.initial_seeks.fetch_sub(1) > 0);
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
  cards_->stop();
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
  end_wait(GST_PROGRESS_TYPE_CANCELED, "The programme was stopped");
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
  std::string text = shot_label(shot.index) + " (\"" + shot.title +
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
    case GST_MESSAGE_PROGRESS: {
      GstProgressType type;
      g_autofree char *code = nullptr;
      gst_message_parse_progress(message, &type, &code, nullptr);
      /* soravideosrc's COMPLETE: the clip is verified and at its location. */
      if (type == GST_PROGRESS_TYPE_COMPLETE && g_strcmp0(code, "sora-generate") == 0) {
        {
          std::lock_guard<std::mutex> guard(lock_);
          shot->generated = true;
        }
        wakeup_->notify();
      }
      break;
    }
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure(message);
      const char *video_id = s ? gst_structure_get_string(s, "video-id") : nullptr;
      guint progress = 0;
      bool status = s && gst_structure_has_name(s, "sora-status");
      if (status)
        gst_structure_get_uint(s, "progress", &progress);
      bool changed = false;
      {
        std::lock_guard<std::mutex> guard(lock_);
        if (video_id && *video_id && shot->video_id != video_id) {
          shot->video_id = video_id;
          changed = true;
        }
        if (status && progress != shot->progress) {
          shot->progress = progress;
          changed = true;
        }
      }
      /* The progress of a generating shot, as its server reports it. */
      if (status && changed)
        post_shot(*shot, "generating");
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
  GstCaps *video_caps = negotiated_video_caps(settings_.video_caps.get(), shape);
  if (!video_caps)
    return;
  GST_INFO_OBJECT(owner_, "programme format %" GST_PTR_FORMAT, video_caps);
  {
    std::lock_guard<std::mutex> guard(lock_);
    format_ =
        std::make_unique<ProgrammeFormat>(video_caps, gst_caps_ref(settings_.audio_caps.get()));
  }
  prepare_slates(next_to_play_);
}

/* What downstream of the video pad takes, narrowed by `requested`, nearest
 * `shape`; when nothing fits, what `requested` alone gives (the appsrc's
 * not-negotiated error, which the bin posts, then says why). */
GstCaps *Programme::negotiated_video_caps(const GstCaps *requested, const FrameShape &shape) {
  g_autoptr(GstPad) pad = gst_element_get_static_pad(owner_, "video");
  g_autoptr(GstCaps) downstream = pad ? gst_pad_peer_query_caps(pad, nullptr) : nullptr;
  GstCaps *caps = negotiate_video_caps(requested, downstream, shape);
  if (!caps) {
    GST_WARNING_OBJECT(owner_, "nothing downstream takes fits video-caps: %" GST_PTR_FORMAT,
                       downstream);
    caps = programme_video_caps(requested, shape);
  }
  return caps;
}

void Programme::reconfigure() {
  reconfigure_.store(true);
  wakeup_->notify();
}

/* Downstream asked for another format (a RECONFIGURE event): at a shot
 * boundary, the video format is negotiated again, at the same frame rate
 * (the programme's timestamps count frames of it); the shots not on air yet
 * are decoded again in the new format. The audio keeps its format. */
void Programme::renegotiate_video() {
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return;
  const GstVideoInfo &info = fmt->video();
  FrameShape current{GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info),
                     GST_VIDEO_INFO_FPS_N(&info), GST_VIDEO_INFO_FPS_D(&info)};
  CapsPtr narrow(settings_.video_caps && !gst_caps_is_empty(settings_.video_caps.get()) &&
                         !gst_caps_is_any(settings_.video_caps.get())
                     ? gst_caps_copy(settings_.video_caps.get())
                     : gst_caps_new_empty_simple("video/x-raw"));
  gst_caps_set_simple(narrow.get(), "framerate", GST_TYPE_FRACTION, current.fps_n, current.fps_d,
                      nullptr);
  g_autoptr(GstPad) pad = gst_element_get_static_pad(owner_, "video");
  g_autoptr(GstCaps) downstream = pad ? gst_pad_peer_query_caps(pad, nullptr) : nullptr;
  CapsPtr caps(negotiate_video_caps(narrow.get(), downstream, current));
  if (!caps || gst_caps_is_equal(caps.get(), fmt->video_caps()))
    return;
  GST_INFO_OBJECT(owner_, "downstream asked for another format: %" GST_PTR_FORMAT, caps.get());
  {
    std::lock_guard<std::mutex> guard(lock_);
    format_ = std::make_unique<ProgrammeFormat>(caps.release(), gst_caps_ref(fmt->audio_caps()));
  }
  cards_->set_caps(format()->video_caps());
  last_video_.reset();
  for (size_t i = next_to_play_; i < next_to_play_ + 2; i++) {
    Shot *shot = shot_at(i);
    if (!shot || shot->state != ShotState::kReady || !shot->decoder)
      continue;
    shot->decoder->stop();
    shot->decoder.reset();
    shot->video_head.reset();
    shot->audio_head.reset();
    std::lock_guard<std::mutex> guard(lock_);
    shot->decoded = false;
  }
  wakeup_->notify(); /* their new decoders start on the next pass */
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
    bool seeking = !apply_seek();
    start_decoders();
    bool progressed = !seeking && step_video();
    progressed = (!seeking && step_audio()) || progressed;
    reap();
    if (failed_)
      break;
    /* Not live, the programme waits at its end for a seek back. */
    if (video_ended_ && audio_ended_ && settings_.live)
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
  continue_wait(shot_label(shot.index) + " ready: " + shot.title);
  try_fix_format();
  update_duration();
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

  if (was == ShotState::kPlaying) {
    /* Part of it is on air: the rest holds its last frame. */
    bool fatal = settings_.on_failure == OnFailure::kError && !settings_.live;
    post_failure(shot, fatal, "its last frame holds for the rest of its time");
    if (fatal) {
      failed_ = true;
      end_wait(GST_PROGRESS_TYPE_ERROR, shot_label(shot.index) + " failed");
    }
    shot.state = ShotState::kPlaying;
    return;
  }
  switch (settings_.on_failure) {
    case OnFailure::kError:
      if (!settings_.live) {
        post_failure(shot, true, "");
        failed_ = true;
        end_wait(GST_PROGRESS_TYPE_ERROR, shot_label(shot.index) + " failed");
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
  continue_wait(shot_label(shot.index) + " failed: " + shot.title);
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
  post_shot(shot, "generating");
  GST_INFO_OBJECT(owner_, "%s: generating \"%s\"", shot_label(shot.index).c_str(),
                  shot.title.c_str());
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

/* PROGRESS as GStreamer means it: a task spans what the programme blocks
 * on, waiting for the shot it must play next to be generated (the first
 * one, so gst-launch-1.0 plays as soon as it can; later, a shot that is
 * late), and completes as that shot starts playing. A live programme never
 * waits: the slate plays. */
void Programme::begin_wait(const Shot &shot) {
  if (waiting_ || settings_.live)
    return;
  if (shot.state != ShotState::kQueued && shot.state != ShotState::kGenerating)
    return; /* generated: its decoder prerolls in milliseconds */
  waiting_ = true;
  post_progress(GST_PROGRESS_TYPE_START,
                "Waiting for " + shot_label(shot.index) + " to be generated: " + shot.title);
}

void Programme::continue_wait(const std::string &text) {
  if (waiting_)
    post_progress(GST_PROGRESS_TYPE_CONTINUE, text);
}

void Programme::end_wait(GstProgressType type, const std::string &text) {
  if (!waiting_)
    return;
  waiting_ = false;
  post_progress(type, text);
}

/* ---- seeking ---- */

void Programme::hold_for_seek() {
  std::lock_guard<std::mutex> guard(push_lock_);
  seek_hold_ = true;
  wakeup_->seeking.store(true);
}

void Programme::seek_to(std::optional<GstClockTime> position) {
  {
    std::lock_guard<std::mutex> guard(push_lock_);
    seek_hold_ = false;
    wakeup_->seeking.store(false);
    if (position)
      seek_target_ = position;
  }
  wakeup_->notify();
}

/* Moves the programme to the seek's position: the shot it falls in plays
 * from there (decoded from its start, the frames before the position
 * passed over: exact whatever the clip's keyframes), everything after as
 * before. False while it cannot yet: the format is not known, or a shot
 * before the position is not generated, so its length is not known (a
 * seek into a shot not yet generated waits for it). */
bool Programme::apply_seek() {
  std::optional<GstClockTime> target;
  {
    std::lock_guard<std::mutex> guard(push_lock_);
    if (seek_hold_)
      return false;
    target = seek_target_;
  }
  if (!target)
    return true;
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return false;
  guint64 wanted = fmt->frames_before(*target);
  size_t count = shot_count();
  guint64 start = 0;
  size_t k = 0;
  for (; k < count; k++) {
    Shot &shot = *shot_at(k);
    std::optional<guint64> length;
    if (shot.state == ShotState::kSkipped)
      length = 0;
    else if (shot.state == ShotState::kFailed && !shot.length)
      length = settings_.on_failure == OnFailure::kSlate ? planned_frames(shot) : 0;
    else if (shot.state != ShotState::kQueued && shot.state != ShotState::kGenerating)
      length = known_length(shot);
    if (!length) {
      begin_wait(shot);
      return false;
    }
    if (wanted < start + *length)
      break;
    start += *length;
  }
  GST_INFO_OBJECT(owner_, "seek to %" GST_TIME_FORMAT ": %s, frame %" G_GUINT64_FORMAT,
                  GST_TIME_ARGS(*target), k < count ? shot_label(k).c_str() : "the end",
                  wanted - start);
  /* Every shot on air or played stops; those from the position on play again. */
  for (size_t i = 0; i < count; i++) {
    Shot &shot = *shot_at(i);
    if (shot.state != ShotState::kPlaying && shot.state != ShotState::kDone && !shot.decoder)
      continue;
    stop_shot(shot);
    shot.last_frame.reset();
    if (shot.state == ShotState::kPlaying || shot.state == ShotState::kDone)
      shot.state = i < k ? ShotState::kDone : ShotState::kReady;
    std::lock_guard<std::mutex> guard(lock_);
    shot.decoded = false;
  }
  timeline_.clear();
  next_to_play_ = k;
  settled_ = std::min(settled_, k);
  frames_out_ = start;
  samples_out_ = fmt->sample_at_frame(start);
  seek_offset_ = k < count ? wanted - start : 0;
  first_video_ = first_audio_ = true;
  video_ended_ = audio_ended_ = false;
  last_video_.reset();
  std::lock_guard<std::mutex> guard(push_lock_);
  seek_target_.reset();
  return true;
}

/* ---- video ---- */

/* Generated, and its decoder prerolled and running. */
bool Programme::playable(const Shot &shot) const {
  return shot.state == ShotState::kReady && shot.decoder && shot.decoder->playing();
}

bool Programme::step_video() {
  if (settings_.live && !clock_running())
    return false; /* what plays is decided once the clock runs */
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
    GST_BUFFER_PTS(buffer.get()) = out_time(pts);
    GST_BUFFER_DTS(buffer.get()) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_DURATION(buffer.get()) = fmt->frame_time(frame + 1) - pts;
    GST_BUFFER_OFFSET(buffer.get()) = frame;
    GST_BUFFER_OFFSET_END(buffer.get()) = frame + 1;
    GST_BUFFER_FLAG_UNSET(buffer.get(), GST_BUFFER_FLAG_DISCONT);
    GST_BUFFER_FLAG_UNSET(buffer.get(), GST_BUFFER_FLAG_GAP);
    if (!video_caps_out_ || !gst_caps_is_equal(video_caps_out_.get(), fmt->video_caps())) {
      /* The format is fixed by the time the first frame goes out; it
       * changes at a shot boundary when downstream asks. */
      gst_app_src_set_caps(video_src_, fmt->video_caps());
      video_caps_out_ = ref_caps(fmt->video_caps());
    }
    if (first_video_)
      GST_BUFFER_FLAG_SET(buffer.get(), GST_BUFFER_FLAG_DISCONT);
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
  if (reconfigure_.exchange(false))
    renegotiate_video();
  guint64 first_frame = frames_out_;
  size_t k = next_to_play_;
  if (k >= count) {
    if (closed) {
      end_wait(GST_PROGRESS_TYPE_COMPLETE, "The programme ends");
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
    waiting.slate_text = kStandBy;
    waiting.slate = slate_for(waiting.slate_text);
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
    start_at_seek(slate);
    slate.slate_text = next_title(k + 1);
    slate.slate = slate_for(slate.slate_text);
    timeline_.push_back(std::move(slate));
    next_to_play_++;
    GstStructure *extra =
        gst_structure_new("extra", "slate", G_TYPE_BOOLEAN, TRUE, "start", G_TYPE_UINT64,
                          out_time(format()->frame_time(first_frame)), nullptr);
    post_shot(shot, "playing", extra);
    end_wait(GST_PROGRESS_TYPE_COMPLETE, "The slate plays in " + shot_label(k) + "'s place");
    return true;
  }
  if (playable(shot)) {
    Segment play;
    play.kind = SegmentKind::kShot;
    play.shot = &shot;
    play.first_frame = first_frame;
    start_at_seek(play);
    if (shot.spec.duration)
      shot.length = format()->frames_in(*shot.spec.duration);
    timeline_.push_back(std::move(play));
    shot.state = ShotState::kPlaying;
    next_to_play_++;
    GstStructure *extra = gst_structure_new("extra", "start", G_TYPE_UINT64,
                                            out_time(format()->frame_time(first_frame)), nullptr);
    post_shot(shot, "playing", extra);
    end_wait(GST_PROGRESS_TYPE_COMPLETE, shot_label(k) + " plays: " + shot.title);
    prepare_slates(k + 1);
    return true;
  }
  if (!settings_.live) {
    begin_wait(shot);
    return false;
  }
  Segment waiting;
  waiting.kind = SegmentKind::kSlate;
  waiting.waiting = true;
  waiting.awaits = k;
  waiting.first_frame = first_frame;
  waiting.slate_text = "Next: " + shot.title;
  waiting.slate = slate_for(waiting.slate_text);
  timeline_.push_back(std::move(waiting));
  return true;
}

/* After a seek, the first segment starts where the seek fell in it. */
void Programme::start_at_seek(Segment &segment) {
  if (!seek_offset_)
    return;
  const ProgrammeFormat *fmt = format();
  segment.video_done = *seek_offset_;
  segment.audio_done = fmt->sample_at_frame(segment.first_frame + *seek_offset_) -
                       fmt->sample_at_frame(segment.first_frame);
  frames_out_ = segment.first_frame + segment.video_done;
  samples_out_ = fmt->sample_at_frame(frames_out_);
  seek_offset_.reset();
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
  if (!segment.slate)
    segment.slate = slate_for(segment.slate_text);
  if (segment.slate && *segment.slate)
    return copy_of(segment.slate->get());
  if (!segment.slate && !settings_.live)
    return nullptr; /* rendering: not live, the programme waits for it */
  /* Live while it renders, or a card that cannot be drawn: the last frame. */
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
    GST_DEBUG_OBJECT(owner_, "%s: frame %" G_GUINT64_FORMAT " late, repeating",
                     shot_label(shot.index).c_str(), slot);
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
  if (settings_.live && !clock_running())
    return false;
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
    GST_BUFFER_PTS(buffer.get()) = out_time(pts);
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
      /* Played: a live channel that runs all day must not fill the disk; not
       * live, the clip stays for a seek back (removed when the run ends). */
      if (shot.own_file && settings_.live) {
        g_remove(shot.path.c_str());
        shot.own_file = false;
      }
      bool failed = shot.state == ShotState::kFailed;
      shot.state = failed ? ShotState::kFailed : ShotState::kDone;
      if (!failed) {
        GstStructure *extra = gst_structure_new(
            "extra", "duration", G_TYPE_UINT64,
            format()->frame_time(segment.frames.value_or(segment.video_done)), nullptr);
        post_shot(shot, "done", extra);
      }
    }
    timeline_.pop_front();
  }
}

/* ---- slates, lengths ---- */

/* The slate for `text` once SlateCards has rendered it (it renders them
 * ahead); nothing while it renders; a null sample when it cannot be drawn
 * (the last frame then stands in). */
std::optional<SamplePtr> Programme::slate_for(const std::string &text) {
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return std::nullopt;
  cards_->set_caps(fmt->video_caps());
  return cards_->get(text);
}

/* The cards the programme may show next, rendered while nothing waits. */
void Programme::prepare_slates(size_t next) {
  const ProgrammeFormat *fmt = format();
  if (!fmt)
    return;
  cards_->set_caps(fmt->video_caps());
  cards_->prepare(next_title(next));
  if (settings_.live)
    cards_->prepare(kStandBy);
}

std::string Programme::next_title(size_t after) const {
  Shot *shot = shot_at(after);
  return shot ? "Next: " + shot->title : kStandBy;
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
  if (outputs_decided_ && !output_on(src))
    return true;
  /* Live: paced by the clock, the queue only absorbs a hiccup downstream,
   * as much of it as the bin's max-latency says. */
  if (settings_.live)
    return gst_app_src_get_current_level_time(src) < kLiveQueueTime;
  guint64 level = gst_app_src_get_current_level_buffers(src);
  return level < (src == video_src_ ? kVideoQueue : kAudioQueue);
}

void Programme::wake_in(GstClockTime delay) {
  auto at = std::chrono::steady_clock::now() + std::chrono::nanoseconds(delay);
  if (!wake_at_ || at < *wake_at_)
    wake_at_ = at;
}

/* Live: the clock runs for the bin (it is PLAYING). The first time, the
 * running time then becomes the programme's time 0, as a live source
 * stamps what it captures: a bin added to a pipeline that has played for
 * a while starts there, paced from its start, never in a burst. */
bool Programme::clock_running() {
  if (live_offset_)
    return true;
  GST_OBJECT_LOCK(owner_);
  bool playing = GST_STATE(owner_) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK(owner_);
  g_autoptr(GstClock) clock = playing ? gst_element_get_clock(owner_) : nullptr;
  if (!clock)
    return false; /* woken at PLAYING */
  GstClockTime now = gst_clock_get_time(clock);
  GstClockTime base = gst_element_get_base_time(owner_);
  live_offset_ = now > base ? now - base : 0;
  GST_INFO_OBJECT(owner_, "the programme starts at running time %" GST_TIME_FORMAT,
                  GST_TIME_ARGS(*live_offset_));
  return true;
}

/* Where programme time `pts` is in the bin's output: the running time for
 * a live programme, itself otherwise. */
GstClockTime Programme::out_time(GstClockTime pts) const {
  return pts + live_offset_.value_or(0);
}

/* Live: true once the pipeline clock has reached programme time `pts`,
 * else the thread is woken then. Not live: always. */
bool Programme::due(GstClockTime pts) {
  return !settings_.live || overdue(pts);
}

bool Programme::overdue(GstClockTime pts) {
  if (!clock_running())
    return false;
  g_autoptr(GstClock) clock = gst_element_get_clock(owner_);
  if (!clock)
    return false;
  GstClockTime target = gst_element_get_base_time(owner_) + out_time(pts);
  GstClockTime now = gst_clock_get_time(clock);
  if (now >= target)
    return true;
  wake_in(target - now);
  return false;
}

/* One pad alone is a programme of that pad: the other's buffers are made
 * (the timeline and the pacing need them) but go nowhere. Neither linked:
 * both are pushed, and the appsrc's not-linked error becomes the bin's. */
void Programme::decide_outputs() {
  outputs_decided_ = true;
  auto linked = [this](const char *name) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad(owner_, name);
    return pad && gst_pad_is_linked(pad);
  };
  bool video = linked("video");
  bool audio = linked("audio");
  if (video != audio) {
    video_on_ = video;
    audio_on_ = audio;
    GST_INFO_OBJECT(owner_, "only the %s pad is linked: the programme plays it alone",
                    video ? "video" : "audio");
  }
}

bool Programme::push(GstAppSrc *src, BufferPtr buffer) {
  if (!outputs_decided_)
    decide_outputs();
  if (!output_on(src))
    return true;
  std::lock_guard<std::mutex> guard(push_lock_);
  if (seek_hold_ || seek_target_)
    return false; /* a seek: this buffer is from before it */
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
      kShotMessage, "index", G_TYPE_UINT, static_cast<guint>(shot.index), "number", G_TYPE_UINT,
      static_cast<guint>(shot.index + 1), "prompt", G_TYPE_STRING, shot.title.c_str(), "video-id",
      G_TYPE_STRING, video_id.c_str(), "state", G_TYPE_STRING, state, "progress", G_TYPE_UINT,
      progress, nullptr);
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
  std::string text = shot_label(shot.index) + " (\"" + shot.title + "\"";
  if (!video_id.empty())
    text += ", video " + video_id;
  text += ") failed: " + failure.message;
  if (!consequence.empty())
    text += "; " + consequence;
  GstStructure *details = failure.details ? gst_structure_copy(failure.details.get())
                                          : gst_structure_new_empty("details");
  gst_structure_set(details, "index", G_TYPE_UINT, static_cast<guint>(shot.index), "number",
                    G_TYPE_UINT, static_cast<guint>(shot.index + 1), "prompt", G_TYPE_STRING,
                    shot.title.c_str(), "video-id", G_TYPE_STRING, video_id.c_str(), nullptr);
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
      next ? "The slate ran " + std::to_string(ran / GST_MSECOND) + " ms before " +
                 shot_label(segment.awaits) + " (\"" + title + "\") was there"
           : "The slate ran " + std::to_string(ran / GST_MSECOND) + " ms waiting for more shots";
  GstStructure *details =
      gst_structure_new(kShotMessage, "index", G_TYPE_UINT, static_cast<guint>(segment.awaits),
                        "number", G_TYPE_UINT, static_cast<guint>(segment.awaits + 1), "prompt",
                        G_TYPE_STRING, title.c_str(), "state", G_TYPE_STRING, "slate", "start",
                        G_TYPE_UINT64, out_time(fmt->frame_time(segment.first_frame)),
                        "slate-duration", G_TYPE_UINT64, ran, nullptr);
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
    GST_LOG_OBJECT(owner_, "%s: %s frames", shot_label(i).c_str(),
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
  if (changed) {
    /* The appsrcs' too: their SEEKING answer gives it as the end. */
    gst_app_src_set_duration(video_src_, total);
    gst_app_src_set_duration(audio_src_, total);
    gst_element_post_message(owner_, gst_message_new_duration_changed(GST_OBJECT(owner_)));
  }
}

}  // namespace sora::playlist
