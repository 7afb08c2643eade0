/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/key_redaction.h"

#include "core/glib_ptr.h"
#include "core/json_limits.h"
#include "core/secret.h"

#include <json-glib/json-glib.h>

#include <algorithm>

namespace sora {

namespace {

constexpr char kRedacted[] = "[redacted]";
/* Shorter "keys" (tests use "k") would blank ordinary words. */
constexpr size_t kMinKeyLength = 4;

/* As a JSON string holds it, with "/" escaped as many servers write it. */
std::string json_escaped(const std::string &text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\' || c == '"' || c == '/')
      escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string lowercase_escapes(std::string url_encoded) {
  for (size_t at = url_encoded.find('%'); at != std::string::npos && at + 2 < url_encoded.size();
       at = url_encoded.find('%', at + 1)) {
    url_encoded[at + 1] = g_ascii_tolower(url_encoded[at + 1]);
    url_encoded[at + 2] = g_ascii_tolower(url_encoded[at + 2]);
  }
  return url_encoded;
}

/* Redacts every string of the tree in place; whether any changed. Member
 * names are left: the client reads only names it knows. The tree is at most
 * kMaxJsonDepth deep (load_json_bounded), so recursion is safe. */
bool redact_strings(JsonNode *node, const KeyRedaction &redaction) {
  bool changed = false;
  switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT: {
      JsonObjectIter iter;
      const char *name = nullptr;
      JsonNode *member = nullptr;
      json_object_iter_init(&iter, json_node_get_object(node));
      while (json_object_iter_next(&iter, &name, &member))
        changed = redact_strings(member, redaction) || changed;
      break;
    }
    case JSON_NODE_ARRAY: {
      JsonArray *array = json_node_get_array(node);
      for (guint i = 0; i < json_array_get_length(array); i++)
        changed = redact_strings(json_array_get_element(array, i), redaction) || changed;
      break;
    }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type(node) == G_TYPE_STRING) {
        std::string text = json_node_get_string(node);
        std::string redacted = redaction.apply(text);
        if (redacted != text) {
          json_node_set_string(node, redacted.c_str());
          changed = true;
        }
        wipe_secret(text);
      }
      break;
    case JSON_NODE_NULL:
      break;
  }
  return changed;
}

}  // namespace

KeyRedaction::KeyRedaction(const std::string &key) {
  if (key.size() < kMinKeyLength)
    return;
  g_autofree char *url = g_uri_escape_string(key.c_str(), nullptr, FALSE);
  /* A text a server JSON-escaped and then put in a JSON string is escaped twice. */
  for (std::string form : {key, json_escaped(key), json_escaped(json_escaped(key)),
                           std::string(url), lowercase_escapes(url)}) {
    if (std::find(forms_.begin(), forms_.end(), form) == forms_.end())
      forms_.push_back(std::move(form));
  }
  std::stable_sort(forms_.begin(), forms_.end(),
                   [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
}

KeyRedaction::~KeyRedaction() {
  for (std::string &form : forms_)
    wipe_secret(form);
}

std::string KeyRedaction::apply(std::string text) const {
  for (const std::string &form : forms_) {
    for (size_t at = text.find(form); at != std::string::npos; at = text.find(form, at))
      text.replace(at, form.size(), kRedacted);
  }
  return text;
}

std::string KeyRedaction::apply_to_body(std::string body) const {
  body = apply(std::move(body));
  /* A JSON string decodes to other than its text only through escapes: with
   * no backslash, apply() has seen every string as it decodes. */
  size_t start = body.find_first_not_of(" \t\r\n");
  if (forms_.empty() || start == std::string::npos || (body[start] != '{' && body[start] != '[') ||
      body.find('\\') == std::string::npos)
    return body;
  GObjectPtr<JsonParser> parser(json_parser_new());
  if (!load_json_bounded(parser.get(), body, nullptr))
    return body;
  JsonNode *root = json_parser_get_root(parser.get());
  if (!root || !redact_strings(root, *this))
    return body;
  GObjectPtr<JsonGenerator> generator(json_generator_new());
  json_generator_set_root(generator.get(), root);
  gsize length = 0;
  g_autofree char *text = json_generator_to_data(generator.get(), &length);
  return std::string(text, length);
}

}  // namespace sora
