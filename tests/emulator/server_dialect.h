// How one kind of server speaks the "OpenAI video format": which parameter values it accepts and
// what it fills in for omitted ones, and how its answers are shaped. The handlers only talk to
// this interface, so a gateway dialect can change validation and response shapes without them
// being rewritten.
#pragma once

#include "api_error.h"
#include "glib_ptr.h"
#include "task.h"
#include "video_request.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

class ServerDialect {
 public:
  virtual ~ServerDialect() = default;

  // Fills in the omitted create parameters, then checks them all.
  virtual std::optional<ApiError> check_create(CreateVideoRequest &request) const = 0;
  virtual std::optional<ApiError> check_prompt(const std::optional<std::string> &prompt) const = 0;
  // Checks the length of a new segment appended to a video made by @model.
  virtual std::optional<ApiError> check_extension_seconds(
      const std::string &model, const std::optional<std::string> &seconds) const = 0;

  virtual JsonNodePtr video_json(const VideoView &video) const = 0;
  virtual JsonNodePtr video_list_json(const std::vector<VideoView> &videos,
                                      bool has_more) const = 0;
  virtual JsonNodePtr deleted_json(const std::string &video_id) const = 0;
  virtual JsonNodePtr error_json(const ApiError &error) const = 0;
};

// OpenAI's own API, as described by its published OpenAPI document.
std::unique_ptr<ServerDialect> make_openai_dialect();
