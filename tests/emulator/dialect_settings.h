// How the emulated server deviates from OpenAI's own API, as a set of independent knobs, one per
// row of "What a tolerant client must accept" in DIALECTS.md. Every knob defaults to OpenAI's
// behaviour; named presets set them all at once to what one real gateway does. Set with
// --dialect NAME or the control API's "dialect" key (a preset name, or an object of knobs).
#pragma once

#include "glib_ptr.h"

#include <optional>
#include <string>

// Where the API lives under /v1: the create path and every other route below it.
enum class CreatePath { kVideos, kVideo, kVideoGenerations };
enum class AnswerShape { kBare, kEnvelope, kTaskId };
enum class IdStyle { kVideo, kTask, kNumeric, kBase64Url, kSlash };
enum class StatusWords {
  kOpenAi,
  kProcessing,
  kSucceeded,
  kNewApi,
  kUpper,
  kMixed,
  kUnknownRunning
};
enum class ProgressFormat { kInt, kFloat, kString, kMissing, kCoarse };
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
};
enum class RangeSupport { kHonour, kIgnore };
enum class ErrorShape { kOpenAi, kEnvelope };
enum class UnknownIdAnswer { k404, k400TaskNotExist };
enum class NotCompletedAnswer { kOpenAi, k400NotCompleted };
enum class FailureField { kError, kErrorCodeOnly, kFailReason, kMessage };
enum class ModelCheck { kOpenAi, kAny };
enum class VariantSupport { kAll, kVideoOnly };

struct DialectSettings {
  CreatePath create_path = CreatePath::kVideos;
  guint create_status = 200;
  AnswerShape create_shape = AnswerShape::kBare;
  AnswerShape retrieve_shape = AnswerShape::kBare;
  IdStyle id_style = IdStyle::kVideo;
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

  // "openai", "newapi", "juhe", "zhaotou" or "legacy".
  static std::optional<DialectSettings> preset(const std::string &name);
  // "'openai', 'newapi', ... or 'legacy'", for error messages.
  static std::string preset_names();

  // A preset name, or an object of knobs applied over the preset named by its "preset" key
  // (default openai). Returns the reason when @node is not a valid dialect.
  static std::optional<std::string> parse(JsonNode *node, DialectSettings &settings);

  JsonNodePtr to_json() const;
};

// The API's collection path below /v1: "videos", "video" or "video/generations".
const char *create_path_name(CreatePath path);

// The field a completed video's download URL is put in ("url", "outputs.video_url"), if any.
std::optional<std::string> download_url_field(Download download);
