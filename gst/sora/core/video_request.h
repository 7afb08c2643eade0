/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* VideoRequest: what the user asks a server to generate, checked before any
 * money is spent, and the multipart body that asks for it.
 *
 * Every check that can be made locally is made here: a missing prompt, a
 * size or duration the model does not accept, a reference image that cannot
 * be read or is not JPEG, PNG or WebP. Each problem names the property, the
 * value and what is allowed, so the user can fix it without a paid retry. */
#pragma once

#include "core/gateway.h"
#include "core/http_message.h"

#include <optional>
#include <string>

namespace sora {

/* A property whose value cannot work. */
struct SettingsProblem {
  std::string property;
  std::string message;
};

struct VideoRequest {
  std::string prompt;
  std::string model = "sora-2";
  unsigned seconds = 4;          /* 0 leaves the duration to the server */
  std::string size = "720x1280"; /* empty leaves the size to the server */
  std::string input_reference;   /* path of a JPEG, PNG or WebP image */
  std::string metadata;          /* a JSON object for gateway models, or empty */
  std::string remix_of;          /* a finished video to remix: POST /videos/{id}/remix */
  std::string extend_of;         /* a finished video to extend: POST /videos/extensions */
  /* Check seconds and size against the model table, and a storyboard's
   * total against seconds. */
  bool validate = true;
};

/* The reference image as it is uploaded. */
struct ReferenceImage {
  std::string filename; /* base name, sent as the part's filename */
  std::string mime;     /* from the file's magic bytes, not its name */
  BytesPtr bytes;
};

struct FrameSize {
  unsigned width = 0, height = 0;
};

/* "720x1280" -> {720, 1280}: digits, 'x', digits and nothing else (the
 * API's only size syntax for OpenAI models); nullopt otherwise. */
std::optional<FrameSize> parse_width_x_height(const std::string &size);

/* Checks everything but the image file. */
std::optional<SettingsProblem> check_request(const VideoRequest &request);

/* `text` as compact JSON when it is a JSON object; else nullopt and why. */
std::optional<std::string> compact_json_object(const std::string &text, std::string *problem);

/* Reads and identifies the image at `path`. */
std::optional<ReferenceImage> load_reference_image(const std::string &path,
                                                   SettingsProblem *problem);

/* "image/png" etc. from the first bytes, or nullptr. */
const char *sniff_image_mime(const guint8 *data, gsize size);

/* multipart/form-data as the OpenAPI description has it: seconds as a
 * string, the image as a file part with its name and real MIME type. */
RequestBody build_create_body(const VideoRequest &request, const ReferenceImage *image);

/* The same request as JSON, for servers that take no multipart (OpenRouter)
 * or refused it: OpenAI's JSON fields (seconds as a string, the image as
 * input_reference.image_url, a data URL), or OpenRouter's (duration as an
 * integer, a size as resolution and aspect_ratio when it is a standard one
 * (1280x720: 720p, 16:9), the image as a first frame, the metadata's
 * members merged into the body, OpenAI's bare model names as OpenRouter
 * slugs). */
RequestBody build_create_json_body(const VideoRequest &request, const ReferenceImage *image,
                                   JsonFields fields);

/* The model name as OpenRouter knows it: sora-2 -> openai/sora-2; names
 * that already carry a provider, and any other model, as they are. */
std::string openrouter_model_slug(const std::string &model);

/* {"prompt": ...}: a remix takes the prompt alone. */
RequestBody build_remix_body(const VideoRequest &request);

/* multipart: prompt, seconds (of the new segment) and the video to extend
 * as video[id], the way the official SDKs encode an object in a form. */
RequestBody build_extension_body(const VideoRequest &request);

}  // namespace sora
