/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The programme's format: what downstream of the video pad accepts,
 * fixed once the first shot is there (or at once), and negotiated again at
 * a shot boundary when downstream sends RECONFIGURE. */
#include "programme.h"
#include "programme_internal.h"

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

using namespace programme_internal;

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
    count = first_index_ + shots_.size();
  }
  for (size_t i = first_index_; i < count && !found; i++) {
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

}  // namespace sora::playlist
