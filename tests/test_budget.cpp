/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Costs and budgets end to end (issue 22): a create priced before it is
 * sent, refused before its POST when it would go over the budget, the
 * ledger shared by processes, cache hits free, attached tasks counted once,
 * and the server's own figure recorded instead of the estimate. Each case
 * checks the requests the emulator saw and what the ledger holds. */
#include "core/spend_ledger.h"

#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <csignal>
#include <cstring>
#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::SeenRequest;
using sora_test::TempDir;
using sora_test::wait_until;

namespace {

constexpr char kShortClips[] = R"({"dialect": {"models": "any"}})";

/* Every entry of the ledger in `cache`, today's. */
std::vector<sora::LedgerEntry> ledger(const std::string &cache) {
  sora::SpendLedger spend(cache);
  std::string problem;
  g_assert_true(spend.open(&problem));
  const gint64 now = g_get_real_time();
  return spend.read(now, now);
}

std::string props(const std::string &cache, const std::string &extra) {
  return "cache-dir=" + cache + " " + extra;
}

/* The sora-cost messages of a run, by their event field. */
std::vector<const GstStructure *> cost_messages(const PipelineResult &r, const char *event) {
  std::vector<const GstStructure *> found;
  for (const GstStructure *s : r.messages_named("sora-cost")) {
    if (g_strcmp0(gst_structure_get_string(s, "event"), event) == 0)
      found.push_back(s);
  }
  return found;
}

double field_double(const GstStructure *s, const char *name) {
  double value = -2;
  g_assert_true(gst_structure_get_double(s, name, &value));
  return value;
}

/* sora-2, 4 s at 720x1280: 0.40 USD. A budget of 0.50 lets the first
 * through and refuses the second before its POST. */
void test_second_refused() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  PipelineResult first = sora_test::generate(emulator, props(cache, "budget=0.5"));
  sora_test::assert_whole_clip(first);
  std::vector<const GstStructure *> estimates = cost_messages(first, "estimate");
  g_assert_cmpuint(estimates.size(), ==, 1);
  g_assert_cmpfloat_with_epsilon(field_double(estimates[0], "estimate"), 0.40, 1e-9);
  g_assert_cmpfloat_with_epsilon(field_double(estimates[0], "spent"), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon(field_double(estimates[0], "budget"), 0.5, 1e-9);
  g_assert_cmpstr(gst_structure_get_string(estimates[0], "currency"), ==, "USD");
  g_assert_nonnull(strstr(gst_structure_get_string(estimates[0], "entry"), "sora-2, 720p"));

  PipelineResult second =
      sora_test::generate(emulator, props(cache, "budget=0.5 prompt=\"Another prompt\""));
  g_assert_true(second.has_error());
  g_assert_true(second.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(second.error_code, ==, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  for (const char *words : {"spend is 0.40 USD", "estimated at 0.40 USD", "budget of 0.50 USD",
                            "Refused before any request was sent"})
    g_assert_nonnull(strstr(second.error_message.c_str(), words));
  g_assert_cmpuint(cost_messages(second, "refused").size(), ==, 1);
  g_assert_cmpuint(emulator.create_count(), ==, 1); /* the second never reached the server */

  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 1);
  const std::string created = emulator.created_video_id();
  g_assert_cmpstr(entries[0].task.c_str(), ==, created.c_str());
  g_assert_true(entries[0].estimate == 400000);
  g_assert_cmpstr(entries[0].how.c_str(), ==, "create");

  /* sora-tasks spend reads the same ledger: no server, no key */
  const char *tool = g_getenv("SORA_TASKS");
  g_assert_nonnull(tool);
  sora_test::ProcessResult json =
      sora_test::ProcessRun::run({tool, "spend", "--cache-dir", cache, "--json"}, {});
  g_assert_cmpint(json.status, ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(parser, json.out.c_str(), -1, nullptr));
  JsonObject *root = json_node_get_object(json_parser_get_root(parser));
  JsonArray *rows = json_object_get_array_member(root, "by_model");
  g_assert_cmpuint(json_array_get_length(rows), ==, 1);
  JsonObject *row = json_array_get_object_element(rows, 0);
  g_assert_cmpstr(json_object_get_string_member(row, "model"), ==, "sora-2");
  g_assert_cmpstr(json_object_get_string_member(row, "gateway"), ==, "auto");
  g_assert_cmpint(json_object_get_int_member(row, "tasks"), ==, 1);
  g_assert_cmpfloat_with_epsilon(json_object_get_double_member(row, "spend"), 0.40, 1e-9);
  sora_test::ProcessResult table =
      sora_test::ProcessRun::run({tool, "spend", "--cache-dir", cache, "--days", "7"}, {});
  g_assert_cmpint(table.status, ==, 0);
  g_assert_nonnull(strstr(table.out.c_str(), "0.40 USD, 1 task"));
}

/* The same request again is a cache hit: free, whatever the budget. */
void test_cache_hit_free() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  /* the tests' pipelines run with cache-mode=off unless told otherwise */
  /* one element run twice: the first run's estimate, then none for the hit */
  sora_test::PipelineRun run(
      "soravideosrc name=src " +
      sora_test::element_props(emulator, props(cache, "cache-mode=reuse budget=0.5")) +
      " ! fakesink");
  PipelineResult first = run.play();
  g_assert_true(first.eos && !first.has_error());
  double estimate = 0;
  g_object_get(run.element("src"), "cost-estimate", &estimate, nullptr);
  g_assert_cmpfloat_with_epsilon(estimate, 0.40, 1e-9);
  PipelineResult again = run.play();
  g_assert_true(again.eos && !again.has_error());
  g_object_get(run.element("src"), "cost-estimate", &estimate, nullptr);
  g_assert_cmpfloat_with_epsilon(estimate, -1, 1e-9);
  bool hit = false;
  for (const GstStructure *s : again.messages_named("sora-cache"))
    hit = hit || g_strcmp0(gst_structure_get_string(s, "event"), "hit") == 0;
  g_assert_true(hit);
  g_assert_cmpuint(cost_messages(again, "estimate").size(), ==, 0);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(ledger(cache).size(), ==, 1);
}

/* A task attached to by id is recorded once (from the server's own
 * description), however often it is fetched; the element's own task,
 * fetched again by id, is not recorded twice. */
void test_attach_once() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  sora_test::assert_whole_clip(sora_test::generate(emulator, props(cache, "")));
  const std::string own = emulator.created_video_id();
  sora_test::assert_whole_clip(
      sora_test::generate(emulator, props(cache, "cache-mode=off video-id=" + own)));
  g_assert_cmpuint(ledger(cache).size(), ==, 1);

