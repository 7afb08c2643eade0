/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The "sora" plugin: registers soravideosrc and soraplaylistsrc. */
#include "gstsoraplaylistsrc.h"
#include "gstsoravideosrc.h"

static gboolean plugin_init(GstPlugin *plugin) {
  return GST_ELEMENT_REGISTER(soravideosrc, plugin) &&
         GST_ELEMENT_REGISTER(soraplaylistsrc, plugin);
}

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, sora,
                  "Video generation from text prompts with the OpenAI video API", plugin_init,
                  PACKAGE_VERSION, GST_LICENSE, PACKAGE_NAME, PACKAGE_ORIGIN)
