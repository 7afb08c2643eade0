/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Secrets: an API key is overwritten before its memory is released, so a
 * core dump or a later allocation does not carry it. */
#pragma once

#include <string>

namespace sora {

/* Overwrites `secret` with zeros and empties it. */
void wipe_secret(std::string &secret);

}  // namespace sora
