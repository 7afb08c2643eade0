/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc: a source element that turns a text prompt into video.
 *
 * It speaks the "OpenAI video format" HTTP API: when it goes to PAUSED it
 * creates a generation task (or attaches to one named by video-id), polls it
 * without blocking the state change, downloads the finished MP4 to disk and
 * serves it by offset as video/quicktime, so qtdemux runs in pull mode and
 * seeks freely. The protocol lives in core/; this file is the element glue:
 * properties, state changes, bus messages and serving bytes. */
#pragma once

#include <gst/base/gstbasesrc.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SORA_VIDEO_SRC (gst_sora_video_src_get_type())
G_DECLARE_FINAL_TYPE(GstSoraVideoSrc, gst_sora_video_src, GST, SORA_VIDEO_SRC, GstBaseSrc)

GST_ELEMENT_REGISTER_DECLARE(soravideosrc);

/* Tags the element adds beside GST_TAG_DESCRIPTION (the prompt); registered
 * by the plugin. */
#define GST_SORA_TAG_MODEL "sora-model"
#define GST_SORA_TAG_VIDEO_ID "sora-video-id"

/* The programme whose spend budget-period=programme counts, and when it
 * began (unix microseconds): soraplaylistsrc sets its programme's on every
 * shot, so the shots share one budget. Not a property: the money controls
 * belong to the application, and this one to the playlist alone. */
void gst_sora_video_src_set_programme(GstSoraVideoSrc *self, const char *programme,
                                      gint64 start_us);

G_END_DECLS
