/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Owning smart pointers for the GStreamer values the playlist source keeps
 * as members and in containers (elements, caps, samples, buffers,
 * structures), as core/glib_ptr.h does for GLib's. */
#pragma once

#include <gst/gst.h>

#include <memory>

namespace sora::playlist {

template <auto Fn>
struct GstFreeWith {
  template <typename T>
  void operator()(T *p) const {
    if (p)
      Fn(p);
  }
};

/* GStreamer's unref functions are static inline: wrapped, so that the
 * pointer types have external linkage. */
inline void unref_element(GstElement *element) {
  gst_object_unref(element);
}
inline void unref_caps(GstCaps *caps) {
  gst_caps_unref(caps);
}
inline void unref_sample(GstSample *sample) {
  gst_sample_unref(sample);
}
inline void unref_buffer(GstBuffer *buffer) {
  gst_buffer_unref(buffer);
}

using ElementPtr = std::unique_ptr<GstElement, GstFreeWith<unref_element>>;
using CapsPtr = std::unique_ptr<GstCaps, GstFreeWith<unref_caps>>;
using SamplePtr = std::unique_ptr<GstSample, GstFreeWith<unref_sample>>;
using BufferPtr = std::unique_ptr<GstBuffer, GstFreeWith<unref_buffer>>;
using StructurePtr = std::unique_ptr<GstStructure, GstFreeWith<gst_structure_free>>;

inline CapsPtr ref_caps(GstCaps *caps) {
  return CapsPtr(caps ? gst_caps_ref(caps) : nullptr);
}

inline SamplePtr ref_sample(GstSample *sample) {
  return SamplePtr(sample ? gst_sample_ref(sample) : nullptr);
}

}  // namespace sora::playlist
