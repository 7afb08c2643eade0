/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Files named for the process that writes them, so that what a killed run
 * left can be told from what a live one is still writing, and removed.
 *
 * A clip is written to TARGET.PID-XXXXXXXX.part beside its target and
 * renamed onto it once checked. A process killed meanwhile leaves the part
 * behind, possibly gigabytes: the next write to the same target removes the
 * parts of processes that are gone. Only regular files of this user are
 * removed (never another user's, never through a symbolic link), and a
 * process that still runs keeps its own. */
#pragma once

#include <sys/types.h>

#include <string>

namespace sora {

/* No process has `pid` any more. */
bool process_is_gone(pid_t pid);

/* The pid that `text` starts with, followed by '-' (PID-XXXXXXXX.part,
 * PID-XXXXXX), or 0. */
pid_t leading_pid(const char *text);

/* Where this process writes `target` before it renames it into place. */
std::string part_path_for(const std::string &target);

/* Removes the part files of `target` whose process is gone. */
void remove_orphan_parts(const std::string &target);

}  // namespace sora
