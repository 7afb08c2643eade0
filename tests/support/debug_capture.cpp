/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "debug_capture.h"

namespace sora_test {

DebugCapture::DebugCapture() {
  gst_debug_remove_log_function(gst_debug_log_default);
  gst_debug_add_log_function(on_gst, this, nullptr);
  previous_glib_ = g_log_set_default_handler(on_glib, this);
  gst_debug_set_default_threshold(GST_LEVEL_MEMDUMP);
}

DebugCapture::~DebugCapture() {
  gst_debug_set_default_threshold(GST_LEVEL_NONE);
  gst_debug_remove_log_function(on_gst);
  gst_debug_add_log_function(gst_debug_log_default, nullptr, nullptr);
  g_log_set_default_handler(previous_glib_, nullptr);
}

std::string DebugCapture::text() const {
  std::lock_guard<std::mutex> guard(lock_);
  return text_;
}

void DebugCapture::on_gst(GstDebugCategory *category, GstDebugLevel level, const gchar *,
                          const gchar *, gint, GObject *, GstDebugMessage *message, gpointer self) {
  auto *capture = static_cast<DebugCapture *>(self);
  const char *text = gst_debug_message_get(message);
  std::lock_guard<std::mutex> guard(capture->lock_);
  capture->text_ += std::string(gst_debug_level_get_name(level)) + " " +
                    gst_debug_category_get_name(category) + " " + (text ? text : "") + "\n";
}

void DebugCapture::on_glib(const gchar *domain, GLogLevelFlags, const gchar *message,
                           gpointer self) {
  auto *capture = static_cast<DebugCapture *>(self);
  std::lock_guard<std::mutex> guard(capture->lock_);
  capture->text_ += std::string(domain ? domain : "") + " " + message + "\n";
}

}  // namespace sora_test
