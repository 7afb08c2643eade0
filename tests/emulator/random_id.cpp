/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "random_id.h"

#include <glib.h>

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kAlphanumerics[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr char kLowerAlphanumerics[] = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr char kBase64Url[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

template <size_t N>
std::string random_chars(const char (&alphabet)[N], size_t count) {
  std::string chars;
  for (size_t i = 0; i < count; i++) {
    chars += alphabet[g_random_int_range(0, N - 1)];
  }
  return chars;
}

// 19 digits, the first from 1 to 8, so that it fits a signed 64-bit integer.
std::string numeric_id() {
  return std::string(1, kHexDigits[g_random_int_range(1, 9)]) + random_chars("0123456789", 18);
}

// Both characters that base64url adds to the alphanumerics are always in it.
std::string base64url_id() {
  return random_chars(kBase64Url, 59) + "-" + random_chars(kBase64Url, 59) + "_";
}

}  // namespace

std::string random_id(const char *prefix, size_t hex_digits) {
  return prefix + random_chars(kHexDigits, hex_digits);
}

std::string random_alphanumerics(size_t count, bool lower_case_only) {
  return lower_case_only ? random_chars(kLowerAlphanumerics, count)
                         : random_chars(kAlphanumerics, count);
}

std::string new_video_id(IdStyle style) {
  switch (style) {
    case IdStyle::kTask:
      return "task_" + random_chars(kAlphanumerics, 24);
    case IdStyle::kTask32:
      return "task_" + random_chars(kAlphanumerics, 32);
    case IdStyle::kJob:
      return "job-" + random_chars(kLowerAlphanumerics, 24);
    case IdStyle::kNumeric:
      return numeric_id();
    case IdStyle::kBase64Url:
      return base64url_id();
    case IdStyle::kSlash:
      return "job/2025+" + random_chars(kHexDigits, 8) + " " + random_chars(kHexDigits, 8);
    case IdStyle::kUuid: {
      g_autofree char *uuid = g_uuid_string_random();
      return uuid;
    }
    case IdStyle::kReplicate:
      return random_chars(kLowerAlphanumerics, 26);
    case IdStyle::kOperation:
      return random_chars(kLowerAlphanumerics, 12);
    case IdStyle::kVideo:
    case IdStyle::kLitellm:  // made by new_litellm_ids(), which needs the model
      break;
  }
  return random_id("video_", 48);
}
