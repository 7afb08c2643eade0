/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// A server-sent events answer (text/event-stream, chunked) written over time from the main loop:
// every tick it asks its source for the next event, sends each as a `data: JSON` line, sends a
// comment line as keep-alive when nothing was sent for a while, and ends the body after the
// last event. A truncate fault cuts it after a number of bytes, closing the connection, as a
// broken stream. Owns itself: gone when libsoup is done with the message.
#pragma once

#include <libsoup/soup.h>

#include <functional>
#include <optional>
#include <string>

struct StreamEvent {
  std::optional<std::string> data;  // a JSON text to send now, if any
  bool last = false;                // the body ends after it
};

// Sets the status and headers of @message and starts the stream; @next is asked every tick.
void start_event_stream(SoupServerMessage *message, std::function<StreamEvent()> next,
                        gint64 keepalive_ms, std::optional<goffset> cut_after);
