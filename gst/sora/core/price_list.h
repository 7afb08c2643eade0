/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* PriceList: what a request costs before it is paid for, from a JSON file of
 * list prices per model (and gateway, resolution and audio where they
 * differ), in one currency and read on one date.
 *
 *   {"currency": "USD", "read": "2026-12-06",
 *    "prices": [{"models": ["sora-2"], "resolution": "720p",
 *                "per_second": 0.10, "default_seconds": 4,
 *                "source": "where the price was read"}, ...]}
 *
 * An entry prices `per_second` of video, `per_request`, or both (added).
 * `gateway` (a family name: "openrouter", "litellm", ...), `resolution`
 * ("720p": the shorter side of WIDTHxHEIGHT) and `audio` (true/false) narrow
 * it; entries naming the request's gateway are used before the others. A
 * request that leaves the size or the audio to the server is priced at the
 * dearest entry that could apply, never the cheapest. A model the list does
 * not know has no estimate: the estimate says so, and why.
 *
 * The project ships one (data/prices.json, installed in the data directory);
 * `price-list` or SORA_PRICE_LIST names another. Money is kept in
 * millionths of the currency (`micros`), so sums are exact. */
#pragma once

#include <glib.h>

#include <optional>
#include <string>
#include <vector>

namespace sora {

struct PriceQuery {
  std::string gateway; /* the family name, "auto" for any other server */
  std::string model;
  unsigned seconds = 0;      /* 0: left to the server */
  std::string size;          /* WIDTHxHEIGHT, or empty: left to the server */
  std::optional<bool> audio; /* unset: the request does not say */
};

struct CostEstimate {
  bool known = false;
  gint64 micros = 0;    /* when known */
  std::string currency; /* the list's */
  /* The entry used, for a person: "sora-2, 720p: 0.10 USD/s x 8 s (source: ...)";
   * when not known, why ("the price list has no entry for model veo-9"). */
  std::string entry;
};

struct PriceEntry {
  std::vector<std::string> models;
  std::string gateway;     /* empty: any */
  unsigned resolution = 0; /* the shorter side; 0: any */
  std::optional<bool> audio;
  gint64 per_second = 0; /* micros */
  gint64 per_request = 0;
  unsigned default_seconds = 0;
  std::string source;
};

class PriceList {
 public:
  /* Reads the list at `path` (bounded in size and depth). nullopt and
   * `problem` (naming the file and what is wrong) when it cannot be used. */
  static std::optional<PriceList> load(const std::string &path, std::string *problem);
  static std::optional<PriceList> parse(const std::string &text, std::string *problem);

  CostEstimate estimate(const PriceQuery &query) const;

  const std::string &currency() const { return currency_; }
  const std::string &read_on() const { return read_on_; }
  const std::vector<PriceEntry> &entries() const { return entries_; }

 private:
  std::string currency_;
  std::string read_on_;
  std::vector<PriceEntry> entries_;
};

/* The list in effect: `property` when set, else $SORA_PRICE_LIST, else the
 * one installed with the plugin. */
std::string price_list_path(const std::string &property);
/* Where the shipped list is installed. */
const char *installed_price_list_path();

/* Whether a request asks for audio: its metadata's "generate_audio" or
 * "audio" (true/false), as Veo and fal name it; unset when it does not say. */
std::optional<bool> requested_audio(const std::string &metadata);

/* "0.80 USD": two decimals, more when the amount has them (0.0775 USD). */
std::string format_money(gint64 micros, const std::string &currency);
/* 1.25 -> 1250000; nullopt for a negative, non-finite or huge amount. */
std::optional<gint64> money_micros(double amount);
double micros_amount(gint64 micros);

}  // namespace sora
