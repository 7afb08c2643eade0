/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Answers a download with a rendered file without reading it into memory: the file is mapped and
// the response body points into the mapping, which libsoup writes out as the socket accepts it
// (so clips of 100 MB and many parallel downloads cost page cache, not heap). Handles HEAD and
// single byte ranges (206, or 416 when unsatisfiable), unless told to ignore Range as some
// gateways' proxies do, and sends the body slowly or cut short when a fault asks for it.
#pragma once

#include "body_stream.h"

#include <libsoup/soup.h>

#include <string>

struct ContentDelivery {
  bool honour_range = true;
  BodyPacing pacing;
};

// Fails (setting @error, leaving @message untouched) only when the file cannot be read.
bool send_file(SoupServerMessage *message, const std::string &path, const char *content_type,
               const std::string &download_name, const ContentDelivery &delivery, GError **error);

// The same with the file's bytes in hand.
void send_contents(SoupServerMessage *message, GBytes *contents, const char *content_type,
                   const std::string &download_name, const ContentDelivery &delivery);
