/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "api_route.h"

#include "named_values.h"

#include <glib.h>

#include <algorithm>

namespace {

const NamedValue<ApiRoute> kRoutes[] = {
    {ApiRoute::kCreate, "create"},
    {ApiRoute::kRetrieve, "retrieve"},
    {ApiRoute::kContent, "content"},
    {ApiRoute::kList, "list"},
    {ApiRoute::kDelete, "delete"},
    {ApiRoute::kRemix, "remix"},
    {ApiRoute::kExtensions, "extensions"},
    {ApiRoute::kModels, "models"},
    {ApiRoute::kVideoModels, "video_models"},
    {ApiRoute::kCancel, "cancel"},
    {ApiRoute::kStream, "stream"},
    {ApiRoute::kResult, "result"},
    {ApiRoute::kSchema, "schema"},
};

std::vector<std::string> collection_segments(CreatePath create_path) {
  g_auto(GStrv) parts = g_strsplit(create_path_name(create_path), "/", -1);
  return std::vector<std::string>(parts, parts + g_strv_length(parts));
}

// The routes below the collection: "", "{id}", "extensions", "{id}/content", "{id}/remix".
std::optional<RouteMatch> match_below_collection(const std::string &method,
                                                 const std::vector<std::string> &rest) {
  if (rest.empty() && method == "POST") {
    return RouteMatch{ApiRoute::kCreate, "", ""};
  }
  if (rest.empty() && method == "GET") {
    return RouteMatch{ApiRoute::kList, "", ""};
  }
  if (rest.size() == 1 && rest[0] == "extensions" && method == "POST") {
    return RouteMatch{ApiRoute::kExtensions, "", ""};
  }
  if (rest.size() == 1 && method == "GET") {
    return RouteMatch{ApiRoute::kRetrieve, rest[0], ""};
  }
  if (rest.size() == 1 && method == "DELETE") {
    return RouteMatch{ApiRoute::kDelete, rest[0], ""};
  }
  if (rest.size() == 2 && rest[1] == "content" && (method == "GET" || method == "HEAD")) {
    return RouteMatch{ApiRoute::kContent, rest[0], ""};
  }
  if (rest.size() == 2 && rest[1] == "remix" && method == "POST") {
    return RouteMatch{ApiRoute::kRemix, rest[0], ""};
  }
  return std::nullopt;
}

}  // namespace

const char *api_route_name(ApiRoute route) {
  return name_of(kRoutes, route);
}

std::optional<ApiRoute> parse_api_route(const char *name) {
  return value_named(kRoutes, name);
}

std::string api_route_names() {
  return names_of(kRoutes);
}

std::optional<RouteMatch> match_api_route(const std::string &method,
                                          const std::vector<std::string> &segments,
                                          const DialectSettings &settings) {
  if (method == "GET" && segments.size() == 1 && segments[0] == "models") {
    return RouteMatch{ApiRoute::kModels, "", ""};
  }
  std::vector<CreatePath> collections = {settings.create_path};
  if (settings.second_create_path) {
    collections.push_back(*settings.second_create_path);
  }
  for (CreatePath create_path : collections) {
    std::vector<std::string> collection = collection_segments(create_path);
    if (segments.size() < collection.size() ||
        !std::equal(collection.begin(), collection.end(), segments.begin())) {
      continue;
    }
    std::vector<std::string> rest(segments.begin() + collection.size(), segments.end());
    // OpenRouter's model list shadows a video called "models".
    if (settings.model_list == ModelList::kOpenRouter && method == "GET" && rest.size() == 1 &&
        rest[0] == "models") {
      return RouteMatch{ApiRoute::kVideoModels, "", ""};
    }
    if (std::optional<RouteMatch> match = match_below_collection(method, rest)) {
      return match;
    }
  }
  return std::nullopt;
}

std::string retrieve_path(const std::string &video_id, const DialectSettings &settings) {
  g_autofree char *escaped_id = g_uri_escape_string(video_id.c_str(), nullptr, FALSE);
  return std::string("/v1/") + create_path_name(settings.create_path) + "/" + escaped_id;
}
