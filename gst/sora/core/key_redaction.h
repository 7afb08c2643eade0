/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* KeyRedaction: the one blanking of the API key from what a server sends.
 *
 * A hostile or careless server may echo the key it was sent anywhere: in an
 * error's code, type, message or param, in x-request-id or another header,
 * in a body the debug log prints; as it is, URL-encoded, or JSON-escaped
 * ("\/" for "/", once or twice). HttpClient applies this to every answer as
 * it arrives (headers, body text, and a JSON body's strings as decoded) and
 * its logger to every line, so nothing after it (errors and their details,
 * bus messages, properties, logs, sora-tasks) can hold the key. */
#pragma once

#include <string>
#include <vector>

namespace sora {

class KeyRedaction {
 public:
  explicit KeyRedaction(const std::string &key);
  ~KeyRedaction(); /* wipes its copies of the key */
  KeyRedaction(const KeyRedaction &) = delete;
  KeyRedaction &operator=(const KeyRedaction &) = delete;

  /* `text` with every form of the key replaced by "[redacted]". */
  std::string apply(std::string text) const;

  /* An answer's body: its text as apply() gives it and, when it is JSON,
   * every string in it as decoded too (a key written with \u escapes).
   * A body that held no key comes back byte for byte. */
  std::string apply_to_body(std::string body) const;

 private:
  std::vector<std::string> forms_; /* longest first */
};

}  // namespace sora
