/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "dialect_settings.h"

#include "json_text.h"
#include "named_values.h"

#include <functional>

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
    {AnswerShape::kJob, "job"},
};
const NamedValue<AnswerShape> kRetrieveShapes[] = {
    {AnswerShape::kBare, "bare"}, {AnswerShape::kEnvelope, "envelope"},  {AnswerShape::kJob, "job"},
    {AnswerShape::kTask, "task"}, {AnswerShape::kTaskBare, "task_bare"},
};
const NamedValue<IdStyle> kIdStyles[] = {
    {IdStyle::kVideo, "video"},
    {IdStyle::kTask, "task"},
    {IdStyle::kNumeric, "numeric"},
    {IdStyle::kBase64Url, "base64url"},
    {IdStyle::kSlash, "slash"},
    {IdStyle::kTask32, "task32"},
    {IdStyle::kJob, "job"},
    {IdStyle::kLitellm, "litellm"},
    {IdStyle::kUuid, "uuid"},
    {IdStyle::kReplicate, "replicate"},
    {IdStyle::kOperation, "operation"},
};
const NamedValue<RetrieveId> kRetrieveIds[] = {
    {RetrieveId::kSame, "same"},
    {RetrieveId::kReencoded, "reencoded"},
};
const NamedValue<StatusWords> kStatusWords[] = {
    {StatusWords::kOpenAi, "openai"},
    {StatusWords::kProcessing, "processing"},
    {StatusWords::kSucceeded, "succeeded"},
    {StatusWords::kNewApi, "newapi"},
    {StatusWords::kUpper, "upper"},
    {StatusWords::kMixed, "mixed"},
    {StatusWords::kUnknownRunning, "unknown_running"},
    {StatusWords::kOpenRouter, "openrouter"},
    {StatusWords::kNewApiTask, "newapi_task"},
    {StatusWords::kProcessingFromStart, "processing_from_start"},
};
const NamedValue<ProgressFormat> kProgressFormats[] = {
    {ProgressFormat::kInt, "int"},       {ProgressFormat::kFloat, "float"},
    {ProgressFormat::kString, "string"}, {ProgressFormat::kMissing, "missing"},
    {ProgressFormat::kCoarse, "coarse"}, {ProgressFormat::kFraction, "fraction"},
    {ProgressFormat::kNull, "null"},
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
    {Download::kUnsignedUrls, "unsigned_urls"},
};
const NamedValue<RangeSupport> kRangeSupports[] = {
    {RangeSupport::kHonour, "honour"},
    {RangeSupport::kIgnore, "ignore"},
};
const NamedValue<ErrorShape> kErrorShapes[] = {
    {ErrorShape::kOpenAi, "openai"},
    {ErrorShape::kEnvelope, "envelope"},
    {ErrorShape::kOpenRouter, "openrouter"},
    {ErrorShape::kLitellm, "litellm"},
    {ErrorShape::kCodeMessage, "code_message"},
    {ErrorShape::kGoogle, "google"},
    {ErrorShape::kFal, "fal"},
    {ErrorShape::kReplicate, "replicate"},
};
const NamedValue<UnknownIdAnswer> kUnknownIdAnswers[] = {
    {UnknownIdAnswer::k404, "404"},
    {UnknownIdAnswer::k400TaskNotExist, "400_task_not_exist"},
};
const NamedValue<NotCompletedAnswer> kNotCompletedAnswers[] = {
    {NotCompletedAnswer::kOpenAi, "openai"},
    {NotCompletedAnswer::k400NotCompleted, "400_not_completed"},
    {NotCompletedAnswer::k400CurrentStatus, "400_current_status"},
};
const NamedValue<FailureField> kFailureFields[] = {
    {FailureField::kError, "error"},
    {FailureField::kErrorCodeOnly, "error_code_only"},
    {FailureField::kFailReason, "fail_reason"},
    {FailureField::kMessage, "message"},
    {FailureField::kErrorString, "error_string"},
};
const NamedValue<ModelCheck> kModelChecks[] = {
    {ModelCheck::kOpenAi, "openai"},
    {ModelCheck::kAny, "any"},
    {ModelCheck::kDeployment, "deployment"},
    {ModelCheck::kOpenRouter, "openrouter"},
};
const NamedValue<VariantSupport> kVariantSupports[] = {
    {VariantSupport::kAll, "all"},
    {VariantSupport::kVideoOnly, "video_only"},
    {VariantSupport::kIgnore, "ignore"},
    {VariantSupport::kIndex, "index"},
};
const NamedValue<AuthScheme> kAuthSchemes[] = {
    {AuthScheme::kBearer, "bearer"},
    {AuthScheme::kApiKeyHeader, "api_key_header"},
    {AuthScheme::kBearerOrLitellmHeader, "bearer_or_x_litellm_api_key"},
};
const NamedValue<CreateBody> kCreateBodies[] = {
    {CreateBody::kJsonOrMultipart, "json_or_multipart"},
    {CreateBody::kJsonOnly, "json_only"},
    {CreateBody::kJsonOnly415, "json_only_415"},
};
const NamedValue<SecondsMember> kSecondsMembers[] = {
    {SecondsMember::kDuration, "duration"},
    {SecondsMember::kIgnore, "ignore"},
    {SecondsMember::kReject, "reject"},
};
const NamedValue<PollingUrl> kPollingUrls[] = {
    {PollingUrl::kRelative, "relative"},
    {PollingUrl::kAbsolute, "absolute"},
};
const NamedValue<LitellmUpstream> kLitellmUpstreams[] = {
    {LitellmUpstream::kOpenAi, "openai"},
    {LitellmUpstream::kVeo, "veo"},
    {LitellmUpstream::kRunway, "runway"},
};
const NamedValue<TaskFields> kTaskFields[] = {
    {TaskFields::kOld, "old"},
    {TaskFields::kNew, "new"},
};
const NamedValue<UnknownStatus> kUnknownStatuses[] = {
    {UnknownStatus::kNever, "never"},
    {UnknownStatus::kOnce, "once"},
};
const NamedValue<FirstPollStatus> kFirstPollStatuses[] = {
    {FirstPollStatus::kPresent, "present"},
    {FirstPollStatus::kAbsent, "absent"},
};
const NamedValue<RateLimitText> kRateLimitTexts[] = {
    {RateLimitText::kOpenAi, "openai"},
    {RateLimitText::kNewApiZh, "newapi_zh"},
};
const NamedValue<ModelList> kModelLists[] = {
    {ModelList::kOpenAi, "openai"},
    {ModelList::kGateway, "gateway"},
    {ModelList::kOpenRouter, "openrouter"},
};
const NamedValue<Provider> kProviders[] = {
    {Provider::kNone, "none"},
    {Provider::kGemini, "gemini"},
    {Provider::kFal, "fal"},
    {Provider::kReplicate, "replicate"},
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

// OpenRouter's video API (openrouter.ai/docs/api/api-reference/videos): JSON-only create
// answered 202 with a job, polled for pending .. completed, downloaded from unsigned_urls[0].
DialectSettings openrouter_preset() {
  DialectSettings settings;
  settings.create_status = 202;
  settings.create_shape = AnswerShape::kJob;
  settings.retrieve_shape = AnswerShape::kJob;
  settings.id_style = IdStyle::kJob;
  settings.status_words = StatusWords::kOpenRouter;
  settings.progress = ProgressFormat::kMissing;
  settings.download = Download::kUnsignedUrls;
  settings.error_shape = ErrorShape::kOpenRouter;
  settings.failure_field = FailureField::kErrorString;
  settings.models = ModelCheck::kOpenRouter;
  settings.seconds_member = SecondsMember::kIgnore;
  settings.create_body = CreateBody::kJsonOnly;
  settings.poll_after = false;
  settings.variants = VariantSupport::kIndex;
  settings.model_list = ModelList::kOpenRouter;
  return settings;
}

// Azure OpenAI's v1 video API: OpenAI's bodies and answers, the key in `api-key`, deployment
// names for models, and a cap on running jobs.
DialectSettings azure_preset() {
  DialectSettings settings;
  settings.auth = AuthScheme::kApiKeyHeader;
  settings.models = ModelCheck::kDeployment;
  settings.max_running_tasks = 2;
  return settings;
}

void apply_litellm_upstream(DialectSettings &settings, LitellmUpstream upstream) {
  settings.litellm_upstream = upstream;
  switch (upstream) {
    case LitellmUpstream::kVeo:
      settings.status_words = StatusWords::kProcessingFromStart;
      settings.progress = ProgressFormat::kNull;
      break;
    case LitellmUpstream::kRunway:
      settings.status_words = StatusWords::kOpenAi;
      settings.progress = ProgressFormat::kFraction;
      break;
    case LitellmUpstream::kOpenAi:
      settings.status_words = StatusWords::kOpenAi;
      settings.progress = ProgressFormat::kInt;
      break;
  }
}

// The LiteLLM proxy (litellm/proxy/video_endpoints) in front of RunwayML: routes with and
// without /v1, provider-encoded base64 ids re-encoded on retrieve, progress as a fraction.
DialectSettings litellm_preset() {
  DialectSettings settings;
  settings.unprefixed_routes = true;
  settings.auth = AuthScheme::kBearerOrLitellmHeader;
  settings.id_style = IdStyle::kLitellm;
  settings.retrieve_id = RetrieveId::kReencoded;
  apply_litellm_upstream(settings, LitellmUpstream::kRunway);
  settings.error_shape = ErrorShape::kLitellm;
  settings.models = ModelCheck::kAny;
  settings.poll_after = false;
  settings.variants = VariantSupport::kIgnore;
  settings.list_requires_provider = true;
  settings.model_list = ModelList::kGateway;
  return settings;
}

// new-api answering its task object on retrieve (GET /v1/video/generations/{id}, and forks on
// /v1/videos/{id}): upper-case task words, no URL, /content the only download.
DialectSettings newapi_task_preset() {
  DialectSettings settings = newapi_preset();
  settings.second_create_path = CreatePath::kVideoGenerations;
  settings.retrieve_shape = AnswerShape::kTask;
  settings.id_style = IdStyle::kTask32;
  settings.status_words = StatusWords::kNewApiTask;
  settings.download = Download::kContent;
  settings.content_before_completion = NotCompletedAnswer::k400CurrentStatus;
  settings.rate_limit_text = RateLimitText::kNewApiZh;
  settings.model_list = ModelList::kGateway;
  return settings;
}

// The Gemini API's Veo routes (ai.google.dev/gemini-api/docs/video): predictLongRunning, an
// operation polled until `done`, a file URL that redirects to storage.
DialectSettings gemini_preset() {
  DialectSettings settings;
  settings.provider = Provider::kGemini;
  settings.error_shape = ErrorShape::kGoogle;
  settings.id_style = IdStyle::kOperation;
  settings.poll_after = false;
  return settings;
}

// fal's queue (docs.fal.ai/model-apis/model-endpoints/queue): a request id and its URLs, status
// polled or streamed, the result at response_url with the video on fal's CDN.
DialectSettings fal_preset() {
  DialectSettings settings;
  settings.provider = Provider::kFal;
  settings.error_shape = ErrorShape::kFal;
  settings.id_style = IdStyle::kUuid;
  settings.poll_after = false;
  return settings;
}

// Replicate's predictions (replicate.com/docs/reference/http): starting, processing, succeeded,
// the output a URL on replicate.delivery.
DialectSettings replicate_preset() {
  DialectSettings settings;
  settings.provider = Provider::kReplicate;
  settings.error_shape = ErrorShape::kReplicate;
  settings.id_style = IdStyle::kReplicate;
  settings.poll_after = false;
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
    {"openai", openai_preset},   {"newapi", newapi_preset},   {"juhe", juhe_preset},
    {"zhaotou", zhaotou_preset}, {"legacy", legacy_preset},   {"openrouter", openrouter_preset},
    {"azure", azure_preset},     {"litellm", litellm_preset}, {"newapi-task", newapi_task_preset},
    {"gemini", gemini_preset},   {"fal", fal_preset},         {"replicate", replicate_preset},
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
  gint64 value = is_int ? json_node_get_int(node) : 0;
  if (value != 200 && value != 201 && value != 202) {
    return must_be("create_status", "200, 201 or 202");
  }
  status = static_cast<guint>(value);
  return std::nullopt;
}

std::optional<std::string> read_task_limit(JsonNode *node, guint &limit) {
  bool is_int = json_node_get_value_type(node) == G_TYPE_INT64;
  if (!is_int || json_node_get_int(node) < 0 || json_node_get_int(node) > G_MAXINT32) {
    return must_be("max_running_tasks", "a non-negative integer (0 = unlimited)");
  }
  limit = static_cast<guint>(json_node_get_int(node));
  return std::nullopt;
}

std::optional<std::string> read_report_cost(JsonNode *node, std::optional<double> &cost) {
  if (JSON_NODE_HOLDS_NULL(node)) {
    cost.reset();
    return std::nullopt;
  }
  GType type = json_node_get_value_type(node);
  if ((type != G_TYPE_DOUBLE && type != G_TYPE_INT64) || json_node_get_double(node) < 0) {
    return must_be("report_cost", "a non-negative number (USD) or null");
  }
  cost = json_node_get_double(node);
  return std::nullopt;
}

std::optional<std::string> read_second_path(JsonNode *node, std::optional<CreatePath> &path) {
  if (json_node_get_value_type(node) == G_TYPE_STRING &&
      g_strcmp0(json_node_get_string(node), "none") == 0) {
    path.reset();
    return std::nullopt;
  }
  CreatePath parsed = CreatePath::kVideos;
  if (read_name(node, "second_create_path", kCreatePaths, parsed)) {
    return must_be("second_create_path", "'none', " + names_of(kCreatePaths));
  }
  path = parsed;
  return std::nullopt;
}

std::optional<std::string> read_headers(JsonNode *node, HeaderList &headers) {
  std::string problem = must_be("response_headers", "an object of strings");
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    return problem;
  }
  HeaderList parsed;
  JsonObjectIter iter;
  const char *name = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, json_node_get_object(node));
  while (json_object_iter_next(&iter, &name, &value)) {
    if (json_node_get_value_type(value) != G_TYPE_STRING || !*name) {
      return problem;
    }
    parsed.emplace_back(name, json_node_get_string(value));
  }
  headers = std::move(parsed);
  return std::nullopt;
}

