/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The emulator's native provider presets (gemini, fal, replicate) spoken to
 * directly over HTTP, so that the element's own tests can rely on them: the
 * whole flow of each provider down to the bytes on the CDN host, its
 * refusals with the provider's own error shapes, the keys it checks, its
 * failure knobs, and what the request log records. */
#include "assertions.h"
#include "emulator_process.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <string>
#include <utility>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  unsigned status = 0;
  std::string body;
  std::string location;
  std::string retry_after;
  std::string content_type;
  std::string fal_error_type; /* the X-Fal-Error-Type header */
  JsonNode *json = nullptr;   /* null unless the body is JSON */

  Reply() = default;
  Reply(const Reply &) = delete;
  Reply &operator=(const Reply &) = delete;
  ~Reply() {
    if (json)
      json_node_unref(json);
  }
};

/* One HTTP request, redirects not followed; `dropped` says the connection
 * closed without an answer. */
void call(Reply &reply, const char *method, const std::string &url, const Headers &headers,
          const std::string &body = "", bool *dropped = nullptr) {
  g_autoptr(SoupSession) session = soup_session_new();
  g_autoptr(SoupMessage) msg = soup_message_new(method, url.c_str());
  g_assert_nonnull(msg);
  soup_message_add_flags(msg, SOUP_MESSAGE_NO_REDIRECT);
  for (const auto &[name, value] : headers)
    soup_message_headers_replace(soup_message_get_request_headers(msg), name.c_str(),
                                 value.c_str());
  if (!body.empty()) {
    g_autoptr(GBytes) bytes = g_bytes_new(body.data(), body.size());
    soup_message_set_request_body_from_bytes(msg, "application/json", bytes);
  }
  g_autoptr(GError) error = nullptr;
  g_autoptr(GBytes) answer = soup_session_send_and_read(session, msg, nullptr, &error);
  if (dropped) {
    *dropped = answer == nullptr;
    if (!answer)
      return;
  }
  if (!answer)
    g_error("%s %s failed: %s", method, url.c_str(), error->message);
  reply.status = soup_message_get_status(msg);
  gsize size = 0;
  const char *data = static_cast<const char *>(g_bytes_get_data(answer, &size));
  reply.body.assign(data ? data : "", size);
  SoupMessageHeaders *response = soup_message_get_response_headers(msg);
  const char *location = soup_message_headers_get_one(response, "Location");
  reply.location = location ? location : "";
  const char *retry_after = soup_message_headers_get_one(response, "Retry-After");
  reply.retry_after = retry_after ? retry_after : "";
  const char *error_type = soup_message_headers_get_one(response, "X-Fal-Error-Type");
  reply.fal_error_type = error_type ? error_type : "";
  const char *type = soup_message_headers_get_content_type(response, nullptr);
  reply.content_type = type ? type : "";
  if (reply.content_type == "application/json") {
    reply.json = json_from_string(reply.body.c_str(), &error);
    g_assert_no_error(error);
  }
}

/* The node at a path of member names and array indices ("a.b.0.c"), or
 * null when there is none. */
JsonNode *at(JsonNode *node, const std::string &path) {
  g_auto(GStrv) parts = g_strsplit(path.c_str(), ".", -1);
  for (char **part = parts; node && *part; part++) {
    if (JSON_NODE_HOLDS_OBJECT(node)) {
      node = json_object_get_member(json_node_get_object(node), *part);
    } else if (JSON_NODE_HOLDS_ARRAY(node)) {
      JsonArray *array = json_node_get_array(node);
      guint64 index = g_ascii_strtoull(*part, nullptr, 10);
      node = index < json_array_get_length(array) ? json_array_get_element(array, index) : nullptr;
    } else {
      node = nullptr;
    }
  }
  return node;
}

std::string text_at(JsonNode *node, const std::string &path) {
  JsonNode *found = at(node, path);
  if (!found)
    return "<absent>";
  if (JSON_NODE_HOLDS_VALUE(found) && json_node_get_value_type(found) == G_TYPE_STRING)
    return json_node_get_string(found);
  g_autofree char *text = json_to_string(found, FALSE);
  return text;
}

gint64 int_at(JsonNode *node, const std::string &path) {
  JsonNode *found = at(node, path);
  g_assert_nonnull(found);
  g_assert_cmpint(json_node_get_value_type(found), ==, G_TYPE_INT64);
  return json_node_get_int(found);
}

std::string root_of(EmulatorProcess &emulator) {
  const std::string &base = emulator.base_url();
  return base.substr(0, base.rfind("/v1"));
}

std::string host_of(const std::string &url) {
  g_autoptr(GUri) uri = g_uri_parse(url.c_str(), G_URI_FLAGS_NONE, nullptr);
  g_assert_nonnull(uri);
  return std::string(g_uri_get_host(uri)) + ":" + std::to_string(g_uri_get_port(uri));
}

/* The file the emulator rendered for a task, byte for byte. */
std::string file_bytes(const std::string &path) {
  g_autofree char *contents = nullptr;
  gsize size = 0;
  g_autoptr(GError) error = nullptr;
  g_assert_true(g_file_get_contents(path.c_str(), &contents, &size, &error));
  return std::string(contents, size);
}

/* The CDN request recorded for `path`: its key headers must be none. */
void assert_cdn_saw_no_key(EmulatorProcess &emulator) {
  size_t cdn_requests = 0;
  for (const auto &seen : emulator.requests()) {
    JsonObject *record = seen.record;
    if (g_strcmp0(json_object_get_string_member(record, "host"), "cdn") != 0)
      continue;
    cdn_requests++;
    g_assert_false(json_object_get_boolean_member(record, "key_sent"));
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(record, "key_headers")), ==,
                     0);
  }
  g_assert_cmpuint(cdn_requests, >, 0);
}

/* Downloads `url` from the CDN host without a key and compares it with the
 * clip rendered for the task. */
void assert_cdn_serves_clip(EmulatorProcess &emulator, const std::string &url,
                            const std::string &task_id) {
  Reply video;
  call(video, "GET", url, {});
  g_assert_cmpuint(video.status, ==, 200);
  g_assert_true(video.body == file_bytes(emulator.rendered_clip(task_id)));
  assert_cdn_saw_no_key(emulator);
}

