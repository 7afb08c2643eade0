/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "endpoint_problem.h"

namespace sora::tools {

std::optional<std::string> endpoint_problem(const Endpoint &endpoint, Gateway asked) {
  if (endpoint.base_url.empty())
    return no_endpoint_message(asked) + " (here: --base-url, --gateway)";
  if (!endpoint.api_key.empty())
    return std::nullopt;
  const char *own = gateway_profile(endpoint.gateway).key_env;
  if (own && !endpoint.withheld_key.empty())
    return std::string("no API key: set ") + own + "." + withheld_key_note(endpoint);
  return std::string("no API key: set ") + (own ? std::string(own) + " or " : "") +
         "OPENAI_API_KEY";
}

}  // namespace sora::tools
