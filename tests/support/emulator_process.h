/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* EmulatorProcess: a private sora-emulator for one test.
 *
 * Starts the emulator the build made (path in $SORA_EMULATOR) on a free port
 * of 127.0.0.1, reads the base URL it prints, and talks to its control API:
 * what requests it saw, and runtime settings such as the next task's failure.
 * The process is stopped when the object goes away. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include <functional>
#include <string>
#include <vector>

namespace sora_test {

/* The key the tests use unless they test keys. */
constexpr const char kTestKey[] = "sk-test-0123456789abcdef";

/* One request the emulator recorded. */
struct SeenRequest {
  std::string method;
  std::string path;
  std::string content_type;
  std::string body_kind;
  std::string authorization;
  gint64 time_us = 0;
  unsigned response_status = 0;
  JsonObject *record = nullptr; /* the whole record, owned by the Requests list */

  /* A member of the multipart field `name` ("value", "kind", "filename",
   * "size", ...), as text: "" when null, "<absent>" when there is no such
   * field or member. */
  std::string field(const char *name, const char *member = "value") const;
};

class EmulatorProcess {
 public:
  /* Extra command-line options, e.g. {"--layout", "moov-first"}. */
  explicit EmulatorProcess(std::vector<std::string> options = {});
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess &) = delete;
  EmulatorProcess &operator=(const EmulatorProcess &) = delete;

  const std::string &base_url() const { return base_url_; } /* http://127.0.0.1:N/v1 */
  std::string control_url(const char *path) const;          /* http://127.0.0.1:N/_emulator/... */

  /* Everything seen so far, in arrival order. */
  std::vector<SeenRequest> requests();
  /* Those with this method whose path matches `path` exactly. */
  std::vector<SeenRequest> requests(const std::string &method, const std::string &path);
  /* Number of POSTs to /v1/videos. */
  size_t create_count();
  /* The id of the task the `index`-th POST to /v1/videos created. */
  std::string created_video_id(size_t index = 0);
  /* GET /_emulator/tasks: every task the server holds, with its internal
   * state (see the emulator's README); `each` sees each task's object. */
  void for_each_task(const std::function<void(JsonObject *task)> &each);
  /* Number of tasks the server holds: what was really created, and billed. */
  size_t task_count();

  /* The file the emulator rendered for the task `video_id`: what the client
   * must have downloaded, byte for byte. */
  std::string rendered_clip(const std::string &video_id);

  /* Forgets the requests seen so far: requests() starts afresh. */
  void clear_requests();

  /* POST /_emulator/config with a JSON object. */
  void configure(const std::string &json);

  /* Raw HTTP to the emulator, for tests that go around the element. */
  std::string http(const char *method, const std::string &url, unsigned *status,
                   const std::string &api_key = kTestKey);

 private:
  GSubprocess *process_ = nullptr;
  std::string base_url_;
  std::string root_url_;
  JsonParser *last_requests_ = nullptr; /* keeps the records returned by requests() alive */
};

/* A port of 127.0.0.1 that was free a moment ago. */
unsigned free_port();

}  // namespace sora_test
