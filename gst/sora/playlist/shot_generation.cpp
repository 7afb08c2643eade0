/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "shot_generation.h"

namespace sora::playlist {

ShotGeneration::ShotGeneration(size_t index, const ShotSpec &spec, const ShotDefaults &defaults,
                               std::string path, MessageHook hook)
    : index_(index),
      spec_(spec),
      defaults_(defaults),
      path_(std::move(path)),
      hook_(std::move(hook)) {}

ShotGeneration::~ShotGeneration() {
  stop();
}

bool ShotGeneration::start(std::string &error) {
  std::string name = "sora-shot-" + std::to_string(index_ + 1); /* as users count */
  pipeline_.reset(GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(name.c_str()))));
  GstElement *source = gst_element_factory_make("soravideosrc", "source");
  GstElement *sink = gst_element_factory_make("fakesink", nullptr);
  if (!source || !sink) {
    error = "cannot make soravideosrc and fakesink";
    for (GstElement *made : {source, sink}) {
      if (made)
        gst_object_unref(gst_object_ref_sink(made));
    }
    return false;
  }
  source_ = source;
  defaults_.apply_to(source_);
  spec_.apply_to(source_);
  g_object_set(source_, "location", path_.c_str(), nullptr);
  g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
  gst_bin_add_many(GST_BIN(pipeline_.get()), source_, sink, nullptr);
  gst_element_link(source_, sink);
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline_.get());
  gst_bus_set_sync_handler(bus, on_message, this, nullptr);
  /* A failure here has already posted its error (a setting soravideosrc
   * refuses) on the bus, so the hook knows why. */
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE) {
    error = "the shot's soravideosrc did not start";
    return false;
  }
  return true;
}

void ShotGeneration::stop() {
  if (!pipeline_ || stopped_)
    return;
  stopped_ = true;
  gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline_.get());
  gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
}

std::string ShotGeneration::video_id() const {
  if (!source_)
    return "";
  g_autofree char *id = nullptr;
  g_object_get(source_, "video-id", &id, nullptr);
  return id ? id : "";
}

GstBusSyncReply ShotGeneration::on_message(GstBus *, GstMessage *message, gpointer data) {
  auto *self = static_cast<ShotGeneration *>(data);
  self->hook_(self->index_, message);
  /* A sync handler that drops a message owns it: left alone, it would
   * hold its source, and with it the whole pipeline, for ever. */
  gst_message_unref(message);
  return GST_BUS_DROP;
}

}  // namespace sora::playlist