  /* a task someone else paid for, with a ledger of their own */
  const std::string elsewhere = dir.fresh_dir("elsewhere");
  sora_test::assert_whole_clip(
      sora_test::generate(emulator, props(elsewhere,
                                          "prompt=\"Made elsewhere\" seconds=8 "
                                          "size=1280x720")),
      1280, 720, 8);
  const std::string other = emulator.created_video_id(1);
  for (int i = 0; i < 2; i++)
    sora_test::assert_whole_clip(
        sora_test::generate(emulator, props(cache, "cache-mode=off video-id=" + other)), 1280, 720,
        8);
  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 2);
  g_assert_cmpstr(entries[1].how.c_str(), ==, "attach");
  g_assert_cmpstr(entries[1].task.c_str(), ==, other.c_str());
  g_assert_true(entries[1].estimate == 800000); /* 8 s at 720p, as the server described it */
  g_assert_cmpuint(emulator.create_count(), ==, 2);
}

/* A run killed while its task generates: the next run of the request
 * resumes the journalled task, and the ledger still counts it once. */
void test_resume_once() {
  EmulatorProcess emulator({"--generation-ms", "4000"});
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  sora_test::ProcessRun killed(
      {"gst-launch-1.0", "-q", "soravideosrc", "budget=0.5", "cache-dir=" + cache,
       std::string("prompt=") + sora_test::kPrompt, "!", "fakesink"},
      sora_test::user_env(emulator));
  killed.start();
  wait_until("the create", [&] { return emulator.create_count() == 1; });
  wait_until("the ledger's task", [&] {
    std::vector<sora::LedgerEntry> entries = ledger(cache);
    return entries.size() == 1 && !entries[0].task.empty();
  });
  killed.send_signal(SIGKILL);
  killed.wait(30);
  /* 0.40 of 0.50 spent: another create would be refused, a resume is not one */
  PipelineResult resumed =
      sora_test::generate(emulator, props(cache, "cache-mode=reuse budget=0.5"));
  sora_test::assert_whole_clip(resumed);
  bool told = false;
  for (const GstStructure *s : resumed.messages_named("sora-cache"))
    told = told || g_strcmp0(gst_structure_get_string(s, "event"), "resumed") == 0;
  g_assert_true(told);
  g_assert_cmpuint(cost_messages(resumed, "estimate").size(), ==, 0);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 1);
  const std::string created = emulator.created_video_id();
  g_assert_cmpstr(entries[0].task.c_str(), ==, created.c_str());
}

/* A model the list does not know: refused under a budget (nothing sent),
 * let through with budget-unknown=allow and recorded of unknown cost. */
