/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/event_stream.h"

#include "core/debug.h"

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr gsize kReadChunk = 16 * 1024;

}  // namespace

bool EventParser::feed(std::string_view piece,
                       const std::function<void(const std::string &)> &event) {
  pending_.append(piece);
  size_t start = 0;
  for (;;) {
    size_t end = pending_.find_first_of("\r\n", start);
    if (end == std::string::npos)
      break;
    /* A "\r\n" pair ends one line; a "\r" at the piece's end may be half of one. */
    size_t next = end + 1;
    if (pending_[end] == '\r') {
      if (next == pending_.size())
        break;
      if (pending_[next] == '\n')
        next++;
    }
    line(std::string_view(pending_).substr(start, end - start), event);
    start = next;
  }
  pending_.erase(0, start);
  return pending_.size() + data_.size() <= kMaxEventBytes;
}

/* The event-stream format (WHATWG HTML, server-sent events): an empty line
 * dispatches the event; ":" starts a comment; "data:" lines add data. */
void EventParser::line(std::string_view text,
                       const std::function<void(const std::string &)> &event) {
  if (text.empty()) {
    if (has_data_)
      event(data_);
    data_.clear();
    has_data_ = false;
    return;
  }
  if (text[0] == ':')
    return;
  size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (!value.empty() && value[0] == ' ')
    value.remove_prefix(1);
  if (field != "data")
    return;
  if (has_data_)
    data_ += '\n';
  data_.append(value);
  has_data_ = true;
}

std::shared_ptr<EventStream> EventStream::open(std::shared_ptr<HttpClient> client,
                                               HttpRequest request, GCancellable *cancellable,
                                               EventHandler event, EndHandler ended) {
  std::shared_ptr<EventStream> stream(new EventStream());
  stream->client_ = client;
  stream->cancellable_ = ref_object(cancellable);
  stream->event_ = std::move(event);
  stream->ended_ = std::move(ended);
  request.headers.emplace_back("Accept", "text/event-stream");
  auto keep = stream;
  client->open(std::move(request), cancellable,
               [keep](HttpResponse head, GObjectPtr<GInputStream> body) {
                 if (keep->closed_)
                   return;
                 keep->head_ = std::move(head);
                 if (!body || !keep->head_.is_success()) {
                   std::string why =
                       keep->head_.error
                           ? keep->client_->redact(keep->head_.error->message)
                           : "HTTP " + std::to_string(keep->head_.status);
                   keep->end(why);
                   return;
                 }
                 keep->body_ = std::move(body);
                 keep->read_more();
               });
  return stream;
}

void EventStream::close() {
  closed_ = true;
  event_ = nullptr;
  ended_ = nullptr;
}

void EventStream::read_more() {
  auto *self = new std::shared_ptr<EventStream>(shared_from_this());
  g_input_stream_read_bytes_async(body_.get(), kReadChunk, G_PRIORITY_DEFAULT,
                                  cancellable_.get(), on_read, self);
}

void EventStream::on_read(GObject *source, GAsyncResult *result, gpointer data) {
  std::unique_ptr<std::shared_ptr<EventStream>> holder(
      static_cast<std::shared_ptr<EventStream> *>(data));
  EventStream *self = holder->get();
  g_autoptr(GError) error = nullptr;
  g_autoptr(GBytes) chunk =
      g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, &error);
  if (self->closed_)
    return;
  if (!chunk) {
    self->end(self->client_->redact(error->message));
    return;
  }
  if (g_bytes_get_size(chunk) == 0) {
    self->end("");
    return;
  }
  /* Each event is redacted whole: a key the server echoes may be split
   * across reads. */
  bool within = self->parser_.feed(bytes_view(chunk), [self](const std::string &event) {
    if (!self->closed_ && self->event_)
      self->event_(self->client_->redact(event));
  });
  if (self->closed_)
    return;
  if (!within) {
    self->end("an event larger than " + std::to_string(kMaxEventBytes) + " bytes");
    return;
  }
  self->read_more();
}

void EventStream::end(const std::string &why) {
  if (closed_)
    return;
  EndHandler ended = std::move(ended_);
  close();
  if (body_)
    g_input_stream_close_async(body_.get(), G_PRIORITY_DEFAULT, nullptr, nullptr, nullptr);
  if (ended)
    ended(why, head_);
}

}  // namespace sora
