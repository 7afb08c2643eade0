/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "programme.h"
#include "programme_internal.h"

#include "slate_cards.h"

#include "core/printable_text.h"

#include <glib/gstdio.h>
#include <pthread.h>

#include <algorithm>
#include <cstring>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

using namespace programme_internal;

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
    if (!shot)
      continue; /* played and forgotten */
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
    index = shot->index = first_index_ + shots_.size();
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
  if (index < first_index_ || index - first_index_ >= shots_.size())
    return nullptr;
  return shots_[index - first_index_].get();
}

size_t Programme::shot_count() const {
  std::lock_guard<std::mutex> guard(lock_);
  return first_index_ + shots_.size();
}

const ProgrammeFormat *Programme::format() const {
  std::lock_guard<std::mutex> guard(lock_);
  return format_.get();
}

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
    total = first_index_ + shots_.size();
    generated = first_index_; /* forgotten: played */
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

}  // namespace sora::playlist
