/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* JobError: what went wrong, in words a user can act on, with what a
 * program needs to tell the cases apart (the kind, the HTTP status, the
 * server's own error, the video id, the request id). Shared by the job and
 * the task tool, so both describe a server's answer the same way. */
#pragma once

#include "core/clip_download.h"
#include "core/http_client.h"
#include "core/video_object.h"

#include <string>

namespace sora {

struct JobError {
  enum class Kind {
    kNotAuthorized,    /* 401, 403 */
    kRejected,         /* the server refused the request's parameters */
    kNotFound,         /* the task id is unknown to the server */
    kGenerationFailed, /* the task ended failed */
    kTimeout,          /* generation-timeout passed */
    kNetwork,          /* no HTTP answer */
    kAmbiguous,        /* a create request whose answer was lost: a task may exist */
    kBilling,          /* the account has no quota or credit left */
    kServer,           /* an HTTP error, or an answer that makes no sense */
    kNotVideo,         /* the download was not a whole MP4 */
    kExpired,          /* the content is gone */
    kTaskCancelled,    /* the task ended cancelled on the server */
    kTaskExpired,      /* the task ended expired on the server, its result gone */
    kWrite,            /* the clip could not be written locally */
    kTooLarge,         /* the clip is larger than max-clip-size, or than the room on the disk */
    kOverBudget,       /* the budget refused the create: nothing was sent */
  };
  Kind kind = Kind::kServer;
  std::string message; /* a whole sentence for the user, video id included */
  unsigned http_status = 0;
  ApiError api; /* the server's own error */
  std::string video_id;
  std::string request_id; /* x-request-id, for the provider's support */
};

/* The error an HTTP error answer stands for: "<doing> failed: the server
 * answered HTTP 404 Not Found with "..." (request id ...)." plus what to do
 * about 401/403 and unknown ids. The answer comes redacted from `client`. */
JobError error_from_answer(const HttpResponse &response, const std::string &doing,
                           const std::string &video_id, const HttpClient &client);

/* The wording of one job's errors, in one place: each names the task as the
 * server last described it, says how to resume a paid task, and redacts
 * transport errors and URLs through the job's client (answers come from it
 * redacted). Short-lived: it refers to the
 * job's state, it does not copy it. */
class JobErrorText {
 public:
  JobErrorText(const VideoObject &video, const std::string &base_url, const HttpClient &client,
               const std::string &paths_tried)
      : video_(video), base_url_(base_url), client_(client), paths_tried_(paths_tried) {}

  /* An error about the task, with `message` as it is. */
  JobError make(JobError::Kind kind, std::string message, unsigned http_status = 0) const;
  /* An HTTP error answer to `doing` ("Polling video_1"), with the paths
   * that auto path style tried. */
  JobError http(const HttpResponse &response, const std::string &doing) const;
  /* A request that failed for good after `attempts`. */
  JobError request(const HttpResponse &response, const std::string &doing, unsigned attempts) const;
  /* A create whose answer was lost: a task may exist. `journalled`: the
   * cache holds the create as in flight, so a rerun needs cache-mode=refresh. */
  JobError ambiguous_create(const std::string &what_happened, bool journalled) const;
  /* An earlier run died with its create to `base_url` in flight, sent at
   * `sent_us` (g_get_real_time()), and the server's task list could not
   * tell which task it made (`why`): a task may exist. */
  JobError interrupted_create(const std::string &base_url, gint64 sent_us,
                              const std::string &why) const;
  /* A 429 about quota or billing. */
  JobError billing(const HttpResponse &response, const std::string &doing) const;
  /* A download that failed for good. */
  JobError download(const DownloadOutcome &outcome) const;
  /* A task that ended cancelled or expired on the server. */
  JobError ended(const HttpResponse &response) const;
  /* The generation-timeout passed. */
  JobError timeout(unsigned generation_timeout_s) const;
  /* "HTTP 503 Service Unavailable", "Connection refused", ... */
  std::string failure_reason(const HttpResponse &response) const;

 private:
  const VideoObject &video_;
  const std::string &base_url_;
  const HttpClient &client_;
  const std::string &paths_tried_;
};

}  // namespace sora
