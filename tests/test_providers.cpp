/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Unit tests of the native providers' mapping, without a server: the
 * requests each builds (URL, body and its JSON types), the answers each
 * reads (from the providers' documented JSON), the values refused before
 * anything is paid for, and where each family's key may go. */
#include "core/gateway.h"
#include "core/event_stream.h"
#include "core/fal_queue.h"
#include "core/gemini_operations.h"
#include "core/input_schema.h"
#include "core/replicate_predictions.h"
#include "core/provider.h"

#include "assertions.h"

#include <json-glib/json-glib.h>

using namespace sora;

namespace {

/* The body's root object, parsed (the parser owns it). */
JsonObject *body_object(const RequestBody &body, JsonParser *parser) {
  g_assert_cmpstr(body.content_type.c_str(), ==, "application/json");
  gsize size = 0;
  const char *data = static_cast<const char *>(g_bytes_get_data(body.bytes.get(), &size));
  g_assert_true(json_parser_load_from_data(parser, data, static_cast<gssize>(size), nullptr));
  return json_node_get_object(json_parser_get_root(parser));
}

ProviderSettings gemini_settings() {
  ProviderSettings settings;
  settings.connection.gateway = Gateway::kGemini;
  settings.connection.base_url = "https://generativelanguage.googleapis.com/v1beta";
  settings.request.prompt = "A lighthouse at dusk";
  settings.request.model = "veo-3.0-generate-001";
  settings.request.seconds = 8;
  settings.request.size = "1280x720";
  return settings;
}

HttpResponse answer(const char *json, unsigned status = 200) {
  HttpResponse response;
  response.status = status;
  response.body.reset(g_bytes_new(json, strlen(json)));
  return response;
}

}  // namespace

/* The create: the model's :predictLongRunning, durationSeconds a JSON
 * integer, the size as aspectRatio and resolution, the image as base64,
 * the metadata's members among the parameters. */
static void test_gemini_create() {
  ProviderSettings settings = gemini_settings();
  settings.request.metadata = R"({"negativePrompt":"cartoon","seed":7})";
  ReferenceImage image;
  image.mime = "image/png";
  image.bytes.reset(g_bytes_new_static("\x89PNG", 4));
  settings.image = &image;
  std::unique_ptr<Provider> provider = make_provider(settings);
  g_assert_false(provider->check().has_value());
  HttpRequest request = provider->create_request();
  sora_assert_str_eq(request.method, "POST");
  sora_assert_str_eq(request.url, "https://generativelanguage.googleapis.com/v1beta/models/"
                                  "veo-3.0-generate-001:predictLongRunning");
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *body = body_object(request.body, parser);
  JsonObject *instance =
      json_array_get_object_element(json_object_get_array_member(body, "instances"), 0);
  sora_assert_str_eq(json_object_get_string_member(instance, "prompt"), "A lighthouse at dusk");
  JsonObject *picture = json_object_get_object_member(instance, "image");
  sora_assert_str_eq(json_object_get_string_member(picture, "bytesBase64Encoded"), "iVBORw==");
  sora_assert_str_eq(json_object_get_string_member(picture, "mimeType"), "image/png");
  JsonObject *parameters = json_object_get_object_member(body, "parameters");
  JsonNode *duration = json_object_get_member(parameters, "durationSeconds");
  g_assert_true(json_node_get_value_type(duration) == G_TYPE_INT64);
  g_assert_cmpint(json_node_get_int(duration), ==, 8);
  sora_assert_str_eq(json_object_get_string_member(parameters, "aspectRatio"), "16:9");
  sora_assert_str_eq(json_object_get_string_member(parameters, "resolution"), "720p");
  sora_assert_str_eq(json_object_get_string_member(parameters, "negativePrompt"), "cartoon");
  g_assert_cmpint(json_object_get_int_member(parameters, "seed"), ==, 7);

  /* Portrait 1080p (8 s); Veo 2 takes no resolution; seconds 0 and an
   * empty size leave them to the server. */
  settings = gemini_settings();
  settings.request.size = "1080x1920";
  parameters = json_object_get_object_member(
      body_object(make_provider(settings)->create_request().body, parser), "parameters");
  sora_assert_str_eq(json_object_get_string_member(parameters, "aspectRatio"), "9:16");
  sora_assert_str_eq(json_object_get_string_member(parameters, "resolution"), "1080p");
  settings.request.model = "veo-2.0-generate-001";
  settings.request.size = "720x1280";
  parameters = json_object_get_object_member(
      body_object(make_provider(settings)->create_request().body, parser), "parameters");
  sora_assert_str_eq(json_object_get_string_member(parameters, "aspectRatio"), "9:16");
  g_assert_false(json_object_has_member(parameters, "resolution"));
  settings.request.size = "";
  settings.request.seconds = 0;
  parameters = json_object_get_object_member(
      body_object(make_provider(settings)->create_request().body, parser), "parameters");
  g_assert_cmpuint(json_object_get_size(parameters), ==, 0);
}

/* Values Veo does not take are refused before any request, naming the
 * property and what is allowed. */
static void test_gemini_refusals() {
  ProviderSettings settings = gemini_settings();
  settings.request.seconds = 5;
  std::optional<SettingsProblem> problem = make_provider(settings)->check();
  g_assert_true(problem.has_value());
  sora_assert_str_eq(problem->property, "seconds");
  sora_assert_contains(problem->message, "'4', '6' or '8'");
  /* Veo 2 takes 5 to 8 s. */
  settings.request.model = "veo-2.0-generate-001";
  g_assert_false(make_provider(settings)->check().has_value());

  settings = gemini_settings();
  settings.request.size = "640x480";
  problem = make_provider(settings)->check();
  g_assert_true(problem.has_value());
  sora_assert_str_eq(problem->property, "size");
  sora_assert_contains(problem->message, "'1280x720'");
  sora_assert_contains(problem->message, "1080p");
  /* 1080p is 8 s only; 4k from Veo 3.1. */
  settings.request.size = "1920x1080";
  settings.request.seconds = 6;
  problem = make_provider(settings)->check();
  g_assert_true(problem.has_value());
  sora_assert_str_eq(problem->property, "seconds");
  settings.request.seconds = 8;
  settings.request.size = "3840x2160";
  g_assert_true(make_provider(settings)->check().has_value());
  settings.request.model = "veo-3.1-generate-preview";
  g_assert_false(make_provider(settings)->check().has_value());

  settings = gemini_settings();
  settings.request.metadata = R"({"durationSeconds": 6})";
  problem = make_provider(settings)->check();
  g_assert_true(problem.has_value());
  sora_assert_str_eq(problem->property, "metadata");

  settings = gemini_settings();
  settings.variant = "thumbnail";
  g_assert_true(make_provider(settings)->check().has_value());

  /* The element's default model, OpenAI's, is named as such. */
  settings = gemini_settings();
  settings.request.model = "sora-2";
  problem = make_provider(settings)->check();
  g_assert_true(problem.has_value());
  sora_assert_str_eq(problem->property, "model");
  sora_assert_contains(problem->message, "veo-3.0-generate-001");
}

/* The operation: its name is the task, polled at {base}/{name}; running
 * with or without "done"; the samples' URIs; errors and the filters. */
static void test_gemini_operations() {
  std::unique_ptr<Provider> provider = make_provider(gemini_settings());
  VideoObject video;
  std::string problem;
  std::optional<TaskHandle> task = provider->read_created(
      answer(R"({"name":"models/veo-3.0-generate-001/operations/op123"})"), &video, &problem);
  g_assert_true(task.has_value());
  sora_assert_str_eq(task->id, "models/veo-3.0-generate-001/operations/op123");
  g_assert_true(video.state == TaskState::kRunning);
  sora_assert_str_eq(provider->status_request(*task).url,
                     "https://generativelanguage.googleapis.com/v1beta/models/"
                     "veo-3.0-generate-001/operations/op123");

  std::optional<VideoObject> running =
      provider->read_status(answer(R"({"name":"x","done":false})"), *task, &problem);
  g_assert_true(running && running->state == TaskState::kRunning);
  sora_assert_str_eq(running->id, task->id);

  const char *done = R"({"name":"models/veo-3.0-generate-001/operations/op123","done":true,
    "response":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
    "generateVideoResponse":{"generatedSamples":[{"video":{"uri":
    "https://generativelanguage.googleapis.com/v1beta/files/abc:download?alt=media"}}]}}})";
  std::optional<VideoObject> finished = provider->read_status(answer(done), *task, &problem);
  g_assert_true(finished && finished->state == TaskState::kCompleted);
  std::vector<std::string> sources = provider->download_sources(*task, *finished);
  g_assert_cmpuint(sources.size(), ==, 1);
  sora_assert_str_eq(sources[0],
                     "https://generativelanguage.googleapis.com/v1beta/files/abc:download?alt=media");

  std::optional<VideoObject> failed = provider->read_status(
      answer(R"({"name":"n","done":true,"error":{"code":3,"message":"The prompt was blocked."}})"),
      *task, &problem);
  g_assert_true(failed && failed->state == TaskState::kFailed);
  sora_assert_contains(failed->error.describe(), "The prompt was blocked.");
  sora_assert_contains(failed->error.describe(), "INVALID_ARGUMENT");

  std::optional<VideoObject> filtered = provider->read_status(
      answer(R"({"name":"n","done":true,"response":{"generateVideoResponse":{
                 "raiMediaFilteredCount":1,"raiMediaFilteredReasons":
                 ["Unable to generate videos because of a celebrity likeness."]}}})"),
      *task, &problem);
  g_assert_true(filtered && filtered->state == TaskState::kFailed);
  sora_assert_contains(filtered->error.describe(), "celebrity likeness");
  sora_assert_contains(filtered->error.describe(), "safety filters");

  /* A name the server or the user gives that is no operation's. */
  for (const char *bad : {"", "models/../files", "models/x/operations/a b", "a//b"}) {
    g_assert_false(provider->handle_for_id(bad, &problem).has_value());
    g_assert_false(problem.empty());
  }
  g_assert_false(provider->read_created(answer(R"({"name":"../../etc"})"), &video, &problem));
  g_assert_false(provider->cancel_request(*task).has_value());
}

