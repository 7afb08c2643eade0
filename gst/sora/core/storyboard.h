/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Storyboard: checks a multi-shot prompt before it is paid for.
 *
 * Some servers accept a prompt made of shots (seeds/000):
 *
 *     Shot 1:
 *     duration: 7.5sec
 *     Scene: The plane takes off.
 *
 *     Shot 2:
 *     duration: 7.5sec
 *     Scene: The plane lands.
 *
 * A typo in such a prompt is billed like any other. This file finds the
 * mistakes that can be seen locally: shots out of order, a duration that does
 * not parse, a shot without a scene, and shots that do not add up to the
 * requested duration. */
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sora {

struct Shot {
  unsigned number = 0;
  double seconds = 0;
  std::string scene;
};

struct Storyboard {
  std::vector<Shot> shots;
  double total_seconds = 0;
};

/* Whether `prompt` is written as a storyboard (has a "Shot N:" line). */
bool looks_like_storyboard(const std::string &prompt);

/* Parses a storyboard prompt. On a mistake returns nullopt and a sentence
 * naming the shot and what is wrong. */
std::optional<Storyboard> parse_storyboard(const std::string &prompt, std::string *problem);

/* "15 s (7.5 + 7.5)": for messages. */
std::string describe_storyboard_total(const Storyboard &board);

}  // namespace sora
