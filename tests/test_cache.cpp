/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Never pay twice: the generation cache and the task journal. A repeated
 * request is served from disk; a task paid for before a crash or a failed
 * download is found again; concurrent runs share one task; damaged entries
 * are mended; the size limit evicts the least recently used. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "core/mp4_check.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <fstream>
#include <map>
#include <memory>
#include <signal.h>
#include <string>

using sora_test::assert_whole_clip;
using sora_test::EmulatorProcess;
using sora_test::kPrompt;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SeenRequest;

namespace {

/* The cache's records: key -> video id. */
std::map<std::string, std::string> cache_records(const std::string &dir) {
  std::map<std::string, std::string> records;
  g_autoptr(GDir) handle = g_dir_open(dir.c_str(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    if (!g_str_has_suffix(name, ".json"))
      continue;
    g_autofree char *path = g_build_filename(dir.c_str(), name, nullptr);
    g_autoptr(JsonParser) parser = json_parser_new();
    if (!json_parser_load_from_file(parser, path, nullptr))
      continue;
    JsonObject *record = json_node_get_object(json_parser_get_root(parser));
    std::string key(name, strlen(name) - 5);
    records[key] = json_object_get_string_member(record, "video_id");
  }
  return records;
}

class CacheTest {
 public:
  explicit CacheTest(std::vector<std::string> emulator_options = {})
      : emulator(std::move(emulator_options)) {}

  std::string props(const std::string &prompt = kPrompt, const std::string &extra = "") const {
    return sora_test::element_props(emulator, "cache-mode=reuse cache-dir=" + dir.path() +
                                                  " prompt=\"" + prompt + "\" " + extra);
  }

  PipelineResult run(const std::string &prompt = kPrompt, const std::string &extra = "") {
    PipelineRun pipeline(sora_test::decode_pipeline(props(prompt, extra)));
    PipelineResult r = pipeline.play();
    g_autofree char *id = nullptr;
    g_object_get(pipeline.element("src"), "video-id", &id, nullptr);
    last_video_id = id ? id : "";
    return r;
  }

  /* Two runs of one request at once, in this process; each to its end. */
  struct Together {
    PipelineResult a, b;
    std::string id_a, id_b; /* their video-id after the run */
  };
  Together run_together(const std::string &extra = "") {
    PipelineRun a(sora_test::decode_pipeline(props(kPrompt, extra)));
    PipelineRun b(sora_test::decode_pipeline(props(kPrompt, extra)));
    gst_element_set_state(a.pipeline(), GST_STATE_PLAYING);
    gst_element_set_state(b.pipeline(), GST_STATE_PLAYING);
    Together r;
    a.collect(r.a, 60);
    b.collect(r.b, 60);
    for (auto [run, id] : {std::pair{&a, &r.id_a}, std::pair{&b, &r.id_b}}) {
      g_autofree char *value = nullptr;
      g_object_get(run->element("src"), "video-id", &value, nullptr);
      *id = value ? value : "";
    }
    return r;
  }

  /* The clip file of the only (or first) entry. */
  std::string clip_of(const std::string &video_id) {
    for (const auto &[key, id] : cache_records(dir.path())) {
      if (id == video_id)
        return dir.file(key + ".mp4");
    }
    g_error("no cache entry for %s", video_id.c_str());
  }

  sora_test::TempDir dir;
  EmulatorProcess emulator;
  std::string last_video_id;
};

std::vector<std::string> cache_events(const PipelineResult &r) {
  std::vector<std::string> events;
  for (const GstStructure *s : r.messages_named("sora-cache"))
    events.push_back(gst_structure_get_string(s, "event"));
  return events;
}

bool has_event(const PipelineResult &r, const char *event) {
  for (const std::string &e : cache_events(r)) {
    if (e == event)
      return true;
  }
  return false;
}

/* gst-launch-1.0 with a description that holds quoted values: through a
 * shell, which splits it as a user's would. */
std::vector<std::string> launch_command(const std::string &description) {
  return {"/bin/sh", "-c", "exec gst-launch-1.0 " + description};
}

size_t count(EmulatorProcess &emulator, const char *method, const char *suffix) {
  size_t n = 0;
  for (const SeenRequest &r : emulator.requests())
    n += r.method == method && g_str_has_suffix(r.path.c_str(), suffix);
  return n;
}

void test_second_run_makes_no_request() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string first_id = t.last_video_id;
  size_t seen = t.emulator.requests().size();
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);

