/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GeminiOperations: the Provider of Google's Gemini API for Veo.
 *
 *   POST {base}/models/{model}:predictLongRunning   x-goog-api-key: KEY
 *     {"instances": [{"prompt", "image"?: {bytesBase64Encoded, mimeType}}],
 *      "parameters": {aspectRatio, resolution, durationSeconds (an integer),
 *                     ...the metadata's members (negativePrompt, seed...)}}
 *     -> {"name": "models/{model}/operations/{id}"}
 *   GET {base}/{name} until "done": true (a running operation may leave
 *     "done" out), then response.generateVideoResponse.generatedSamples[i]
 *     .video.uri (the SDKs' generatedVideos is read too), downloaded with the
 *     key on Google's host, a redirect elsewhere followed without it
 *     (HttpClient); "error" {code, message, status} when it failed;
 *     raiMediaFilteredCount/raiMediaFilteredReasons and no samples when the
 *     safety filters blocked the result.
 *
 * The task's id is the operation's name. The parameters are fixed, so they
 * are checked here before anything is paid for: seconds as Veo's durations,
 * size as an aspect ratio and a resolution. */
#pragma once

#include "core/provider.h"

namespace sora {

/* Veo's durations for `model` (Veo 2: 5 to 8 s; Veo 3 and later: 4, 6, 8). */
std::vector<unsigned> veo_durations(const std::string &model);

/* The create body; nullopt and `problem` (naming the property and what is
 * allowed) when seconds, size or metadata cannot be asked for. */
std::optional<RequestBody> build_veo_body(const VideoRequest &request,
                                          const ReferenceImage *image, SettingsProblem *problem);

/* A status answer (an operation): nullopt and `problem` when it is none. */
std::optional<VideoObject> parse_veo_operation(std::string_view body, const std::string &name,
                                               std::string *problem);

/* Why `name` cannot be an operation's name ("models/M/operations/ID":
 * segments of letters, digits, '.', '_' and '-', no dot segments), or
 * nullopt. */
std::optional<std::string> operation_name_problem(const std::string &name);

class GeminiOperations : public Provider {
 public:
  explicit GeminiOperations(ProviderSettings settings) : Provider(std::move(settings)) {}

  std::optional<SettingsProblem> check() const override;
  HttpRequest create_request() override;
  std::optional<TaskHandle> read_created(const HttpResponse &response, VideoObject *video,
                                         std::string *problem) override;
  std::optional<TaskHandle> handle_for_id(const std::string &id,
                                          std::string *problem) const override;
  HttpRequest status_request(const TaskHandle &task) const override;
  std::optional<VideoObject> read_status(const HttpResponse &response, const TaskHandle &task,
                                         std::string *problem) override;
  std::vector<std::string> download_sources(const TaskHandle &task,
                                            const VideoObject &video) const override;
  std::optional<HttpRequest> cancel_request(const TaskHandle &task) const override;
  const char *task_noun() const override { return "operation"; }
};

}  // namespace sora
