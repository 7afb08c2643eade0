/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The programme's timeline: which segment (a shot, or the slate) plays
 * after the last, where a seek falls (the shots' lengths, in frames, from
 * the programme's start), the shots' lengths as far as they are known, and
 * the duration they add up to. */
#include "programme.h"
#include "programme_internal.h"

#include <glib/gstdio.h>

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

using namespace programme_internal;

/* What plays after the last segment: the next shot if it is there, its
 * slate if it failed, the slate while a live programme waits, or the end.
 * False when there is nothing to do but wait. */
bool Programme::decide_next() {
  size_t count;
  bool closed;
  {
    std::lock_guard<std::mutex> guard(lock_);
    count = first_index_ + shots_.size();
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
    add_waiting_slate(k, first_frame, kStandBy);
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
  add_waiting_slate(k, first_frame, "Next: " + shot.title);
  return true;
}

/* Live: a channel that runs all day keeps none of the shots it played,
 * not even their entries: those before the first the timeline or the
 * scheduler may still look at are dropped (not live, they stay, for a
 * seek back and the duration). */
void Programme::forget_played_shots() {
  if (!settings_.live)
    return;
  size_t keep = std::min(settled_, next_to_play_);
  for (const Segment &segment : timeline_) {
    if (segment.shot)
      keep = std::min(keep, segment.shot->index);
  }
  std::lock_guard<std::mutex> guard(lock_);
  while (!shots_.empty() && shots_.front()->index < keep) {
    shots_.pop_front();
    first_index_++;
  }
}

/* Live: the slate from `first_frame` until shot `awaits` is decided. */
void Programme::add_waiting_slate(size_t awaits, guint64 first_frame, const std::string &text) {
  Segment waiting;
  waiting.kind = SegmentKind::kSlate;
  waiting.waiting = true;
  waiting.awaits = awaits;
  waiting.first_frame = first_frame;
  waiting.slate_text = text;
  waiting.slate = slate_for(text);
  timeline_.push_back(std::move(waiting));
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
    count = first_index_ + shots_.size();
    closed = closed_;
  }
  if (segment.awaits >= count)
    return closed;
  Shot &shot = *shot_at(segment.awaits);
  return playable(shot) || shot.state == ShotState::kFailed || shot.state == ShotState::kSkipped;
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
  forget_played_shots();
}

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

std::string Programme::next_title(size_t after) const {
  Shot *shot = shot_at(after);
  return shot ? "Next: " + shot->title : kStandBy;
}

}  // namespace sora::playlist
