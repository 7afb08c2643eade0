/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "task_cache_entry.h"

#include "core/gateway.h"
#include "core/generation_cache.h"
#include "core/orphan_files.h"
#include "core/secret.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace sora::generate {

namespace {

constexpr size_t kKeyLength = 64; /* cache_key(): hex SHA-256 */

/* The completed video entry of `video_id` on `base_url`, found by reading
 * the records (the request's key is not known here). */
std::optional<CacheRecord> find_stored(const GenerationCache &cache, const std::string &dir,
                                       const std::string &video_id, const std::string &base_url) {
  g_autoptr(GDir) listing = g_dir_open(dir.c_str(), 0, nullptr);
  if (!listing)
    return std::nullopt;
  const std::string server = url_without_userinfo(base_url);
  while (const char *name = g_dir_read_name(listing)) {
    if (strlen(name) != kKeyLength + strlen(".json") || !g_str_has_suffix(name, ".json"))
      continue;
    std::optional<CacheRecord> record = cache.read(std::string(name, kKeyLength));
    if (record && record->completed && record->variant == "video" &&
        record->video_id == video_id && record->base_url == server &&
        cache.clip_is_intact(*record))
      return record;
  }
  return std::nullopt;
}

/* `target` made the same file as `source`: linked, else copied; atomically
 * (a part file renamed into place). */
bool publish_clip(const std::string &source, const std::string &target, std::string *problem) {
  remove_orphan_parts(target);
  std::string part = part_path_for(target);
  if (link(source.c_str(), part.c_str()) != 0) {
    g_autoptr(GFile) from = g_file_new_for_path(source.c_str());
    g_autoptr(GFile) to = g_file_new_for_path(part.c_str());
    g_autoptr(GError) error = nullptr;
    if (!g_file_copy(from, to, G_FILE_COPY_OVERWRITE, nullptr, nullptr, nullptr, &error)) {
      *problem = std::string("cannot copy the clip into the cache: ") + error->message;
      g_unlink(part.c_str());
      return false;
    }
    g_chmod(part.c_str(), 0600);
  }
  if (g_rename(part.c_str(), target.c_str()) != 0) {
    *problem = "cannot rename " + part + ": " + g_strerror(errno);
    g_unlink(part.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> enter_task_clip(const SourceSettings &server,
                                           const std::string &video_id, std::string *problem) {
  SourceSettings attach = server;
  attach.video_id = video_id;
  attach.cache_mode = CacheMode::kReuse;
  auto made = make_job_settings(attach, "");
  wipe_secret(attach.connection.api_key);
  if (auto *start = std::get_if<StartProblem>(&made)) {
    *problem = start->settings.message;
    return std::nullopt;
  }
  JobSettings &job = std::get<JobSettings>(made);
  wipe_secret(job.connection.api_key);
  GenerationCache cache(job.cache.dir);
  if (!cache.prepare(problem))
    return std::nullopt;
  const std::string &key = job.cache.key;
  std::string target = cache.clip_path(key, "video");
  std::optional<CacheRecord> entered = cache.read(key);
  if (entered && entered->completed && cache.clip_is_intact(*entered))
    return target;
  std::optional<CacheRecord> stored =
      find_stored(cache, job.cache.dir, video_id, job.connection.base_url);
  if (!stored) {
    *problem = "the cache " + job.cache.dir + " holds no clip of " + video_id;
    return std::nullopt;
  }
  std::string source = cache.clip_path(stored->key, "video");
  /* A run playing sora://video/ID right now works on the entry: it will
   * store the clip itself. */
  std::unique_ptr<CacheLock> lock = cache.try_lock(key, problem);
  if (!lock)
    return source;
  if (!publish_clip(source, target, problem))
    return source;
  CacheRecord record = *stored;
  record.key = key;
  record.last_used_us = g_get_real_time();
  if (!cache.write(record, problem)) {
    g_unlink(target.c_str());
    return source;
  }
  return target;
}

}  // namespace sora::generate
