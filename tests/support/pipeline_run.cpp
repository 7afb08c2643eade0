/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "pipeline_run.h"

#include <cstring>

namespace sora_test {

PipelineResult::PipelineResult(PipelineResult &&other) noexcept
    : eos(other.eos),
      timed_out(other.timed_out),
      error_domain(other.error_domain),
      error_code(other.error_code),
      error_message(std::move(other.error_message)),
      error_debug(std::move(other.error_debug)),
      error_details(other.error_details),
      video_frames(other.video_frames),
      audio_buffers(other.audio_buffers),
      audio_duration(other.audio_duration),
      width(other.width),
      height(other.height),
      element_messages(std::move(other.element_messages)),
      progress_messages(std::move(other.progress_messages)),
      tags(std::move(other.tags)),
      time_to_first_frame(other.time_to_first_frame) {
  other.error_details = nullptr;
}

PipelineResult::~PipelineResult() {
  if (error_details)
    gst_structure_free(error_details);
  for (GstStructure *s : element_messages)
    gst_structure_free(s);
  for (GstStructure *s : progress_messages)
    gst_structure_free(s);
  for (GstTagList *t : tags)
    gst_tag_list_unref(t);
}

std::vector<const GstStructure *> PipelineResult::messages_named(const char *name) const {
  std::vector<const GstStructure *> found;
  for (const GstStructure *s : element_messages) {
    if (gst_structure_has_name(s, name))
      found.push_back(s);
  }
  return found;
}

std::string decode_pipeline(const std::string &src_properties) {
  return "soravideosrc name=src cache-mode=off " + src_properties +
         " ! decodebin name=d "
         "d. ! queue ! videoconvert ! fakesink name=vsink sync=false "
         "d. ! queue ! audioconvert ! fakesink name=asink sync=false";
}

PipelineRun::PipelineRun(const std::string &description) {
  g_autoptr(GError) error = nullptr;
  pipeline_ = gst_parse_launch(description.c_str(), &error);
  if (!pipeline_ || error)
    g_error("cannot build '%s': %s", description.c_str(), error ? error->message : "?");
  attach_counters();
}

PipelineRun::~PipelineRun() {
  gst_element_set_state(pipeline_, GST_STATE_NULL);
  gst_object_unref(pipeline_);
}

GstElement *PipelineRun::element(const char *name) const {
  GstElement *e = gst_bin_get_by_name(GST_BIN(pipeline_), name);
  if (e)
    gst_object_unref(e); /* the pipeline keeps it alive */
  return e;
}

void PipelineRun::attach_counters() {
  attach_counter(element("vsink"), on_video);
  attach_counter(element("asink"), on_audio);
}

void PipelineRun::count_on(GstElement *video_sink, GstElement *audio_sink) {
  attach_counter(video_sink, on_video);
  attach_counter(audio_sink, on_audio);
}

void PipelineRun::attach_counter(GstElement *sink, GstPadProbeCallback callback) {
  if (!sink)
    return;
  GstPad *pad = gst_element_get_static_pad(sink, "sink");
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, callback, this, nullptr);
  gst_object_unref(pad);
}

