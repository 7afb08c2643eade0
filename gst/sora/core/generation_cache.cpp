/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/generation_cache.h"

#include "core/debug.h"
#include "core/file_read.h"
#include "core/mp4_check.h"
#include "core/gateway.h"
#include "core/json_limits.h"
#include "core/variant.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
#include <xxhash.h>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr char kKeyVersion[] = "gst-sora cache 1";
constexpr gsize kFingerprintSpan = 64 * 1024;
/* A record is a few hundred bytes; one far larger was not written by us. */
constexpr gsize kMaxRecordSize = 1024 * 1024;

JsonNode *sorted_copy(JsonNode *node) {
  if (JSON_NODE_HOLDS_OBJECT(node)) {
    JsonObject *object = json_node_get_object(node);
    g_autoptr(GList) names = json_object_get_members(object);
    names = g_list_sort(names, reinterpret_cast<GCompareFunc>(strcmp));
    JsonObject *sorted = json_object_new();
    for (GList *l = names; l; l = l->next) {
      auto *name = static_cast<const char *>(l->data);
      json_object_set_member(sorted, name, sorted_copy(json_object_get_member(object, name)));
    }
    JsonNode *copy = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(copy, sorted);
    return copy;
  }
  if (JSON_NODE_HOLDS_ARRAY(node)) {
    JsonArray *array = json_node_get_array(node);
    JsonArray *copied = json_array_new();
    for (guint i = 0; i < json_array_get_length(array); i++)
      json_array_add_element(copied, sorted_copy(json_array_get_element(array, i)));
    JsonNode *copy = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(copy, copied);
    return copy;
  }
  return json_node_copy(node);
}

std::string sha256_hex(GBytes *bytes) {
  g_autofree char *hex = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
  return hex;
}

std::string member_string(JsonObject *object, const char *name) {
  JsonNode *node = json_object_get_member(object, name);
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
             ? json_node_get_string(node)
             : "";
}

gint64 member_int(JsonObject *object, const char *name) {
  JsonNode *node = json_object_get_member(object, name);
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64
             ? json_node_get_int(node)
             : 0;
}

/* What a write of a record is named before its rename, as
 * g_file_set_contents named it in earlier versions ("KEY.json.XXXXXX"), so
 * that remove_leftovers() finds either. */
std::string temporary_name(const std::string &name) {
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string temp = name + ".";
  for (int i = 0; i < 6; i++)
    temp += kChars[g_random_int_range(0, sizeof kChars - 1)];
  return temp;
}

}  // namespace

std::string canonical_json(const std::string &text) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  /* White space alone parses, to no root: kept as it is, like any non-JSON. */
  if (text.empty() || !load_json_bounded(parser, text, nullptr) || !json_parser_get_root(parser))
    return text;
  JsonNodePtr sorted(sorted_copy(json_parser_get_root(parser)));
  g_autofree char *compact = json_to_string(sorted.get(), FALSE);
  return compact;
}

std::string cache_key(const CacheKeyInputs &inputs) {
  g_autoptr(JsonBuilder) builder = json_builder_new();
  json_builder_begin_array(builder);
  json_builder_add_string_value(builder, kKeyVersion);
  json_builder_add_string_value(builder,
                                url_without_userinfo(normalize_base_url(inputs.base_url)).c_str());
  json_builder_add_string_value(builder, inputs.video_id.c_str());
  json_builder_add_string_value(builder, inputs.model.c_str());
  json_builder_add_string_value(builder, inputs.prompt.c_str());
  json_builder_add_int_value(builder, inputs.seconds);
  json_builder_add_string_value(builder, inputs.size.c_str());
  json_builder_add_string_value(builder,
                                inputs.reference ? sha256_hex(inputs.reference).c_str() : "");
  json_builder_add_string_value(builder, canonical_json(inputs.metadata).c_str());
  json_builder_add_string_value(builder, inputs.remix_of.c_str());
  json_builder_add_string_value(builder, inputs.extend_of.c_str());
  json_builder_add_string_value(builder, inputs.variant.c_str());
  json_builder_end_array(builder);
  JsonNodePtr root(json_builder_get_root(builder));
  g_autofree char *text = json_to_string(root.get(), FALSE);
  g_autofree char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
  return hex;
}

