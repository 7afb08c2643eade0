/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/openrouter_models.h"

#include "core/gateway.h"
#include "core/json_members.h"
#include "core/video_object.h"

#include <algorithm>

namespace sora {

namespace {

constexpr const char *kSource = "OpenRouter's /videos/models";

SchemaField listed(const char *name, const char *type, std::vector<std::string> values) {
  SchemaField field;
  field.name = name;
  field.type = type;
  field.allowed = std::move(values);
  return field;
}

/* "4, 6 or 8" */
std::string one_of(const std::vector<std::string> &values) {
  std::string out;
  for (size_t i = 0; i < values.size(); i++)
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
  return out;
}

}  // namespace

std::optional<InputSchema> parse_openrouter_model(std::string_view list, const std::string &model,
                                                  std::string *problem) {
  std::optional<std::vector<ModelInfo>> models = parse_model_list(list, problem);
  if (!models)
    return std::nullopt;
  InputSchema schema;
  schema.source = kSource;
  const std::string slug = openrouter_model_slug(model);
  auto found = std::find_if(models->begin(), models->end(),
                            [&](const ModelInfo &m) { return m.id == slug || m.id == model; });
  if (found == models->end())
    return schema;
  if (!found->durations.empty())
    schema.fields.push_back(listed("duration", "integer", found->durations));
  if (!found->resolutions.empty())
    schema.fields.push_back(listed("resolution", "string", found->resolutions));
  if (!found->aspect_ratios.empty())
    schema.fields.push_back(listed("aspect_ratio", "string", found->aspect_ratios));
  if (!found->listed_sizes.empty())
    schema.fields.push_back(listed("size", "string", found->listed_sizes));
  return schema;
}

std::optional<SettingsProblem> check_openrouter_request(const VideoRequest &request,
                                                        const InputSchema &schema) {
  if (schema.fields.empty())
    return std::nullopt;
  /* What the body will say, checked member by member: the size goes as
   * resolution and aspect_ratio where it is one of those, else as size, and
   * metadata may set any of them. */
  RequestBody body = build_create_json_body(request, nullptr, JsonFields::kOpenRouter);
  gsize length = 0;
  const char *data = static_cast<const char *>(g_bytes_get_data(body.bytes.get(), &length));
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  std::string unused;
  JsonObject *object = parse_json_object(parser, std::string_view(data, length), &unused);
  if (!object)
    return std::nullopt;
  const std::string model = openrouter_model_slug(request.model);
  for (const SchemaField &field : schema.fields) {
    JsonNode *member = json_object_get_member(object, field.name.c_str());
    std::string value = member ? scalar_text(member) : "";
    if (value.empty() ||
        std::find(field.allowed.begin(), field.allowed.end(), value) != field.allowed.end())
      continue;
    std::string allowed = " takes " + one_of(field.allowed) + " (" + kSource + ")";
    if (field.name == "duration")
      return SettingsProblem{"seconds", "seconds=" + value + " is not a duration " + model +
                                            " takes on OpenRouter: its duration" + allowed +
                                            ". No request was sent."};
    bool from_size = !request.size.empty() &&
                     request.metadata.find("\"" + field.name + "\"") == std::string::npos;
    std::string what = from_size ? "size=\"" + request.size + "\"" : "metadata";
    std::string as = field.name == "size" ? "" : " (" + field.name + " " + value + ")";
    return SettingsProblem{from_size ? "size" : "metadata",
                           what + as + (from_size ? " is not a size " : " is not a value ") +
                               model + " takes on OpenRouter: its " + field.name + allowed +
                               ". No request was sent."};
  }
  return std::nullopt;
}

}  // namespace sora
