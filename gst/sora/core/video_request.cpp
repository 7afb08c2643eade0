/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/video_request.h"

#include "core/json_limits.h"
#include "core/model_limits.h"
#include "core/soup_runtime.h"
#include "core/storyboard.h"

#include <json-glib/json-glib.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sora {

namespace {

/* The API's own bound on the prompt (CreateVideoMultipartBody.prompt). */
constexpr glong kMaxPromptChars = 32000;

/* Far above any real reference image; stops a wrong path to a large file
 * from being read into memory and uploaded. */
constexpr goffset kMaxImageBytes = 64 * 1024 * 1024;

bool is_blank(const std::string &s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return g_ascii_isspace(c); });
}

std::optional<SettingsProblem> check_prompt(const std::string &prompt) {
  if (is_blank(prompt))
    return SettingsProblem{"prompt",
                           "No prompt: set the 'prompt' property to the text that describes the "
                           "video (1 to 32000 characters)."};
  if (!g_utf8_validate(prompt.data(), static_cast<gssize>(prompt.size()), nullptr))
    return SettingsProblem{"prompt", "The 'prompt' property is not valid UTF-8 text."};
  glong chars = g_utf8_strlen(prompt.data(), static_cast<gssize>(prompt.size()));
  if (chars > kMaxPromptChars)
    return SettingsProblem{"prompt", "The prompt has " + std::to_string(chars) +
                                         " characters; the API accepts at most 32000."};
  return std::nullopt;
}

}  // namespace

std::optional<FrameSize> parse_width_x_height(const std::string &size) {
  size_t x = size.find('x');
  if (x == 0 || x == std::string::npos || x + 1 == size.size() || size.size() > 20)
    return std::nullopt;
  for (size_t i = 0; i < size.size(); i++) {
    if (i != x && !g_ascii_isdigit(size[i]))
      return std::nullopt;
  }
  guint64 width = g_ascii_strtoull(size.c_str(), nullptr, 10);
  guint64 height = g_ascii_strtoull(size.c_str() + x + 1, nullptr, 10);
  if (width > G_MAXUINT || height > G_MAXUINT)
    return std::nullopt;
  return FrameSize{static_cast<unsigned>(width), static_cast<unsigned>(height)};
}

namespace {

std::optional<SettingsProblem> check_limits(const VideoRequest &request,
                                            const ModelLimits &limits) {
  const std::string &model = request.model;
  if (request.seconds != 0 && std::find(limits.seconds.begin(), limits.seconds.end(),
                                        request.seconds) == limits.seconds.end())
    return SettingsProblem{
        "seconds", "seconds=" + std::to_string(request.seconds) + " is not a duration " + model +
                       " accepts: use " + describe_allowed_seconds(limits) +
                       " (or 0 to let the server choose). Source: " + limits.seconds_source +
                       ". Set validate=false if your server accepts more."};
  if (request.size.empty())
    return std::nullopt;
  bool known = std::any_of(limits.sizes.begin(), limits.sizes.end(),
                           [&](const char *s) { return request.size == s; });
  if (known)
    return std::nullopt;
  std::string what = parse_width_x_height(request.size)
                         ? "is not a size " + model + " accepts"
                         : "is not a size: write it as WIDTHxHEIGHT, for " + model;
  return SettingsProblem{
      "size", "size=\"" + request.size + "\" " + what + ": use " + describe_allowed_sizes(limits) +
                  " (or an empty size to let the server choose). Source: " + limits.sizes_source +
                  ". Set validate=false if your server accepts more."};
}

RequestBody form_body(SoupMultipart *multipart) {
  SoupMessageHeadersPtr headers(soup_message_headers_new(SOUP_MESSAGE_HEADERS_REQUEST));
  GBytes *body = nullptr;
  soup_multipart_to_message(multipart, headers.get(), &body);
  RequestBody out;
  out.content_type = soup_message_headers_get_one(headers.get(), "Content-Type");
  out.bytes.reset(body);
  return out;
}

std::optional<SettingsProblem> check_storyboard(const VideoRequest &request) {
  if (!looks_like_storyboard(request.prompt))
    return std::nullopt;
  std::string problem;
  std::optional<Storyboard> board = parse_storyboard(request.prompt, &problem);
  if (!board)
    return SettingsProblem{"prompt", "The storyboard prompt has a mistake: " + problem};
  if (request.validate && request.seconds != 0 &&
      std::fabs(board->total_seconds - request.seconds) > 0.01)
    return SettingsProblem{"prompt",
                           "The storyboard's shots add up to " + describe_storyboard_total(*board) +
                               " but seconds=" + std::to_string(request.seconds) +
                               ": make them agree, or set seconds=0 to let the server decide."};
  return std::nullopt;
}

}  // namespace

