/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "shot_defaults.h"

#include "../gstsoravideosrc.h"
#include "core/http_client.h"

#include <vector>

namespace sora::playlist {

const char *const kForwardedProperties[] = {
    "api-key",       "base-url",   "model",     "size",
    "seconds",       "cache-mode", "cache-dir", "cache-max-size",
    "poll-interval", "retries",    "timeout",   "generation-timeout",
    "path-style",    "validate",   "gateway",   "max-clip-size",
    /* costs and budgets: one budget for the programme */
    "price-list",    "budget",     "budget-period", "budget-unknown",
};

namespace {

/* soravideosrc's specs, by the bin's property id. Filled once, at class
 * initialisation, and read-only after. */
std::vector<std::pair<guint, GParamSpec *>> &forwarded_specs() {
  static std::vector<std::pair<guint, GParamSpec *>> specs;
  return specs;
}

/* A property of the bin like `source`: same name, type, range, default,
 * description and readability (api-key is write-only); settable in NULL and
 * READY, as on soravideosrc. */
GParamSpec *copy_spec(GParamSpec *source) {
  const char *name = g_param_spec_get_name(source);
  const char *nick = g_param_spec_get_nick(source);
  const char *blurb = g_param_spec_get_blurb(source);
  auto flags =
      static_cast<GParamFlags>((source->flags & (G_PARAM_READWRITE | GST_PARAM_DOC_SHOW_DEFAULT)) |
                               G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  GType type = G_PARAM_SPEC_VALUE_TYPE(source);
  if (G_IS_PARAM_SPEC_STRING(source))
    return g_param_spec_string(name, nick, blurb, G_PARAM_SPEC_STRING(source)->default_value,
                               flags);
  if (G_IS_PARAM_SPEC_UINT(source)) {
    auto *s = G_PARAM_SPEC_UINT(source);
    return g_param_spec_uint(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (G_IS_PARAM_SPEC_INT(source)) {
    auto *s = G_PARAM_SPEC_INT(source);
    return g_param_spec_int(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (G_IS_PARAM_SPEC_UINT64(source)) {
    auto *s = G_PARAM_SPEC_UINT64(source);
    return g_param_spec_uint64(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (G_IS_PARAM_SPEC_INT64(source)) {
    auto *s = G_PARAM_SPEC_INT64(source);
    return g_param_spec_int64(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (G_IS_PARAM_SPEC_BOOLEAN(source))
    return g_param_spec_boolean(name, nick, blurb, G_PARAM_SPEC_BOOLEAN(source)->default_value,
                                flags);
  if (G_IS_PARAM_SPEC_ENUM(source))
    return g_param_spec_enum(name, nick, blurb, type, G_PARAM_SPEC_ENUM(source)->default_value,
                             flags);
  if (G_IS_PARAM_SPEC_DOUBLE(source)) {
    auto *s = G_PARAM_SPEC_DOUBLE(source);
    return g_param_spec_double(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  return nullptr;
}

bool is_key(GParamSpec *pspec) {
  return g_strcmp0(g_param_spec_get_name(pspec), "api-key") == 0;
}

}  // namespace

bool is_forwarded(const char *name) {
  for (const char *forwarded : kForwardedProperties) {
    if (g_strcmp0(forwarded, name) == 0)
      return true;
  }
  return false;
}

guint install_forwarded_properties(GObjectClass *klass, guint first_id) {
  auto *source_class = static_cast<GObjectClass *>(g_type_class_ref(GST_TYPE_SORA_VIDEO_SRC));
  guint id = first_id;
  for (const char *name : kForwardedProperties) {
    GParamSpec *source = g_object_class_find_property(source_class, name);
    GParamSpec *copy = source ? copy_spec(source) : nullptr;
    if (!copy) {
      /* A name soravideosrc does not have (yet): nothing to forward. */
      g_warning("soraplaylistsrc: cannot forward soravideosrc property '%s'", name);
      continue;
    }
    g_object_class_install_property(klass, id, copy);
    forwarded_specs().emplace_back(id, source);
    id++;
  }
  g_type_class_unref(source_class);
  return id - first_id;
}

GParamSpec *forwarded_property(guint id) {
  for (const auto &[forwarded_id, spec] : forwarded_specs()) {
    if (forwarded_id == id)
      return spec;
  }
  return nullptr;
}

ShotDefaults::~ShotDefaults() {
  for (auto &[name, value] : values_)
    g_value_unset(&value);
  sora::wipe_secret(api_key_);
}

void ShotDefaults::set(GParamSpec *pspec, const GValue *value) {
  std::lock_guard<std::mutex> guard(lock_);
  if (is_key(pspec)) {
    sora::wipe_secret(api_key_);
    const char *key = g_value_get_string(value);
    api_key_ = key ? key : "";
    return;
  }
  auto found = values_.find(pspec->name);
  if (found != values_.end()) {
    g_value_unset(&found->second);
    values_.erase(found);
  }
  GValue copy = G_VALUE_INIT;
  g_value_init(&copy, G_VALUE_TYPE(value));
  g_value_copy(value, &copy);
  values_.emplace(pspec->name, copy);
}

void ShotDefaults::get(GParamSpec *pspec, GValue *value) const {
  /* Never the key: api-key is write-only, GObject does not ask for it. */
  std::lock_guard<std::mutex> guard(lock_);
  auto found = values_.find(pspec->name);
  if (found != values_.end())
    g_value_copy(&found->second, value);
  else
    g_param_value_set_default(pspec, value);
}

std::string ShotDefaults::text(const char *name) const {
  auto *source_class = static_cast<GObjectClass *>(g_type_class_ref(GST_TYPE_SORA_VIDEO_SRC));
  GParamSpec *pspec = g_object_class_find_property(source_class, name);
  g_type_class_unref(source_class);
  if (!pspec)
    return "";
  g_auto(GValue) value = G_VALUE_INIT;
  g_value_init(&value, pspec->value_type);
  {
    std::lock_guard<std::mutex> guard(lock_);
    auto found = values_.find(name);
    if (found != values_.end())
      g_value_copy(&found->second, &value);
    else
      g_param_value_set_default(pspec, &value);
  }
  if (G_VALUE_HOLDS_STRING(&value))
    return g_value_get_string(&value) ? g_value_get_string(&value) : "";
  g_autofree char *serialized = gst_value_serialize(&value);
  return serialized ? serialized : "";
}

void ShotDefaults::set_programme(const std::string &programme, gint64 start_us) {
  std::lock_guard<std::mutex> guard(lock_);
  programme_ = programme;
  programme_start_us_ = start_us;
}

void ShotDefaults::apply_to(GstElement *source) const {
  std::lock_guard<std::mutex> guard(lock_);
  for (const auto &[name, value] : values_)
    g_object_set_property(G_OBJECT(source), name.c_str(), &value);
  if (!programme_.empty())
    gst_sora_video_src_set_programme(GST_SORA_VIDEO_SRC(source), programme_.c_str(),
                                     programme_start_us_);
  if (!api_key_.empty())
    g_object_set(source, "api-key", api_key_.c_str(), nullptr);
}

}  // namespace sora::playlist
