/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "reference_fit.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

namespace {

constexpr GstClockTime kFitTimeout = 20 * GST_SECOND;

struct Codec {
  const char *mime;
  const char *decoder;
  const char *encoder;
};

const Codec kCodecs[] = {
    {"image/jpeg", "jpegdec", "jpegenc quality=92"},
    {"image/png", "pngdec", "pngenc"},
    {"image/webp", "webpdec", "webpenc quality=92"},
};

std::string resize_chain(GstSoraReferenceFit fit, int width, int height) {
  std::string caps = "video/x-raw,width=" + std::to_string(width) +
                     ",height=" + std::to_string(height) + ",pixel-aspect-ratio=1/1";
  switch (fit) {
    case GST_SORA_REFERENCE_FIT_CROP:
      return "aspectratiocrop aspect-ratio=" + std::to_string(width) + "/" +
             std::to_string(height) + " ! videoconvert ! videoscale ! " + caps;
    case GST_SORA_REFERENCE_FIT_PAD:
      return "videoscale add-borders=true ! " + caps;
    default:
      return "videoscale add-borders=false ! " + caps;
  }
}

/* Records the decoded image's size, to keep an image that already fits. */
GstPadProbeReturn note_size(GstPad *, GstPadProbeInfo *info, gpointer data) {
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT(info);
  if (GST_EVENT_TYPE(event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    gst_event_parse_caps(event, &caps);
    auto *size = static_cast<std::pair<int, int> *>(data);
    GstStructure *s = gst_caps_get_structure(caps, 0);
    gst_structure_get_int(s, "width", &size->first);
    gst_structure_get_int(s, "height", &size->second);
  }
  return GST_PAD_PROBE_OK;
}

}  // namespace

std::optional<sora::ReferenceImage> fit_reference_image(const sora::ReferenceImage &image,
                                                        int width, int height,
                                                        GstSoraReferenceFit fit,
                                                        std::string *problem) {
  const Codec *codec = nullptr;
  for (const Codec &c : kCodecs) {
    if (image.mime == c.mime)
      codec = &c;
  }
  if (!codec) {
    *problem = "cannot resize an image of type " + image.mime;
    return std::nullopt;
  }
  std::string description = std::string("appsrc name=src ! ") + codec->decoder +
                            " name=dec ! videoconvert ! " + resize_chain(fit, width, height) +
                            " ! videoconvert ! " + codec->encoder +
                            " ! appsink name=sink sync=false";
  g_autoptr(GError) error = nullptr;
  g_autoptr(GstElement) pipeline = gst_parse_launch(description.c_str(), &error);
  if (!pipeline || error) {
    *problem = std::string("cannot build the resizing pipeline (") +
               (error ? error->message : "unknown error") + "); the GStreamer plugins for " +
               image.mime + " may be missing";
    return std::nullopt;
  }
  g_autoptr(GstElement) src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  g_autoptr(GstElement) sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  g_autoptr(GstElement) decoder = gst_bin_get_by_name(GST_BIN(pipeline), "dec");
  std::pair<int, int> original{0, 0};
  g_autoptr(GstPad) decoded = gst_element_get_static_pad(decoder, "src");
  gst_pad_add_probe(decoded, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, note_size, &original, nullptr);

  g_autoptr(GstCaps) caps = gst_caps_new_empty_simple(image.mime.c_str());
  g_object_set(src, "caps", caps, "format", GST_FORMAT_BYTES, nullptr);
  gst_app_src_push_buffer(GST_APP_SRC(src), gst_buffer_new_wrapped_bytes(image.bytes.get()));
  gst_app_src_end_of_stream(GST_APP_SRC(src));

  /* appsink holds EOS back until its sample is taken: take the sample first,
   * then look for an error only when there is none. */
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), kFitTimeout);
  std::string failure = "no image came out";
  if (!sample) {
    g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
    g_autoptr(GstMessage) msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    if (msg) {
      g_autoptr(GError) error_message = nullptr;
      gst_message_parse_error(msg, &error_message, nullptr);
      failure = error_message->message;
    }
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  if (!sample) {
    *problem = "cannot resize the image: " + failure;
    return std::nullopt;
  }

  sora::ReferenceImage fitted;
  fitted.filename = image.filename;
  fitted.mime = image.mime;
  if (original.first == width && original.second == height) {
    fitted.bytes.reset(g_bytes_ref(image.bytes.get()));
    return fitted;
  }
  GstBuffer *buffer = gst_sample_get_buffer(sample);
  GstMapInfo map;
  gst_buffer_map(buffer, &map, GST_MAP_READ);
  fitted.bytes.reset(g_bytes_new(map.data, map.size));
  gst_buffer_unmap(buffer, &map);
  return fitted;
}
