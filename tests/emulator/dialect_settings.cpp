#include "dialect_settings.h"

#include "json_text.h"
#include "named_values.h"

namespace {

const NamedValue<CreatePath> kCreatePaths[] = {
    {CreatePath::kVideos, "videos"},
    {CreatePath::kVideo, "video"},
    {CreatePath::kVideoGenerations, "video/generations"},
};
const NamedValue<AnswerShape> kCreateShapes[] = {
    {AnswerShape::kBare, "bare"},
    {AnswerShape::kEnvelope, "envelope"},
    {AnswerShape::kTaskId, "task_id"},
};
const NamedValue<AnswerShape> kRetrieveShapes[] = {
    {AnswerShape::kBare, "bare"},
    {AnswerShape::kEnvelope, "envelope"},
};
const NamedValue<IdStyle> kIdStyles[] = {
    {IdStyle::kVideo, "video"},         {IdStyle::kTask, "task"},   {IdStyle::kNumeric, "numeric"},
    {IdStyle::kBase64Url, "base64url"}, {IdStyle::kSlash, "slash"},
};
const NamedValue<StatusWords> kStatusWords[] = {
    {StatusWords::kOpenAi, "openai"},
    {StatusWords::kProcessing, "processing"},
    {StatusWords::kSucceeded, "succeeded"},
    {StatusWords::kNewApi, "newapi"},
    {StatusWords::kUpper, "upper"},
    {StatusWords::kMixed, "mixed"},
    {StatusWords::kUnknownRunning, "unknown_running"},
};
const NamedValue<ProgressFormat> kProgressFormats[] = {
    {ProgressFormat::kInt, "int"},       {ProgressFormat::kFloat, "float"},
    {ProgressFormat::kString, "string"}, {ProgressFormat::kMissing, "missing"},
    {ProgressFormat::kCoarse, "coarse"},
};
// The names of the URL modes are the fields they fill.
const NamedValue<Download> kDownloads[] = {
    {Download::kContent, "content"},
    {Download::kUrl, "url"},
    {Download::kMetadataUrl, "metadata.url"},
    {Download::kMetaDataUrl, "meta_data.url"},
    {Download::kResultUrl, "result_url"},
    {Download::kVideoUrl, "video_url"},
    {Download::kOutputsVideoUrl, "outputs.video_url"},
    {Download::kVideoDotUrl, "video.url"},
    {Download::kContentRedirect, "content_redirect"},
    {Download::kBrokenResultUrl, "broken_result_url"},
};
const NamedValue<RangeSupport> kRangeSupports[] = {
    {RangeSupport::kHonour, "honour"},
    {RangeSupport::kIgnore, "ignore"},
};
const NamedValue<ErrorShape> kErrorShapes[] = {
    {ErrorShape::kOpenAi, "openai"},
    {ErrorShape::kEnvelope, "envelope"},
};
const NamedValue<UnknownIdAnswer> kUnknownIdAnswers[] = {
    {UnknownIdAnswer::k404, "404"},
    {UnknownIdAnswer::k400TaskNotExist, "400_task_not_exist"},
};
const NamedValue<NotCompletedAnswer> kNotCompletedAnswers[] = {
    {NotCompletedAnswer::kOpenAi, "openai"},
    {NotCompletedAnswer::k400NotCompleted, "400_not_completed"},
};
const NamedValue<FailureField> kFailureFields[] = {
    {FailureField::kError, "error"},
    {FailureField::kErrorCodeOnly, "error_code_only"},
    {FailureField::kFailReason, "fail_reason"},
    {FailureField::kMessage, "message"},
};
const NamedValue<ModelCheck> kModelChecks[] = {
    {ModelCheck::kOpenAi, "openai"},
    {ModelCheck::kAny, "any"},
};

const NamedValue<VariantSupport> kVariantSupports[] = {
    {VariantSupport::kAll, "all"},
    {VariantSupport::kVideoOnly, "video_only"},
};

// new-api (QuantumNous/new-api) in front of a non-OpenAI model, on its /v1/videos route.
DialectSettings newapi_preset() {
  DialectSettings settings;
  settings.id_style = IdStyle::kTask;
  settings.status_words = StatusWords::kNewApi;
  settings.progress = ProgressFormat::kString;
  settings.download = Download::kUrl;
  settings.range = RangeSupport::kIgnore;
  settings.early_completed_at = true;
  settings.error_shape = ErrorShape::kEnvelope;
  settings.unknown_id = UnknownIdAnswer::k400TaskNotExist;
  settings.content_before_completion = NotCompletedAnswer::k400NotCompleted;
  settings.failure_field = FailureField::kFailReason;
  settings.models = ModelCheck::kAny;
  settings.poll_after = false;
  settings.variants = VariantSupport::kVideoOnly;
  return settings;
}

// wisdom-gate.juheapi.com (seeds/000, 001): OpenAI's shapes on the singular /v1/video.
DialectSettings juhe_preset() {
  DialectSettings settings;
  settings.create_path = CreatePath::kVideo;
  settings.status_words = StatusWords::kProcessing;
  settings.models = ModelCheck::kAny;
  settings.poll_after = false;
  return settings;
}

// zhaotouai.com (seeds/003): 201 on create, "processing" then "succeeded", and a `url` field.
DialectSettings zhaotou_preset() {
  DialectSettings settings;
  settings.create_status = 201;
  settings.status_words = StatusWords::kSucceeded;
  settings.download = Download::kUrl;
  settings.models = ModelCheck::kAny;
  settings.poll_after = false;
  return settings;
}

// An older task API (new-api's own /v1/video/generations route): only a task_id on create,
// enveloped answers, numeric ids, upper-case status words and a result_url.
DialectSettings legacy_preset() {
  DialectSettings settings = newapi_preset();
  settings.create_path = CreatePath::kVideoGenerations;
  settings.create_shape = AnswerShape::kTaskId;
  settings.retrieve_shape = AnswerShape::kEnvelope;
  settings.id_style = IdStyle::kNumeric;
  settings.status_words = StatusWords::kUpper;
  settings.progress = ProgressFormat::kFloat;
  settings.download = Download::kResultUrl;
  settings.range = RangeSupport::kHonour;
  settings.early_completed_at = false;
  settings.failure_field = FailureField::kMessage;
  return settings;
}

DialectSettings openai_preset() {
  return DialectSettings{};
}

struct Preset {
  const char *name;
  DialectSettings (*make)();
};

const Preset kPresets[] = {
    {"openai", openai_preset},   {"newapi", newapi_preset}, {"juhe", juhe_preset},
    {"zhaotou", zhaotou_preset}, {"legacy", legacy_preset},
};

std::string must_be(const char *key, const std::string &what) {
  return std::string("'dialect.") + key + "' must be " + what;
}

template <typename E, size_t N>
std::optional<std::string> read_name(JsonNode *node, const char *key,
                                     const NamedValue<E> (&table)[N], E &value) {
  bool is_string = json_node_get_value_type(node) == G_TYPE_STRING;
  std::optional<E> parsed =
      is_string ? value_named(table, json_node_get_string(node)) : std::nullopt;
  if (!parsed) {
    return must_be(key, names_of(table));
  }
  value = *parsed;
  return std::nullopt;
}

std::optional<std::string> read_bool(JsonNode *node, const char *key, bool &value) {
  if (json_node_get_value_type(node) != G_TYPE_BOOLEAN) {
    return must_be(key, "true or false");
  }
  value = json_node_get_boolean(node);
  return std::nullopt;
}

std::optional<std::string> read_create_status(JsonNode *node, guint &status) {
  bool is_int = json_node_get_value_type(node) == G_TYPE_INT64;
  if (!is_int || (json_node_get_int(node) != 200 && json_node_get_int(node) != 201)) {
    return must_be("create_status", "200 or 201");
  }
  status = static_cast<guint>(json_node_get_int(node));
  return std::nullopt;
}

std::optional<std::string> apply_knob(DialectSettings &settings, const std::string &key,
                                      JsonNode *value) {
  const char *name = key.c_str();
  if (key == "create_path") {
    return read_name(value, name, kCreatePaths, settings.create_path);
  }
  if (key == "create_status") {
    return read_create_status(value, settings.create_status);
  }
  if (key == "create_shape") {
    return read_name(value, name, kCreateShapes, settings.create_shape);
  }
  if (key == "retrieve_shape") {
    return read_name(value, name, kRetrieveShapes, settings.retrieve_shape);
  }
  if (key == "id_style") {
    return read_name(value, name, kIdStyles, settings.id_style);
  }
  if (key == "status_words") {
    return read_name(value, name, kStatusWords, settings.status_words);
  }
  if (key == "progress") {
    return read_name(value, name, kProgressFormats, settings.progress);
  }
  if (key == "download") {
    return read_name(value, name, kDownloads, settings.download);
  }
  if (key == "range") {
    return read_name(value, name, kRangeSupports, settings.range);
  }
  if (key == "early_completed_at") {
    return read_bool(value, name, settings.early_completed_at);
  }
  if (key == "error_shape") {
    return read_name(value, name, kErrorShapes, settings.error_shape);
  }
  if (key == "unknown_id") {
    return read_name(value, name, kUnknownIdAnswers, settings.unknown_id);
  }
  if (key == "content_before_completion") {
    return read_name(value, name, kNotCompletedAnswers, settings.content_before_completion);
  }
  if (key == "failure_field") {
    return read_name(value, name, kFailureFields, settings.failure_field);
  }
  if (key == "models") {
    return read_name(value, name, kModelChecks, settings.models);
  }
  if (key == "poll_after") {
    return read_bool(value, name, settings.poll_after);
  }
  if (key == "variants") {
    return read_name(value, name, kVariantSupports, settings.variants);
  }
  return "unknown dialect knob '" + key + "'";
}

std::optional<std::string> read_preset(JsonNode *node, DialectSettings &settings) {
  const char *name =
      json_node_get_value_type(node) == G_TYPE_STRING ? json_node_get_string(node) : "";
  std::optional<DialectSettings> preset = DialectSettings::preset(name);
  if (!preset) {
    return "the dialect preset must be " + DialectSettings::preset_names();
  }
  settings = *preset;
  return std::nullopt;
}

}  // namespace

