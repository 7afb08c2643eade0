/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/provider.h"

#include "core/fal_queue.h"
#include "core/gemini_operations.h"
#include "core/openai_format.h"
#include "core/replicate_predictions.h"

namespace sora {

namespace {

constexpr GUriFlags kHttpUriFlags = static_cast<GUriFlags>(SOUP_HTTP_URI_FLAGS);
/* Bounds on the server's poll hint: a hostile 0 must not turn into a flood,
 * nor a huge value into a hang. */
constexpr guint kMinPollMs = 100;
constexpr guint kMaxPollMs = 60 * 1000;

}  // namespace

guint Provider::poll_interval_ms(const HttpResponse &response) const {
  guint interval = settings_.connection.profile().default_poll_ms;
  const char *hint = response.header("openai-poll-after-ms");
  guint64 hinted = 0;
  if (hint && g_ascii_string_to_unsigned(hint, 10, 0, G_MAXUINT, &hinted, nullptr))
    interval = CLAMP(static_cast<guint>(hinted), kMinPollMs, kMaxPollMs);
  return interval;
}

const std::string &Provider::paths_tried() const {
  static const std::string none;
  return none;
}

std::unique_ptr<Provider> make_provider(ProviderSettings settings) {
  switch (settings.connection.profile().protocol) {
    case Protocol::kGeminiOperations:
      return std::make_unique<GeminiOperations>(std::move(settings));
    case Protocol::kFalQueue:
      return std::make_unique<FalQueue>(std::move(settings));
    case Protocol::kReplicatePredictions:
      return std::make_unique<ReplicatePredictions>(std::move(settings));
    case Protocol::kOpenAiFormat:
      break;
  }
  return std::make_unique<OpenAiFormat>(std::move(settings));
}

std::string same_origin_url(const std::string &base_url, const std::string &url) {
  if (url.empty())
    return "";
  g_autoptr(GUri) base_uri = g_uri_parse(base_url.c_str(), kHttpUriFlags, nullptr);
  g_autoptr(GUri) resolved =
      base_uri ? g_uri_parse_relative(base_uri, url.c_str(), kHttpUriFlags, nullptr) : nullptr;
  if (!resolved || g_strcmp0(g_uri_get_scheme(resolved), g_uri_get_scheme(base_uri)) != 0 ||
      g_ascii_strcasecmp(g_uri_get_host(resolved), g_uri_get_host(base_uri)) != 0 ||
      g_uri_get_port(resolved) != g_uri_get_port(base_uri))
    return "";
  g_autofree char *text = g_uri_to_string(resolved);
  return text;
}

std::string http_url_or_empty(const std::string &url) {
  g_autoptr(GUri) uri = g_uri_parse(url.c_str(), kHttpUriFlags, nullptr);
  if (!uri || !g_uri_get_host(uri) || !*g_uri_get_host(uri))
    return "";
  const char *scheme = g_uri_get_scheme(uri);
  if (g_ascii_strcasecmp(scheme, "http") != 0 && g_ascii_strcasecmp(scheme, "https") != 0)
    return "";
  return url;
}

}  // namespace sora
