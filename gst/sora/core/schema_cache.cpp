/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/schema_cache.h"

#include "core/debug.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include <map>
#include <mutex>
#include <set>
#include <utility>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

std::mutex lock;

std::map<std::string, std::pair<gint64, std::string>> &memory() {
  static std::map<std::string, std::pair<gint64, std::string>> schemas;
  return schemas;
}

std::string file_for(const std::string &dir, const std::string &url) {
  g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url.c_str(), -1);
  g_autofree char *path =
      g_build_filename(dir.c_str(), "schemas", (std::string(digest) + ".json").c_str(), nullptr);
  return path;
}

}  // namespace

std::optional<std::string> cached_schema(const std::string &dir, const std::string &url) {
  const gint64 now = g_get_real_time();
  {
    std::lock_guard<std::mutex> guard(lock);
    auto it = memory().find(url);
    if (it != memory().end() && now - it->second.first < kSchemaLifetimeUs)
      return it->second.second;
  }
  if (dir.empty())
    return std::nullopt;
  std::string path = file_for(dir, url);
  GStatBuf info;
  /* A regular file of ours, fresh, not too large: never through a link. */
  if (g_lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<gsize>(info.st_size) > kMaxSchemaBytes ||
      now - gint64{info.st_mtime} * G_USEC_PER_SEC >= kSchemaLifetimeUs)
    return std::nullopt;
  g_autofree char *text = nullptr;
  gsize length = 0;
  if (!g_file_get_contents(path.c_str(), &text, &length, nullptr))
    return std::nullopt;
  std::string schema(text, length);
  std::lock_guard<std::mutex> guard(lock);
  memory()[url] = {gint64{info.st_mtime} * G_USEC_PER_SEC, schema};
  return schema;
}

void store_schema(const std::string &dir, const std::string &url, const std::string &text) {
  if (text.size() > kMaxSchemaBytes)
    return;
  {
    std::lock_guard<std::mutex> guard(lock);
    memory()[url] = {g_get_real_time(), text};
  }
  if (dir.empty())
    return;
  g_autofree char *schemas = g_build_filename(dir.c_str(), "schemas", nullptr);
  GStatBuf info;
  if (g_mkdir(schemas, 0700) != 0 &&
      (g_lstat(schemas, &info) != 0 || !S_ISDIR(info.st_mode)))
    return;
  g_autoptr(GError) error = nullptr;
  if (!g_file_set_contents_full(file_for(dir, url).c_str(), text.data(),
                                static_cast<gssize>(text.size()),
                                G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    GST_WARNING("cannot keep a model schema in %s: %s", schemas, error->message);
}

void warn_conventional_names(const std::string &model, const std::string &why,
                             const char *consequence) {
  static std::set<std::string> told;
  {
    std::lock_guard<std::mutex> guard(lock);
    if (!told.insert(model).second)
      return;
  }
  GST_WARNING("no input schema for %s (%s): %s", model.c_str(), why.c_str(),
              consequence ? consequence
                          : "sending the conventional field names (prompt, duration, "
                            "aspect_ratio, and the image as a data URL); a value the model does "
                            "not take is refused by the server");
}

}  // namespace sora
