/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Unit tests of the protocol core, without a pipeline or a server: status
 * words, video objects and error bodies in every known shape, request
 * checks, the multipart body, and the MP4 structure check. */
#include "core/gateway.h"
#include "core/http_client.h"
#include "core/io_loop.h"
#include "core/json_limits.h"
#include "core/key_redaction.h"
#include "core/generation_cache.h"
#include "core/growing_clip.h"
#include "core/model_limits.h"
#include "core/mp4_check.h"
#include "core/path_style.h"
#include "core/printable_text.h"
#include "core/storyboard.h"
#include "core/task_id.h"
#include "core/task_status.h"
#include "core/video_object.h"
#include "core/video_request.h"

#include "assertions.h"
#include "loopback.h"
#include "temp_dir.h"

#include <libsoup/soup.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>
#include <xxhash.h>

using namespace sora;

static void test_status_words() {
  struct Case {
    const char *word;
    TaskState state;
  };
  const Case cases[] = {
      {"queued", TaskState::kQueued},
      {"pending", TaskState::kQueued},
      {"submitted", TaskState::kQueued},
      {"NOT_START", TaskState::kQueued},
      {"in_progress", TaskState::kRunning},
      {"IN_PROGRESS", TaskState::kRunning},
      {"processing", TaskState::kRunning},
      {"Running", TaskState::kRunning},
      {"generating", TaskState::kRunning},
      {"unknown", TaskState::kRunning},
      {"completed", TaskState::kCompleted},
      {"SUCCEEDED", TaskState::kCompleted},
      {"SUCCESS", TaskState::kCompleted},
      {"done", TaskState::kCompleted},
      {"failed", TaskState::kFailed},
      {"FAILURE", TaskState::kFailed},
      {"error", TaskState::kFailed},
      {"canceled", TaskState::kCancelled},
      {"Cancelled", TaskState::kCancelled},
      {"expired", TaskState::kExpired},
      {"  completed \n", TaskState::kCompleted},
      {"rendering", TaskState::kRunning},
      {"", TaskState::kRunning},
  };
  for (const Case &c : cases) {
    if (classify_status(c.word) != c.state)
      g_error("status word '%s' classified wrongly", c.word);
  }
  g_assert_cmpstr(task_state_name(TaskState::kRunning), ==, "in_progress");
}

static VideoObject parse_ok(const char *json) {
  std::string problem;
  std::optional<VideoObject> video = parse_video_object(json, &problem);
  if (!video)
    g_error("could not parse %s: %s", json, problem.c_str());
  return *video;
}

static void test_video_object_openai() {
  VideoObject v = parse_ok(
      R"({"id":"video_123","object":"video","model":"sora-2","status":"in_progress",
          "progress":37,"created_at":1712697600,"completed_at":null,"expires_at":null,
          "prompt":"a cat","size":"720x1280","seconds":"8","remixed_from_video_id":null,
          "error":null})");
  g_assert_cmpstr(v.id.c_str(), ==, "video_123");
  g_assert_true(v.state == TaskState::kRunning);
  g_assert_cmpstr(v.status.c_str(), ==, "in_progress");
  g_assert_cmpuint(*v.progress, ==, 37);
  g_assert_cmpint(*v.created_at, ==, 1712697600);
  g_assert_false(v.completed_at.has_value());
  g_assert_cmpstr(v.seconds.c_str(), ==, "8");
  g_assert_cmpstr(v.size.c_str(), ==, "720x1280");
  g_assert_true(v.download_urls.empty());
  g_assert_true(v.error.empty());
}

static void test_video_object_shapes() {
  VideoObject enveloped = parse_ok(
      R"({"code":"success","message":"","data":{"id":"task_9","status":"SUCCESS","progress":"100%"}})");
  g_assert_cmpstr(enveloped.id.c_str(), ==, "task_9");
  g_assert_true(enveloped.state == TaskState::kCompleted);
  g_assert_cmpuint(*enveloped.progress, ==, 100);

  VideoObject bare_task = parse_ok(R"({"task_id":"abc-def"})");
  g_assert_cmpstr(bare_task.id.c_str(), ==, "abc-def");
  g_assert_true(bare_task.state == TaskState::kRunning);

  VideoObject numeric = parse_ok(R"({"id":1234567890123,"status":"done","seconds":4})");
  g_assert_cmpstr(numeric.id.c_str(), ==, "1234567890123");
  g_assert_cmpstr(numeric.seconds.c_str(), ==, "4");

  std::string problem;
  g_assert_false(parse_video_object("<html>502 Bad Gateway</html>", &problem));
  g_assert_true(problem.find("not JSON") != std::string::npos);
  g_assert_false(parse_video_object(R"({"status":"queued"})", &problem));
  g_assert_true(problem.find("no task id") != std::string::npos);
  g_assert_false(parse_video_object("[1,2]", &problem));
  g_assert_false(parse_video_object("", &problem));
}

static void test_progress_forms() {
  struct Case {
    const char *json;
    int expected; /* -1: none */
  };
  const Case cases[] = {
      {R"({"id":"a","progress":45})", 45},    {R"({"id":"a","progress":45.6})", 46},
      {R"({"id":"a","progress":"45%"})", 45}, {R"({"id":"a","progress":"45"})", 45},
      {R"({"id":"a","progress":" 7 %"})", 7}, {R"({"id":"a","progress":150})", 100},
      {R"({"id":"a","progress":-5})", 0},     {R"({"id":"a"})", -1},
      {R"({"id":"a","progress":"abc"})", -1}, {R"({"id":"a","progress":null})", -1},
      {R"({"id":"a","progress":[1]})", -1},   {R"({"id":"a","progress":"45%x"})", -1},
  };
  for (const Case &c : cases) {
    VideoObject v = parse_ok(c.json);
    int got = v.progress ? static_cast<int>(*v.progress) : -1;
    if (got != c.expected)
      g_error("%s: progress %d, expected %d", c.json, got, c.expected);
  }
}