void test_unknown_model() {
  EmulatorProcess emulator;
  emulator.configure(kShortClips);
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  PipelineResult refused = sora_test::generate(emulator, props(cache, "model=veo-9 budget=10"));
  g_assert_true(refused.has_error());
  g_assert_nonnull(strstr(refused.error_message.c_str(), "no entry for model veo-9"));
  g_assert_nonnull(strstr(refused.error_message.c_str(), "budget-unknown=allow"));
  g_assert_cmpuint(emulator.create_count(), ==, 0);
  g_assert_cmpuint(ledger(cache).size(), ==, 0);

  PipelineResult allowed =
      sora_test::generate(emulator, props(cache, "model=veo-9 budget=10 budget-unknown=allow"));
  sora_test::assert_whole_clip(allowed);
  std::vector<const GstStructure *> estimates = cost_messages(allowed, "estimate");
  g_assert_cmpuint(estimates.size(), ==, 1);
  gboolean known = TRUE;
  g_assert_true(gst_structure_get_boolean(estimates[0], "known", &known));
  g_assert_false(known);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 1);
  g_assert_false(entries[0].estimate.has_value());
}

/* A server that reports the task's cost (OpenRouter's usage.cost, LiteLLM's
 * x-litellm-response-cost): that figure replaces the estimate. */
void test_reported_cost() {
  EmulatorProcess emulator;
  emulator.configure(R"({"dialect": {"report_cost": 0.37}})");
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  PipelineResult r = sora_test::generate(emulator, props(cache, "budget=5"));
  sora_test::assert_whole_clip(r);
  std::vector<const GstStructure *> reported = cost_messages(r, "reported");
  g_assert_cmpuint(reported.size(), ==, 1);
  g_assert_cmpfloat_with_epsilon(field_double(reported[0], "cost"), 0.37, 1e-9);
  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 1);
  g_assert_true(entries[0].estimate == 400000);
  g_assert_true(entries[0].cost == 370000);
  g_assert_cmpint(sora::add_up(entries, "USD").micros, ==, 370000);

  emulator.configure(
      R"({"dialect": {"report_cost": null, "response_headers": {"x-litellm-response-cost": "0.55"}}})");
  sora_test::assert_whole_clip(
      sora_test::generate(emulator, props(cache, "budget=5 prompt=\"Second\"")));
  entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 2);
  g_assert_true(entries[1].cost == 550000);
}

/* Two processes sharing a cache race for the last part of a budget: one
 * create in all, the other refused before its POST. */
void test_race() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  std::vector<std::unique_ptr<sora_test::ProcessRun>> runs;
  for (const char *prompt : {"Racer one", "Racer two"}) {
    std::vector<std::string> argv = {"gst-launch-1.0",
                                     "-q",
                                     "soravideosrc",
                                     "budget=0.6",
                                     "cache-dir=" + cache,
                                     std::string("prompt=") + prompt,
                                     "!",
                                     "fakesink"};
    auto env = sora_test::user_env(emulator);
    env["GST_DEBUG"] = "soravideosrc:4,sora:4"; /* said only if a racer hangs */
    runs.push_back(std::make_unique<sora_test::ProcessRun>(argv, env));
  }
  for (auto &run : runs)
    run->start();
  int succeeded = 0, refused = 0;
  for (auto &run : runs) {
    sora_test::ProcessResult result = run->wait(120);
    if (result.timed_out)
      g_error("a racer did not end: %s %s", result.out.c_str(), result.err.c_str());
    if (result.status == 0)
      succeeded++;
    else if (strstr(result.err.c_str(), "ERROR: from element") &&
             strstr(result.err.c_str(), "Over budget: today's"))
      refused++;
    else
      g_error("unexpected: %s %s", result.out.c_str(), result.err.c_str());
  }
  g_assert_cmpint(succeeded, ==, 1);
  g_assert_cmpint(refused, ==, 1);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  g_assert_cmpuint(ledger(cache).size(), ==, 1);
}

/* A ledger a killed process left with a torn last line is still read: its
 * whole entries count, and the next entry lands on a line of its own. */