/* ---- gemini ---- */

const Headers kGoogleKey = {{"x-goog-api-key", kTestKey}};

std::string veo_url(EmulatorProcess &emulator, const char *model = "veo-3.1-generate-preview") {
  return root_of(emulator) + "/v1beta/models/" + model + ":predictLongRunning";
}

void assert_google_error(const Reply &reply, unsigned status, const char *canonical,
                         const char *words) {
  g_assert_cmpuint(reply.status, ==, status);
  g_assert_cmpint(int_at(reply.json, "error.code"), ==, status);
  sora_assert_str_eq(text_at(reply.json, "error.status"), canonical);
  sora_assert_contains(text_at(reply.json, "error.message"), words);
}

/* Polls the operation until it is done; while it runs, `done` is absent. */
void poll_operation(EmulatorProcess &emulator, const std::string &name, Reply &done) {
  sora_test::wait_until("the operation to be done", [&] {
    Reply poll;
    call(poll, "GET", root_of(emulator) + "/v1beta/" + name, kGoogleKey);
    g_assert_cmpuint(poll.status, ==, 200);
    sora_assert_str_eq(text_at(poll.json, "name"), name);
    if (!at(poll.json, "done"))
      return false;
    sora_assert_str_eq(text_at(poll.json, "done"), "true");
    call(done, "GET", root_of(emulator) + "/v1beta/" + name, kGoogleKey);
    return true;
  });
}

void test_gemini_whole() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  Reply created;
  call(created, "POST", veo_url(emulator), kGoogleKey,
       R"({"instances":[{"prompt":"a red ball"}],)"
       R"("parameters":{"aspectRatio":"9:16","durationSeconds":4,"resolution":"720p",)"
       R"("negativePrompt":"blur"}})");
  g_assert_cmpuint(created.status, ==, 200);
  std::string name = text_at(created.json, "name");
  g_assert_true(g_str_has_prefix(name.c_str(), "models/veo-3.1-generate-preview/operations/"));
  std::string id = name.substr(name.rfind('/') + 1);

  Reply done;
  poll_operation(emulator, name, done);
  g_assert_null(at(done.json, "error"));
  std::string uri =
      text_at(done.json, "response.generateVideoResponse.generatedSamples.0.video.uri");
  sora_assert_str_eq(host_of(uri), host_of(emulator.base_url()));

  /* The file URL needs the key and redirects to another host. */
  Reply keyless;
  call(keyless, "GET", uri, {});
  assert_google_error(keyless, 403, "PERMISSION_DENIED", "unregistered callers");
  Reply redirect;
  call(redirect, "GET", uri, kGoogleKey);
  g_assert_cmpuint(redirect.status, ==, 302);
  g_assert_true(host_of(redirect.location) != host_of(emulator.base_url()));
  assert_cdn_serves_clip(emulator, redirect.location, id);

  /* The clip is what was asked for: portrait 720p, 4 s at Veo's 24 fps. */
  emulator.for_each_task([](JsonObject *task) {
    g_assert_cmpint(json_object_get_int_member(task, "width"), ==, 720);
    g_assert_cmpint(json_object_get_int_member(task, "height"), ==, 1280);
    g_assert_cmpint(json_object_get_int_member(task, "fps"), ==, 24);
    JsonArray *segments = json_object_get_array_member(task, "segments");
    g_assert_cmpint(
        json_object_get_int_member(json_array_get_object_element(segments, 0), "seconds"), ==, 4);
  });

  /* The create is recorded with its key header and its body as sent. */
  auto creates =
      emulator.requests("POST", "/v1beta/models/veo-3.1-generate-preview:predictLongRunning");
  g_assert_cmpuint(creates.size(), ==, 1);
  JsonObject *record = creates[0].record;
  sora_assert_str_eq(json_object_get_string_member(record, "route"), "create");
  JsonObject *headers = json_object_get_object_member(record, "headers");
  sora_assert_str_eq(json_object_get_string_member(headers, "x-goog-api-key"), kTestKey);
  g_assert_false(json_object_has_member(headers, "authorization"));
  JsonNode *json = json_object_get_member(record, "json");
  g_assert_cmpint(json_node_get_value_type(at(json, "parameters.durationSeconds")), ==,
                  G_TYPE_INT64);
}

void test_gemini_running_operation_has_no_done() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  emulator.configure(R"({"stall_next": true})");
  Reply created;
  call(created, "POST", veo_url(emulator), kGoogleKey, R"({"instances":[{"prompt":"a cat"}]})");
  g_assert_cmpuint(created.status, ==, 200);
  Reply poll;
  call(poll, "GET", root_of(emulator) + "/v1beta/" + text_at(created.json, "name"), kGoogleKey);
  g_assert_cmpuint(poll.status, ==, 200);
  g_assert_null(at(poll.json, "done"));
  g_assert_null(at(poll.json, "response"));
  g_assert_null(at(poll.json, "error"));
}

void test_gemini_keys() {
  EmulatorProcess emulator({"--dialect", "gemini", "--forbidden-key", "banned-key"});
  const std::string body = R"({"instances":[{"prompt":"a cat"}]})";
  Reply bearer;
  call(bearer, "POST", veo_url(emulator), {{"Authorization", std::string("Bearer ") + kTestKey}},
       body);
  assert_google_error(bearer, 401, "UNAUTHENTICATED", "Expected OAuth 2 access token");
  Reply none;
  call(none, "POST", veo_url(emulator), {}, body);
  assert_google_error(none, 403, "PERMISSION_DENIED", "unregistered callers");
  Reply wrong;
  call(wrong, "POST", veo_url(emulator), {{"x-goog-api-key", "AIza-wrong"}}, body);
  assert_google_error(wrong, 400, "INVALID_ARGUMENT", "API key not valid");
  Reply banned;
  call(banned, "POST", veo_url(emulator), {{"x-goog-api-key", "banned-key"}}, body);
  assert_google_error(banned, 403, "PERMISSION_DENIED", "suspended");
  g_assert_cmpuint(emulator.task_count(), ==, 0);
  /* Google also takes the key as a query parameter. */
  Reply query;
  call(query, "POST", veo_url(emulator) + "?key=" + kTestKey, {}, body);
  g_assert_cmpuint(query.status, ==, 200);
}

