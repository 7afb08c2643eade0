/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Sends a JSON document as the answer to a request.
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

void respond_json(SoupServerMessage *message, guint status, JsonNode *body);
