/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "task_store.h"

#include "litellm_id.h"
#include "random_id.h"

#include <algorithm>

Task &TaskStore::add(std::unique_ptr<Task> task, const DialectSettings &settings,
                     const std::optional<std::string> &chosen_id) {
  if (chosen_id) {
    task->id = *chosen_id;
  } else if (settings.id_style == IdStyle::kLitellm) {
    LitellmIds ids = new_litellm_ids(settings.litellm_upstream, task->model);
    task->id = ids.created;
    task->alias_id = ids.reencoded;
    aliases_[task->alias_id] = task->id;
  } else {
    task->id = new_video_id(settings.id_style);
  }
  task->generation_id = random_id("gen-", 24);
  task->sequence = next_sequence_++;
  task->created_us = g_get_monotonic_time();
  task->created_wall_us = g_get_real_time();
  Task &added = *task;
  tasks_.emplace(added.id, std::move(task));
  return added;
}

Task *TaskStore::find(const std::string &id) const {
  auto alias = aliases_.find(id);
  auto found = tasks_.find(alias == aliases_.end() ? id : alias->second);
  return found == tasks_.end() ? nullptr : found->second.get();
}

void TaskStore::remove(const std::string &id) {
  if (Task *task = find(id)) {
    std::string canonical = task->id;  // copies: erasing destroys the task
    aliases_.erase(std::string(task->alias_id));
    tasks_.erase(canonical);
  }
}

std::vector<const Task *> TaskStore::in_creation_order() const {
  std::vector<const Task *> ordered;
  ordered.reserve(tasks_.size());
  for (const auto &entry : tasks_) {
    ordered.push_back(entry.second.get());
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Task *a, const Task *b) { return a->sequence < b->sequence; });
  return ordered;
}
