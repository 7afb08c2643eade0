/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "provider_key_check.h"

#include <cstring>
#include <string>

namespace {

std::string trimmed(const char *value) {
  g_autofree char *copy = g_strstrip(g_strdup(value ? value : ""));
  return copy;
}

// The credentials after "SCHEME " in the Authorization header, "" when it has another scheme.
std::string authorization_with(SoupMessageHeaders *headers, const char *scheme) {
  const char *header = soup_message_headers_get_one(headers, "Authorization");
  size_t length = strlen(scheme);
  if (!header || g_ascii_strncasecmp(header, scheme, length) != 0 || header[length] != ' ') {
    return "";
  }
  return trimmed(header + length + 1);
}

// Texts of the Google front end (ESF) for API keys; the last one for a Bearer token that is not
// a valid OAuth token.
std::optional<ApiError> check_google(const ApiRequest &request, SoupMessageHeaders *headers,
                                     const EmulatorConfig &config) {
  std::string key = trimmed(soup_message_headers_get_one(headers, "x-goog-api-key"));
  const char *in_query =
      request.query ? static_cast<const char *>(g_hash_table_lookup(request.query.get(), "key"))
                    : nullptr;
  if (key.empty() && in_query) {
    key = trimmed(in_query);
  }
  if (key.empty() && !authorization_with(headers, "Bearer").empty()) {
    return ApiError::with_status(
        401,
        "Request had invalid authentication credentials. Expected OAuth 2 access "
        "token, login cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        std::string("UNAUTHENTICATED"));
  }
  if (key.empty()) {
    return ApiError::with_status(
        403,
        "Method doesn't allow unregistered callers (callers without established "
        "identity). Please use API Key or other form of API consumer identity to "
        "call this API.",
        std::string("PERMISSION_DENIED"));
  }
  if (config.forbidden_key == key) {
    return ApiError::with_status(
        403, "Permission denied: Consumer 'api_key:" + mask_key(key) + "' has been suspended.",
        std::string("PERMISSION_DENIED"));
  }
  if (config.api_key && *config.api_key != key) {
    return ApiError::with_status(400, "API key not valid. Please pass a valid API key.",
                                 std::string("INVALID_ARGUMENT"));
  }
  return std::nullopt;
}

std::optional<ApiError> check_fal(SoupMessageHeaders *headers, const EmulatorConfig &config) {
  std::string key = authorization_with(headers, "Key");
  if (key.empty()) {
    return ApiError::with_status(401, "Authentication is required to access this application.");
  }
  if (config.forbidden_key == key) {
    return ApiError::with_status(
        403,
        "User is locked. Reason: Exhausted balance. Top up your balance at "
        "fal.ai/dashboard/billing.");
  }
  if (config.api_key && *config.api_key != key) {
    return ApiError::with_status(401, "No user found for Key ID and Secret");
  }
  return std::nullopt;
}

// Replicate also takes its older `Authorization: Token TOKEN`.
std::optional<ApiError> check_replicate(SoupMessageHeaders *headers, const EmulatorConfig &config) {
  std::string key = authorization_with(headers, "Bearer");
  if (key.empty()) {
    key = authorization_with(headers, "Token");
  }
  if (key.empty()) {
    return ApiError::with_status(401, "You did not pass an authentication token");
  }
  if (config.forbidden_key == key) {
    return ApiError::with_status(403, "You do not have permission to perform this action.");
  }
  if (config.api_key && *config.api_key != key) {
    return ApiError::with_status(401, "You did not pass a valid authentication token");
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> check_provider_key(const ApiRequest &request, const EmulatorConfig &config,
                                           const DialectSettings &settings) {
  SoupMessageHeaders *headers = soup_server_message_get_request_headers(request.message.get());
  switch (settings.provider) {
    case Provider::kGemini:
      return check_google(request, headers, config);
    case Provider::kFal:
      return check_fal(headers, config);
    case Provider::kReplicate:
    case Provider::kNone:
      break;
  }
  return check_replicate(headers, config);
}
