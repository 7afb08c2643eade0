/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The rest of the video API a pipeline can use: remixes, extensions, the
 * thumbnail and spritesheet variants, and the sora-tasks tool (list, show,
 * download, delete, resume), each with its errors. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"
#include "core/video_request.h"

#include <gst/gst.h>

#include <map>
#include <string>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;

namespace {

sora_test::TempDir *scratch;

/* A finished task to build on; returns its id. */
std::string finished_task(EmulatorProcess &emulator, const std::string &prompt = "A cat walking") {
  PipelineRun run(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=\"" + prompt + "\"")));
  g_assert_true(run.play().eos);
  g_autofree char *id = nullptr;
  g_object_get(run.element("src"), "video-id", &id, nullptr);
  return id;
}

void test_remix() {
  EmulatorProcess emulator;
  std::string source = finished_task(emulator);
  PipelineResult r =
      sora_test::generate(emulator, "remix-of=" + source + " prompt=\"The cat takes a bow\"");
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_cmpuint(r.video_frames, ==, 120); /* the remix keeps the source's 4 s */
  std::vector<SeenRequest> remixes = emulator.requests("POST", "/v1/videos/" + source + "/remix");
  g_assert_cmpuint(remixes.size(), ==, 1);
  sora_assert_str_eq(remixes[0].body_kind, "json");
  JsonObject *body = json_object_get_object_member(remixes[0].record, "json");
  sora_assert_str_eq(json_object_get_string_member(body, "prompt"), "The cat takes a bow");
  g_assert_cmpuint(json_object_get_size(body), ==, 1);
  /* The server's own record says what it remixed. */
  std::string remix_id = json_object_get_string_member(remixes[0].record, "video_id");
  unsigned status = 0;
  std::string task = emulator.http("GET", emulator.base_url() + "/videos/" + remix_id, &status);
  sora_assert_contains(task, "\"remixed_from_video_id\":\"" + source + "\"");
}

void test_remix_unknown() {
  EmulatorProcess emulator;
  PipelineResult r = sora_test::generate(emulator, "remix-of=video_nope prompt=again");
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NOT_FOUND);
  sora_assert_contains(r.error_message, "Remixing video_nope failed");
  sora_assert_contains(r.error_message, "HTTP 404");
  /* An API 404 with a code is about the id: no path-style probing. */
  g_assert_cmpuint(emulator.requests().size(), ==, 1);
}

void test_remix_unfinished_source() {
  EmulatorProcess emulator({"--generation-ms", "60000"});
  PipelineRun running(
      sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=slow")));
  gst_element_set_state(running.pipeline(), GST_STATE_PLAYING);
  sora_test::wait_until("the create request", [&emulator] { return emulator.create_count() > 0; });
  std::string source = emulator.created_video_id();
  PipelineResult r = sora_test::generate(emulator, "remix-of=" + source + " prompt=again");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_contains(r.error_message, "Remixing " + source + " failed");
  sora_assert_contains(r.error_message, "HTTP 400");
}

void test_follow_up_settings() {
  EmulatorProcess emulator;
  for (const auto &[extra, property] : std::vector<std::pair<std::string, const char *>>{
           {"remix-of=a extend-of=b prompt=x", "extend-of"},
           {"remix-of=a prompt=x metadata={}", "metadata"},
           {"extend-of=a prompt=x seconds=0", "seconds"},
           {"extend-of=a prompt=x seconds=5", "seconds"},
           {"remix-of=a prompt=\"\"", "prompt"}}) {
    PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, extra)));
    g_assert_cmpint(gst_element_set_state(run.pipeline(), GST_STATE_PAUSED), ==,
                    GST_STATE_CHANGE_FAILURE);
    PipelineResult r;
    run.collect(r, 5);
    g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
    sora_assert_str_eq(gst_structure_get_string(r.error_details, "property"), property);
  }
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

void test_extend() {
  EmulatorProcess emulator;
  std::string source = finished_task(emulator);
  PipelineResult r = sora_test::generate(
      emulator, "extend-of=" + source + " seconds=4 prompt=\"The cat walks on\"");
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_cmpuint(r.video_frames, ==, 240); /* the stitched whole: 4 s + 4 s */
  std::vector<SeenRequest> posts = emulator.requests("POST", "/v1/videos/extensions");
  g_assert_cmpuint(posts.size(), ==, 1);
  sora_assert_str_eq(posts[0].body_kind, "multipart");
  sora_assert_str_eq(posts[0].field("video[id]"), source);
  sora_assert_str_eq(posts[0].field("seconds"), "4");
  sora_assert_str_eq(posts[0].field("prompt"), "The cat walks on");
}