using KnobReader = std::function<std::optional<std::string>(DialectSettings &, JsonNode *)>;

template <typename E, size_t N>
std::pair<const char *, KnobReader> named_knob(const char *key, const NamedValue<E> (&table)[N],
                                               E DialectSettings::*member) {
  return {key, [key, &table, member](DialectSettings &settings, JsonNode *value) {
            return read_name(value, key, table, settings.*member);
          }};
}

std::pair<const char *, KnobReader> bool_knob(const char *key, bool DialectSettings::*member) {
  return {key, [key, member](DialectSettings &settings, JsonNode *value) {
            return read_bool(value, key, settings.*member);
          }};
}

// Every knob but `preset` and `litellm_upstream` (applied first), in the order of to_json().
const std::vector<std::pair<const char *, KnobReader>> &knob_readers() {
  static const std::vector<std::pair<const char *, KnobReader>> kReaders = {
      named_knob("create_path", kCreatePaths, &DialectSettings::create_path),
      {"second_create_path",
       [](DialectSettings &s, JsonNode *v) { return read_second_path(v, s.second_create_path); }},
      bool_knob("unprefixed_routes", &DialectSettings::unprefixed_routes),
      {"create_status",
       [](DialectSettings &s, JsonNode *v) { return read_create_status(v, s.create_status); }},
      named_knob("create_shape", kCreateShapes, &DialectSettings::create_shape),
      named_knob("retrieve_shape", kRetrieveShapes, &DialectSettings::retrieve_shape),
      named_knob("id_style", kIdStyles, &DialectSettings::id_style),
      named_knob("retrieve_id", kRetrieveIds, &DialectSettings::retrieve_id),
      named_knob("status_words", kStatusWords, &DialectSettings::status_words),
      named_knob("progress", kProgressFormats, &DialectSettings::progress),
      named_knob("download", kDownloads, &DialectSettings::download),
      named_knob("range", kRangeSupports, &DialectSettings::range),
      bool_knob("early_completed_at", &DialectSettings::early_completed_at),
      named_knob("error_shape", kErrorShapes, &DialectSettings::error_shape),
      named_knob("unknown_id", kUnknownIdAnswers, &DialectSettings::unknown_id),
      named_knob("content_before_completion", kNotCompletedAnswers,
                 &DialectSettings::content_before_completion),
      named_knob("failure_field", kFailureFields, &DialectSettings::failure_field),
      named_knob("models", kModelChecks, &DialectSettings::models),
      bool_knob("poll_after", &DialectSettings::poll_after),
      named_knob("variants", kVariantSupports, &DialectSettings::variants),
      named_knob("auth", kAuthSchemes, &DialectSettings::auth),
      named_knob("create_body", kCreateBodies, &DialectSettings::create_body),
      named_knob("seconds_member", kSecondsMembers, &DialectSettings::seconds_member),
      named_knob("polling_url", kPollingUrls, &DialectSettings::polling_url),
      bool_knob("list_requires_provider", &DialectSettings::list_requires_provider),
      {"max_running_tasks",
       [](DialectSettings &s, JsonNode *v) { return read_task_limit(v, s.max_running_tasks); }},
      named_knob("task_fields", kTaskFields, &DialectSettings::task_fields),
      named_knob("unknown_status", kUnknownStatuses, &DialectSettings::unknown_status),
      named_knob("first_poll_status", kFirstPollStatuses, &DialectSettings::first_poll_status),
      named_knob("rate_limit_text", kRateLimitTexts, &DialectSettings::rate_limit_text),
      named_knob("model_list", kModelLists, &DialectSettings::model_list),
      {"response_headers",
       [](DialectSettings &s, JsonNode *v) { return read_headers(v, s.response_headers); }},
      named_knob("provider", kProviders, &DialectSettings::provider),
      {"report_cost",
       [](DialectSettings &s, JsonNode *v) { return read_report_cost(v, s.report_cost); }},
  };
  return kReaders;
}