void test_gemini_refusals() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  struct Case {
    const char *parameters;
    const char *words;
  } cases[] = {
      {R"({"durationSeconds":"8"})", "expected an integer"},
      {R"({"durationSeconds":5})", "Supported values: 4, 6, 8"},
      {R"({"aspectRatio":"1:1"})", "Supported values: 16:9, 9:16"},
      {R"({"resolution":"480p"})", "Supported values: 720p, 1080p, 4k"},
      {R"({"resolution":"1080p","durationSeconds":4})", "only supported with durationSeconds 8"},
      {R"({"generateAudio":true})", "`generateAudio` isn't supported by this model"},
  };
  for (const Case &c : cases) {
    Reply refused;
    call(refused, "POST", veo_url(emulator), kGoogleKey,
         std::string(R"({"instances":[{"prompt":"a cat"}],"parameters":)") + c.parameters + "}");
    assert_google_error(refused, 400, "INVALID_ARGUMENT", c.words);
  }
  Reply no_prompt;
  call(no_prompt, "POST", veo_url(emulator), kGoogleKey, R"({"instances":[{}]})");
  assert_google_error(no_prompt, 400, "INVALID_ARGUMENT", "prompt");
  Reply unknown;
  call(unknown, "POST", veo_url(emulator, "veo-9"), kGoogleKey,
       R"({"instances":[{"prompt":"a cat"}]})");
  assert_google_error(unknown, 404, "NOT_FOUND", "models/veo-9 is not found");
  /* Veo 2 takes other lengths and no resolution. */
  Reply veo2;
  call(veo2, "POST", veo_url(emulator, "veo-2.0-generate-001"), kGoogleKey,
       R"({"instances":[{"prompt":"a cat"}],"parameters":{"durationSeconds":4}})");
  assert_google_error(veo2, 400, "INVALID_ARGUMENT", "Supported values: 5, 6, 7, 8");
  g_assert_cmpuint(emulator.task_count(), ==, 0);
}

void test_gemini_failures() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  emulator.configure(R"({"fail_next": {"code": "INTERNAL", "message": "Veo broke."}})");
  Reply created;
  call(created, "POST", veo_url(emulator), kGoogleKey, R"({"instances":[{"prompt":"a cat"}]})");
  Reply failed;
  poll_operation(emulator, text_at(created.json, "name"), failed);
  g_assert_cmpint(int_at(failed.json, "error.code"), ==, 13);
  sora_assert_str_eq(text_at(failed.json, "error.message"), "Veo broke.");
  g_assert_null(at(failed.json, "response"));

  emulator.configure(R"({"filter_next": ["Support codes: 58061214"]})");
  Reply second;
  call(second, "POST", veo_url(emulator), kGoogleKey, R"({"instances":[{"prompt":"a dog"}]})");
  Reply filtered;
  poll_operation(emulator, text_at(second.json, "name"), filtered);
  g_assert_null(at(filtered.json, "error"));
  g_assert_cmpint(int_at(filtered.json, "response.generateVideoResponse.raiMediaFilteredCount"), ==,
                  1);
  sora_assert_str_eq(
      text_at(filtered.json, "response.generateVideoResponse.raiMediaFilteredReasons.0"),
      "Support codes: 58061214");
  g_assert_null(at(filtered.json, "response.generateVideoResponse.generatedSamples"));
}

void test_gemini_faults_and_image() {
  EmulatorProcess emulator({"--dialect", "gemini"});
  emulator.configure(
      R"({"faults": [{"route": "create", "action": "status", "status": 429, "times": 1,)"
      R"( "headers": {"Retry-After": "1"}},)"
      R"( {"route": "retrieve", "action": "drop", "times": 1}]})");
  /* A 1x1 PNG as instances[0].image. */
  const char *png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJg"
      "gg==";
  std::string body =
      std::string(R"({"instances":[{"prompt":"a cat","image":{"bytesBase64Encoded":")") + png +
      R"(","mimeType":"image/png"}}]})";
  Reply limited;
  call(limited, "POST", veo_url(emulator), kGoogleKey, body);
  assert_google_error(limited, 429, "RESOURCE_EXHAUSTED", "Resource has been exhausted");
  sora_assert_str_eq(limited.retry_after, "1");
  g_assert_cmpuint(emulator.task_count(), ==, 0);
  Reply created;
  call(created, "POST", veo_url(emulator), kGoogleKey, body);
  g_assert_cmpuint(created.status, ==, 200);
  bool dropped = false;
  Reply lost;
  call(lost, "GET", root_of(emulator) + "/v1beta/" + text_at(created.json, "name"), kGoogleKey, "",
       &dropped);
  g_assert_true(dropped);
  emulator.for_each_task([](JsonObject *task) {
    JsonObject *image = json_object_get_object_member(task, "input_reference");
    sora_assert_str_eq(json_object_get_string_member(image, "kind"), "base64");
    sora_assert_str_eq(json_object_get_string_member(image, "content_type"), "image/png");
    g_assert_cmpint(json_object_get_int_member(image, "width"), ==, 1);
  });
}

/* ---- fal ---- */

const Headers kFalKey = {{"Authorization", std::string("Key ") + kTestKey}};
constexpr char kKling[] = "fal-ai/kling-video/v2.1/master/text-to-video";
constexpr char kWan[] = "fal-ai/wan/v2.2-a14b/image-to-video";

void assert_fal_detail(const Reply &reply, unsigned status, const char *words) {
  g_assert_cmpuint(reply.status, ==, status);
  sora_assert_contains(text_at(reply.json, "detail"), words);
}

/* The 422 of pydantic: detail[i] with loc ["body", field], msg and type. */
void assert_fal_invalid(const Reply &reply, const char *field, const char *type,
                        const char *words) {
  g_assert_cmpuint(reply.status, ==, 422);
  JsonArray *detail = json_node_get_array(at(reply.json, "detail"));
  for (guint i = 0; i < json_array_get_length(detail); i++) {
    JsonNode *item = json_array_get_element(detail, i);
    if (text_at(item, "loc.1") != field)
      continue;
    sora_assert_str_eq(text_at(item, "loc.0"), "body");
    sora_assert_str_eq(text_at(item, "type"), type);
    sora_assert_contains(text_at(item, "msg"), words);
    return;
  }
  g_error("no detail names %s in %s", field, reply.body.c_str());
}