/* A still: decoded, frozen into a few frames of the clip's size. */
void assert_image_variant(const char *variant, const char *caps, int width, int height) {
  EmulatorProcess emulator;
  std::string id = finished_task(emulator);
  PipelineRun run("soravideosrc name=src cache-mode=off " +
                  sora_test::element_props(emulator, "video-id=" + id + " variant=" + variant) +
                  " ! decodebin ! imagefreeze num-buffers=3 ! videoconvert ! "
                  "fakesink name=vsink sync=false");
  PipelineResult r = run.play();
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_cmpuint(r.video_frames, ==, 3);
  g_assert_cmpint(r.width, >, 0);
  if (width > 0) {
    g_assert_cmpint(r.width, ==, width);
    g_assert_cmpint(r.height, ==, height);
  }
  GstPad *pad = gst_element_get_static_pad(run.element("src"), "src");
  g_autoptr(GstCaps) allowed = gst_pad_query_caps(pad, nullptr);
  gst_object_unref(pad);
  g_autoptr(GstCaps) expected = gst_caps_from_string(caps);
  g_assert_true(gst_caps_can_intersect(allowed, expected));
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos/" + id + "/content").size(), ==,
                   2); /* mp4 + still */
  /* No new task for a still of a task that exists. */
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

void test_thumbnail() {
  assert_image_variant("thumbnail", "image/webp", 720, 1280);
}

void test_spritesheet() {
  assert_image_variant("spritesheet", "image/jpeg", 0, 0); /* a grid: its own size */
}

/* Push mode: the bytes go out with caps that match them. */
void test_thumbnail_push_caps() {
  EmulatorProcess emulator;
  std::string id = finished_task(emulator);
  std::string out = scratch->file("thumb.webp");
  PipelineRun run("soravideosrc name=src cache-mode=off " +
                  sora_test::element_props(emulator, "video-id=" + id + " variant=thumbnail") +
                  " ! capsfilter caps=image/webp ! filesink location=" + out);
  g_assert_true(run.play().eos);
  g_autofree char *bytes = nullptr;
  gsize size = 0;
  g_assert_true(g_file_get_contents(out.c_str(), &bytes, &size, nullptr));
  sora_assert_str_eq(sora::sniff_image_mime(reinterpret_cast<const guint8 *>(bytes), size),
                     "image/webp");
}

void test_variant_lacking() {
  EmulatorProcess emulator;
  emulator.configure(R"({"dialect":{"variants":"video_only"}})");
  std::string id = finished_task(emulator);
  PipelineResult r = sora_test::generate(emulator, "video-id=" + id + " variant=thumbnail");
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_contains(r.error_message, "Supported values are: 'video'");
  g_assert_cmpuint(r.video_frames, ==, 0);
}

/* Without the cache, the same element asked for another variant fetches it
 * from the task it already paid for: no second generation. */
void test_variant_switch_keeps_task() {
  EmulatorProcess emulator;
  PipelineRun run("soravideosrc name=src cache-mode=off " +
                  sora_test::element_props(emulator, "prompt=\"A fox\"") + " ! fakesink");
  g_assert_true(run.play().eos);
  std::string id = emulator.created_video_id();
  g_object_set(run.element("src"), "variant", 1 /* thumbnail */, nullptr);
  PipelineResult still = run.play();
  g_assert_true(still.eos);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  std::vector<SeenRequest> thumbnails = emulator.requests("GET", "/v1/videos/" + id + "/content");
  g_assert_cmpuint(thumbnails.size(), ==, 2);
  JsonObject *query = json_object_get_object_member(thumbnails[1].record, "query");
  sora_assert_str_eq(json_object_get_string_member(query, "variant"), "thumbnail");
}

/* With the cache, a thumbnail of a request reuses the task of its video. */
void test_variant_cached_separately() {
  EmulatorProcess emulator;
  std::string cache = "cache-mode=reuse cache-dir=" + scratch->file("variant-cache");
  PipelineRun video(
      sora_test::decode_pipeline(sora_test::element_props(emulator, cache + " prompt=\"A fox\"")));
  g_assert_true(video.play().eos);
  PipelineRun thumb(
      "soravideosrc name=src " +
      sora_test::element_props(emulator, cache + " prompt=\"A fox\" variant=thumbnail") +
      " ! decodebin ! imagefreeze num-buffers=1 ! fakesink");
  g_assert_true(thumb.play().eos);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  size_t seen = emulator.requests().size();
  PipelineRun again(
      "soravideosrc name=src " +
      sora_test::element_props(emulator, cache + " prompt=\"A fox\" variant=thumbnail") +
      " ! decodebin ! imagefreeze num-buffers=1 ! fakesink");
  g_assert_true(again.play().eos);
  g_assert_cmpuint(emulator.requests().size(), ==, seen); /* its own entry: a hit */
}

