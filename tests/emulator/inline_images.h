/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Reference images a JSON create body carries by URL rather than as uploads: OpenRouter's
// `frame_images[]` and `input_references[]` ({"type": "image_url", "image_url": {"url": ...}}),
// OpenAI's `input_reference.image_url`, and the native providers' images: the Gemini API's
// `instances[i].image.bytesBase64Encoded` (`kind: "base64"`), fal's `image_url`, Replicate's
// `input.image` and `input.start_image`. A data URL ("data:image/png;base64,...") is decoded
// and described like a multipart upload (type, size, sha256, pixel size), so that the request
// log and the task show what the client really sent.
#pragma once

#include "glib_ptr.h"

// An array with one object per image found in @body (a JSON create body), in body order:
// `field` ("frame_images[0]"), `frame_type` (when given), and either `kind: "data_url"` with
// `content_type`, `size`, `sha256`, `width` and `height` (when the image header can be read), or
// `kind: "url"` with the `url`. An empty array when there is none.
JsonNodePtr describe_inline_images(JsonNode *body);
