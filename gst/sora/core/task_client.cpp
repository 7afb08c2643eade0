/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/task_client.h"

#include "core/debug.h"
#include "core/retry_policy.h"
#include "core/task_id.h"

#include <future>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

TaskClient::TaskClient(Connection connection) : connection_(std::move(connection)) {
  init_debug_categories();
  std::string &base = connection_.base_url;
  base = normalize_base_url(std::move(base));
  style_known_ = connection_.path_style != PathStyle::kAuto;
  style_ = style_known_ ? connection_.path_style : PathStyle::kVideos;
  if (std::optional<PathStyle> known = remembered_path_style(base); known && !style_known_) {
    style_ = *known;
    style_known_ = true;
    style_remembered_ = true;
  }
  HttpConfig config = http_config(connection_);
  loop_ = IoLoop::shared();
  loop_->run_sync([&] { client_ = std::make_shared<HttpClient>(std::move(config)); });
}

TaskClient::~TaskClient() {
  loop_->run_sync([this] { client_.reset(); });
}

HttpResponse TaskClient::send_once(HttpRequest request) {
  std::promise<HttpResponse> answer;
  std::future<HttpResponse> answered = answer.get_future();
  loop_->post([this, &request, &answer] {
    client_->fetch(std::move(request), nullptr,
                   [&answer](HttpResponse response) { answer.set_value(std::move(response)); });
  });
  return answered.get();
}

/* With the same rules as a poll: passing failures are retried with backoff;
 * in auto path style a bare 404 moves to the next style. */
HttpResponse TaskClient::send(const std::string &method, const std::string &path,
                              const std::string &doing, bool below_base) {
  RetryBudget retries(connection_.retries);
  for (;;) {
    HttpRequest request;
    request.method = method;
    request.url =
        connection_.base_url + "/" + (below_base ? path : path_style_segment(style_) + path);
    HttpResponse response = send_once(std::move(request));
    /* The job's rule: a 404 that does not name a missing task means no
     * such path here. */
    bool no_such_path = response.status == SOUP_STATUS_NOT_FOUND && !names_missing_entity(response);
    /* The job's rule too: a remembered style that answers 404 no longer
     * holds; probe afresh. */
    if (!below_base && style_remembered_ && no_such_path) {
      forget_path_style(connection_.base_url);
      style_remembered_ = false;
      style_known_ = false;
      style_ = style_ == PathStyle::kVideos ? PathStyle::kVideo : PathStyle::kVideos;
      continue;
    }
    if (!below_base && !style_known_ && no_such_path) {
      if (std::optional<PathStyle> next = next_path_style(style_)) {
        style_ = *next;
        continue;
      }
    }
    if (response.is_success() && !response.error) {
      style_remembered_ = false;
      if (!below_base && !style_known_) {
        remember_path_style(connection_.base_url, style_);
        style_known_ = true;
      }
      return response;
    }
    if (classify_failure(response, RequestKind::kPoll) == FailureClass::kTransient &&
        retries.take()) {
      guint delay = retry_delay_ms(response, retries.used());
      GST_INFO("%s: attempt %u failed, again in %u ms", doing.c_str(), retries.used(), delay);
      g_usleep(static_cast<gulong>(delay) * 1000);
      continue;
    }
    return response;
  }
}

JobError TaskClient::error_for(const HttpResponse &response, const std::string &doing,
                               const std::string &video_id) const {
  if (response.status != 0 && !response.error)
    return error_from_answer(response, doing, video_id, *client_);
  JobError error;
  error.kind = response.status ? JobError::Kind::kServer : JobError::Kind::kNetwork;
  error.http_status = response.status;
  error.video_id = video_id;
  error.message = doing + " failed: " +
                  (response.error ? client_->redact(response.error->message) : "no answer") + " (" +
                  client_->redact(connection_.base_url) + ").";
  return error;
}

