/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Offline chaining at real generation times: `sora-tasks generate` makes the
 * clips (side by side, into the cache), then ges-launch-1.0 renders the GES
 * project it wrote without one more request to the server. Tasks take longer
 * than GES's 60 s discovery limit, which is what made `ges-launch-1.0 +clip
 * sora://generate/...` fail with real models. Also: a rerun pays nothing,
 * a failed shot is named by its number and the others are kept, and a run
 * stopped by SIGTERM is picked up by the next one without a second create.
 * The commands are those of docs/guide.md, "Editing offline with GES". */
#include "assertions.h"
#include "emulator_process.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;

namespace {

sora_test::TempDir *scratch;

/* Small clips: what is tested is the chaining, not the encoder's speed. */
constexpr char kSmallClips[] = R"({"clip": {"size": "320x240"}})";

const std::vector<std::string> kPrompts = {"A lighthouse at dawn", "Waves on the rocks",
                                           "Gulls over the harbour"};

std::string sora_tasks() {
  const char *binary = g_getenv("SORA_TASKS");
  g_assert_nonnull(binary);
  return binary;
}

std::vector<std::string> generate_args(const std::vector<std::string> &prompts,
                                       const std::vector<std::string> &extra = {}) {
  std::vector<std::string> args = {sora_tasks(), "generate"};
  for (const std::string &prompt : prompts) {
    args.push_back("--prompt");
    args.push_back(prompt);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  g_auto(GStrv) split = g_strsplit(text.c_str(), "\n", -1);
  for (char **line = split; *line; line++) {
    if (**line)
      out.push_back(*line);
  }
  return out;
}

/* The prompt of each task the emulator made, by id. */
std::map<std::string, std::string> task_prompts(EmulatorProcess &emulator) {
  std::map<std::string, std::string> prompts;
  emulator.for_each_task([&prompts](JsonObject *task) {
    prompts[json_object_get_string_member(task, "id")] =
        json_object_get_string_member(task, "prompt");
  });
  return prompts;
}

/* The URIs printed, one per shot in order, each naming the task made for
 * that shot's prompt. */
void assert_uris_in_order(EmulatorProcess &emulator, const std::string &out,
                          const std::vector<std::string> &prompts) {
  std::vector<std::string> uris = lines(out);
  g_assert_cmpuint(uris.size(), ==, prompts.size());
  std::map<std::string, std::string> made = task_prompts(emulator);
  for (size_t i = 0; i < uris.size(); i++) {
    g_assert_true(g_str_has_prefix(uris[i].c_str(), "sora://video/"));
    std::string id = uris[i].substr(strlen("sora://video/"));
    sora_assert_str_eq(made[id], prompts[i]);
  }
}

void assert_ran(const ProcessResult &r, int status, const char *what) {
  if (!r.exited || r.status != status)
    g_error("%s: exited %d with %d (wanted %d)\nstdout:\n%s\nstderr:\n%s", what, r.exited,
            r.status, status, r.out.c_str(), r.err.c_str());
}

/* ---- the guide's recipe, with tasks slower than GES's discoverer ---- */

void test_slow_tasks_render() {
  /* Each task is in progress for 62 s: longer than GstDiscoverer's 60 s
   * in GES, as real models are. */
  EmulatorProcess emulator({"--generation-ms", "62000"});
  emulator.configure(kSmallClips);
  std::string dir = scratch->fresh_dir("slow");
  auto env = sora_test::user_env(emulator, dir + "/cache");
  std::string project = dir + "/edit.xges";

  ProcessResult made = ProcessRun::run(
      generate_args(kPrompts, {"--max-parallel", "3", "--xges", project}), env, 400);
  assert_ran(made, 0, "sora-tasks generate");
  assert_uris_in_order(emulator, made.out, kPrompts);
  g_assert_cmpuint(emulator.create_count(), ==, 3);
  /* Every task took longer than GES's discovery limit, and they were
   * generated side by side: each was created before the first one finished
   * (the emulator's clock, whatever the machine's load). */
  gint64 last_created = 0, first_completed = G_MAXINT64;
  emulator.for_each_task([&](JsonObject *task) {
    gint64 created = json_object_get_int_member(task, "created_us");
    gint64 completed = json_object_get_int_member(task, "completed_us");
    g_assert_cmpint(completed - created, >, 60 * G_USEC_PER_SEC);
    last_created = std::max(last_created, created);
    first_completed = std::min(first_completed, completed);
  });
  g_assert_cmpint(last_created, <, first_completed);
  /* Progress per shot on stderr, named as users count. */
  for (const char *shot : {"[1/3]", "[2/3]", "[3/3]"})
    sora_assert_contains(made.err, shot);
  g_assert_true(g_file_test(project.c_str(), G_FILE_TEST_EXISTS));

  /* ges-launch-1.0 loads the project and renders it; every clip comes from
   * the cache: not one request reaches the server. */
  emulator.clear_requests();
  std::string output = dir + "/edit.mp4";
  g_autofree char *output_uri = g_filename_to_uri(output.c_str(), nullptr, nullptr);
  ProcessResult rendered = ProcessRun::run(
      {sora_test::require_program("ges-launch-1.0"), "--load", project, "-o", output_uri, "-f",
       "video/quicktime,variant=iso:video/x-h264:audio/mpeg,mpegversion=4"},
      env, 400);
  assert_ran(rendered, 0, "ges-launch-1.0 --load");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
  g_assert_cmpuint(emulator.create_count(), ==, 0); /* since generate: still 3 in all */

  /* The programme decodes whole: three 4 s clips, one after the other. */
  PipelineRun check("filesrc location=\"" + output +
                    "\" ! decodebin name=d d. ! queue ! videoconvert ! fakesink name=vsink "
                    "d. ! queue ! audioconvert ! fakesink name=asink");
  PipelineResult r = check.play(120);
  if (r.has_error())
    g_error("%s", r.error_message.c_str());
  g_assert_true(r.eos);
  g_assert_cmpuint(r.video_frames, >=, 3 * 120 - 3);
  g_assert_cmpuint(r.video_frames, <=, 3 * 120 + 3);
  g_assert_cmpint(r.width, ==, 320);
  g_assert_cmpint(r.height, ==, 240);
  g_assert_cmpuint(r.audio_duration, >=, 12 * GST_SECOND - 200 * GST_MSECOND);
  g_assert_cmpuint(r.audio_duration, <=, 12 * GST_SECOND + 200 * GST_MSECOND);
}

/* ---- fast cases ---- */

/* What the tool had from its environment, given to a source uridecodebin
 * made in this process: the server, the key and the cache. */
void setup_as_user(GstElement *, GstElement *source, gpointer data) {
  auto &env = *static_cast<std::map<std::string, std::string> *>(data);
  std::string cache_dir = env["XDG_CACHE_HOME"] + "/gstreamer-sora";
  g_object_set(source, "api-key", sora_test::kTestKey, "base-url", env["OPENAI_BASE_URL"].c_str(),
               "cache-dir", cache_dir.c_str(), nullptr);
}

/* The same command again pays nothing, and `sora://video/ID` of a shot is a
 * cache hit: no request at all. */
void test_rerun_pays_nothing() {
  EmulatorProcess emulator;
  emulator.configure(kSmallClips);
  std::string dir = scratch->fresh_dir("rerun");
  auto env = sora_test::user_env(emulator, dir + "/cache");
  std::vector<std::string> prompts(kPrompts.begin(), kPrompts.begin() + 2);
  ProcessResult first = ProcessRun::run(generate_args(prompts), env);
  assert_ran(first, 0, "first run");
  g_assert_cmpuint(emulator.create_count(), ==, 2);
  emulator.clear_requests();
  ProcessResult again = ProcessRun::run(generate_args(prompts), env);
  assert_ran(again, 0, "second run");
  sora_assert_str_eq(again.out, first.out);
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
  sora_assert_contains(again.err, "served from the cache");

  /* --output-dir: the clips copied, byte for byte what the server made, and
   * the URIs printed name the copies. */
  std::string copies = dir + "/clips";
  ProcessResult copied = ProcessRun::run(generate_args(prompts, {"--output-dir", copies}), env);
  assert_ran(copied, 0, "a run with --output-dir");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
  std::vector<std::string> files = lines(copied.out);
  g_assert_cmpuint(files.size(), ==, 2);
  for (size_t i = 0; i < files.size(); i++) {
    std::string id = lines(first.out)[i].substr(strlen("sora://video/"));
    std::string file = copies + "/shot-0" + std::to_string(i + 1) + ".mp4";
    g_autofree char *uri = g_filename_to_uri(file.c_str(), nullptr, nullptr);
    sora_assert_str_eq(files[i], uri);
    g_autofree char *got = nullptr;
    g_autofree char *made = nullptr;
    gsize got_size = 0, made_size = 0;
    g_assert_true(g_file_get_contents(file.c_str(), &got, &got_size, nullptr));
    g_assert_true(g_file_get_contents(emulator.rendered_clip(id).c_str(), &made, &made_size,
                                      nullptr));
    g_assert_cmpmem(got, got_size, made, made_size);
  }

  /* A URI of a shot, played with that cache: served from it. */
  std::string uri = lines(first.out)[1];
  PipelineRun play("uridecodebin uri=\"" + uri +
                   "\" name=d d. ! queue ! videoconvert ! fakesink name=vsink");
  g_signal_connect(play.element("d"), "source-setup", G_CALLBACK(setup_as_user), &env);
  PipelineResult r = play.play(60);
  g_assert_false(r.has_error());
  g_assert_cmpuint(r.video_frames, ==, 120);
  std::vector<const GstStructure *> cache = r.messages_named("sora-cache");
  g_assert_cmpuint(cache.size(), >=, 1);
  sora_assert_str_eq(gst_structure_get_string(cache[0], "event"), "hit");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

/* A shot the server fails is named by its number as users count, with its
 * prompt and the server's reason; the others are kept, and a rerun pays for
 * the failed one only. */
void test_failed_shot() {
  EmulatorProcess emulator;
  emulator.configure(R"({"clip": {"size": "320x240"}, "prompt_rules": [{"prompt_contains":
      "rocks", "fail": {"code": "moderation_blocked", "message": "Blocked by moderation."}}]})");
  std::string dir = scratch->fresh_dir("failed");
  auto env = sora_test::user_env(emulator, dir + "/cache");
  ProcessResult r = ProcessRun::run(generate_args(kPrompts), env);
  assert_ran(r, 1, "a run with a failing shot");
  sora_assert_contains(r.err, "shot 2 of 3 (\"Waves on the rocks\") failed:");
  sora_assert_contains(r.err, "Blocked by moderation.");
  std::vector<std::string> uris = lines(r.out);
  g_assert_cmpuint(uris.size(), ==, 2);
  g_assert_cmpuint(emulator.create_count(), ==, 3);