std::optional<std::string> compact_json_object(const std::string &text, std::string *problem) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) error = nullptr;
  if (!load_json_bounded(parser, text, &error)) {
    *problem = std::string("it is not JSON (") + error->message + ")";
    return std::nullopt;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
    *problem = "it is JSON but not an object";
    return std::nullopt;
  }
  g_autofree char *compact = json_to_string(root, FALSE);
  return std::string(compact);
}

/* A remix or an extension inherits the source's model and size and takes
 * no reference image or metadata: say so rather than drop them silently. */
std::optional<SettingsProblem> check_follow_up(const VideoRequest &request) {
  if (!request.remix_of.empty() && !request.extend_of.empty())
    return SettingsProblem{"extend-of",
                           "remix-of and extend-of cannot be set together: a job either remixes "
                           "a video or extends it."};
  const char *what = request.remix_of.empty() ? "extend-of" : "remix-of";
  if (!request.input_reference.empty())
    return SettingsProblem{"input-reference", std::string("input-reference cannot be used with ") +
                                                  what +
                                                  ": the new clip follows the source video."};
  if (!request.metadata.empty())
    return SettingsProblem{"metadata",
                           std::string("metadata is not sent with ") + what + ": unset it."};
  if (!request.extend_of.empty() && request.seconds == 0)
    return SettingsProblem{"seconds",
                           "extend-of needs seconds: the length of the new segment (4, 8, 12, 16 "
                           "or 20 for OpenAI's models)."};
  return std::nullopt;
}

std::optional<SettingsProblem> check_extension_seconds(const VideoRequest &request) {
  const ModelLimits *limits = find_model_limits(request.model);
  if (!request.validate || !limits ||
      std::find(limits->seconds.begin(), limits->seconds.end(), request.seconds) !=
          limits->seconds.end())
    return std::nullopt;
  return SettingsProblem{"seconds", "seconds=" + std::to_string(request.seconds) +
                                        " is not an extension length " + request.model +
                                        " accepts: use " + describe_allowed_seconds(*limits) +
                                        ". Source: " + limits->seconds_source + "."};
}

std::optional<SettingsProblem> check_request(const VideoRequest &request) {
  if (auto problem = check_prompt(request.prompt))
    return problem;
  if (is_blank(request.model))
    return SettingsProblem{"model", "No model: set the 'model' property (for example sora-2)."};
  if (!request.remix_of.empty() || !request.extend_of.empty()) {
    if (auto problem = check_follow_up(request))
      return problem;
    return request.extend_of.empty() ? std::nullopt : check_extension_seconds(request);
  }
  if (!request.metadata.empty()) {
    std::string why;
    if (!compact_json_object(request.metadata, &why))
      return SettingsProblem{"metadata",
                             "metadata must be a JSON object such as "
                             "{\"watermark\":false}, but " +
                                 why + "."};
  }
  if (auto problem = check_storyboard(request))
    return problem;
  if (!request.validate)
    return std::nullopt;
  if (const ModelLimits *limits = find_model_limits(request.model))
    return check_limits(request, *limits);
  return std::nullopt;
}

const char *sniff_image_mime(const guint8 *data, gsize size) {
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return "image/jpeg";
  if (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0)
    return "image/webp";
  return nullptr;
}

