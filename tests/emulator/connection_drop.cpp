/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "connection_drop.h"

namespace {

gboolean close_stolen_connection(gpointer data) {
  auto *message = static_cast<SoupServerMessage *>(data);
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection(message);
  if (stream) {
    g_io_stream_close(stream, nullptr, nullptr);
  }
  return G_SOURCE_REMOVE;
}

}  // namespace

void drop_connection(SoupServerMessage *message) {
  soup_server_message_pause(message);
  g_idle_add_full(G_PRIORITY_DEFAULT, close_stolen_connection, g_object_ref(message),
                  g_object_unref);
}
