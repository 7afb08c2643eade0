/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "shot_decoder.h"

#include "shot_spec.h"

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

namespace {

/* Frames and audio buffers an appsink may hold: a few, so that a shot
 * waiting for its turn costs little memory; audio buffers are ~20 ms. */
constexpr guint kVideoSamples = 4;
constexpr guint kAudioSamples = 32;

GstElement *make(const char *factory) {
  GstElement *element = gst_element_factory_make(factory, nullptr);
  if (!element)
    GST_ERROR("no %s element: is gst-plugins-base installed?", factory);
  return element;
}

/* Adds `elements` to `bin`, links them in order and brings them to the
 * bin's state; drops them all if one could not be made. */
bool add_chain(GstBin *bin, std::initializer_list<GstElement *> elements) {
  for (GstElement *e : elements) {
    if (!e) {
      for (GstElement *other : elements) {
        if (other)
          gst_object_unref(gst_object_ref_sink(other));
      }
      return false;
    }
  }
  for (GstElement *e : elements)
    gst_bin_add(bin, e);
  GstElement *previous = nullptr;
  for (GstElement *e : elements) {
    if (previous && !gst_element_link(previous, e))
      return false;
    previous = e;
  }
  /* Downstream first, so that nothing pushes into an element still in NULL. */
  std::vector<GstElement *> reversed(elements.begin(), elements.end());
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it)
    gst_element_sync_state_with_parent(*it);
  return true;
}

}  // namespace

ShotDecoder::ShotDecoder(size_t index, std::string path, GstCaps *video_caps, GstCaps *audio_caps,
                         DecoderHooks hooks)
    : index_(index),
      path_(std::move(path)),
      video_caps_(ref_caps(video_caps)),
      audio_caps_(ref_caps(audio_caps)),
      hooks_(std::move(hooks)) {
  gst_segment_init(&video_segment_, GST_FORMAT_TIME);
}

ShotDecoder::~ShotDecoder() {
  stop();
}

bool ShotDecoder::start(std::string &error) {
  std::string name = "sora-decode-" + std::to_string(index_ + 1); /* as users count */
  pipeline_.reset(GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(name.c_str()))));
  GstElement *source = make("filesrc");
  GstElement *decodebin = make("decodebin");
  if (!source || !decodebin) {
    error = "cannot make filesrc and decodebin";
    for (GstElement *made : {source, decodebin}) {
      if (made)
        gst_object_unref(gst_object_ref_sink(made));
    }
    return false;
  }
  g_object_set(source, "location", path_.c_str(), nullptr);
  gst_bin_add_many(GST_BIN(pipeline_.get()), source, decodebin, nullptr);
  gst_element_link(source, decodebin);
  g_signal_connect(decodebin, "pad-added", G_CALLBACK(on_pad_added), this);
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline_.get());
  gst_bus_set_sync_handler(bus, on_message, this, nullptr);
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE) {
    error = "the clip " + path_ + " cannot be decoded";
    return false;
  }
  return true;
}

void ShotDecoder::play() {
  if (pipeline_ && !stopped_) {
    gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING);
    playing_ = true;
  }
}

void ShotDecoder::stop() {
  if (!pipeline_ || stopped_)
    return;
  stopped_ = true;
  gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline_.get());
  gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
}

GstSample *ShotDecoder::pull_video() {
  GstElement *sink = video_sink_.load();
  return sink ? gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 0) : nullptr;
}

GstSample *ShotDecoder::pull_audio() {
  GstElement *sink = audio_sink_.load();
  return sink ? gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 0) : nullptr;
}

bool ShotDecoder::video_eos() const {
  GstElement *sink = video_sink_.load();
  return !sink || gst_app_sink_is_eos(GST_APP_SINK(sink));
}

bool ShotDecoder::audio_eos() const {
  GstElement *sink = audio_sink_.load();
  return !sink || gst_app_sink_is_eos(GST_APP_SINK(sink));
}

GstElement *ShotDecoder::make_sink() {
  GstElement *sink = make("appsink");
  if (!sink)
    return nullptr;
  /* The programme sets the pace: no clock here. */
  g_object_set(sink, "sync", FALSE, "enable-last-sample", FALSE, "qos", FALSE, nullptr);
  GstAppSinkCallbacks callbacks = {};
  callbacks.eos = [](GstAppSink *, gpointer self) {
    static_cast<ShotDecoder *>(self)->hooks_.wake();
  };
  callbacks.new_preroll = [](GstAppSink *, gpointer self) -> GstFlowReturn {
    static_cast<ShotDecoder *>(self)->hooks_.wake();
    return GST_FLOW_OK;
  };
  callbacks.new_sample = [](GstAppSink *, gpointer self) -> GstFlowReturn {
    static_cast<ShotDecoder *>(self)->hooks_.wake();
    return GST_FLOW_OK;
  };
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, this, nullptr);
  return sink;
}

