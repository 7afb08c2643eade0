/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/json_limits.h"

#include "core/file_read.h"

#include <glib/gstdio.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>

namespace sora {

bool json_depth_within(std::string_view text, unsigned max_depth) {
  unsigned depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        i++; /* the escaped character cannot end the string */
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth)
          return false;
        break;
      case ']':
      case '}':
        /* An unbalanced close is json-glib's to refuse. */
        if (depth > 0)
          depth--;
        break;
      default:
        break;
    }
  }
  return true;
}

bool load_json_bounded(JsonParser *parser, std::string_view text, GError **error) {
  if (!json_depth_within(text)) {
    g_set_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                "arrays and objects nested deeper than %u levels", kMaxJsonDepth);
    return false;
  }
  return json_parser_load_from_data(parser, text.data(), static_cast<gssize>(text.size()), error);
}

bool load_json_file_bounded(JsonParser *parser, const std::string &path, gsize max_size,
                            GError **error, int open_flags) {
  FileDescriptor file(g_open(path.c_str(), O_RDONLY | O_CLOEXEC | open_flags, 0));
  if (!file.valid()) {
    int code = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(code), "%s", g_strerror(code));
    return false;
  }
  return load_json_fd_bounded(parser, file.get(), max_size, error);
}

bool load_json_fd_bounded(JsonParser *parser, int fd, gsize max_size, GError **error) {
  GStatBuf st;
  if (fstat(fd, &st) != 0) {
    int code = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(code), "%s", g_strerror(code));
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a regular file");
    return false;
  }
  if (static_cast<guint64>(st.st_size) > max_size) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "larger than %" G_GSIZE_FORMAT " bytes",
                max_size);
    return false;
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  gssize got = read_at(fd, text.data(), text.size(), 0);
  if (got < 0) {
    int code = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(code), "%s", g_strerror(code));
    return false;
  }
  text.resize(static_cast<size_t>(got));
  return load_json_bounded(parser, text, error);
}

}  // namespace sora
