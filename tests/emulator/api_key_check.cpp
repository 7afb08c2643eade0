/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "api_key_check.h"

#include <cstring>
#include <string>

namespace {

constexpr char kBearer[] = "Bearer ";

// The key of an `Authorization: Bearer KEY` header, "" when the header is missing or not Bearer.
std::string bearer_key(SoupMessageHeaders *headers) {
  const char *header = soup_message_headers_get_one(headers, "Authorization");
  if (!header || g_ascii_strncasecmp(header, kBearer, strlen(kBearer)) != 0) {
    return "";
  }
  g_autofree char *key = g_strstrip(g_strdup(header + strlen(kBearer)));
  return key;
}

std::string header_key(SoupMessageHeaders *headers, const char *name) {
  const char *value = soup_message_headers_get_one(headers, name);
  g_autofree char *key = g_strstrip(g_strdup(value ? value : ""));
  return key;
}

ApiError unauthorized(std::string message, std::optional<ErrorShape> shape = std::nullopt) {
  ApiError error = ApiError::invalid_request(std::move(message));
  error.http_status = 401;
  error.shape = shape;
  return error;
}

ApiError missing_key(const DialectSettings &settings) {
  switch (settings.error_shape) {
    case ErrorShape::kOpenRouter:
      return unauthorized("Missing Authentication header");
    case ErrorShape::kLitellm: {
      ApiError error = unauthorized("Authentication Error, No api key passed in.");
      error.type = "auth_error";
      return error;
    }
    default:
      return ApiError::missing_api_key();
  }
}

ApiError wrong_key(const DialectSettings &settings, const std::string &key) {
  switch (settings.error_shape) {
    case ErrorShape::kOpenRouter:
      return unauthorized("User not found.");
    case ErrorShape::kLitellm: {
      ApiError error = unauthorized(
          "Authentication Error, Invalid proxy server token passed. Received API Key = " +
          mask_key(key) + ". Unable to find token in cache or `LiteLLM_VerificationTokenTable`");
      error.type = "auth_error";
      return error;
    }
    default:
      return ApiError::incorrect_api_key(key);
  }
}

// Azure answers bad keys from its gateway, in its own shape whatever the deployment speaks.
ApiError azure_denied() {
  return unauthorized(
      "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide "
      "a valid key for an active subscription and use a correct regional API endpoint for your "
      "resource.",
      ErrorShape::kCodeMessage);
}

std::optional<ApiError> check_azure_key(SoupMessageHeaders *headers, const EmulatorConfig &config) {
  std::string key = header_key(headers, "api-key");
  if (key.empty() && !bearer_key(headers).empty()) {
    // A Bearer token is taken for a Microsoft Entra ID token, and none is valid here.
    return unauthorized(
        "Unauthorized. Access token is missing, invalid, audience is incorrect "
        "(https://cognitiveservices.azure.com), or have expired.",
        ErrorShape::kCodeMessage);
  }
  if (key.empty() || (config.api_key && *config.api_key != key)) {
    return azure_denied();
  }
  if (config.forbidden_key == key) {
    ApiError error = ApiError::permission_denied();
    error.shape = ErrorShape::kCodeMessage;
    return error;
  }
  return std::nullopt;
}

}  // namespace

std::string presented_key(SoupMessageHeaders *headers) {
  std::string key = bearer_key(headers);
  for (const char *name : {"api-key", "x-litellm-api-key", "x-goog-api-key"}) {
    if (key.empty()) {
      key = header_key(headers, name);
    }
  }
  const char *fal = soup_message_headers_get_one(headers, "Authorization");
  if (key.empty() && fal && g_ascii_strncasecmp(fal, "Key ", 4) == 0) {
    key = header_key(headers, "Authorization").substr(4);
  }
  return key;
}

std::optional<ApiError> check_api_key(SoupMessageHeaders *headers, const EmulatorConfig &config,
                                      const DialectSettings &settings) {
  if (settings.auth == AuthScheme::kApiKeyHeader) {
    return check_azure_key(headers, config);
  }
  std::string key;
  if (settings.auth == AuthScheme::kBearerOrLitellmHeader) {
    key = header_key(headers, "x-litellm-api-key");
  }
  if (key.empty()) {
    key = bearer_key(headers);
  }
  if (key.empty()) {
    return missing_key(settings);
  }
  if (config.forbidden_key == key) {
    return ApiError::permission_denied();
  }
  if (config.api_key && *config.api_key != key) {
    return wrong_key(settings, key);
  }
  return std::nullopt;
}
