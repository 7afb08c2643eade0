/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Chaos mode's answer cut mid-body: the answer the API gave, its headers and first bytes sent,
// then the connection closed, as when a gateway or a load balancer dies half-way through. A
// create answered so has created its task: the client cannot know its id.
#pragma once

#include <libsoup/soup.h>

#include <string>

// Sends the response already set on @message (status, headers, body) up to @fraction of its
// body (0 <= fraction < 1), then closes the connection. Returns what was done, for the log:
// "the answer cut after 37 of 412 bytes".
std::string cut_answer(SoupServerMessage *message, double fraction);
