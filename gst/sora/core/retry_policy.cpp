/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/retry_policy.h"

#include "core/soup_runtime.h"
#include "core/video_object.h"

#include <cmath>

namespace sora {

namespace {

/* The longest wait a server may ask for and still be obeyed. */
constexpr double kMaxServerDelayMs = 120 * 1000;
constexpr double kBackoffStartMs = 500;
constexpr double kBackoffCapMs = 8000;
constexpr unsigned kTooManyRequests = 429; /* libsoup 3.2 has no name for it */

/* Failures that another attempt cannot mend: a certificate, a bad URL, a
 * redirect loop, an answer larger than the client accepts. */
bool is_lasting_transport_error(const GError *error) {
  return error->domain == G_TLS_ERROR || error->domain == SOUP_SESSION_ERROR ||
         g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
         g_error_matches(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE) ||
         g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

bool header_is(const HttpResponse &response, const char *name, const char *value) {
  const char *header = response.header(name);
  return header && g_ascii_strcasecmp(header, value) == 0;
}

std::optional<double> parse_number(const char *text) {
  char *end = nullptr;
  double value = g_ascii_strtod(text, &end);
  while (end && g_ascii_isspace(*end))
    end++;
  if (end == text || *end != '\0' || !std::isfinite(value))
    return std::nullopt;
  return value;
}

/* The error code of a 429 that is about money, such as insufficient_quota. */
bool is_billing_code(const std::string &code) {
  for (const char *billing :
       {"insufficient_quota", "insufficient_user_quota", "billing_hard_limit_reached",
        "billing_not_active", "quota_exceeded", "pre_consume_token_quota_failed"}) {
    if (code == billing)
      return true;
  }
  return false;
}

}  // namespace

FailureClass classify_failure(const HttpResponse &response, RequestKind kind) {
  if (response.status == 0) {
    if (!response.error || is_lasting_transport_error(response.error.get()))
      return FailureClass::kFinal;
    return kind == RequestKind::kCreate && response.request_sent ? FailureClass::kAmbiguous
                                                                 : FailureClass::kTransient;
  }
  if (response.is_success()) {
    /* The answer came, its body did not: a create was accepted. */
    if (kind == RequestKind::kCreate)
      return FailureClass::kAmbiguous;
    return response.error && !is_lasting_transport_error(response.error.get())
               ? FailureClass::kTransient
               : FailureClass::kFinal;
  }
  if (header_is(response, "x-should-retry", "false"))
    return FailureClass::kFinal;
  if (response.status == kTooManyRequests) {
    ApiError api = parse_api_error(response.text());
    return is_billing_code(api.code) || is_billing_code(api.type) ? FailureClass::kBilling
                                                                  : FailureClass::kTransient;
  }
  if (header_is(response, "x-should-retry", "true") || response.status >= 500)
    return FailureClass::kTransient;
  bool timeout_or_conflict =
      response.status == SOUP_STATUS_REQUEST_TIMEOUT || response.status == SOUP_STATUS_CONFLICT;
  return timeout_or_conflict && kind != RequestKind::kCreate ? FailureClass::kTransient
                                                             : FailureClass::kFinal;
}

std::optional<guint> server_retry_delay_ms(const HttpResponse &response) {
  std::optional<double> delay_ms;
  if (const char *ms = response.header("retry-after-ms")) {
    delay_ms = parse_number(ms);
  } else if (const char *after = response.header("Retry-After")) {
    if (std::optional<double> seconds = parse_number(after)) {
      delay_ms = *seconds * 1000;
    } else if (GDateTime *date = soup_date_time_new_from_http_string(after)) {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc();
      delay_ms = g_date_time_difference(date, now) / 1000.0;
      g_date_time_unref(date);
    }
  }
  if (!delay_ms || *delay_ms <= 0 || *delay_ms > kMaxServerDelayMs)
    return std::nullopt;
  return static_cast<guint>(std::lround(*delay_ms));
}

guint backoff_delay_ms(unsigned retry) {
  double delay = std::min(kBackoffStartMs * std::pow(2.0, std::min(retry, 16u)), kBackoffCapMs);
  double jitter = 1.0 - 0.25 * g_random_double();
  return static_cast<guint>(std::lround(delay * jitter));
}

guint retry_delay_ms(const HttpResponse &response, unsigned attempt) {
  return server_retry_delay_ms(response).value_or(backoff_delay_ms(attempt - 1));
}

}  // namespace sora
