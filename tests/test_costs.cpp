/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The core of costs and budgets without a pipeline: estimates against the
 * shipped price list, the ledger's lines (a torn one from a killed writer
 * skipped, the next write on a fresh line), and the budget's check. */
#include "core/cost_guard.h"
#include "core/price_list.h"
#include "core/spend_ledger.h"

#include "temp_dir.h"

#include <glib/gstdio.h>

#include <string>

using sora_test::TempDir;

namespace {

sora::PriceList shipped_list() {
  const char *path = g_getenv("SORA_PRICE_LIST");
  g_assert_nonnull(path);
  std::string problem;
  std::optional<sora::PriceList> list = sora::PriceList::load(path, &problem);
  if (!list)
    g_error("%s", problem.c_str());
  return *list;
}

sora::CostEstimate estimate(const char *model, unsigned seconds, const char *size,
                            std::optional<bool> audio = std::nullopt,
                            const char *gateway = "auto") {
  sora::PriceQuery query;
  query.gateway = gateway;
  query.model = model;
  query.seconds = seconds;
  query.size = size;
  query.audio = audio;
  return shipped_list().estimate(query);
}

void assert_estimate(const sora::CostEstimate &cost, gint64 micros) {
  if (!cost.known)
    g_error("unknown: %s", cost.entry.c_str());
  g_assert_cmpint(cost.micros, ==, micros);
  g_assert_cmpstr(cost.currency.c_str(), ==, "USD");
}

void test_shipped_list() {
  sora::PriceList list = shipped_list();
  g_assert_cmpstr(list.currency().c_str(), ==, "USD");
  g_assert_false(list.read_on().empty());
  for (const sora::PriceEntry &entry : list.entries())
    g_assert_false(entry.source.empty()); /* every price says where it was read */
}

void test_estimates() {
  assert_estimate(estimate("sora-2", 8, "720x1280"), 800000);
  assert_estimate(estimate("sora-2", 4, "1280x720"), 400000);
  assert_estimate(estimate("sora-2-pro", 4, "1280x720"), 1200000);
  assert_estimate(estimate("sora-2-pro", 12, "1792x1024"), 6000000);
  assert_estimate(estimate("veo-3.1", 8, "1920x1080"), 3200000);
  assert_estimate(estimate("veo-3.1-fast-generate-preview", 8, "1280x720"), 800000);
  assert_estimate(estimate("veo-3.1-fast-generate-preview", 8, "1920x1080"), 960000);
  assert_estimate(estimate("kling/v4/text-to-video", 5, "1920x1080"), 1175000);
  /* audio: each price where the request says, the dearer where it does not */
  assert_estimate(estimate("fal-ai/veo3/fast", 8, "", false), 800000);
  assert_estimate(estimate("fal-ai/veo3/fast", 8, "", true), 1200000);
  assert_estimate(estimate("fal-ai/veo3/fast", 8, ""), 1200000);
  /* the size left to the server: the dearest size */
  assert_estimate(estimate("sora-2-pro", 4, ""), 2000000);
  /* the length left to the server: the list's default */
  assert_estimate(estimate("sora-2", 0, "720x1280"), 400000);
  /* per request, through its gateway only */
  assert_estimate(estimate("veo3", 8, "", std::nullopt, "newapi"), 2000000);
  sora::CostEstimate elsewhere = estimate("veo3", 8, "", std::nullopt, "openai");
  g_assert_false(elsewhere.known);
  /* the entry says what was used */
  sora::CostEstimate used = estimate("sora-2", 8, "720x1280");
  g_assert_nonnull(strstr(used.entry.c_str(), "0.10 USD/s x 8 s"));
}

void test_unknown_costs() {
  sora::CostEstimate model = estimate("veo-9", 8, "1280x720");
  g_assert_false(model.known);
  g_assert_cmpstr(model.entry.c_str(), ==, "the price list has no entry for model veo-9");
  sora::CostEstimate size = estimate("sora-2", 8, "1920x1080");
  g_assert_false(size.known);
  g_assert_nonnull(strstr(size.entry.c_str(), "not at 1920x1080"));
  std::string problem;
  g_assert_false(
      sora::PriceList::parse("{\"currency\":\"USD\",\"prices\":[{\"models\":[\"m\"]}]}", &problem));
  g_assert_nonnull(strstr(problem.c_str(), "neither per_second nor per_request"));
  g_assert_false(sora::PriceList::parse(
      "{\"currency\":\"USD\",\"prices\":[{\"models\":[\"m\"],\"per_second\":-1}]}", &problem));
}

void test_money() {
  g_assert_cmpstr(sora::format_money(800000, "USD").c_str(), ==, "0.80 USD");
  g_assert_cmpstr(sora::format_money(77500, "USD").c_str(), ==, "0.0775 USD");
  g_assert_cmpstr(sora::format_money(12000000, "EUR").c_str(), ==, "12.00 EUR");
  g_assert_true(sora::money_micros(0.1) == 100000);
  g_assert_false(sora::money_micros(-0.5));
  g_assert_true(sora::requested_audio("{\"generate_audio\":false}") == false);
  g_assert_false(sora::requested_audio("{\"seed\":1}").has_value());
}

sora::LedgerEntry entry(const char *id, gint64 micros, const char *programme = "") {
  sora::LedgerEntry e;
  e.id = id;
  e.time_us = g_get_real_time();
  e.how = "create";
  e.model = "sora-2";
  e.estimate = micros;
  e.currency = "USD";
  e.programme = programme;
  return e;
}

/* A writer killed mid-line leaves a torn line: skipped, the entries before
 * it read, and the next entry written on a line of its own. */
void test_ledger_torn_line() {
  TempDir dir;
  const std::string cache = dir.fresh_dir("cache");
  sora::SpendLedger ledger(cache);
  std::string problem;
  g_assert_true(ledger.open(&problem));
  {
    auto lock = ledger.lock(&problem);
    g_assert_nonnull(lock.get());
    g_assert_true(ledger.write(entry("a", 400000), &problem));
  }
  const std::string file = cache + "/ledger-" + sora::ledger_day(g_get_real_time()) + ".jsonl";
  std::string torn = sora::ledger_line(entry("b", 900000));
  torn.resize(torn.size() / 2);
  FILE *out = fopen(file.c_str(), "a");
  fputs(torn.c_str(), out);
  fclose(out);
  const gint64 now = g_get_real_time();
  std::vector<sora::LedgerEntry> read = ledger.read(now, now);
  g_assert_cmpuint(read.size(), ==, 1);
  g_assert_cmpstr(read[0].id.c_str(), ==, "a");
  {
    auto lock = ledger.lock(&problem);
    sora::LedgerEntry c = entry("c", 100000);
    g_assert_true(ledger.write(c, &problem));
    c.task = "video_c"; /* a later state of the same entry replaces it */
    g_assert_true(ledger.write(c, &problem));
  }
  read = ledger.read(now, now);
  g_assert_cmpuint(read.size(), ==, 2);
  g_assert_cmpstr(read[1].task.c_str(), ==, "video_c");
  sora::SpendTotal total = sora::add_up(read, "USD");
  g_assert_cmpint(total.micros, ==, 500000);
  g_assert_cmpuint(total.tasks, ==, 2);
  GStatBuf st;
  g_assert_cmpint(g_stat(file.c_str(), &st), ==, 0);
  g_assert_cmpuint(st.st_mode & 0777, ==, 0600);
  /* an altered line is no entry */
  std::string line = sora::ledger_line(entry("d", 1));
  line[30] = line[30] == 'x' ? 'y' : 'x';
  g_assert_false(sora::parse_ledger_line(line.substr(0, line.size() - 1)));
}

void test_add_up() {
  std::vector<sora::LedgerEntry> entries = {entry("a", 400000, "p1"), entry("b", 300000, "p2"),
                                            entry("c", 200000, "p1")};
  entries[2].released = true; /* refused: nothing paid */
  entries[1].cost = 250000;   /* the server's figure replaces the estimate */
  sora::LedgerEntry unknown = entry("d", 0);
  unknown.estimate.reset();
  entries.push_back(unknown);
  sora::SpendTotal all = sora::add_up(entries, "USD");
  g_assert_cmpint(all.micros, ==, 650000);
  g_assert_cmpuint(all.tasks, ==, 3);
  g_assert_cmpuint(all.unknown, ==, 1);
  g_assert_cmpint(sora::add_up(entries, "USD", "p1").micros, ==, 400000);
}

/* The guard refuses the create that would go over, and counts what it let
 * through at once (the check and the entry under one lock). */
void test_guard() {
  TempDir dir;
  sora::SpendSettings settings;
  settings.price_list = g_getenv("SORA_PRICE_LIST");
  settings.budget = 1000000;
  settings.ledger_dir = dir.fresh_dir("cache");
  sora::PriceQuery query;
  query.model = "sora-2";
  query.seconds = 4;
  query.size = "720x1280";
  sora::CostNotice notice;
  sora::CostGuard first(settings, query, "key1");
  g_assert_false(first.reserve(&notice).has_value());
  g_assert_cmpint(notice.spent, ==, 0);
  sora::CostGuard second(settings, query, "key2");
  g_assert_false(second.reserve(&notice).has_value());
  g_assert_cmpint(notice.spent, ==, 400000);
  sora::CostGuard third(settings, query, "key3");
  std::optional<std::string> refusal = third.reserve(&notice);
  g_assert_true(refusal.has_value());
  g_assert_true(notice.kind == sora::CostNotice::Kind::kRefused);
  g_assert_nonnull(strstr(refusal->c_str(), "spend is 0.80 USD"));
  g_assert_nonnull(strstr(refusal->c_str(), "estimated at 0.40 USD"));
  g_assert_nonnull(strstr(refusal->c_str(), "budget of 1.00 USD"));
  /* the second's create was refused by the server: released, its money back */
  second.settle();
  sora::CostGuard fourth(settings, query, "key4");
  g_assert_false(fourth.reserve(&notice).has_value());
  /* an unknown model under a budget */
  query.model = "veo-9";
  sora::CostGuard unknown(settings, query, "key5");
  refusal = unknown.reserve(&notice);
  g_assert_true(refusal.has_value());
  g_assert_nonnull(strstr(refusal->c_str(), "no entry for model veo-9"));
  /* a budget with no usable ledger refuses */
  settings.ledger_dir = "/proc/no-ledger-here";
  query.model = "sora-2";
  sora::CostGuard unkept(settings, query, "key6");
  refusal = unkept.reserve(&notice);
  g_assert_true(refusal.has_value());
  g_assert_nonnull(strstr(refusal->c_str(), "ledger cannot be used"));
}

void test_budget_variable() {
  std::string problem;
  g_setenv("SORA_BUDGET", "2.5", TRUE);
  g_assert_cmpint(sora::budget_in_effect(0, &problem), ==, 2500000);
  g_assert_cmpint(sora::budget_in_effect(1, &problem), ==, 1000000);
  g_setenv("SORA_BUDGET", "lots", TRUE);
  g_assert_cmpint(sora::budget_in_effect(0, &problem), ==, 0);
  g_assert_nonnull(strstr(problem.c_str(), "SORA_BUDGET=\"lots\""));
  g_unsetenv("SORA_BUDGET");
}

}  // namespace

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/costs/price-list/shipped", test_shipped_list);
  g_test_add_func("/costs/price-list/estimates", test_estimates);
  g_test_add_func("/costs/price-list/unknown", test_unknown_costs);
  g_test_add_func("/costs/money", test_money);
  g_test_add_func("/costs/ledger/torn-line", test_ledger_torn_line);
  g_test_add_func("/costs/ledger/add-up", test_add_up);
  g_test_add_func("/costs/guard", test_guard);
  g_test_add_func("/costs/budget-variable", test_budget_variable);
  return g_test_run();
}
