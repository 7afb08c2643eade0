/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Every JSON text the plugin reads comes from somewhere it does not control:
 * a server's answer, a cache record in a directory another process writes, a
 * playlist from anywhere. json-glib parses recursively, so a text nested a
 * hundred thousand levels deep (200 KB) overflows the stack of whatever thread
 * reads it. These functions bound the nesting (and, for files, the size)
 * before json-glib sees the text; every JSON read in the project goes
 * through them. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include <string>
#include <string_view>

namespace sora {

/* Deeper than any answer, record or playlist the project reads (the
 * deepest real answer nests 5 levels), far shallower than a stack. */
constexpr unsigned kMaxJsonDepth = 64;

/* Whether no array or object in `text` is nested deeper than `max_depth`.
 * A linear scan without recursion that skips strings (and their escapes);
 * it does not validate the text, json-glib does that after it. */
bool json_depth_within(std::string_view text, unsigned max_depth = kMaxJsonDepth);

/* json_parser_load_from_data() on `text` if its nesting is within
 * kMaxJsonDepth; otherwise false and a JSON_PARSER_ERROR that says so. */
bool load_json_bounded(JsonParser *parser, std::string_view text, GError **error);

/* The same for the file at `path`, refused (G_FILE_ERROR_FAILED) when it is
 * larger than `max_size` bytes or not a regular file. `open_flags` are added
 * to O_RDONLY, as O_NOFOLLOW for a file in a directory others may write. */
bool load_json_file_bounded(JsonParser *parser, const std::string &path, gsize max_size,
                            GError **error, int open_flags = 0);

/* The same for the file open at `fd` (opened by the caller, as relative to
 * a checked directory). */
bool load_json_fd_bounded(JsonParser *parser, int fd, gsize max_size, GError **error);

}  // namespace sora
