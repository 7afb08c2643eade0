/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: the playlist parser (gst/sora/playlist/shot_spec) in its
 * three forms: a JSON file (soraplaylistsrc location=), the `shots` property
 * (an array of structures) and one structure (append-shot), the latter two
 * built from the same JSON. Every shot read is then applied to a soravideosrc, as
 * the bin does. Built by tests/fuzz/run.sh with clang; replayed over
 * corpus/playlist by the test suite (fuzz-corpus-playlist). */
#include "gstsoravideosrc.h"
#include "core/json_limits.h"
#include "playlist/shot_spec.h"

#include "scratch_file.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

GstElement *source;
std::unique_ptr<ScratchFile> playlist;

void use(const std::vector<sora::playlist::ShotSpec> &shots) {
  for (const sora::playlist::ShotSpec &shot : shots) {
    shot.title();
    shot.apply_to(source);
  }
}

bool known_field(const char *name) {
  return g_strcmp0(name, "duration") == 0 ||
         g_object_class_find_property(G_OBJECT_GET_CLASS(source), name) != nullptr;
}

/* GStreamer's lists and arrays hold values of one type, as its parser makes
 * them: an element of another type (or none, from a JSON null) is left out. */
void append_if_same_type(GValue *container, const GValue *element) {
  bool list = GST_VALUE_HOLDS_LIST(container);
  guint size = list ? gst_value_list_get_size(container) : gst_value_array_get_size(container);
  const GValue *first = size == 0 ? nullptr
                        : list    ? gst_value_list_get_value(container, 0)
                                  : gst_value_array_get_value(container, 0);
  if (!G_IS_VALUE(element) || (first && G_VALUE_TYPE(first) != G_VALUE_TYPE(element)))
    return;
  if (list)
    gst_value_list_append_value(container, element);
  else
    gst_value_array_append_value(container, element);
}

/* A JSON value as the GValue GStreamer's parser would give for its text: a
 * number as any of the integer types, a fraction or a double (which one
 * follows from `seed`), an object as a structure, an array as a list. */
void gst_value_from_json(JsonNode *node, guint seed, GValue *value) {
  if (JSON_NODE_HOLDS_OBJECT(node)) {
    GstStructure *structure = gst_structure_new_empty("shot");
    JsonObjectIter iter;
    const char *name = nullptr;
    JsonNode *member = nullptr;
    json_object_iter_init(&iter, json_node_get_object(node));
    for (guint i = 0; json_object_iter_next(&iter, &name, &member); i++) {
      g_auto(GValue) field = G_VALUE_INIT;
      gst_value_from_json(member, seed + i, &field);
      /* Unknown names as one: every field name becomes a quark, never freed. */
      if (G_IS_VALUE(&field))
        gst_structure_set_value(structure, known_field(name) ? name : "unknown-key", &field);
    }
    g_value_init(value, GST_TYPE_STRUCTURE);
    g_value_take_boxed(value, structure);
  } else if (JSON_NODE_HOLDS_ARRAY(node)) {
    g_value_init(value, GST_TYPE_LIST);
    JsonArray *array = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(array); i++) {
      g_auto(GValue) element = G_VALUE_INIT;
      gst_value_from_json(json_array_get_element(array, i), seed + i, &element);
      append_if_same_type(value, &element);
    }
  } else if (JSON_NODE_HOLDS_VALUE(node)) {
    GType type = json_node_get_value_type(node);
    if (type == G_TYPE_INT64) {
      gint64 n = json_node_get_int(node);
      switch (seed % 4) {
        case 0:
          g_value_init(value, G_TYPE_INT);
          g_value_set_int(value, static_cast<gint>(n));
          break;
        case 1:
          g_value_init(value, G_TYPE_UINT);
          g_value_set_uint(value, static_cast<guint>(n));
          break;
        case 2:
          g_value_init(value, G_TYPE_UINT64);
          g_value_set_uint64(value, static_cast<guint64>(n));
          break;
        default:
          g_value_init(value, G_TYPE_INT64);
          g_value_set_int64(value, n);
      }
    } else if (type == G_TYPE_DOUBLE) {
      double d = json_node_get_double(node);
      if (seed % 2 && d > -1e6 && d < 1e6) {
        g_value_init(value, GST_TYPE_FRACTION);
        gst_value_set_fraction(value, static_cast<gint>(d * 1000), 1000);
      } else {
        g_value_init(value, G_TYPE_DOUBLE);
        g_value_set_double(value, d);
      }
    } else if (type == G_TYPE_BOOLEAN) {
      g_value_init(value, G_TYPE_BOOLEAN);
      g_value_set_boolean(value, json_node_get_boolean(node));
    } else if (g_utf8_validate(json_node_get_string(node), -1, nullptr)) {
      /* GStreamer's parser gives UTF-8 only; the file form tests the rest. */
      g_value_init(value, G_TYPE_STRING);
      g_value_set_string(value, json_node_get_string(node));
    }
  }
}

}  // namespace

/* Before the first input, so that GStreamer's one-off allocations are not
 * taken for a leak of it. */
extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  gst_init(nullptr, nullptr);
  source = GST_ELEMENT(g_object_ref_sink(g_object_new(GST_TYPE_SORA_VIDEO_SRC, nullptr)));
  playlist = std::make_unique<ScratchFile>("playlist.json");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<sora::playlist::ShotSpec> shots;
  sora::playlist::shots_from_file(playlist->write(data, size), 0, shots);
  use(shots);

  /* The same shots as GstStructures of typed values, as the `shots`
   * property and append-shot get them. Built here rather than by GStreamer's
   * text parsers, which leak on malformed text (1.22) and would exhaust the
   * fuzzer's memory. */
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!sora::load_json_bounded(parser, {reinterpret_cast<const char *>(data), size}, nullptr))
    return 0;
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_ARRAY(root))
    return 0;
  g_auto(GValue) array = G_VALUE_INIT;
  g_value_init(&array, GST_TYPE_ARRAY);
  JsonArray *elements = json_node_get_array(root);
  for (guint i = 0; i < json_array_get_length(elements); i++) {
    g_auto(GValue) element = G_VALUE_INIT;
    gst_value_from_json(json_array_get_element(elements, i), i, &element);
    if (GST_VALUE_HOLDS_STRUCTURE(&element)) {
      sora::playlist::ShotSpec shot;
      if (!sora::playlist::shot_from_structure(gst_value_get_structure(&element), i, shot))
        use({shot});
    }
    append_if_same_type(&array, &element);
  }
  shots.clear();
  sora::playlist::shots_from_array(&array, 0, shots);
  use(shots);
  return 0;
}