/* Polls status_url until COMPLETED; returns the last status. */
void poll_fal(const std::string &status_url, Reply &completed) {
  sora_test::wait_until("the fal request to complete", [&] {
    Reply poll;
    call(poll, "GET", status_url, kFalKey);
    g_assert_cmpuint(poll.status, ==, 200);
    if (text_at(poll.json, "status") != "COMPLETED")
      return false;
    call(completed, "GET", status_url, kFalKey);
    return true;
  });
}

void test_fal_whole() {
  EmulatorProcess emulator({"--dialect", "fal"});
  std::string root = root_of(emulator);
  Reply created;
  call(created, "POST", root + "/" + kKling, kFalKey,
       R"({"prompt":"a red ball","duration":"5","aspect_ratio":"9:16","cfg_scale":0.5})");
  g_assert_cmpuint(created.status, ==, 200);
  sora_assert_str_eq(text_at(created.json, "status"), "IN_QUEUE");
  g_assert_cmpint(int_at(created.json, "queue_position"), >=, 0);
  std::string id = text_at(created.json, "request_id");
  /* The URLs name the app's owner and alias only. */
  std::string base = root + "/fal-ai/kling-video/requests/" + id;
  sora_assert_str_eq(text_at(created.json, "response_url"), base);
  sora_assert_str_eq(text_at(created.json, "status_url"), base + "/status");
  sora_assert_str_eq(text_at(created.json, "cancel_url"), base + "/cancel");

  Reply completed;
  poll_fal(base + "/status", completed);
  g_assert_null(at(completed.json, "error"));
  Reply result;
  call(result, "GET", base, kFalKey);
  g_assert_cmpuint(result.status, ==, 200);
  std::string url = text_at(result.json, "video.url");
  g_assert_true(host_of(url) != host_of(emulator.base_url()));
  sora_assert_str_eq(text_at(result.json, "video.content_type"), "video/mp4");
  assert_cdn_serves_clip(emulator, url, id);
  emulator.for_each_task([](JsonObject *task) {
    g_assert_cmpint(json_object_get_int_member(task, "width"), ==, 720);
    g_assert_cmpint(json_object_get_int_member(task, "height"), ==, 1280);
    JsonArray *segments = json_object_get_array_member(task, "segments");
    g_assert_cmpint(
        json_object_get_int_member(json_array_get_object_element(segments, 0), "seconds"), ==, 5);
  });
  auto creates = emulator.requests("POST", std::string("/") + kKling);
  g_assert_cmpuint(creates.size(), ==, 1);
  JsonObject *headers = json_object_get_object_member(creates[0].record, "headers");
  sora_assert_str_eq(json_object_get_string_member(headers, "authorization"),
                     std::string("Key ") + kTestKey);
}

void test_fal_schemas() {
  EmulatorProcess emulator({"--dialect", "fal"});
  std::string root = root_of(emulator);
  /* Public: no key needed. */
  Reply kling;
  call(kling, "GET", root + "/api/openapi/queue/openapi.json?endpoint_id=" + kKling, {});
  g_assert_cmpuint(kling.status, ==, 200);
  JsonNode *input = at(kling.json, "components.schemas.KlingVideoV21MasterTextToVideoInput");
  g_assert_nonnull(input);
  sora_assert_str_eq(text_at(input, "properties.duration.type"), "string");
  sora_assert_str_eq(text_at(input, "properties.duration.enum"), R"(["5","10"])");
  sora_assert_str_eq(text_at(input, "properties.aspect_ratio.enum"), R"(["16:9","9:16","1:1"])");
  sora_assert_str_eq(text_at(input, "required"), R"(["prompt"])");
  JsonObject *paths = json_node_get_object(at(kling.json, "paths"));
  g_assert_nonnull(json_object_get_member(paths, (std::string("/") + kKling).c_str()));
  g_assert_nonnull(
      json_object_get_member(paths, "/fal-ai/kling-video/requests/{request_id}/status"));
  Reply veo;
  call(veo, "GET", root + "/api/openapi/queue/openapi.json?endpoint_id=fal-ai/veo3", {});
  sora_assert_str_eq(
      text_at(veo.json, "components.schemas.Veo3TextToVideoInput.properties.duration.enum"),
      R"(["4s","6s","8s"])");
  Reply wan;
  call(wan, "GET", root + "/api/openapi/queue/openapi.json?endpoint_id=" + kWan, {});
  JsonNode *wan_input = at(wan.json, "components.schemas.WanV22A14bImageToVideoInput");
  sora_assert_str_eq(text_at(wan_input, "properties.num_frames.type"), "integer");
  sora_assert_str_eq(text_at(wan_input, "properties.frames_per_second.default"), "16");
  sora_assert_str_eq(text_at(wan_input, "properties.image_url.format"), "uri");
  sora_assert_str_eq(text_at(wan_input, "required"), R"(["prompt","image_url"])");
  Reply unknown;
  call(unknown, "GET", root + "/api/openapi/queue/openapi.json?endpoint_id=fal-ai/nothing", {});
  assert_fal_detail(unknown, 404, "fal-ai/nothing");
}

