/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "mp4_video_length.h"

#include "core/file_read.h"

#include <cstring>
#include <functional>
#include <vector>

namespace sora::playlist {

namespace {

/* A moov larger than this is not a generated clip's. */
constexpr guint64 kMaxMoov = 64 * 1024 * 1024;

guint64 read_be(const guint8 *p, int bytes) {
  guint64 v = 0;
  for (int i = 0; i < bytes; i++)
    v = (v << 8) | p[i];
  return v;
}

/* Calls `each` with every box's type, payload and payload size in
 * [data, data + size); stops at a box that does not fit. */
void for_each_box(const guint8 *data, guint64 size,
                  const std::function<void(const char *type, const guint8 *payload,
                                           guint64 payload_size)> &each) {
  guint64 offset = 0;
  while (offset + 8 <= size) {
    guint64 box_size = read_be(data + offset, 4);
    guint64 header = 8;
    if (box_size == 1) {
      if (offset + 16 > size)
        return;
      box_size = read_be(data + offset + 8, 8);
      header = 16;
    } else if (box_size == 0) {
      box_size = size - offset;
    }
    if (box_size < header || box_size > size - offset)
      return;
    char type[5] = {};
    memcpy(type, data + offset + 4, 4);
    each(type, data + offset + header, box_size - header);
    offset += box_size;
  }
}

/* The moov box's payload, read from the file. */
std::vector<guint8> read_moov(const std::string &path) {
  guint64 size = 0;
  sora::FileDescriptor file = sora::open_for_reading(path, &size);
  if (!file.valid())
    return {};
  guint64 offset = 0;
  while (offset + 8 <= size) {
    guint8 header[16];
    gssize got = sora::read_at(file.get(), header, sizeof header, offset);
    if (got < 8)
      return {};
    guint64 box_size = read_be(header, 4);
    guint64 header_size = 8;
    if (box_size == 1 && got >= 16) {
      box_size = read_be(header + 8, 8);
      header_size = 16;
    } else if (box_size == 0) {
      box_size = size - offset;
    }
    if (box_size < header_size || box_size > size - offset)
      return {};
    if (memcmp(header + 4, "moov", 4) == 0) {
      guint64 payload = box_size - header_size;
      if (payload > kMaxMoov)
        return {};
      std::vector<guint8> moov(payload);
      if (sora::read_at(file.get(), moov.data(), payload, offset + header_size) !=
          static_cast<gssize>(payload))
        return {};
      return moov;
    }
    offset += box_size;
  }
  return {};
}

}  // namespace

std::optional<GstClockTime> mp4_video_length(const std::string &path) {
  std::vector<guint8> moov = read_moov(path);
  std::optional<GstClockTime> length;
  for_each_box(moov.data(), moov.size(), [&](const char *type, const guint8 *trak, guint64 size) {
    if (length || strcmp(type, "trak") != 0)
      return;
    for_each_box(trak, size, [&](const char *type, const guint8 *mdia, guint64 size) {
      if (strcmp(type, "mdia") != 0)
        return;
      bool video = false;
      std::optional<GstClockTime> duration;
      for_each_box(mdia, size, [&](const char *type, const guint8 *box, guint64 size) {
        /* hdlr: version and flags, pre_defined, then the handler type. */
        if (strcmp(type, "hdlr") == 0 && size >= 12)
          video = memcmp(box + 8, "vide", 4) == 0;
        /* mdhd: version 0 has 32-bit times, version 1 64-bit ones. */
        if (strcmp(type, "mdhd") == 0 && size >= 20) {
          bool wide = box[0] == 1;
          if (wide && size < 32)
            return;
          guint64 timescale = wide ? read_be(box + 20, 4) : read_be(box + 12, 4);
          guint64 ticks = wide ? read_be(box + 24, 8) : read_be(box + 16, 4);
          if (timescale > 0)
            duration = gst_util_uint64_scale(ticks, GST_SECOND, timescale);
        }
      });
      if (video && duration)
        length = duration;
    });
  });
  return length;
}

}  // namespace sora::playlist
