/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The two still-image variants of a clip, made from frames sampled while the clip renders: the
// thumbnail (the middle frame as WebP, at the clip's size) and the spritesheet (a 4x4 grid of
// frames spread over the clip, each scaled to a quarter of the width and height, as JPEG).
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

#include <string>

class PreviewImages {
 public:
  PreviewImages(int width, int height, guint64 frame_count);
  ~PreviewImages();

  PreviewImages(const PreviewImages &) = delete;
  PreviewImages &operator=(const PreviewImages &) = delete;

  // Takes what it needs from the frame with index @frame_index; called for every frame, in order,
  // from a streaming thread.
  void add_frame(guint64 frame_index, GstSample *sample);

  // Encodes both images; called once the clip has rendered.
  bool write(const std::string &thumbnail_path, const std::string &spritesheet_path,
             std::string &error) const;

 private:
  // The sprite cell that shows @frame_index, or -1.
  int cell_for_frame(guint64 frame_index) const;
  void draw_cell(int cell, GstSample *sample);

  guint64 frame_count_;
  guint64 thumbnail_frame_;
  int cell_count_;
  int cell_width_;
  int cell_height_;
  GstVideoInfo grid_info_;
  GstBuffer *grid_ = nullptr;
  GstSample *thumbnail_ = nullptr;
};