void test_fal_refusals() {
  EmulatorProcess emulator({"--dialect", "fal", "--forbidden-key", "banned"});
  std::string kling = root_of(emulator) + "/" + kKling;
  Reply number;
  call(number, "POST", kling, kFalKey, R"({"prompt":"a cat","duration":5})");
  assert_fal_invalid(number, "duration", "string_type", "Input should be a valid string");
  Reply seven;
  call(seven, "POST", kling, kFalKey, R"({"prompt":"a cat","duration":"7"})");
  assert_fal_invalid(seven, "duration", "literal_error", "Input should be '5' or '10'");
  Reply no_prompt;
  call(no_prompt, "POST", kling, kFalKey, R"({"aspect_ratio":"4:3"})");
  assert_fal_invalid(no_prompt, "prompt", "missing", "Field required");
  assert_fal_invalid(no_prompt, "aspect_ratio", "literal_error", "'16:9', '9:16' or '1:1'");
  Reply frames;
  call(frames, "POST", root_of(emulator) + "/" + kWan, kFalKey,
       R"({"prompt":"a cat","image_url":"https://example.com/a.png","num_frames":500})");
  assert_fal_invalid(frames, "num_frames", "less_than_equal", "less than or equal to 161");
  Reply no_image;
  call(no_image, "POST", root_of(emulator) + "/" + kWan, kFalKey, R"({"prompt":"a cat"})");
  assert_fal_invalid(no_image, "image_url", "missing", "Field required");
  Reply app;
  call(app, "POST", root_of(emulator) + "/fal-ai/unknown-model", kFalKey, R"({"prompt":"x"})");
  assert_fal_detail(app, 404, "fal-ai/unknown-model");

  Reply bearer;
  call(bearer, "POST", kling, {{"Authorization", std::string("Bearer ") + kTestKey}},
       R"({"prompt":"a cat"})");
  assert_fal_detail(bearer, 401, "Authentication is required");
  Reply wrong;
  call(wrong, "POST", kling, {{"Authorization", "Key wrong:secret"}}, R"({"prompt":"a cat"})");
  assert_fal_detail(wrong, 401, "No user found for Key ID and Secret");
  Reply banned;
  call(banned, "POST", kling, {{"Authorization", "Key banned"}}, R"({"prompt":"a cat"})");
  assert_fal_detail(banned, 403, "Exhausted balance");
  g_assert_cmpuint(emulator.task_count(), ==, 0);
}

/* A data URL image, num_frames at the app's frame rate, and a number sent
 * as a string (pydantic's lax mode takes it, as fal does). */
void test_fal_image_and_frames() {
  EmulatorProcess emulator({"--dialect", "fal"});
  Reply created;
  call(
      created, "POST", root_of(emulator) + "/" + kWan, kFalKey,
      R"({"prompt":"a cat","image_url":"data:image/png;base64,)"
      R"(iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",)"
      R"("num_frames":"81","resolution":"480p","aspect_ratio":"1:1"})");
  g_assert_cmpuint(created.status, ==, 200);
  emulator.for_each_task([](JsonObject *task) {
    g_assert_cmpint(json_object_get_int_member(task, "fps"), ==, 16);
    g_assert_cmpint(json_object_get_int_member(task, "width"), ==, 480);
    g_assert_cmpint(json_object_get_int_member(task, "height"), ==, 480);
    JsonArray *segments = json_object_get_array_member(task, "segments");
    g_assert_cmpint(
        json_object_get_int_member(json_array_get_object_element(segments, 0), "seconds"), ==, 5);
    JsonObject *image = json_object_get_object_member(task, "input_reference");
    sora_assert_str_eq(json_object_get_string_member(image, "kind"), "data_url");
    sora_assert_str_eq(json_object_get_string_member(image, "field"), "image_url");
  });
  auto creates = emulator.requests("POST", std::string("/") + kWan);
  JsonArray *images = json_object_get_array_member(creates[0].record, "images");
  g_assert_cmpuint(json_array_get_length(images), ==, 1);
}

/* Server-sent events: the status object on every change, keep-alive
 * comments between, COMPLETED last, then the body ends. */
void test_fal_stream() {
  EmulatorProcess emulator({"--dialect", "fal"});
  /* A second in the queue gives ticks with nothing new, whatever the load. */
  emulator.configure(R"({"stream_keepalive_ms": 20, "queue_ms": 1000})");
  Reply created;
  call(created, "POST", root_of(emulator) + "/" + kKling, kFalKey, R"({"prompt":"a cat"})");
  Reply events;
  call(events, "GET", text_at(created.json, "status_url") + "/stream", kFalKey);
  g_assert_cmpuint(events.status, ==, 200);
  sora_assert_str_eq(events.content_type, "text/event-stream");
  g_auto(GStrv) lines = g_strsplit(events.body.c_str(), "\n", -1);
  std::vector<std::string> statuses;
  bool keep_alive = false;
  for (char **line = lines; *line; line++) {
    if (g_str_has_prefix(*line, ":"))
      keep_alive = true;
    if (!g_str_has_prefix(*line, "data: "))
      continue;
    g_autoptr(GError) error = nullptr;
    JsonNode *event = json_from_string(*line + 6, &error);
    g_assert_no_error(error);
    statuses.push_back(text_at(event, "status"));
    sora_assert_str_eq(text_at(event, "request_id"), text_at(created.json, "request_id"));
    json_node_unref(event);
  }
  g_assert_true(keep_alive);
  g_assert_cmpuint(statuses.size(), >=, 1);
  sora_assert_str_eq(statuses.back(), "COMPLETED");
  for (size_t i = 0; i + 1 < statuses.size(); i++)
    g_assert_true(statuses[i] != "COMPLETED");

  /* A truncate fault breaks the stream mid-way: the connection closes after
   * 20 bytes (libsoup may hand those over without an error). */
  emulator.configure(
      R"({"faults": [{"route": "stream", "action": "truncate", "after_bytes": 20}]})");
  Reply second;
  call(second, "POST", root_of(emulator) + "/" + kKling, kFalKey, R"({"prompt":"a dog"})");
  bool dropped = false;
  Reply broken;
  call(broken, "GET", text_at(second.json, "status_url") + "/stream", kFalKey, "", &dropped);
  g_assert_true(dropped || broken.body.size() <= 20);
  auto streams =
      emulator.requests("GET", "/fal-ai/kling-video/requests/" +
                                   text_at(second.json, "request_id") + "/status/stream");
  g_assert_cmpuint(streams.size(), ==, 1);
  sora_assert_str_eq(json_object_get_string_member(streams[0].record, "fault"), "truncate");
}

