/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "playlist_run.h"

#include "assertions.h"

#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/video/video.h>

#include <algorithm>

namespace sora_test {

void allow_any_request(EmulatorProcess &emulator) {
  emulator.configure(R"({"dialect": {"models": "any"}})");
}

/* The bin's connection to `emulator`, with a cache of its own. */
std::string connection(const EmulatorProcess &emulator, const std::string &cache_dir) {
  return std::string("api-key=") + kTestKey + " base-url=" + emulator.base_url() +
         " validate=false cache-dir=" + cache_dir;
}

namespace {

GstFlowReturn on_video_sample(GstAppSink *sink, gpointer data) {
  auto *capture = static_cast<Capture *>(data);
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample(sink);
  if (!sample)
    return GST_FLOW_EOS;
  GstBuffer *buffer = gst_sample_get_buffer(sample);
  GstVideoInfo info;
  gst_video_info_from_caps(&info, gst_sample_get_caps(sample));
  Frame frame;
  frame.pts = GST_BUFFER_PTS(buffer);
  frame.duration = GST_BUFFER_DURATION(buffer);
  frame.width = GST_VIDEO_INFO_WIDTH(&info);
  frame.height = GST_VIDEO_INFO_HEIGHT(&info);
  frame.format = gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(&info));
  frame.rendered_us = g_get_monotonic_time();
  GstVideoFrame mapped;
  if (gst_video_frame_map(&mapped, &info, buffer, GST_MAP_READ)) {
    const guint8 *y = static_cast<const guint8 *>(GST_VIDEO_FRAME_PLANE_DATA(&mapped, 0));
    frame.luma = y[4 * GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, 0) + 4];
    gst_video_frame_unmap(&mapped);
  }
  std::lock_guard<std::mutex> guard(capture->lock);
  capture->video.push_back(frame);
  return GST_FLOW_OK;
}

GstFlowReturn on_audio_sample(GstAppSink *sink, gpointer data) {
  auto *capture = static_cast<Capture *>(data);
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample(sink);
  if (!sample)
    return GST_FLOW_EOS;
  GstBuffer *buffer = gst_sample_get_buffer(sample);
  GstAudioInfo info;
  gst_audio_info_from_caps(&info, gst_sample_get_caps(sample));
  std::lock_guard<std::mutex> guard(capture->lock);
  capture->audio_rate = GST_AUDIO_INFO_RATE(&info);
  capture->audio_channels = GST_AUDIO_INFO_CHANNELS(&info);
  capture->audio.emplace_back(GST_BUFFER_PTS(buffer), GST_BUFFER_DURATION(buffer));
  return GST_FLOW_OK;
}

}  // namespace

void capture_into(GstElement *pipeline, Capture &capture) {
  GstAppSinkCallbacks video = {};
  video.new_sample = on_video_sample;
  GstAppSinkCallbacks audio = {};
  audio.new_sample = on_audio_sample;
  g_autoptr(GstElement) vsink = gst_bin_get_by_name(GST_BIN(pipeline), "vsink");
  g_autoptr(GstElement) asink = gst_bin_get_by_name(GST_BIN(pipeline), "asink");
  if (vsink)
    gst_app_sink_set_callbacks(GST_APP_SINK(vsink), &video, &capture, nullptr);
  if (asink)
    gst_app_sink_set_callbacks(GST_APP_SINK(asink), &audio, &capture, nullptr);
}

