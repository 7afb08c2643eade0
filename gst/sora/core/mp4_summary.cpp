/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/mp4_summary.h"

#include "core/file_read.h"

#include <cstring>
#include <functional>
#include <vector>

namespace sora {

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

namespace {

guint64 gcd(guint64 a, guint64 b) {
  while (b) {
    guint64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

GstClockTime ticks_to_time(guint64 ticks, guint64 timescale) {
  return timescale > 0 ? gst_util_uint64_scale(ticks, GST_SECOND, timescale) : GST_CLOCK_TIME_NONE;
}

/* mvhd and mdhd: version 0 has 32-bit times, version 1 64-bit ones; the
 * timescale and duration follow the creation and modification times. */
bool read_header_times(const guint8 *box, guint64 size, guint64 *timescale, guint64 *ticks) {
  bool wide = size >= 1 && box[0] == 1;
  if (size < (wide ? 32u : 20u))
    return false;
  *timescale = wide ? read_be(box + 20, 4) : read_be(box + 12, 4);
  *ticks = wide ? read_be(box + 24, 8) : read_be(box + 16, 4);
  return true;
}

/* stts: the sample duration that most samples have, as a frame rate. */
void read_frame_rate(const guint8 *stts, guint64 size, guint64 timescale, Mp4VideoTrack *video) {
  if (size < 8 || timescale == 0)
    return;
  guint64 entries = read_be(stts + 4, 4);
  guint64 best_count = 0, best_delta = 0;
  for (guint64 i = 0; i < entries && 8 + (i + 1) * 8 <= size; i++) {
    guint64 count = read_be(stts + 8 + i * 8, 4);
    guint64 delta = read_be(stts + 12 + i * 8, 4);
    if (delta > 0 && count > best_count) {
      best_count = count;
      best_delta = delta;
    }
  }
  if (best_delta == 0)
    return;
  guint64 divisor = gcd(timescale, best_delta);
  guint64 n = timescale / divisor, d = best_delta / divisor;
  if (n <= G_MAXINT && d <= G_MAXINT) {
    video->fps_n = static_cast<int>(n);
    video->fps_d = static_cast<int>(d);
  }
}

/* stsd: the first sample entry of a visual track carries the coded size
 * after its 8-byte SampleEntry header and 16 bytes of VisualSampleEntry. */
void read_sample_size(const guint8 *stsd, guint64 size, Mp4VideoTrack *video) {
  for_each_box(stsd + 8, size >= 8 ? size - 8 : 0,
               [&](const char *, const guint8 *entry, guint64 entry_size) {
                 if (video->width > 0 || entry_size < 28)
                   return;
                 video->width = static_cast<int>(read_be(entry + 24, 2));
                 video->height = static_cast<int>(read_be(entry + 26, 2));
               });
}

/* One trak: its video track, when it is one. */
std::optional<Mp4VideoTrack> read_video_track(const guint8 *trak, guint64 size) {
  Mp4VideoTrack video;
  bool is_video = false;
  int header_width = 0, header_height = 0;
  for_each_box(trak, size, [&](const char *type, const guint8 *box, guint64 box_size) {
    /* tkhd: width and height in 16.16 fixed point, its last 8 bytes. */
    if (strcmp(type, "tkhd") == 0 && box_size >= 84) {
      header_width = static_cast<int>(read_be(box + box_size - 8, 4) >> 16);
      header_height = static_cast<int>(read_be(box + box_size - 4, 4) >> 16);
    }
    if (strcmp(type, "mdia") != 0)
      return;
    guint64 timescale = 0;
    for_each_box(box, box_size, [&](const char *type, const guint8 *box, guint64 box_size) {
      /* hdlr: version and flags, pre_defined, then the handler type. */
      if (strcmp(type, "hdlr") == 0 && box_size >= 12)
        is_video = memcmp(box + 8, "vide", 4) == 0;
      guint64 ticks = 0;
      if (strcmp(type, "mdhd") == 0 && read_header_times(box, box_size, &timescale, &ticks))
        video.length = ticks_to_time(ticks, timescale);
      if (strcmp(type, "minf") != 0)
        return;
      for_each_box(box, box_size, [&](const char *type, const guint8 *stbl, guint64 stbl_size) {
        if (strcmp(type, "stbl") != 0)
          return;
        for_each_box(stbl, stbl_size, [&](const char *type, const guint8 *box, guint64 size) {
          if (strcmp(type, "stsd") == 0)
            read_sample_size(box, size, &video);
          else if (strcmp(type, "stts") == 0)
            read_frame_rate(box, size, timescale, &video);
        });
      });
    });
  });
  if (!is_video)
    return std::nullopt;
  if (video.width <= 0 || video.height <= 0) {
    video.width = header_width;
    video.height = header_height;
  }
  return video;
}

}  // namespace

std::optional<Mp4Summary> read_mp4_summary(const std::string &path) {
  std::vector<guint8> moov = read_moov(path);
  if (moov.empty())
    return std::nullopt;
  Mp4Summary summary;
  for_each_box(moov.data(), moov.size(), [&](const char *type, const guint8 *box, guint64 size) {
    guint64 timescale = 0, ticks = 0;
    if (strcmp(type, "mvhd") == 0 && read_header_times(box, size, &timescale, &ticks))
      summary.duration = ticks_to_time(ticks, timescale);
    if (strcmp(type, "trak") == 0 && !summary.video)
      summary.video = read_video_track(box, size);
  });
  return summary;
}

}  // namespace sora
