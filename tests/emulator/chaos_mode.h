/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Chaos mode: faults that arrive at random instead of at a chosen moment. With a seed and a rate,
// every API and CDN request that no fault rule takes draws its fate: answered normally, or one
// of the faults real outages bring (a 429 with Retry-After, a 500/502/503, an HTML page, an
// answer cut mid-JSON, a hang up to a limit, the connection dropped before or after the request
// was handled, a download cut or throttled at a random byte, a redirect to the CDN, Range
// ignored). Every new task also draws whether it fails or its content expires soon after it
// completes. Draws are made from a PRNG seeded by the seed, the request's identity (the prompt
// of the task it concerns), its route and how many such requests came before, so a run of one
// request sees the same faults whatever other clients do at the same time.
#pragma once

#include "api_request.h"
#include "fault_rules.h"
#include "glib_ptr.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

enum class ChaosKind {
  kRateLimit,     // 429 with Retry-After (or retry-after-ms)
  kServerError,   // 500, 502 or 503
  kHtml,          // a gateway's HTML page, with 502 or 200
  kCutJson,       // the normal JSON answer, its body cut at a random byte, then the connection
  kHang,          // the normal answer after a random delay up to hang_max_ms
  kDrop,          // the connection closed before the request is handled (nothing is created)
  kDropAfter,     // the request handled (a create creates its task), the connection closed
  kTruncate,      // a download cut at a random byte
  kThrottle,      // a download sent slowly
  kRedirect,      // /content answered with a redirect to the CDN listener
  kRangeIgnored,  // a download answered 200 with the whole file whatever Range asked
};

const char *chaos_kind_name(ChaosKind kind);

// One request's drawn fault.
struct ChaosFate {
  ChaosKind kind = ChaosKind::kServerError;
  guint status = 0;              // rate limit, server error, html, redirect
  guint retry_after_s = 0;       // rate limit: 0 sends retry-after-ms instead
  guint retry_after_ms = 0;      // rate limit, when retry_after_s is 0
  gint64 delay_ms = 0;           // hang
  double cut_fraction = 0;       // cut JSON, truncate: where in the body, 0 <= f < 1
  guint64 bytes_per_second = 0;  // throttle

  // "status 503", "hang 2300 ms", "truncate at 41 % of the body", ...
  std::string describe() const;
  // The fault rule that gives this answer, for the kinds fault rules have (not cut JSON and
  // Range ignored, which ApiServer applies itself).
  FaultRule as_fault_rule() const;
};

// What happens to a new task.
enum class TaskChaos { kNone, kFails, kExpires };

const char *task_chaos_name(TaskChaos chaos);

struct ChaosSettings {
  guint64 seed = 0;
  double rate = 0;               // share of requests that get a fault; 0 = chaos off
  gint64 hang_max_ms = 3000;     // hang: the longest delay
  gint64 retry_after_max_s = 2;  // rate limit: the longest Retry-After
  double task_failure_rate = 0;  // share of new tasks that end failed
  double task_expiry_rate = 0;   // share whose content expires expiry_s after completion
  gint64 expiry_s = 1;           // see task_expiry_rate
  std::vector<ChaosKind> kinds;  // the kinds drawn from; empty = every kind
};

class ChaosMode {
 public:
  // The prompt of the task with this id, "" when there is none: a request's identity.
  using PromptOf = std::function<std::string(const std::string &video_id)>;

  bool enabled() const { return settings_.rate > 0 || task_rates_set(); }

  // Replaces the settings from the control API's "chaos" member (an object, or null for off)
  // and starts the draws afresh; on error nothing changes and the reason is returned.
  std::optional<std::string> replace(JsonNode *node);
  // From the command line: --chaos-seed and --chaos-rate.
  void set(guint64 seed, double rate);

  // The fate of @request, whose route is matched; null: answer it normally.
  std::optional<ChaosFate> draw(const ApiRequest &request, const PromptOf &prompt_of);
  // The fate of a new task for @prompt.
  TaskChaos draw_task(const std::string &prompt);

  const ChaosSettings &settings() const { return settings_; }
  // The settings, and how many requests and tasks drew each fate so far.
  JsonNodePtr to_json() const;

 private:
  bool task_rates_set() const {
    return settings_.task_failure_rate > 0 || settings_.task_expiry_rate > 0;
  }
  // A PRNG state for the @key's next draw.
  guint64 next_state(const std::string &key);

  ChaosSettings settings_;
  std::map<std::string, guint64> draws_;  // per identity, route and listener: draws made
  std::map<std::string, guint64> drawn_;  // per fate name: how often it was drawn
  guint64 requests_ = 0;                  // requests that drew, faulted or not
};
