/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The shots' side of the programme: their generations and decoders
 * started, watched through their buses (the hooks run on the shots'
 * threads and only record, under lock_), and the programme thread's answer
 * to what changed: a clip on disk, a decoder prerolled, a failure. */
#include "programme.h"
#include "programme_internal.h"

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

using namespace programme_internal;

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

/* A shot's error or warning, from either of its pipelines; false for
 * any other message. */
bool Programme::record_failure_or_warning(Shot &shot, GstMessage *message) {
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR)
    record_failure(shot, message);
  else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING)
    forward_warning(shot, message);
  else
    return false;
  return true;
}

void Programme::on_generation_message(size_t index, GstMessage *message) {
  Shot *shot = shot_at(index);
  if (!shot || record_failure_or_warning(*shot, message))
    return;
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure(message);
      const char *video_id = s ? gst_structure_get_string(s, "video-id") : nullptr;
      guint progress = 0;
      bool status = s && gst_structure_has_name(s, "sora-status");
      bool reported = status && gst_structure_get_uint(s, "progress", &progress);
      /* soravideosrc's run ended with the clip verified and at its location
       * (its PROGRESS completes earlier, once the clip starts to flow). */
      if (status && g_strcmp0(gst_structure_get_string(s, "phase"), "completed") == 0 &&
          gst_structure_has_field(s, "size")) {
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
  if (!shot || record_failure_or_warning(*shot, message))
    return;
  switch (GST_MESSAGE_TYPE(message)) {
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

/* Generated, and its decoder prerolled and running. */
bool Programme::playable(const Shot &shot) const {
  return shot.state == ShotState::kReady && shot.decoder && shot.decoder->playing();
}

}  // namespace sora::playlist
