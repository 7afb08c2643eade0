/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GenerationCache: finished clips kept on disk, and a journal of the tasks
 * they come from, so that the same request is never paid for twice.
 *
 * An entry is named by a key: the SHA-256 of everything that changes the
 * result (the server, model, prompt, seconds, size, the reference image's
 * bytes, metadata in canonical JSON, the task a remix or extension starts
 * from, the variant). Per key the directory holds:
 *
 *   KEY.json  the record: "creating" while a create request is in flight
 *             (written before it is sent), then the task id (written,
 *             fsynced and renamed into place as soon as the create answer
 *             arrives), and once the clip is in, its size, fingerprint and
 *             expiry
 *   KEY.mp4   the clip (KEY.webp, KEY.jpg for a thumbnail or spritesheet),
 *             published by an atomic rename once it is verified
 *   KEY.lock  taken with flock() by the run that works on the key, so that
 *             runs in this process or in others never create the same task
 *             twice; lock files stay (they are empty), so that two runs can
 *             never hold locks on two different files for one key
 *
 * A clip is checked before every use (size, a fingerprint of its first and
 * last 64 KiB, the MP4 box structure): a corrupt entry is fetched again.
 *
 * The directory is used only when it is safe (CacheDirectory); every file
 * in it is opened relative to its descriptor with O_NOFOLLOW, files are
 * 0600, and a record holds no credentials (a base URL's user:password@ is
 * left out). */
#pragma once

#include "core/cache_directory.h"
#include "core/glib_ptr.h"

#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sora {

enum class CacheMode {
  kReuse,   /* serve a cached clip, resume a journalled task, else generate and store */
  kRefresh, /* generate anew and replace the entry */
  kOff,     /* neither read nor write */
};

/* Everything that changes what a request produces. */
struct CacheKeyInputs {
  std::string base_url;
  std::string video_id; /* a task attached to by id: it alone names the result */
  std::string model;
  std::string prompt;
  unsigned seconds = 0;
  std::string size;
  GBytes *reference = nullptr; /* the bytes uploaded, after any resizing */
  std::string metadata;        /* JSON object text, or empty */
  std::string remix_of;
  std::string extend_of;
  std::string variant;
};

/* 64 hex characters. */
std::string cache_key(const CacheKeyInputs &inputs);

/* `text` (a JSON object) with its members sorted at every level, compact:
 * the same object always gives the same text. */
std::string canonical_json(const std::string &text);

struct CacheRecord {
  std::string key;
  std::string variant = "video"; /* video, thumbnail or spritesheet */
  std::string video_id;
  /* What a provider needs to attach again, as its server gave it (fal's
   * status and response URLs, Replicate's urls.get); empty when the id
   * alone says where the task is. Never a key. */
  std::string status_url;
  std::string result_url;
  std::string cancel_url;
  std::string base_url;
  bool completed = false; /* the clip was stored */
  /* A create request was sent and no answer read: the server may have made
   * a task no one knows the id of (video_id is empty). */
  bool creating = false;
  guint64 clip_size = 0;
  std::string fingerprint;
  gint64 expires_at = 0;   /* the server's, unix seconds; 0: unknown */
  gint64 last_used_us = 0; /* unix time in microseconds */
};

/* An exclusive flock() on a key's lock file, released when destroyed. */
class CacheLock {
 public:
  /* The lock on the file `name` in the directory `dir_fd` (made 0600, never
   * through a link); nullptr if another run holds it (or on an error: see
   * `problem`). */
  static std::unique_ptr<CacheLock> try_acquire(int dir_fd, const std::string &name,
                                                std::string *problem);
  ~CacheLock();
  CacheLock(const CacheLock &) = delete;
  CacheLock &operator=(const CacheLock &) = delete;

 private:
  explicit CacheLock(int fd) : fd_(fd) {}
  int fd_;
};

class GenerationCache {
 public:
  explicit GenerationCache(std::string dir) : dir_(std::move(dir)) {}

  /* Creates and opens the directory; false, and `problem` for the user,
   * when it cannot be used or is not safe (see CacheDirectory). */
  bool prepare(std::string *problem);
  std::string clip_path(const std::string &key, const std::string &variant) const;
  std::unique_ptr<CacheLock> try_lock(const std::string &key, std::string *problem) const;

  std::optional<CacheRecord> read(const std::string &key) const;
  /* Durable: on a crash either the old record or the new one survives. */
  bool write(const CacheRecord &record, std::string *problem) const;
  void remove(const std::string &key) const;
  /* Deletes what runs of `key` killed before they finished left: partial
   * clips (KEY.mp4.PID-XXXXXXXX.part) and records half-written
   * (KEY.json.XXXXXX). Only the holder of the key's lock may call it. */
  void remove_leftovers(const std::string &key) const;

  /* Marks the entry used now, for the LRU order: the clip file's mtime is
   * set (its bytes are untouched), which is cheaper than a durable rewrite
   * of the record and as good: the order needs no crash safety. */
  void touch(const CacheRecord &record) const;

  /* Whether the stored clip is the one the record describes. */
  bool clip_is_intact(const CacheRecord &record) const;
  static std::string fingerprint(const std::string &path);

  /* Deletes the least recently used entries until the clips take at most
   * `max_bytes`, sparing `keep_key` and entries other runs hold. */
  void evict(guint64 max_bytes, const std::string &keep_key) const;

 private:
  static std::string clip_name(const std::string &key, const std::string &variant);
  /* The names in the directory, "." and ".." left out. */
  std::vector<std::string> entry_names() const;
  /* When an entry was last used: stored (the record says), or served since
   * (its clip's mtime says). */
  gint64 last_use_us(const CacheRecord &record) const;
  /* The file `name` in the directory, opened with O_NOFOLLOW. */
  FileDescriptor open_in_dir(const std::string &name, int flags, mode_t mode = 0) const;
  std::string dir_;
  CacheDirectory directory_;
};

}  // namespace sora