std::unique_ptr<CacheLock> CacheLock::try_acquire(int dir_fd, const std::string &name,
                                                  std::string *problem) {
  int fd = openat(dir_fd, name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    *problem = "cannot open the cache's lock " + name + ": " + g_strerror(errno);
    return nullptr;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK)
      *problem = "cannot lock " + name + ": " + g_strerror(errno);
    close(fd);
    return nullptr;
  }
  return std::unique_ptr<CacheLock>(new CacheLock(fd));
}

CacheLock::~CacheLock() {
  flock(fd_, LOCK_UN);
  close(fd_);
}

bool GenerationCache::prepare(std::string *problem) {
  directory_ = CacheDirectory::open(dir_, problem);
  return directory_.valid();
}

FileDescriptor GenerationCache::open_in_dir(const std::string &name, int flags, mode_t mode) const {
  return FileDescriptor(
      openat(directory_.fd(), name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode));
}

/* The file name says what is in it, for whoever looks in the directory. */
std::string GenerationCache::clip_name(const std::string &key, const std::string &variant) {
  const Variant *known = find_variant(variant);
  return key + (known ? *known : kVariants[0]).extension;
}

std::string GenerationCache::clip_path(const std::string &key, const std::string &variant) const {
  g_autofree char *full = g_build_filename(dir_.c_str(), clip_name(key, variant).c_str(), nullptr);
  return full;
}

std::unique_ptr<CacheLock> GenerationCache::try_lock(const std::string &key,
                                                     std::string *problem) const {
  return CacheLock::try_acquire(directory_.fd(), key + ".lock", problem);
}

std::optional<CacheRecord> GenerationCache::read(const std::string &key) const {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  FileDescriptor file = open_in_dir(key + ".json", O_RDONLY | O_NONBLOCK);
  if (!file.valid() || !load_json_fd_bounded(parser, file.get(), kMaxRecordSize, nullptr))
    return std::nullopt;
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root))
    return std::nullopt;
  JsonObject *object = json_node_get_object(root);
  CacheRecord record;
  record.key = key;
  record.variant = member_string(object, "variant");
  if (record.variant.empty())
    record.variant = "video";
  record.video_id = member_string(object, "video_id");
  record.base_url = member_string(object, "base_url");
  record.status_url = member_string(object, "status_url");
  record.result_url = member_string(object, "result_url");
  record.cancel_url = member_string(object, "cancel_url");
  record.completed = member_string(object, "state") == "completed";
  record.creating = member_string(object, "state") == "creating";
  record.clip_size = static_cast<guint64>(member_int(object, "clip_size"));
  record.fingerprint = member_string(object, "fingerprint");
  record.expires_at = member_int(object, "expires_at");
  record.last_used_us = member_int(object, "last_used_us");
  if (record.video_id.empty() && !record.creating)
    return std::nullopt;
  return record;
}

bool GenerationCache::write(const CacheRecord &record, std::string *problem) const {
  g_autoptr(JsonBuilder) builder = json_builder_new();
  json_builder_begin_object(builder);
  auto add_string = [&](const char *name, const std::string &value) {
    json_builder_set_member_name(builder, name);
    json_builder_add_string_value(builder, value.c_str());
  };
  auto add_int = [&](const char *name, gint64 value) {
    json_builder_set_member_name(builder, name);
    json_builder_add_int_value(builder, value);
  };
  add_string("key", record.key);
  add_string("variant", record.variant);
  add_string("video_id", record.video_id);
  add_string("base_url", url_without_userinfo(record.base_url));
  for (auto [name, url] : {std::pair{"status_url", &record.status_url},
                           std::pair{"result_url", &record.result_url},
                           std::pair{"cancel_url", &record.cancel_url}}) {
    if (!url->empty())
      add_string(name, url_without_userinfo(*url));
  }
  add_string("state", record.completed ? "completed" : record.creating ? "creating" : "created");
  add_int("clip_size", static_cast<gint64>(record.clip_size));
  add_string("fingerprint", record.fingerprint);
  add_int("expires_at", record.expires_at);
  add_int("last_used_us", record.last_used_us);
  json_builder_end_object(builder);
  JsonNodePtr root(json_builder_get_root(builder));
  g_autofree char *text = json_to_string(root.get(), TRUE);
  /* Written beside, fsynced, renamed over, the directory fsynced: durable
   * and atomic, as g_file_set_contents_full() does, but in the checked
   * directory and never through a link. */
  const std::string name = record.key + ".json";
  std::string temp;
  FileDescriptor file;
  for (int attempt = 0; attempt < 10 && !file.valid(); attempt++) {
    temp = temporary_name(name);
    file = open_in_dir(temp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (!file.valid() && errno != EEXIST)
      break;
  }
  if (!file.valid()) {
    *problem = "cannot write " + name + ": " + g_strerror(errno);
    return false;
  }
  if (!write_all(file.get(), text, strlen(text)) || fsync(file.get()) != 0 ||
      renameat(directory_.fd(), temp.c_str(), directory_.fd(), name.c_str()) != 0) {
    *problem = "cannot write " + name + ": " + g_strerror(errno);
    unlinkat(directory_.fd(), temp.c_str(), 0);
    return false;
  }
  fsync(directory_.fd());
  return true;
}

std::vector<std::string> GenerationCache::entry_names() const {
  std::vector<std::string> names;
  /* A descriptor of its own: readdir() moves the offset of the one it reads. */
  FileDescriptor listing = open_in_dir(".", O_RDONLY | O_DIRECTORY);
  DIR *dir = listing.valid() ? fdopendir(listing.get()) : nullptr;
  if (!dir)
    return names;
  listing.release(); /* closedir() closes it */
  while (const struct dirent *entry = readdir(dir)) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
      names.emplace_back(entry->d_name);
  }
  closedir(dir);
  return names;
}