void read_bus(GstElement *pipeline, BusLog &log, guint timeout_s,
              const std::function<void(GstMessage *)> &each) {
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  gint64 deadline = g_get_monotonic_time() + static_cast<gint64>(timeout_s) * G_USEC_PER_SEC;
  while (!log.eos && log.error.empty()) {
    gint64 left = deadline - g_get_monotonic_time();
    if (left <= 0) {
      log.timed_out = true;
      return;
    }
    g_autoptr(GstMessage) message =
        gst_bus_timed_pop(bus, static_cast<GstClockTime>(left) * GST_USECOND);
    if (!message)
      continue;
    if (each)
      each(message);
    const GstStructure *s = gst_message_get_structure(message);
    switch (GST_MESSAGE_TYPE(message)) {
      case GST_MESSAGE_EOS:
        log.eos = true;
        break;
      case GST_MESSAGE_ERROR: {
        g_autoptr(GError) error = nullptr;
        gst_message_parse_error(message, &error, nullptr);
        log.error = error->message;
        log.error_source = GST_OBJECT_NAME(GST_MESSAGE_SRC(message));
        const GstStructure *details = nullptr;
        gst_message_parse_error_details(message, &details);
        if (details)
          log.error_details = gst_structure_copy(details);
        break;
      }
      case GST_MESSAGE_WARNING: {
        g_autoptr(GError) warning = nullptr;
        gst_message_parse_warning(message, &warning, nullptr);
        const GstStructure *details = nullptr;
        gst_message_parse_warning_details(message, &details);
        log.warnings.push_back({warning->message, details ? gst_structure_copy(details) : nullptr});
        break;
      }
      case GST_MESSAGE_ELEMENT:
        if (s && gst_structure_has_name(s, "sora-playlist"))
          log.shots.push_back(gst_structure_copy(s));
        break;
      case GST_MESSAGE_PROGRESS:
        log.progress.push_back(gst_structure_copy(s));
        break;
      default:
        break;
    }
  }
}

void play_to_end(GstElement *pipeline, BusLog &log, guint timeout_s) {
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  read_bus(pipeline, log, timeout_s);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
}

GstElement *launch(const std::string &description) {
  g_autoptr(GError) error = nullptr;
  GstElement *pipeline = gst_parse_launch(description.c_str(), &error);
  if (!pipeline || error)
    g_error("cannot build '%s': %s", description.c_str(), error ? error->message : "?");
  return pipeline;
}

GstElement *playlist_of(GstElement *pipeline) {
  GstElement *p = gst_bin_get_by_name(GST_BIN(pipeline), "p");
  gst_object_unref(p);
  return p;
}

GstClockTime check_continuous(Capture &capture, int width, int height, GstClockTime start,
                              GstClockTime audio_slack) {
  std::lock_guard<std::mutex> guard(capture.lock);
  g_assert_cmpuint(capture.video.size(), >, 0);
  g_assert_cmpuint(capture.audio.size(), >, 0);
  GstClockTime largest_gap = 0;
  for (size_t i = 0; i < capture.video.size(); i++) {
    const Frame &f = capture.video[i];
    g_assert_cmpint(f.width, ==, width);
    g_assert_cmpint(f.height, ==, height);
    if (i == 0) {
      g_assert_cmpuint(f.pts, ==, start);
      continue;
    }
    GstClockTime previous = capture.video[i - 1].pts;
    g_assert_cmpuint(f.pts, >, previous);
    largest_gap = std::max(largest_gap, f.pts - previous);
  }
  g_test_message("largest pts step: %.3f ms over %zu frames", largest_gap / 1e6,
                 capture.video.size());
  g_assert_cmpuint(largest_gap, <=, kFrame + GST_MSECOND);
  GstClockTime audio_step = 0;
  for (size_t i = 1; i < capture.audio.size(); i++) {
    GstClockTime end = capture.audio[i - 1].first + capture.audio[i - 1].second;
    GstClockTime at = capture.audio[i].first;
    audio_step = std::max(audio_step, at > end ? at - end : end - at);
  }
  g_assert_cmpuint(audio_step, <=, GST_MSECOND);
  /* Audio starts with the video (an encoder's priming may put it a frame
   * early) and lasts as long. */
  GstClockTime audio_start = capture.audio.front().first;
  g_assert_cmpuint(audio_start + kFrame, >=, start);
  g_assert_cmpuint(audio_start, <=, start + GST_MSECOND);
  const Frame &last = capture.video.back();
  GstClockTime video_length = last.pts + last.duration - start;
  GstClockTime audio_length =
      capture.audio.back().first + capture.audio.back().second - audio_start;
  GstClockTime drift =
      video_length > audio_length ? video_length - audio_length : audio_length - video_length;
  g_test_message("video lasts %.3f s, audio %.3f s (from %.3f s): %.1f ms apart",
                 video_length / 1e9, audio_length / 1e9, audio_start / 1e9, drift / 1e6);
  g_assert_cmpuint(drift, <=, kFrame + audio_slack);
  return video_length;
}

}  // namespace sora_test