std::optional<std::string> apply_knob(DialectSettings &settings, const std::string &key,
                                      JsonNode *value) {
  for (const auto &[name, reader] : knob_readers()) {
    if (key == name) {
      return reader(settings, value);
    }
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
  if (json_object_has_member(knobs, "litellm_upstream")) {
    LitellmUpstream upstream = LitellmUpstream::kOpenAi;
    if (std::optional<std::string> error =
            read_name(json_object_get_member(knobs, "litellm_upstream"), "litellm_upstream",
                      kLitellmUpstreams, upstream)) {
      return error;
    }
    apply_litellm_upstream(parsed, upstream);
  }
  JsonObjectIter iter;
  const char *key = nullptr;
  JsonNode *value = nullptr;
  json_object_iter_init(&iter, knobs);
  while (json_object_iter_next(&iter, &key, &value)) {
    std::string name = key;
    if (name == "preset" || name == "litellm_upstream") {
      continue;
    }
    if (std::optional<std::string> error = apply_knob(parsed, name, value)) {
      return error;
    }
  }
  settings = parsed;
  return std::nullopt;
}

JsonNodePtr DialectSettings::to_json() const {
  g_autoptr(JsonObject) object = json_object_new();
  json_object_set_string_member(object, "create_path", name_of(kCreatePaths, create_path));
  json_object_set_string_member(
      object, "second_create_path",
      second_create_path ? name_of(kCreatePaths, *second_create_path) : "none");
  json_object_set_boolean_member(object, "unprefixed_routes", unprefixed_routes);
  json_object_set_int_member(object, "create_status", create_status);
  json_object_set_string_member(object, "create_shape", name_of(kCreateShapes, create_shape));
  json_object_set_string_member(object, "retrieve_shape", name_of(kRetrieveShapes, retrieve_shape));
  json_object_set_string_member(object, "id_style", name_of(kIdStyles, id_style));
  json_object_set_string_member(object, "retrieve_id", name_of(kRetrieveIds, retrieve_id));
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
  json_object_set_string_member(object, "auth", name_of(kAuthSchemes, auth));
  json_object_set_string_member(object, "create_body", name_of(kCreateBodies, create_body));
  json_object_set_string_member(object, "seconds_member", name_of(kSecondsMembers, seconds_member));
  json_object_set_string_member(object, "polling_url", name_of(kPollingUrls, polling_url));
  json_object_set_string_member(object, "litellm_upstream",
                                name_of(kLitellmUpstreams, litellm_upstream));
  json_object_set_boolean_member(object, "list_requires_provider", list_requires_provider);
  json_object_set_int_member(object, "max_running_tasks", max_running_tasks);
  if (report_cost) {
    json_object_set_double_member(object, "report_cost", *report_cost);
  } else {
    json_object_set_null_member(object, "report_cost");
  }
  json_object_set_string_member(object, "task_fields", name_of(kTaskFields, task_fields));
  json_object_set_string_member(object, "unknown_status",
                                name_of(kUnknownStatuses, unknown_status));
  json_object_set_string_member(object, "first_poll_status",
                                name_of(kFirstPollStatuses, first_poll_status));
  json_object_set_string_member(object, "rate_limit_text",
                                name_of(kRateLimitTexts, rate_limit_text));
  json_object_set_string_member(object, "model_list", name_of(kModelLists, model_list));
  JsonObject *headers = json_object_new();
  for (const auto &[name, value] : response_headers) {
    json_object_set_string_member(headers, name.c_str(), value.c_str());
  }
  json_object_set_object_member(object, "response_headers", headers);
  json_object_set_string_member(object, "provider", name_of(kProviders, provider));
  return json_node_from_object(object);
}

const char *create_path_name(CreatePath path) {
  return name_of(kCreatePaths, path);
}

const char *provider_name(Provider provider) {
  return name_of(kProviders, provider);
}

const char *litellm_provider_name(LitellmUpstream upstream) {
  switch (upstream) {
    case LitellmUpstream::kVeo:
      return "gemini";
    case LitellmUpstream::kRunway:
      return "runwayml";
    case LitellmUpstream::kOpenAi:
      break;
  }
  return "openai";
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
