/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "gstsoravideosrc.h"

#include "gstsoratags.h"

void gst_sora_register_tags(void) {
  gst_tag_register(GST_SORA_TAG_MODEL, GST_TAG_FLAG_META, G_TYPE_STRING, "sora model",
                   "The video model that generated the clip", gst_tag_merge_use_first);
  gst_tag_register(GST_SORA_TAG_VIDEO_ID, GST_TAG_FLAG_META, G_TYPE_STRING, "sora video id",
                   "The server's id of the generation task", gst_tag_merge_use_first);
}
