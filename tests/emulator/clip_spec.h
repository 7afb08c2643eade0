/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// What a rendered clip looks like: its segments (prompt and duration each; a plain clip has one,
// an extension appends one), its frame size and rate, whether it has an audio track, and the MP4
// atom layout. Everything that changes the
// rendered bytes is in here, so it is also what the render cache is keyed on.
#pragma once

#include <glib.h>

#include <optional>
#include <string>
#include <vector>

constexpr int kClipFramesPerSecond = 30;

enum class Mp4Layout {
  kMoovEnd,    // mdat before moov, as a muxer writes it without a rewrite pass
  kMoovFirst,  // moov before mdat ("faststart"), playable while downloading
};

const char *mp4_layout_name(Mp4Layout layout);
std::optional<Mp4Layout> parse_mp4_layout(const std::string &name);

struct ClipSegment {
  std::string prompt;
  int seconds = 0;
};

struct ClipSpec {
  std::vector<ClipSegment> segments;
  int width = 0;
  int height = 0;
  Mp4Layout layout = Mp4Layout::kMoovEnd;
  // 0: the usual clip (a moving ball, ~1.3 Mbit/s). Otherwise the picture is noise, which no
  // encoder can squeeze, coded at this constant bitrate: the clip's size is predictable
  // (seconds * kbps / 8 kB), for benchmarks that need clips of a given size.
  int bitrate_kbps = 0;
  // As real models make them: many video models give 24 or 25 fps, many give no audio at all.
  int fps = kClipFramesPerSecond;
  bool audio = true;

  int total_seconds() const;
  guint64 frame_count() const { return static_cast<guint64>(total_seconds()) * fps; }
};

// Parses "WIDTHxHEIGHT" or "WIDTH*HEIGHT" with positive even dimensions (4:2:0 video needs even
// sizes), or a 16:9 height such as "720P" (1280x720) as some gateways' models take it.
bool parse_frame_size(const std::string &size, int &width, int &height);
