/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* String assertions for std::string values. g_assert_cmpstr() evaluates its
 * arguments into pointers before comparing, so a temporary's c_str() would
 * dangle by then; these keep both sides alive. */
#pragma once

#include <glib.h>

#include <functional>
#include <string>

#define sora_assert_str_eq(a, b)                                                            \
  do {                                                                                      \
    const std::string sora_a_ = (a);                                                        \
    const std::string sora_b_ = (b);                                                        \
    if (sora_a_ != sora_b_)                                                                 \
      g_assertion_message_cmpstr(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, #a " == " #b, \
                                 sora_a_.c_str(), "==", sora_b_.c_str());                   \
  } while (0)

/* `haystack` contains `needle`. */
#define sora_assert_contains(haystack, needle)                                                \
  do {                                                                                        \
    const std::string sora_h_ = (haystack);                                                   \
    const std::string sora_n_ = (needle);                                                     \
    if (sora_h_.find(sora_n_) == std::string::npos)                                           \
      g_assertion_message_cmpstr(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,                 \
                                 #haystack " contains " #needle, sora_h_.c_str(), "contains", \
                                 sora_n_.c_str());                                            \
  } while (0)

namespace sora_test {

/* Waits for `done` to hold, checking every 10 ms; fails the test after
 * `timeout_s`, naming what it waited for. */
inline void wait_until(const char *what, const std::function<bool()> &done, guint timeout_s = 20) {
  gint64 deadline = g_get_monotonic_time() + static_cast<gint64>(timeout_s) * G_USEC_PER_SEC;
  while (!done()) {
    if (g_get_monotonic_time() > deadline)
      g_error("timed out waiting for %s", what);
    g_usleep(10 * 1000);
  }
}

}  // namespace sora_test
