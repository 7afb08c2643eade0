/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* VideoObject: what a server says about one video task, read tolerantly.
 *
 * The same "video object" reaches the client in several shapes: bare or inside
 * a {"code","message","data"} envelope, with the status in any letter case,
 * progress as 45, 45.0 or "45%", the id as "id" or "task_id", and the clip's
 * address in /content or in one of several URL fields (DIALECTS.md). This file
 * is the one place that knows those shapes; everything after it sees one
 * struct. It also reads error bodies of both shapes into ApiError. */
#pragma once

#include "core/task_status.h"

#include <glib.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sora {

/* A server's error: from an HTTP error body, or from a task that failed. */
struct ApiError {
  std::string message;
  std::string code;
  std::string type;
  std::string param;

  bool empty() const { return message.empty() && code.empty(); }
  /* "message (code)", or whichever of the two is present. */
  std::string describe() const;
};

/* How a server counts progress: most send a percentage, some (LiteLLM in
 * front of Runway) a fraction of 1. One number below 1 cannot tell them
 * apart (0.5 % at the very start, or half done): kFractionLikely reads it as
 * a fraction, kUnknown as a percentage until a second number says more. */
enum class ProgressScale { kUnknown, kFractionLikely, kFraction, kPercent };

struct VideoObject {
  std::string id;
  std::string status; /* the server's own word, as sent */
  TaskState state = TaskState::kRunning;
  std::optional<unsigned> progress;     /* 0..100; unset: the server did not say */
  std::optional<double> progress_value; /* the number as sent: 45, 0.45, "45%" -> 45 */
  std::string model;
  std::string size;
  std::string seconds;
  std::string prompt;
  std::string remixed_from_video_id;
  std::optional<gint64> created_at;
  std::optional<gint64> completed_at;
  std::optional<gint64> expires_at;
  ApiError error; /* why the task failed, when it did */
  /* Links to the finished clip that the server filled, best first. */
  std::vector<std::string> download_urls;
  /* Where to poll the task, when the server says (OpenRouter's polling_url,
   * often relative to the server's origin). */
  std::string polling_url;
  /* What the server says the task cost, in USD, when it says: OpenRouter's
   * usage.cost, xAI's usage.cost_in_usd_ticks (1e10 to the dollar). */
  std::optional<double> reported_cost;
};

/* Reads a create or retrieve answer. Returns nullopt and sets `problem` when
 * the body is not a JSON object, or holds no task id and `known_id` (the id
 * a retrieve was made for) is empty. */
std::optional<VideoObject> parse_video_object(std::string_view body, std::string *problem,
                                              const std::string &known_id = {});

/* One page of GET /videos. */
struct VideoPage {
  std::vector<VideoObject> videos;
  bool has_more = false;
  std::string last_id;
};

/* Reads a list answer: {"object":"list","data":[...],"has_more",...}, bare
 * or in an envelope. Entries without an id are skipped. */
std::optional<VideoPage> parse_video_page(std::string_view body, std::string *problem);

/* One entry of a model list: OpenAI's /models ({"data":[{"id",...}]}) or
 * OpenRouter's /videos/models, which adds what each model accepts. */
struct ModelInfo {
  std::string id;
  std::string name;
  std::vector<std::string> durations; /* seconds, as text */
  std::vector<std::string> sizes;     /* supported_sizes, else supported_resolutions */
  std::vector<std::string> aspect_ratios;
  std::vector<std::string> resolutions;  /* supported_resolutions alone */
  std::vector<std::string> listed_sizes; /* supported_sizes alone (null: none) */
};

/* Reads a model list, bare or in an envelope. Entries without an id are
 * skipped. */
std::optional<std::vector<ModelInfo>> parse_model_list(std::string_view body, std::string *problem);

/* Reads an error body: {"error":{...}}, {"error":"..."} or
 * {"code","message","data":null}. Empty when the body says nothing usable. */
ApiError parse_api_error(std::string_view body);

/* Progress as servers send it: 45, 45.6, "45%", "45". */
std::optional<unsigned> parse_progress_text(std::string_view text);

/* A progress number as a percentage, 0..100, on the scale that `scale`
 * says, which it updates from what `value` shows: a number above 1 settles
 * on percent; a fractional number below 1 (0.45) makes a fraction likely,
 * and a second one (or one where a fraction was likely already) settles on
 * fractions, after which 1 is the whole. So a task's answers never read
 * backwards: a percentage server's early 0.5 shows as 1 %, not 50 %. */
unsigned progress_percent(double value, ProgressScale &scale);

}  // namespace sora