void GenerationCache::remove(const std::string &key) const {
  for (const Variant &variant : kVariants)
    unlinkat(directory_.fd(), clip_name(key, variant.name).c_str(), 0);
  unlinkat(directory_.fd(), (key + ".json").c_str(), 0);
}

/* The temporary names ClipDownload ("CLIP.PID-XXXXXXXX.part") and write()
 * ("KEY.json.XXXXXX", as g_file_set_contents in earlier versions) write
 * before they rename. */
void GenerationCache::remove_leftovers(const std::string &key) const {
  const std::string record_temp = key + ".json.";
  for (const std::string &entry : entry_names()) {
    const char *name = entry.c_str();
    if (!g_str_has_prefix(name, key.c_str()) || name[key.size()] != '.')
      continue;
    bool partial_clip = g_str_has_suffix(name, ".part");
    bool partial_record = g_str_has_prefix(name, record_temp.c_str()) &&
                          strlen(name) == record_temp.size() + strlen("XXXXXX");
    if (partial_clip || partial_record) {
      GST_INFO("removing %s, left by a run that did not finish", name);
      unlinkat(directory_.fd(), name, 0);
    }
  }
}

namespace {

constexpr char kXxh64Prefix[] = "xxh64:";

/* The first and last 64 KiB (the whole file when it is smaller) of an open
 * file of `size` bytes. */
bool read_ends(int fd, guint64 size, std::vector<guint8> *head, std::vector<guint8> *tail) {
  gsize span = static_cast<gsize>(MIN(size, static_cast<guint64>(kFingerprintSpan)));
  for (auto [buffer, offset] : {std::pair{head, guint64{0}}, std::pair{tail, size - span}}) {
    buffer->resize(span);
    if (span > 0 && read_at(fd, buffer->data(), span, offset) != static_cast<gssize>(span))
      return false;
  }
  return true;
}

/* How records written before the xxh64 fingerprint were made: SHA-256 of
 * "SIZE:", the head and the tail. */
std::string sha256_fingerprint(guint64 size, const std::vector<guint8> &head,
                               const std::vector<guint8> &tail) {
  g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
  std::string size_text = std::to_string(size) + ":";
  g_checksum_update(checksum, reinterpret_cast<const guchar *>(size_text.data()),
                    static_cast<gssize>(size_text.size()));
  g_checksum_update(checksum, head.data(), static_cast<gssize>(head.size()));
  g_checksum_update(checksum, tail.data(), static_cast<gssize>(tail.size()));
  return g_checksum_get_string(checksum);
}

std::string xxh64_fingerprint(guint64 size, const std::vector<guint8> &head,
                              const std::vector<guint8> &tail) {
  XXH64_hash_t h = XXH64(head.data(), head.size(), size);
  h = XXH64(tail.data(), tail.size(), h);
  char text[sizeof kXxh64Prefix + 16];
  g_snprintf(text, sizeof text, "%s%016" G_GINT64_MODIFIER "x", kXxh64Prefix, h);
  return text;
}

}  // namespace

