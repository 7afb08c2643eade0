/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: the cache record KEY.json (core/generation_cache), which
 * is also the journal of paid tasks (state "creating" or "created" before the
 * clip is in), as any process that can write the cache directory may leave
 * it. The input is read as the record of a key, then the way eviction lists
 * every record of the directory, then as request metadata (canonical JSON,
 * part of the cache key). Built by tests/fuzz/run.sh with clang; replayed over
 * corpus/cache-record by the test suite (fuzz-corpus-cache-record). */
#include "core/generation_cache.h"

#include "scratch_file.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <cstdlib>
#include <string>

namespace {

constexpr char kKey[] = "124ed3f1014fd1e98c12f2107a3fe98c1756d44d7ce80fa92733297821c53178";

std::unique_ptr<ScratchFile> record;

}  // namespace

/* GStreamer is not initialised: the cache's debug lines are not formatted,
 * and LeakSanitizer is not misled by the quark table gst_init() orphans. */
extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  record = std::make_unique<ScratchFile>(std::string(kKey) + ".json");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  record->write(data, size);
  sora::GenerationCache cache(record->dir());

  if (std::optional<sora::CacheRecord> read = cache.read(kKey)) {
    /* A record names its key by its file name, never by its contents. */
    if (read->key != kKey || (read->video_id.empty() && !read->creating))
      abort();
    cache.clip_is_intact(*read);
  }
  /* Over a byte: a completed record is evicted (and the file rewritten next run). */
  cache.evict(1, "");

  sora::canonical_json(std::string(reinterpret_cast<const char *>(data), size));
  return 0;
}
