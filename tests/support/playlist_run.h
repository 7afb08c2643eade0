/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the soraplaylistsrc tests share: an emulator that takes short test
 * clips, the bin's connection to it, what reached the appsinks (frames with
 * their timestamps, size and a luma sample; audio buffers), the bus as the
 * tests read it, and the check that a programme is continuous. */
#pragma once

#include "emulator_process.h"

#include <gst/gst.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace sora_test {

constexpr GstClockTime kFrame = GST_SECOND / 30;

/* An emulator that takes any seconds and size (short test clips). */
void allow_any_request(EmulatorProcess &emulator);
/* The bin's connection to `emulator`, with a cache of its own. */
std::string connection(const EmulatorProcess &emulator, const std::string &cache_dir);

/* ---- what came out ---- */

struct Frame {
  GstClockTime pts = 0;
  GstClockTime duration = 0;
  int width = 0;
  int height = 0;
  int luma = 0;       /* near the top-left corner */
  std::string format; /* "I420", "RGBx", ... */
  gint64 rendered_us = 0;
};

struct Capture {
  std::mutex lock;
  std::vector<Frame> video;
  std::vector<std::pair<GstClockTime, GstClockTime>> audio; /* pts, duration */
  int audio_rate = 0;                                       /* of the last audio buffer's caps */
  int audio_channels = 0;

  GstClockTime video_end() {
    std::lock_guard<std::mutex> guard(lock);
    return video.empty() ? 0 : video.back().pts + video.back().duration;
  }
  GstClockTime audio_end() {
    std::lock_guard<std::mutex> guard(lock);
    return audio.empty() ? 0 : audio.back().first + audio.back().second;
  }
  size_t frames() {
    std::lock_guard<std::mutex> guard(lock);
    return video.size();
  }
};

/* Records what reaches appsinks "vsink" (I420 video) and "asink". With
 * sync=true the callbacks run when a buffer is rendered. */
void capture_into(GstElement *pipeline, Capture &capture);

constexpr char kCaptureSinks[] =
    "p.video ! queue ! videoconvert ! video/x-raw,format=I420 ! appsink name=vsink sync=false "
    "p.audio ! queue ! appsink name=asink sync=false";

/* ---- the bus ---- */

struct Warning {
  std::string text;
  GstStructure *details = nullptr;
};

struct BusLog {
  bool eos = false;
  bool timed_out = false;
  std::string error;
  std::string error_source; /* the name of the element that posted it */
  GstStructure *error_details = nullptr;
  std::vector<GstStructure *> shots; /* sora-playlist element messages */
  std::vector<Warning> warnings;
  std::vector<GstStructure *> progress;

  BusLog() = default;
  BusLog(const BusLog &) = delete;
  BusLog &operator=(const BusLog &) = delete;
  ~BusLog() {
    for (GstStructure *s : shots)
      gst_structure_free(s);
    for (GstStructure *s : progress)
      gst_structure_free(s);
    for (Warning &w : warnings) {
      if (w.details)
        gst_structure_free(w.details);
    }
    if (error_details)
      gst_structure_free(error_details);
  }

  /* The states shot `index` went through, in order. */
  std::vector<std::string> states_of(guint index) const {
    std::vector<std::string> states;
    for (const GstStructure *s : shots) {
      guint i = 0;
      gst_structure_get_uint(s, "index", &i);
      const char *state = gst_structure_get_string(s, "state");
      if (i == index && (states.empty() || states.back() != state))
        states.push_back(state);
    }
    return states;
  }

  const GstStructure *first(guint index, const char *state) const {
    for (const GstStructure *s : shots) {
      guint i = 0;
      gst_structure_get_uint(s, "index", &i);
      if (i == index && g_strcmp0(gst_structure_get_string(s, "state"), state) == 0)
        return s;
    }
    return nullptr;
  }

  /* Warnings whose details are a sora-playlist slate report. */
  std::vector<const Warning *> slate_warnings() const {
    std::vector<const Warning *> found;
    for (const Warning &w : warnings) {
      if (w.details && gst_structure_has_name(w.details, "sora-playlist") &&
          g_strcmp0(gst_structure_get_string(w.details, "state"), "slate") == 0)
        found.push_back(&w);
    }
    return found;
  }
};
/* Reads the bus until EOS, an error or the deadline; `each` sees every
 * message first (from this thread). */
void read_bus(GstElement *pipeline, BusLog &log, guint timeout_s,
              const std::function<void(GstMessage *)> &each = nullptr);

/* Sets `pipeline` to PLAYING, reads its bus into `log` (read_bus), then
 * sets it to NULL and drops it. */
void play_to_end(GstElement *pipeline, BusLog &log, guint timeout_s);

GstElement *launch(const std::string &description);
/* The bin named "p" (no reference). */
GstElement *playlist_of(GstElement *pipeline);

/* Every frame `width`x`height`, timestamps from `start` on without a gap
 * over one frame or a step back, audio as long as video within a frame
 * (plus `audio_slack` where an encoder adds its own); returns the video's
 * length. */
GstClockTime check_continuous(Capture &capture, int width, int height, GstClockTime start = 0,
                              GstClockTime audio_slack = 0);

}  // namespace sora_test
