/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "litellm_id.h"

#include "random_id.h"

#include <glib.h>

namespace {

constexpr int kAttempts = 2000;

std::string encoded(const std::string &provider, const std::string &model_id,
                    const std::string &upstream_id) {
  std::string assembled = "litellm:custom_llm_provider:" + provider + ";model_id:" + model_id +
                          ";video_id:" + upstream_id;
  g_autofree char *base64 =
      g_base64_encode(reinterpret_cast<const guchar *>(assembled.data()), assembled.size());
  return std::string("video_") + base64;
}

// The proxy's deployment id for @model: a UUID, the same for every task of that model.
std::string deployment_id(const std::string &model) {
  g_autofree char *digest =
      g_compute_checksum_for_string(G_CHECKSUM_SHA256, model.c_str(), static_cast<gssize>(-1));
  std::string hex = digest;
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
         hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

// The upstream's id, @extra characters longer than usual (the length decides the padding).
std::string upstream_id(LitellmUpstream upstream, size_t extra) {
  switch (upstream) {
    case LitellmUpstream::kVeo:
      return "models/veo-3.1-generate-preview/operations/" + random_alphanumerics(12 + extra, true);
    case LitellmUpstream::kRunway: {
      // A UUID: its length is fixed, and with a UUID deployment id it leaves padding anyway.
      std::string hex = random_id("", 32);
      return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-8" +
             hex.substr(17, 3) + "-" + hex.substr(20, 12);
    }
    case LitellmUpstream::kOpenAi:
      break;
  }
  return random_id("video_", 48 + extra);
}

// Base64 of ASCII text has '+' or '/' only where a '>', '~' or '?' sits at a position 2 mod 3 of
// the encoded text, which ids made of letters, digits, '-', '_', '/' and '.' never have: real
// LiteLLM ids carry '=' padding and nothing else a client must escape. So that escaping is
// tested, the emulated upstream id ends in a suffix of such characters (the same offset mod 3
// in both encodings, since the UUID deployment id is 36 characters long).
std::string with_escape_suffix(const std::string &upstream_video) {
  return upstream_video + "~" + random_alphanumerics(2, true) + "?" +
         random_alphanumerics(static_cast<size_t>(g_random_int_range(0, 3)), true) + "~?";
}

bool has_all(const std::string &id) {
  return id.find('+') != std::string::npos && id.find('/') != std::string::npos &&
         id.find('=') != std::string::npos;
}

}  // namespace

LitellmIds new_litellm_ids(LitellmUpstream upstream, const std::string &model) {
  std::string provider = litellm_provider_name(upstream);
  std::string model_id = deployment_id(model);
  LitellmIds ids;
  for (int attempt = 0; attempt < kAttempts; attempt++) {
    std::string upstream_video =
        with_escape_suffix(upstream_id(upstream, static_cast<size_t>(attempt % 3)));
    ids = {encoded(provider, model_id, upstream_video), encoded(provider, "", upstream_video)};
    if (has_all(ids.created) && has_all(ids.reencoded)) {
      break;
    }
  }
  return ids;
}
