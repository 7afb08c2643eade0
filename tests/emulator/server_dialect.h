/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// How the emulated server speaks the "OpenAI video format": which parameter values it accepts and
// what it fills in for omitted ones, and how its answers are shaped. OpenAI's own API by default;
// the DialectSettings knobs (read live, so the control API can change them between requests)
// turn it into one of the gateways' variants. The handlers only talk to this class.
#pragma once

#include "api_error.h"
#include "dialect_settings.h"
#include "glib_ptr.h"
#include "task.h"
#include "video_request.h"

#include <optional>
#include <string>
#include <vector>

class ServerDialect {
 public:
  explicit ServerDialect(const DialectSettings &settings) : settings_(settings) {}

  const DialectSettings &settings() const { return settings_; }

  // Gateways read create parameters more loosely (the `models: any` knob).
  ParameterTypes parameter_types() const;
  // Fills in the omitted create parameters, then checks them all.
  std::optional<ApiError> check_create(CreateVideoRequest &request) const;
  std::optional<ApiError> check_prompt(const std::optional<std::string> &prompt) const;
  // Checks the length of a new segment appended to a video made by @model.
  std::optional<ApiError> check_extension_seconds(const std::string &model,
                                                  const std::optional<std::string> &seconds) const;

  // The answer to a request that started a task (create, remix, extension): a video object, an
  // envelope, a task_id or OpenRouter's job.
  JsonNodePtr created_json(const VideoView &video) const;
  // A video object, an envelope, OpenRouter's job, or new-api's task object.
  JsonNodePtr retrieved_json(const VideoView &video) const;
  JsonNodePtr video_list_json(const std::vector<VideoView> &videos, bool has_more) const;
  JsonNodePtr deleted_json(const std::string &video_id) const;
  // The error in the dialect's shape (or the error's own, for gateway-level answers).
  JsonNodePtr error_json(const ApiError &error) const;

  // The errors for an unknown video and for content asked for before completion.
  ApiError unknown_video(const std::string &video_id) const;
  ApiError not_completed(const VideoView &video) const;

 private:
  const DialectSettings &settings_;
};
