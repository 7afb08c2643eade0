/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/price_list.h"

#include "core/glib_ptr.h"
#include "core/json_limits.h"
#include "core/video_request.h"

#include <algorithm>
#include <cmath>

#ifndef SORA_PRICE_LIST_INSTALLED
#define SORA_PRICE_LIST_INSTALLED "/usr/share/gstreamer-sora/prices.json"
#endif

namespace sora {

namespace {

/* A list of every model of every gateway is a few hundred entries. */
constexpr gsize kMaxListSize = 1024 * 1024;
constexpr guint kMaxEntries = 10000;
constexpr double kMaxAmount = 1e9; /* per second or request: far above any price */

std::string lower(const std::string &text) {
  g_autofree char *down = g_ascii_strdown(text.c_str(), -1);
  return down;
}

bool member_number(JsonObject *object, const char *name, double *out) {
  JsonNode *node = json_object_get_member(object, name);
  if (!node || !JSON_NODE_HOLDS_VALUE(node))
    return false;
  GType type = json_node_get_value_type(node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return false;
  *out = json_node_get_double(node);
  return true;
}

std::string member_text(JsonObject *object, const char *name) {
  JsonNode *node = json_object_get_member(object, name);
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
             ? json_node_get_string(node)
             : "";
}

/* "720p" -> 720, "4k" -> 2160. */
std::optional<unsigned> parse_resolution(const std::string &text) {
  std::string down = lower(text);
  if (down == "4k")
    return 2160u;
  guint64 value = 0;
  if (down.size() < 2 || down.back() != 'p' ||
      !g_ascii_string_to_unsigned(down.substr(0, down.size() - 1).c_str(), 10, 1, 100000, &value,
                                  nullptr))
    return std::nullopt;
  return static_cast<unsigned>(value);
}

std::optional<PriceEntry> parse_entry(JsonObject *object, guint index, std::string *problem) {
  const std::string where = "prices[" + std::to_string(index) + "]";
  PriceEntry entry;
  JsonNode *models = json_object_get_member(object, "models");
  if (models && JSON_NODE_HOLDS_ARRAY(models)) {
    JsonArray *array = json_node_get_array(models);
    for (guint i = 0; i < json_array_get_length(array); i++) {
      JsonNode *name = json_array_get_element(array, i);
      if (JSON_NODE_HOLDS_VALUE(name) && json_node_get_value_type(name) == G_TYPE_STRING &&
          *json_node_get_string(name))
        entry.models.push_back(lower(json_node_get_string(name)));
    }
  }
  if (entry.models.empty()) {
    *problem = where + " has no \"models\" (an array of model names)";
    return std::nullopt;
  }
  entry.gateway = lower(member_text(object, "gateway"));
  std::string resolution = member_text(object, "resolution");
  if (!resolution.empty()) {
    std::optional<unsigned> side = parse_resolution(resolution);
    if (!side) {
      *problem = where + " has resolution \"" + resolution + "\" (expected 720p, 1080p, 4k...)";
      return std::nullopt;
    }
    entry.resolution = *side;
  }
  if (JsonNode *audio = json_object_get_member(object, "audio")) {
    if (!JSON_NODE_HOLDS_VALUE(audio) || json_node_get_value_type(audio) != G_TYPE_BOOLEAN) {
      *problem = where + " has an \"audio\" that is not true or false";
      return std::nullopt;
    }
    entry.audio = json_node_get_boolean(audio) != FALSE;
  }
  bool priced = false;
  for (auto [name, field] : {std::pair<const char *, gint64 *>{"per_second", &entry.per_second},
                             {"per_request", &entry.per_request}}) {
    double amount = 0;
    if (!json_object_has_member(object, name))
      continue;
    std::optional<gint64> micros;
    if (member_number(object, name, &amount))
      micros = money_micros(amount);
    if (!micros) {
      *problem = where + " has a " + name + " that is not an amount of money";
      return std::nullopt;
    }
    *field = *micros;
    priced = true;
  }
  if (!priced) {
    *problem = where + " has neither per_second nor per_request";
    return std::nullopt;
  }
  double seconds = 0;
  if (member_number(object, "default_seconds", &seconds) && seconds >= 1 && seconds <= 3600)
    entry.default_seconds = static_cast<unsigned>(seconds);
  entry.source = member_text(object, "source");
  return entry;
}

/* The shorter side of WIDTHxHEIGHT. */
std::optional<unsigned> size_resolution(const std::string &size) {
  std::optional<FrameSize> frame = parse_width_x_height(size);
  if (!frame)
    return std::nullopt;
  return std::min(frame->width, frame->height);
}

std::string describe(const PriceEntry &entry, const std::string &model, unsigned seconds,
                     const std::string &currency) {
  std::string text = model;
  if (!entry.gateway.empty())
    text += " via " + entry.gateway;
  if (entry.resolution)
    text += ", " + std::to_string(entry.resolution) + "p";
  if (entry.audio)
    text += *entry.audio ? ", with audio" : ", without audio";
  text += ": ";
  if (entry.per_second)
    text += format_money(entry.per_second, currency) + "/s x " + std::to_string(seconds) + " s";
  if (entry.per_request)
    text += std::string(entry.per_second ? " + " : "") + format_money(entry.per_request, currency) +
            " per request";
  if (!entry.source.empty())
    text += " (" + entry.source + ")";
  return text;
}

}  // namespace

std::optional<gint64> money_micros(double amount) {
  if (!std::isfinite(amount) || amount < 0 || amount > kMaxAmount)
    return std::nullopt;
  return static_cast<gint64>(std::llround(amount * 1e6));
}

double micros_amount(gint64 micros) {
  return static_cast<double>(micros) / 1e6;
}

std::string format_money(gint64 micros, const std::string &currency) {
  const bool negative = micros < 0;
  guint64 value = negative ? static_cast<guint64>(-micros) : static_cast<guint64>(micros);
  std::string fraction = std::to_string(value % 1000000);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.size() > 2 && fraction.back() == '0')
    fraction.pop_back();
  std::string text = (negative ? "-" : "") + std::to_string(value / 1000000) + "." + fraction;
  return currency.empty() ? text : text + " " + currency;
}

std::optional<PriceList> PriceList::parse(const std::string &text, std::string *problem) {
  if (text.size() > kMaxListSize) {
    *problem = "it is larger than " + std::to_string(kMaxListSize) + " bytes";
    return std::nullopt;
  }
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) error = nullptr;
  if (!load_json_bounded(parser, text, &error)) {
    *problem = std::string("it is not JSON: ") + (error ? error->message : "too deep");
    return std::nullopt;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
    *problem = "it is not a JSON object";
    return std::nullopt;
  }
  JsonObject *object = json_node_get_object(root);
  PriceList list;
  list.currency_ = member_text(object, "currency");
  list.read_on_ = member_text(object, "read");
  if (list.currency_.empty() || list.currency_.size() > 8) {
    *problem = "it has no \"currency\" (as \"USD\")";
    return std::nullopt;
  }
  JsonNode *prices = json_object_get_member(object, "prices");
  if (!prices || !JSON_NODE_HOLDS_ARRAY(prices)) {
    *problem = "it has no \"prices\" array";
    return std::nullopt;
  }
  JsonArray *array = json_node_get_array(prices);
  if (json_array_get_length(array) > kMaxEntries) {
    *problem = "it has more than " + std::to_string(kMaxEntries) + " prices";
    return std::nullopt;
  }
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonNode *node = json_array_get_element(array, i);
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
      *problem = "prices[" + std::to_string(i) + "] is not an object";
      return std::nullopt;
    }
    std::optional<PriceEntry> entry = parse_entry(json_node_get_object(node), i, problem);
    if (!entry)
      return std::nullopt;
    list.entries_.push_back(std::move(*entry));
  }
  return list;
}