/* Each native family by its host, its key variables, and never OPENAI_*. */
static void test_native_endpoints() {
  for (const char *name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "GEMINI_API_KEY",
                           "GOOGLE_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN"})
    g_unsetenv(name);
  g_assert_true(gateway_for_url("https://generativelanguage.googleapis.com/v1beta") ==
                Gateway::kGemini);
  g_assert_true(gateway_for_url("https://queue.fal.run") == Gateway::kFal);
  g_assert_true(gateway_for_url("https://api.replicate.com/v1") == Gateway::kReplicate);
  g_assert_true(gateway_for_url("https://evil.example/queue.fal.run") == Gateway::kAuto);
  g_assert_true(gateway_profile(Gateway::kGemini).auth == AuthHeader::kGoogApiKey);
  g_assert_true(gateway_profile(Gateway::kFal).auth == AuthHeader::kKey);
  g_assert_true(gateway_profile(Gateway::kReplicate).auth == AuthHeader::kBearer);

  g_setenv("GOOGLE_API_KEY", "g-2", TRUE);
  g_setenv("OPENAI_API_KEY", "sk-openai", TRUE);
  g_setenv("OPENAI_BASE_URL", "http://127.0.0.1:8/v1", TRUE);
  Endpoint gemini = resolve_endpoint(Gateway::kGemini, "", "");
  sora_assert_str_eq(gemini.base_url, "https://generativelanguage.googleapis.com/v1beta");
  sora_assert_str_eq(gemini.api_key, "g-2");
  g_setenv("GEMINI_API_KEY", "g-1", TRUE);
  sora_assert_str_eq(resolve_endpoint(Gateway::kGemini, "", "").api_key, "g-1");
  /* Auto-picked by the host: Google's key, never OPENAI_API_KEY. */
  Endpoint picked =
      resolve_endpoint(Gateway::kAuto, "https://generativelanguage.googleapis.com/v1beta/", "");
  g_assert_true(picked.gateway == Gateway::kGemini);
  sora_assert_str_eq(picked.api_key, "g-1");
  /* Another host in auto mode: not Google's key. */
  Endpoint elsewhere = resolve_endpoint(Gateway::kAuto, "http://127.0.0.1:9/v1", "");
  g_assert_true(elsewhere.gateway == Gateway::kAuto);
  sora_assert_str_eq(elsewhere.api_key, "sk-openai");
  /* A native family never takes OPENAI_API_KEY, even for its own base URL. */
  g_unsetenv("GEMINI_API_KEY");
  g_unsetenv("GOOGLE_API_KEY");
  g_assert_true(resolve_endpoint(Gateway::kGemini, "http://127.0.0.1:9/v1beta", "").api_key.empty());
  g_setenv("FAL_KEY", "fal-1", TRUE);
  Endpoint fal = resolve_endpoint(Gateway::kFal, "", "");
  sora_assert_str_eq(fal.base_url, "https://queue.fal.run");
  sora_assert_str_eq(fal.api_key, "fal-1");
  g_assert_true(resolve_endpoint(Gateway::kGemini, "", "").api_key.empty());
  /* A provider's key never goes to a server that is not that provider's. */
  g_setenv("REPLICATE_API_TOKEN", "r8-1", TRUE);
  g_setenv("GEMINI_API_KEY", "g-1", TRUE);
  g_unsetenv("OPENAI_API_KEY");
  for (const char *url : {"http://127.0.0.1:9/v1", "https://openrouter.ai/api/v1"}) {
    Endpoint other = resolve_endpoint(Gateway::kAuto, url, "");
    g_assert_true(other.api_key.empty());
  }
  g_assert_true(resolve_endpoint(Gateway::kOpenRouter, "", "").api_key.empty());
  sora_assert_str_eq(resolve_endpoint(Gateway::kReplicate, "", "").api_key, "r8-1");
  sora_assert_str_eq(resolve_endpoint(Gateway::kAuto, "https://api.replicate.com/v1", "").api_key,
                     "r8-1");
  for (const char *name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "FAL_KEY", "REPLICATE_API_TOKEN",
                           "GEMINI_API_KEY"})
    g_unsetenv(name);
}

