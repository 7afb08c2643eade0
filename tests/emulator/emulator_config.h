/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The emulator's settings: set from the command line at start and changed at run time through
// the control API (POST /_emulator/config), so a test can reshape the server between requests.
#pragma once

#include "clip_spec.h"
#include "chaos_mode.h"
#include "clip_variation.h"
#include "dialect_settings.h"
#include "fault_rules.h"
#include "hostile_mode.h"
#include "glib_ptr.h"
#include "task.h"

#include <optional>
#include <string>
#include <vector>

struct EmulatorConfig {
  std::string host = "127.0.0.1";
  int port = 0;                              // 0 = any free port
  std::optional<std::string> api_key;        // when unset, any non-empty Bearer token is accepted
  std::optional<std::string> forbidden_key;  // answered with 403
  gint64 queue_ms = 300;
  gint64 generation_ms = 1500;
  gint64 poll_after_ms = 500;  // 0 = no openai-poll-after-ms header
  gint64 expires_after_s = 86400;
  Mp4Layout layout = Mp4Layout::kMoovEnd;
  gint64 clip_bitrate_kbps = 0;  // 0 = the usual clip; else noise at this bitrate (ClipSpec)
  std::string render_cache_dir;  // empty = a private temporary directory
  bool verbose = false;
  std::optional<TaskError> fail_next;  // consumed by the next task created
  // The next task created is blocked by the safety filters with these reasons (native
  // providers: Gemini's raiMediaFilteredReasons, fal's content_policy_violation, Replicate's
  // E005); consumed by it.
  std::optional<std::vector<std::string>> filter_next;
  gint64 stream_keepalive_ms = 1000;   // fal's status stream: a comment line this often
  bool never_finish = false;           // new tasks stay in_progress for ever
  bool stall_next = false;             // the next task created does; consumed by it
  guint expired_status = 404;          // the answer to content past expires_at: 404 or 410
  DialectSettings dialect;
  FaultRules faults;
  ClipVariations clip_variations;  // `clip` and `prompt_rules`: clips as real models make them
  ChaosMode chaos;                 // faults at random (off unless set)
  HostileMode hostile;             // answers that attack the client (off unless set)

  // The settings the control API shows and changes.
  JsonNodePtr to_json() const;

  // Applies the members of @patch (keys as in to_json(); null clears an optional setting).
  // Checks everything first: on error nothing changes and the reason is returned.
  std::optional<std::string> merge_json(JsonObject *patch);
};
