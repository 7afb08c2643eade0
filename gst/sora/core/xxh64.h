/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* XXH64, the 64-bit xxHash (https://github.com/Cyan4973/xxHash, the
 * algorithm as its specification describes it): a fast non-cryptographic
 * hash, here to fingerprint cached clips at memory speed (GLib's SHA-256
 * runs at about 400 MB/s, which made every cache hit pay a third of a
 * millisecond). Not for anything an adversary controls. */
#pragma once

#include <cstddef>
#include <cstdint>

namespace sora {

uint64_t xxh64(const void *data, size_t size, uint64_t seed);

}  // namespace sora
