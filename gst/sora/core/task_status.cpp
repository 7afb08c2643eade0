/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/task_status.h"

#include <glib.h>

namespace sora {

namespace {

struct StatusWord {
  const char *word;
  TaskState state;
};

/* Every word listed in DIALECTS.md. Words that mean "waiting for a worker"
 * map to kQueued, all other non-final words to kRunning. */
constexpr StatusWord kStatusWords[] = {
    {"queued", TaskState::kQueued},       {"pending", TaskState::kQueued},
    {"submitted", TaskState::kQueued},    {"not_start", TaskState::kQueued},
    {"in_progress", TaskState::kRunning}, {"processing", TaskState::kRunning},
    {"running", TaskState::kRunning},     {"generating", TaskState::kRunning},
    {"unknown", TaskState::kRunning},     {"completed", TaskState::kCompleted},
    {"succeeded", TaskState::kCompleted}, {"success", TaskState::kCompleted},
    {"done", TaskState::kCompleted},      {"failed", TaskState::kFailed},
    {"failure", TaskState::kFailed},      {"error", TaskState::kFailed},
    {"canceled", TaskState::kCancelled},  {"cancelled", TaskState::kCancelled},
    {"expired", TaskState::kExpired},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && g_ascii_isspace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && g_ascii_isspace(s.back()))
    s.remove_suffix(1);
  return s;
}

}  // namespace

TaskState classify_status(std::string_view word) {
  word = trim(word);
  for (const StatusWord &entry : kStatusWords) {
    std::string_view known(entry.word);
    if (known.size() == word.size() &&
        g_ascii_strncasecmp(known.data(), word.data(), word.size()) == 0)
      return entry.state;
  }
  return TaskState::kRunning;
}

const char *task_state_name(TaskState state) {
  switch (state) {
    case TaskState::kQueued:
      return "queued";
    case TaskState::kRunning:
      return "in_progress";
    case TaskState::kCompleted:
      return "completed";
    case TaskState::kFailed:
      return "failed";
    case TaskState::kCancelled:
      return "cancelled";
    case TaskState::kExpired:
      return "expired";
  }
  return "in_progress";
}

}  // namespace sora
