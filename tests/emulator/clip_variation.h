/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// How the clip a real model makes can differ from the request: no audio track (many video models
// make silent clips), another frame rate (24, 25 fps), another size than asked (a model that
// ignores `size`), a failure, a slower generation. A test chooses it for every task (the config's
// `clip`), for the tasks whose prompt contains a text (the config's `prompt_rules`, so that one
// task among several created at once can be picked), or per request in the create request's
// `metadata` (`{"emulator": {...}}`), in that order of precedence, the request's last.
#pragma once

#include "glib_ptr.h"
#include "task.h"

#include <json-glib/json-glib.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

struct ClipVariation {
  std::optional<bool> audio;
  std::optional<int> fps;
  std::optional<std::pair<int, int>> size;  // width, height
  std::optional<TaskError> failure;
  std::optional<gint64> generation_ms;

  // Reads {"audio": false, "fps": 24, "size": "640x480", "fail": {"code", "message"},
  // "generation_ms": 5000}; every key optional, an unknown one is an error naming @where.
  static std::optional<std::string> parse(JsonNode *node, const std::string &where,
                                          ClipVariation &variation);
  JsonObject *to_json() const;

  // The members set in @over replace this one's.
  void override_with(const ClipVariation &over);

  // Shapes a task about to start: its clip, its generation time, and its failure unless one is
  // already planned (fail_next).
  void apply(Task &task) const;
};

struct PromptRule {
  std::string prompt_contains;
  ClipVariation variation;
};

struct ClipVariations {
  ClipVariation every_clip;
  std::vector<PromptRule> prompt_rules;

  // The config's `clip` (an object, or null for the usual clip) and `prompt_rules` (an array of
  // objects with `prompt_contains` and the keys of a variation).
  std::optional<std::string> set_every_clip(JsonNode *node);
  std::optional<std::string> set_prompt_rules(JsonNode *node);
  JsonNodePtr every_clip_json() const;
  JsonNodePtr prompt_rules_json() const;

  // The variation of a task with @prompt whose create request carried @metadata (may be null): the
  // config's `clip`, then every rule that matches, in order, then the request's own. Fails only on
  // a request whose "emulator" member is malformed.
  std::optional<std::string> for_task(const std::string &prompt, JsonNode *metadata,
                                      ClipVariation &variation) const;
};
