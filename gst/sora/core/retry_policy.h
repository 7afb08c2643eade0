/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RetryPolicy: whether a failed request may be sent again, and when.
 *
 * The rules are the official SDKs' (DIALECTS.md): connection errors,
 * timeouts and HTTP 408, 409, 429 and 5xx are retried after a capped
 * exponential backoff with jitter, or after the server's retry-after-ms /
 * Retry-After when it asks for a reasonable wait; x-should-retry overrides;
 * a 429 about billing is final.
 *
 * One rule is stricter than the SDKs', because a create request costs
 * money: POST /videos is sent again only when the server surely did not
 * accept it, that is when the request never left, or when the server
 * answered 429 or 5xx. A failure after the whole request was sent (a read
 * timeout, a dropped connection, a cut-off answer) is "ambiguous": the task
 * may exist and be billed, so the job stops and says so instead. */
#pragma once

#include "core/http_message.h"

#include <optional>
#include <string>

namespace sora {

enum class RequestKind {
  kCreate,   /* bills: resent only when surely not accepted */
  kPoll,     /* a status request */
  kDownload, /* the clip */
};

enum class FailureClass {
  kTransient, /* worth another attempt */
  kAmbiguous, /* a create that may have been accepted: never resend */
  kBilling,   /* 429 about quota or billing: retrying cannot help */
  kFinal,     /* the answer stands */
};

FailureClass classify_failure(const HttpResponse &response, RequestKind kind);

/* The server's own wait, when it asks for one of more than 0 and at most
 * 120 s (the official SDKs ignore 0). */
std::optional<guint> server_retry_delay_ms(const HttpResponse &response);

/* min(0.5 s * 2^retry, 8 s), less up to 25 % jitter; retry counts from 0. */
guint backoff_delay_ms(unsigned retry);

/* The wait after failed attempt `attempt` (from 1): the server's own, else
 * the backoff. */
guint retry_delay_ms(const HttpResponse &response, unsigned attempt);

/* Counts the consecutive failures of one request against `retries`
 * (-1: no limit). A failure that made progress, such as a download that
 * received more bytes, starts the count again. */
class RetryBudget {
 public:
  explicit RetryBudget(int retries) : retries_(retries) {}
  /* Takes one retry; false when none is left. */
  bool take() {
    if (retries_ >= 0 && used_ >= static_cast<unsigned>(retries_))
      return false;
    used_++;
    return true;
  }
  void reset() { used_ = 0; }
  unsigned used() const { return used_; }

 private:
  int retries_;
  unsigned used_ = 0;
};

}  // namespace sora
