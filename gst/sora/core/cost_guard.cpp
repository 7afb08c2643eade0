/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/cost_guard.h"

#include "core/debug.h"

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

/* A task attached to may have been paid for up to this long ago: gateways
 * keep tasks for a day or a few (OpenAI's expire after one). */
constexpr gint64 kAttachLookbackUs = G_GINT64_CONSTANT(31) * 86400 * G_USEC_PER_SEC;

std::string period_words(BudgetPeriod period, gint64 now_us) {
  return period == BudgetPeriod::kDay ? "today's (" + ledger_day(now_us) + " UTC)"
                                      : "this programme's";
}

std::string new_entry_id() {
  g_autofree char *id = g_uuid_string_random();
  return id;
}

}  // namespace

const char *budget_period_name(BudgetPeriod period) {
  return period == BudgetPeriod::kDay ? "day" : "programme";
}

const char *cost_notice_kind_name(CostNotice::Kind kind) {
  switch (kind) {
    case CostNotice::Kind::kEstimate:
      return "estimate";
    case CostNotice::Kind::kRefused:
      return "refused";
    case CostNotice::Kind::kReported:
      return "reported";
  }
  return "estimate";
}

gint64 budget_in_effect(double property, std::string *problem) {
  if (property > 0)
    return money_micros(property).value_or(0);
  const char *variable = g_getenv("SORA_BUDGET");
  if (!variable || !*variable)
    return 0;
  char *end = nullptr;
  double amount = g_ascii_strtod(variable, &end);
  std::optional<gint64> micros = end && *end == '\0' ? money_micros(amount) : std::nullopt;
  if (!micros) {
    *problem = std::string("SORA_BUDGET=\"") + variable +
               "\" is not an amount (a number such as 25 or 2.50, in the price list's currency)";
    return 0;
  }
  return *micros;
}

CostGuard::CostGuard(SpendSettings settings, PriceQuery query, std::string cache_key)
    : settings_(std::move(settings)), query_(std::move(query)), cache_key_(std::move(cache_key)) {}

CostGuard::~CostGuard() = default;

bool CostGuard::open_ledger() {
  if (!ledger_tried_) {
    ledger_tried_ = true;
    if (settings_.ledger_dir.empty()) {
      ledger_problem_ = "no ledger directory is set";
    } else {
      auto ledger = std::make_unique<SpendLedger>(settings_.ledger_dir);
      if (ledger->open(&ledger_problem_))
        ledger_ = std::move(ledger);
    }
    if (!ledger_)
      GST_WARNING("the spend ledger cannot be kept: %s", ledger_problem_.c_str());
  }
  return ledger_ != nullptr;
}

CostEstimate CostGuard::estimate(const PriceQuery &query) const {
  std::string problem;
  std::optional<PriceList> list = PriceList::load(settings_.price_list, &problem);
  if (!list) {
    CostEstimate unknown;
    unknown.entry = problem;
    return unknown;
  }
  return list->estimate(query);
}

void CostGuard::write(const LedgerEntry &entry) {
  if (!ledger_)
    return;
  std::string problem;
  std::unique_ptr<SpendLedger::Lock> lock = ledger_->lock(&problem);
  if (!lock || !ledger_->write(entry, &problem, settings_.budget > 0))
    GST_WARNING("cannot record %s in the spend ledger: %s", entry.id.c_str(), problem.c_str());
}

