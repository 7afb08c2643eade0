/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The whole programme's cost against its budget, checked when it starts:
 * each shot priced as its soravideosrc will price it (the shot's settings
 * over the bin's), the sum compared with what is left of the budget. Only a
 * warning: each shot is checked again, and refused, before its own create
 * (core/cost_guard.h), and on-failure says what a refused shot does. */
#pragma once

#include "playlist/shot_defaults.h"
#include "playlist/shot_spec.h"

#include <optional>
#include <string>
#include <vector>

namespace sora::playlist {

/* The warning when the programme's estimate exceeds what is left of its
 * budget (or some shots cannot be priced under one); nullopt otherwise, or
 * with no budget. `programme_start_us` is now: a new programme has spent
 * nothing yet. */
std::optional<std::string> programme_budget_warning(const std::vector<ShotSpec> &shots,
                                                    const ShotDefaults &defaults,
                                                    gint64 programme_start_us);

}  // namespace sora::playlist
