/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* InterruptedCreateSearch: which task of the server's list a create request
 * made when the process that sent it died before reading the answer (the
 * journal holds only "creating" and when it was sent).
 *
 * A task matches when it carries the request's prompt, and its model,
 * seconds and size where the server says them, and was created within a
 * window around the send time (clocks differ, and a server may take the
 * whole I/O timeout to answer). Only a single match is trusted: none, or
 * several (the same request paid twice on purpose with cache-mode=refresh,
 * say), and the user decides. The list is read newest first, page by page,
 * until a page reaches tasks older than the window. */
#pragma once

#include "core/video_object.h"
#include "core/video_request.h"

#include <glib.h>
#include <string>
#include <vector>

namespace sora {

class InterruptedCreateSearch {
 public:
  /* `sent_us`: g_get_real_time() when the create was journalled;
   * `timeout_s`: the I/O timeout the create was sent with. */
  InterruptedCreateSearch(const VideoRequest &request, gint64 sent_us, unsigned timeout_s);

  /* Takes one page of the list, newest first. True while older tasks may
   * still fall in the window: the next page is worth reading. */
  bool add_page(const VideoPage &page);

  const std::vector<std::string> &matches() const { return matches_; }

 private:
  bool matches_request(const VideoObject &video) const;

  VideoRequest request_;
  gint64 earliest_s_;
  gint64 latest_s_;
  std::vector<std::string> matches_;
};

}  // namespace sora
