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
  JsonNode *json = nullptr; /* null unless the body is JSON */

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
  return g_test_run();
}
