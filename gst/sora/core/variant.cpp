/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/variant.h"

namespace sora {

const Variant *find_variant(const std::string &name) {
  for (const Variant &variant : kVariants) {
    if (name == variant.name)
      return &variant;
  }
  return nullptr;
}

std::string variant_names() {
  std::string names;
  const size_t count = sizeof kVariants / sizeof kVariants[0];
  for (size_t i = 0; i < count; i++)
    names += std::string(i == 0 ? "" : i + 1 == count ? " or " : ", ") + kVariants[i].name;
  return names;
}

}  // namespace sora