/* ---- sora-tasks ---- */

/* sora-tasks as a user runs it, the key and server in its environment. */
ProcessResult tool(EmulatorProcess &emulator, std::vector<std::string> args) {
  const char *binary = g_getenv("SORA_TASKS");
  g_assert_nonnull(binary);
  args.insert(args.begin(), binary);
  ProcessResult run = ProcessRun::run(std::move(args), sora_test::user_env(emulator));
  g_assert_true(run.exited);
  return run;
}

size_t count_lines_with(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    n++;
  return n;
}

void test_tool_list() {
  EmulatorProcess emulator;
  std::vector<std::string> ids = {finished_task(emulator, "one"), finished_task(emulator, "two"),
                                  finished_task(emulator, "three")};
  ProcessResult page = tool(emulator, {"list", "--limit", "2"});
  g_assert_cmpint(page.status, ==, 0);
  /* Newest first: three, two; and the way to the next page. */
  sora_assert_contains(page.out, ids[2]);
  sora_assert_contains(page.out, ids[1]);
  g_assert_true(page.out.find(ids[0]) == std::string::npos);
  sora_assert_contains(page.out, "more: sora-tasks list --after " + ids[1]);
  /* The next page is asked for the way this one was. */
  sora_assert_contains(page.out, "--limit 2 --order desc");
  sora_assert_contains(page.out, "STATUS");
  sora_assert_contains(page.out, "completed");
  sora_assert_contains(page.out, "720x1280");

  ProcessResult rest = tool(emulator, {"list", "--after", ids[1]});
  sora_assert_contains(rest.out, ids[0]);
  g_assert_cmpuint(count_lines_with(rest.out, "video_"), ==, 1);

  ProcessResult ascending = tool(emulator, {"list", "--limit", "1", "--order", "asc"});
  sora_assert_contains(ascending.out,
                       "more: sora-tasks list --after " + ids[0] + " --limit 1 --order asc");

  ProcessResult all = tool(emulator, {"list", "--all", "--limit", "1", "--order", "asc"});
  g_assert_cmpint(all.status, ==, 0);
  size_t first = all.out.find(ids[0]), second = all.out.find(ids[1]), third = all.out.find(ids[2]);
  g_assert_true(first < second && second < third && third != std::string::npos);
  /* Paging used after= and limit= as the API has them. */
  g_assert_cmpuint(emulator.requests("GET", "/v1/videos").size(), ==, 1 + 1 + 1 + 3);
}

void test_tool_show() {
  EmulatorProcess emulator;
  std::string id = finished_task(emulator);
  ProcessResult shown = tool(emulator, {"show", id});
  g_assert_cmpint(shown.status, ==, 0);
  for (const char *field : {"status", "progress", "model", "seconds", "size", "prompt", "expires"})
    sora_assert_contains(shown.out, field);
  sora_assert_contains(shown.out, "completed (completed)");
  ProcessResult missing = tool(emulator, {"show", "video_missing"});
  g_assert_cmpint(missing.status, ==, 1);
  sora_assert_contains(missing.err, "HTTP 404");
  sora_assert_contains(missing.err, "video_missing");
}

