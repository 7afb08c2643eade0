/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// The Gemini API's Veo routes (ai.google.dev/gemini-api/docs/video, REST): predictLongRunning
// with {instances: [{prompt, image?}], parameters: {aspectRatio, durationSeconds, resolution,
// negativePrompt?, ...}} checked against the model's allowed values, the operation polled
// (no `done` while it runs), then the sample's file URL, which answers with a redirect to the
// CDN listener. Failures are the operation's google.rpc.Status; a result the safety filters
// blocked has raiMediaFilteredCount and raiMediaFilteredReasons and no samples.
#pragma once

#include "native_endpoint.h"

class GeminiEndpoint : public NativeEndpoint {
 public:
  using NativeEndpoint::NativeEndpoint;

  void handle(ApiRequest &request) override;

 private:
  void create(ApiRequest &request, const std::string &model);
  void retrieve(ApiRequest &request, const std::string &model, const std::string &id);
  void download(ApiRequest &request, const std::string &id);

  std::string operation_name(const Task &task) const;
  std::string file_uri(const Task &task) const;
};
