/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Mp4Check: is this file a whole MP4, before a single byte of it goes
 * downstream?
 *
 * A download can end early, or a server can answer an error page with a 200.
 * Walking the top-level boxes catches both cheaply (a few reads, whatever the
 * file's size): the first box must be ftyp, every box must fit in the file,
 * and a moov box must be present. */
#pragma once

#include <gio/gio.h>

#include <string>

namespace sora {

struct Mp4Check {
  bool ok = false;
  std::string problem; /* why not, when !ok */
  guint64 size = 0;
  bool moov_first = false; /* moov before mdat ("faststart") */
};

Mp4Check check_mp4_file(const std::string &path);
/* The same, of an open file of `size` bytes. */
Mp4Check check_mp4_fd(int fd, guint64 size);

/* The first bytes of an MP4: a box whose type is ftyp. */
bool starts_like_mp4(const guint8 *data, gsize size);

}  // namespace sora