/* A fal OpenAPI document as fal publishes one (trimmed): the submit's
 * body refers to the input schema. */
constexpr char kFalOpenApi[] = R"({"openapi":"3.0.4","paths":{
  "/fal-ai/veo3":{"post":{"requestBody":{"content":{"application/json":{"schema":
    {"$ref":"#/components/schemas/Veo3TextToVideoInput"}}}}}}},
  "components":{"schemas":{"Veo3TextToVideoInput":{"type":"object","properties":{
    "prompt":{"type":"string"},
    "duration":{"type":"string","enum":["4s","6s","8s"],"default":"8s"},
    "aspect_ratio":{"type":"string","enum":["16:9","9:16"]},
    "resolution":{"type":"string","enum":["720p","1080p"]},
    "image_url":{"type":"string","format":"uri"},
    "seed":{"type":"integer"}}}}}})";

/* Replicate's model answer with Cog's allOf enums. */
constexpr char kReplicateModel[] = R"({"owner":"kwaivgi","name":"kling-v2.1-master",
  "latest_version":{"id":"abc","openapi_schema":{"components":{"schemas":{
    "Input":{"type":"object","properties":{
      "prompt":{"type":"string"},
      "duration":{"allOf":[{"$ref":"#/components/schemas/duration"}],"default":5},
      "aspect_ratio":{"allOf":[{"$ref":"#/components/schemas/aspect_ratio"}]},
      "start_image":{"type":"string","format":"uri"}}},
    "duration":{"type":"integer","enum":[5,10]},
    "aspect_ratio":{"type":"string","enum":["16:9","9:16","1:1"]}}}}}})";

