/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "slate.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include <algorithm>

namespace sora::playlist {

namespace {

/* A slate is a few milliseconds of work; a stuck decoder must not hold a
 * live programme for longer than this. */
constexpr GstClockTime kRenderTimeout = 5 * GST_SECOND;
/* How often a render looks at its cancel flag. */
constexpr GstClockTime kRenderSlice = 20 * GST_MSECOND;
constexpr guint kCardBackground = 0xff1c1c24;
constexpr size_t kMaxTextLength = 240;

/* Runs `description` (whose last element is appsink "out") until it gives
 * one sample. */
GstSample *first_sample(const std::string &description, GstCaps *caps,
                        void (*setup)(GstBin *, gpointer), gpointer data, std::string &error,
                        const std::atomic<bool> &cancel) {
  g_autoptr(GError) parse_error = nullptr;
  GstElement *parsed = gst_parse_launch(description.c_str(), &parse_error);
  if (!parsed) {
    error = parse_error ? parse_error->message : "cannot build the slate pipeline";
    return nullptr;
  }
  ElementPtr pipeline(GST_ELEMENT(gst_object_ref_sink(parsed)));
  if (parse_error) {
    error = parse_error->message;
    return nullptr;
  }
  g_autoptr(GstElement) sink = gst_bin_get_by_name(GST_BIN(pipeline.get()), "out");
  g_autoptr(GstElement) filter = gst_bin_get_by_name(GST_BIN(pipeline.get()), "format");
  g_object_set(filter, "caps", caps, nullptr);
  if (setup)
    setup(GST_BIN(pipeline.get()), data);
  GstSample *sample = nullptr;
  if (gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE) {
    for (GstClockTime waited = 0; !sample && waited < kRenderTimeout && !cancel.load();
         waited += kRenderSlice)
      sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), kRenderSlice);
  }
  if (!sample) {
    g_autoptr(GstBus) bus = gst_element_get_bus(pipeline.get());
    g_autoptr(GstMessage) message = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    g_autoptr(GError) failure = nullptr;
    if (message)
      gst_message_parse_error(message, &failure, nullptr);
    error = failure ? failure->message : "no frame came out";
  }
  gst_element_set_state(pipeline.get(), GST_STATE_NULL);
  return sample;
}

struct CardText {
  std::string markup;
  int font_size;
};

void set_card_text(GstBin *pipeline, gpointer data) {
  auto *text = static_cast<CardText *>(data);
  g_autoptr(GstElement) overlay = gst_bin_get_by_name(pipeline, "text");
  g_autofree char *font = g_strdup_printf("Sans Bold %d", text->font_size);
  g_object_set(overlay, "text", text->markup.c_str(), "font-desc", font, nullptr);
}

void set_location(GstBin *pipeline, gpointer path) {
  g_autoptr(GstElement) source = gst_bin_get_by_name(pipeline, "file");
  g_object_set(source, "location", static_cast<const char *>(path), nullptr);
}

}  // namespace

GstSample *render_slate_image(const std::string &image_path, GstCaps *caps, std::string &error,
                              const std::atomic<bool> &cancel) {
  /* imagefreeze gives the still the programme's frame rate; videoscale
   * keeps its aspect ratio with borders. */
  return first_sample(
      "filesrc name=file ! decodebin ! videoconvert ! videoscale add-borders=true"
      " ! imagefreeze num-buffers=1 ! videoconvert ! capsfilter name=format"
      " ! appsink name=out sync=false",
      caps, set_location, const_cast<char *>(image_path.c_str()), error, cancel);
}

GstSample *render_slate_card(const std::string &text, GstCaps *caps, std::string &error,
                             const std::atomic<bool> &cancel) {
  GstVideoInfo info;
  gst_video_info_from_caps(&info, caps);
  std::string shown = text.size() > kMaxTextLength ? text.substr(0, kMaxTextLength) + "..." : text;
  g_autofree char *markup = g_markup_escape_text(shown.c_str(), -1);
  CardText card{
      markup,
      std::max(8, std::min(GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info)) / 24)};
  g_autofree char *description = g_strdup_printf(
      "videotestsrc pattern=solid-color foreground-color=%u num-buffers=1"
      " ! video/x-raw,format=I420,width=%d,height=%d"
      " ! textoverlay name=text valignment=center halignment=center line-alignment=center"
      " ! videoconvert ! capsfilter name=format"
      " ! appsink name=out sync=false",
      kCardBackground, GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info));
  return first_sample(description, caps, set_card_text, &card, error, cancel);
}

}  // namespace sora::playlist