std::optional<ReferenceImage> load_reference_image(const std::string &path,
                                                   SettingsProblem *problem) {
  auto fail = [&](std::string message) -> std::optional<ReferenceImage> {
    *problem = SettingsProblem{"input-reference", std::move(message)};
    return std::nullopt;
  };
  g_autoptr(GFile) file = g_file_new_for_path(path.c_str());
  g_autoptr(GError) error = nullptr;
  g_autoptr(GFileInfo) info =
      g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                        G_FILE_QUERY_INFO_NONE, nullptr, &error);
  if (!info)
    return fail("Cannot read the reference image \"" + path + "\": " + error->message);
  if (g_file_info_get_file_type(info) != G_FILE_TYPE_REGULAR)
    return fail("The reference image \"" + path + "\" is not a regular file.");
  if (g_file_info_get_size(info) > kMaxImageBytes)
    return fail("The reference image \"" + path + "\" is larger than 64 MiB.");

  GBytes *bytes = g_file_load_bytes(file, nullptr, nullptr, &error);
  if (!bytes)
    return fail("Cannot read the reference image \"" + path + "\": " + error->message);
  ReferenceImage image;
  image.bytes.reset(bytes);
  gsize size = 0;
  auto *data = static_cast<const guint8 *>(g_bytes_get_data(bytes, &size));
  const char *mime = sniff_image_mime(data, size);
  if (!mime)
    return fail("The reference image \"" + path +
                "\" is not a JPEG, PNG or WebP image (judged by its content, not its name).");
  image.mime = mime;
  g_autofree char *basename = g_path_get_basename(path.c_str());
  image.filename = basename;
  return image;
}

RequestBody build_create_body(const VideoRequest &request, const ReferenceImage *image) {
  SoupMultipartPtr multipart(soup_multipart_new(SOUP_FORM_MIME_TYPE_MULTIPART));
  soup_multipart_append_form_string(multipart.get(), "prompt", request.prompt.c_str());
  soup_multipart_append_form_string(multipart.get(), "model", request.model.c_str());
  if (request.seconds != 0)
    soup_multipart_append_form_string(multipart.get(), "seconds",
                                      std::to_string(request.seconds).c_str());
  if (!request.size.empty())
    soup_multipart_append_form_string(multipart.get(), "size", request.size.c_str());
  if (!request.metadata.empty()) {
    std::string problem;
    std::optional<std::string> metadata = compact_json_object(request.metadata, &problem);
    g_return_val_if_fail(metadata, RequestBody{});
    soup_multipart_append_form_string(multipart.get(), "metadata", metadata->c_str());
  }
  if (image)
    soup_multipart_append_form_file(multipart.get(), "input_reference", image->filename.c_str(),
                                    image->mime.c_str(), image->bytes.get());

  return form_body(multipart.get());
}

namespace {

std::string data_url(const ReferenceImage &image) {
  gsize size = 0;
  const auto *data = static_cast<const guchar *>(g_bytes_get_data(image.bytes.get(), &size));
  g_autofree char *encoded = g_base64_encode(data, size);
  return "data:" + image.mime + ";base64," + encoded;
}

void set_string(JsonObject *object, const char *name, const std::string &value) {
  json_object_set_string_member(object, name, value.c_str());
}

/* "720p", "1080P": a resolution rather than a size. */
bool is_resolution(const std::string &size) {
  if (size.size() < 2 || g_ascii_tolower(size.back()) != 'p')
    return false;
  return std::all_of(size.begin(), size.end() - 1, [](char c) { return g_ascii_isdigit(c); });
}

/* OpenRouter's models all take a resolution and an aspect ratio; only some
 * take a size. "1280x720" goes as 720p and 16:9 when it is one of those;
 * a size of another shape as it is. */
void set_openrouter_size(JsonObject *body, const std::string &size) {
  if (is_resolution(size)) {
    set_string(body, "resolution", size);
    return;
  }
  std::optional<FrameSize> frame = parse_width_x_height(size);
  if (frame && frame->width && frame->height) {
    unsigned a = frame->width, b = frame->height;
    while (b) {
      unsigned r = a % b;
      a = b;
      b = r;
    }
    std::string ratio = std::to_string(frame->width / a) + ":" + std::to_string(frame->height / a);
    unsigned lines = MIN(frame->width, frame->height);
    for (const char *known : {"16:9", "9:16", "1:1", "4:3", "3:4", "21:9", "9:21"}) {
      if (ratio == known && (lines == 480 || lines == 720 || lines == 1080 || lines == 2160)) {
        set_string(body, "resolution", std::to_string(lines) + "p");
        set_string(body, "aspect_ratio", ratio);
        return;
      }
    }
  }
  set_string(body, "size", size);
}

RequestBody json_body(JsonObject *object) {
  g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(root, object);
  g_autofree char *text = json_to_string(root, FALSE);
  return RequestBody{"application/json", bytes_from_string(text)};
}

/* The metadata object, parsed; checked by check_request before. */
JsonObject *metadata_object(const VideoRequest &request, GObjectPtr<JsonParser> &parser) {
  if (request.metadata.empty())
    return nullptr;
  parser.reset(json_parser_new_immutable());
  if (!load_json_bounded(parser.get(), request.metadata, nullptr))
    return nullptr;
  JsonNode *root = json_parser_get_root(parser.get());
  return root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : nullptr;
}

}  // namespace