  PipelineResult again = t.run();
  assert_whole_clip(again);
  g_assert_cmpuint(t.emulator.requests().size(), ==, seen);
  g_assert_true(has_event(again, "hit"));
  for (const GstStructure *s : again.messages_named("sora-cache"))
    sora_assert_str_eq(gst_structure_get_string(s, "video-id"), first_id);
  sora_assert_str_eq(t.last_video_id, first_id);
  /* Nothing to wait for: no PROGRESS (gst-launch-1.0 plays at once), and
   * the run's end says where the clip came from. */
  g_assert_cmpuint(again.progress_messages.size(), ==, 0);
  const GstStructure *end = again.messages_named("sora-status").back();
  sora_assert_str_eq(gst_structure_get_string(end, "phase"), "completed");
  gboolean from_cache = FALSE;
  g_assert_true(gst_structure_get_boolean(end, "from-cache", &from_cache));
  g_assert_true(from_cache);
}

void test_hit_copies_to_location() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string location = t.dir.file("copy.mp4");
  assert_whole_clip(t.run(kPrompt, "location=" + location));
  g_autofree char *copy = nullptr, *cached = nullptr;
  gsize copy_size = 0, cached_size = 0;
  g_assert_true(g_file_get_contents(location.c_str(), &copy, &copy_size, nullptr));
  g_assert_true(
      g_file_get_contents(t.clip_of(t.last_video_id).c_str(), &cached, &cached_size, nullptr));
  g_assert_cmpuint(copy_size, ==, cached_size);
  g_assert_true(memcmp(copy, cached, copy_size) == 0);
}

/* A process killed while its task runs: the next run finds the task in the
 * journal and attaches to it. */
void test_journal_survives_kill() {
  CacheTest t({"--generation-ms", "4000"});
  ProcessRun doomed(launch_command("soravideosrc " + t.props() + " ! fakesink"), {});
  doomed.start();
  sora_test::wait_until("the first poll", [&t] {
    return count(t.emulator, "GET", "") >= 1 && t.emulator.create_count() >= 1;
  });
  std::string paid_id = t.emulator.created_video_id();
  doomed.send_signal(SIGKILL);
  ProcessResult killed = doomed.wait(10);
  g_assert_false(killed.exited);
  /* The journal was on disk before the first poll. */
  g_assert_cmpuint(cache_records(t.dir.path()).size(), ==, 1);
  sora_assert_str_eq(cache_records(t.dir.path()).begin()->second, paid_id);

  PipelineResult rerun = t.run();
  assert_whole_clip(rerun);
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  sora_assert_str_eq(t.last_video_id, paid_id);
  g_assert_true(has_event(rerun, "resumed"));
}

void test_journal_after_failed_download() {
  CacheTest t;
  t.emulator.configure(
      R"({"faults":[{"route":"content","action":"truncate","after_bytes":0,"times":-1}]})");
  PipelineResult failed = t.run(kPrompt, "retries=0");
  g_assert_true(failed.has_error());
  std::string paid_id = t.last_video_id;
  t.emulator.configure(R"({"faults":[]})");

  PipelineResult rerun = t.run();
  assert_whole_clip(rerun);
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  sora_assert_str_eq(t.last_video_id, paid_id);
}

void test_concurrent_runs_in_process() {
  CacheTest t;
  CacheTest::Together both = t.run_together();
  const PipelineResult &ra = both.a, &rb = both.b;
  g_assert_true(ra.eos);
  g_assert_true(rb.eos);
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  /* One ran the task; the other waited for it and took its clip. */
  g_assert_true(has_event(ra, "waiting") != has_event(rb, "waiting"));
  g_assert_true(has_event(ra, "hit") || has_event(rb, "hit"));
}

