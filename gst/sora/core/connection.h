/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Connection: how to reach one server, in one struct that the element, the
 * job, the task client and sora-tasks share rather than copy field by field:
 * where it is, the key, the family it belongs to, and the limits of a
 * single request. */
#pragma once

#include "core/gateway.h"
#include "core/path_style.h"

#include <string>

namespace sora {

struct Connection {
  std::string base_url; /* e.g. https://openrouter.ai/api/v1, without a trailing slash */
  std::string api_key;
  std::string user_agent;
  Gateway gateway = Gateway::kAuto; /* the family in effect (resolve_endpoint) */
  PathStyle path_style = PathStyle::kAuto;
  unsigned timeout_s = 60; /* I/O timeout of one request */
  int retries = 5;         /* consecutive failures of one request; -1: no limit */

  const GatewayProfile &profile() const { return gateway_profile(gateway); }
};

}  // namespace sora
