/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The slate: the still frame a programme shows when a shot is not there
 * (a live programme waiting for a late shot, or a failed shot under
 * on-failure=slate). Either the user's image, scaled into the programme's
 * frame with its aspect ratio kept, or a plain card that says what comes
 * next. Rendered with a short GStreamer pipeline, on the calling thread
 * (SlateCards calls these on its own, ahead of need); `cancel` set makes a
 * render give up within a few tens of milliseconds. */
#pragma once

#include "gst_ptr.h"

#include <gst/gst.h>

#include <atomic>
#include <string>

namespace sora::playlist {

/* One frame in `caps` (fixed raw video): the image at `image_path`. Null,
 * with `error` set, when it cannot be read or decoded. */
GstSample *render_slate_image(const std::string &image_path, GstCaps *caps, std::string &error,
                              const std::atomic<bool> &cancel);

/* One frame in `caps`: a dark card with `text` in the middle. */
GstSample *render_slate_card(const std::string &text, GstCaps *caps, std::string &error,
                             const std::atomic<bool> &cancel);

}  // namespace sora::playlist