void test_killed_writer() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  sora_test::assert_whole_clip(sora_test::generate(emulator, props(cache, "")));
  const std::string file = cache + "/ledger-" + sora::ledger_day(g_get_real_time()) + ".jsonl";
  sora::LedgerEntry torn;
  torn.id = "torn";
  torn.time_us = g_get_real_time();
  torn.estimate = 100000000;
  torn.currency = "USD";
  std::string line = sora::ledger_line(torn);
  FILE *out = fopen(file.c_str(), "a");
  fwrite(line.data(), 1, line.size() / 2, out);
  fclose(out);
  /* 0.40 spent: 0.80 lets one more 0.40 through, then refuses */
  sora_test::assert_whole_clip(
      sora_test::generate(emulator, props(cache, "budget=0.8 prompt=\"After the kill\"")));
  PipelineResult refused =
      sora_test::generate(emulator, props(cache, "budget=0.8 prompt=\"One too many\""));
  g_assert_true(refused.has_error());
  g_assert_nonnull(strstr(refused.error_message.c_str(), "spend is 0.80 USD"));
  g_assert_cmpuint(emulator.create_count(), ==, 2);
  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 2);
  for (const sora::LedgerEntry &entry : entries)
    g_assert_cmpstr(entry.id.c_str(), !=, "torn");
}

/* Three shots at 0.10 USD/s (a price list of the test's own: any size),
 * 2 s, 4 s and 1 s, under a programme budget of 0.50: the second would
 * take the spend to 0.60 and is refused before its create. */
constexpr char kProgrammePrices[] = R"({"currency": "USD", "read": "2026-12-06", "prices": [
  {"models": ["sora-2"], "per_second": 0.10, "source": "test"}]})";
constexpr char kProgramme[] = R"([
  {"prompt": "First shot fits", "seconds": 2, "size": "320x180"},
  {"prompt": "Second shot is too dear", "seconds": 4, "size": "320x180"},
  {"prompt": "Third shot fits again", "seconds": 1, "size": "320x180"}
])";

PipelineResult play_programme(EmulatorProcess &emulator, const TempDir &dir,
                              const std::string &cache, const char *on_failure) {
  emulator.configure(kShortClips);
  const std::string prices = dir.write("prices.json", kProgrammePrices);
  const std::string playlist = dir.write("programme.json", kProgramme);
  sora_test::PipelineRun run(
      "soraplaylistsrc name=p location=" + playlist + " on-failure=" + on_failure +
      " max-parallel=1 api-key=" + sora_test::kTestKey + " base-url=" + emulator.base_url() +
      " validate=false cache-dir=" + cache + " price-list=" + prices +
      " budget=0.5 budget-period=programme"
      " p.video ! queue ! fakesink sync=false p.audio ! queue ! fakesink sync=false");
  return run.play(120);
}

bool any_contains(const std::vector<std::string> &texts, const char *words) {
  for (const std::string &text : texts) {
    if (strstr(text.c_str(), words))
      return true;
  }
  return false;
}

/* on-failure=skip: the refused shot is skipped, the cheaper one after it
 * played; the whole programme's estimate was warned about up front. */
void test_programme_skip() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  PipelineResult r = play_programme(emulator, dir, cache, "skip");
  g_assert_false(r.has_error());
  g_assert_true(r.eos);
  g_assert_true(any_contains(r.warnings, "The programme is estimated at 0.70 USD"));
  g_assert_true(any_contains(r.warnings,
                             "spend is 0.20 USD and this request is estimated at "
                             "0.40 USD"));
  std::vector<sora_test::SeenRequest> creates = emulator.requests("POST", "/v1/videos");
  g_assert_cmpuint(creates.size(), ==, 2);
  std::vector<sora::LedgerEntry> entries = ledger(cache);
  g_assert_cmpuint(entries.size(), ==, 2);
  g_assert_true(entries[0].estimate == 200000);
  g_assert_true(entries[1].estimate == 100000);
  g_assert_false(entries[0].programme.empty());
  g_assert_cmpstr(entries[0].programme.c_str(), ==, entries[1].programme.c_str());
}

/* on-failure=error: the programme stops at the refused shot. */
void test_programme_error() {
  EmulatorProcess emulator;
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  PipelineResult r = play_programme(emulator, dir, cache, "error");
  g_assert_true(r.has_error());
  g_assert_nonnull(strstr(r.error_message.c_str(), "Over budget"));
  g_assert_cmpuint(emulator.requests("POST", "/v1/videos").size(), ==, 1);
  g_assert_cmpuint(ledger(cache).size(), ==, 1);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/budget/second-refused", test_second_refused);
  g_test_add_func("/budget/cache-hit-free", test_cache_hit_free);
  g_test_add_func("/budget/attach-once", test_attach_once);
  g_test_add_func("/budget/resume-once", test_resume_once);
  g_test_add_func("/budget/unknown-model", test_unknown_model);
  g_test_add_func("/budget/reported-cost", test_reported_cost);
  g_test_add_func("/budget/race", test_race);
  g_test_add_func("/budget/killed-writer", test_killed_writer);
  g_test_add_func("/budget/programme/skip", test_programme_skip);
  g_test_add_func("/budget/programme/error", test_programme_error);
  return g_test_run();
}
