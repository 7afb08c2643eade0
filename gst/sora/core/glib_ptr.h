/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Owning smart pointers for the GLib, GIO, libsoup and json-glib values kept
 * as class members. g_autoptr covers locals; these cover members and
 * containers, so that no code needs a manual unref ladder. The emulator
 * uses them too. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include <memory>
#include <string>
#include <string_view>

namespace sora {

template <auto Fn>
struct FreeWith {
  template <typename T>
  void operator()(T *p) const {
    if (p)
      Fn(p);
  }
};

template <typename T>
using GObjectPtr = std::unique_ptr<T, FreeWith<g_object_unref>>;
using BytesPtr = std::unique_ptr<GBytes, FreeWith<g_bytes_unref>>;
using ErrorPtr = std::unique_ptr<GError, FreeWith<g_error_free>>;
using UriPtr = std::unique_ptr<GUri, FreeWith<g_uri_unref>>;
using SourcePtr = std::unique_ptr<GSource, FreeWith<g_source_unref>>;
using HashTablePtr = std::unique_ptr<GHashTable, FreeWith<g_hash_table_unref>>;
using JsonNodePtr = std::unique_ptr<JsonNode, FreeWith<json_node_unref>>;
using JsonObjectPtr = std::unique_ptr<JsonObject, FreeWith<json_object_unref>>;

/* Takes a new reference: for objects the caller does not own. */
template <typename T>
GObjectPtr<T> ref_object(T *obj) {
  return GObjectPtr<T>(obj ? static_cast<T *>(g_object_ref(obj)) : nullptr);
}

/* A copy of `node`; null stays null. */
inline JsonNodePtr json_node_clone(const JsonNode *node) {
  return JsonNodePtr(node ? json_node_copy(const_cast<JsonNode *>(node)) : nullptr);
}

inline BytesPtr bytes_from_string(std::string s) {
  auto *heap = new std::string(std::move(s));
  return BytesPtr(g_bytes_new_with_free_func(
      heap->data(), heap->size(), [](gpointer p) { delete static_cast<std::string *>(p); }, heap));
}

inline std::string_view bytes_view(GBytes *bytes) {
  if (!bytes)
    return {};
  gsize size = 0;
  auto *data = static_cast<const char *>(g_bytes_get_data(bytes, &size));
  return {data ? data : "", size};
}

}  // namespace sora
