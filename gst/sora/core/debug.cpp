/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/debug.h"

GST_DEBUG_CATEGORY(sora_debug);
GST_DEBUG_CATEGORY(sora_http_debug);

namespace sora {

void init_debug_categories() {
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    GST_DEBUG_CATEGORY_INIT(sora_debug, "sora", 0, "Sora video API client: create, poll, download");
    GST_DEBUG_CATEGORY_INIT(sora_http_debug, "sora-http", 0,
                            "Sora video API client: HTTP requests and answers");
    g_once_init_leave(&once, 1);
  }
}

}  // namespace sora
