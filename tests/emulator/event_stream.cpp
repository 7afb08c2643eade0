/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "event_stream.h"

#include "connection_drop.h"
#include "glib_ptr.h"

#include <deque>
#include <utility>

namespace {

constexpr guint kTickMs = 50;

class EventStream {
 public:
  EventStream(SoupServerMessage *message, std::function<StreamEvent()> next, gint64 keepalive_ms,
              std::optional<goffset> cut_after);
  ~EventStream();

  EventStream(const EventStream &) = delete;
  EventStream &operator=(const EventStream &) = delete;

 private:
  static void on_written(SoupServerMessage *message, gpointer self);
  static void on_done(SoupServerMessage *message, gpointer self);
  static gboolean on_tick(gpointer self);

  // Asks the source and queues what it gives, or a keep-alive comment.
  void poll();
  // Hands the next queued piece to libsoup, or ends the body; false when there is none yet.
  bool feed();

  GObjectPtr<SoupServerMessage> message_;
  std::function<StreamEvent()> next_;
  gint64 keepalive_us_;
  std::optional<goffset> cut_after_;
  std::deque<std::string> pending_;
  bool ended_ = false;  // the last event is queued
  bool starved_ = false;
  bool cut_ = false;
  goffset sent_ = 0;
  gint64 last_sent_us_;
  guint tick_ = 0;
};

EventStream::EventStream(SoupServerMessage *message, std::function<StreamEvent()> next,
                         gint64 keepalive_ms, std::optional<goffset> cut_after)
    : message_(ref_object(message)),
      next_(std::move(next)),
      keepalive_us_(keepalive_ms * 1000),
      cut_after_(cut_after),
      last_sent_us_(g_get_monotonic_time()) {
  soup_server_message_set_status(message, SOUP_STATUS_OK, nullptr);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
  soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type(headers, "text/event-stream", nullptr);
  soup_message_headers_replace(headers, "Cache-Control", "no-cache");
  soup_message_body_set_accumulate(soup_server_message_get_response_body(message), FALSE);
  g_signal_connect(message, "wrote-headers", G_CALLBACK(on_written), this);
  g_signal_connect(message, "wrote-chunk", G_CALLBACK(on_written), this);
  g_signal_connect(message, "finished", G_CALLBACK(on_done), this);
  g_signal_connect(message, "disconnected", G_CALLBACK(on_done), this);
  poll();
  tick_ = g_timeout_add(kTickMs, on_tick, this);
}

EventStream::~EventStream() {
  if (tick_) {
    g_source_remove(tick_);
  }
  g_signal_handlers_disconnect_by_data(message_.get(), this);
}

void EventStream::on_written(SoupServerMessage *, gpointer self) {
  auto *stream = static_cast<EventStream *>(self);
  stream->starved_ = !stream->feed();
}

void EventStream::on_done(SoupServerMessage *, gpointer self) {
  delete static_cast<EventStream *>(self);
}

gboolean EventStream::on_tick(gpointer self) {
  auto *stream = static_cast<EventStream *>(self);
  stream->poll();
  if (stream->starved_ && stream->feed()) {
    stream->starved_ = false;
    soup_server_message_unpause(stream->message_.get());
  }
  return G_SOURCE_CONTINUE;
}

void EventStream::poll() {
  if (ended_ || cut_) {
    return;
  }
  StreamEvent event = next_();
  if (event.data) {
    pending_.push_back("data: " + *event.data + "\n\n");
  } else if (g_get_monotonic_time() - last_sent_us_ >= keepalive_us_) {
    pending_.push_back(": keep-alive\n\n");
  }
  if (!pending_.empty()) {
    last_sent_us_ = g_get_monotonic_time();
  }
  ended_ = event.last;
}

bool EventStream::feed() {
  if (cut_) {
    return false;
  }
  if (pending_.empty()) {
    if (!ended_) {
      return false;
    }
    if (tick_) {
      g_source_remove(tick_);
      tick_ = 0;
    }
    soup_message_body_complete(soup_server_message_get_response_body(message_.get()));
    return true;
  }
  std::string piece = std::move(pending_.front());
  pending_.pop_front();
  if (cut_after_ && sent_ + static_cast<goffset>(piece.size()) > *cut_after_) {
    piece.resize(static_cast<size_t>(std::max<goffset>(0, *cut_after_ - sent_)));
    cut_ = true;
  }
  sent_ += static_cast<goffset>(piece.size());
  if (!piece.empty()) {
    soup_message_body_append(soup_server_message_get_response_body(message_.get()),
                             SOUP_MEMORY_COPY, piece.data(), piece.size());
  }
  if (cut_) {
    if (tick_) {
      g_source_remove(tick_);
      tick_ = 0;
    }
    drop_connection(message_.get());
    return false;
  }
  return true;
}

}  // namespace

void start_event_stream(SoupServerMessage *message, std::function<StreamEvent()> next,
                        gint64 keepalive_ms, std::optional<goffset> cut_after) {
  new EventStream(message, std::move(next), keepalive_ms, cut_after);
}
