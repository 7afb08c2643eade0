/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The answers fault rules give in place of the API's own: an error status with a body in the
// dialect's error shape (or a literal one), a literal or filler body, and redirects (to a given
// URL, to the same path on the CDN listener, or to the request's own URL for an endless loop).
#pragma once

#include "api_request.h"
#include "fault_rules.h"
#include "server_dialect.h"

#include <string>

// For the status, body and redirect actions. @cdn_url is the CDN listener's root.
void send_fault_answer(ApiRequest &request, const FaultRule &rule, const ServerDialect &dialect,
                       const std::string &cdn_url);