std::string mapped(const VideoRequest &request, const InputSchema *schema,
                   const ConventionalInput &conventions, SettingsProblem *problem,
                   const ReferenceImage *image = nullptr) {
  std::optional<std::string> input = map_input(request, image, schema, conventions, problem);
  return input.value_or("");
}

/* The schema decides each field's name, type and form; a value outside it
 * is refused naming what is allowed. */
static void test_schema_mapping() {
  std::string problem;
  std::optional<InputSchema> fal = parse_fal_openapi(kFalOpenApi, &problem);
  g_assert_true(fal.has_value());
  fal->source = "the schema";
  VideoRequest request;
  request.prompt = "A kite";
  request.model = "fal-ai/veo3";
  request.seconds = 6;
  request.size = "720x1280";
  request.metadata = R"({"seed": 7})";
  SettingsProblem refused;
  sora_assert_str_eq(mapped(request, &*fal, {true, "image_url"}, &refused),
                     R"({"prompt":"A kite","duration":"6s","aspect_ratio":"9:16",)"
                     R"("resolution":"720p","seed":7})");
  ReferenceImage image;
  image.mime = "image/png";
  image.bytes.reset(g_bytes_new_static("\x89PNG", 4));
  sora_assert_contains(mapped(request, &*fal, {true, "image_url"}, &refused, &image),
                       R"("image_url":"data:image/png;base64,)");
  request.seconds = 5;
  g_assert_true(mapped(request, &*fal, {true, "image_url"}, &refused).empty());
  sora_assert_str_eq(refused.property, "seconds");
  sora_assert_contains(refused.message, "'4s', '6s' or '8s'");
  request.seconds = 4;
  request.metadata = R"({"cfg_scale": 0.5})";
  g_assert_true(mapped(request, &*fal, {true, "image_url"}, &refused).empty());
  sora_assert_str_eq(refused.property, "metadata");
  sora_assert_contains(refused.message, "cfg_scale");

  std::optional<InputSchema> cog = parse_replicate_model(kReplicateModel, &problem);
  g_assert_true(cog.has_value());
  const SchemaField *duration = cog->field("duration");
  g_assert_nonnull(duration);
  sora_assert_str_eq(duration->type, "integer");
  g_assert_cmpuint(duration->allowed.size(), ==, 2);
  request.metadata.clear();
  request.seconds = 10;
  request.size = "1280x720";
  sora_assert_str_eq(mapped(request, &*cog, {false, "image"}, &refused),
                     R"({"prompt":"A kite","duration":10,"aspect_ratio":"16:9"})");
  request.size = "640x480";
  g_assert_true(mapped(request, &*cog, {false, "image"}, &refused).empty());
  sora_assert_str_eq(refused.property, "size");
  sora_assert_contains(refused.message, "'16:9', '9:16' or '1:1'");

  /* No schema: the conventional names, each provider's duration type. */
  request.size = "1280x720";
  request.seconds = 5;
  sora_assert_str_eq(mapped(request, nullptr, {true, "image_url"}, &refused),
                     R"({"prompt":"A kite","duration":"5","aspect_ratio":"16:9"})");
  sora_assert_str_eq(mapped(request, nullptr, {false, "image"}, &refused),
                     R"({"prompt":"A kite","duration":5,"aspect_ratio":"16:9"})");
}

