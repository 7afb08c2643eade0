/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "hostile_clip.h"

#include "body_stream.h"
#include "byte_range.h"
#include "glib_ptr.h"

#include <cstring>
#include <string>

namespace {

constexpr gsize kPieceSize = 64 * 1024;

void put_be(std::string &bytes, guint64 value, int width) {
  for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
    bytes += static_cast<char>((value >> shift) & 0xFF);
  }
}

// One piece of the body, repeated: the MP4's first boxes, then zeros. Repeated, the boxes fall
// inside the mdat's payload, where any bytes may be.
GBytes *new_head_piece(guint64 total) {
  std::string ftyp;
  put_be(ftyp, 20, 4);
  ftyp += std::string("ftypisom\0\0\0\0isom", 16);
  std::string head = ftyp;
  put_be(head, 1, 4);  // a 64-bit size follows
  head += "mdat";
  guint64 mdat_size = total > ftyp.size() + 16 + 8 ? total - ftyp.size() - 8 : 16;
  put_be(head, mdat_size, 8);
  head.resize(kPieceSize, '\0');
  return g_bytes_new(head.data(), head.size());
}

GBytes *new_zero_piece() {
  static const std::string kZeros(kPieceSize, '\0');
  return g_bytes_new_static(kZeros.data(), kZeros.size());
}

guint32 read_be32(const guint8 *p) {
  return (guint32{p[0]} << 24) | (guint32{p[1]} << 16) | (guint32{p[2]} << 8) | p[3];
}

void write_be32(guint8 *p, guint32 value) {
  p[0] = static_cast<guint8>(value >> 24);
  p[1] = static_cast<guint8>(value >> 16);
  p[2] = static_cast<guint8>(value >> 8);
  p[3] = static_cast<guint8>(value);
}

// Walks the boxes in [start, end), descending into the containers on the way to the sample
// tables, and patches the counts.
void patch_boxes(guint8 *data, gsize start, gsize end, guint32 count) {
  static const char *const kContainers[] = {"moov", "trak", "mdia", "minf", "stbl"};
  gsize offset = start;
  while (offset + 8 <= end) {
    guint32 size = read_be32(data + offset);
    if (size < 8 || size > end - offset) {
      return;
    }
    const char *type = reinterpret_cast<const char *>(data + offset + 4);
    bool container = false;
    for (const char *name : kContainers) {
      container = container || memcmp(type, name, 4) == 0;
    }
    if (container) {
      patch_boxes(data, offset + 8, offset + size, count);
    } else if (memcmp(type, "stsz", 4) == 0 && size >= 20) {
      write_be32(data + offset + 16, count);  // version+flags, sample_size, sample_count
    } else if ((memcmp(type, "stco", 4) == 0 || memcmp(type, "co64", 4) == 0) && size >= 16) {
      write_be32(data + offset + 12, count);  // version+flags, entry_count
    }
    offset += size;
  }
}

}  // namespace

void send_huge_clip(ApiRequest &request, std::optional<gint64> announced,
                    std::optional<gint64> sent) {
  SoupServerMessage *message = request.message.get();
  SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
  soup_message_headers_set_content_type(headers, "video/mp4", nullptr);
  goffset total = announced.value_or(sent.value_or(0));
  const char *range_header =
      soup_message_headers_get_one(soup_server_message_get_request_headers(message), "Range");
  ByteRange range = ByteRange::parse(announced ? range_header : nullptr, total);
  if (range.kind == ByteRange::Kind::kPartial) {
    soup_message_headers_replace(headers, "Accept-Ranges", "bytes");
    soup_message_headers_set_content_range(headers, range.first, range.last, total);
    soup_server_message_set_status(message, SOUP_STATUS_PARTIAL_CONTENT, nullptr);
    g_autoptr(GBytes) zeros = new_zero_piece();
    stream_body(message, zeros, range.length(), BodyPacing{});
    return;
  }
  soup_server_message_set_status(message, SOUP_STATUS_OK, nullptr);
  if (request.method == SOUP_METHOD_HEAD) {
    if (announced) {
      soup_message_headers_set_content_length(headers, *announced);
    }
    return;
  }
  g_autoptr(GBytes) head = new_head_piece(static_cast<guint64>(total));
  BodyPacing pacing;
  pacing.chunked = !announced;
  if (announced && sent) {
    pacing.cut_after = *sent;  // fewer than announced: the parser refuses more
  }
  stream_body(message, head, announced ? *announced : *sent, pacing);
}

GBytes *corrupt_moov_clip(const std::string &path, guint32 count, GError **error) {
  gchar *contents = nullptr;
  gsize size = 0;
  if (!g_file_get_contents(path.c_str(), &contents, &size, error)) {
    return nullptr;
  }
  patch_boxes(reinterpret_cast<guint8 *>(contents), 0, size, count);
  return g_bytes_new_take(contents, size);
}
