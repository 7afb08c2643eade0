/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* `sora-tasks spend`: what the ledger (core/spend_ledger.h) says was spent,
 * today and over a period, by model and gateway, as a table or JSON. It
 * reads the cache directory only: no server, no key. */
#pragma once

/* argv[0] is "spend". Returns the exit status. */
int spend_command(int argc, char **argv);
