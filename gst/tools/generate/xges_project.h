/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A GES project (.xges) of clips one after the other on one layer, as
 * ges-launch-1.0 --load and GES applications read it: each clip from its
 * start for `duration`, the video track the first clip's size and rate (GES
 * would letterbox everything into 1280x720 otherwise), and an audio track. */
#pragma once

#include <gst/gst.h>

#include <string>
#include <vector>

namespace sora::generate {

struct ProjectClip {
  std::string uri; /* sora://video/ID or file:///... */
  GstClockTime duration = 0;
};

struct ProjectFormat {
  int width = 0; /* 0: GES's default */
  int height = 0;
  int fps_n = 0;
  int fps_d = 1;
};

/* The project's text. */
std::string xges_project(const std::vector<ProjectClip> &clips, const ProjectFormat &format);

/* Writes it to `path` (beside, then renamed over); false and `problem` on
 * failure. */
bool write_xges_project(const std::string &path, const std::vector<ProjectClip> &clips,
                        const ProjectFormat &format, std::string *problem);

}  // namespace sora::generate
