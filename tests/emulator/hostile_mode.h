/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Hostile mode: a server that attacks its client through its answers rather than failing. Set
// with the control API's "hostile" key; the API listener's JSON answers are rewritten after they
// are made (fault answers included): nested 100,000 levels deep, with the request's own key
// echoed in every error field and in x-request-id, with terminal control sequences in chosen
// fields; and the next task created may get an id no URL path can hold ("." or "..").
#pragma once

#include "api_request.h"
#include "api_route.h"
#include "glib_ptr.h"

#include <optional>
#include <string>
#include <vector>

struct HostileSettings {
  std::vector<ApiRoute> deep_json_routes;  // their JSON answers get a member nested this deep
  gint64 deep_json_depth = 100000;
  bool echo_key = false;                    // every error answer echoes the key it was sent
  std::vector<std::string> control_fields;  // members whose strings get control sequences
  std::optional<std::string> next_task_id;  // the next task created gets this id; used once
};

class HostileMode {
 public:
  // {"deep_json": [...], "deep_json_depth": N, "echo_key": true, "control_chars": [...],
  // "next_task_id": "."} or null (off). On error nothing changes and the reason is returned.
  std::optional<std::string> replace(JsonNode *node);
  JsonNodePtr to_json() const;

  // The id the next task created is to get, once; null when it gets a usual one.
  std::optional<std::string> take_next_task_id();

  // Rewrites the answer just made for @request, as the settings say. Only the API listener's
  // complete JSON answers are touched.
  void rewrite(ApiRequest &request) const;

 private:
  HostileSettings settings_;
};