void test_concurrent_processes() {
  CacheTest t;
  /* A slow create answer: without the lock, the second process would find
   * no journal yet and create a task of its own. */
  t.emulator.configure(
      R"({"faults":[{"route":"create","action":"delay","delay_ms":1500,"times":-1}]})");
  std::vector<std::unique_ptr<ProcessRun>> processes;
  std::vector<std::string> outputs;
  for (const char *name : {"one.mp4", "two.mp4"}) {
    outputs.push_back(t.dir.file(name));
    processes.push_back(std::make_unique<ProcessRun>(
        launch_command("soravideosrc " + t.props(kPrompt, "location=" + outputs.back()) +
                       " ! fakesink"),
        std::map<std::string, std::string>{}));
    processes.back()->start();
  }
  for (auto &process : processes) {
    ProcessResult r = process->wait(60);
    if (!r.exited || r.status != 0)
      g_error("gst-launch-1.0 failed:\n%s\n%s", r.out.c_str(), r.err.c_str());
  }
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  for (const std::string &output : outputs)
    g_assert_true(sora::check_mp4_file(output).ok);
}

/* A run waiting for another's entry stops at once, and the other goes on. */
void test_cancel_while_waiting() {
  CacheTest t;
  t.emulator.configure(R"({"faults":[{"route":"create","action":"delay","delay_ms":1500}]})");
  PipelineRun first(sora_test::decode_pipeline(t.props()));
  PipelineRun second(sora_test::decode_pipeline(t.props()));
  gst_element_set_state(first.pipeline(), GST_STATE_PLAYING);
  /* Once its create request is in, the first holds the entry for 1.5 s. */
  sora_test::wait_until("the first run's create request",
                        [&t] { return t.emulator.create_count() > 0; });
  gst_element_set_state(second.pipeline(), GST_STATE_PLAYING);
  GstBus *bus = gst_element_get_bus(second.pipeline());
  GstMessage *waiting = nullptr;
  while (!waiting) {
    GstMessage *msg = gst_bus_timed_pop_filtered(bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT);
    g_assert_nonnull(msg);
    if (gst_structure_has_name(gst_message_get_structure(msg), "sora-cache"))
      waiting = msg;
    else
      gst_message_unref(msg);
  }
  sora_assert_str_eq(gst_structure_get_string(gst_message_get_structure(waiting), "event"),
                     "waiting");
  gst_message_unref(waiting);
  gst_object_unref(bus);
  gint64 start = g_get_monotonic_time();
  gst_element_set_state(second.pipeline(), GST_STATE_NULL);
  g_assert_cmpint(g_get_monotonic_time() - start, <, 200 * 1000);
  PipelineResult r;
  first.collect(r, 60);
  g_assert_true(r.eos);
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
}

void corrupt(const std::string &path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(0);
  file.write("garbage garbage!", 16);
}

void test_corrupt_entry_fetched_again() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string id = t.last_video_id;
  corrupt(t.clip_of(id));
  PipelineResult again = t.run();
  assert_whole_clip(again);
  /* Fetched again from /content: the task is still there. */
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  g_assert_cmpuint(count(t.emulator, "GET", "/content"), ==, 2);
  g_assert_true(has_event(again, "resumed"));
  g_assert_true(sora::check_mp4_file(t.clip_of(id)).ok);
}

void test_corrupt_and_expired_regenerated() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string id = t.last_video_id;
  corrupt(t.clip_of(id));
  t.emulator.configure(R"({"expire_now":")" + id + "\"}");
  PipelineResult again = t.run();
  assert_whole_clip(again);
  g_assert_cmpuint(t.emulator.create_count(), ==, 2);
  g_assert_true(has_event(again, "stale"));
  g_assert_cmpstr(t.last_video_id.c_str(), !=, id.c_str());
}

/* The journalled task is gone, and the create that makes the request anew
 * loses its answer: from the stale event on, nothing names the dead task,
 * which a user would try to resume in vain: not the messages, not the
 * error, not video-id. (The chaos soak found the retry messages and
 * video-id still naming it.) */