std::optional<std::string> CostGuard::reserve(CostNotice *notice) {
  const gint64 now = g_get_real_time();
  notice->estimate = estimate(query_);
  notice->budget = settings_.budget;
  notice->period = settings_.period;
  const CostEstimate &cost = notice->estimate;
  const std::string currency = cost.currency.empty() ? "" : cost.currency;
  if (!open_ledger()) {
    if (settings_.budget == 0)
      return std::nullopt;
    notice->kind = CostNotice::Kind::kRefused;
    return "The budget of " + format_money(settings_.budget, currency) +
           " cannot be kept: its ledger cannot be used (" + ledger_problem_ +
           "). No request was sent. Set cache-dir to a directory of your own, or set budget=0 to "
           "run without a budget.";
  }
  std::string problem;
  std::unique_ptr<SpendLedger::Lock> lock = ledger_->lock(&problem);
  if (!lock) {
    if (settings_.budget == 0) {
      GST_WARNING("the spend ledger cannot be kept: %s", problem.c_str());
      return std::nullopt;
    }
    notice->kind = CostNotice::Kind::kRefused;
    return "The budget cannot be checked: " + problem + ". No request was sent.";
  }
  const bool programme = settings_.period == BudgetPeriod::kProgramme;
  /* Without a budget nothing needs the period's spend: the entry alone is
   * written, and the day's file (thousands of lines on a busy channel) is
   * not read on the I/O thread. */
  std::vector<LedgerEntry> entries;
  if (settings_.budget > 0)
    entries = ledger_->read(
        programme ? std::max(settings_.programme_start_us, now - kAttachLookbackUs) : now, now);
  SpendTotal spent = add_up(entries, cost.currency, programme ? settings_.programme : "");
  notice->spent = spent.micros;
  if (settings_.budget > 0) {
    const std::string budget = format_money(settings_.budget, cost.currency);
    const std::string words = period_words(settings_.period, now);
    if (!cost.known && !settings_.allow_unknown) {
      notice->kind = CostNotice::Kind::kRefused;
      return "The cost of this request is unknown (" + cost.entry + "), and a budget of " + budget +
             " is set: refused before any request was sent. Add the model to the "
             "price list (price-list, SORA_PRICE_LIST), or set budget-unknown=allow.";
    }
    if (cost.known && spent.micros + cost.micros > settings_.budget) {
      notice->kind = CostNotice::Kind::kRefused;
      return "Over budget: " + words + " spend is " + format_money(spent.micros, cost.currency) +
             " and this request is estimated at " + format_money(cost.micros, cost.currency) +
             " (" + cost.entry + "), which would exceed the budget of " + budget +
             ". Refused before any request was sent.";
    }
  }
  entry_.id = new_entry_id();
  entry_.time_us = now;
  entry_.how = "create";
  entry_.model = query_.model;
  entry_.gateway = query_.gateway;
  entry_.size = query_.size;
  entry_.seconds = query_.seconds;
  if (cost.known)
    entry_.estimate = cost.micros;
  entry_.currency = cost.currency;
  entry_.entry = cost.entry;
  entry_.programme = settings_.programme;
  entry_.key = cache_key_;
  if (!ledger_->write(entry_, &problem, settings_.budget > 0)) {
    GST_WARNING("cannot record the create in the spend ledger: %s", problem.c_str());
    if (settings_.budget > 0) {
      entry_ = LedgerEntry{};
      notice->kind = CostNotice::Kind::kRefused;
      return "The budget cannot be kept: " + problem + ". No request was sent.";
    }
  }
  notice->kind = CostNotice::Kind::kEstimate;
  return std::nullopt;
}

void CostGuard::created(const std::string &task) {
  if (!reserved() || linked_)
    return;
  linked_ = true;
  entry_.task = task;
  write(entry_);
}

void CostGuard::settle() {
  if (!reserved() || linked_ || maybe_created_ || entry_.released)
    return;
  entry_.released = true;
  write(entry_);
}

bool CostGuard::reported_cost(gint64 micros, const std::string &task) {
  if (reported_ == micros)
    return false;
  reported_ = micros;
  /* Recorded in the list's currency only: a figure in USD does not replace
   * an estimate in another currency. */
  if (reserved() && (entry_.currency.empty() || entry_.currency == "USD")) {
    entry_.task = task;
    entry_.cost = micros;
    entry_.currency = "USD";
    write(entry_);
  }
  return true;
}

void CostGuard::attached(const std::string &task, const PriceQuery &described) {
  if (reserved() || !open_ledger())
    return;
  /* Read without the lock: a month of a busy ledger is megabytes, and other
   * processes' creates wait on the lock. Two runs attaching to one task at
   * the same moment may both record it (counted twice: never less). */
  const gint64 now = g_get_real_time();
  std::vector<LedgerEntry> entries = ledger_->read(now - kAttachLookbackUs, now);
  LedgerEntry *interrupted = nullptr;
  for (LedgerEntry &entry : entries) {
    if (entry.task == task) {
      entry_ = entry; /* paid for once already: a later figure updates it */
      return;
    }
    /* A create of this request whose run died before its answer: the task
     * it made is this one (the journal or the server's list said so). */
    if (!cache_key_.empty() && entry.key == cache_key_ && entry.task.empty() && !entry.released)
      interrupted = &entry;
  }
  if (interrupted) {
    entry_ = *interrupted;
    entry_.task = task;
  } else {
    CostEstimate cost = estimate(described);
    entry_.id = new_entry_id();
    entry_.time_us = now;
    entry_.how = "attach";
    entry_.task = task;
    entry_.model = described.model;
    entry_.gateway = described.gateway;
    entry_.size = described.size;
    entry_.seconds = described.seconds;
    if (cost.known)
      entry_.estimate = cost.micros;
    entry_.currency = cost.currency;
    entry_.entry = cost.entry;
    entry_.programme = settings_.programme;
    entry_.key = cache_key_;
  }
  linked_ = true;
  std::string problem;
  std::unique_ptr<SpendLedger::Lock> lock = ledger_->lock(&problem);
  if (!lock || !ledger_->write(entry_, &problem, settings_.budget > 0))
    GST_WARNING("cannot record %s in the spend ledger: %s", task.c_str(), problem.c_str());
}

}  // namespace sora
