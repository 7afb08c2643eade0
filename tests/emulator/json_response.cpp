/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "json_response.h"

#include "json_text.h"

void respond_json(SoupServerMessage *message, guint status, JsonNode *body) {
  std::string text = json_to_text(body);
  soup_server_message_set_status(message, status, nullptr);
  soup_server_message_set_response(message, "application/json", SOUP_MEMORY_COPY, text.data(),
                                   text.size());
}
