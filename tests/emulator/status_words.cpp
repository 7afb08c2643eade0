/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "status_words.h"

namespace {

// One word for each TaskStatus.
struct Vocabulary {
  const char *queued;
  const char *in_progress;
  const char *completed;
  const char *failed;
};

constexpr Vocabulary kOpenAi = {"queued", "in_progress", "completed", "failed"};
// wisdom-gate (seeds/000, 001).
constexpr Vocabulary kProcessing = {"queued", "processing", "completed", "failed"};
// zhaotouai (seeds/003): "processing" from creation on.
constexpr Vocabulary kSucceeded = {"processing", "processing", "succeeded", "failed"};
constexpr Vocabulary kUpper = {"QUEUED", "IN_PROGRESS", "SUCCESS", "FAILURE"};
// Words no client can know; they must be read as "still running".
constexpr Vocabulary kUnknownRunning = {"warming_up", "rendering", "completed", "failed"};
// OpenRouter's job statuses (its poll endpoint's enum).
constexpr Vocabulary kOpenRouter = {"pending", "in_progress", "completed", "failed"};
// Google Veo behind LiteLLM: "processing" until the operation is done.
constexpr Vocabulary kProcessingFromStart = {"processing", "processing", "completed", "failed"};
// What new-api's ConvertToOpenAIVideo makes of its task words on the OpenAI-shaped routes.
constexpr Vocabulary kNewApiTaskAsVideo = {"queued", "in_progress", "completed", "failed"};

// Every word of the DIALECTS.md status row, by meaning.
const char *const kRunningWords[] = {"queued",     "in_progress", "processing", "running",
                                     "generating", "pending",     "submitted",  "not_start",
                                     "unknown",    "IN_PROGRESS"};
const char *const kCompletedWords[] = {"completed", "succeeded", "success", "done", "SUCCESS"};
const char *const kFailedWords[] = {"failed",   "failure",   "error",
                                    "canceled", "cancelled", "expired"};

const char *word_of(const Vocabulary &vocabulary, TaskStatus status) {
  switch (status) {
    case TaskStatus::kInProgress:
      return vocabulary.in_progress;
    case TaskStatus::kCompleted:
      return vocabulary.completed;
    case TaskStatus::kFailed:
      return vocabulary.failed;
    case TaskStatus::kQueued:
      break;
  }
  return vocabulary.queued;
}

template <size_t N>
const char *rotate(const char *const (&words)[N], guint turn) {
  return words[turn % N];
}

const char *mixed_word(const VideoView &video) {
  switch (video.status) {
    case TaskStatus::kCompleted:
      return rotate(kCompletedWords, video.retrievals);
    case TaskStatus::kFailed:
      return rotate(kFailedWords, video.retrievals);
    default:
      return rotate(kRunningWords, video.retrievals);
  }
}

// new-api's task words: "processing" for the first half of the generation, then "running".
const char *newapi_word(const VideoView &video) {
  switch (video.status) {
    case TaskStatus::kQueued:
      return "submitted";
    case TaskStatus::kInProgress:
      return video.progress < 50 ? "processing" : "running";
    case TaskStatus::kCompleted:
      return "succeeded";
    case TaskStatus::kFailed:
      break;
  }
  return "failure";
}

// new-api's task words (model/task.go): a task is NOT_START until its submit went through, then
// SUBMITTED, then QUEUED upstream; here each takes a third of the queue time.
const char *newapi_task_word(const VideoView &video) {
  switch (video.status) {
    case TaskStatus::kQueued:
      return video.queued_fraction < 1.0 / 3   ? "NOT_START"
             : video.queued_fraction < 2.0 / 3 ? "SUBMITTED"
                                               : "QUEUED";
    case TaskStatus::kInProgress:
      return "IN_PROGRESS";
    case TaskStatus::kCompleted:
      return "SUCCESS";
    case TaskStatus::kFailed:
      break;
  }
  return "FAILURE";
}

bool is_upper_case(StatusWords words) {
  return words == StatusWords::kUpper || words == StatusWords::kNewApiTask;
}

// "unknown" (still running), and "cancelled" or "expired" (failed) where one was planned.
std::optional<std::string> special_word(StatusWords words, const VideoView &video) {
  std::optional<std::string> word;
  if (video.status_unknown) {
    word = "unknown";
  } else if (video.status == TaskStatus::kFailed && video.error && video.error->end_status) {
    word = video.error->end_status;
  }
  if (word && is_upper_case(words)) {
    g_autofree char *upper = g_ascii_strup(word->c_str(), -1);
    word = upper;
  }
  return word;
}

const char *plain_status_word(StatusWords words, const VideoView &video) {
  switch (words) {
    case StatusWords::kProcessing:
      return word_of(kProcessing, video.status);
    case StatusWords::kSucceeded:
      return word_of(kSucceeded, video.status);
    case StatusWords::kNewApi:
      return newapi_word(video);
    case StatusWords::kUpper:
      return word_of(kUpper, video.status);
    case StatusWords::kMixed:
      return mixed_word(video);
    case StatusWords::kUnknownRunning:
      return word_of(kUnknownRunning, video.status);
    case StatusWords::kOpenRouter:
      return word_of(kOpenRouter, video.status);
    case StatusWords::kNewApiTask:
      return word_of(kNewApiTaskAsVideo, video.status);
    case StatusWords::kProcessingFromStart:
      return word_of(kProcessingFromStart, video.status);
    case StatusWords::kOpenAi:
      break;
  }
  return word_of(kOpenAi, video.status);
}

}  // namespace

std::string status_word(StatusWords words, const VideoView &video) {
  if (std::optional<std::string> word = special_word(words, video)) {
    return *word;
  }
  return plain_status_word(words, video);
}

std::string task_status_word(StatusWords words, const VideoView &video) {
  if (std::optional<std::string> word = special_word(words, video)) {
    return *word;
  }
  return words == StatusWords::kNewApiTask ? newapi_task_word(video)
                                           : plain_status_word(words, video);
}
