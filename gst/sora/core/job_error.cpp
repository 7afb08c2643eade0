/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/job_error.h"

#include "core/soup_runtime.h"

#include <cstring>

namespace sora {

namespace {

/* A short, printable account of a body that is not a JSON error. */
std::string summarize_body(const HttpResponse &response) {
  std::string_view text = response.text();
  if (text.empty())
    return "an empty body";
  const char *type = response.header("Content-Type");
  std::string summary;
  for (char c : text.substr(0, 160)) {
    bool space = g_ascii_isspace(c) || !g_ascii_isprint(c);
    if (!(space && (summary.empty() || summary.back() == ' ')))
      summary += space ? ' ' : c;
  }
  return std::string("a ") + (type ? type : "untyped") + " body: \"" + summary +
         (text.size() > 160 ? "...\"" : "\"");
}

JobError::Kind kind_for_status(unsigned status, const ApiError &api) {
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return JobError::Kind::kNotAuthorized;
  /* Some gateways answer an unknown id with 400 task_not_exist. */
  if (status == SOUP_STATUS_NOT_FOUND || api.code == "task_not_exist")
    return JobError::Kind::kNotFound;
  if (status == SOUP_STATUS_GONE)
    return JobError::Kind::kExpired;
  if (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNPROCESSABLE_ENTITY ||
      status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE ||
      status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
    return JobError::Kind::kRejected;
  return JobError::Kind::kServer;
}

}  // namespace

JobError error_from_answer(const HttpResponse &response, const std::string &doing,
                           const std::string &video_id, const HttpClient &client) {
  JobError error;
  error.http_status = response.status;
  error.video_id = video_id;
  const char *request_id = response.header("x-request-id");
  error.request_id = request_id ? request_id : "";
  /* The answer's headers and body came redacted from the client. */
  error.api = parse_api_error(response.text());
  error.kind = kind_for_status(response.status, error.api);

  const char *reason =
      response.message ? soup_message_get_reason_phrase(response.message.get()) : nullptr;
  std::string text =
      doing + " failed: the server answered HTTP " + std::to_string(response.status) +
      (reason && *reason ? " " : "") + (reason ? reason : "") + " with " +
      (error.api.empty() ? summarize_body(response) : "\"" + error.api.describe() + "\"");
  if (!error.request_id.empty())
    text += " (request id " + error.request_id + ")";
  text += ".";
  if (error.kind == JobError::Kind::kNotAuthorized) {
    text +=
        " Check the api-key property or the key's environment variable (OPENAI_API_KEY, "
        "OPENROUTER_API_KEY, AZURE_OPENAI_API_KEY).";
    /* Azure's answers to a key sent as a Bearer token, which it takes for
     * an Entra ID token ("Access token is missing, invalid, audience is
     * incorrect (https://cognitiveservices.azure.com)..."), or to no key. */
    g_autofree char *lower = g_ascii_strdown(error.api.message.c_str(), -1);
    if (client.auth() == AuthHeader::kBearer &&
        (strstr(lower, "subscription key") || strstr(lower, "azure.com")))
      text +=
          " This looks like Azure OpenAI, which takes the key in an api-key header: set "
          "gateway=azure.";
  } else if (error.kind == JobError::Kind::kNotFound && !video_id.empty())
    text += " The server does not know the task " + video_id + ".";
  error.message = std::move(text);
  return error;
}

JobError JobErrorText::download(const DownloadOutcome &outcome) const {
  const HttpResponse &response = outcome.response;
  const std::string resume =
      " The clip is paid for: try again with video-id=" + video_.id + " before it expires.";
  if (outcome.local)
    return make(JobError::Kind::kWrite, "The clip of " + video_.id + " could not be saved: " +
                                            outcome.problem + "." + resume);
  if (outcome.too_large)
    return make(JobError::Kind::kTooLarge, "The clip of " + video_.id + " was not downloaded: " +
                                               outcome.problem + "." + resume);
  if (!outcome.problem.empty())
    return make(response.error ? JobError::Kind::kNetwork : JobError::Kind::kNotVideo,
                "The download of " + video_.id + " failed: " + client_.redact(outcome.problem) +
                    (response.error ? " (" + client_.redact(response.error->message) + ")" : "") +
                    "." + resume,
                response.status);
  if (response.status == 0)
    return make(JobError::Kind::kNetwork, "The download of " + video_.id + " failed: " +
                                              failure_reason(response) + "." + resume);
  JobError error = http(response, "Downloading " + video_.id);
  if (error.kind == JobError::Kind::kNotFound || error.kind == JobError::Kind::kExpired) {
    error.kind = JobError::Kind::kExpired;
    error.message += " The content of " + video_.id + " has expired or was deleted.";
  } else if (error.kind != JobError::Kind::kNotAuthorized) {
    error.message += resume;
  }
  return error;
}

std::string JobErrorText::failure_reason(const HttpResponse &response) const {
  if (response.status == 0)
    return response.error ? client_.redact(response.error->message) : "no answer";
  const char *phrase =
      response.message ? soup_message_get_reason_phrase(response.message.get()) : nullptr;
  std::string reason = "HTTP " + std::to_string(response.status);
  if (phrase && *phrase)
    reason += std::string(" ") + phrase;
  if (response.error)
    reason += " (" + client_.redact(response.error->message) + ")";
  return reason;
}

JobError JobErrorText::request(const HttpResponse &response, const std::string &doing,
                               unsigned attempts) const {
  std::string tries = attempts > 1 ? " (" + std::to_string(attempts) + " attempts)" : "";
  if (response.status != 0) {
    JobError error = http(response, doing + tries);
    return error;
  }
  std::string resume =
      video_.id.empty()
          ? ""
          : " The task goes on on the server: resume it with video-id=" + video_.id + ".";
  return make(JobError::Kind::kNetwork, doing + tries + " failed: could not reach " +
                                            client_.shown_url(base_url_) + ": " +
                                            failure_reason(response) + "." + resume);
}

JobError JobErrorText::ambiguous_create(const std::string &what_happened, bool journalled) const {
  return make(JobError::Kind::kAmbiguous,
              "The create request reached " + client_.shown_url(base_url_) + " but " +
                  what_happened +
                  ". The server may have created, and billed, a task, so the request is "
                  "not sent again: " +
                  (journalled ? "run it again and the run looks for that task in the server's "
                                "task list and attaches to it; where the list cannot tell, list "
                                "the server's tasks and attach to it with video-id=<id>, or run "
                                "again with cache-mode=refresh if there is none."
                              : "list the server's tasks and attach to it with video-id=<id>, or "
                                "run again if there is none."));
}

JobError JobErrorText::interrupted_create(const std::string &base_url, gint64 sent_us,
                                          const std::string &why) const {
  g_autoptr(GDateTime) sent = g_date_time_new_from_unix_local(sent_us / G_USEC_PER_SEC);
  g_autofree char *when = sent ? g_date_time_format(sent, "%Y-%m-%d %H:%M:%S") : g_strdup("?");
  return make(JobError::Kind::kAmbiguous,
              "An earlier run of this request ended (killed, or its answer was lost) while its "
              "create request to " +
                  client_.shown_url(base_url) + " was in flight (sent " + when + "), and " + why +
                  ". The server may have created, and billed, a task, so the request is "
                  "not sent again: list the server's tasks and attach to it with "
                  "video-id=<id>, or run again with cache-mode=refresh if there is none.");
}

JobError JobErrorText::billing(const HttpResponse &response, const std::string &doing) const {
  JobError error = http(response, doing);
  error.kind = JobError::Kind::kBilling;
  error.message +=
      " The account has no quota or credit left: check its plan and billing; "
      "retrying cannot help.";
  return error;
}

JobError JobErrorText::make(JobError::Kind kind, std::string message, unsigned http_status) const {
  JobError error;
  error.kind = kind;
  error.message = std::move(message);
  error.http_status = http_status;
  error.video_id = video_.id;
  return error;
}

JobError JobErrorText::http(const HttpResponse &response, const std::string &doing) const {
  JobError error = error_from_answer(response, doing, video_.id, client_);
  if (!paths_tried_.empty())
    error.message += " The server also answered 404 under " + paths_tried_ +
                     " (path-style=auto tried them in turn).";
  return error;
}

/* OpenRouter's cancelled and expired: the task is over and billed or not,
 * its result will not come. Its journal stays, so that a rerun does not
 * silently pay again: cache-mode=refresh makes it anew. */
JobError JobErrorText::ended(const HttpResponse &response) const {
  ApiError api = video_.error;
  std::string why = api.empty() ? "" : " (" + api.describe() + ")";
  const bool cancelled = video_.state == TaskState::kCancelled;
  std::string message =
      cancelled ? video_.id + " was cancelled on the server" + why +
                      ": its clip will not come. Run with cache-mode=refresh to generate it anew "
                      "(a new task, billed again)."
                : video_.id + " expired on the server before its clip was fetched" + why +
                      ": the result is gone. Run with cache-mode=refresh to generate it anew "
                      "(a new task, billed again).";
  JobError error = make(cancelled ? JobError::Kind::kTaskCancelled : JobError::Kind::kTaskExpired,
                        std::move(message), response.status);
  error.api = std::move(api);
  return error;
}

JobError JobErrorText::timeout(unsigned generation_timeout_s) const {
  std::string limit = std::to_string(generation_timeout_s) + " s";
  if (video_.id.empty())
    return make(JobError::Kind::kTimeout,
                "No task was created within the generation-timeout of " + limit + ".");
  std::string last = video_.status.empty() ? "unknown" : video_.status;
  if (video_.progress)
    last += ", " + std::to_string(*video_.progress) + "%";
  return make(JobError::Kind::kTimeout,
              video_.id + " did not finish within the generation-timeout of " + limit +
                  " (last status: " + last +
                  "). The task is paid for and may still finish: resume it with "
                  "video-id=" +
                  video_.id + " (generation-timeout=0 waits without limit).");
}

}  // namespace sora
