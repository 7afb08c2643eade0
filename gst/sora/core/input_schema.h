/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* InputSchema: the input fields a model publishes (fal's OpenAPI document
 * per app, Replicate's latest_version.openapi_schema), and the mapping of
 * the element's request onto them.
 *
 * The request's seconds go to the model's duration-like field with its
 * type and format ("5" in a string enum, 5, "8s", or num_frames at the
 * model's frame rate); size to aspect_ratio and resolution, or width and
 * height; the reference image to the model's image field as a data URL; the
 * metadata's members are the other fields. A value the schema does not
 * allow is refused before anything is paid for, naming the allowed values.
 * Without a schema the conventional names are used. Cog (Replicate) writes
 * enums as allOf: [{$ref: "#/components/schemas/duration"}]: references are
 * followed within the document. */
#pragma once

#include "core/video_request.h"

#include <json-glib/json-glib.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sora {

struct SchemaField {
  std::string name;
  std::string type;                 /* "string", "integer", "number", "boolean"...; "" unknown */
  std::vector<std::string> allowed; /* the enum, as text; empty: any */
  std::optional<double> minimum, maximum;
  std::string default_value; /* as text, "" when none */
};

struct InputSchema {
  std::vector<SchemaField> fields;
  std::string source; /* where it came from, for messages */

  const SchemaField *field(const std::string &name) const;
  /* "duration ('5' or '10'), aspect_ratio ('16:9', '9:16' or '1:1'), ..." */
  std::string describe() const;
};

/* The input schema of fal's OpenAPI document for an app (the request body
 * of its POST), or of Replicate's model answer
 * (latest_version.openapi_schema.components.schemas.Input); nullopt and
 * `problem` when the text holds none. */
std::optional<InputSchema> parse_fal_openapi(std::string_view document, std::string *problem);
std::optional<InputSchema> parse_replicate_model(std::string_view model, std::string *problem);

/* How the conventional names differ between providers when there is no
 * schema. */
struct ConventionalInput {
  bool duration_as_string; /* fal: "5"; Replicate: 5 */
  const char *image_field; /* fal: image_url; Replicate: image */
};

/* The model's input for `request` as a JSON object text, or nullopt and
 * `problem`. `schema` null: the conventional names (`conventional`). */
std::optional<std::string> map_input(const VideoRequest &request, const ReferenceImage *image,
                                     const InputSchema *schema,
                                     const ConventionalInput &conventional,
                                     SettingsProblem *problem);

/* The image as a data URL: "data:image/png;base64,...". */
std::string image_data_url(const ReferenceImage &image);

}  // namespace sora