std::string openrouter_model_slug(const std::string &model) {
  if (model.find('/') == std::string::npos && g_str_has_prefix(model.c_str(), "sora-"))
    return "openai/" + model;
  return model;
}

RequestBody build_create_json_body(const VideoRequest &request, const ReferenceImage *image,
                                   JsonFields fields) {
  g_autoptr(JsonObject) body = json_object_new();
  set_string(body, "prompt", request.prompt);
  GObjectPtr<JsonParser> parser;
  JsonObject *metadata = metadata_object(request, parser);
  if (fields == JsonFields::kOpenAi) {
    set_string(body, "model", request.model);
    if (request.seconds != 0)
      set_string(body, "seconds", std::to_string(request.seconds));
    if (!request.size.empty())
      set_string(body, "size", request.size);
    if (image) {
      JsonObject *reference = json_object_new();
      set_string(reference, "image_url", data_url(*image));
      json_object_set_object_member(body, "input_reference", reference);
    }
    if (metadata)
      json_object_set_object_member(body, "metadata", json_object_ref(metadata));
    return json_body(body);
  }
  set_string(body, "model", openrouter_model_slug(request.model));
  if (request.seconds != 0)
    json_object_set_int_member(body, "duration", request.seconds);
  if (!request.size.empty())
    set_openrouter_size(body, request.size);
  if (image) {
    JsonObject *url = json_object_new();
    set_string(url, "url", data_url(*image));
    JsonObject *frame = json_object_new();
    set_string(frame, "type", "image_url");
    json_object_set_object_member(frame, "image_url", url);
    set_string(frame, "frame_type", "first_frame");
    JsonArray *frames = json_array_new();
    json_array_add_object_element(frames, frame);
    json_object_set_array_member(body, "frame_images", frames);
  }
  /* OpenRouter's further parameters (generate_audio, seed, aspect_ratio,
   * provider, ...) are top-level members: the metadata object carries them. */
  if (metadata) {
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;
    json_object_iter_init(&iter, metadata);
    while (json_object_iter_next(&iter, &name, &value))
      json_object_set_member(body, name, json_node_copy(value));
  }
  return json_body(body);
}

RequestBody build_remix_body(const VideoRequest &request) {
  g_autoptr(JsonBuilder) builder = json_builder_new();
  json_builder_begin_object(builder);
  json_builder_set_member_name(builder, "prompt");
  json_builder_add_string_value(builder, request.prompt.c_str());
  json_builder_end_object(builder);
  g_autoptr(JsonNode) root = json_builder_get_root(builder);
  g_autofree char *text = json_to_string(root, FALSE);
  return RequestBody{"application/json", bytes_from_string(text)};
}

RequestBody build_extension_body(const VideoRequest &request) {
  SoupMultipartPtr multipart(soup_multipart_new(SOUP_FORM_MIME_TYPE_MULTIPART));
  soup_multipart_append_form_string(multipart.get(), "prompt", request.prompt.c_str());
  soup_multipart_append_form_string(multipart.get(), "seconds",
                                    std::to_string(request.seconds).c_str());
  soup_multipart_append_form_string(multipart.get(), "video[id]", request.extend_of.c_str());
  return form_body(multipart.get());
}

}  // namespace sora
