/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// All tasks the emulator knows, by id (either of a LiteLLM task's two) and in creation order. Lives
// on the main thread only.
#pragma once

#include "dialect_settings.h"
#include "task.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

class TaskStore {
 public:
  // Gives @task a new id in the dialect's id style (and LiteLLM's second id), a generation id,
  // its sequence number and creation time, and keeps it. @chosen_id, when set, is the id instead
  // (hostile mode's next_task_id).
  Task &add(std::unique_ptr<Task> task, const DialectSettings &settings,
            const std::optional<std::string> &chosen_id = std::nullopt);

  // By either of its ids.
  Task *find(const std::string &id) const;

  // By either of its ids.
  void remove(const std::string &id);

  std::vector<const Task *> in_creation_order() const;

 private:
  std::unordered_map<std::string, std::unique_ptr<Task>> tasks_;
  std::unordered_map<std::string, std::string> aliases_;  // second id -> id
  guint64 next_sequence_ = 1;
};