  emulator.configure(R"({"prompt_rules": []})");
  ProcessResult again = ProcessRun::run(generate_args(kPrompts), env);
  assert_ran(again, 0, "the rerun");
  assert_uris_in_order(emulator, again.out, kPrompts);
  std::vector<std::string> now = lines(again.out);
  sora_assert_str_eq(now[0], uris[0]);
  sora_assert_str_eq(now[2], uris[1]);
  g_assert_cmpuint(emulator.create_count(), ==, 4);
}

/* SIGTERM while every task is generating: the run stops at once without
 * cancelling anything, and the next run attaches to the journalled tasks. */
void test_sigterm_then_rerun() {
  EmulatorProcess emulator({"--generation-ms", "10000"});
  emulator.configure(kSmallClips);
  std::string dir = scratch->fresh_dir("sigterm");
  auto env = sora_test::user_env(emulator, dir + "/cache");
  ProcessRun run(generate_args(kPrompts), env);
  run.start();
  gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
  while (task_prompts(emulator).size() < 3 && g_get_monotonic_time() < deadline)
    g_usleep(50 * 1000);
  g_assert_cmpuint(emulator.create_count(), ==, 3);
  run.send_signal(SIGTERM);
  ProcessResult stopped = run.wait(60);
  assert_ran(stopped, 128 + SIGTERM, "the run stopped by SIGTERM");
  sora_assert_contains(stopped.err, "stay journalled");
  /* Nothing was deleted or cancelled on the server. */
  for (const auto &request : emulator.requests())
    g_assert_true(request.method != "DELETE");

  ProcessResult again = ProcessRun::run(generate_args(kPrompts), env);
  assert_ran(again, 0, "the rerun");
  assert_uris_in_order(emulator, again.out, kPrompts);
  g_assert_cmpuint(emulator.create_count(), ==, 3);
}

