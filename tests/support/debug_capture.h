/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GStreamer's debug log at every level (libsoup's logger included) and
 * GLib's messages, kept in memory while a DebugCapture lives: for tests that
 * scan the whole log for what must never be in it, such as the API key. */
#pragma once

#include <gst/gst.h>

#include <mutex>
#include <string>

namespace sora_test {

class DebugCapture {
 public:
  /* Into memory only: megabytes on stderr would drown the test log. */
  DebugCapture();
  ~DebugCapture(); /* the default log function and level back */
  DebugCapture(const DebugCapture &) = delete;
  DebugCapture &operator=(const DebugCapture &) = delete;

  /* Everything logged so far. */
  std::string text() const;

 private:
  static void on_gst(GstDebugCategory *category, GstDebugLevel level, const gchar *file,
                     const gchar *function, gint line, GObject *object, GstDebugMessage *message,
                     gpointer self);
  static void on_glib(const gchar *domain, GLogLevelFlags flags, const gchar *message,
                      gpointer self);

  mutable std::mutex lock_;
  std::string text_;
  GLogFunc previous_glib_ = nullptr;
  gpointer previous_glib_data_ = nullptr;
};

}  // namespace sora_test
