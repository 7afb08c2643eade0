/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ReferenceFit: makes a reference image match the requested size before it
 * is uploaded.
 *
 * OpenAI-style servers reject an input_reference whose size differs from
 * `size`. Rather than let the user find out from a failed request, the
 * element can resize the image locally, with GStreamer, in the same format:
 * stretched (scale), cut to the aspect ratio then scaled (crop), or scaled
 * into the frame with black borders (pad). */
#pragma once

#include "core/video_request.h"

#include "gstsoraenums.h"

#include <optional>
#include <string>

/* The image at `width`x`height`, same MIME type and file name. An image that
 * already has that size is returned untouched. On failure: nullopt and why. */
std::optional<sora::ReferenceImage> fit_reference_image(const sora::ReferenceImage &image,
                                                        int width, int height,
                                                        GstSoraReferenceFit fit,
                                                        std::string *problem);