/* An id that cannot be one path segment, refused before any request. */
std::optional<JobError> TaskClient::refuse_id(const std::string &video_id,
                                              const std::string &doing) const {
  std::optional<std::string> problem = task_id_problem(video_id);
  if (!problem)
    return std::nullopt;
  JobError error;
  error.kind = JobError::Kind::kRejected;
  error.video_id = video_id;
  error.message = doing + " refused: \"" + video_id + "\" cannot name a task: " + *problem +
                  ". No request was sent.";
  return error;
}

std::variant<VideoPage, JobError> TaskClient::list(const ListQuery &query) {
  if (native()) {
    const std::string doing = "Listing the tasks";
    std::unique_ptr<Provider> p = provider();
    std::optional<HttpRequest> request = p->list_request(query.after);
    JobError error;
    if (!request) {
      error.kind = JobError::Kind::kRejected;
      error.message = doing + " refused: " + connection_.profile().title + " has no task list.";
      return error;
    }
    HttpResponse response = send_with_retries(*request, doing);
    if (!response.is_success() || response.error)
      return error_for(response, doing, "");
    std::string problem;
    if (std::optional<VideoPage> page = p->read_list(response, &problem))
      return std::move(*page);
    error.message = doing + " failed: the answer is unusable: " + problem + ".";
    return error;
  }
  std::string path = "?limit=" + std::to_string(query.limit) + "&order=" + query.order;
  if (!query.after.empty()) {
    g_autofree char *after = g_uri_escape_string(query.after.c_str(), nullptr, FALSE);
    path += std::string("&after=") + after;
  }
  const std::string doing = "Listing the tasks";
  HttpResponse response = send("GET", path, doing);
  if (!response.is_success() || response.error)
    return error_for(response, doing, "");
  std::string problem;
  if (std::optional<VideoPage> page = parse_video_page(response.text(), &problem))
    return std::move(*page);
  JobError error;
  error.message = doing + " failed: the answer is unusable: " + problem + ".";
  return error;
}

std::unique_ptr<Provider> TaskClient::provider() const {
  ProviderSettings settings;
  settings.connection = connection_;
  settings.connection.api_key.clear(); /* a provider never needs the key */
  settings.request.model = model_;
  return make_provider(std::move(settings));
}

HttpResponse TaskClient::send_with_retries(const HttpRequest &request, const std::string &doing) {
  RetryBudget retries(connection_.retries);
  for (;;) {
    HttpRequest attempt;
    attempt.method = request.method;
    attempt.url = request.url;
    attempt.headers = request.headers;
    attempt.body.content_type = request.body.content_type;
    if (request.body.bytes)
      attempt.body.bytes.reset(g_bytes_ref(request.body.bytes.get()));
    HttpResponse response = send_once(std::move(attempt));
    if ((response.is_success() && !response.error) ||
        classify_failure(response, RequestKind::kPoll) != FailureClass::kTransient ||
        !retries.take())
      return response;
    guint delay = retry_delay_ms(response, retries.used());
    GST_INFO("%s: attempt %u failed, again in %u ms", doing.c_str(), retries.used(), delay);
    g_usleep(static_cast<gulong>(delay) * 1000);
  }
}

std::variant<VideoObject, JobError> TaskClient::native_retrieve(const std::string &video_id) {
  const std::string doing = "Retrieving " + video_id;
  std::unique_ptr<Provider> p = provider();
  std::string problem;
  std::optional<TaskHandle> task = p->handle_for_id(video_id, &problem);
  if (!task) {
    JobError error;
    error.kind = JobError::Kind::kRejected;
    error.video_id = video_id;
    error.message = doing + " refused: \"" + video_id + "\" cannot name a task: " + problem +
                    ". No request was sent.";
    return error;
  }
  HttpResponse response = send_with_retries(p->status_request(*task), doing);
  if (!response.is_success() || response.error)
    return error_for(response, doing, video_id);
  std::optional<VideoObject> video = p->read_status(response, *task, &problem);
  /* fal: a COMPLETED request's clip, or its failure, is in its result. */
  if (video && video->state == TaskState::kCompleted) {
    if (std::optional<HttpRequest> result = p->result_request(*task, *video)) {
      HttpResponse answer = send_with_retries(*result, doing);
      if (std::optional<VideoObject> read = p->read_result(answer, *task, *video, &problem))
        video = std::move(read);
    }
  }
  if (video)
    return std::move(*video);
  JobError error;
  error.video_id = video_id;
  error.message = doing + " failed: the answer is unusable: " + problem + ".";
  return error;
}

