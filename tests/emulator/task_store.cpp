#include "task_store.h"

#include "random_id.h"

#include <algorithm>

Task &TaskStore::add(std::unique_ptr<Task> task, IdStyle id_style) {
  task->id = new_video_id(id_style);
  task->sequence = next_sequence_++;
  task->created_us = g_get_monotonic_time();
  task->created_wall_us = g_get_real_time();
  Task &added = *task;
  tasks_.emplace(added.id, std::move(task));
  return added;
}

Task *TaskStore::find(const std::string &id) const {
  auto found = tasks_.find(id);
  return found == tasks_.end() ? nullptr : found->second.get();
}

void TaskStore::remove(const std::string &id) {
  tasks_.erase(id);
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
