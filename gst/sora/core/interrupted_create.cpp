/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/interrupted_create.h"

#include <algorithm>

namespace sora {

namespace {

/* How far the server's clock may be from ours, either way. */
constexpr gint64 kClockSkewS = 300;

/* Equal, or the server did not say. */
bool agrees(const std::string &reported, const std::string &wanted) {
  return reported.empty() || wanted.empty() || reported == wanted;
}

}  // namespace

InterruptedCreateSearch::InterruptedCreateSearch(const VideoRequest &request, gint64 sent_us,
                                                 unsigned timeout_s)
    : request_(request),
      earliest_s_(sent_us / G_USEC_PER_SEC - kClockSkewS),
      latest_s_(sent_us / G_USEC_PER_SEC + gint64{timeout_s} + kClockSkewS) {}

bool InterruptedCreateSearch::matches_request(const VideoObject &video) const {
  if (!video.created_at || *video.created_at < earliest_s_ || *video.created_at > latest_s_)
    return false;
  /* The prompt is what tells one request from another: a server that does
   * not list it cannot tell. */
  if (video.prompt.empty() || video.prompt != request_.prompt)
    return false;
  return agrees(video.model, request_.model) &&
         agrees(video.seconds, request_.seconds ? std::to_string(request_.seconds) : "") &&
         agrees(video.size, request_.size);
}

bool InterruptedCreateSearch::add_page(const VideoPage &page) {
  bool older_than_window = false;
  for (const VideoObject &video : page.videos) {
    if (video.created_at && *video.created_at < earliest_s_)
      older_than_window = true;
    if (matches_request(video) &&
        std::find(matches_.begin(), matches_.end(), video.id) == matches_.end())
      matches_.push_back(video.id);
  }
  return page.has_more && !older_than_window;
}

}  // namespace sora