/* Every record of the cache directory `dir`, one after the other. */
std::string journal_text(const std::string &dir) {
  std::string text;
  g_autoptr(GDir) listing = g_dir_open(dir.c_str(), 0, nullptr);
  g_assert_nonnull(listing);
  while (const char *name = g_dir_read_name(listing)) {
    if (!g_str_has_suffix(name, ".json"))
      continue;
    g_autofree char *path = g_build_filename(dir.c_str(), name, nullptr);
    g_autofree char *record = nullptr;
    g_assert_true(g_file_get_contents(path, &record, nullptr, nullptr));
    text += record;
  }
  return text;
}

/* SIGTERM while the create request waits for its answer: the run waits for
 * it (the server may bill the task whether its answer is read or not), so
 * the task is journalled, and the next run attaches to it. */
void test_sigterm_during_create() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"clip": {"size": "320x240"}, "faults": [{"route": "create", "action": "delay",
          "delay_ms": 5000}]})");
  std::string dir = scratch->fresh_dir("sigterm-create");
  auto env = sora_test::user_env(emulator, dir + "/cache");
  std::vector<std::string> prompt = {kPrompts[0]};
  ProcessRun run(generate_args(prompt), env);
  run.start();
  gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
  while (emulator.requests("POST", "/v1/videos").empty() && g_get_monotonic_time() < deadline)
    g_usleep(20 * 1000);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  run.send_signal(SIGTERM);
  ProcessResult stopped = run.wait(60);
  assert_ran(stopped, 128 + SIGTERM, "the run stopped during its create");
  /* It had the answer before it exited: the journal names the task. */
  std::map<std::string, std::string> tasks = task_prompts(emulator);
  g_assert_cmpuint(tasks.size(), ==, 1);
  std::string journal = journal_text(dir + "/cache/gstreamer-sora");
  sora_assert_contains(journal, "\"video_id\" : \"" + tasks.begin()->first + "\"");
  sora_assert_contains(journal, "\"state\" : \"created\"");
  sora_assert_contains(stopped.err, "waiting for create requests already sent");

  ProcessResult again = ProcessRun::run(generate_args(prompt), env);
  assert_ran(again, 0, "the rerun");
  assert_uris_in_order(emulator, again.out, prompt);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(emulator.task_count(), ==, 1);
}

