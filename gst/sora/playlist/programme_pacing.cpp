/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Pacing and the slate: when a buffer is due (a live programme runs on
 * the pipeline clock, from the running time it started at) and the slate
 * cards the programme shows, rendered ahead by SlateCards. */
#include "programme.h"
#include "programme_internal.h"

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

using namespace programme_internal;

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

}  // namespace sora::playlist
