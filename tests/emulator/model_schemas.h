/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The input schemas of the models the fal and Replicate presets serve, in one table from which
// both the published documents (fal's OpenAPI document of an app, Replicate's Cog
// openapi_schema) and the check of a create's input are made, so they cannot disagree. Each
// field has a role that says what it means for the rendered clip (its length as `duration` in
// seconds, "5" or "8s", or as `num_frames` with a frame rate; its frame size as aspect ratio and
// resolution, or width and height; the reference image).
#pragma once

#include "glib_ptr.h"

#include <optional>
#include <string>
#include <vector>

enum class FieldType { kString, kInteger, kNumber, kBoolean };

enum class FieldRole {
  kOther,
  kPrompt,
  kDuration,   // whole seconds: 5, "5" or "8s"
  kNumFrames,  // with kFramesPerSecond
  kFramesPerSecond,
  kAspectRatio,  // "16:9"; "auto" follows the image (16:9 here)
  kResolution,   // "720p"
  kWidth,
  kHeight,
  kImage,  // a URL or data URL
};

struct InputField {
  const char *name;
  FieldType type;
  FieldRole role;
  const char *description;
  std::vector<const char *> choices;  // an enumeration, as JSON text ("\"5\"" or "5")
  const char *default_json;           // JSON text, or null for none
  bool required;
  std::optional<double> minimum;
  std::optional<double> maximum;
};

// How a successful result gives its video: fal's {"video": {"url"}}, Replicate's output as one
// URL or as a list of them.
enum class OutputForm { kFalVideo, kUri, kUriList };

struct ModelSchema {
  const char *id;     // fal app id or Replicate owner/name
  const char *title;  // the schemas' name stem: "KlingVideoV21MasterTextToVideo"
  const char *description;
  std::vector<InputField> fields;
  OutputForm output;
  int default_fps;  // the clip's frame rate when no field sets it
  bool audio;
};

// The fal apps and Replicate models served; null when there is no such one.
const ModelSchema *find_fal_app(const std::string &id);
const ModelSchema *find_replicate_model(const std::string &id);
// "a', 'b' ...", for messages.
std::string fal_app_ids();

// One problem with an input, in terms both providers' error shapes are made from.
struct InputProblem {
  std::string field;
  std::string kind;         // "missing", "literal_error", "int_type", "greater_than_equal", ...
  std::string message;      // pydantic's wording (fal)
  std::string json_schema;  // gojsonschema's wording (Replicate): "Invalid type. Expected: ..."
  JsonNodePtr input;        // the value sent, if any
  std::string expected;     // the allowed values, "'5' or '10'", for enumerations
};

// The clip an input asks for, after defaults.
struct ClipRequest {
  std::string prompt;
  int seconds = 5;
  int fps = 24;
  int width = 1280;
  int height = 720;
  JsonNodePtr image;  // the image field's value
  std::string image_field;
};

// Checks @input (a JSON object) against @schema: with @lax, numbers given as numeric strings are
// taken (pydantic's lax mode, fal); otherwise types are exact (JSON schema, Replicate). Unknown
// members are ignored, as both providers do. Fills @clip when there is no problem.
std::vector<InputProblem> check_input(const ModelSchema &schema, JsonNode *input, bool lax,
                                      ClipRequest &clip);

// fal's OpenAPI 3.0 document of an app, its servers at @queue_root.
JsonNodePtr fal_openapi_document(const ModelSchema &schema, const std::string &queue_root);
// Replicate's model object with latest_version.openapi_schema (Cog's: enums as allOf $ref).
JsonNodePtr replicate_model_json(const ModelSchema &schema);
// The model's version id: 64 hex digits, the same on every run.
std::string replicate_version_id(const ModelSchema &schema);
// The Replicate model whose version id is @version, or null.
const ModelSchema *find_replicate_version(const std::string &version);
