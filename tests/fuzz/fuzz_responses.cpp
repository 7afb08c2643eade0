/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libFuzzer target: everything the client reads from a server's answer. The
 * video object and list parsers (every dialect's shape), the error body parser, the
 * status word and progress readers, the retry classification with its
 * Retry-After parsing, the storyboard prompt parser, and the native
 * providers' readers: Gemini operations, fal statuses, results and status
 * stream events, Replicate predictions, fal's and Replicate's model schemas
 * and the mapping of a request on them. Built by
 * tests/fuzz/run.sh with clang; replayed over the seed corpus by the test
 * suite (fuzz-corpus). */
#include "core/event_stream.h"
#include "core/fal_queue.h"
#include "core/gemini_operations.h"
#include "core/input_schema.h"
#include "core/replicate_predictions.h"
#include "core/retry_policy.h"
#include "core/storyboard.h"
#include "core/task_status.h"
#include "core/video_object.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

/* Statuses the classification distinguishes. */
constexpr unsigned kStatuses[] = {0, 200, 201, 400, 401, 404, 408, 409, 429, 500, 503};

sora::HttpResponse response_for(const std::string &text, unsigned status) {
  sora::HttpResponse response;
  response.status = status;
  response.body = sora::bytes_from_string(text);
  response.message.reset(soup_message_new("GET", "http://127.0.0.1/v1/videos/x"));
  SoupMessageHeaders *headers = soup_message_get_response_headers(response.message.get());
  /* The same text as every header the client reads. */
  std::string line = text.substr(0, text.find_first_of("\r\n"));
  for (const char *name : {"Retry-After", "retry-after-ms", "x-should-retry"})
    soup_message_headers_replace(headers, name, line.c_str());
  if (status == 0)
    response.error.reset(g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "x"));
  return response;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  unsigned status = kStatuses[data[0] % (sizeof kStatuses / sizeof kStatuses[0])];
  std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);

  std::string problem;
  if (std::optional<sora::VideoObject> video = sora::parse_video_object(text, &problem, "known")) {
    sora::task_state_name(video->state);
    video->error.describe();
  }
  if (std::optional<sora::VideoPage> page = sora::parse_video_page(text, &problem))
    problem = page->last_id;
  sora::parse_api_error(text).describe();
  sora::classify_status(text);
  sora::parse_progress_text(text);

  /* Header values must be valid UTF-8 without line breaks for libsoup. */
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr) &&
      text.find('\0') == std::string::npos) {
    sora::HttpResponse response = response_for(text, status);
    for (sora::RequestKind kind :
         {sora::RequestKind::kCreate, sora::RequestKind::kPoll, sora::RequestKind::kDownload})
      sora::classify_failure(response, kind);
    sora::server_retry_delay_ms(response);
  }

  if (sora::looks_like_storyboard(text) && sora::parse_storyboard(text, &problem))
    problem.clear();

  if (std::optional<sora::VideoObject> operation = sora::parse_veo_operation(text, "", &problem))
    operation->error.describe();
  sora::operation_name_problem(text);
  sora::fal_app_problem(text);
  if (std::optional<sora::VideoObject> fal = sora::parse_fal_status(text, "r", &problem)) {
    sora::HttpResponse result;
    result.status = status;
    result.body = sora::bytes_from_string(text);
    sora::parse_fal_result(result, *fal, &problem);
  }
  sora::parse_replicate_prediction(text, "", &problem);
  sora::EventParser events;
  events.feed(text, [](const std::string &event) { (void)event.size(); });
  sora::VideoRequest request;
  request.prompt = "p";
  request.seconds = 5;
  request.size = "1280x720";
  for (auto schema : {sora::parse_fal_openapi(text, &problem),
                      sora::parse_replicate_model(text, &problem)}) {
    if (!schema)
      continue;
    schema->describe();
    sora::SettingsProblem refused;
    sora::map_input(request, nullptr, &*schema, {true, "image_url"}, &refused);
  }
  return 0;
}
