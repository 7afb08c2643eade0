#include "json_text.h"
#include "server_dialect.h"

namespace {

constexpr glong kMaxPromptLength = 32000;

const std::vector<std::string> kSeconds = {"4", "8", "12", "16", "20"};
const std::vector<std::string> kSizes = {"720x1280", "1280x720", "1024x1792", "1792x1024"};
const std::vector<std::string> kProSizes = {"720x1280",  "1280x720",  "1024x1792",
                                            "1792x1024", "1920x1080", "1080x1920"};

bool is_one_of(const std::string &value, const std::vector<std::string> &allowed) {
  for (const std::string &candidate : allowed) {
    if (value == candidate) {
      return true;
    }
  }
  return false;
}

// sora-2 and sora-2-pro, and their dated snapshots such as sora-2-2025-10-06.
bool is_sora_model(const std::string &model) {
  return g_regex_match_simple("^sora-2(-pro)?(-[0-9]{4}-[0-9]{2}-[0-9]{2})?$", model.c_str(),
                              G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT);
}

bool is_pro_model(const std::string &model) {
  return g_str_has_prefix(model.c_str(), "sora-2-pro");
}

JsonObjectPtr error_object(const TaskError &error) {
  JsonObjectPtr object(json_object_new());
  json_object_set_string_member(object.get(), "code", error.code.c_str());
  json_object_set_string_member(object.get(), "message", error.message.c_str());
  return object;
}

class OpenAiDialect : public ServerDialect {
 public:
  std::optional<ApiError> check_create(CreateVideoRequest &request) const override {
    request.model = request.model.value_or("sora-2");
    request.seconds = request.seconds.value_or("4");
    request.size = request.size.value_or("720x1280");
    if (std::optional<ApiError> error = check_prompt(request.prompt)) {
      return error;
    }
    if (!is_sora_model(*request.model)) {
      return ApiError::invalid_value("model", *request.model, {"sora-2", "sora-2-pro"});
    }
    if (!is_one_of(*request.seconds, kSeconds)) {
      return ApiError::invalid_value("seconds", *request.seconds, kSeconds);
    }
    const std::vector<std::string> &sizes = is_pro_model(*request.model) ? kProSizes : kSizes;
    if (!is_one_of(*request.size, sizes)) {
      return ApiError::invalid_value("size", *request.size, sizes);
    }
    return std::nullopt;
  }

  std::optional<ApiError> check_prompt(const std::optional<std::string> &prompt) const override {
    if (!prompt) {
      return ApiError::missing_parameter("prompt");
    }
    glong length = g_utf8_strlen(prompt->c_str(), -1);
    if (length < 1 || length > kMaxPromptLength) {
      return ApiError::string_length("prompt", length, 1, kMaxPromptLength);
    }
    return std::nullopt;
  }

  std::optional<ApiError> check_extension_seconds(
      const std::string &, const std::optional<std::string> &seconds) const override {
    if (!seconds) {
      return ApiError::missing_parameter("seconds");
    }
    if (!is_one_of(*seconds, kSeconds)) {
      return ApiError::invalid_value("seconds", *seconds, kSeconds);
    }
    return std::nullopt;
  }

  JsonNodePtr video_json(const VideoView &video) const override {
    g_autoptr(JsonObject) object = json_object_new();
    json_object_set_string_member(object, "id", video.id.c_str());
    json_object_set_string_member(object, "object", "video");
    json_object_set_string_member(object, "model", video.model.c_str());
    json_object_set_string_member(object, "status", task_status_name(video.status));
    json_object_set_int_member(object, "progress", video.progress);
    json_object_set_int_member(object, "created_at", video.created_at);
    json_set_optional_int(object, "completed_at", video.completed_at);
    json_set_optional_int(object, "expires_at", video.expires_at);
    json_object_set_string_member(object, "prompt", video.prompt.c_str());
    json_object_set_string_member(object, "size", video.size.c_str());
    json_object_set_string_member(object, "seconds", video.seconds.c_str());
    json_set_optional_string(object, "remixed_from_video_id", video.remixed_from_video_id);
    if (video.error) {
      json_object_set_object_member(object, "error", error_object(*video.error).release());
    } else {
      json_object_set_null_member(object, "error");
    }
    return json_node_from_object(object);
  }

  JsonNodePtr video_list_json(const std::vector<VideoView> &videos, bool has_more) const override {
    g_autoptr(JsonArray) data = json_array_new();
    for (const VideoView &video : videos) {
      json_array_add_element(data, video_json(video).release());
    }
    g_autoptr(JsonObject) object = json_object_new();
    json_object_set_string_member(object, "object", "list");
    json_object_set_array_member(object, "data", json_array_ref(data));
    json_set_optional_string(object, "first_id",
                             videos.empty() ? std::nullopt : std::optional(videos.front().id));
    json_set_optional_string(object, "last_id",
                             videos.empty() ? std::nullopt : std::optional(videos.back().id));
    json_object_set_boolean_member(object, "has_more", has_more);
    return json_node_from_object(object);
  }

  JsonNodePtr deleted_json(const std::string &video_id) const override {
    g_autoptr(JsonObject) object = json_object_new();
    json_object_set_string_member(object, "id", video_id.c_str());
    json_object_set_string_member(object, "object", "video.deleted");
    json_object_set_boolean_member(object, "deleted", TRUE);
    return json_node_from_object(object);
  }

  JsonNodePtr error_json(const ApiError &error) const override {
    g_autoptr(JsonObject) details = json_object_new();
    json_object_set_string_member(details, "message", error.message.c_str());
    json_object_set_string_member(details, "type", error.type.c_str());
    json_set_optional_string(details, "param", error.param);
    json_set_optional_string(details, "code", error.code);
    g_autoptr(JsonObject) object = json_object_new();
    json_object_set_object_member(object, "error", json_object_ref(details));
    return json_node_from_object(object);
  }
};

}  // namespace

std::unique_ptr<ServerDialect> make_openai_dialect() {
  return std::make_unique<OpenAiDialect>();
}