/* fal's answers: the URLs of the submit, the states, the result and the
 * failure's detail. */
static void test_fal_answers() {
  ProviderSettings settings;
  settings.connection.gateway = Gateway::kFal;
  settings.connection.base_url = "https://queue.fal.run";
  settings.request.model = "fal-ai/kling-video/v2.1/master/text-to-video";
  std::unique_ptr<Provider> provider = make_provider(settings);
  sora_assert_str_eq(provider->schema_request()->url,
                     "https://fal.ai/api/openapi/queue/openapi.json?endpoint_id="
                     "fal-ai/kling-video/v2.1/master/text-to-video");
  VideoObject video;
  std::string problem;
  std::optional<TaskHandle> task = provider->read_created(
      answer(R"({"request_id":"r-1","status_url":"https://queue.fal.run/fal-ai/kling-video/requests/r-1/status",
                 "response_url":"https://queue.fal.run/fal-ai/kling-video/requests/r-1",
                 "cancel_url":"https://queue.fal.run/fal-ai/kling-video/requests/r-1/cancel"})"),
      &video, &problem);
  g_assert_true(task.has_value());
  sora_assert_str_eq(provider->stream_request(*task)->url,
                     "https://queue.fal.run/fal-ai/kling-video/requests/r-1/status/stream");
  sora_assert_str_eq(provider->cancel_request(*task)->method, "PUT");
  /* An id alone: fal's documented form, below the app's first two segments. */
  sora_assert_str_eq(provider->handle_for_id("r-2", &problem)->status_url,
                     "https://queue.fal.run/fal-ai/kling-video/requests/r-2/status");
  std::optional<VideoObject> queued =
      provider->read_event(R"({"status":"IN_QUEUE","queue_position":2})", *task, &problem);
  g_assert_true(queued && queued->state == TaskState::kQueued);
  std::optional<VideoObject> done =
      provider->read_status(answer(R"({"status":"COMPLETED"})"), *task, &problem);
  g_assert_true(done && done->state == TaskState::kCompleted);
  g_assert_true(provider->result_request(*task, *done).has_value());
  std::optional<VideoObject> clip = provider->read_result(
      answer(R"({"video":{"url":"https://v3.fal.media/files/x/out.mp4"}})"), *task, *done,
      &problem);
  g_assert_true(clip && clip->state == TaskState::kCompleted);
  sora_assert_str_eq(provider->download_sources(*task, *clip)[0],
                     "https://v3.fal.media/files/x/out.mp4");
  std::optional<VideoObject> failed = provider->read_result(
      answer(R"({"detail":[{"loc":["body","duration"],"msg":"Input should be '5' or '10'",
                 "type":"literal_error"}]})", 422),
      *task, *done, &problem);
  g_assert_true(failed && failed->state == TaskState::kFailed);
  sora_assert_contains(failed->error.describe(), "body.duration: Input should be '5' or '10'");
}

