/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "native_route.h"

namespace {

using Segments = std::vector<std::string>;

// "name:verb" split at its last colon; nullopt when the segment does not end in ":verb".
std::optional<std::string> before_verb(const std::string &segment, const char *verb) {
  std::string suffix = std::string(":") + verb;
  if (segment.size() <= suffix.size() ||
      segment.compare(segment.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  return segment.substr(0, segment.size() - suffix.size());
}

std::optional<RouteMatch> match_gemini(const std::string &method, const Segments &path) {
  if (path.size() < 3 || path[0] != "v1beta") {
    return std::nullopt;
  }
  if (path[1] == "models" && path.size() == 3 && method == "POST") {
    if (std::optional<std::string> model = before_verb(path[2], "predictLongRunning")) {
      return RouteMatch{ApiRoute::kCreate, "", *model};
    }
  }
  if (path[1] == "models" && path.size() == 5 && path[3] == "operations" && method == "GET") {
    return RouteMatch{ApiRoute::kRetrieve, path[4], path[2]};
  }
  if (path[1] == "files" && path.size() == 3 && (method == "GET" || method == "HEAD")) {
    if (std::optional<std::string> file = before_verb(path[2], "download")) {
      return RouteMatch{ApiRoute::kContent, *file, ""};
    }
  }
  return std::nullopt;
}

// The queue's request routes name only the app's owner and alias; any longer path is an app
// (with its sub-path) to submit to.
std::optional<RouteMatch> match_fal(const std::string &method, const Segments &path) {
  if (path.size() == 4 && path[0] == "api" && path[1] == "openapi" && path[2] == "queue" &&
      path[3] == "openapi.json" && method == "GET") {
    return RouteMatch{ApiRoute::kSchema, "", ""};
  }
  if (path.size() < 2) {
    return std::nullopt;
  }
  std::string app = path[0] + "/" + path[1];
  bool requests = path.size() >= 4 && path[2] == "requests";
  if (requests && path.size() == 4 && method == "GET") {
    return RouteMatch{ApiRoute::kResult, path[3], app};
  }
  if (requests && path.size() == 5 && path[4] == "status" && method == "GET") {
    return RouteMatch{ApiRoute::kRetrieve, path[3], app};
  }
  if (requests && path.size() == 6 && path[4] == "status" && path[5] == "stream" &&
      method == "GET") {
    return RouteMatch{ApiRoute::kStream, path[3], app};
  }
  if (requests && path.size() == 5 && path[4] == "cancel" && method == "PUT") {
    return RouteMatch{ApiRoute::kCancel, path[3], app};
  }
  if (!requests && method == "POST") {
    for (size_t i = 2; i < path.size(); i++) {
      app += "/" + path[i];
    }
    return RouteMatch{ApiRoute::kCreate, "", app};
  }
  return std::nullopt;
}

std::optional<RouteMatch> match_replicate(const std::string &method, const Segments &path) {
  if (path.size() < 2 || path[0] != "v1") {
    return std::nullopt;
  }
  if (path[1] == "predictions") {
    if (path.size() == 2) {
      if (method == "POST") {
        return RouteMatch{ApiRoute::kCreate, "", ""};
      }
      return method == "GET" ? std::optional(RouteMatch{ApiRoute::kList, "", ""}) : std::nullopt;
    }
    if (path.size() == 3 && method == "GET") {
      return RouteMatch{ApiRoute::kRetrieve, path[2], ""};
    }
    if (path.size() == 4 && path[3] == "cancel" && method == "POST") {
      return RouteMatch{ApiRoute::kCancel, path[2], ""};
    }
    return std::nullopt;
  }
  if (path[1] != "models" || path.size() < 4) {
    return std::nullopt;
  }
  std::string model = path[2] + "/" + path[3];
  if (path.size() == 4 && method == "GET") {
    return RouteMatch{ApiRoute::kSchema, "", model};
  }
  // One version of the model: its id rides in video_id.
  if (path.size() == 6 && path[4] == "versions" && method == "GET") {
    return RouteMatch{ApiRoute::kSchema, path[5], model};
  }
  if (path.size() == 5 && path[4] == "predictions" && method == "POST") {
    return RouteMatch{ApiRoute::kCreate, "", model};
  }
  return std::nullopt;
}

}  // namespace

std::optional<RouteMatch> match_native_route(Provider provider, const std::string &method,
                                             const std::vector<std::string> &segments) {
  switch (provider) {
    case Provider::kGemini:
      return match_gemini(method, segments);
    case Provider::kFal:
      return match_fal(method, segments);
    case Provider::kReplicate:
      return match_replicate(method, segments);
    case Provider::kNone:
      break;
  }
  return std::nullopt;
}
