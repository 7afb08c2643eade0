/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/spend_ledger.h"

#include "core/file_read.h"

#include "core/debug.h"
#include "core/glib_ptr.h"
#include "core/json_limits.h"

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

constexpr char kLockName[] = "ledger.lock";
/* A day of a 24/7 channel of 8 s shots is some 10,000 entries of a few
 * hundred bytes, each written two or three times. */
constexpr gsize kMaxDaySize = 64 * 1024 * 1024;
constexpr gsize kMaxLineSize = 16 * 1024;
/* How long a writer waits for the lock: it is held for one read and one
 * append, so only a stuck process holds it this long. */
constexpr gint64 kLockWaitUs = 10 * G_USEC_PER_SEC;
constexpr gint64 kDayUs = G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC;

std::string checksum(const std::string &text) {
  char hex[17];
  g_snprintf(hex, sizeof hex, "%016" G_GINT64_MODIFIER "x",
             static_cast<guint64>(XXH64(text.data(), text.size(), 0)));
  return hex;
}

std::string text_member(JsonObject *object, const char *name) {
  JsonNode *node = json_object_get_member(object, name);
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
             ? json_node_get_string(node)
             : "";
}

std::optional<gint64> int_member(JsonObject *object, const char *name) {
  JsonNode *node = json_object_get_member(object, name);
  if (node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64)
    return json_node_get_int(node);
  return std::nullopt;
}

std::string file_name(const std::string &day) {
  return "ledger-" + day + ".jsonl";
}

}  // namespace

std::string ledger_day(gint64 time_us) {
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(time_us / G_USEC_PER_SEC);
  if (!when)
    return "0000-00-00";
  g_autofree char *day = g_date_time_format(when, "%Y-%m-%d");
  return day;
}

gint64 ledger_day_start(gint64 time_us) {
  return time_us - time_us % kDayUs;
}

SpendTotal add_up(const std::vector<LedgerEntry> &entries, const std::string &currency,
                  const std::string &programme) {
  SpendTotal total;
  for (const LedgerEntry &entry : entries) {
    if (entry.released || (!programme.empty() && entry.programme != programme))
      continue;
    std::optional<gint64> amount = entry.amount();
    if (amount && entry.currency != currency)
      continue;
    total.tasks++;
    if (amount)
      total.micros += *amount;
    else
      total.unknown++;
  }
  return total;
}

std::string ledger_line(const LedgerEntry &entry) {
  g_autoptr(JsonBuilder) builder = json_builder_new();
  json_builder_begin_object(builder);
  auto text = [&](const char *name, const std::string &value) {
    if (value.empty())
      return;
    json_builder_set_member_name(builder, name);
    json_builder_add_string_value(builder, value.c_str());
  };
  auto number = [&](const char *name, std::optional<gint64> value) {
    if (!value)
      return;
    json_builder_set_member_name(builder, name);
    json_builder_add_int_value(builder, *value);
  };
  text("id", entry.id);
  number("time_us", entry.time_us);
  text("how", entry.how);
  text("task", entry.task);
  text("model", entry.model);
  text("gateway", entry.gateway);
  text("size", entry.size);
  number("seconds", entry.seconds);
  number("estimate_micros", entry.estimate);
  number("cost_micros", entry.cost);
  text("currency", entry.currency);
  text("entry", entry.entry);
  text("programme", entry.programme);
  text("key", entry.key);
  if (entry.released) {
    json_builder_set_member_name(builder, "released");
    json_builder_add_boolean_value(builder, TRUE);
  }
  json_builder_end_object(builder);
  JsonNodePtr root(json_builder_get_root(builder));
  g_autofree char *json = json_to_string(root.get(), FALSE);
  return checksum(json) + " " + json + "\n";
}

std::optional<LedgerEntry> parse_ledger_line(const std::string &line) {
  if (line.size() < 18 || line.size() > kMaxLineSize || line[16] != ' ')
    return std::nullopt;
  const std::string json = line.substr(17);
  if (checksum(json) != line.substr(0, 16))
    return std::nullopt;
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (!load_json_bounded(parser, json, nullptr))
    return std::nullopt;
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root))
    return std::nullopt;
  JsonObject *object = json_node_get_object(root);
  LedgerEntry entry;
  entry.id = text_member(object, "id");
  if (entry.id.empty())
    return std::nullopt;
  entry.time_us = int_member(object, "time_us").value_or(0);
  entry.how = text_member(object, "how");
  entry.task = text_member(object, "task");
  entry.model = text_member(object, "model");
  entry.gateway = text_member(object, "gateway");
  entry.size = text_member(object, "size");
  gint64 seconds = int_member(object, "seconds").value_or(0);
  entry.seconds = seconds > 0 && seconds < G_MAXUINT ? static_cast<unsigned>(seconds) : 0;
  entry.estimate = int_member(object, "estimate_micros");
  entry.cost = int_member(object, "cost_micros");
  if ((entry.estimate && *entry.estimate < 0) || (entry.cost && *entry.cost < 0))
    return std::nullopt;
  entry.currency = text_member(object, "currency");
  entry.entry = text_member(object, "entry");
  entry.programme = text_member(object, "programme");
  entry.key = text_member(object, "key");
  JsonNode *released = json_object_get_member(object, "released");
  entry.released = released && JSON_NODE_HOLDS_VALUE(released) &&
                   json_node_get_value_type(released) == G_TYPE_BOOLEAN &&
                   json_node_get_boolean(released);
  return entry;
}