GstPadProbeReturn PipelineRun::on_video(GstPad *pad, GstPadProbeInfo *, gpointer data) {
  auto *self = static_cast<PipelineRun *>(data);
  if (self->video_frames_++ == 0) {
    self->first_frame_at_ = g_get_monotonic_time();
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (caps) {
      GstStructure *s = gst_caps_get_structure(caps, 0);
      gint w = 0, h = 0;
      gst_structure_get_int(s, "width", &w);
      gst_structure_get_int(s, "height", &h);
      self->width_ = w;
      self->height_ = h;
      gst_caps_unref(caps);
    }
  }
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn PipelineRun::on_audio(GstPad *, GstPadProbeInfo *info, gpointer data) {
  auto *self = static_cast<PipelineRun *>(data);
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER(info);
  self->audio_buffers_++;
  if (GST_BUFFER_DURATION_IS_VALID(buf))
    self->audio_duration_ += GST_BUFFER_DURATION(buf);
  return GST_PAD_PROBE_OK;
}

void PipelineRun::collect(PipelineResult &result, guint timeout_s) {
  GstBus *bus = gst_element_get_bus(pipeline_);
  gint64 deadline = g_get_monotonic_time() + static_cast<gint64>(timeout_s) * G_USEC_PER_SEC;
  while (!result.eos && !result.has_error()) {
    gint64 left = deadline - g_get_monotonic_time();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    GstMessage *msg = gst_bus_timed_pop(bus, static_cast<GstClockTime>(left) * GST_USECOND);
    if (msg)
      take(result, msg);
  }
  gst_object_unref(bus);
}

void PipelineRun::drain(PipelineResult &result) {
  GstBus *bus = gst_element_get_bus(pipeline_);
  while (GstMessage *msg = gst_bus_pop(bus))
    take(result, msg);
  gst_object_unref(bus);
}

void PipelineRun::take(PipelineResult &result, GstMessage *msg) {
  {
    switch (GST_MESSAGE_TYPE(msg)) {
      case GST_MESSAGE_EOS:
        result.eos = true;
        break;
      case GST_MESSAGE_ERROR: {
        if (result.has_error())
          break; /* the first error is the run's; the rest follow from it */
        GError *error = nullptr;
        gchar *debug = nullptr;
        gst_message_parse_error(msg, &error, &debug);
        result.error_domain = error->domain;
        result.error_code = error->code;
        result.error_message = error->message;
        result.error_debug = debug ? debug : "";
        const GstStructure *details = nullptr;
        gst_message_parse_error_details(msg, &details);
        if (details)
          result.error_details = gst_structure_copy(details);
        g_error_free(error);
        g_free(debug);
        break;
      }
      case GST_MESSAGE_WARNING: {
        GError *error = nullptr;
        gst_message_parse_warning(msg, &error, nullptr);
        result.warnings.push_back(error->message);
        g_error_free(error);
        break;
      }
      case GST_MESSAGE_ELEMENT:
        if (gst_message_get_structure(msg)) {
          GstStructure *copy = gst_structure_copy(gst_message_get_structure(msg));
          gst_structure_set(copy, "arrived-us", G_TYPE_INT64, g_get_monotonic_time(), nullptr);
          result.element_messages.push_back(copy);
        }
        break;
      case GST_MESSAGE_PROGRESS: {
        GstStructure *copy = gst_structure_copy(gst_message_get_structure(msg));
        gst_structure_set(copy, "arrived-us", G_TYPE_INT64, g_get_monotonic_time(), nullptr);
        result.progress_messages.push_back(copy);
        break;
      }
      case GST_MESSAGE_TAG: {
        GstTagList *tags = nullptr;
        gst_message_parse_tag(msg, &tags);
        result.tags.push_back(tags);
        break;
      }
      default:
        break;
    }
    gst_message_unref(msg);
  }
}

PipelineResult PipelineRun::play(guint timeout_s) {
  PipelineResult result;
  /* Each play() reports its own run: a test may play one pipeline again. */
  video_frames_ = 0;
  audio_buffers_ = 0;
  audio_duration_ = 0;
  first_frame_at_ = 0;
  width_ = 0;
  height_ = 0;
  started_at_ = g_get_monotonic_time();
  /* A failed state change leaves its error on the bus, where collect()
   * finds it. */
  gst_element_set_state(pipeline_, GST_STATE_PLAYING);
  collect(result, timeout_s);
  /* What the elements said while they stopped (a source's last progress
   * message, say) is on the bus at READY; READY->NULL flushes it. */
  gst_element_set_state(pipeline_, GST_STATE_READY);
  drain(result);
  gst_element_set_state(pipeline_, GST_STATE_NULL);
  result.video_frames = video_frames_;
  result.audio_buffers = audio_buffers_;
  result.audio_duration = audio_duration_;
  result.width = width_;
  result.height = height_;
  result.started_us = started_at_;
  if (first_frame_at_ > 0)
    result.time_to_first_frame =
        static_cast<GstClockTime>(first_frame_at_ - started_at_) * GST_USECOND;
  return result;
}

namespace {

void on_source_setup(GstElement *, GstElement *source, gpointer data) {
  auto *setup = static_cast<SourceSetup *>(data);
  setup->factory = GST_OBJECT_NAME(gst_element_get_factory(source));
  g_auto(GStrv) pairs = g_strsplit(setup->properties.c_str(), " ", -1);
  for (char **pair = pairs; *pair; pair++) {
    const char *equals = strchr(*pair, '=');
    if (!equals)
      continue;
    std::string name(*pair, static_cast<size_t>(equals - *pair));
    gst_util_set_object_arg(G_OBJECT(source), name.c_str(), equals + 1);
  }
}

}  // namespace

void connect_source_setup(GstElement *uri_bin, SourceSetup *setup) {
  g_signal_connect(uri_bin, "source-setup", G_CALLBACK(on_source_setup), setup);
}

PipelineResult play_with_playbin(const std::string &uri, SourceSetup &setup, guint timeout_s) {
  PipelineRun run("playbin");
  GstElement *playbin = run.pipeline(); /* a lone element is its own pipeline */
  GstElement *vsink = gst_element_factory_make("fakesink", nullptr);
  GstElement *asink = gst_element_factory_make("fakesink", nullptr);
  g_object_set(vsink, "sync", FALSE, nullptr);
  g_object_set(asink, "sync", FALSE, nullptr);
  run.count_on(vsink, asink);
  g_object_set(playbin, "uri", uri.c_str(), "video-sink", vsink, "audio-sink", asink, nullptr);
  connect_source_setup(playbin, &setup);
  return run.play(timeout_s);
}

}  // namespace sora_test
