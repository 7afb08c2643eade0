/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* SpendLedger: every paid task, with what it cost or was estimated to cost,
 * kept beside the cache's journal so that a budget holds across runs and
 * across the processes that share the cache.
 *
 * The ledger lives in the cache directory (opened and checked as the cache
 * is: CacheDirectory, the user's alone, files 0600 opened with O_NOFOLLOW),
 * one file per UTC day, "ledger-2026-12-06.jsonl", named for the day an
 * entry was first written. Each line is one state of one entry:
 *
 *   <16 hex digits: XXH64 of the JSON> {"id": ..., "task": ..., ...}
 *
 * Lines are only ever appended (O_APPEND, one write each, then fdatasync
 * under a budget);
 * a later line for the same id replaces the earlier one. A process killed
 * mid-write leaves at most a torn last line: its checksum fails, it is
 * skipped, and the next writer starts on a fresh line. Writers take
 * "ledger.lock" (flock), so a check of the spend and the entry that follows
 * it are one step for every process sharing the directory. */
#pragma once

#include "core/cache_directory.h"

#include <glib.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sora {

struct LedgerEntry {
  std::string id;     /* one per paid task */
  gint64 time_us = 0; /* when it was first written (unix microseconds); names its file */
  std::string how;    /* "create" (this run paid) or "attach" (a task paid elsewhere) */
  std::string task;   /* the task id, once known */
  std::string model;
  std::string gateway;
  std::string size;
  unsigned seconds = 0;
  std::optional<gint64> estimate; /* micros; unset: the cost is unknown */
  std::optional<gint64> cost;     /* what the server said it cost, when it did */
  std::string currency;
  std::string entry;     /* the price entry used, for a person */
  std::string programme; /* the programme it was bought for, or empty */
  std::string key;       /* the cache key of the request, or empty */
  bool released = false; /* the create was refused: nothing was paid */

  /* What it counts for: the server's figure, else the estimate. */
  std::optional<gint64> amount() const { return cost ? cost : estimate; }
};

/* What a set of entries adds up to, in one currency. */
struct SpendTotal {
  gint64 micros = 0;
  unsigned tasks = 0;
  unsigned unknown = 0; /* tasks of unknown cost (not in `micros`) */
};

/* The entries in `currency` that were paid (released ones left out), of
 * `programme` when it is not empty. */
SpendTotal add_up(const std::vector<LedgerEntry> &entries, const std::string &currency,
                  const std::string &programme = {});

/* "2026-12-06": the UTC day of `time_us`. */
std::string ledger_day(gint64 time_us);
/* The start of the UTC day of `time_us`. */
gint64 ledger_day_start(gint64 time_us);

class SpendLedger {
 public:
  class Lock;

  explicit SpendLedger(std::string dir) : dir_(std::move(dir)) {}
  ~SpendLedger();

  /* Opens (and creates) the directory; false, and `problem` for the user,
   * when it cannot be used or is not safe. */
  bool open(std::string *problem);

  /* The ledger's lock, waited for (it is held for milliseconds); nullptr
   * and `problem` when it cannot be taken. */
  std::unique_ptr<Lock> lock(std::string *problem) const;

  /* Appends the entry's state. Call with the lock held. `durable`: fdatasync
   * before returning (a budget's entries must survive a power cut; without a
   * budget the page cache is enough, as a killed process loses nothing of
   * it, and a busy disk does not slow every create). */
  bool write(const LedgerEntry &entry, std::string *problem, bool durable = true) const;

  /* The latest state of every entry first written between the days of
   * `from_us` and `to_us` (both included), oldest first. */
  std::vector<LedgerEntry> read(gint64 from_us, gint64 to_us) const;

  const std::string &dir() const { return dir_; }

 private:
  std::vector<LedgerEntry> read_day(const std::string &day) const;
  std::string dir_;
  CacheDirectory directory_;
};

class SpendLedger::Lock {
 public:
  explicit Lock(int fd) : fd_(fd) {}
  ~Lock();
  Lock(const Lock &) = delete;
  Lock &operator=(const Lock &) = delete;

 private:
  int fd_;
};

/* One line of a ledger file, checksum first; parse_ledger_line() reads it
 * back (nullopt for a torn or altered line). For the tests and the fuzzer. */
std::string ledger_line(const LedgerEntry &entry);
std::optional<LedgerEntry> parse_ledger_line(const std::string &line);

}  // namespace sora
