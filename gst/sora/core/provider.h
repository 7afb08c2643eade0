/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Provider: how one protocol asks for a video and reads the answers, and
 * nothing else. VideoJob keeps the one provider-independent logic (the
 * journal, the cache, attaching, retries, the deadline, cancel, the
 * download); at each request it asks its Provider what to send and what an
 * answer means:
 *
 *   create_request()  -> the paid request        read_created() -> TaskHandle
 *   status_request()  -> one look at the task    read_status()  -> VideoObject
 *   result_request()  -> where the clip is, when the status does not say
 *   download_sources()   the clip's URLs, best first
 *   cancel_request()     only when the user asks to cancel
 *
 * A task is a TaskHandle: the id the user sees (video-id) and the URLs the
 * server gave for it; the handle is what the journal records, so that a
 * rerun attaches without building URLs by hand. A status is a VideoObject,
 * the struct every other part of the job already reads (state, progress,
 * error, download URLs).
 *
 * One implementation per protocol: the OpenAI format (openai_format.h, its
 * gateways differing only by their GatewayProfile row) and the native
 * providers (gemini_operations.h, ...). A next provider is a row in
 * gateway.cpp's table and a class here. */
#pragma once

#include "core/connection.h"
#include "core/input_schema.h"
#include "core/http_message.h"
#include "core/video_object.h"
#include "core/video_request.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sora {

/* A task as its provider addresses it. Never holds a key. */
struct TaskHandle {
  std::string id;         /* what the user sees and sets as video-id */
  std::string status_url; /* where its state is read, as the server gave it; empty: built */
  std::string result_url; /* where its result is read (fal's response_url) */
  std::string cancel_url; /* where it is cancelled, as the server gave it */

  bool empty() const { return id.empty(); }
};

/* What a provider needs to know of the job. */
struct ProviderSettings {
  Connection connection; /* without the key: the HttpClient alone holds it */
  VideoRequest request;
  const ReferenceImage *image = nullptr; /* the job's, which outlives its provider */
  std::string variant = "video";
};

class Provider {
 public:
  virtual ~Provider() = default;

  /* The model's published input schema (fal's OpenAPI, Replicate's
   * model), read before the create; nullopt: the protocol has none. */
  virtual std::optional<HttpRequest> schema_request() const { return std::nullopt; }
  /* Reads a schema answer (nullopt when there is none to be had). */
  virtual std::optional<InputSchema> read_schema(const HttpResponse &, std::string *problem) const {
    *problem = "no schema";
    return std::nullopt;
  }
  /* The schema to map the request on; nullopt: the conventional names. */
  virtual void set_schema(std::optional<InputSchema>) {}
  /* What a missing schema means, for the warning; nullptr: the
   * conventional names are sent. */
  virtual const char *without_schema() const { return nullptr; }
  /* What the protocol cannot ask for (a duration or size the model's
   * fixed parameters or schema do not allow), found before anything is
   * paid for; nullopt: the request can be sent. */
  virtual std::optional<SettingsProblem> check() const { return std::nullopt; }
  /* The request that creates (and pays for) the task. */
  virtual HttpRequest create_request() = 0;
  /* A success answer of the create: the task and its first state; nullopt
   * and `problem` when the answer names no usable task. */
  virtual std::optional<TaskHandle> read_created(const HttpResponse &response, VideoObject *video,
                                                 std::string *problem) = 0;
  /* A task known by its id only (video-id, a journal without URLs); nullopt
   * and `problem` when the id cannot name one. */
  virtual std::optional<TaskHandle> handle_for_id(const std::string &id,
                                                  std::string *problem) const = 0;
  virtual HttpRequest status_request(const TaskHandle &task) const = 0;
  /* The task's states pushed as server-sent events (fal's status stream),
   * read instead of polling; nullopt: poll. */
  virtual std::optional<HttpRequest> stream_request(const TaskHandle &) const {
    return std::nullopt;
  }
  /* One event of that stream, read as a status. */
  virtual std::optional<VideoObject> read_event(const std::string &, const TaskHandle &,
                                                std::string *problem) {
    *problem = "no stream";
    return std::nullopt;
  }
  /* A success answer of the status request; nullopt and `problem` when it
   * is unusable. */
  virtual std::optional<VideoObject> read_status(const HttpResponse &response,
                                                 const TaskHandle &task,
                                                 std::string *problem) = 0;
  /* For a completed task whose status names no clip: the request that
   * reads the result (fal's response_url). */
  virtual std::optional<HttpRequest> result_request(const TaskHandle &, const VideoObject &) const {
    return std::nullopt;
  }
  /* Its answer, whatever its status, for the task whose last status was
   * `status`: the clip's URLs, or the failure (a 422 names why); nullopt
   * and `problem` when it is unusable. */
  virtual std::optional<VideoObject> read_result(const HttpResponse &, const TaskHandle &,
                                                 const VideoObject & /*status*/,
                                                 std::string *problem) {
    *problem = "no result";
    return std::nullopt;
  }
  /* The clip's URLs, best first. */
  virtual std::vector<std::string> download_sources(const TaskHandle &task,
                                                    const VideoObject &video) const = 0;
  /* The request that cancels the task on the server; nullopt: none exists. */
  virtual std::optional<HttpRequest> cancel_request(const TaskHandle &task) const = 0;

  /* The OpenAI format's probing: an answer that says the server wants to
   * be asked another way (another path style, a JSON body). True: send the
   * same request again, built anew. */
  virtual bool ask_differently(const HttpResponse &, bool /*create*/) { return false; }
  /* An answer made sense: what was probed holds. */
  virtual void confirmed() {}
  /* What was probed in vain, for the error of a 404 ("/videos, /video"). */
  virtual const std::string &paths_tried() const;
  /* The server's task list, newest first, from the page `after` names (a
   * task id, or the server's own cursor: whatever read_list() put in
   * last_id); nullopt: the protocol has none. For the search of an
   * interrupted create and sora-tasks list. */
  virtual std::optional<HttpRequest> list_request(const std::string & /*after*/) const {
    return std::nullopt;
  }
  /* One page of it: its tasks (with their prompt, model and creation time
   * where the server says), has_more and where the next page is. */
  virtual std::optional<VideoPage> read_list(const HttpResponse &response,
                                             std::string *problem) const {
    return parse_video_page(response.text(), problem);
  }
  /* The poll cadence when poll-interval is 0: the server's hint or the
   * family's default. */
  virtual guint poll_interval_ms(const HttpResponse &response) const;
  /* What the provider calls its tasks, for errors: "video", "operation". */
  virtual const char *task_noun() const { return "video"; }

 protected:
  explicit Provider(ProviderSettings settings) : settings_(std::move(settings)) {}
  ProviderSettings settings_;
};

/* The implementation of the connection's protocol. */
std::unique_ptr<Provider> make_provider(ProviderSettings settings);

/* `url` when it is an http(s) URL on the origin of `base_url`, resolved
 * against it; empty otherwise. What a server says is where to poll is
 * followed only there: the key goes nowhere else. */
std::string same_origin_url(const std::string &base_url, const std::string &url);

/* `url` when it is an absolute http(s) URL; empty otherwise. */
std::string http_url_or_empty(const std::string &url);

}  // namespace sora