void test_fal_cancel_and_logs() {
  EmulatorProcess emulator({"--dialect", "fal"});
  emulator.configure(R"({"stall_next": true})");
  Reply created;
  call(created, "POST", root_of(emulator) + "/" + kKling, kFalKey, R"({"prompt":"a cat"})");
  std::string status_url = text_at(created.json, "status_url");
  sora_test::wait_until("IN_PROGRESS", [&] {
    Reply poll;
    call(poll, "GET", status_url + "?logs=1", kFalKey);
    if (text_at(poll.json, "status") != "IN_PROGRESS")
      return false;
    g_assert_true(JSON_NODE_HOLDS_ARRAY(at(poll.json, "logs")));
    sora_assert_contains(text_at(poll.json, "logs.0.message"), "Generating");
    return true;
  });
  Reply early;
  call(early, "GET", text_at(created.json, "response_url"), kFalKey);
  assert_fal_detail(early, 400, "still in progress");
  Reply cancelled;
  call(cancelled, "PUT", text_at(created.json, "cancel_url"), kFalKey);
  g_assert_cmpuint(cancelled.status, ==, 202);
  sora_assert_str_eq(text_at(cancelled.json, "status"), "CANCELLATION_REQUESTED");
  Reply after;
  call(after, "GET", status_url, kFalKey);
  sora_assert_str_eq(text_at(after.json, "status"), "COMPLETED");
  Reply result;
  call(result, "GET", text_at(created.json, "response_url"), kFalKey);
  assert_fal_detail(result, 400, "cancelled");
  Reply again;
  call(again, "PUT", text_at(created.json, "cancel_url"), kFalKey);
  g_assert_cmpuint(again.status, ==, 400);
  sora_assert_str_eq(text_at(again.json, "status"), "ALREADY_COMPLETED");
}

void test_fal_failures() {
  EmulatorProcess emulator({"--dialect", "fal"});
  std::string kling = root_of(emulator) + "/" + kKling;
  emulator.configure(R"({"fail_next": {"code": "generation_error", "message": "Kling broke."}})");
  Reply created;
  call(created, "POST", kling, kFalKey, R"({"prompt":"a cat"})");
  Reply completed;
  poll_fal(text_at(created.json, "status_url"), completed);
  sora_assert_str_eq(text_at(completed.json, "error"), "Kling broke.");
  Reply failed;
  call(failed, "GET", text_at(created.json, "response_url"), kFalKey);
  g_assert_cmpuint(failed.status, ==, 422);
  sora_assert_str_eq(text_at(failed.json, "detail.0.msg"), "Kling broke.");
  sora_assert_str_eq(text_at(failed.json, "detail.0.type"), "generation_error");
  sora_assert_str_eq(failed.fal_error_type, "generation_error");

  emulator.configure(R"({"filter_next": ["The prompt was flagged by the safety checker."]})");
  Reply second;
  call(second, "POST", kling, kFalKey, R"({"prompt":"a dog"})");
  poll_fal(text_at(second.json, "status_url"), completed);
  Reply filtered;
  call(filtered, "GET", text_at(second.json, "response_url"), kFalKey);
  g_assert_cmpuint(filtered.status, ==, 422);
  sora_assert_str_eq(text_at(filtered.json, "detail.0.type"), "content_policy_violation");
  sora_assert_str_eq(text_at(filtered.json, "detail.0.loc"), R"(["body","prompt"])");

  emulator.configure(
      R"({"faults": [{"route": "create", "action": "status", "status": 429, "times": 1,)"
      R"( "headers": {"Retry-After": "2"}}]})");
  size_t before = emulator.task_count();
  Reply limited;
  call(limited, "POST", kling, kFalKey, R"({"prompt":"a fish"})");
  g_assert_cmpuint(limited.status, ==, 429);
  g_assert_nonnull(at(limited.json, "detail"));
  sora_assert_str_eq(limited.retry_after, "2");
  g_assert_cmpuint(emulator.task_count(), ==, before);
}

/* ---- replicate ---- */

const Headers kReplicateToken = {{"Authorization", std::string("Bearer ") + kTestKey}};
constexpr char kReplicateKling[] = "kwaivgi/kling-v2.1-master";

std::string predictions_url(EmulatorProcess &emulator, const std::string &model = "") {
  return root_of(emulator) +
         (model.empty() ? "/v1/predictions" : "/v1/models/" + model + "/predictions");
}

void assert_replicate_problem(const Reply &reply, unsigned status, const char *words) {
  g_assert_cmpuint(reply.status, ==, status);
  g_assert_cmpint(int_at(reply.json, "status"), ==, status);
  g_assert_nonnull(at(reply.json, "title"));
  sora_assert_contains(text_at(reply.json, "detail"), words);
}

/* Polls urls.get until the prediction has finished; returns the last answer. */
void poll_prediction(const std::string &get_url, Reply &finished) {
  sora_test::wait_until("the prediction to finish", [&] {
    Reply poll;
    call(poll, "GET", get_url, kReplicateToken);
    g_assert_cmpuint(poll.status, ==, 200);
    std::string status = text_at(poll.json, "status");
    g_assert_true(status == "starting" || status == "processing" || status == "succeeded" ||
                  status == "failed" || status == "canceled");
    if (status == "starting" || status == "processing")
      return false;
    call(finished, "GET", get_url, kReplicateToken);
    return true;
  });
}