std::optional<DialectSettings> DialectSettings::preset(const std::string &name) {
  for (const Preset &preset : kPresets) {
    if (name == preset.name) {
      return preset.make();
    }
  }
  return std::nullopt;
}

std::string DialectSettings::preset_names() {
  return names_of(kPresets);
}

std::optional<std::string> DialectSettings::parse(JsonNode *node, DialectSettings &settings) {
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    return read_preset(node, settings);
  }
  JsonObject *knobs = json_node_get_object(node);
  DialectSettings parsed;
  if (json_object_has_member(knobs, "preset")) {
    if (std::optional<std::string> error =
            read_preset(json_object_get_member(knobs, "preset"), parsed)) {
      return error;
    }
  }
  JsonObjectIter iter;
  const char *key = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, knobs);
  while (json_object_iter_next(&iter, &key, &value)) {
    if (std::string(key) == "preset") {
      continue;
    }
    if (std::optional<std::string> error = apply_knob(parsed, key, value)) {
      return error;
    }
  }
  settings = parsed;
  return std::nullopt;
}

JsonNodePtr DialectSettings::to_json() const {
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_string_member(object, "create_path", name_of(kCreatePaths, create_path));
  json_object_set_int_member(object, "create_status", create_status);
  json_object_set_string_member(object, "create_shape", name_of(kCreateShapes, create_shape));
  json_object_set_string_member(object, "retrieve_shape", name_of(kRetrieveShapes, retrieve_shape));
  json_object_set_string_member(object, "id_style", name_of(kIdStyles, id_style));
  json_object_set_string_member(object, "status_words", name_of(kStatusWords, status_words));
  json_object_set_string_member(object, "progress", name_of(kProgressFormats, progress));
  json_object_set_string_member(object, "download", name_of(kDownloads, download));
  json_object_set_string_member(object, "range", name_of(kRangeSupports, range));
  json_object_set_boolean_member(object, "early_completed_at", early_completed_at);
  json_object_set_string_member(object, "error_shape", name_of(kErrorShapes, error_shape));
  json_object_set_string_member(object, "unknown_id", name_of(kUnknownIdAnswers, unknown_id));
  json_object_set_string_member(object, "content_before_completion",
                                name_of(kNotCompletedAnswers, content_before_completion));
  json_object_set_string_member(object, "failure_field", name_of(kFailureFields, failure_field));
  json_object_set_string_member(object, "models", name_of(kModelChecks, models));
  json_object_set_boolean_member(object, "poll_after", poll_after);
  json_object_set_string_member(object, "variants", name_of(kVariantSupports, variants));
  return json_node_from_object(object);
}

const char *create_path_name(CreatePath path) {
  return name_of(kCreatePaths, path);
}

std::optional<std::string> download_url_field(Download download) {
  switch (download) {
    case Download::kContent:
    case Download::kContentRedirect:
      return std::nullopt;
    case Download::kBrokenResultUrl:
      return std::string("result_url");
    default:
      return std::string(name_of(kDownloads, download));
  }
}
