/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Text from a server made safe to show on a terminal.
 *
 * A task id, status, model, size or error message is whatever the server
 * sent; printed as it is, ESC and CR sequences in it set the terminal's
 * title, clear the screen or overwrite lines (of sora-tasks, or of
 * gst-launch-1.0's ERROR line). Every text shown to a person that holds
 * server text goes through printable_text() first; the data itself (the
 * video-id property, an error's details) stays as the server sent it. */
#pragma once

#include <string>
#include <string_view>

namespace sora {

/* `text` with every control character made a visible escape: C0 (newline
 * and tab included) as \n, \r, \t or \x1b, DEL as \x7f, C1 (U+0080 to
 * U+009F) as \u009b, and bytes that are not UTF-8 as \xNN. An ESC sequence
 * so loses its ESC and shows as plain text. Everything else is kept. */
std::string printable_text(std::string_view text);

}  // namespace sora
