/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "playlist/programme_cost.h"

#include "core/cost_guard.h"
#include "core/price_list.h"
#include "core/spend_ledger.h"

namespace sora::playlist {

namespace {

/* The shot's own setting, else the bin's. */
std::string setting(const ShotSpec &shot, const ShotDefaults &defaults, const char *name) {
  std::string own = shot.text(name);
  return own.empty() ? defaults.text(name) : own;
}

}  // namespace

std::optional<std::string> programme_budget_warning(const std::vector<ShotSpec> &shots,
                                                    const ShotDefaults &defaults,
                                                    gint64 programme_start_us) {
  std::string problem;
  const gint64 budget =
      budget_in_effect(g_ascii_strtod(defaults.text("budget").c_str(), nullptr), &problem);
  if (budget == 0)
    return std::nullopt;
  std::string list_problem;
  std::optional<PriceList> list =
      PriceList::load(price_list_path(defaults.text("price-list")), &list_problem);
  if (!list)
    return "A budget is set but " + list_problem +
           " Every shot will be refused unless "
           "budget-unknown=allow.";
  gint64 total = 0;
  unsigned priced = 0;
  std::string unknown;
  for (size_t i = 0; i < shots.size(); i++) {
    const ShotSpec &shot = shots[i];
    if (!shot.text("video-id").empty())
      continue; /* plays a task paid for already */
    PriceQuery query;
    query.gateway = defaults.text("gateway");
    query.model = setting(shot, defaults, "model");
    guint64 seconds = 0;
    g_ascii_string_to_unsigned(setting(shot, defaults, "seconds").c_str(), 10, 0, 3600, &seconds,
                               nullptr);
    query.seconds = static_cast<unsigned>(seconds);
    query.size = setting(shot, defaults, "size");
    query.audio = requested_audio(shot.text("metadata"));
    CostEstimate cost = list->estimate(query);
    if (cost.known) {
      total += cost.micros;
      priced++;
    } else if (unknown.empty()) {
      unknown = "shot " + std::to_string(i) + ": " + cost.entry;
    }
  }
  /* With budget-period=day, what today's other runs spent is gone already. */
  gint64 spent = 0;
  if (defaults.text("budget-period") != "programme") {
    std::string dir = defaults.text("cache-dir");
    if (dir.empty()) {
      g_autofree char *fallback =
          g_build_filename(g_get_user_cache_dir(), "gstreamer-sora", nullptr);
      dir = fallback;
    }
    SpendLedger ledger(dir);
    std::string ledger_problem;
    if (ledger.open(&ledger_problem))
      spent = add_up(ledger.read(programme_start_us, programme_start_us), list->currency()).micros;
  }
  const std::string &currency = list->currency();
  std::string text;
  if (spent + total > budget)
    text = "The programme is estimated at " + format_money(total, currency) + " (" +
           std::to_string(priced) + " shots priced) and " + format_money(spent, currency) +
           " of the budget of " + format_money(budget, currency) +
           " is spent: it will not fit. The shots past the budget are refused before their "
           "create, and on-failure says what happens then.";
  if (!unknown.empty() && defaults.text("budget-unknown") != "allow")
    text += std::string(text.empty() ? "" : " ") + "Some shots cannot be priced (" + unknown +
            "): under the budget they are refused unless budget-unknown=allow.";
  if (text.empty())
    return std::nullopt;
  return text;
}

}  // namespace sora::playlist
