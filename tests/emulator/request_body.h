/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The body of one HTTP request, read once and shared by the request log and the handlers: a
// JSON document, the parts of a multipart/form-data form, or nothing usable.
#pragma once

#include "glib_ptr.h"

#include <libsoup/soup.h>

#include <string>
#include <vector>

enum class BodyKind { kNone, kJson, kMultipart, kOther };

const char *body_kind_name(BodyKind kind);

struct FormField {
  std::string name;
  bool is_file = false;  // the part's Content-Disposition carries a filename
  std::string value;     // text parts: the value as valid UTF-8
  std::string filename;
  std::string content_type;
  BytesPtr data;  // the part's raw bytes
};

struct RequestBody {
  BodyKind kind = BodyKind::kNone;
  std::string media_type;  // Content-Type without its parameters; empty when absent
  std::vector<FormField> fields;
  JsonNodePtr json;
  std::string parse_error;  // set when a JSON or multipart body could not be read

  static RequestBody read(SoupServerMessage *message);

  const FormField *field(const std::string &name) const;

  // A parameter's value as JSON, null when absent: a JSON member as it is, a form field as a
  // string; a string holding a JSON object or array is parsed, since gateways take objects such
  // as `metadata` as JSON text.
  JsonNodePtr parsed_value(const char *name) const;
};
