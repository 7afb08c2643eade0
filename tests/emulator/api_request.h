/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// One request to the videos API or to the CDN listener, read whole when it arrived: the message,
// its path and query, its body, and what the server decided about it on the way (route, fault,
// pacing). It holds references to all of it, so that an answer can also be given later, after
// the libsoup handler returned (the delay fault).
#pragma once

#include "api_route.h"
#include "body_stream.h"
#include "glib_ptr.h"
#include "request_body.h"

#include <libsoup/soup.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

// The two addresses the emulator listens on: the API, and a "CDN" host for download URLs.
enum class Listener { kApi, kCdn };

const char *listener_name(Listener listener);
std::optional<Listener> parse_listener(const char *name);
// The first path segment of the listener's requests: "v1" or "cdn".
const char *listener_prefix(Listener listener);

struct RequestArrival {
  gint64 monotonic_us = 0;  // g_get_monotonic_time()
  gint64 wall_us = 0;       // g_get_real_time()
};

struct ApiRequest {
  GObjectPtr<SoupServerMessage> message;
  Listener listener = Listener::kApi;
  RequestArrival arrival;
  std::string method;
  std::string raw_path;               // as sent, still escaped
  std::string path;                   // decoded, for error messages and the log
  std::vector<std::string> segments;  // the decoded path segments, e.g. {"v1", "videos", "a/b"}
  HashTablePtr query;                 // decoded query parameters; may be null
  RequestBody body;

  gint64 log_seq = 0;
  std::optional<RouteMatch> route;  // null when the path names no API operation
  const char *fault = nullptr;      // the name of the fault action applied, if any
  BodyPacing pacing;                // how a download is sent (throttle and truncate faults)
  std::string video_id;             // set by the handler: the task the request concerned
  // Chaos mode: the fault drawn ("hang", ...) and how it went ("answered after 2300 ms"), and
  // what a created task drew ("fails", "expires"); empty when none.
  std::string chaos_kind;
  std::string chaos_detail;
  std::string chaos_task;
  bool ignore_range = false;  // a download answers the whole file whatever Range asks
  std::optional<guint32> corrupt_sample_count;  // corrupt_moov: the clip's moov so patched

  static std::unique_ptr<ApiRequest> read(SoupServerMessage *message, const char *raw_path,
                                          GHashTable *query, Listener listener);

  bool starts_with(const char *first_segment) const;
  // The segments after the first one ("v1", "cdn" or "_emulator").
  std::vector<std::string> segments_after_prefix() const;
  // The query string as sent, "" when there is none.
  std::string raw_query() const;
};