void test_replicate_whole() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  Reply created;
  call(created, "POST", predictions_url(emulator, kReplicateKling), kReplicateToken,
       R"({"input":{"prompt":"a red ball","duration":5,"aspect_ratio":"1:1"}})");
  g_assert_cmpuint(created.status, ==, 201);
  sora_assert_str_eq(text_at(created.json, "status"), "starting");
  sora_assert_str_eq(text_at(created.json, "model"), kReplicateKling);
  g_assert_true(JSON_NODE_HOLDS_NULL(at(created.json, "output")));
  std::string id = text_at(created.json, "id");
  std::string get_url = text_at(created.json, "urls.get");
  sora_assert_str_eq(get_url, root_of(emulator) + "/v1/predictions/" + id);
  sora_assert_str_eq(text_at(created.json, "urls.cancel"), get_url + "/cancel");

  Reply finished;
  poll_prediction(get_url, finished);
  sora_assert_str_eq(text_at(finished.json, "status"), "succeeded");
  g_assert_true(JSON_NODE_HOLDS_NULL(at(finished.json, "error")));
  std::string output = text_at(finished.json, "output");
  g_assert_true(host_of(output) != host_of(emulator.base_url()));
  assert_cdn_serves_clip(emulator, output, id);
  emulator.for_each_task([](JsonObject *task) {
    g_assert_cmpint(json_object_get_int_member(task, "width"), ==, 720);
    g_assert_cmpint(json_object_get_int_member(task, "height"), ==, 720);
  });

  /* The list has it; the model route and the version route create alike. */
  Reply list;
  call(list, "GET", predictions_url(emulator), kReplicateToken);
  g_assert_cmpuint(list.status, ==, 200);
  sora_assert_str_eq(text_at(list.json, "results.0.id"), id);
  g_assert_true(JSON_NODE_HOLDS_NULL(at(list.json, "next")));
  Reply by_version;
  call(by_version, "POST", predictions_url(emulator), kReplicateToken,
       std::string(R"({"version":")") + text_at(finished.json, "version") +
           R"(","input":{"prompt":"a dog"}})");
  g_assert_cmpuint(by_version.status, ==, 201);
  sora_assert_str_eq(text_at(by_version.json, "model"), kReplicateKling);
  auto creates =
      emulator.requests("POST", std::string("/v1/models/") + kReplicateKling + "/predictions");
  JsonObject *headers = json_object_get_object_member(creates[0].record, "headers");
  sora_assert_str_eq(json_object_get_string_member(headers, "authorization"),
                     std::string("Bearer ") + kTestKey);
}

void test_replicate_schemas() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  Reply kling;
  call(kling, "GET", root_of(emulator) + "/v1/models/" + kReplicateKling, kReplicateToken);
  g_assert_cmpuint(kling.status, ==, 200);
  JsonNode *schemas = at(kling.json, "latest_version.openapi_schema.components.schemas");
  sora_assert_str_eq(text_at(schemas, "Input.properties.duration.allOf.0.$ref"),
                     "#/components/schemas/duration");
  g_assert_null(at(schemas, "Input.properties.duration.type"));
  sora_assert_str_eq(text_at(schemas, "duration.type"), "integer");
  sora_assert_str_eq(text_at(schemas, "duration.enum"), "[5,10]");
  sora_assert_str_eq(text_at(schemas, "Input.properties.start_image.format"), "uri");
  sora_assert_str_eq(text_at(schemas, "Output.format"), "uri");
  std::string version_id = text_at(kling.json, "latest_version.id");
  g_assert_cmpuint(version_id.size(), ==, 64);
  Reply version;
  call(version, "GET",
       root_of(emulator) + "/v1/models/" + kReplicateKling + "/versions/" + version_id,
       kReplicateToken);
  g_assert_cmpuint(version.status, ==, 200);
  sora_assert_str_eq(text_at(version.json, "id"), version_id);
  sora_assert_str_eq(
      text_at(version.json,
              "openapi_schema.components.schemas.Input.properties.duration.allOf.0.$ref"),
      "#/components/schemas/duration");
  Reply other_version;
  call(other_version, "GET",
       root_of(emulator) + "/v1/models/" + kReplicateKling + "/versions/" + std::string(64, '0'),
       kReplicateToken);
  g_assert_cmpuint(other_version.status, ==, 404);
  Reply wan;
  call(wan, "GET", root_of(emulator) + "/v1/models/wan-video/wan-2.2-t2v-fast", kReplicateToken);
  JsonNode *wan_schemas = at(wan.json, "latest_version.openapi_schema.components.schemas");
  sora_assert_str_eq(text_at(wan_schemas, "Input.properties.num_frames.type"), "integer");
  sora_assert_str_eq(text_at(wan_schemas, "Input.properties.frames_per_second.default"), "16");
  g_assert_null(at(wan_schemas, "Input.properties.duration"));
  Reply zeroscope;
  call(zeroscope, "GET", root_of(emulator) + "/v1/models/anotherjesse/zeroscope-v2-xl",
       kReplicateToken);
  sora_assert_str_eq(
      text_at(zeroscope.json, "latest_version.openapi_schema.components.schemas.Output.type"),
      "array");
  Reply unknown;
  call(unknown, "GET", root_of(emulator) + "/v1/models/someone/nothing", kReplicateToken);
  assert_replicate_problem(unknown, 404, "could not be found");
}

void test_replicate_refusals() {
  EmulatorProcess emulator({"--dialect", "replicate", "--forbidden-key", "banned"});
  std::string url = predictions_url(emulator, kReplicateKling);
  Reply text;
  call(text, "POST", url, kReplicateToken, R"({"input":{"prompt":"a cat","duration":"5"}})");
  assert_replicate_problem(text, 422,
                           "input.duration: Invalid type. Expected: integer, given: string");
  sora_assert_str_eq(text_at(text.json, "invalid_fields.0.field"), "input.duration");
  Reply seven;
  call(seven, "POST", url, kReplicateToken, R"({"input":{"prompt":"a cat","duration":7}})");
  assert_replicate_problem(seven, 422, "duration must be one of the following: 5, 10");
  Reply no_prompt;
  call(no_prompt, "POST", url, kReplicateToken, R"({"input":{}})");
  assert_replicate_problem(no_prompt, 422, "input.prompt: prompt is required");
  Reply no_input;
  call(no_input, "POST", url, kReplicateToken, R"({"prompt":"a cat"})");
  assert_replicate_problem(no_input, 422, "input is required");
  Reply frames;
  call(frames, "POST", predictions_url(emulator, "wan-video/wan-2.2-t2v-fast"), kReplicateToken,
       R"({"input":{"prompt":"a cat","num_frames":40}})");
  assert_replicate_problem(frames, 422, "Must be greater than or equal to 81");
  Reply version;
  call(version, "POST", predictions_url(emulator), kReplicateToken,
       R"({"version":"0123","input":{"prompt":"a cat"}})");
  assert_replicate_problem(version, 422, "Invalid version");
  Reply model;
  call(model, "POST", predictions_url(emulator, "someone/nothing"), kReplicateToken,
       R"({"input":{"prompt":"a cat"}})");
  assert_replicate_problem(model, 404, "could not be found");

  Reply none;
  call(none, "POST", url, {}, R"({"input":{"prompt":"a cat"}})");
  assert_replicate_problem(none, 401, "You did not pass an authentication token");
  Reply wrong;
  call(wrong, "POST", url, {{"Authorization", "Bearer r8_wrong"}},
       R"({"input":{"prompt":"a cat"}})");
  assert_replicate_problem(wrong, 401, "You did not pass a valid authentication token");
  Reply banned;
  call(banned, "POST", url, {{"Authorization", "Bearer banned"}},
       R"({"input":{"prompt":"a cat"}})");
  assert_replicate_problem(banned, 403, "permission");
  g_assert_cmpuint(emulator.task_count(), ==, 0);
}

