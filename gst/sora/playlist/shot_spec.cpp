/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "shot_spec.h"

#include "../gstsoravideosrc.h"
#include "../request_fields.h"
#include "core/json_limits.h"
#include "shot_defaults.h"

#include <json-glib/json-glib.h>

#include <cmath>

namespace sora::playlist {

namespace {

constexpr char kDurationKey[] = "duration";
/* Tens of thousands of shots; a playlist larger than this is not one. */
constexpr gsize kMaxPlaylistSize = 16 * 1024 * 1024;

/* The soravideosrc property a shot may set, or an error: request fields only
 * (request_fields.h), since a playlist comes from anywhere; the rest is the
 * bin's, set by the application. */
std::optional<std::string> settable_spec(const char *name, size_t index, GParamSpec **spec) {
  const PropertyTrust *row = property_trust(name);
  if (row && !row->request_field) {
    std::string instead =
        is_forwarded(name)
            ? std::string("Set ") + name + " on the soraplaylistsrc instead"
            : std::string("Only an application can set it, on a soravideosrc of its own");
    return shot_label(index) + ": " + refusal_message(*row, "a playlist shot", instead);
  }
  auto *klass = static_cast<GObjectClass *>(g_type_class_ref(GST_TYPE_SORA_VIDEO_SRC));
  GParamSpec *pspec = g_object_class_find_property(klass, name);
  g_type_class_unref(klass);
  if (!row || !pspec)
    return shot_label(index) + ": '" + name +
           "' is not a soravideosrc property a shot can set (it can set " + request_field_names() +
           ")";
  *spec = pspec;
  return std::nullopt;
}

/* `value` in the property's type, within its range. */
bool convert(GParamSpec *pspec, const GValue *value, GValue *out) {
  g_value_init(out, pspec->value_type);
  if (G_VALUE_TYPE(value) == pspec->value_type) {
    g_value_copy(value, out);
  } else if (G_VALUE_HOLDS_STRING(value)) {
    if (pspec->value_type == G_TYPE_STRING)
      g_value_copy(value, out);
    else if (!g_value_get_string(value) || !gst_value_deserialize(out, g_value_get_string(value)))
      return false;
  } else if (pspec->value_type == G_TYPE_STRING) {
    g_autofree char *text = gst_value_serialize(value);
    g_value_set_string(out, text);
  } else if (!G_TYPE_IS_ENUM(pspec->value_type) &&
             g_value_type_transformable(G_VALUE_TYPE(value), pspec->value_type)) {
    if (G_VALUE_HOLDS_DOUBLE(value) &&
        g_value_get_double(value) != std::floor(g_value_get_double(value)))
      return false; /* 4.5 seconds is not 4 */
    if (!g_value_transform(value, out))
      return false;
  } else {
    return false;
  }
  /* Out of range (a negative count wrapped round, ...) is an error, not a
   * silent clamp. */
  return !g_param_value_validate(pspec, out);
}

std::optional<std::string> read_duration(const GValue *value, size_t index,
                                         std::optional<GstClockTime> &duration) {
  double seconds = -1;
  if (G_VALUE_HOLDS_DOUBLE(value)) {
    seconds = g_value_get_double(value);
  } else if (G_VALUE_HOLDS_INT(value)) {
    seconds = g_value_get_int(value);
  } else if (G_VALUE_HOLDS_INT64(value)) {
    seconds = static_cast<double>(g_value_get_int64(value));
  } else if (G_VALUE_HOLDS_UINT(value)) {
    seconds = g_value_get_uint(value);
  } else if (G_VALUE_HOLDS_STRING(value) && g_value_get_string(value)) {
    char *end = nullptr;
    seconds = g_ascii_strtod(g_value_get_string(value), &end);
    if (end == g_value_get_string(value) || *end)
      seconds = -1;
  }
  if (!(seconds > 0) || seconds > 24 * 3600)
    return shot_label(index) + ": 'duration' must be a number of seconds above 0";
  duration = static_cast<GstClockTime>(std::llround(seconds * GST_SECOND));
  return std::nullopt;
}

/* One key=value of a shot, into `shot`. */
std::optional<std::string> add_setting(const char *name, const GValue *value, size_t index,
                                       ShotSpec &shot) {
  /* json-glib turns a lone surrogate escape ("\udc00") into bytes that are
   * not UTF-8, and GStreamer drops such a field with a warning: the shot
   * would run without the prompt or size it was written with. */
  if (G_VALUE_HOLDS_STRING(value) && g_value_get_string(value) &&
      !g_utf8_validate(g_value_get_string(value), -1, nullptr))
    return shot_label(index) + ": the value of '" + name + "' is not valid UTF-8 text";
  if (g_strcmp0(name, kDurationKey) == 0)
    return read_duration(value, index, shot.duration);
  GParamSpec *pspec = nullptr;
  if (auto error = settable_spec(name, index, &pspec))
    return error;
  g_auto(GValue) converted = G_VALUE_INIT;
  if (!convert(pspec, value, &converted)) {
    g_autofree char *text =
        G_VALUE_HOLDS_STRING(value) ? g_value_dup_string(value) : gst_value_serialize(value);
    return shot_label(index) + ": '" + (text ? text : "?") + "' is not a valid " + name;
  }
  gst_structure_set_value(shot.settings.get(), name, &converted);
  return std::nullopt;
}

/* A JSON member as a GValue; objects and arrays (metadata) as JSON text. */
bool value_from_json(JsonNode *node, GValue *value) {
  if (JSON_NODE_HOLDS_OBJECT(node) || JSON_NODE_HOLDS_ARRAY(node)) {
    g_value_init(value, G_TYPE_STRING);
    g_value_take_string(value, json_to_string(node, FALSE));
    return true;
  }
  if (!JSON_NODE_HOLDS_VALUE(node))
    return false;
  GType type = json_node_get_value_type(node);
  if (type == G_TYPE_INT64) {
    g_value_init(value, G_TYPE_INT64);
    g_value_set_int64(value, json_node_get_int(node));
  } else if (type == G_TYPE_DOUBLE) {
    g_value_init(value, G_TYPE_DOUBLE);
    g_value_set_double(value, json_node_get_double(node));
  } else if (type == G_TYPE_BOOLEAN) {
    g_value_init(value, G_TYPE_BOOLEAN);
    g_value_set_boolean(value, json_node_get_boolean(node));
  } else {
    g_value_init(value, G_TYPE_STRING);
    g_value_set_string(value, json_node_get_string(node));
  }
  return true;
}

std::optional<std::string> shot_from_json(JsonNode *node, size_t index, ShotSpec &shot) {
  if (!JSON_NODE_HOLDS_OBJECT(node))
    return shot_label(index) + ": each shot is a JSON object of soravideosrc properties";
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *member = nullptr;
  json_object_iter_init(&iter, json_node_get_object(node));
  while (json_object_iter_next(&iter, &name, &member)) {
    if (JSON_NODE_HOLDS_NULL(member))
      continue; /* null: the bin's default */
    g_auto(GValue) value = G_VALUE_INIT;
    value_from_json(member, &value);
    if (auto error = add_setting(name, &value, index, shot))
      return error;
  }
  return std::nullopt;
}

}  // namespace

ShotSpec::ShotSpec() : settings(gst_structure_new_empty("shot")) {}

ShotSpec::ShotSpec(const ShotSpec &other)
    : settings(gst_structure_copy(other.settings.get())), duration(other.duration) {}

ShotSpec &ShotSpec::operator=(const ShotSpec &other) {
  if (this != &other) {
    settings.reset(gst_structure_copy(other.settings.get()));
    duration = other.duration;
  }
  return *this;
}

std::string ShotSpec::text(const char *name) const {
  const GValue *value = gst_structure_get_value(settings.get(), name);
  if (!value)
    return "";
  if (G_VALUE_HOLDS_STRING(value))
    return g_value_get_string(value) ? g_value_get_string(value) : "";
  g_autofree char *serialized = gst_value_serialize(value);
  return serialized ? serialized : "";
}

std::string ShotSpec::title() const {
  std::string prompt = text("prompt");
  if (!prompt.empty())
    return prompt;
  std::string video_id = text("video-id");
  return video_id.empty() ? "" : "video " + video_id;
}

void ShotSpec::apply_to(GstElement *source) const {
  gst_structure_foreach(
      settings.get(),
      [](GQuark field, const GValue *value, gpointer element) -> gboolean {
        g_object_set_property(G_OBJECT(element), g_quark_to_string(field), value);
        return TRUE;
      },
      source);
}

std::optional<std::string> shot_from_structure(const GstStructure *structure, size_t index,
                                               ShotSpec &shot) {
  struct Reading {
    size_t index;
    ShotSpec &shot;
    std::optional<std::string> error;
  } reading{index, shot, std::nullopt};
  gst_structure_foreach(
      structure,
      [](GQuark field, const GValue *value, gpointer data) -> gboolean {
        auto *r = static_cast<Reading *>(data);
        r->error = add_setting(g_quark_to_string(field), value, r->index, r->shot);
        return !r->error;
      },
      &reading);
  return reading.error;
}

std::optional<std::string> shots_from_array(const GValue *array, size_t first_index,
                                            std::vector<ShotSpec> &shots) {
  if (!array || !GST_VALUE_HOLDS_ARRAY(array))
    return std::string("shots must be an array of structures");
  guint count = gst_value_array_get_size(array);
  for (guint i = 0; i < count; i++) {
    const GValue *element = gst_value_array_get_value(array, i);
    size_t index = first_index + i;
    if (!GST_VALUE_HOLDS_STRUCTURE(element))
      return shot_label(index) + ": each element of shots is a structure (shot, prompt=...)";
    ShotSpec shot;
    if (auto error = shot_from_structure(gst_value_get_structure(element), index, shot))
      return error;
    shots.push_back(std::move(shot));
  }
  return std::nullopt;
}

std::optional<std::string> shots_from_file(const std::string &path, size_t first_index,
                                           std::vector<ShotSpec> &shots) {
  g_autoptr(JsonParser) parser = json_parser_new();
  g_autoptr(GError) error = nullptr;
  if (!load_json_file_bounded(parser, path, kMaxPlaylistSize, &error))
    return "Cannot read the playlist " + path + ": " + error->message;
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_ARRAY(root))
    return "The playlist " + path + " is not a JSON array of shots";
  JsonArray *array = json_node_get_array(root);
  for (guint i = 0; i < json_array_get_length(array); i++) {
    ShotSpec shot;
    if (auto problem = shot_from_json(json_array_get_element(array, i), first_index + i, shot))
      return path + ": " + *problem;
    shots.push_back(std::move(shot));
  }
  return std::nullopt;
}

std::string shot_label(size_t index) {
  return "Shot " + std::to_string(index + 1);
}

}  // namespace sora::playlist
