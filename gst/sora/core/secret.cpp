/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/secret.h"

namespace sora {

void wipe_secret(std::string &secret) {
  /* volatile: the stores must happen although the memory is freed after. */
  volatile char *p = secret.data();
  for (size_t i = 0; i < secret.size(); i++)
    p[i] = 0;
  secret.clear();
}

}  // namespace sora
