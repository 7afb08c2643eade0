/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Fault injection: an ordered list of rules, set with the control API's "faults" key, that make
// the server misbehave on chosen API or CDN requests (an error status, a delay, a hang, a dropped
// or truncated connection, a throttled download, a hostile body, a redirect), so that a client's
// handling of each failure can be tested. Each rule picks requests by method, route, video id
// and listener, lets `skip` of them through, then applies to the next `times`.
#pragma once

#include "api_request.h"
#include "api_route.h"
#include "glib_ptr.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

enum class FaultAction {
  kStatus,          // answer an error status
  kDelay,           // answer normally, after a while
  kHang,            // never answer
  kAcceptThenDrop,  // create the task, then close the connection without answering
  kDrop,            // close the connection without answering
  kTruncate,        // close the connection part way through a download
  kThrottle,        // send a download slowly
  kBody,            // answer a literal body, or a big filler body
  kRedirect,        // answer a redirect
  kHugeClip,        // a download announced (or sent) far larger than any clip
  kCorruptMoov,     // the task's clip with absurd sample counts in its moov
};

const char *fault_action_name(FaultAction action);

enum class RedirectTarget { kCdn, kSelf };

struct FaultRule {
  // Which requests the rule applies to; an unset field matches any request.
  std::optional<std::string> method;
  std::optional<ApiRoute> route;
  std::optional<std::string> video_id;
  std::optional<Listener> host;
  gint64 skip = 0;   // matching requests still to let through
  gint64 times = 1;  // matching requests still to fault; -1 = forever

  // What to do; which parameters an action takes is listed in fault_rules.cpp.
  FaultAction action = FaultAction::kStatus;
  std::optional<gint64> status;  // status, body, redirect: the HTTP status
  std::optional<std::string> body;
  std::optional<gint64> body_size;  // body: this many filler bytes instead of `body`
  std::optional<std::string> content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> error_code;  // status: override the default error's code and type
  std::optional<std::string> error_type;
  std::optional<gint64> delay_ms;
  std::optional<gint64> after_bytes;
  std::optional<gint64> bytes_per_second;
  std::optional<std::string> location;  // redirect: the Location verbatim, or
  std::optional<RedirectTarget> redirect_to;
  std::optional<gint64> announced_bytes;  // huge_clip: the Content-Length; unset = chunked
  std::optional<gint64> sent_bytes;       // huge_clip: the bytes sent
  std::optional<gint64> sample_count;     // corrupt_moov: the counts written into the moov

  bool matches(const ApiRequest &request) const;

  // Reads one rule; returns the reason when it is not valid.
  static std::optional<std::string> parse(JsonNode *node, FaultRule &rule);

  // The rule as posted, with skip and times counted down.
  JsonNodePtr to_json() const;
};

class FaultRules {
 public:
  // Replaces every rule with those of @array; on error nothing changes and the reason is returned.
  std::optional<std::string> replace(JsonNode *array);

  // The first rule that matches @request and is due, counted as used; null when none is.
  std::optional<FaultRule> take(const ApiRequest &request);

  JsonNodePtr to_json() const;

 private:
  std::vector<FaultRule> rules_;
};