/* Replicate's predictions: urls.get, the output as a URL or a list, the
 * error text. */
static void test_replicate_answers() {
  ProviderSettings settings;
  settings.connection.gateway = Gateway::kReplicate;
  settings.connection.base_url = "https://api.replicate.com/v1";
  settings.request.model = "kwaivgi/kling-v2.1-master";
  settings.request.prompt = "A kite";
  settings.request.seconds = 5;
  settings.request.size = "";
  std::unique_ptr<Provider> provider = make_provider(settings);
  HttpRequest create = provider->create_request();
  sora_assert_str_eq(create.url,
                     "https://api.replicate.com/v1/models/kwaivgi/kling-v2.1-master/predictions");
  sora_assert_str_eq(std::string(bytes_view(create.body.bytes.get())),
                     R"({"input":{"prompt":"A kite","duration":5}})");
  VideoObject video;
  std::string problem;
  std::optional<TaskHandle> task = provider->read_created(
      answer(R"({"id":"abc123","status":"starting","urls":{"get":"https://api.replicate.com/v1/predictions/abc123",
                 "cancel":"https://api.replicate.com/v1/predictions/abc123/cancel"}})", 201),
      &video, &problem);
  g_assert_true(task.has_value());
  g_assert_true(video.state == TaskState::kQueued);
  sora_assert_str_eq(provider->status_request(*task).url,
                     "https://api.replicate.com/v1/predictions/abc123");
  std::optional<VideoObject> list = provider->read_status(
      answer(R"({"id":"abc123","status":"succeeded","output":["https://replicate.delivery/a.mp4"]})"),
      *task, &problem);
  g_assert_true(list && list->state == TaskState::kCompleted);
  sora_assert_str_eq(list->download_urls[0], "https://replicate.delivery/a.mp4");
  std::optional<VideoObject> failed = provider->read_status(
      answer(R"j({"id":"abc123","status":"failed","error":"flagged as sensitive (E005)"})j"), *task,
      &problem);
  g_assert_true(failed && failed->state == TaskState::kFailed);
  sora_assert_contains(failed->error.describe(), "E005");
  settings.request.model = "kwaivgi/kling-v2.1-master:0123abcd";
  sora_assert_str_eq(make_provider(settings)->create_request().url,
                     "https://api.replicate.com/v1/predictions");
  settings.request.model = "kling";
  g_assert_true(make_provider(settings)->check().has_value());
}

/* Server-sent events in pieces: data lines joined, comments skipped, CRLF. */
static void test_event_parser() {
  EventParser parser;
  std::vector<std::string> events;
  auto take = [&events](const std::string &e) { events.push_back(e); };
  g_assert_true(parser.feed(": keep-alive\n\ndata: {\"status\":", take));
  g_assert_true(parser.feed("\"IN_QUEUE\"}\r", take));
  g_assert_true(parser.feed("\n\r\ndata: a\ndata: b\nevent: x\n\n", take));
  g_assert_cmpuint(events.size(), ==, 2);
  sora_assert_str_eq(events[0], "{\"status\":\"IN_QUEUE\"}");
  sora_assert_str_eq(events[1], "a\nb");
  EventParser flooded;
  g_assert_false(flooded.feed("data: " + std::string(kMaxEventBytes + 1, 'x'), take));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/providers/gemini/create", test_gemini_create);
  g_test_add_func("/providers/gemini/refusals", test_gemini_refusals);
  g_test_add_func("/providers/gemini/operations", test_gemini_operations);
  g_test_add_func("/providers/native-endpoints", test_native_endpoints);
  g_test_add_func("/providers/schema-mapping", test_schema_mapping);
  g_test_add_func("/providers/fal/answers", test_fal_answers);
  g_test_add_func("/providers/replicate/answers", test_replicate_answers);
  g_test_add_func("/providers/event-parser", test_event_parser);
  return g_test_run();
}