std::variant<std::monostate, JobError> TaskClient::cancel(const std::string &video_id) {
  const std::string doing = "Cancelling " + video_id;
  std::unique_ptr<Provider> p = provider();
  std::string problem;
  std::optional<TaskHandle> task = p->handle_for_id(video_id, &problem);
  std::optional<HttpRequest> request = task ? p->cancel_request(*task) : std::nullopt;
  if (!request) {
    JobError error;
    error.kind = JobError::Kind::kRejected;
    error.video_id = video_id;
    error.message = doing + " refused: " +
                    (task ? std::string(connection_.profile().title) + " has no cancel"
                          : "\"" + video_id + "\" cannot name a task: " + problem) +
                    ". No request was sent.";
    return error;
  }
  HttpResponse response = send_once(std::move(*request));
  if (!response.is_success() || response.error)
    return error_for(response, doing, video_id);
  return std::monostate{};
}

std::variant<InputSchema, JobError> TaskClient::schema() {
  const std::string doing = "Reading the input schema of " + model_;
  std::unique_ptr<Provider> p = provider();
  std::optional<HttpRequest> request = p->schema_request();
  JobError error;
  if (!request) {
    error.kind = JobError::Kind::kRejected;
    error.message = doing + " refused: " + connection_.profile().title +
                    " publishes no schema for \"" + model_ + "\".";
    return error;
  }
  HttpResponse response = send_with_retries(*request, doing);
  if (!response.is_success() || response.error)
    return error_for(response, doing, "");
  std::string problem;
  if (std::optional<InputSchema> schema = p->read_schema(response, &problem))
    return std::move(*schema);
  error.message = doing + " failed: the answer is unusable: " + problem + ".";
  return error;
}

std::variant<VideoObject, JobError> TaskClient::retrieve(const std::string &video_id) {
  if (native())
    return native_retrieve(video_id);
  const std::string doing = "Retrieving " + video_id;
  if (std::optional<JobError> refused = refuse_id(video_id, doing))
    return *refused;
  HttpResponse response = send("GET", "/" + task_path_segment(video_id), doing);
  if (!response.is_success() || response.error)
    return error_for(response, doing, video_id);
  std::string problem;
  if (std::optional<VideoObject> video = parse_video_object(response.text(), &problem, video_id))
    return std::move(*video);
  JobError error;
  error.video_id = video_id;
  error.message = doing + " failed: the answer is unusable: " + problem + ".";
  return error;
}

std::variant<std::monostate, JobError> TaskClient::remove(const std::string &video_id) {
  const std::string doing = "Deleting " + video_id;
  if (std::optional<JobError> refused = refuse_id(video_id, doing))
    return *refused;
  HttpResponse response = send("DELETE", "/" + task_path_segment(video_id), doing);
  if (!response.is_success() || response.error)
    return error_for(response, doing, video_id);
  return std::monostate{};
}

std::variant<std::vector<ModelInfo>, JobError> TaskClient::models() {
  const std::string doing = "Listing the models";
  HttpResponse response = send("GET", connection_.profile().models_path, doing, true);
  if (!response.is_success() || response.error)
    return error_for(response, doing, "");
  std::string problem;
  if (std::optional<std::vector<ModelInfo>> models = parse_model_list(response.text(), &problem))
    return std::move(*models);
  JobError error;
  error.message = doing + " failed: the answer is unusable: " + problem + ".";
  return error;
}

}  // namespace sora
