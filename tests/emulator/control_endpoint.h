/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The emulator's own control API under /_emulator (no auth), for tests: read and clear the
// request log, read and change the runtime config (including one-shot failures, expiring a
// video, fault rules and the dialect), and inspect every task's internal state.
#pragma once

#include "emulator_config.h"
#include "request_body.h"
#include "request_log.h"
#include "task_store.h"

#include <libsoup/soup.h>

#include <string>
#include <vector>

class ControlEndpoint {
 public:
  ControlEndpoint(EmulatorConfig &config, RequestLog &log, TaskStore &tasks);

  // @segments is the decoded path after "/_emulator".
  void handle(SoupServerMessage *message, const std::vector<std::string> &segments,
              const RequestBody &body);

 private:
  void update_config(SoupServerMessage *message, const RequestBody &body);
  void send_tasks(SoupServerMessage *message) const;

  EmulatorConfig &config_;
  RequestLog &log_;
  TaskStore &tasks_;
};
