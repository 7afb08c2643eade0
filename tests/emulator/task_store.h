// All tasks the emulator knows, by id and in creation order. Lives on the main thread only.
#pragma once

#include "dialect_settings.h"
#include "task.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class TaskStore {
 public:
  // Gives @task a new id in @id_style, its sequence number and creation time, and keeps it.
  Task &add(std::unique_ptr<Task> task, IdStyle id_style);

  Task *find(const std::string &id) const;

  void remove(const std::string &id);

  std::vector<const Task *> in_creation_order() const;

 private:
  std::unordered_map<std::string, std::unique_ptr<Task>> tasks_;
  guint64 next_sequence_ = 1;
};
