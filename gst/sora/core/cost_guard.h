/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* CostGuard: the estimate before a create, the budget that may refuse it,
 * and the ledger entry of the task it pays for; one per job.
 *
 * reserve() runs before the create request is built: it prices the request
 * (PriceList), and under the ledger's lock adds up the period's spend,
 * refuses when the estimate would take it over the budget (or when the cost
 * is unknown and unknown costs are refused), and otherwise writes the entry
 * that counts the estimate at once. So two processes sharing a ledger
 * cannot both spend its last part: the second sees the first's entry.
 * Later states of the same entry follow: the task id (created()), the
 * server's own figure (reported_cost()), or "released" when the create was
 * refused and nothing was paid (settle()).
 *
 * A run that attaches to a task (video-id, or a task the journal names)
 * pays nothing new: attached() records the task once, keyed by its id, so
 * a resumed or reattached task counts once; a cache hit records nothing.
 *
 * A budget needs a ledger: when the ledger's directory cannot be used
 * (unsafe, not writable), a create under a budget is refused; without a
 * budget the run goes on and nothing is recorded. */
#pragma once

#include "core/price_list.h"
#include "core/spend_ledger.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sora {

enum class BudgetPeriod {
  kDay,       /* the UTC day */
  kProgramme, /* the life of a programme (soraplaylistsrc) */
};

const char *budget_period_name(BudgetPeriod period);

struct SpendSettings {
  std::string price_list; /* the file in effect (price_list_path()) */
  gint64 budget = 0;      /* micros of the list's currency per period; 0: none */
  BudgetPeriod period = BudgetPeriod::kDay;
  bool allow_unknown = false; /* a request of unknown cost may go under a budget */
  /* With kProgramme: the programme whose spend counts, and when it began. */
  std::string programme;
  gint64 programme_start_us = 0;
  std::string ledger_dir; /* the cache directory; empty: no ledger */
};

/* What the bus is told about a cost: the estimate before a create (allowed
 * or refused), or the figure a server reported for a task. */
struct CostNotice {
  enum class Kind { kEstimate, kRefused, kReported };
  Kind kind = Kind::kEstimate;
  CostEstimate estimate;
  gint64 spent = 0;  /* the period's spend before this request */
  gint64 budget = 0; /* 0: none */
  BudgetPeriod period = BudgetPeriod::kDay;
  gint64 reported = 0;  /* kReported: the server's figure */
  std::string video_id; /* kReported */
};

const char *cost_notice_kind_name(CostNotice::Kind kind);

/* The budget in effect: `property` (an amount) when above 0, else
 * $SORA_BUDGET; micros. `problem` set when SORA_BUDGET is not an amount. */
gint64 budget_in_effect(double property, std::string *problem);

class CostGuard {
 public:
  CostGuard(SpendSettings settings, PriceQuery query, std::string cache_key);
  ~CostGuard();

  /* Before the create: the estimate in `notice`, and nullopt to go ahead,
   * or the refusal (a whole sentence: spent, estimate, budget, currency). */
  std::optional<std::string> reserve(CostNotice *notice);
  bool reserved() const { return !entry_.id.empty(); }

  /* The create made `task`. */
  void created(const std::string &task);
  /* The create's answer was lost: a task may exist, the entry stays. */
  void maybe_created() { maybe_created_ = true; }
  /* The job ends: an entry whose create made nothing is released. */
  void settle();

  /* The server's figure for the task (its currency: USD, as every gateway
   * that reports one gives it). False when it was known already. */
  bool reported_cost(gint64 micros, const std::string &task);

  /* A task this run attached to (video-id, the journal, the server's list),
   * described by the server's answer: recorded unless the ledger has it. */
  void attached(const std::string &task, const PriceQuery &described);

 private:
  bool open_ledger();
  CostEstimate estimate(const PriceQuery &query) const;
  void write(const LedgerEntry &entry);

  SpendSettings settings_;
  PriceQuery query_;
  std::string cache_key_;
  std::unique_ptr<SpendLedger> ledger_;
  std::string ledger_problem_;
  bool ledger_tried_ = false;
  LedgerEntry entry_; /* this job's, once written */
  bool linked_ = false;
  bool maybe_created_ = false;
  std::optional<gint64> reported_;
};

}  // namespace sora
