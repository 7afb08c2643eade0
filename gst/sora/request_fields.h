/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Which soravideosrc properties data from outside may set: a sora:// URI and
 * a soraplaylistsrc shot. Both come from anywhere (a web page, a shared
 * playlist, a file manager's thumbnailer), so they may only change what is
 * asked of the server (a request field), never where the key goes, which
 * local files are read or written, what the cache keeps, or how long and
 * how often a run may wait and retry. kPropertyTrust decides every writable
 * property of soravideosrc, each with its reason; the URI handler, its
 * get_uri and the playlist's shot reader all read this one table. */
#pragma once

#include <string>

namespace sora {

struct PropertyTrust {
  const char *name;
  bool request_field;      /* a URI or a shot may set it */
  const char *reason;      /* what it is; for the others, what it would let outside data do */
  const char *environment; /* the variable that gives it instead, or nullptr */
};

extern const PropertyTrust kPropertyTrust[];
extern const size_t kPropertyTrustCount;

/* The row of a soravideosrc property, or nullptr for a name the table does
 * not hold (not a writable property of soravideosrc). */
const PropertyTrust *property_trust(const char *name);

/* The request fields, as "prompt, model, ...", for messages. */
std::string request_field_names();

/* Why `row` (not a request field) cannot come from `where` ("a sora URI",
 * "a playlist shot"), then `instead` (a sentence: what to do), then its
 * environment variable. */
std::string refusal_message(const PropertyTrust &row, const char *where,
                            const std::string &instead);

}  // namespace sora