void test_stale_then_create_lost() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string id = t.last_video_id;
  corrupt(t.clip_of(id));
  t.emulator.configure(R"({"expire_now":")" + id +
                       R"(","faults":[{"route":"create","times":1,"action":"status","status":502},)"
                       R"({"route":"create","times":1,"action":"accept_then_drop"}]})");
  PipelineResult again = t.run();
  g_assert_true(again.has_error());
  sora_assert_contains(again.error_message, "may have created");
  g_assert_null(strstr(again.error_message.c_str(), id.c_str()));
  g_assert_cmpstr(gst_structure_get_string(again.error_details, "video-id"), ==, "");
  g_assert_cmpstr(t.last_video_id.c_str(), ==, "");
  bool stale = false;
  for (const GstStructure *s : again.element_messages) {
    const char *named = gst_structure_get_string(s, "video-id");
    if (stale && named)
      g_assert_cmpstr(named, !=, id.c_str());
    stale = stale || (gst_structure_has_name(s, "sora-cache") &&
                      g_strcmp0(gst_structure_get_string(s, "event"), "stale") == 0);
  }
  g_assert_true(stale);
  for (const GstStructure *s : again.progress_messages) {
    if (g_strcmp0(gst_structure_get_string(s, "phase"), "retrying") == 0)
      g_assert_cmpstr(gst_structure_get_string(s, "video-id"), !=, id.c_str());
  }
  g_assert_cmpuint(t.emulator.create_count(), ==, 3);
}

void test_truncated_entry_fetched_again() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string clip = t.clip_of(t.last_video_id);
  g_autofree char *contents = nullptr;
  gsize size = 0;
  g_assert_true(g_file_get_contents(clip.c_str(), &contents, &size, nullptr));
  g_assert_true(
      g_file_set_contents(clip.c_str(), contents, static_cast<gssize>(size / 2), nullptr));
  assert_whole_clip(t.run());
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
}

void test_eviction_least_recently_used() {
  CacheTest t;
  assert_whole_clip(t.run("first"));
  std::string first_id = t.last_video_id;
  guint64 clip_size = sora::check_mp4_file(t.clip_of(t.last_video_id)).size;
  /* Room for two clips, not three. */
  std::string limit = "cache-max-size=" + std::to_string(clip_size * 5 / 2);
  assert_whole_clip(t.run("second", limit));
  assert_whole_clip(t.run("third", limit));
  std::map<std::string, std::string> records = cache_records(t.dir.path());
  g_assert_cmpuint(records.size(), ==, 2);
  /* "first" was the least recently used: it is the one gone. */
  for (const auto &[key, id] : records)
    g_assert_true(id != first_id);
  assert_whole_clip(t.run("second", limit)); /* a hit: "second" is now the most recent */
  g_assert_cmpuint(t.emulator.create_count(), ==, 3);
  assert_whole_clip(t.run("fourth", limit));
  /* "third" went, "second" stayed. */
  size_t before = t.emulator.create_count();
  assert_whole_clip(t.run("second", limit));
  g_assert_cmpuint(t.emulator.create_count(), ==, before);
  assert_whole_clip(t.run("third", limit));
  g_assert_cmpuint(t.emulator.create_count(), ==, before + 1);
  guint64 total = 0;
  for (const auto &[key, id] : cache_records(t.dir.path()))
    total += sora::check_mp4_file(t.dir.file(key + ".mp4")).size;
  g_assert_cmpuint(total, <=, clip_size * 5 / 2);
}

