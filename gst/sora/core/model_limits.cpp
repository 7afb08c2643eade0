/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/model_limits.h"

#include <glib.h>

namespace sora {

namespace {

constexpr const char kSecondsSource[] =
    "openai-videos.yaml VideoSeconds enum (4, 8, 12) and the newer limits in "
    "DIALECTS.md and CreateVideoExtendMultipartBody (16, 20)";
constexpr const char kSizesSource[] = "openai-videos.yaml VideoSize enum";
constexpr const char kProSizesSource[] =
    "openai-videos.yaml VideoSize enum, plus 1920x1080 and 1080x1920 for sora-2-pro "
    "(DIALECTS.md, newer limits)";

const std::vector<ModelLimits> &table() {
  static const std::vector<ModelLimits> limits = {
      {"sora-2",
       {4, 8, 12, 16, 20},
       kSecondsSource,
       {"720x1280", "1280x720", "1024x1792", "1792x1024"},
       kSizesSource},
      {"sora-2-pro",
       {4, 8, 12, 16, 20},
       kSecondsSource,
       {"720x1280", "1280x720", "1024x1792", "1792x1024", "1920x1080", "1080x1920"},
       kProSizesSource},
  };
  return limits;
}

/* "-2025-10-06": the suffix of a dated snapshot. */
bool is_date_suffix(std::string_view s) {
  static const char kShape[] = "-dddd-dd-dd";
  if (s.size() != sizeof kShape - 1)
    return false;
  for (size_t i = 0; i < s.size(); i++) {
    if (kShape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != kShape[i])
      return false;
  }
  return true;
}

template <typename T, typename Print>
std::string join_alternatives(const std::vector<T> &values, Print print) {
  std::string out;
  for (size_t i = 0; i < values.size(); i++) {
    if (i > 0)
      out += i + 1 == values.size() ? " or " : ", ";
    out += "'" + print(values[i]) + "'";
  }
  return out;
}

}  // namespace

const ModelLimits *find_model_limits(std::string_view model) {
  for (const ModelLimits &limits : table()) {
    std::string_view family(limits.family);
    if (model.substr(0, family.size()) != family)
      continue;
    std::string_view rest = model.substr(family.size());
    if (rest.empty() || is_date_suffix(rest))
      return &limits;
  }
  return nullptr;
}

std::string describe_allowed_seconds(const ModelLimits &limits) {
  return join_alternatives(limits.seconds, [](unsigned s) { return std::to_string(s); });
}

std::string describe_allowed_sizes(const ModelLimits &limits) {
  return join_alternatives(limits.sizes, [](const char *s) { return std::string(s); });
}

}  // namespace sora
