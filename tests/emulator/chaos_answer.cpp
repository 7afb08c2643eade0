/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "chaos_answer.h"

#include "body_stream.h"

std::string cut_answer(SoupServerMessage *message, double fraction) {
  SoupMessageBody *body = soup_server_message_get_response_body(message);
  g_autoptr(GBytes) whole = soup_message_body_flatten(body);
  soup_message_body_truncate(body);
  auto length = static_cast<goffset>(g_bytes_get_size(whole));
  BodyPacing pacing;
  pacing.cut_fraction = fraction;
  stream_body(message, whole, length, pacing);
  return "the answer cut after " + std::to_string(pacing.end_of(length)) + " of " +
         std::to_string(length) + " bytes";
}