/* A playlist in soraplaylistsrc's form, then --prompt shots: in that order,
 * each shot's own settings, and the project cut to a shot's `duration`. */
void test_playlist_project() {
  EmulatorProcess emulator;
  emulator.configure(kSmallClips);
  std::string dir = scratch->fresh_dir("playlist");
  auto env = sora_test::user_env(emulator, dir + "/cache");
  std::string playlist = dir + "/shots.json";
  g_assert_true(g_file_set_contents(
      playlist.c_str(),
      R"([{"prompt": "A lighthouse at dawn", "duration": 2.5},
          {"prompt": "Waves on the rocks", "seconds": 8}])",
      -1, nullptr));
  std::string project = dir + "/edit.xges";
  ProcessResult r = ProcessRun::run(
      generate_args({"Gulls over the harbour"}, {"--playlist", playlist, "--xges", project}), env);
  assert_ran(r, 0, "a playlist and a prompt");
  assert_uris_in_order(emulator, r.out, kPrompts);
  std::vector<SeenRequest> creates = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(creates.size(), ==, 3);
  for (const SeenRequest &create : creates)
    sora_assert_str_eq(create.field("seconds"),
                       create.field("prompt") == kPrompts[1] ? "8" : "4");
  g_autofree char *text = nullptr;
  g_assert_true(g_file_get_contents(project.c_str(), &text, nullptr, nullptr));
  std::vector<std::string> uris = lines(r.out);
  /* Each clip where the one before ends, as long as the shot says or its
   * clip lasts. */
  const std::pair<GstClockTime, GstClockTime> spans[] = {
      {0, 2500 * GST_MSECOND}, {2500 * GST_MSECOND, 8 * GST_SECOND},
      {10500 * GST_MSECOND, 4 * GST_SECOND}};
  for (size_t i = 0; i < 3; i++)
    sora_assert_contains(text, "asset-id='" + uris[i] +
                                   "' type-name='GESUriClip' layer-priority='0' track-types='6' "
                                   "start='" +
                                   std::to_string(spans[i].first) + "' duration='" +
                                   std::to_string(spans[i].second) + "'");
}

/* Bad input is refused before anything is sent. */
void test_usage() {
  EmulatorProcess emulator;
  auto env = sora_test::user_env(emulator, scratch->fresh_dir("usage"));
  ProcessResult none = ProcessRun::run({sora_tasks(), "generate"}, env);
  assert_ran(none, 2, "no prompt");
  sora_assert_contains(none.err, "--prompt");
  ProcessResult bad = ProcessRun::run(generate_args({"x"}, {"--gateway", "nope"}), env);
  assert_ran(bad, 2, "a bad gateway");
  sora_assert_contains(bad.err, "--gateway 'nope'");
  std::string playlist = scratch->write("bad.json", R"([{"prompt": "a"}, {"colour": "blue"}])");
  ProcessResult shot = ProcessRun::run({sora_tasks(), "generate", "--playlist", playlist}, env);
  assert_ran(shot, 2, "a bad playlist");
  sora_assert_contains(shot.err, "colour");
  auto no_key = env;
  no_key["OPENAI_API_KEY"] = "";
  ProcessResult keyless = ProcessRun::run(generate_args({"x", "y"}), no_key);
  assert_ran(keyless, 1, "no key");
  sora_assert_contains(keyless.err, "no API key: set OPENAI_API_KEY");
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/ges-chaining/usage", test_usage);
  g_test_add_func("/ges-chaining/rerun-pays-nothing", test_rerun_pays_nothing);
  g_test_add_func("/ges-chaining/playlist-project", test_playlist_project);
  g_test_add_func("/ges-chaining/failed-shot", test_failed_shot);
  g_test_add_func("/ges-chaining/sigterm-then-rerun", test_sigterm_then_rerun);
  g_test_add_func("/ges-chaining/sigterm-during-create", test_sigterm_during_create);
  g_test_add_func("/ges-chaining/slow-tasks-render", test_slow_tasks_render);
  return g_test_run();
}
