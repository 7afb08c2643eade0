/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// How the emulated server deviates from OpenAI's own API, as a set of independent knobs, one per
// row of "What a tolerant client must accept" and of "The gateways of late 2026" in DIALECTS.md.
// Every knob defaults to OpenAI's behaviour; named presets set them all at once to what one real
// gateway does. Set with
// --dialect NAME or the control API's "dialect" key (a preset name, or an object of knobs).
#pragma once

#include "glib_ptr.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

// Where the API lives under /v1: the create path and every other route below it.
enum class CreatePath { kVideos, kVideo, kVideoGenerations };
// kJob is OpenRouter's job object, kTask new-api's task object in its envelope (kTaskBare
// without it).
enum class AnswerShape { kBare, kEnvelope, kTaskId, kJob, kTask, kTaskBare };
// kUuid: fal's request ids; kReplicate: 26 lower-case letters and digits (Replicate's
// prediction ids); kOperation: 12 (the last segment of a Gemini operation name).
enum class IdStyle {
  kVideo,
  kTask,
  kNumeric,
  kBase64Url,
  kSlash,
  kTask32,
  kJob,
  kLitellm,
  kUuid,
  kReplicate,
  kOperation,
};
enum class StatusWords {
  kOpenAi,
  kProcessing,
  kSucceeded,
  kNewApi,
  kUpper,
  kMixed,
  kUnknownRunning,
  kOpenRouter,
  kNewApiTask,
  kProcessingFromStart,
};
enum class ProgressFormat { kInt, kFloat, kString, kMissing, kCoarse, kFraction, kNull };
// How a finished video is downloaded: from /content, from a URL in one of the fields gateways
// use, through a redirect of /content, or from /content after a useless result_url.
enum class Download {
  kContent,
  kUrl,
  kMetadataUrl,
  kMetaDataUrl,
  kResultUrl,
  kVideoUrl,
  kOutputsVideoUrl,
  kVideoDotUrl,
  kContentRedirect,
  kBrokenResultUrl,
  kUnsignedUrls,  // OpenRouter: `unsigned_urls`, the API's own /content?index=0 (key needed)
};
enum class RangeSupport { kHonour, kIgnore };
// kGoogle: {"error": {"code": 400, "message", "status": "INVALID_ARGUMENT"}}; kFal: {"detail":
// message}; kReplicate: {"title", "detail", "status": 400} (RFC 7807 problem details).
enum class ErrorShape {
  kOpenAi,
  kEnvelope,
  kOpenRouter,
  kLitellm,
  kCodeMessage,
  kGoogle,
  kFal,
  kReplicate
};
enum class UnknownIdAnswer { k404, k400TaskNotExist };
enum class NotCompletedAnswer { kOpenAi, k400NotCompleted, k400CurrentStatus };
enum class FailureField { kError, kErrorCodeOnly, kFailReason, kMessage, kErrorString };
// kDeployment: any model name (Azure deployments) with sora-2's seconds and sizes; kOpenRouter:
// OpenRouter's JSON fields (`duration`, `resolution` + `aspect_ratio`, `frame_images`, ...).
enum class ModelCheck { kOpenAi, kAny, kDeployment, kOpenRouter };
// kIgnore: `variant` is ignored, /content is always the video (LiteLLM); kIndex: `variant` is
// ignored and `index` picks the output, of which there is one (OpenRouter).
enum class VariantSupport { kAll, kVideoOnly, kIgnore, kIndex };
// Where the key goes: `Authorization: Bearer`, Azure's `api-key` header (a Bearer token is then
// an Entra ID token, never valid here), or LiteLLM's Bearer or `x-litellm-api-key`. A native
// provider reads the key where it does instead (provider_key_check.h).
enum class AuthScheme { kBearer, kApiKeyHeader, kBearerOrLitellmHeader };
// Which create bodies are taken; the others answer 400 (or 415) and create nothing.
enum class CreateBody { kJsonOrMultipart, kJsonOnly, kJsonOnly415 };
// What the server makes of a `seconds` member: the clip's length, nothing, or a 400.
enum class SecondsMember { kDuration, kIgnore, kReject };
enum class PollingUrl { kRelative, kAbsolute };
// kReencoded: retrieve and list answer another id for the same task than create did (LiteLLM
// re-encodes its id on every answer); both ids work everywhere.
enum class RetrieveId { kSame, kReencoded };
// The provider behind LiteLLM: it is encoded in the ids, and picks status words and progress.
enum class LitellmUpstream { kOpenAi, kVeo, kRunway };
// new-api's task object: the fields of older releases, or of newer ones (with a numeric row `id`
// that is not the task id, and `result_url`).
enum class TaskFields { kOld, kNew };
enum class UnknownStatus { kNever, kOnce };
enum class FirstPollStatus { kPresent, kAbsent };
enum class RateLimitText { kOpenAi, kNewApiZh };
// What GET /models (and OpenRouter's GET /videos/models) lists.
enum class ModelList { kOpenAi, kGateway, kOpenRouter };
// A provider's own protocol instead of the OpenAI video format on the API listener: the Gemini
// API's predictLongRunning (Veo), fal's queue, Replicate's predictions (see native_route.h).
enum class Provider { kNone, kGemini, kFal, kReplicate };

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct DialectSettings {
  CreatePath create_path = CreatePath::kVideos;
  std::optional<CreatePath> second_create_path;  // a second collection answering the same API
  bool unprefixed_routes = false;                // the API also without the /v1 prefix
  guint create_status = 200;
  AnswerShape create_shape = AnswerShape::kBare;
  AnswerShape retrieve_shape = AnswerShape::kBare;
  IdStyle id_style = IdStyle::kVideo;
  RetrieveId retrieve_id = RetrieveId::kSame;
  StatusWords status_words = StatusWords::kOpenAi;
  ProgressFormat progress = ProgressFormat::kInt;
  Download download = Download::kContent;
  RangeSupport range = RangeSupport::kHonour;
  bool early_completed_at = false;
  ErrorShape error_shape = ErrorShape::kOpenAi;
  UnknownIdAnswer unknown_id = UnknownIdAnswer::k404;
  NotCompletedAnswer content_before_completion = NotCompletedAnswer::kOpenAi;
  FailureField failure_field = FailureField::kError;
  ModelCheck models = ModelCheck::kOpenAi;
  bool poll_after = true;
  VariantSupport variants = VariantSupport::kAll;
  AuthScheme auth = AuthScheme::kBearer;
  CreateBody create_body = CreateBody::kJsonOrMultipart;
  SecondsMember seconds_member = SecondsMember::kDuration;
  PollingUrl polling_url = PollingUrl::kRelative;
  LitellmUpstream litellm_upstream = LitellmUpstream::kOpenAi;
  bool list_requires_provider = false;  // GET list without custom_llm_provider answers 400
  guint max_running_tasks = 0;          // queued or in progress at once; 0 = unlimited
  TaskFields task_fields = TaskFields::kOld;
  UnknownStatus unknown_status = UnknownStatus::kNever;
  FirstPollStatus first_poll_status = FirstPollStatus::kPresent;
  RateLimitText rate_limit_text = RateLimitText::kOpenAi;
  ModelList model_list = ModelList::kOpenAi;
  HeaderList response_headers;  // added to every answer of the API listener
  Provider provider = Provider::kNone;
  // What a completed task reports it cost, as OpenRouter does ("usage": {"cost": X}, USD);
  // unset: no usage member. LiteLLM's x-litellm-response-cost is a response_headers entry.
  std::optional<double> report_cost;

  // "openai", "newapi", "juhe", "zhaotou", "legacy", "openrouter", "azure", "litellm",
  // "newapi-task", "gemini", "fal" or "replicate".
  static std::optional<DialectSettings> preset(const std::string &name);
  // "'openai', 'newapi', ... or 'newapi-task'", for error messages.
  static std::string preset_names();

  // A preset name, or an object of knobs applied over the preset named by its "preset" key
  // (default openai). `litellm_upstream` is applied before the other knobs, since it sets
  // `status_words` and `progress`. Returns the reason when @node is not a valid dialect.
  static std::optional<std::string> parse(JsonNode *node, DialectSettings &settings);

  JsonNodePtr to_json() const;
};

// The API's collection path below /v1: "videos", "video" or "video/generations".
const char *create_path_name(CreatePath path);
// "none", "gemini", "fal" or "replicate".
const char *provider_name(Provider provider);
// The provider name LiteLLM encodes in ids for @upstream ("openai", "gemini", "runwayml").
const char *litellm_provider_name(LitellmUpstream upstream);

// The field a completed video's download URL is put in ("url", "outputs.video_url"), if any.
std::optional<std::string> download_url_field(Download download);
