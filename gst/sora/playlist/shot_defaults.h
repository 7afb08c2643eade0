/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The settings every shot's soravideosrc inherits from the bin (connection,
 * model, size, cache, timeouts, ...): the properties of the bin that stand
 * for soravideosrc properties of the same name.
 *
 * kForwardedProperties is the one list of them. Each name becomes a property
 * of the bin with soravideosrc's own type, range, default and description,
 * so forwarding one more soravideosrc property is a one-line change here.
 * ShotDefaults keeps the values set on the bin and applies them to each
 * shot's source before the shot's own settings. The API key is kept apart
 * and never read back. */
#pragma once

#include <gst/gst.h>

#include <map>
#include <mutex>
#include <string>

namespace sora::playlist {

/* soravideosrc property names, each also a property of the bin. */
extern const char *const kForwardedProperties[];

/* Whether `name` is one of them: a setting the bin gives every shot. */
bool is_forwarded(const char *name);

/* Installs one property on `klass` per forwarded name that soravideosrc has,
 * with ids from `first_id` on; returns how many. */
guint install_forwarded_properties(GObjectClass *klass, guint first_id);

/* The soravideosrc property forwarded as the bin's property `id`, or null. */
GParamSpec *forwarded_property(guint id);

class ShotDefaults {
 public:
  ShotDefaults() = default;
  ~ShotDefaults();
  ShotDefaults(const ShotDefaults &) = delete;
  ShotDefaults &operator=(const ShotDefaults &) = delete;

  void set(GParamSpec *pspec, const GValue *value);
  /* The value set, else the default; api-key always reads NULL. */
  void get(GParamSpec *pspec, GValue *value) const;

  /* The value in effect for `name` (set, else soravideosrc's default), as
   * text: for the shot settings the programme needs itself (size, seconds). */
  std::string text(const char *name) const;

  /* The programme the shots' spend counts under (budget-period=programme),
   * set when a programme starts. */
  void set_programme(const std::string &programme, gint64 start_us);

  /* Sets every value set on the bin on `source`, a soravideosrc, and the
   * programme. */
  void apply_to(GstElement *source) const;

 private:
  mutable std::mutex lock_;
  std::map<std::string, GValue> values_; /* only those set; never the key */
  std::string api_key_;
  std::string programme_;
  gint64 programme_start_us_ = 0;
};

}  // namespace sora::playlist
