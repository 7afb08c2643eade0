/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The programme's output: each segment's frames and audio taken from its
 * decoder (already normalised to the programme's format by ShotDecoder),
 * placed on the programme's frame and sample grid, held, repeated, cut or
 * filled with silence, and pushed into the appsrcs as they have room. */
#include "programme.h"
#include "programme_internal.h"

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

using namespace programme_internal;

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

}  // namespace sora::playlist
