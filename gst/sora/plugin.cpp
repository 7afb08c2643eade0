/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The "sora" plugin: registers soravideosrc and soraplaylistsrc. */
#include "gstsoraplaylistsrc.h"
#include "gstsoratags.h"
#include "gstsoravideosrc.h"

static gboolean plugin_init(GstPlugin *plugin) {
  /* Tags are the plugin's, registered once whatever element loads first. */
  gst_sora_register_tags();
  /* As gst-plugins-* do: one failed registration does not hide the next. */
  gboolean registered = FALSE;
  registered |= GST_ELEMENT_REGISTER(soravideosrc, plugin);
  registered |= GST_ELEMENT_REGISTER(soraplaylistsrc, plugin);
  return registered;
}

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, sora,
                  "Video generation from text prompts with the OpenAI video API", plugin_init,
                  PACKAGE_VERSION, GST_LICENSE, PACKAGE_NAME, PACKAGE_ORIGIN)
