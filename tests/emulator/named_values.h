/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The names that enumerations have on the wire (in the API, the control API and on the command
// line), kept in one table per enumeration so that parsing and printing cannot disagree.
#pragma once

#include <cstring>
#include <optional>
#include <string>

template <typename E>
struct NamedValue {
  E value;
  const char *name;
};

template <typename E, size_t N>
const char *name_of(const NamedValue<E> (&table)[N], E value) {
  for (const NamedValue<E> &entry : table) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return table[0].name;
}

template <typename E, size_t N>
std::optional<E> value_named(const NamedValue<E> (&table)[N], const char *name) {
  for (const NamedValue<E> &entry : table) {
    if (name && strcmp(entry.name, name) == 0) {
      return entry.value;
    }
  }
  return std::nullopt;
}

// "'a', 'b' or 'c'", for error messages that list the accepted names; for any table whose
// entries have a `name`.
template <typename Entry, size_t N>
std::string names_of(const Entry (&table)[N]) {
  std::string names;
  for (size_t i = 0; i < N; i++) {
    names += (i == 0 ? "'" : i + 1 == N ? " or '" : ", '") + std::string(table[i].name) + "'";
  }
  return names;
}
