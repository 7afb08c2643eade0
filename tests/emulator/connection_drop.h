/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Ends a request by closing its connection without (the rest of) an answer, as a crashed or
// overloaded server does: the client sees EOF before the headers, or in the middle of the body.
#pragma once

#include <libsoup/soup.h>

// Pauses @message now and closes its connection from the main loop, outside libsoup's own I/O
// callbacks; whatever response was set and not yet written is discarded.
void drop_connection(SoupServerMessage *message);
