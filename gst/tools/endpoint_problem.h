/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What stops sora-tasks before any request: no server known, or no key for
 * it in the environment (never on the command line). One wording for every
 * command. */
#pragma once

#include "core/gateway.h"

#include <optional>
#include <string>

namespace sora::tools {

/* The problem with `endpoint` (resolve_endpoint() of `asked` and the
 * --base-url given), for the user, or nothing. */
std::optional<std::string> endpoint_problem(const Endpoint &endpoint, Gateway asked);

}  // namespace sora::tools