/* The file's size and a hash of its first and last 64 KiB: cheap at any
 * size (about 20 us), and catches truncation, appended bytes, a damaged
 * header and a different clip of the same size. */
std::string GenerationCache::fingerprint(const std::string &path) {
  guint64 size = 0;
  FileDescriptor file = open_for_reading(path, &size, O_NOFOLLOW);
  std::vector<guint8> head, tail;
  if (!file.valid() || !read_ends(file.get(), size, &head, &tail))
    return "";
  return xxh64_fingerprint(size, head, tail);
}

/* Compared the way the record's fingerprint was made, so that a cache
 * written by an earlier version stays valid. */
static bool fingerprint_matches(int fd, guint64 size, const std::string &expected) {
  std::vector<guint8> head, tail;
  if (expected.empty() || !read_ends(fd, size, &head, &tail))
    return false;
  if (g_str_has_prefix(expected.c_str(), kXxh64Prefix))
    return xxh64_fingerprint(size, head, tail) == expected;
  return sha256_fingerprint(size, head, tail) == expected;
}

/* One open of the clip for both checks. */
bool GenerationCache::clip_is_intact(const CacheRecord &record) const {
  if (!record.completed)
    return false;
  const std::string clip = clip_name(record.key, record.variant);
  /* O_NONBLOCK: a FIFO in its place must not block the open. */
  FileDescriptor file = open_in_dir(clip, O_RDONLY | O_NONBLOCK);
  struct stat st;
  std::string problem;
  if (!file.valid() || fstat(file.get(), &st) != 0)
    problem = std::string("cannot read it: ") + g_strerror(errno);
  else if (!S_ISREG(st.st_mode))
    problem = "it is not a regular file";
  const guint64 size = problem.empty() ? static_cast<guint64>(st.st_size) : 0;
  if (problem.empty() && record.variant == "video") {
    Mp4Check check = check_mp4_fd(file.get(), size);
    if (!check.ok)
      problem = check.problem;
  }
  if (problem.empty() && !fingerprint_matches(file.get(), size, record.fingerprint))
    problem = "its size or fingerprint differs from the record";
  if (!problem.empty())
    GST_WARNING("cached clip %s is damaged: %s", clip.c_str(), problem.c_str());
  return problem.empty();
}

void GenerationCache::touch(const CacheRecord &record) const {
  const struct timespec times[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  if (utimensat(directory_.fd(), clip_name(record.key, record.variant).c_str(), times,
                AT_SYMLINK_NOFOLLOW) != 0)
    GST_WARNING("cannot mark %s used: %s", record.key.c_str(), g_strerror(errno));
}

gint64 GenerationCache::last_use_us(const CacheRecord &record) const {
  struct stat st;
  if (fstatat(directory_.fd(), clip_name(record.key, record.variant).c_str(), &st,
              AT_SYMLINK_NOFOLLOW) != 0)
    return record.last_used_us;
  gint64 touched =
      static_cast<gint64>(st.st_mtim.tv_sec) * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  return std::max(record.last_used_us, touched);
}

void GenerationCache::evict(guint64 max_bytes, const std::string &keep_key) const {
  if (max_bytes == 0)
    return;
  std::vector<CacheRecord> stored;
  guint64 total = 0;
  for (const std::string &name : entry_names()) {
    if (!g_str_has_suffix(name.c_str(), ".json"))
      continue;
    std::string key(name, 0, name.size() - strlen(".json"));
    std::optional<CacheRecord> record = read(key);
    if (record && record->completed) {
      total += record->clip_size;
      record->last_used_us = last_use_us(*record);
      stored.push_back(std::move(*record));
    }
  }
  std::sort(stored.begin(), stored.end(), [](const CacheRecord &a, const CacheRecord &b) {
    return a.last_used_us < b.last_used_us;
  });
  for (const CacheRecord &record : stored) {
    if (total <= max_bytes)
      break;
    if (record.key == keep_key)
      continue;
    std::string problem;
    std::unique_ptr<CacheLock> lock = try_lock(record.key, &problem);
    if (!lock)
      continue; /* another run is using it */
    GST_INFO("cache over %" G_GUINT64_FORMAT " bytes: evicting %s (%s)", max_bytes,
             record.key.c_str(), record.video_id.c_str());
    remove(record.key);
    total -= record.clip_size;
  }
}

}  // namespace sora
