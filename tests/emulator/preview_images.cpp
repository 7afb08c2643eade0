/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "preview_images.h"

#include <algorithm>

namespace {

constexpr int kGridColumns = 4;
constexpr int kGridRows = 4;
constexpr GstClockTime kEncodeTimeout = 30 * GST_SECOND;

bool encode_to_file(GstSample *image, const char *caps_text, const std::string &path,
                    std::string &error) {
  g_autoptr(GstCaps) caps = gst_caps_from_string(caps_text);
  g_autoptr(GError) convert_error = nullptr;
  g_autoptr(GstSample) encoded =
      gst_video_convert_sample(image, caps, kEncodeTimeout, &convert_error);
  if (!encoded) {
    error = std::string("cannot encode ") + caps_text + ": " +
            (convert_error ? convert_error->message : "no output");
    return false;
  }
  GstMapInfo map;
  GstBuffer *buffer = gst_sample_get_buffer(encoded);
  if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    error = "cannot read the encoded image";
    return false;
  }
  g_autoptr(GError) write_error = nullptr;
  bool written = g_file_set_contents(path.c_str(), reinterpret_cast<const char *>(map.data),
                                     static_cast<gssize>(map.size), &write_error);
  gst_buffer_unmap(buffer, &map);
  if (!written) {
    error = write_error->message;
  }
  return written;
}

}  // namespace

PreviewImages::PreviewImages(int width, int height, guint64 frame_count)
    : frame_count_(frame_count),
      thumbnail_frame_(frame_count / 2),
      cell_count_(static_cast<int>(std::min<guint64>(frame_count, kGridColumns * kGridRows))),
      // Even cell sizes keep every cell on the 4:2:0 chroma grid.
      cell_width_(width / kGridColumns & ~1),
      cell_height_(height / kGridRows & ~1) {
  int rows = (cell_count_ + kGridColumns - 1) / kGridColumns;
  gst_video_info_set_format(&grid_info_, GST_VIDEO_FORMAT_I420, cell_width_ * kGridColumns,
                            cell_height_ * rows);
  grid_ = gst_buffer_new_allocate(nullptr, grid_info_.size, nullptr);
}

PreviewImages::~PreviewImages() {
  gst_buffer_unref(grid_);
  if (thumbnail_) {
    gst_sample_unref(thumbnail_);
  }
}

int PreviewImages::cell_for_frame(guint64 frame_index) const {
  // Cell i shows the frame in the middle of the i-th of cell_count_ equal stretches of the clip.
  for (int cell = 0; cell < cell_count_; cell++) {
    guint64 frame = (2 * static_cast<guint64>(cell) + 1) * frame_count_ / (2 * cell_count_);
    if (frame == frame_index) {
      return cell;
    }
  }
  return -1;
}

void PreviewImages::add_frame(guint64 frame_index, GstSample *sample) {
  if (frame_index == thumbnail_frame_ && !thumbnail_) {
    thumbnail_ = gst_sample_ref(sample);
  }
  int cell = cell_for_frame(frame_index);
  if (cell >= 0) {
    draw_cell(cell, sample);
  }
}

void PreviewImages::draw_cell(int cell, GstSample *sample) {
  GstVideoInfo frame_info;
  if (!gst_video_info_from_caps(&frame_info, gst_sample_get_caps(sample))) {
    return;
  }
  GstVideoFrame source;
  if (!gst_video_frame_map(&source, &frame_info, gst_sample_get_buffer(sample), GST_MAP_READ)) {
    return;
  }
  // The converter only scales and places; it requires equal frame rates on both sides.
  GstVideoInfo grid_info = grid_info_;
  grid_info.fps_n = frame_info.fps_n;
  grid_info.fps_d = frame_info.fps_d;
  GstVideoFrame grid;
  if (gst_video_frame_map(&grid, &grid_info, grid_, GST_MAP_WRITE)) {
    // The first cell also paints the rest of the grid black, so cells never drawn stay black.
    GstStructure *config = gst_structure_new(
        "GstVideoConverter", GST_VIDEO_CONVERTER_OPT_DEST_X, G_TYPE_INT,
        cell % kGridColumns * cell_width_, GST_VIDEO_CONVERTER_OPT_DEST_Y, G_TYPE_INT,
        cell / kGridColumns * cell_height_, GST_VIDEO_CONVERTER_OPT_DEST_WIDTH, G_TYPE_INT,
        cell_width_, GST_VIDEO_CONVERTER_OPT_DEST_HEIGHT, G_TYPE_INT, cell_height_,
        GST_VIDEO_CONVERTER_OPT_FILL_BORDER, G_TYPE_BOOLEAN, cell == 0, nullptr);
    GstVideoConverter *converter = gst_video_converter_new(&frame_info, &grid_info, config);
    gst_video_converter_frame(converter, &source, &grid);
    gst_video_converter_free(converter);
    gst_video_frame_unmap(&grid);
  }
  gst_video_frame_unmap(&source);
}

bool PreviewImages::write(const std::string &thumbnail_path, const std::string &spritesheet_path,
                          std::string &error) const {
  if (!thumbnail_) {
    error = "the thumbnail frame was never rendered";
    return false;
  }
  g_autoptr(GstCaps) grid_caps = gst_video_info_to_caps(&grid_info_);
  g_autoptr(GstSample) spritesheet = gst_sample_new(grid_, grid_caps, nullptr, nullptr);
  return encode_to_file(thumbnail_, "image/webp", thumbnail_path, error) &&
         encode_to_file(spritesheet, "image/jpeg", spritesheet_path, error);
}
