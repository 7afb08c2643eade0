/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "body_stream.h"

#include "connection_drop.h"
#include "glib_ptr.h"

#include <algorithm>

namespace {

constexpr goffset kPieceSize = 64 * 1024;
// Short enough that a throttled body flows in small, even steps.
constexpr guint kTickMs = 10;

// Owns itself: deleted when libsoup is done with the message (finished, or its connection gone).
class BodyStream {
 public:
  BodyStream(SoupServerMessage *message, GBytes *source, goffset length, const BodyPacing &pacing);
  ~BodyStream();

  BodyStream(const BodyStream &) = delete;
  BodyStream &operator=(const BodyStream &) = delete;

 private:
  static void on_written(SoupServerMessage *message, gpointer self);
  static void on_done(SoupServerMessage *message, gpointer self);
  static gboolean on_tick(gpointer self);

  // Queues the next piece or ends the body; false when nothing more can be written yet.
  bool feed();
  bool end_body();
  goffset next_piece_size() const;

  GObjectPtr<SoupServerMessage> message_;
  BytesPtr source_;
  goffset end_;  // where the body stops: its length, or the cut
  bool cut_;
  guint64 bytes_per_second_;
  gint64 started_us_;
  goffset queued_ = 0;
  // libsoup pauses the message when it finds no piece to write; the tick must then wake it.
  bool starved_ = false;
  guint tick_ = 0;
};

BodyStream::BodyStream(SoupServerMessage *message, GBytes *source, goffset length,
                       const BodyPacing &pacing)
    : message_(ref_object(message)),
      source_(g_bytes_ref(source)),
      end_(pacing.end_of(length)),
      cut_(end_ < length),
      bytes_per_second_(pacing.bytes_per_second),
      started_us_(g_get_monotonic_time()) {
  SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
  if (pacing.chunked) {
    soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
  } else {
    soup_message_headers_set_content_length(headers, length);
  }
  soup_message_body_set_accumulate(soup_server_message_get_response_body(message), FALSE);
  g_signal_connect(message, "wrote-headers", G_CALLBACK(on_written), this);
  g_signal_connect(message, "wrote-chunk", G_CALLBACK(on_written), this);
  g_signal_connect(message, "finished", G_CALLBACK(on_done), this);
  g_signal_connect(message, "disconnected", G_CALLBACK(on_done), this);
  if (bytes_per_second_ > 0) {
    tick_ = g_timeout_add(kTickMs, on_tick, this);
  }
}

BodyStream::~BodyStream() {
  if (tick_) {
    g_source_remove(tick_);
  }
  g_signal_handlers_disconnect_by_data(message_.get(), this);
}

void BodyStream::on_written(SoupServerMessage *, gpointer self) {
  auto *stream = static_cast<BodyStream *>(self);
  stream->starved_ = !stream->feed();
}

void BodyStream::on_done(SoupServerMessage *, gpointer self) {
  delete static_cast<BodyStream *>(self);
}

gboolean BodyStream::on_tick(gpointer self) {
  auto *stream = static_cast<BodyStream *>(self);
  if (stream->starved_ && stream->feed()) {
    stream->starved_ = false;
    soup_server_message_unpause(stream->message_.get());
  }
  return G_SOURCE_CONTINUE;
}

bool BodyStream::feed() {
  if (queued_ == end_) {
    return end_body();
  }
  goffset size = next_piece_size();
  if (size == 0) {
    return false;
  }
  goffset offset = queued_ % static_cast<goffset>(g_bytes_get_size(source_.get()));
  g_autoptr(GBytes) piece = g_bytes_new_from_bytes(source_.get(), offset, size);
  soup_message_body_append_bytes(soup_server_message_get_response_body(message_.get()), piece);
  queued_ += size;
  return true;
}

bool BodyStream::end_body() {
  if (tick_) {
    g_source_remove(tick_);
    tick_ = 0;
  }
  if (cut_) {
    drop_connection(message_.get());
    return false;
  }
  soup_message_body_complete(soup_server_message_get_response_body(message_.get()));
  return true;
}

// At most one piece, not past the end of the body or of the source, and within the rate.
goffset BodyStream::next_piece_size() const {
  goffset source_size = static_cast<goffset>(g_bytes_get_size(source_.get()));
  goffset size = std::min({kPieceSize, end_ - queued_, source_size - queued_ % source_size});
  if (bytes_per_second_ > 0) {
    gint64 elapsed_us = g_get_monotonic_time() - started_us_;
    auto allowed = static_cast<goffset>(bytes_per_second_ * elapsed_us / G_USEC_PER_SEC);
    size = std::clamp<goffset>(allowed - queued_, 0, size);
  }
  return size;
}

}  // namespace

goffset BodyPacing::end_of(goffset length) const {
  if (cut_fraction) {
    return std::min(length, static_cast<goffset>(*cut_fraction * static_cast<double>(length)));
  }
  return std::min(length, cut_after.value_or(length));
}

void stream_body(SoupServerMessage *message, GBytes *source, goffset length,
                 const BodyPacing &pacing) {
  new BodyStream(message, source, length, pacing);
}
