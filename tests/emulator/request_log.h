// What the server saw: one record per API request (rejected ones included), in arrival order,
// with every header, the parsed body and the answer's status, so tests can assert on what a
// client really sent (GET /_emulator/requests).
#pragma once

#include "glib_ptr.h"
#include "request_body.h"

#include <libsoup/soup.h>

#include <string>
#include <vector>

struct RequestArrival {
  gint64 monotonic_us = 0;  // g_get_monotonic_time()
  gint64 wall_us = 0;       // g_get_real_time()
};

class RequestLog {
 public:
  // Records an answered request. @path is decoded; @video_id names the task the request
  // concerned, or is empty.
  void record(SoupServerMessage *message, const char *path, GHashTable *query,
              const RequestBody &body, const RequestArrival &arrival, const std::string &video_id);

  JsonNodePtr to_json() const;

  void clear() { records_.clear(); }

 private:
  std::vector<JsonNodePtr> records_;
  gint64 next_seq_ = 1;
};
