// Owning smart pointers for the GLib and json-glib values that the emulator keeps inside C++
// objects (g_autoptr only covers a scope). Each alias releases its value with the library's
// own unref function.
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include <memory>

template <typename T, void (*Release)(T *)>
struct ReleaseWith {
  void operator()(T *value) const { Release(value); }
};

using BytesPtr = std::unique_ptr<GBytes, ReleaseWith<GBytes, g_bytes_unref>>;
using JsonNodePtr = std::unique_ptr<JsonNode, ReleaseWith<JsonNode, json_node_unref>>;
using JsonObjectPtr = std::unique_ptr<JsonObject, ReleaseWith<JsonObject, json_object_unref>>;

// Copies a node, keeping a null input null.
inline JsonNodePtr json_node_clone(const JsonNode *node) {
  return JsonNodePtr(node ? json_node_copy(const_cast<JsonNode *>(node)) : nullptr);
}
