/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Task ids are data. Whatever id a server answers or a user gives goes into
 * a URL path as one escaped segment, never as path syntax. "." and ".."
 * cannot be one: URL parsers (GUri, libsoup, proxies, servers) remove them
 * as dot segments, so GET {base}/videos/. would list the tasks and
 * DELETE {base}/videos/.. would go to the base URL. Such ids, and the empty
 * one, are refused before any request is made with them. */
#pragma once

#include <optional>
#include <string>

namespace sora {

/* Why `id` cannot name a task in a URL ("it is empty", "\"..\" is a dot
 * segment..."), or nullopt when it can. */
std::optional<std::string> task_id_problem(const std::string &id);

/* `id` as one URL path segment, escaped ('/', '+', spaces...): the one way
 * an id enters a URL path. For ids task_id_problem() accepts; an id of dots
 * alone comes back with its dots percent-encoded, so that even then it
 * stays one segment. */
std::string task_path_segment(const std::string &id);

}  // namespace sora