void test_tool_download() {
  EmulatorProcess emulator;
  std::string id = finished_task(emulator);
  std::string mp4 = scratch->file("tool.mp4");
  ProcessResult video = tool(emulator, {"download", id, "-o", mp4});
  g_assert_cmpint(video.status, ==, 0);
  sora_assert_contains(video.err, "100%");
  unsigned status = 0;
  std::string served =
      emulator.http("GET", emulator.base_url() + "/videos/" + id + "/content", &status);
  g_autofree char *kept = nullptr;
  gsize kept_size = 0;
  g_assert_true(g_file_get_contents(mp4.c_str(), &kept, &kept_size, nullptr));
  g_assert_cmpuint(kept_size, ==, served.size());
  g_assert_true(memcmp(kept, served.data(), kept_size) == 0);

  std::string sprite = scratch->file("tool.jpg");
  g_assert_cmpint(tool(emulator, {"download", id, "--variant", "spritesheet", "-o", sprite}).status,
                  ==, 0);
  g_autofree char *jpeg = nullptr;
  gsize jpeg_size = 0;
  g_assert_true(g_file_get_contents(sprite.c_str(), &jpeg, &jpeg_size, nullptr));
  sora_assert_str_eq(sora::sniff_image_mime(reinterpret_cast<const guint8 *>(jpeg), jpeg_size),
                     "image/jpeg");

  emulator.configure(R"({"dialect":{"variants":"video_only"}})");
  ProcessResult lacking =
      tool(emulator, {"download", id, "--variant", "thumbnail", "-o", scratch->file("no.webp")});
  g_assert_cmpint(lacking.status, ==, 1);
  sora_assert_contains(lacking.err, "Supported values are: 'video'");
  /* A variant the tool does not know is a usage mistake, found before any request. */
  size_t seen = emulator.requests().size();
  ProcessResult unknown = tool(emulator, {"download", id, "--variant", "poster"});
  g_assert_cmpint(unknown.status, ==, 2);
  sora_assert_contains(unknown.err, "--variant must be video, thumbnail or spritesheet");
  g_assert_cmpuint(emulator.requests().size(), ==, seen);
}

void test_tool_delete() {
  EmulatorProcess emulator({"--generation-ms", "60000"});
  /* A running task cannot be deleted: the server's reason comes back. */
  std::string running_id;
  {
    PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=slow")));
    gst_element_set_state(run.pipeline(), GST_STATE_PLAYING);
    sora_test::wait_until("the create request",
                          [&emulator] { return emulator.create_count() > 0; });
    running_id = emulator.created_video_id();
  }
  ProcessResult refused = tool(emulator, {"delete", running_id});
  g_assert_cmpint(refused.status, ==, 1);
  sora_assert_contains(refused.err, "only completed or failed videos can be deleted");

  EmulatorProcess quick;
  std::string done = finished_task(quick);
  ProcessResult deleted = tool(quick, {"delete", done});
  g_assert_cmpint(deleted.status, ==, 0);
  sora_assert_contains(deleted.out, "Deleted " + done);
  g_assert_cmpint(tool(quick, {"show", done}).status, ==, 1);
}

void test_tool_resume() {
  EmulatorProcess emulator;
  std::string id = finished_task(emulator);
  ProcessResult resumed = tool(emulator, {"resume", id});
  g_assert_cmpint(resumed.status, ==, 0);
  sora_assert_contains(resumed.out, "soravideosrc video-id=" + std::string("'") + id + "'");
  sora_assert_contains(resumed.out, "sora://video/" + id);

  emulator.configure(R"({"fail_next":{"code":"moderation_blocked","message":"Blocked."}})");
  PipelineRun failing(sora_test::decode_pipeline(sora_test::element_props(emulator, "prompt=bad")));
  g_assert_true(failing.play().has_error());
  std::string failed_id = emulator.created_video_id(emulator.create_count() - 1);
  ProcessResult nothing = tool(emulator, {"resume", failed_id});
  g_assert_cmpint(nothing.status, ==, 1);
  sora_assert_contains(nothing.err, "Blocked. (moderation_blocked)");
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/operations/remix", test_remix);
  g_test_add_func("/operations/remix-unknown", test_remix_unknown);
  g_test_add_func("/operations/remix-unfinished-source", test_remix_unfinished_source);
  g_test_add_func("/operations/follow-up-settings", test_follow_up_settings);
  g_test_add_func("/operations/extend", test_extend);
  g_test_add_func("/operations/variant/thumbnail", test_thumbnail);
  g_test_add_func("/operations/variant/spritesheet", test_spritesheet);
  g_test_add_func("/operations/variant/thumbnail-push-caps", test_thumbnail_push_caps);
  g_test_add_func("/operations/variant/lacking", test_variant_lacking);
  g_test_add_func("/operations/variant/cached-separately", test_variant_cached_separately);
  g_test_add_func("/operations/variant/switch-keeps-task", test_variant_switch_keeps_task);
  g_test_add_func("/operations/tool/list", test_tool_list);
  g_test_add_func("/operations/tool/show", test_tool_show);
  g_test_add_func("/operations/tool/download", test_tool_download);
  g_test_add_func("/operations/tool/delete", test_tool_delete);
  g_test_add_func("/operations/tool/resume", test_tool_resume);
  return g_test_run();
}