SpendLedger::~SpendLedger() = default;

SpendLedger::Lock::~Lock() {
  flock(fd_, LOCK_UN);
  close(fd_);
}

bool SpendLedger::open(std::string *problem) {
  directory_ = CacheDirectory::open(dir_, problem);
  return directory_.valid();
}

std::unique_ptr<SpendLedger::Lock> SpendLedger::lock(std::string *problem) const {
  int fd = openat(directory_.fd(), kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    *problem = std::string("cannot open ") + dir_ + "/" + kLockName + ": " + g_strerror(errno);
    return nullptr;
  }
  const gint64 until = g_get_monotonic_time() + kLockWaitUs;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if ((error != EWOULDBLOCK && error != EINTR) || g_get_monotonic_time() > until) {
      *problem =
          std::string("cannot lock ") + dir_ + "/" + kLockName + ": " +
          (error == EWOULDBLOCK ? "another process has held it for 10 s" : g_strerror(error));
      close(fd);
      return nullptr;
    }
    g_usleep(2000);
  }
  return std::make_unique<Lock>(fd);
}

bool SpendLedger::write(const LedgerEntry &entry, std::string *problem, bool durable) const {
  const std::string name = file_name(ledger_day(entry.time_us));
  FileDescriptor file(openat(directory_.fd(), name.c_str(),
                             O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  struct stat st;
  if (!file.valid() || fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    *problem = "cannot open " + dir_ + "/" + name + ": " + g_strerror(errno);
    return false;
  }
  std::string line = ledger_line(entry);
  /* A writer killed mid-line left no newline: start on a fresh line, so
   * that only its torn line is lost. */
  if (st.st_size > 0) {
    FileDescriptor reader(openat(directory_.fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    char last = '\n';
    if (reader.valid() && pread(reader.get(), &last, 1, st.st_size - 1) == 1 && last != '\n')
      line.insert(0, "\n");
  }
  if (!write_all(file.get(), line.data(), line.size()) || (durable && fdatasync(file.get()) != 0)) {
    *problem = "cannot write to " + dir_ + "/" + name + ": " + g_strerror(errno);
    return false;
  }
  return true;
}

std::vector<LedgerEntry> SpendLedger::read_day(const std::string &day) const {
  std::vector<LedgerEntry> entries;
  FileDescriptor file(openat(directory_.fd(), file_name(day).c_str(),
                             O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat st;
  if (!file.valid() || fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return entries;
  if (static_cast<guint64>(st.st_size) > kMaxDaySize) {
    GST_WARNING("the ledger %s/%s is larger than %" G_GSIZE_FORMAT " bytes: not read", dir_.c_str(),
                file_name(day).c_str(), kMaxDaySize);
    return entries;
  }
  std::string text(static_cast<gsize>(st.st_size), '\0');
  gssize got = read_at(file.get(), text.data(), text.size(), 0);
  text.resize(got > 0 ? static_cast<gsize>(got) : 0);
  std::map<std::string, size_t> at;
  gsize start = 0;
  unsigned torn = 0;
  while (start < text.size()) {
    gsize end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    std::optional<LedgerEntry> entry = parse_ledger_line(text.substr(start, end - start));
    start = end + 1;
    if (!entry) {
      torn++;
      continue;
    }
    auto found = at.find(entry->id);
    if (found == at.end()) {
      at.emplace(entry->id, entries.size());
      entries.push_back(std::move(*entry));
    } else {
      entries[found->second] = std::move(*entry);
    }
  }
  if (torn)
    GST_INFO("%u unreadable line(s) in %s/%s (a writer killed mid-line): skipped", torn,
             dir_.c_str(), file_name(day).c_str());
  return entries;
}

std::vector<LedgerEntry> SpendLedger::read(gint64 from_us, gint64 to_us) const {
  std::vector<LedgerEntry> entries;
  for (gint64 day = ledger_day_start(from_us); day <= to_us; day += kDayUs) {
    std::vector<LedgerEntry> of_day = read_day(ledger_day(day));
    entries.insert(entries.end(), std::make_move_iterator(of_day.begin()),
                   std::make_move_iterator(of_day.end()));
  }
  return entries;
}

}  // namespace sora
