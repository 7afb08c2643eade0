/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// What the server saw: one record per API and CDN request (rejected and faulted ones included),
// in arrival order, with every header, the parsed body, the fault applied and the answer's
// status, so tests can assert on what a client really sent (GET /_emulator/requests).
#pragma once

#include "api_request.h"
#include "glib_ptr.h"

#include <vector>

class RequestLog {
 public:
  // Records an arrived request without its outcome; returns its sequence number.
  gint64 add(const ApiRequest &request);

  // Fills in how the request numbered @request.log_seq was answered (its status, unless
  // @answered is false), its video id and fault, unless the log was cleared since. A delayed
  // request gets its outcome after later requests arrived.
  void record_outcome(const ApiRequest &request, bool answered);

  JsonNodePtr to_json() const;

  void clear() { records_.clear(); }

 private:
  std::vector<JsonNodePtr> records_;
  gint64 next_seq_ = 1;
};
