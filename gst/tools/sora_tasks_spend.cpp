/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "sora_tasks_spend.h"

#include "core/glib_ptr.h"
#include "core/price_list.h"
#include "core/printable_text.h"
#include "core/spend_ledger.h"

#include <json-glib/json-glib.h>

#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace {

constexpr gint64 kDayUs = G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC;
constexpr int kMaxDays = 3660;

struct Row {
  unsigned tasks = 0;
  unsigned unknown = 0;  /* of unknown cost: not in micros */
  unsigned reported = 0; /* the server's figure, not the estimate */
  gint64 micros = 0;
};

/* model, gateway, currency */
using RowKey = std::tuple<std::string, std::string, std::string>;

/* "2026-12-06" as the start of that UTC day, or nullopt. */
std::optional<gint64> parse_day(const char *text) {
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  int year = 0, month = 0, day = 0;
  char end = 0;
  if (sscanf(text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3)
    return std::nullopt;
  g_autoptr(GDateTime) when = g_date_time_new(utc, year, month, day, 0, 0, 0);
  if (!when)
    return std::nullopt;
  return g_date_time_to_unix(when) * G_USEC_PER_SEC;
}

int usage_error(const std::string &message) {
  g_printerr("sora-tasks spend: %s\n", message.c_str());
  return 2;
}

std::map<RowKey, Row> rows_of(const std::vector<sora::LedgerEntry> &entries) {
  std::map<RowKey, Row> rows;
  for (const sora::LedgerEntry &entry : entries) {
    if (entry.released)
      continue;
    Row &row = rows[{entry.model, entry.gateway, entry.currency}];
    row.tasks++;
    if (std::optional<gint64> amount = entry.amount())
      row.micros += *amount;
    else
      row.unknown++;
    if (entry.cost)
      row.reported++;
  }
  return rows;
}

/* Per currency: the total of `rows`. */
std::map<std::string, Row> totals_of(const std::map<RowKey, Row> &rows) {
  std::map<std::string, Row> totals;
  for (const auto &[key, row] : rows) {
    Row &total = totals[std::get<2>(key)];
    total.tasks += row.tasks;
    total.unknown += row.unknown;
    total.reported += row.reported;
    total.micros += row.micros;
  }
  return totals;
}

std::string amounts(const std::map<std::string, Row> &totals) {
  std::string text;
  unsigned tasks = 0, unknown = 0;
  for (const auto &[currency, total] : totals) {
    if (total.tasks > total.unknown)
      text += (text.empty() ? "" : " + ") + sora::format_money(total.micros, currency);
    tasks += total.tasks;
    unknown += total.unknown;
  }
  if (text.empty())
    text = "0.00";
  text += ", " + std::to_string(tasks) + (tasks == 1 ? " task" : " tasks");
  if (unknown)
    text += " (" + std::to_string(unknown) + " of unknown cost)";
  return text;
}

void add_row(JsonBuilder *b, const Row &row, const std::string &currency) {
  json_builder_set_member_name(b, "tasks");
  json_builder_add_int_value(b, row.tasks);
  json_builder_set_member_name(b, "unknown_cost_tasks");
  json_builder_add_int_value(b, row.unknown);
  json_builder_set_member_name(b, "reported_by_server");
  json_builder_add_int_value(b, row.reported);
  json_builder_set_member_name(b, "spend");
  json_builder_add_double_value(b, sora::micros_amount(row.micros));
  json_builder_set_member_name(b, "spend_micros"); /* exact: millionths of the currency */
  json_builder_add_int_value(b, row.micros);
  json_builder_set_member_name(b, "currency");
  json_builder_add_string_value(b, currency.c_str());
}

void print_json(const std::string &dir, const std::string &from, const std::string &to,
                const std::map<std::string, Row> &today, const std::map<RowKey, Row> &rows) {
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "ledger");
  json_builder_add_string_value(b, dir.c_str());
  json_builder_set_member_name(b, "from");
  json_builder_add_string_value(b, from.c_str());
  json_builder_set_member_name(b, "to");
  json_builder_add_string_value(b, to.c_str());
  json_builder_set_member_name(b, "today");
  json_builder_begin_array(b);
  for (const auto &[currency, total] : today) {
    json_builder_begin_object(b);
    add_row(b, total, currency);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_set_member_name(b, "by_model");
  json_builder_begin_array(b);
  for (const auto &[key, row] : rows) {
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "model");
    json_builder_add_string_value(b, std::get<0>(key).c_str());
    json_builder_set_member_name(b, "gateway");
    json_builder_add_string_value(b, std::get<1>(key).c_str());
    add_row(b, row, std::get<2>(key));
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_set_member_name(b, "total");
  json_builder_begin_array(b);
  for (const auto &[currency, total] : totals_of(rows)) {
    json_builder_begin_object(b);
    add_row(b, total, currency);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
  sora::JsonNodePtr root(json_builder_get_root(b));
  g_autofree char *text = json_to_string(root.get(), TRUE);
  g_print("%s\n", text);
}

void print_table(const std::string &dir, const std::string &from, const std::string &to,
                 const std::map<std::string, Row> &today, const std::map<RowKey, Row> &rows) {
  g_print("Ledger: %s\n", dir.c_str());
  g_print("Today (%s UTC): %s\n", to.c_str(), amounts(today).c_str());
  g_print("%s: %s\n", from == to ? ("On " + from).c_str() : (from + " to " + to).c_str(),
          amounts(totals_of(rows)).c_str());
  if (rows.empty())
    return;
  g_print("\n%-32s %-10s %6s %16s %9s\n", "MODEL", "GATEWAY", "TASKS", "SPEND", "REPORTED");
  for (const auto &[key, row] : rows) {
    std::string spend = row.tasks > row.unknown ? sora::format_money(row.micros, std::get<2>(key))
                                                : std::string("unknown");
    if (row.unknown && row.tasks > row.unknown)
      spend += "+?";
    g_print("%-32s %-10s %6u %16s %9u\n",
            sora::printable_text(std::get<0>(key).empty() ? "-" : std::get<0>(key)).c_str(),
            sora::printable_text(std::get<1>(key).empty() ? "-" : std::get<1>(key)).c_str(),
            row.tasks, spend.c_str(), row.reported);
  }
}

}  // namespace

int spend_command(int argc, char **argv) {
  g_autofree char *cache_dir = nullptr;
  g_autofree char *since = nullptr;
  g_autofree char *until = nullptr;
  int days = 0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
      {"cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir,
       "The cache directory whose ledger to read (default: gstreamer-sora in the user's cache "
       "directory, as the elements' cache-dir)",
       "DIR"},
      {"since", 0, 0, G_OPTION_ARG_STRING, &since, "First day of the period, UTC (today)",
       "YYYY-MM-DD"},
      {"until", 0, 0, G_OPTION_ARG_STRING, &until, "Last day of the period, UTC (today)",
       "YYYY-MM-DD"},
      {"days", 0, 0, G_OPTION_ARG_INT, &days, "The period is the last N days, today included", "N"},
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
  };
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_set_summary(context,
                               "What the ledger says was spent: today, and over a period (UTC "
                               "days), by model and gateway. Refused and released creates are "
                               "left out; a task counts at the server's figure when it gave "
                               "one, else at its estimate.");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_autoptr(GError) error = nullptr;
  if (!g_option_context_parse(context, &argc, &argv, &error))
    return usage_error(error->message);
  if (argc > 1)
    return usage_error(std::string("unexpected argument '") + argv[1] + "'");

  const gint64 now = g_get_real_time();
  const gint64 today = sora::ledger_day_start(now);
  gint64 to = today;
  gint64 from = today;
  if (until) {
    std::optional<gint64> day = parse_day(until);
    if (!day)
      return usage_error(std::string("--until must be a day as 2026-12-06, not '") + until + "'");
    to = *day;
  }
  if (days < 0 || days > kMaxDays)
    return usage_error("--days must be between 1 and " + std::to_string(kMaxDays));
  if (days > 0)
    from = to - (days - 1) * kDayUs;
  if (since) {
    std::optional<gint64> day = parse_day(since);
    if (!day)
      return usage_error(std::string("--since must be a day as 2026-12-06, not '") + since + "'");
    from = *day;
  }
  if (from > to || (to - from) / kDayUs > kMaxDays)
    return usage_error("the period must start before it ends and span at most " +
                       std::to_string(kMaxDays) + " days");

  std::string dir;
  if (cache_dir) {
    dir = cache_dir;
  } else {
    g_autofree char *fallback = g_build_filename(g_get_user_cache_dir(), "gstreamer-sora", nullptr);
    dir = fallback;
  }
  sora::SpendLedger ledger(dir);
  std::string problem;
  if (!ledger.open(&problem)) {
    g_printerr("sora-tasks spend: %s\n", problem.c_str());
    return 1;
  }
  std::map<RowKey, Row> rows = rows_of(ledger.read(from, to));
  std::map<std::string, Row> today_totals = totals_of(rows_of(ledger.read(now, now)));
  const std::string first = sora::ledger_day(from), last = sora::ledger_day(to);
  if (json)
    print_json(dir, first, last, today_totals, rows);
  else
    print_table(dir, first, last, today_totals, rows);
  return 0;
}
