#include "core/job_error.h"

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
  error.api = parse_api_error(response.text());
  error.api.message = client.redact(error.api.message);
  error.kind = kind_for_status(response.status, error.api);

  const char *reason =
      response.message ? soup_message_get_reason_phrase(response.message.get()) : nullptr;
  std::string text = doing + " failed: the server answered HTTP " +
                     std::to_string(response.status) + (reason && *reason ? " " : "") +
                     (reason ? reason : "") + " with " +
                     (error.api.empty() ? client.redact(summarize_body(response))
                                        : "\"" + error.api.describe() + "\"");
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

}  // namespace sora
