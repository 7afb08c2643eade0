/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* SchemaCache: the models' published input schemas (fal's OpenAPI
 * documents, Replicate's model answers) kept for a day, so that only the
 * first run of a model in a day pays the look-up: in the process, and on
 * disk in the generation cache's directory (schemas/SHA256-OF-URL.json)
 * when the run uses the cache (GenerationCache::prepare() checked that no
 * one else can write there). Then the model's own warning: without a
 * schema, the conventional field names, said once per model. */
#pragma once

#include <glib.h>

#include <optional>
#include <string>

namespace sora {

/* How long a schema is believed. */
constexpr gint64 kSchemaLifetimeUs = G_GINT64_CONSTANT(24) * 3600 * G_USEC_PER_SEC;
/* A larger schema is not kept. */
constexpr gsize kMaxSchemaBytes = 4 * 1024 * 1024;

/* The text fetched from `url` less than kSchemaLifetimeUs ago; `dir` is the
 * cache directory, or empty for the process's memory alone. */
std::optional<std::string> cached_schema(const std::string &dir, const std::string &url);
void store_schema(const std::string &dir, const std::string &url, const std::string &text);

/* GST_WARNING, once per model in the process: no schema, and so
 * `consequence` (nullptr: the conventional names are sent). */
void warn_conventional_names(const std::string &model, const std::string &why,
                             const char *consequence = nullptr);

}  // namespace sora
