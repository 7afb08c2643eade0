/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The emulator's owning pointers are the product's own (gst/sora/core/glib_ptr.h), brought into
// the emulator's namespace.
#pragma once

#include "core/glib_ptr.h"

#include <libsoup/soup.h>

using sora::BytesPtr;
using sora::GObjectPtr;
using sora::HashTablePtr;
using sora::json_node_clone;
using sora::JsonNodePtr;
using sora::JsonObjectPtr;
using sora::ref_object;
