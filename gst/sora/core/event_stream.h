/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* EventStream: a server-sent events answer (text/event-stream) read as it
 * arrives, for a provider that pushes a task's states instead of being
 * polled (fal's GET {status_url}/stream).
 *
 * Each event's data (its "data:" lines joined by newlines), with the key
 * blanked, goes to `event`; comments (keep-alives) and other fields are skipped. The stream
 * ends once: `ended` says why (an empty text: the server closed it after
 * its last event; else the transport error or the HTTP status). A stream
 * that stays silent longer than the session's I/O timeout ends with an
 * error, so a dead connection never holds a job. An event larger than
 * kMaxEventBytes ends the stream. Runs on the IoLoop thread. */
#pragma once

#include "core/http_client.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sora {

constexpr gsize kMaxEventBytes = 256 * 1024;

/* Splits an event stream's text into events; a unit of its own so that it
 * is tested without a server. */
class EventParser {
 public:
  /* Feeds the next piece; calls `event` for each whole event. False when
   * an event grew past kMaxEventBytes. */
  bool feed(std::string_view piece, const std::function<void(const std::string &)> &event);

 private:
  void line(std::string_view text, const std::function<void(const std::string &)> &event);
  std::string pending_; /* the unfinished line */
  std::string data_;    /* the event's data so far */
  bool has_data_ = false;
};

class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  using EventHandler = std::function<void(const std::string &data)>;
  using EndHandler = std::function<void(const std::string &why, const HttpResponse &head)>;

  static std::shared_ptr<EventStream> open(std::shared_ptr<HttpClient> client,
                                           HttpRequest request, GCancellable *cancellable,
                                           EventHandler event, EndHandler ended);
  /* Stops reading; no handler runs after it. */
  void close();

 private:
  EventStream() = default;
  void read_more();
  static void on_read(GObject *source, GAsyncResult *result, gpointer data);
  void end(const std::string &why);

  std::shared_ptr<HttpClient> client_;
  GObjectPtr<GCancellable> cancellable_;
  GObjectPtr<GInputStream> body_;
  HttpResponse head_;
  EventParser parser_;
  EventHandler event_;
  EndHandler ended_;
  bool closed_ = false;
};

}  // namespace sora