static void test_download_urls() {
  struct Case {
    const char *json;
    const char *url;
  };
  const Case cases[] = {
      {R"({"id":"a","url":"https://cdn.example/a.mp4"})", "https://cdn.example/a.mp4"},
      {R"({"id":"a","metadata":{"url":"https://m.example/a.mp4"}})", "https://m.example/a.mp4"},
      {R"({"id":"a","meta_data":{"url":"http://md.example/a"}})", "http://md.example/a"},
      {R"({"id":"a","result_url":"https://r.example/a"})", "https://r.example/a"},
      {R"({"id":"a","video_url":"https://v.example/a"})", "https://v.example/a"},
      {R"({"id":"a","outputs":{"video_url":"https://o.example/a"}})", "https://o.example/a"},
      {R"({"id":"a","outputs":[{"video_url":"https://oa.example/a"}]})", "https://oa.example/a"},
      {R"({"id":"a","video":{"url":"https://vu.example/a"}})", "https://vu.example/a"},
  };
  for (const Case &c : cases) {
    VideoObject v = parse_ok(c.json);
    g_assert_cmpuint(v.download_urls.size(), ==, 1);
    g_assert_cmpstr(v.download_urls[0].c_str(), ==, c.url);
  }
  /* Not URLs, or not http: ignored. Duplicates: once. */
  VideoObject v = parse_ok(
      R"({"id":"a","url":"ftp://x/a","video_url":"relative.mp4","result_url":"https://d/a",
          "metadata":{"url":"https://d/a"}})");
  g_assert_cmpuint(v.download_urls.size(), ==, 1);
}

static void test_failure_text() {
  VideoObject a = parse_ok(
      R"({"id":"a","status":"failed","error":{"code":"moderation_blocked","message":"Blocked."}})");
  g_assert_true(a.error.describe() == "Blocked. (moderation_blocked)");
  VideoObject b = parse_ok(R"({"id":"a","status":"FAILURE","fail_reason":"quota"})");
  g_assert_cmpstr(b.error.message.c_str(), ==, "quota");
  VideoObject c = parse_ok(R"({"id":"a","status":"failed","message":"no gpu"})");
  g_assert_cmpstr(c.error.message.c_str(), ==, "no gpu");
  VideoObject d = parse_ok(R"({"id":"a","status":"failed","error":{"code":"x"}})");
  g_assert_true(d.error.describe() == "x");
  VideoObject running = parse_ok(R"({"id":"a","status":"queued","message":"ok"})");
  g_assert_true(running.error.empty());
}

static void test_api_error_shapes() {
  ApiError openai = parse_api_error(
      R"({"error":{"message":"Invalid value","type":"invalid_request_error","param":"seconds","code":"invalid_value"}})");
  g_assert_cmpstr(openai.message.c_str(), ==, "Invalid value");
  g_assert_cmpstr(openai.param.c_str(), ==, "seconds");
  g_assert_cmpstr(openai.code.c_str(), ==, "invalid_value");
  ApiError gateway =
      parse_api_error(R"({"code":"task_not_exist","message":"task not exist","data":null})");
  g_assert_cmpstr(gateway.code.c_str(), ==, "task_not_exist");
  g_assert_cmpstr(gateway.message.c_str(), ==, "task not exist");
  ApiError text = parse_api_error(R"({"error":"bad thing"})");
  g_assert_cmpstr(text.message.c_str(), ==, "bad thing");
  g_assert_true(parse_api_error("<html><title>502</title></html>").empty());
  g_assert_true(parse_api_error(R"({"code":"success","message":""})").empty());
}

static std::string check_problem(VideoRequest r, const char *property) {
  std::optional<SettingsProblem> problem = check_request(r);
  if (!property) {
    if (problem)
      g_error("unexpected problem with %s: %s", problem->property.c_str(),
              problem->message.c_str());
    return "";
  }
  if (!problem)
    g_error("expected a problem with %s", property);
  g_assert_cmpstr(problem->property.c_str(), ==, property);
  return problem->message;
}

static void test_request_checks() {
  VideoRequest ok;
  ok.prompt = "A cat walking on the street";
  check_problem(ok, nullptr);

  VideoRequest r = ok;
  r.prompt = "";
  check_problem(r, "prompt");
  r.prompt = " \n\t";
  check_problem(r, "prompt");
  r.prompt = std::string(32001, 'a');
  g_assert_true(check_problem(r, "prompt").find("32001") != std::string::npos);
  r.prompt = std::string(32000, 'a');
  check_problem(r, nullptr);
  r.prompt = std::string(16000, 'a') + std::string(16000 / 2, 'b');
  check_problem(r, nullptr);

  r = ok;
  r.size = "720X1280";
  std::string message = check_problem(r, "size");
  g_assert_true(message.find("WIDTHxHEIGHT") != std::string::npos);
  g_assert_true(message.find("'720x1280'") != std::string::npos);
  r.size = "1920x1080";
  message = check_problem(r, "size");
  g_assert_true(message.find("not a size sora-2 accepts") != std::string::npos);
  g_assert_true(message.find("openai-videos.yaml") != std::string::npos);
  r.model = "sora-2-pro";
  check_problem(r, nullptr);
  r.model = "sora-2-pro-2025-10-06";
  check_problem(r, nullptr);
  r.model = "sora-2-2025-12-08";
  check_problem(r, "size");
  r.size = "";
  check_problem(r, nullptr);

  r = ok;
  r.seconds = 5;
  message = check_problem(r, "seconds");
  g_assert_true(message.find("'4', '8', '12', '16' or '20'") != std::string::npos);
  r.seconds = 0;
  check_problem(r, nullptr);
  r.seconds = 20;
  check_problem(r, nullptr);

  /* Gateway models pass through as written; validate=false switches off. */
  r = ok;
  r.model = "wan2.5-t2v-preview";
  r.size = "1920*1080";
  r.seconds = 5;
  check_problem(r, nullptr);
  r.model = "sora-2";
  r.validate = false;
  check_problem(r, nullptr);
  r.model = " ";
  check_problem(r, "model");
  g_assert_null(find_model_limits("sora-2-turbo"));
  g_assert_null(find_model_limits("sora-2-2025-1-06"));
  g_assert_nonnull(find_model_limits("sora-2"));
}

static sora_test::TempDir *scratch;

static std::string write_temp(const char *name, const std::string &bytes) {
  return scratch->write(name, bytes);
}

static const std::string kPngBytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

static void test_reference_images() {
  const guint8 jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0};
  g_assert_cmpstr(sniff_image_mime(jpeg, sizeof jpeg), ==, "image/jpeg");
  g_assert_cmpstr(
      sniff_image_mime(reinterpret_cast<const guint8 *>(kPngBytes.data()), kPngBytes.size()), ==,
      "image/png");
  const char webp[] = "RIFF\x10\0\0\0WEBPVP8 ";
  g_assert_cmpstr(sniff_image_mime(reinterpret_cast<const guint8 *>(webp), 16), ==, "image/webp");
  g_assert_null(sniff_image_mime(reinterpret_cast<const guint8 *>("GIF89a"), 6));

  SettingsProblem problem;
  /* The MIME type comes from the content, whatever the name says. */
  std::string png = write_temp("photo.jpg", kPngBytes);
  std::optional<ReferenceImage> image = load_reference_image(png, &problem);
  g_assert_true(image.has_value());
  g_assert_cmpstr(image->mime.c_str(), ==, "image/png");
  g_assert_cmpstr(image->filename.c_str(), ==, "photo.jpg");
  g_assert_cmpuint(g_bytes_get_size(image->bytes.get()), ==, kPngBytes.size());

  std::string text = write_temp("notes.png", "just text");
  g_assert_false(load_reference_image(text, &problem).has_value());
  g_assert_cmpstr(problem.property.c_str(), ==, "input-reference");
  g_assert_true(problem.message.find("not a JPEG, PNG or WebP") != std::string::npos);

  g_assert_false(load_reference_image("/nonexistent/ref.png", &problem).has_value());
  g_assert_true(problem.message.find("/nonexistent/ref.png") != std::string::npos);
  g_assert_false(load_reference_image(scratch->path(), &problem).has_value());
  g_assert_true(problem.message.find("not a regular file") != std::string::npos);
}

static void test_multipart_body() {
  VideoRequest r;
  r.prompt = "A cat \"walking\" on the street";
  r.model = "sora-2";
  r.seconds = 8;
  r.size = "1280x720";
  ReferenceImage image;
  image.filename = "ref.png";
  image.mime = "image/png";
  image.bytes.reset(g_bytes_new(kPngBytes.data(), kPngBytes.size()));
  RequestBody body = build_create_body(r, &image);
  g_assert_true(g_str_has_prefix(body.content_type.c_str(), "multipart/form-data; boundary="));

  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new(SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_replace(headers, "Content-Type", body.content_type.c_str());
  g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message(headers, body.bytes.get());
  g_assert_nonnull(multipart);
  g_assert_cmpint(soup_multipart_get_length(multipart), ==, 5);
  const char *expected[][2] = {{"prompt", "A cat \"walking\" on the street"},
                               {"model", "sora-2"},
                               {"seconds", "8"},
                               {"size", "1280x720"}};
  for (int i = 0; i < 4; i++) {
    SoupMessageHeaders *part_headers;
    GBytes *part_body;
    g_assert_true(soup_multipart_get_part(multipart, i, &part_headers, &part_body));
    GHashTable *params = nullptr;
    g_assert_true(soup_message_headers_get_content_disposition(part_headers, nullptr, &params));
    g_assert_cmpstr(static_cast<const char *>(g_hash_table_lookup(params, "name")), ==,
                    expected[i][0]);
    g_assert_null(g_hash_table_lookup(params, "filename"));
    g_hash_table_destroy(params);
    std::string value(static_cast<const char *>(g_bytes_get_data(part_body, nullptr)),
                      g_bytes_get_size(part_body));
    g_assert_cmpstr(value.c_str(), ==, expected[i][1]);
  }
  SoupMessageHeaders *file_headers;
  GBytes *file_body;
  g_assert_true(soup_multipart_get_part(multipart, 4, &file_headers, &file_body));
  GHashTable *params = nullptr;
  g_assert_true(soup_message_headers_get_content_disposition(file_headers, nullptr, &params));
  g_assert_cmpstr(static_cast<const char *>(g_hash_table_lookup(params, "name")), ==,
                  "input_reference");
  g_assert_cmpstr(static_cast<const char *>(g_hash_table_lookup(params, "filename")), ==,
                  "ref.png");
  g_hash_table_destroy(params);
  g_assert_cmpstr(soup_message_headers_get_content_type(file_headers, nullptr), ==, "image/png");
  g_assert_true(g_bytes_equal(file_body, image.bytes.get()));

  /* seconds 0 and an empty size leave both to the server. */
  r.seconds = 0;
  r.size = "";
  RequestBody bare = build_create_body(r, nullptr);
  soup_message_headers_replace(headers, "Content-Type", bare.content_type.c_str());
  g_autoptr(SoupMultipart) bare_parts = soup_multipart_new_from_message(headers, bare.bytes.get());
  g_assert_cmpint(soup_multipart_get_length(bare_parts), ==, 2);
}

static void test_storyboard() {
  const char *good =
      "Shot 1:\nduration: 7.5sec\nScene: The plane takes off.\n\n"
      "Shot 2:\nduration: 7.5 sec\nScene: The plane lands\non a wet runway.\n";
  g_assert_true(looks_like_storyboard(good));
  std::string problem;
  std::optional<Storyboard> board = parse_storyboard(good, &problem);
  g_assert_true(board.has_value());
  g_assert_cmpuint(board->shots.size(), ==, 2);
  g_assert_cmpfloat(board->total_seconds, ==, 15.0);
  sora_assert_str_eq(board->shots[1].scene, "The plane lands on a wet runway.");
  sora_assert_str_eq(describe_storyboard_total(*board), "15 s (7.5 + 7.5)");
  g_assert_false(looks_like_storyboard("A shot of a cat: close up"));

  struct Case {
    const char *prompt;
    const char *needle;
  };
  const Case bad[] = {
      {"Shot 1:\nduration: 4sec\nScene: a\n\nShot 3:\nduration: 4sec\nScene: b",
       "Shot 3 comes where Shot 2 should"},
      {"Shot 2:\nduration: 4sec\nScene: a", "Shot 2 comes where Shot 1 should"},
      {"Shot 1:\nduration: seven seconds\nScene: a", "'duration: seven seconds' is not a duration"},
      {"Shot 1:\nduration: 0sec\nScene: a", "is not a duration"},
      {"Shot 1:\nScene: a", "Shot 1 has no 'duration: Xsec' line"},
      {"Shot 1:\nduration: 4sec", "Shot 1 has no scene"},
      {"Shot 1:\nduration: 4sec\nduration: 5sec\nScene: a", "two duration lines"},
      {"Intro\nShot 1:\nduration: 4sec\nScene: a", "text before 'Shot 1:'"},
      {"Shot 1:\ncamera: pan\nScene: a\nduration: 4s", "neither a 'duration:' nor a 'Scene:'"},
  };
  for (const Case &c : bad) {
    if (parse_storyboard(c.prompt, &problem))
      g_error("accepted a bad storyboard: %s", c.prompt);
    sora_assert_contains(problem, c.needle);
  }

  /* The request check: the total has to match seconds. */
  VideoRequest r;
  r.prompt = good;
  r.seconds = 4;
  std::string message = check_problem(r, "prompt");
  sora_assert_contains(message, "add up to 15 s (7.5 + 7.5) but seconds=4");
  r.seconds = 0;
  check_problem(r, nullptr);
  r.seconds = 4;
  r.validate = false;
  check_problem(r, nullptr);
  r.prompt = "Shot 1:\nduration: soon\nScene: a";
  sora_assert_contains(check_problem(r, "prompt"), "storyboard prompt has a mistake");
}

static void test_metadata() {
  VideoRequest r;
  r.prompt = "A cat";
  r.model = "wan2.5-t2v-preview";
  r.metadata =
      R"( { "input": {"img_url": "https://x/y.png"}, "parameters": {"watermark": false} } )";
  check_problem(r, nullptr);
  RequestBody body = build_create_body(r, nullptr);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new(SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_replace(headers, "Content-Type", body.content_type.c_str());
  g_autoptr(SoupMultipart) parts = soup_multipart_new_from_message(headers, body.bytes.get());
  SoupMessageHeaders *part_headers;
  GBytes *part_body;
  g_assert_true(soup_multipart_get_part(parts, 4, &part_headers, &part_body));
  std::string value(static_cast<const char *>(g_bytes_get_data(part_body, nullptr)),
                    g_bytes_get_size(part_body));
  sora_assert_str_eq(value,
                     R"({"input":{"img_url":"https://x/y.png"},"parameters":{"watermark":false}})");

  for (const char *bad : {"[1,2]", "\"text\"", "{not json", "42"}) {
    r.metadata = bad;
    sora_assert_contains(check_problem(r, "metadata"), "must be a JSON object");
  }
}

static void test_path_styles() {
  sora_assert_str_eq(path_style_segment(PathStyle::kAuto), "videos");
  sora_assert_str_eq(path_style_segment(PathStyle::kVideo), "video");
  sora_assert_str_eq(path_style_segment(PathStyle::kVideoGenerations), "video/generations");
  g_assert_true(next_path_style(PathStyle::kVideos) == PathStyle::kVideo);
  g_assert_true(next_path_style(PathStyle::kVideo) == PathStyle::kVideoGenerations);
  g_assert_false(next_path_style(PathStyle::kVideoGenerations).has_value());
  g_assert_false(remembered_path_style("http://a.example/v1").has_value());
  remember_path_style("http://a.example/v1", PathStyle::kVideo);
  g_assert_true(remembered_path_style("http://a.example/v1") == PathStyle::kVideo);
  g_assert_false(remembered_path_style("http://b.example/v1").has_value());
}

/* Vectors published with xxHash: the fingerprints' hash (libxxhash). */
static void test_xxh64() {
  auto hex = [](const char *text) {
    char out[17];
    g_snprintf(out, sizeof out, "%016" G_GINT64_MODIFIER "x", XXH64(text, strlen(text), 0));
    return std::string(out);
  };
  sora_assert_str_eq(hex(""), "ef46db3751d8e999");
  sora_assert_str_eq(hex("a"), "d24ec4f1a98c6e5b");
  sora_assert_str_eq(hex("abc"), "44bc2cf5ad770999");
  /* 39 bytes: the 32-byte stripes, then an 8-, a 4- and single bytes. */
  sora_assert_str_eq(hex("Nobody inspects the spammish repetition"), "fbcea83c8a378bf1");
  /* The seed matters. */
  g_assert_cmpuint(XXH64("abc", 3, 1), !=, XXH64("abc", 3, 0));
}

/* A record written before libxxhash replaced the hand-written XXH64 stays
 * valid: the value below was made by that version for these bytes. */
static void test_cache_fingerprint_stable() {
  std::string bytes(200 * 1024, '\0');
  for (size_t i = 0; i < bytes.size(); i++)
    bytes[i] = static_cast<char>((i * 131 + 7) & 0xff);
  std::string clip = scratch->file("fingerprint-stable.mp4");
  g_assert_true(
      g_file_set_contents(clip.c_str(), bytes.data(), static_cast<gssize>(bytes.size()), nullptr));
  sora_assert_str_eq(GenerationCache::fingerprint(clip), "xxh64:c8e936673826f857");
}

/* A clip's fingerprint: its size and its two ends, in the format of the
 * version that wrote the record. */
static void test_cache_fingerprint() {
  GenerationCache cache(scratch->file("fingerprint-cache"));
  std::string problem;
  g_assert_true(cache.prepare(&problem));
  CacheRecord record;
  record.key = "k";
  record.variant = "thumbnail"; /* no MP4 check: the fingerprint alone decides */
  record.completed = true;
  std::string bytes(300 * 1024, '\0');
  for (size_t i = 0; i < bytes.size(); i++)
    bytes[i] = static_cast<char>(g_random_int());
  std::string clip = cache.clip_path(record.key, record.variant);
  auto store = [&clip](const std::string &content) {
    g_assert_true(g_file_set_contents(clip.c_str(), content.data(),
                                      static_cast<gssize>(content.size()), nullptr));
  };
  store(bytes);
  record.fingerprint = GenerationCache::fingerprint(clip);
  record.clip_size = bytes.size();
  g_assert_true(g_str_has_prefix(record.fingerprint.c_str(), "xxh64:"));
  g_assert_true(cache.clip_is_intact(record));

  std::string damaged = bytes;
  damaged[100] ^= 1; /* in the first 64 KiB */
  store(damaged);
  g_assert_false(cache.clip_is_intact(record));
  damaged = bytes;
  damaged[bytes.size() - 5] ^= 1; /* in the last 64 KiB */
  store(damaged);
  g_assert_false(cache.clip_is_intact(record));
  store(bytes + "x"); /* appended */
  g_assert_false(cache.clip_is_intact(record));
  store(bytes.substr(0, bytes.size() - 1)); /* truncated */
  g_assert_false(cache.clip_is_intact(record));

  /* A record from before: SHA-256 of "SIZE:", the head and the tail. */
  store(bytes);
  g_autoptr(GChecksum) sha = g_checksum_new(G_CHECKSUM_SHA256);
  std::string size_text = std::to_string(bytes.size()) + ":";
  g_checksum_update(sha, reinterpret_cast<const guchar *>(size_text.data()), -1);
  g_checksum_update(sha, reinterpret_cast<const guchar *>(bytes.data()), 64 * 1024);
  g_checksum_update(sha, reinterpret_cast<const guchar *>(bytes.data() + bytes.size() - 64 * 1024),
                    64 * 1024);
  record.fingerprint = g_checksum_get_string(sha);
  g_assert_true(cache.clip_is_intact(record));
  store(damaged);
  g_assert_false(cache.clip_is_intact(record));
}

/* user:password@ goes; nothing else changes, and an @ after the host is
 * not userinfo. */
static void test_url_without_userinfo() {
  const std::pair<const char *, const char *> cases[] = {
      {"https://user:pw@api.example/v1", "https://api.example/v1"},
      {"http://a%40b:p@ss@127.0.0.1:8080/v1?x=1", "http://127.0.0.1:8080/v1?x=1"},
      {"https://user@api.example", "https://api.example"},
      {"https://api.example/v1/@me", "https://api.example/v1/@me"},
      {"https://api.example/v1?to=a@b", "https://api.example/v1?to=a@b"},
      {"https://api.example/v1", "https://api.example/v1"},
      {"not a url @ all", "not a url @ all"},
  };
  for (const auto &[url, expected] : cases)
    sora_assert_str_eq(url_without_userinfo(url), expected);
}

static void test_cache_key() {
  g_autoptr(GBytes) image = g_bytes_new_static("\x89PNG....", 8);
  g_autoptr(GBytes) other_image = g_bytes_new_static("\x89PNG!!!!", 8);
  CacheKeyInputs base;
  base.base_url = "https://api.example/v1";
  base.model = "sora-2";
  base.prompt = "A cat";
  base.seconds = 4;
  base.size = "720x1280";
  base.reference = image;
  base.metadata = R"({"b":1,"a":{"y":2,"x":[3,{"q":1,"p":2}]}})";
  const std::string key = cache_key(base);
  g_assert_cmpuint(key.size(), ==, 64);
  g_assert_true(cache_key(base) == key);

  /* What does not change the result does not change the key. */
  CacheKeyInputs same = base;
  same.base_url = "https://api.example/v1/";
  same.metadata = R"({ "a": {"x": [3, {"p": 2, "q": 1}], "y": 2}, "b": 1 })";
  g_assert_true(cache_key(same) == key);
  same.base_url = "https://user:pw@api.example/v1"; /* credentials never reach the cache */
  g_assert_true(cache_key(same) == key);

  /* Each input that changes the result changes the key. */
  std::vector<std::function<void(CacheKeyInputs &)>> changes = {
      [](CacheKeyInputs &i) { i.base_url = "https://other.example/v1"; },
      [](CacheKeyInputs &i) { i.video_id = "video_1"; },
      [](CacheKeyInputs &i) { i.model = "sora-2-pro"; },
      [](CacheKeyInputs &i) { i.prompt = "A dog"; },
      [](CacheKeyInputs &i) { i.seconds = 8; },
      [](CacheKeyInputs &i) { i.size = "1280x720"; },
      [&](CacheKeyInputs &i) { i.reference = other_image; },
      [](CacheKeyInputs &i) { i.reference = nullptr; },
      [](CacheKeyInputs &i) { i.metadata = R"({"b":2,"a":{"y":2,"x":[3]}})"; },
      [](CacheKeyInputs &i) { i.metadata = ""; },
      [](CacheKeyInputs &i) { i.remix_of = "video_9"; },
      [](CacheKeyInputs &i) { i.extend_of = "video_9"; },
      [](CacheKeyInputs &i) { i.variant = "thumbnail"; },
  };
  std::set<std::string> keys = {key};
  for (const auto &change : changes) {
    CacheKeyInputs changed = base;
    change(changed);
    g_assert_true(keys.insert(cache_key(changed)).second);
  }
  sora_assert_str_eq(canonical_json(R"({"b":[{"d":1,"c":2}],"a":null})"),
                     R"({"a":null,"b":[{"c":2,"d":1}]})");
}

static std::string box(const char *type, const std::string &payload) {
  guint32 size = static_cast<guint32>(8 + payload.size());
  std::string b;
  for (int shift = 24; shift >= 0; shift -= 8)
    b += static_cast<char>((size >> shift) & 0xFF);
  return b + type + payload;
}

static void test_mp4_check() {
  std::string ftyp = box("ftyp", "isom\0\0\0\0isom");
  std::string mdat = box("mdat", std::string(1000, 'x'));
  std::string moov = box("moov", box("mvhd", std::string(100, '\0')));

  Mp4Check end = check_mp4_file(write_temp("end.mp4", ftyp + mdat + moov));
  g_assert_true(end.ok);
  g_assert_false(end.moov_first);
  Mp4Check first = check_mp4_file(write_temp("first.mp4", ftyp + moov + mdat));
  g_assert_true(first.ok);
  g_assert_true(first.moov_first);

  std::string whole = ftyp + mdat + moov;
  Mp4Check truncated = check_mp4_file(write_temp("cut.mp4", whole.substr(0, whole.size() - 10)));
  g_assert_false(truncated.ok);
  g_assert_true(truncated.problem.find("truncated") != std::string::npos);
  Mp4Check no_moov = check_mp4_file(write_temp("nomoov.mp4", ftyp + mdat));
  g_assert_false(no_moov.ok);
  g_assert_true(no_moov.problem.find("no moov") != std::string::npos);
  Mp4Check json = check_mp4_file(write_temp("err.mp4", R"({"error":{"message":"nope"}})"));
  g_assert_false(json.ok);
  Mp4Check empty = check_mp4_file(write_temp("empty.mp4", ""));
  g_assert_false(empty.ok);
  /* A 64-bit box size. */
  std::string large =
      std::string("\0\0\0\1mdat", 8) + std::string("\0\0\0\0\0\0\0\x18", 8) + std::string(8, 'y');
  g_assert_true(check_mp4_file(write_temp("large.mp4", ftyp + large + moov)).ok);
  g_assert_true(starts_like_mp4(reinterpret_cast<const guint8 *>(ftyp.data()), ftyp.size()));
  g_assert_false(starts_like_mp4(reinterpret_cast<const guint8 *>("{\"error\":1}"), 11));
}

static std::string be32(guint32 v) {
  std::string b;
  for (int shift = 24; shift >= 0; shift -= 8)
    b += static_cast<char>((v >> shift) & 0xFF);
  return b;
}

/* A moov whose sample tables claim more entries than they hold (2^30
 * samples in a few bytes, as a corrupt or hostile clip has) is refused by
 * the check itself: decodebin can lose qtdemux's error about it. */
static void test_mp4_check_sample_tables() {
  std::string ftyp = box("ftyp", "isom\0\0\0\0isom");
  std::string mdat = box("mdat", std::string(1000, 'x'));
  auto clip = [&](const std::string &stsz, const std::string &stco) {
    std::string stbl = box("stbl", box("stsz", stsz) + box("stco", stco));
    std::string trak = box("trak", box("mdia", box("minf", stbl)));
    return ftyp + mdat + box("moov", box("mvhd", std::string(100, '\0')) + trak);
  };
  std::string flags(4, '\0');
  std::string sizes = flags + be32(0) + be32(2) + be32(500) + be32(500);
  std::string offsets = flags + be32(2) + be32(40) + be32(540);
  g_assert_true(check_mp4_file(write_temp("tables.mp4", clip(sizes, offsets))).ok);
  /* One size for every sample: no table, any count. */
  std::string uniform = flags + be32(500) + be32(1u << 30);
  g_assert_true(check_mp4_file(write_temp("uniform.mp4", clip(uniform, offsets))).ok);

  std::string absurd = flags + be32(0) + be32(1u << 30) + be32(500) + be32(500);
  Mp4Check corrupt = check_mp4_file(write_temp("absurd-stsz.mp4", clip(absurd, offsets)));
  g_assert_false(corrupt.ok);
  sora_assert_contains(corrupt.problem, "'stsz' box");
  sora_assert_contains(corrupt.problem, "claims 1073741824 entries but holds room for 2");
  std::string absurd_offsets = flags + be32(1u << 30) + be32(40) + be32(540);
  Mp4Check chunks = check_mp4_file(write_temp("absurd-stco.mp4", clip(sizes, absurd_offsets)));
  g_assert_false(chunks.ok);
  sora_assert_contains(chunks.problem, "'stco' box");
  /* A box running past its container ends the walk of it, as in qtdemux:
   * not a reason to refuse a paid clip. */
  std::string overrun = box("moov", be32(5000) + "trak");
  g_assert_true(check_mp4_file(write_temp("overrun.mp4", ftyp + mdat + overrun)).ok);
}

/* A file of tiny boxes (8 bytes each, as a 100 MB file of 12.5 M boxes that
 * cost 7 s of CPU on every cache hit) is read a page at a time, and past
 * kMaxBoxes it is refused without reading the rest. */
static void test_mp4_check_many_boxes() {
  std::string ftyp = box("ftyp", "isom\0\0\0\0isom");
  std::string moov = box("moov", box("mvhd", std::string(100, '\0')));
  const std::string tiny = box("free", "");

  std::string many;
  for (guint64 i = 0; i < kMaxBoxes / 2; i++)
    many += tiny;
  Mp4Check under = check_mp4_file(write_temp("many.mp4", ftyp + many + moov));
  g_assert_true(under.ok);
  g_assert_cmpuint(under.reads, <=, under.size / 2048 + 4);

  std::string crafted;
  crafted.reserve(tiny.size() * kMaxBoxes * 10);
  for (guint64 i = 0; i < kMaxBoxes * 10; i++)
    crafted += tiny;
  Mp4Check over = check_mp4_file(write_temp("crafted.mp4", ftyp + moov + crafted));
  g_assert_false(over.ok);
  g_assert_true(over.problem.find("more than 100000 boxes") != std::string::npos);
  /* Only the boxes up to the limit were read, a page at a time. */
  g_assert_cmpuint(over.reads, <=, kMaxBoxes * tiny.size() / 2048 + 4);
}

/* ---- gateways ---- */

static void test_gateway_for_url() {
  const std::pair<const char *, Gateway> cases[] = {
      {"https://openrouter.ai/api/v1", Gateway::kOpenRouter},
      {"https://OpenRouter.AI/api/v1/", Gateway::kOpenRouter},
      {"https://myres.openai.azure.com/openai/v1", Gateway::kAzure},
      {"https://myres.cognitiveservices.azure.com/openai/v1", Gateway::kAzure},
      {"https://proj.services.ai.azure.com/openai/v1", Gateway::kAzure},
      {"https://api.openai.com/v1", Gateway::kOpenAi},
      {"http://127.0.0.1:4000/v1", Gateway::kAuto},
      {"https://notopenrouter.ai/api/v1", Gateway::kAuto},
      {"https://openai.azure.com.evil.example/v1", Gateway::kAuto},
      {"not a url", Gateway::kAuto},
  };
  for (const auto &[url, gateway] : cases) {
    if (gateway_for_url(url) != gateway)
      g_error("%s: expected %s, got %s", url, gateway_name(gateway),
              gateway_name(gateway_for_url(url)));
  }
  for (Gateway g : {Gateway::kAuto, Gateway::kOpenAi, Gateway::kOpenRouter, Gateway::kAzure,
                    Gateway::kLiteLlm, Gateway::kNewApi})
    g_assert_true(parse_gateway(gateway_name(g)) == g);
  g_assert_false(parse_gateway("sora").has_value());
  g_assert_true(gateway_profile(Gateway::kOpenRouter).body == BodyEncoding::kJson);
  g_assert_true(gateway_profile(Gateway::kAzure).auth == AuthHeader::kApiKey);
  g_assert_true(gateway_profile(Gateway::kAuto).json_fallback);
}

/* Every variable the resolution reads, cleared; restored by the caller's
 * test environment (meson sets them empty). */
static void clear_endpoint_env() {
  for (const char *name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENROUTER_API_KEY",
                           "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"})
    g_unsetenv(name);
}

static void test_resolve_endpoint() {
  clear_endpoint_env();
  /* Nothing set: no server (OpenAI's closed), no key. */
  Endpoint none = resolve_endpoint(Gateway::kAuto, "", "");
  g_assert_true(none.base_url.empty());
  g_assert_true(none.api_key.empty());
  sora_assert_contains(no_endpoint_message(Gateway::kAuto), "2026-09-24");
  sora_assert_contains(no_endpoint_message(Gateway::kAuto), "base-url");

  /* OpenRouter: its own key variable and public endpoint. */
  g_setenv("OPENROUTER_API_KEY", "sk-or-1", TRUE);
  g_setenv("OPENAI_API_KEY", "sk-openai", TRUE);
  sora_assert_contains(no_endpoint_message(Gateway::kAuto), "gateway=openrouter");
  Endpoint openrouter = resolve_endpoint(Gateway::kOpenRouter, "", "");
  g_assert_cmpstr(openrouter.base_url.c_str(), ==, "https://openrouter.ai/api/v1");
  g_assert_cmpstr(openrouter.api_key.c_str(), ==, "sk-or-1");
  g_assert_cmpstr(openrouter.key_source.c_str(), ==, "OPENROUTER_API_KEY");
  /* auto picks OpenRouter from the host, and its key with it. */
  Endpoint by_host = resolve_endpoint(Gateway::kAuto, "https://openrouter.ai/api/v1/", "");
  g_assert_true(by_host.gateway == Gateway::kOpenRouter);
  g_assert_cmpstr(by_host.base_url.c_str(), ==, "https://openrouter.ai/api/v1");
  g_assert_cmpstr(by_host.api_key.c_str(), ==, "sk-or-1");
  /* The property wins over every variable. */
  Endpoint own = resolve_endpoint(Gateway::kOpenRouter, "http://127.0.0.1:9/v1", "sk-mine");
  g_assert_cmpstr(own.base_url.c_str(), ==, "http://127.0.0.1:9/v1");
  g_assert_cmpstr(own.api_key.c_str(), ==, "sk-mine");
  g_assert_true(own.gateway == Gateway::kOpenRouter);
  /* Another family falls back to OPENAI_API_KEY. */
  Endpoint other = resolve_endpoint(Gateway::kAuto, "http://127.0.0.1:4000/v1", "");
  g_assert_cmpstr(other.api_key.c_str(), ==, "sk-openai");
  g_assert_true(other.gateway == Gateway::kAuto);

  /* Azure: the endpoint variable is the resource root; /openai/v1 is added. */
  clear_endpoint_env();
  g_setenv("AZURE_OPENAI_ENDPOINT", "https://myres.openai.azure.com/", TRUE);
  g_setenv("AZURE_OPENAI_API_KEY", "azure-key", TRUE);
  for (Gateway g : {Gateway::kAzure, Gateway::kAuto}) {
    Endpoint azure = resolve_endpoint(g, "", "");
    g_assert_cmpstr(azure.base_url.c_str(), ==, "https://myres.openai.azure.com/openai/v1");
    g_assert_true(azure.gateway == Gateway::kAzure);
    g_assert_cmpstr(azure.api_key.c_str(), ==, "azure-key");
    g_assert_cmpstr(azure.url_source.c_str(), ==, "AZURE_OPENAI_ENDPOINT");
  }
  g_setenv("AZURE_OPENAI_ENDPOINT", "https://myres.openai.azure.com/openai/v1", TRUE);
  sora_assert_str_eq(resolve_endpoint(Gateway::kAzure, "", "").base_url,
                     "https://myres.openai.azure.com/openai/v1");
  /* OPENAI_BASE_URL is the fallback for every family. */
  clear_endpoint_env();
  g_setenv("OPENAI_BASE_URL", "http://127.0.0.1:8/v1", TRUE);
  sora_assert_str_eq(resolve_endpoint(Gateway::kLiteLlm, "", "").base_url, "http://127.0.0.1:8/v1");
  clear_endpoint_env();
}

/* A key from the environment goes only to the endpoint it belongs with; a
 * base URL the application set (base-url, never a URI's or a shot's) is its
 * choice. Each combination of variables, as a user's shell may hold them. */
static void test_key_stays_with_its_endpoint() {
  /* OPENAI_API_KEY is not OpenRouter's key: never sent to its public
   * endpoint, and the "no key" message says why. */
  clear_endpoint_env();
  g_setenv("OPENAI_API_KEY", "sk-openai", TRUE);
  Endpoint openrouter = resolve_endpoint(Gateway::kOpenRouter, "", "");
  sora_assert_str_eq(openrouter.base_url, "https://openrouter.ai/api/v1");
  g_assert_true(openrouter.api_key.empty());
  sora_assert_str_eq(openrouter.withheld_key, "OPENAI_API_KEY");
  sora_assert_contains(withheld_key_note(openrouter),
                       "OPENAI_API_KEY is set but is not sent to "
                       "https://openrouter.ai/api/v1");
  /* Nor to an Azure resource, whatever its host name or the gateway asked. */
  g_setenv("AZURE_OPENAI_ENDPOINT", "https://video.example.com/", TRUE);
  for (Gateway g : {Gateway::kAuto, Gateway::kAzure}) {
    Endpoint azure = resolve_endpoint(g, "", "");
    sora_assert_str_eq(azure.base_url, "https://video.example.com/openai/v1");
    g_assert_true(azure.gateway == Gateway::kAzure);
    g_assert_true(azure.api_key.empty());
  }
  /* With its own key, the Azure resource gets that one, in Azure's header. */
  g_setenv("AZURE_OPENAI_API_KEY", "azure-key", TRUE);
  Endpoint azure = resolve_endpoint(Gateway::kAuto, "", "");
  sora_assert_str_eq(azure.api_key, "azure-key");
  g_assert_true(gateway_profile(azure.gateway).auth == AuthHeader::kApiKey);

  /* OPENAI_API_KEY goes with OPENAI_BASE_URL, whatever the gateway asked. */
  clear_endpoint_env();
  g_setenv("OPENAI_API_KEY", "sk-openai", TRUE);
  g_setenv("OPENAI_BASE_URL", "http://127.0.0.1:8/v1", TRUE);
  Endpoint paired = resolve_endpoint(Gateway::kOpenRouter, "", "");
  sora_assert_str_eq(paired.base_url, "http://127.0.0.1:8/v1");
  sora_assert_str_eq(paired.api_key, "sk-openai");
  g_assert_true(paired.withheld_key.empty());

  /* OPENROUTER_API_KEY goes to OpenRouter only: a base URL on another host
   * (the application's, or OPENAI_BASE_URL) gets OPENAI_API_KEY in auto
   * mode, never the OpenRouter key. */
  g_setenv("OPENROUTER_API_KEY", "sk-or-1", TRUE);
  for (const char *own : {"http://127.0.0.1:9/v1", ""}) {
    Endpoint other = resolve_endpoint(Gateway::kAuto, own, "");
    g_assert_true(other.gateway == Gateway::kAuto);
    sora_assert_str_eq(other.api_key, "sk-openai");
  }
  g_unsetenv("OPENAI_API_KEY");
  g_assert_true(resolve_endpoint(Gateway::kAuto, "http://127.0.0.1:9/v1", "").api_key.empty());
  /* Unless the application says that server is OpenRouter (a proxy of its
   * own): its base URL, its choice. */
  sora_assert_str_eq(resolve_endpoint(Gateway::kOpenRouter, "http://127.0.0.1:9/v1", "").api_key,
                     "sk-or-1");
  /* gateway=openrouter with OPENAI_BASE_URL: the user's environment names
   * both the server and the key (how docs/gateways.md's line is tested). */
  g_setenv("OPENAI_BASE_URL", "http://127.0.0.1:8/v1", TRUE);
  sora_assert_str_eq(resolve_endpoint(Gateway::kOpenRouter, "", "").api_key, "sk-or-1");
  /* The application's own key goes wherever its configuration points. */
  sora_assert_str_eq(resolve_endpoint(Gateway::kOpenRouter, "", "sk-mine").api_key, "sk-mine");
  clear_endpoint_env();
}

/* The JSON body's members, parsed back. */
static JsonObject *parse_body(const RequestBody &body, JsonParser *parser) {
  g_assert_cmpstr(body.content_type.c_str(), ==, "application/json");
  gsize size = 0;
  const char *data = static_cast<const char *>(g_bytes_get_data(body.bytes.get(), &size));
  g_assert_true(json_parser_load_from_data(parser, data, static_cast<gssize>(size), nullptr));
  return json_node_get_object(json_parser_get_root(parser));
}

static void test_json_bodies() {
  VideoRequest r;
  r.prompt = "A cat";
  r.model = "sora-2";
  r.seconds = 8;
  r.size = "1280x720";
  r.metadata = R"({"seed":42,"generate_audio":false})";
  ReferenceImage image;
  image.filename = "ref.png";
  image.mime = "image/png";
  image.bytes.reset(g_bytes_new(kPngBytes.data(), kPngBytes.size()));
  g_autofree char *encoded =
      g_base64_encode(reinterpret_cast<const guchar *>(kPngBytes.data()), kPngBytes.size());
  std::string data_url = std::string("data:image/png;base64,") + encoded;

  /* OpenAI's JSON fields: seconds a string, the image a data URL. */
  g_autoptr(JsonParser) p1 = json_parser_new();
  JsonObject *openai = parse_body(build_create_json_body(r, &image, JsonFields::kOpenAi), p1);
  g_assert_cmpstr(json_object_get_string_member(openai, "model"), ==, "sora-2");
  g_assert_cmpstr(json_object_get_string_member(openai, "seconds"), ==, "8");
  g_assert_cmpstr(json_object_get_string_member(openai, "size"), ==, "1280x720");
  g_assert_cmpstr(json_object_get_string_member(
                      json_object_get_object_member(openai, "input_reference"), "image_url"),
                  ==, data_url.c_str());
  g_assert_cmpint(
      json_object_get_int_member(json_object_get_object_member(openai, "metadata"), "seed"), ==,
      42);

  /* OpenRouter's: duration an integer, the model a slug, the image a first
   * frame, the metadata's members at the top. */
  g_autoptr(JsonParser) p2 = json_parser_new();
  JsonObject *openrouter =
      parse_body(build_create_json_body(r, &image, JsonFields::kOpenRouter), p2);
  g_assert_cmpstr(json_object_get_string_member(openrouter, "model"), ==, "openai/sora-2");
  JsonNode *duration = json_object_get_member(openrouter, "duration");
  g_assert_cmpuint(json_node_get_value_type(duration), ==, G_TYPE_INT64);
  g_assert_cmpint(json_node_get_int(duration), ==, 8);
  g_assert_false(json_object_has_member(openrouter, "seconds"));
  g_assert_cmpstr(json_object_get_string_member(openrouter, "resolution"), ==, "720p");
  g_assert_cmpstr(json_object_get_string_member(openrouter, "aspect_ratio"), ==, "16:9");
  g_assert_false(json_object_has_member(openrouter, "size"));
  JsonObject *frame =
      json_array_get_object_element(json_object_get_array_member(openrouter, "frame_images"), 0);
  g_assert_cmpstr(json_object_get_string_member(frame, "type"), ==, "image_url");
  g_assert_cmpstr(json_object_get_string_member(frame, "frame_type"), ==, "first_frame");
  g_assert_cmpstr(
      json_object_get_string_member(json_object_get_object_member(frame, "image_url"), "url"), ==,
      data_url.c_str());
  g_assert_cmpint(json_object_get_int_member(openrouter, "seed"), ==, 42);
  g_assert_false(json_object_get_boolean_member(openrouter, "generate_audio"));
  g_assert_false(json_object_has_member(openrouter, "metadata"));

  /* A resolution is sent as one; slugs stay as they are. */
  r.size = "720p";
  r.model = "google/veo-3.1";
  r.metadata.clear();
  g_autoptr(JsonParser) p3 = json_parser_new();
  JsonObject *veo = parse_body(build_create_json_body(r, nullptr, JsonFields::kOpenRouter), p3);
  g_assert_cmpstr(json_object_get_string_member(veo, "resolution"), ==, "720p");
  g_assert_false(json_object_has_member(veo, "size"));
  g_assert_cmpstr(json_object_get_string_member(veo, "model"), ==, "google/veo-3.1");
  g_assert_false(json_object_has_member(veo, "frame_images"));
  /* A size of no standard shape goes as it is. */
  r.size = "1792x1024";
  g_autoptr(JsonParser) p4 = json_parser_new();
  JsonObject *odd = parse_body(build_create_json_body(r, nullptr, JsonFields::kOpenRouter), p4);
  g_assert_cmpstr(json_object_get_string_member(odd, "size"), ==, "1792x1024");
  r.size = "1080x1920";
  g_autoptr(JsonParser) p5 = json_parser_new();
  JsonObject *tall = parse_body(build_create_json_body(r, nullptr, JsonFields::kOpenRouter), p5);
  g_assert_cmpstr(json_object_get_string_member(tall, "resolution"), ==, "1080p");
  g_assert_cmpstr(json_object_get_string_member(tall, "aspect_ratio"), ==, "9:16");
  sora_assert_str_eq(openrouter_model_slug("sora-2-pro"), "openai/sora-2-pro");
  sora_assert_str_eq(openrouter_model_slug("kling-v2"), "kling-v2");
}

static void test_progress_fractions() {
  /* LiteLLM in front of Runway: 0.45 is 45 %. */
  g_assert_cmpuint(*parse_ok(R"({"id":"a","progress":0.45})").progress, ==, 45);
  g_assert_cmpuint(*parse_ok(R"({"id":"a","progress":45})").progress, ==, 45);
  g_assert_false(parse_ok(R"({"id":"a","progress":null})").progress.has_value());
  /* Over one task: a first number below 1 is not believed to be a
   * fraction until a second one says so; then 1 is the whole. */
  ProgressScale scale = ProgressScale::kUnknown;
  g_assert_cmpuint(progress_percent(0, scale), ==, 0);
  g_assert_cmpuint(progress_percent(0.2, scale), ==, 0);
  g_assert_cmpuint(progress_percent(0.5, scale), ==, 50);
  g_assert_cmpuint(progress_percent(1, scale), ==, 100);
  /* Where fractions are likely (LiteLLM), the first one counts. */
  ProgressScale likely = ProgressScale::kFractionLikely;
  g_assert_cmpuint(progress_percent(0.45, likely), ==, 45);
  /* A percentage server whose first number is 0.5 %: never read backwards. */
  ProgressScale percent = ProgressScale::kUnknown;
  g_assert_cmpuint(progress_percent(0.5, percent), ==, 1);
  g_assert_cmpuint(progress_percent(12.25, percent), ==, 12);
  g_assert_cmpuint(progress_percent(1, percent), ==, 1);
  g_assert_true(percent == ProgressScale::kPercent);
}

static void test_openrouter_shapes() {
  /* The create answer: 202 with a relative polling URL. */
  VideoObject created = parse_ok(
      R"({"id":"job-abc","polling_url":"/api/v1/videos/job-abc","status":"pending","generation_id":"gen-1"})");
  g_assert_cmpstr(created.polling_url.c_str(), ==, "/api/v1/videos/job-abc");
  g_assert_true(created.state == TaskState::kQueued);
  g_assert_false(created.progress.has_value());
  /* Done: signed URLs before the authenticated ones. */
  VideoObject done = parse_ok(
      R"({"id":"job-abc","status":"completed","urls":["https://cdn.example/v.mp4"],"unsigned_urls":["https://openrouter.ai/api/v1/videos/job-abc/content?index=0"],"usage":{"cost":0.5,"is_byok":false}})");
  g_assert_cmpuint(done.download_urls.size(), ==, 2);
  g_assert_cmpstr(done.download_urls[0].c_str(), ==, "https://cdn.example/v.mp4");
  g_assert_cmpstr(done.download_urls[1].c_str(), ==,
                  "https://openrouter.ai/api/v1/videos/job-abc/content?index=0");
  /* A failure, cancellation or expiry: the error is a plain string. */
  for (const char *status : {"failed", "cancelled", "expired"}) {
    std::string body =
        std::string(R"({"id":"job-abc","status":")") + status + R"(","error":"Provider refused"})";
    VideoObject ended = parse_ok(body.c_str());
    g_assert_true(task_state_is_final(ended.state));
    g_assert_cmpstr(ended.error.message.c_str(), ==, "Provider refused");
  }
  /* new-api's task shape: no id, the status in capitals, "100%". */
  std::string problem;
  std::optional<VideoObject> task = parse_video_object(
      R"({"task_id":"task_0123","status":"SUCCESS","progress":"100%","fail_reason":"","platform":"kling"})",
      &problem, "task_0123");
  g_assert_true(task && task->state == TaskState::kCompleted && *task->progress == 100);
  /* An upstream whose first answer carries no status: still running. */
  std::optional<VideoObject> bare = parse_video_object(R"({"task_id":"task_0123"})", &problem);
  g_assert_true(bare && bare->state == TaskState::kRunning);
}

static void test_model_lists() {
  std::string problem;
  auto openrouter = parse_model_list(
      R"({"data":[{"id":"google/veo-3.1","name":"Veo 3.1","supported_durations":[4,6,8],"supported_resolutions":["720p","1080p"],"supported_aspect_ratios":["16:9","9:16"],"supported_sizes":null},{"name":"no id"}]})",
      &problem);
  g_assert_true(openrouter.has_value());
  g_assert_cmpuint(openrouter->size(), ==, 1);
  const ModelInfo &veo = openrouter->front();
  g_assert_cmpstr(veo.id.c_str(), ==, "google/veo-3.1");
  g_assert_cmpuint(veo.durations.size(), ==, 3);
  g_assert_cmpstr(veo.durations[2].c_str(), ==, "8");
  g_assert_cmpstr(veo.sizes[1].c_str(), ==, "1080p");
  g_assert_cmpstr(veo.aspect_ratios[0].c_str(), ==, "16:9");
  auto openai = parse_model_list(
      R"({"object":"list","data":[{"id":"sora-2","object":"model","owned_by":"openai"}]})",
      &problem);
  g_assert_true(openai && openai->size() == 1 && openai->front().id == "sora-2");
  g_assert_false(parse_model_list(R"({"error":"no"})", &problem).has_value());
  sora_assert_contains(problem, "no list of models");
}

/* ---- the proxy, from the environment ---- */

/* GET `url` with a fresh HttpClient (which reads the environment). */
HttpResponse fetch_once(const std::string &base_url, const std::string &url) {
  std::shared_ptr<IoLoop> loop = IoLoop::shared();
  HttpConfig config;
  config.base_url = base_url;
  config.api_key = "sk-test-0123456789abcdef";
  config.timeout_s = 5;
  std::shared_ptr<HttpClient> client;
  loop->run_sync([&] { client = std::make_shared<HttpClient>(config); });
  std::mutex lock;
  std::condition_variable done;
  std::optional<HttpResponse> answer;
  loop->post([&] {
    HttpRequest request;
    request.url = url;
    client->fetch(std::move(request), nullptr, [&](HttpResponse response) {
      std::lock_guard<std::mutex> guard(lock);
      answer = std::move(response);
      done.notify_all();
    });
  });
  std::unique_lock<std::mutex> guard(lock);
  done.wait(guard, [&] { return answer.has_value(); });
  guard.unlock();
  loop->run_sync([&] { client.reset(); });
  return std::move(*answer);
}

/* http_proxy carries the request to the proxy, as curl and souphttpsrc do;
 * a host no_proxy names goes direct. (Not GLib's default resolver, whose
 * libproxy module costs a lookup per connection.) */
void test_proxy_from_environment() {
  guint16 port = 0;
  GSocketListener *listener = sora_test::listen_on_loopback(&port);
  std::string head;
  std::thread proxy([listener, &head] {
    GSocketConnection *connection = g_socket_listener_accept(listener, nullptr, nullptr, nullptr);
    g_assert_nonnull(connection);
    GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(connection));
    char chunk[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      gssize n = g_input_stream_read(in, chunk, sizeof chunk, nullptr, nullptr);
      if (n <= 0)
        break;
      head.append(chunk, static_cast<size_t>(n));
    }
    constexpr char kAnswer[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n{}";
    g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(connection)), kAnswer,
                              sizeof kAnswer - 1, nullptr, nullptr, nullptr);
    g_io_stream_close(G_IO_STREAM(connection), nullptr, nullptr);
    g_object_unref(connection);
  });
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(port);
  for (const char *name : {"no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"})
    g_unsetenv(name);
  g_setenv("http_proxy", proxy_url.c_str(), TRUE);
  const std::string base = "http://video.example.invalid/v1";
  HttpResponse through = fetch_once(base, base + "/videos/video_1");
  proxy.join();
  g_assert_cmpuint(through.status, ==, 200);
  sora_assert_contains(head, "GET http://video.example.invalid/v1/videos/video_1 HTTP/1.1");

  /* no_proxy: direct, where the name does not resolve; the proxy (gone:
   * it would refuse) is not asked. */
  g_socket_listener_close(listener);
  g_object_unref(listener);
  g_setenv("no_proxy", "localhost, .example.invalid", TRUE);
  HttpResponse direct = fetch_once(base, base + "/videos/video_1");
  g_assert_cmpuint(direct.status, ==, 0);
  g_assert_nonnull(direct.error);
  sora_assert_contains(std::string(direct.error->message), "video.example.invalid");
  g_unsetenv("http_proxy");
  g_unsetenv("no_proxy");
}

/* JSON nested past the limit is refused before json-glib's recursive parser
 * sees it (100,000 levels overflowed the I/O thread's stack); brackets inside
 * strings, escaped quotes and the limit itself are not nesting. */
static void test_json_depth(void) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  g_assert_false(sora::json_depth_within(deep));
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) error = nullptr;
  g_assert_false(sora::load_json_bounded(parser, deep, &error));
  g_assert_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  sora_assert_contains(std::string(error->message), "nested deeper than 64");

  std::string at_limit = std::string(64, '[') + std::string(64, ']');
  g_assert_true(sora::json_depth_within(at_limit));
  g_assert_false(sora::json_depth_within("[" + at_limit + "]"));
  g_assert_true(sora::json_depth_within(R"({"a": "[[[[[[\"{{{{", "b": [1]})", 2));
  g_assert_false(sora::json_depth_within(R"({"a": "\\", "b": [[1]]})", 2));

  std::string problem;
  std::string answer = "{\"id\":\"video_1\",\"status\":" + std::string(100000, '{');
  g_assert_false(sora::parse_video_object(answer, &problem).has_value());
  sora_assert_contains(problem, "nested deeper");

  sora_test::TempDir dir;
  std::string path = dir.path() + "/deep.json";
  g_assert_true(g_file_set_contents(path.c_str(), deep.c_str(), -1, nullptr));
  g_autoptr(JsonParser) from_file = json_parser_new_immutable();
  g_clear_error(&error);
  g_assert_false(sora::load_json_file_bounded(from_file, path, 1 << 20, &error));
  g_clear_error(&error);
  g_assert_false(sora::load_json_file_bounded(from_file, path, 1000, &error));
  sora_assert_contains(std::string(error->message), "larger than 1000 bytes");
}

/* The key blanked in every form a server may echo it in: as it is,
 * JSON-escaped once or twice, URL-encoded in either case, and (in a JSON
 * body) written with \u escapes; an honest body comes back byte for byte. */
static void test_key_redaction(void) {
  const sora::KeyRedaction redaction("sk-a/b+c");
  for (const char *form :
       {"sk-a/b+c", "sk-a\\/b+c", "sk-a\\\\\\/b+c", "sk-a%2Fb%2Bc", "sk-a%2fb%2bc"})
    sora_assert_str_eq(redaction.apply(std::string("<") + form + ">"), "<[redacted]>");
  sora_assert_str_eq(redaction.apply("sk-a-b c"), "sk-a-b c");

  std::string escaped = R"({"error":{"code":"\u0073k-a\/b\u002bc","message":"no"}})";
  std::string body = redaction.apply_to_body(escaped);
  g_assert_true(body.find("[redacted]") != std::string::npos);
  g_assert_true(body.find("sk-a") == std::string::npos);
  const std::string honest = R"({"id":"video_1","progress":1.0,"url":"http:\/\/x\/y"})";
  sora_assert_str_eq(redaction.apply_to_body(honest), honest);
  /* A key too short to tell from ordinary text is left alone. */
  sora_assert_str_eq(sora::KeyRedaction("k").apply("a k b"), "a k b");
}

/* Control characters from a server shown as escapes; text kept. */
static void test_printable_text(void) {
  sora_assert_str_eq(sora::printable_text("\x1b]0;pwned\x07\x1b[2J\r\n\t\x7f"),
                     "\\x1b]0;pwned\\x07\\x1b[2J\\r\\n\\t\\x7f");
  sora_assert_str_eq(sora::printable_text("\xc2\x9b"
                                          "31m"),
                     "\\u009b31m");
  sora_assert_str_eq(sora::printable_text("bad \xff\xc2 end"), "bad \\xff\\xc2 end");
  sora_assert_str_eq(sora::printable_text("vidéo_1 720x1280 ✓"), "vidéo_1 720x1280 ✓");
  sora_assert_str_eq(sora::printable_text(std::string("a\0b", 3)), "a\\x00b");
}

/* Ids that cannot be one URL path segment are refused; others escaped. */
static void test_task_ids(void) {
  for (const char *id : {"", ".", ".."})
    g_assert_true(sora::task_id_problem(id).has_value());
  for (const char *id : {"video_1", "...", ".a", "a/b", "x y"})
    g_assert_false(sora::task_id_problem(id).has_value());
  sora_assert_str_eq(sora::task_path_segment("job/2025+x y"), "job%2F2025%2Bx%20y");
  sora_assert_str_eq(sora::task_path_segment(".."), "%2E%2E");
  sora_assert_str_eq(sora::task_path_segment("a.b"), "a.b");
}

/* A download that restarts from zero (a server ignoring Range, a resume at
 * the wrong place) cuts its part file while a reader may stand between the
 * wait that found its bytes and the pread() of them. The reader is told the
 * bytes are gone and waits again; it never gets the cut file's short read,
 * which the element would turn into a fatal READ error. Both windows are
 * forced: the restart after wait() returned, and one inside read(), through
 * its hook. */
static void test_growing_clip_restart_under_reader() {
  const std::string bytes(4096, 'v');
  std::string path = write_temp("growing.part", bytes);
  /* A clip whose download has written every byte, read 1 KiB in. */
  auto whole = [&](GrowingClip &clip) {
    g_assert_true(g_file_set_contents(path.c_str(), bytes.data(), bytes.size(), nullptr));
    clip.open(path);
    clip.verified(static_cast<gint64>(bytes.size()));
    clip.add(0, bytes.size());
  };
  /* What ClipDownload::restart_from_zero() does: the ranges first, then the
   * file. */
  auto restart = [&path](GrowingClip &clip) {
    clip.restart();
    g_assert_cmpint(truncate(path.c_str(), 0), ==, 0);
  };
  std::vector<char> data(1024);
  int error = -1;

  GrowingClip between;
  whole(between);
  guint64 length = data.size();
  g_assert_true(between.wait(1024, &length) == GrowingClip::Wait::kReady);
  restart(between);
  g_assert_true(between.read(1024, data.data(), length, &error) == GrowingClip::Read::kGone);

  GrowingClip inside;
  whole(inside);
  length = data.size();
  g_assert_true(inside.wait(1024, &length) == GrowingClip::Wait::kReady);
  inside.set_read_hook([&] { restart(inside); });
  g_assert_true(inside.read(1024, data.data(), length, &error) == GrowingClip::Read::kGone);

  /* Untouched, a read gets its bytes; a file shorter than its ranges is an
   * error, not a silent short buffer. */
  GrowingClip plain;
  whole(plain);
  g_assert_true(plain.read(1024, data.data(), data.size(), &error) == GrowingClip::Read::kDone);
  g_assert_true(std::string(data.data(), data.size()) == bytes.substr(1024, 1024));
  g_assert_cmpint(truncate(path.c_str(), 1500), ==, 0);
  g_assert_true(plain.read(1024, data.data(), data.size(), &error) == GrowingClip::Read::kError);
  g_assert_cmpint(error, ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/core/json/depth-bounded", test_json_depth);
  g_test_add_func("/core/key-redaction", test_key_redaction);
  g_test_add_func("/core/printable-text", test_printable_text);
  g_test_add_func("/core/task-id", test_task_ids);
  g_test_add_func("/core/status/words", test_status_words);
  g_test_add_func("/core/video-object/openai", test_video_object_openai);
  g_test_add_func("/core/video-object/shapes", test_video_object_shapes);
  g_test_add_func("/core/video-object/progress", test_progress_forms);
  g_test_add_func("/core/video-object/download-urls", test_download_urls);
  g_test_add_func("/core/video-object/failure-text", test_failure_text);
  g_test_add_func("/core/api-error/shapes", test_api_error_shapes);
  g_test_add_func("/core/request/checks", test_request_checks);
  g_test_add_func("/core/request/reference-images", test_reference_images);
  g_test_add_func("/core/request/multipart", test_multipart_body);
  g_test_add_func("/core/request/storyboard", test_storyboard);
  g_test_add_func("/core/request/metadata", test_metadata);
  g_test_add_func("/core/path-style", test_path_styles);
  g_test_add_func("/core/url-without-userinfo", test_url_without_userinfo);
  g_test_add_func("/core/cache/key", test_cache_key);
  g_test_add_func("/core/cache/fingerprint", test_cache_fingerprint);
  g_test_add_func("/core/cache/fingerprint-stable", test_cache_fingerprint_stable);
  g_test_add_func("/core/xxh64", test_xxh64);
  g_test_add_func("/core/mp4/check", test_mp4_check);
  g_test_add_func("/core/mp4/check-many-boxes", test_mp4_check_many_boxes);
  g_test_add_func("/core/mp4/check-sample-tables", test_mp4_check_sample_tables);
  g_test_add_func("/core/http/proxy-from-environment", test_proxy_from_environment);
  g_test_add_func("/core/gateway/by-url", test_gateway_for_url);
  g_test_add_func("/core/gateway/endpoint", test_resolve_endpoint);
  g_test_add_func("/core/gateway/key-stays-with-its-endpoint", test_key_stays_with_its_endpoint);
  g_test_add_func("/core/gateway/json-bodies", test_json_bodies);
  g_test_add_func("/core/gateway/progress-fractions", test_progress_fractions);
  g_test_add_func("/core/gateway/openrouter-shapes", test_openrouter_shapes);
  g_test_add_func("/core/gateway/model-lists", test_model_lists);
  g_test_add_func("/core/growing-clip/restart-under-reader",
                  test_growing_clip_restart_under_reader);
  sora_test::TempDir dir;
  scratch = &dir;
  return g_test_run();
}
