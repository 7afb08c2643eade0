/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The core's GStreamer debug categories: "sora" for the job, "sora-http" for
 * requests and answers (with libsoup's own log at GST_LEVEL_TRACE and up).
 * No category ever prints an API key. */
#pragma once

#include <gst/gst.h>

GST_DEBUG_CATEGORY_EXTERN(sora_debug);
GST_DEBUG_CATEGORY_EXTERN(sora_http_debug);

namespace sora {

/* Registers the categories; idempotent, thread-safe. */
void init_debug_categories();

}  // namespace sora
