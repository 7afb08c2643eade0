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
 * and a moov box must be present. Inside the moov, down to the sample tables,
 * every box must fit in its container and every table's entries in its box:
 * qtdemux refuses such a moov too, but decodebin drops a demuxer's error
 * posted while it is still bringing the demuxer to PAUSED (its "filtered"
 * errors), which a demuxer in pull mode does from its own thread as soon as
 * it has read the moov: the pipeline then waits for ever. The check makes the
 * source report it itself.
 *
 * The headers are read through a buffer, and a file of more than kMaxBoxes
 * boxes is refused, so that a crafted file of millions of tiny boxes costs
 * no more than a real clip of its size (this runs on every cache hit). */
#pragma once

#include <gio/gio.h>

#include <string>

namespace sora {

/* A real clip has a handful of top-level boxes (ftyp, free, mdat, moov) and
 * a few dozen per track in its moov; a fragmented one a moof and an mdat per
 * fragment: 20 s cut per frame at 120 fps is 4,800. A hundred thousand is
 * far above any of them. */
constexpr guint64 kMaxBoxes = 100000;

struct Mp4Check {
  bool ok = false;
  std::string problem; /* why not, when !ok */
  guint64 size = 0;
  bool moov_first = false; /* moov before mdat ("faststart") */
  guint64 reads = 0;       /* read calls the check made: a few per buffer, never one per box */
};

Mp4Check check_mp4_file(const std::string &path);
/* The same, of an open file of `size` bytes. */
Mp4Check check_mp4_fd(int fd, guint64 size);

/* The first bytes of an MP4: a box whose type is ftyp. */
bool starts_like_mp4(const guint8 *data, gsize size);

}  // namespace sora
