/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One shot of a programme and the ways a playlist is written down.
 *
 * A shot is a set of soravideosrc request fields (property name -> value,
 * already converted to the property's type and checked against its range;
 * request_fields.h says which: a playlist comes from anywhere, so the server,
 * files and cache are the bin's) plus an optional `duration`: how much of
 * the clip to use. Playlists come as a JSON
 * file (an array of objects, one per shot), as a GstValueArray of
 * GstStructures (the `shots` property), or one GstStructure at a time
 * (`append-shot`). Every form is checked when it is read, so a typo fails
 * at once, naming the shot, rather than when the shot's turn comes. */
#pragma once

#include "gst_ptr.h"

#include <gst/gst.h>

#include <optional>
#include <string>
#include <vector>

namespace sora::playlist {

struct ShotSpec {
  StructurePtr settings; /* "shot", one field per soravideosrc property */
  std::optional<GstClockTime> duration;

  ShotSpec();
  ShotSpec(const ShotSpec &other);
  ShotSpec &operator=(const ShotSpec &other);
  ShotSpec(ShotSpec &&) = default;
  ShotSpec &operator=(ShotSpec &&) = default;

  /* The prompt, or "video <id>" for a shot that plays an existing task. */
  std::string title() const;
  /* A setting as text ("" when the shot does not set it). */
  std::string text(const char *name) const;
  /* Sets the shot's own settings on `source`, a soravideosrc. */
  void apply_to(GstElement *source) const;
};

/* "Shot 3": the shot at `index` (from 0) as users count, from 1, in every
 * text the bin shows (errors, warnings, progress). */
std::string shot_label(size_t index);

/* Each returns an error text naming the shot (numbered from `first_index`)
 * and the key, or nothing on success. */
std::optional<std::string> shots_from_file(const std::string &path, size_t first_index,
                                           std::vector<ShotSpec> &shots);
std::optional<std::string> shots_from_array(const GValue *array, size_t first_index,
                                            std::vector<ShotSpec> &shots);
std::optional<std::string> shot_from_structure(const GstStructure *structure, size_t index,
                                               ShotSpec &shot);

}  // namespace sora::playlist
