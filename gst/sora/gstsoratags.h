/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The tags soravideosrc adds (GST_SORA_TAG_MODEL, GST_SORA_TAG_VIDEO_ID),
 * registered by the plugin, and by a program that links the element without
 * loading the plugin (sora-tasks generate). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void gst_sora_register_tags(void);

G_END_DECLS