void test_replicate_failures() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  std::string url = predictions_url(emulator, kReplicateKling);
  emulator.configure(
      R"j({"fail_next": {"code": "model_error", "message": "CUDA out of memory (E001)"}})j");
  Reply created;
  call(created, "POST", url, kReplicateToken, R"({"input":{"prompt":"a cat"}})");
  Reply failed;
  poll_prediction(text_at(created.json, "urls.get"), failed);
  sora_assert_str_eq(text_at(failed.json, "status"), "failed");
  sora_assert_str_eq(text_at(failed.json, "error"), "CUDA out of memory (E001)");

  emulator.configure(R"({"filter_next": ["nsfw"]})");
  Reply second;
  call(second, "POST", url, kReplicateToken, R"({"input":{"prompt":"a dog"}})");
  poll_prediction(text_at(second.json, "urls.get"), failed);
  sora_assert_str_eq(text_at(failed.json, "status"), "failed");
  sora_assert_contains(text_at(failed.json, "error"), "flagged as sensitive");
  sora_assert_contains(text_at(failed.json, "error"), "(E005)");

  emulator.configure(R"({"stall_next": true})");
  Reply third;
  call(third, "POST", url, kReplicateToken, R"({"input":{"prompt":"a fish"}})");
  Reply cancelled;
  call(cancelled, "POST", text_at(third.json, "urls.cancel"), kReplicateToken);
  g_assert_cmpuint(cancelled.status, ==, 200);
  sora_assert_str_eq(text_at(cancelled.json, "status"), "canceled");
  Reply after;
  call(after, "GET", text_at(third.json, "urls.get"), kReplicateToken);
  sora_assert_str_eq(text_at(after.json, "status"), "canceled");

  emulator.configure(
      R"({"faults": [{"route": "create", "action": "status", "status": 429, "times": 1,)"
      R"( "headers": {"Retry-After": "3"}}]})");
  size_t before = emulator.task_count();
  Reply limited;
  call(limited, "POST", url, kReplicateToken, R"({"input":{"prompt":"a bird"}})");
  assert_replicate_problem(limited, 429, "throttled");
  sora_assert_str_eq(limited.retry_after, "3");
  g_assert_cmpuint(emulator.task_count(), ==, before);
}

/* Prefer: wait holds the create until the prediction finished; a list
 * output; the output gone once the task expired. */
void test_replicate_wait_list_output_expiry() {
  EmulatorProcess emulator({"--dialect", "replicate"});
  emulator.configure(R"({"expires_after": 2})");
  Headers waiting = kReplicateToken;
  waiting.emplace_back("Prefer", "wait");
  Reply created;
  call(created, "POST", predictions_url(emulator, "anotherjesse/zeroscope-v2-xl"), waiting,
       R"({"input":{"prompt":"a cat","num_frames":16,"fps":8,"width":320,"height":256}})");
  g_assert_cmpuint(created.status, ==, 201);
  sora_assert_str_eq(text_at(created.json, "status"), "succeeded");
  JsonNode *output = at(created.json, "output");
  g_assert_true(JSON_NODE_HOLDS_ARRAY(output));
  std::string url = text_at(output, "0");
  emulator.for_each_task([](JsonObject *task) {
    g_assert_cmpint(json_object_get_int_member(task, "width"), ==, 320);
    g_assert_cmpint(json_object_get_int_member(task, "fps"), ==, 8);
    JsonArray *segments = json_object_get_array_member(task, "segments");
    g_assert_cmpint(
        json_object_get_int_member(json_array_get_object_element(segments, 0), "seconds"), ==, 2);
  });
  sora_test::wait_until("the output to expire", [&] {
    Reply video;
    call(video, "GET", url, {});
    return video.status == 404;
  });
  Reply removed;
  call(removed, "GET", text_at(created.json, "urls.get"), kReplicateToken);
  sora_assert_str_eq(text_at(removed.json, "data_removed"), "true");
  g_assert_true(JSON_NODE_HOLDS_NULL(at(removed.json, "output")));
}

}  // namespace

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/native-emulator/gemini/whole", test_gemini_whole);
  g_test_add_func("/native-emulator/gemini/running-operation-has-no-done",
                  test_gemini_running_operation_has_no_done);
  g_test_add_func("/native-emulator/gemini/keys", test_gemini_keys);
  g_test_add_func("/native-emulator/gemini/refusals", test_gemini_refusals);
  g_test_add_func("/native-emulator/gemini/failures", test_gemini_failures);
  g_test_add_func("/native-emulator/gemini/faults-and-image", test_gemini_faults_and_image);
  g_test_add_func("/native-emulator/fal/whole", test_fal_whole);
  g_test_add_func("/native-emulator/fal/schemas", test_fal_schemas);
  g_test_add_func("/native-emulator/fal/refusals", test_fal_refusals);
  g_test_add_func("/native-emulator/fal/image-and-frames", test_fal_image_and_frames);
  g_test_add_func("/native-emulator/fal/stream", test_fal_stream);
  g_test_add_func("/native-emulator/fal/cancel-and-logs", test_fal_cancel_and_logs);
  g_test_add_func("/native-emulator/fal/failures", test_fal_failures);
  g_test_add_func("/native-emulator/replicate/whole", test_replicate_whole);
  g_test_add_func("/native-emulator/replicate/schemas", test_replicate_schemas);
  g_test_add_func("/native-emulator/replicate/refusals", test_replicate_refusals);
  g_test_add_func("/native-emulator/replicate/failures", test_replicate_failures);
  g_test_add_func("/native-emulator/replicate/wait-list-output-expiry",
                  test_replicate_wait_list_output_expiry);
  return g_test_run();
}