std::optional<PriceList> PriceList::load(const std::string &path, std::string *problem) {
  g_autofree char *contents = nullptr;
  gsize length = 0;
  g_autoptr(GError) error = nullptr;
  if (!g_file_get_contents(path.c_str(), &contents, &length, &error)) {
    *problem = "The price list " + path + " cannot be read: " + error->message;
    return std::nullopt;
  }
  std::string why;
  std::optional<PriceList> list = parse(std::string(contents, length), &why);
  if (!list)
    *problem = "The price list " + path + " cannot be used: " + why + ".";
  return list;
}

CostEstimate PriceList::estimate(const PriceQuery &query) const {
  CostEstimate estimate;
  estimate.currency = currency_;
  const std::string model = lower(query.model);
  const std::string gateway = lower(query.gateway);
  std::vector<const PriceEntry *> candidates;
  bool for_gateway = false;
  for (const PriceEntry &entry : entries_) {
    if (std::find(entry.models.begin(), entry.models.end(), model) == entry.models.end())
      continue;
    if (!entry.gateway.empty() && entry.gateway != gateway)
      continue;
    if (!entry.gateway.empty() && !for_gateway) {
      candidates.clear(); /* the gateway's own prices come before anyone's */
      for_gateway = true;
    }
    if (for_gateway && entry.gateway.empty())
      continue;
    candidates.push_back(&entry);
  }
  if (candidates.empty()) {
    estimate.entry = "the price list has no entry for model " + query.model;
    return estimate;
  }
  std::optional<unsigned> resolution;
  if (!query.size.empty()) {
    resolution = size_resolution(query.size);
    if (!resolution) {
      estimate.entry = "the size " + query.size + " is not WIDTHxHEIGHT, so its price is unknown";
      return estimate;
    }
  }
  /* The most specific entries that apply: one naming the resolution (or
   * audio) asked for comes before one that names none. */
  auto fits = [&](const PriceEntry &entry) {
    return (!resolution || !entry.resolution || entry.resolution == *resolution) &&
           (!query.audio || !entry.audio || *entry.audio == *query.audio);
  };
  auto specificity = [&](const PriceEntry &entry) {
    return (resolution && entry.resolution ? 2 : 0) + (query.audio && entry.audio ? 1 : 0);
  };
  int best = -1;
  for (const PriceEntry *entry : candidates) {
    if (fits(*entry))
      best = std::max(best, specificity(*entry));
  }
  if (best < 0) {
    estimate.entry = "the price list has model " + query.model + " but not at " + query.size +
                     (query.audio ? (*query.audio ? " with audio" : " without audio") : "");
    return estimate;
  }
  const PriceEntry *chosen = nullptr;
  gint64 dearest = -1;
  unsigned chosen_seconds = 0;
  for (const PriceEntry *entry : candidates) {
    if (!fits(*entry) || specificity(*entry) != best)
      continue;
    unsigned seconds = query.seconds ? query.seconds : entry->default_seconds;
    if (entry->per_second && !seconds)
      continue;
    gint64 cost = entry->per_request + entry->per_second * static_cast<gint64>(seconds);
    if (cost > dearest) {
      dearest = cost;
      chosen = entry;
      chosen_seconds = seconds;
    }
  }
  if (!chosen) {
    estimate.entry =
        "the request leaves its length to the server and the price list gives no "
        "default_seconds for model " +
        query.model;
    return estimate;
  }
  estimate.known = true;
  estimate.micros = dearest;
  estimate.entry = describe(*chosen, query.model, chosen_seconds, currency_);
  return estimate;
}

const char *installed_price_list_path() {
  return SORA_PRICE_LIST_INSTALLED;
}

std::string price_list_path(const std::string &property) {
  if (!property.empty())
    return property;
  const char *variable = g_getenv("SORA_PRICE_LIST");
  if (variable && *variable)
    return variable;
  return installed_price_list_path();
}

std::optional<bool> requested_audio(const std::string &metadata) {
  if (metadata.empty())
    return std::nullopt;
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (!load_json_bounded(parser, metadata, nullptr))
    return std::nullopt;
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root))
    return std::nullopt;
  JsonObject *object = json_node_get_object(root);
  for (const char *name : {"generate_audio", "audio"}) {
    JsonNode *node = json_object_get_member(object, name);
    if (node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_BOOLEAN)
      return json_node_get_boolean(node) != FALSE;
  }
  return std::nullopt;
}

}  // namespace sora
