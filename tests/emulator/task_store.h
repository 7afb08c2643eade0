// All tasks the emulator knows, by id and in creation order. Lives on the main thread only.
#pragma once

#include "task.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class TaskStore {
 public:
  // Gives @task its id, sequence number and creation time, and keeps it.
  Task &add(std::unique_ptr<Task> task);

  Task *find(const std::string &id) const;

  void remove(const std::string &id);

  std::vector<const Task *> in_creation_order() const;

 private:
  std::unordered_map<std::string, std::unique_ptr<Task>> tasks_;
  guint64 next_sequence_ = 1;
};