GstElement *ShotDecoder::video_branch(GstPad **input) {
  GstElement *scale = make("videoconvertscale");
  GstElement *rate = make("videorate");
  GstElement *filter = make("capsfilter");
  GstElement *sink = make_sink();
  if (scale)
    g_object_set(scale, "add-borders", TRUE, nullptr);
  if (filter)
    g_object_set(filter, "caps", video_caps_.get(), nullptr);
  if (sink)
    g_object_set(sink, "max-buffers", kVideoSamples, nullptr);
  if (!add_chain(GST_BIN(pipeline_.get()), {scale, rate, filter, sink}))
    return nullptr;
  *input = gst_element_get_static_pad(scale, "sink");
  gst_pad_add_probe(
      *input,
      static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM),
      on_decoded, this, nullptr);
  return sink;
}

GstElement *ShotDecoder::audio_branch(GstPad **input) {
  GstElement *convert = make("audioconvert");
  GstElement *resample = make("audioresample");
  GstElement *filter = make("capsfilter");
  GstElement *sink = make_sink();
  if (filter)
    g_object_set(filter, "caps", audio_caps_.get(), nullptr);
  if (sink)
    g_object_set(sink, "max-buffers", kAudioSamples, nullptr);
  if (!add_chain(GST_BIN(pipeline_.get()), {convert, resample, filter, sink}))
    return nullptr;
  *input = gst_element_get_static_pad(convert, "sink");
  return sink;
}

void ShotDecoder::link_branch(GstPad *pad) {
  CapsPtr caps(gst_pad_get_current_caps(pad));
  if (!caps)
    caps.reset(gst_pad_query_caps(pad, nullptr));
  const char *kind = caps && !gst_caps_is_empty(caps.get())
                         ? gst_structure_get_name(gst_caps_get_structure(caps.get(), 0))
                         : "";
  GstPad *input = nullptr;
  GstElement *sink = nullptr;
  if (g_str_equal(kind, "video/x-raw") && !video_sink_.load()) {
    sink = video_branch(&input);
    if (sink)
      video_sink_.store(sink);
  } else if (g_str_equal(kind, "audio/x-raw") && !audio_sink_.load()) {
    sink = audio_branch(&input);
    if (sink)
      audio_sink_.store(sink);
  }
  if (!input) {
    /* A stream the programme does not use (a second video, subtitles):
     * drained, so the demuxer never blocks on it. */
    GstElement *drain = make("fakesink");
    if (!drain)
      return;
    g_object_set(drain, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add(GST_BIN(pipeline_.get()), drain);
    gst_element_sync_state_with_parent(drain);
    input = gst_element_get_static_pad(drain, "sink");
  }
  if (gst_pad_link(pad, input) != GST_PAD_LINK_OK)
    GST_WARNING("%s: cannot link the %s stream", shot_label(index_).c_str(), kind);
  gst_object_unref(input);
}

void ShotDecoder::on_pad_added(GstElement *, GstPad *pad, gpointer self) {
  static_cast<ShotDecoder *>(self)->link_branch(pad);
}

GstBusSyncReply ShotDecoder::on_message(GstBus *, GstMessage *message, gpointer data) {
  auto *self = static_cast<ShotDecoder *>(data);
  self->hooks_.message(self->index_, message);
  /* A sync handler that drops a message owns it: left alone, it would
   * hold its source, and with it the whole pipeline, for ever. */
  gst_message_unref(message);
  return GST_BUS_DROP;
}

/* Keeps the end of the latest decoded frame, before videorate: the clip's
 * own video length, whatever the container says of its audio. */
GstPadProbeReturn ShotDecoder::on_decoded(GstPad *, GstPadProbeInfo *info, gpointer data) {
  auto *self = static_cast<ShotDecoder *>(data);
  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT(info);
    if (GST_EVENT_TYPE(event) == GST_EVENT_SEGMENT) {
      const GstSegment *segment = nullptr;
      gst_event_parse_segment(event, &segment);
      std::lock_guard<std::mutex> guard(self->segment_lock_);
      gst_segment_copy_into(segment, &self->video_segment_);
    }
    return GST_PAD_PROBE_OK;
  }
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  if (!GST_BUFFER_PTS_IS_VALID(buffer))
    return GST_PAD_PROBE_OK;
  GstClockTime end = GST_BUFFER_PTS(buffer);
  if (GST_BUFFER_DURATION_IS_VALID(buffer))
    end += GST_BUFFER_DURATION(buffer);
  GstClockTime running;
  {
    std::lock_guard<std::mutex> guard(self->segment_lock_);
    running = gst_segment_to_running_time(&self->video_segment_, GST_FORMAT_TIME, end);
  }
  GstClockTime latest = self->decoded_video_end_.load();
  if (GST_CLOCK_TIME_IS_VALID(running) && (!GST_CLOCK_TIME_IS_VALID(latest) || running > latest))
    self->decoded_video_end_.store(running);
  return GST_PAD_PROBE_OK;
}

}  // namespace sora::playlist