void test_refresh_and_off() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string first = t.last_video_id;
  assert_whole_clip(t.run(kPrompt, "cache-mode=refresh"));
  g_assert_cmpuint(t.emulator.create_count(), ==, 2);
  std::map<std::string, std::string> records = cache_records(t.dir.path());
  g_assert_cmpuint(records.size(), ==, 1);
  g_assert_cmpstr(records.begin()->second.c_str(), !=, first.c_str());
  sora_assert_str_eq(records.begin()->second, t.last_video_id);

  /* off: no read (a new task), no write (the entry is untouched). */
  std::string refreshed = t.last_video_id;
  assert_whole_clip(t.run(kPrompt, "cache-mode=off"));
  g_assert_cmpuint(t.emulator.create_count(), ==, 3);
  sora_assert_str_eq(cache_records(t.dir.path()).begin()->second, refreshed);
  assert_whole_clip(t.run("another prompt", "cache-mode=off"));
  g_assert_cmpuint(cache_records(t.dir.path()).size(), ==, 1);
}

/* Runs told to refresh one request at once, as the nodes of a farm do when
 * an error told each to: one new generation, not one each (the chaos soak
 * found two paid tasks). A refresh replaces what was delivered before it
 * began; behind another run on the lock it takes what that run made. */
void test_refresh_at_once_shares_one_generation() {
  CacheTest t;
  assert_whole_clip(t.run());
  std::string old_id = t.last_video_id;
  CacheTest::Together both = t.run_together("cache-mode=refresh");
  g_assert_true(both.a.eos);
  g_assert_true(both.b.eos);
  g_assert_cmpuint(t.emulator.create_count(), ==, 2);
  sora_assert_str_eq(both.id_a, both.id_b);
  g_assert_cmpstr(both.id_a.c_str(), !=, old_id.c_str());
  g_assert_true(has_event(both.a, "hit") != has_event(both.b, "hit"));

  /* Asked after that generation was delivered, a refresh makes another. */
  assert_whole_clip(t.run(kPrompt, "cache-mode=refresh"));
  g_assert_cmpuint(t.emulator.create_count(), ==, 3);
  g_assert_cmpstr(t.last_video_id.c_str(), !=, both.id_a.c_str());
}

/* A task paid for and never delivered (the run was killed while it
 * generated) is what a refresh delivers: attached to, not paid again. */
void test_refresh_takes_an_undelivered_task() {
  CacheTest t;
  t.emulator.configure(
      R"({"faults":[{"route":"content","times":-1,"action":"status","status":503}]})");
  PipelineResult failed = t.run(kPrompt, "retries=0");
  g_assert_true(failed.has_error());
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  std::string paid = cache_records(t.dir.path()).begin()->second;
  t.emulator.configure(R"({"faults":[]})");
  PipelineResult r = t.run(kPrompt, "cache-mode=refresh");
  assert_whole_clip(r);
  g_assert_true(has_event(r, "resumed"));
  g_assert_cmpuint(t.emulator.create_count(), ==, 1);
  sora_assert_str_eq(t.last_video_id, paid);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/cache/second-run-makes-no-request", test_second_run_makes_no_request);
  g_test_add_func("/cache/hit-copies-to-location", test_hit_copies_to_location);
  g_test_add_func("/cache/journal/survives-kill", test_journal_survives_kill);
  g_test_add_func("/cache/journal/after-failed-download", test_journal_after_failed_download);
  g_test_add_func("/cache/concurrent/in-process", test_concurrent_runs_in_process);
  g_test_add_func("/cache/concurrent/processes", test_concurrent_processes);
  g_test_add_func("/cache/concurrent/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func("/cache/integrity/corrupt-fetched-again", test_corrupt_entry_fetched_again);
  g_test_add_func("/cache/integrity/truncated-fetched-again", test_truncated_entry_fetched_again);
  g_test_add_func("/cache/integrity/expired-regenerated", test_corrupt_and_expired_regenerated);
  g_test_add_func("/cache/integrity/expired-then-create-lost", test_stale_then_create_lost);
  g_test_add_func("/cache/eviction/least-recently-used", test_eviction_least_recently_used);
  g_test_add_func("/cache/modes/refresh-and-off", test_refresh_and_off);
  g_test_add_func("/cache/modes/refresh-at-once", test_refresh_at_once_shares_one_generation);
  g_test_add_func("/cache/modes/refresh-takes-undelivered", test_refresh_takes_an_undelivered_task);
  return g_test_run();
}
