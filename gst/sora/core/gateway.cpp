/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/gateway.h"

#include "core/secret.h"

#include <map>
#include <mutex>

namespace sora {

namespace {

constexpr guint kDefaultPollMs = 5000;
/* OpenRouter's documentation recommends polling every 10 to 30 s. */
constexpr guint kOpenRouterPollMs = 10000;
/* Google's Veo examples poll the operation every 10 s; a generation takes
 * from 11 s to 6 minutes. */
constexpr guint kGeminiPollMs = 10000;
/* fal's status stream replaces polling; this is the cadence when it breaks. */
constexpr guint kFalPollMs = 2000;
constexpr guint kReplicatePollMs = 5000;

/* Sources: OpenAI's OpenAPI description (openai-videos.yaml); OpenRouter's
 * API reference for /api/v1/videos and /videos/models; Microsoft's Azure
 * OpenAI video generation docs (api-key header, /openai/v1, the SDK's
 * variables); LiteLLM's proxy video endpoints (OpenAI fields, /content
 * without variants); new-api's video router (multipart or JSON). */
/* Columns: gateway, name, title, body, json_fallback, json_fields, auth,
 * default_poll_ms, variants, fraction_progress, follow_ups, content_query, models_path,
 * key_env, endpoint_env, default_base_url. */
constexpr GatewayProfile kProfiles[] = {
    {Gateway::kAuto, "auto", "the server", BodyEncoding::kMultipart, true, JsonFields::kOpenAi,
     AuthHeader::kBearer, kDefaultPollMs, true, false, true, nullptr, "models", nullptr, nullptr,
     nullptr},
    {Gateway::kOpenAi, "openai", "OpenAI", BodyEncoding::kMultipart, true, JsonFields::kOpenAi,
     AuthHeader::kBearer, kDefaultPollMs, true, false, true, nullptr, "models", nullptr, nullptr,
     nullptr},
    {Gateway::kOpenRouter, "openrouter", "OpenRouter", BodyEncoding::kJson, false,
     JsonFields::kOpenRouter, AuthHeader::kBearer, kOpenRouterPollMs, false, false, false,
     "index=0", "videos/models", "OPENROUTER_API_KEY", nullptr, "https://openrouter.ai/api/v1"},
    {Gateway::kAzure, "azure", "Azure OpenAI", BodyEncoding::kMultipart, true, JsonFields::kOpenAi,
     AuthHeader::kApiKey, kDefaultPollMs, true, false, true, nullptr, "models",
     "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", nullptr},
    {Gateway::kLiteLlm, "litellm", "LiteLLM", BodyEncoding::kMultipart, true, JsonFields::kOpenAi,
     AuthHeader::kBearer, kDefaultPollMs, false, true, true, "", "models", nullptr, nullptr,
     nullptr},
    {Gateway::kNewApi, "newapi", "new-api", BodyEncoding::kMultipart, true, JsonFields::kOpenAi,
     AuthHeader::kBearer, kDefaultPollMs, true, false, true, nullptr, "models", nullptr, nullptr,
     nullptr},
    /* Google's Gemini API reference (Veo: predictLongRunning, operations,
     * x-goog-api-key; the SDKs read GEMINI_API_KEY, then GOOGLE_API_KEY). */
    {Gateway::kGemini, "gemini", "the Gemini API", BodyEncoding::kJson, false, JsonFields::kOpenAi,
     AuthHeader::kGoogApiKey, kGeminiPollMs, false, false, false, "", "models", "GEMINI_API_KEY",
     nullptr, "https://generativelanguage.googleapis.com/v1beta", Protocol::kGeminiOperations,
     "generativelanguage.googleapis.com", "GOOGLE_API_KEY"},
    /* fal's queue API docs (Authorization: Key, the URLs of the submit
     * answer, the status stream); fal's clients read FAL_KEY. */
    {Gateway::kFal, "fal", "fal", BodyEncoding::kJson, false, JsonFields::kOpenAi, AuthHeader::kKey,
     kFalPollMs, false, false, false, "", "models", "FAL_KEY", nullptr, "https://queue.fal.run",
     Protocol::kFalQueue, "queue.fal.run", nullptr},
    /* Replicate's HTTP API reference (predictions, urls.get, Bearer);
     * its clients read REPLICATE_API_TOKEN. */
    {Gateway::kReplicate, "replicate", "Replicate", BodyEncoding::kJson, false,
     JsonFields::kOpenAi, AuthHeader::kBearer, kReplicatePollMs, false, false, false, "", "models",
     "REPLICATE_API_TOKEN", nullptr, "https://api.replicate.com/v1",
     Protocol::kReplicatePredictions, "api.replicate.com", nullptr},
};

std::string env_or_empty(const char *name) {
  const char *value = name ? g_getenv(name) : nullptr;
  return value ? value : "";
}

bool host_ends_with(const std::string &host, const char *suffix) {
  return g_str_has_suffix(host.c_str(), suffix) && host.size() > strlen(suffix);
}

/* A row's `hosts`: "a.example,.b.example" (a leading dot: any subdomain). */
bool host_in_list(const std::string &host, const char *hosts) {
  if (!hosts)
    return false;
  g_auto(GStrv) names = g_strsplit(hosts, ",", -1);
  for (char **name = names; *name; name++) {
    if (**name == '.' ? host_ends_with(host, *name) : host == *name)
      return true;
  }
  return false;
}

/* AZURE_OPENAI_ENDPOINT is usually the resource's root
 * (https://name.openai.azure.com/); the v1 API lives below /openai/v1. */
std::string azure_base_url(const std::string &endpoint) {
  std::string url = normalize_base_url(endpoint);
  g_autoptr(GUri) uri = g_uri_parse(url.c_str(), G_URI_FLAGS_NONE, nullptr);
  if (!uri)
    return url;
  std::string path = g_uri_get_path(uri);
  if (path.empty() || path == "/")
    return url + "/openai/v1";
  if (path == "/openai")
    return url + "/v1";
  return url;
}

std::mutex memory_lock;

std::map<std::string, BodyEncoding> &memory() {
  static std::map<std::string, BodyEncoding> encodings;
  return encodings;
}

}  // namespace

const GatewayProfile &gateway_profile(Gateway gateway) {
  for (const GatewayProfile &profile : kProfiles) {
    if (profile.gateway == gateway)
      return profile;
  }
  return kProfiles[0];
}

const char *gateway_name(Gateway gateway) {
  return gateway_profile(gateway).name;
}

std::optional<Gateway> parse_gateway(const std::string &name) {
  for (const GatewayProfile &profile : kProfiles) {
    if (g_ascii_strcasecmp(profile.name, name.c_str()) == 0)
      return profile.gateway;
  }
  return std::nullopt;
}

Gateway gateway_for_url(const std::string &base_url) {
  g_autoptr(GUri) uri = g_uri_parse(base_url.c_str(), G_URI_FLAGS_NONE, nullptr);
  if (!uri || !g_uri_get_host(uri))
    return Gateway::kAuto;
  g_autofree char *host = g_ascii_strdown(g_uri_get_host(uri), -1);
  std::string h = host;
  if (h == "openrouter.ai" || host_ends_with(h, ".openrouter.ai"))
    return Gateway::kOpenRouter;
  if (host_ends_with(h, ".openai.azure.com") || host_ends_with(h, ".cognitiveservices.azure.com") ||
      host_ends_with(h, ".services.ai.azure.com"))
    return Gateway::kAzure;
  if (h == "api.openai.com")
    return Gateway::kOpenAi;
  for (const GatewayProfile &profile : kProfiles) {
    if (host_in_list(h, profile.hosts))
      return profile.gateway;
  }
  return Gateway::kAuto;
}

Endpoint resolve_endpoint(Gateway gateway, const std::string &base_url,
                          const std::string &api_key) {
  const GatewayProfile &asked = gateway_profile(gateway);
  Endpoint endpoint;
  auto take_url = [&endpoint](std::string url, const char *source) {
    if (!endpoint.base_url.empty() || url.empty())
      return;
    endpoint.base_url = normalize_base_url(std::move(url));
    endpoint.url_source = source;
  };
  take_url(base_url, "base-url");
  if (asked.endpoint_env)
    take_url(azure_base_url(env_or_empty(asked.endpoint_env)), asked.endpoint_env);
  /* OPENAI_BASE_URL names a server of the OpenAI format: never a native
   * provider's. */
  const bool native = asked.protocol != Protocol::kOpenAiFormat;
  if (!native)
    take_url(env_or_empty("OPENAI_BASE_URL"), "OPENAI_BASE_URL");
  if (gateway == Gateway::kAuto && !env_or_empty("AZURE_OPENAI_ENDPOINT").empty())
    take_url(azure_base_url(env_or_empty("AZURE_OPENAI_ENDPOINT")), "AZURE_OPENAI_ENDPOINT");
  if (asked.default_base_url)
    take_url(asked.default_base_url, "the gateway's public endpoint");

  /* AZURE_OPENAI_ENDPOINT names an Azure resource whatever its host name
   * (a custom domain): its key and header are Azure's. */
  if (gateway == Gateway::kAuto)
    endpoint.gateway = endpoint.url_source == "AZURE_OPENAI_ENDPOINT"
                           ? Gateway::kAzure
                           : gateway_for_url(endpoint.base_url);
  else
    endpoint.gateway = gateway;
  const GatewayProfile &profile = gateway_profile(endpoint.gateway);
  auto take_key = [&endpoint](std::string key, const char *source) {
    if (!endpoint.api_key.empty() || key.empty())
      return;
    endpoint.api_key = std::move(key);
    endpoint.key_source = source;
  };
  take_key(api_key, "api-key");
  if (profile.key_env)
    take_key(env_or_empty(profile.key_env), profile.key_env);
  if (profile.key_env_alt)
    take_key(env_or_empty(profile.key_env_alt), profile.key_env_alt);
  if (profile.protocol != Protocol::kOpenAiFormat)
    return endpoint; /* OPENAI_API_KEY is never a native provider's */
  /* OPENAI_API_KEY is the key of the server OPENAI_BASE_URL names (the
   * OpenAI SDKs' pair), or of the base URL the application chose; a
   * gateway's public endpoint or AZURE_OPENAI_ENDPOINT belongs to another
   * company, which must not receive it. */
  bool openai_key_belongs =
      endpoint.url_source == "base-url" || endpoint.url_source == "OPENAI_BASE_URL";
  std::string openai_key = env_or_empty("OPENAI_API_KEY");
  if (openai_key_belongs)
    take_key(std::move(openai_key), "OPENAI_API_KEY");
  else if (endpoint.api_key.empty() && !openai_key.empty())
    endpoint.withheld_key = "OPENAI_API_KEY";
  wipe_secret(openai_key);
  return endpoint;
}

std::string withheld_key_note(const Endpoint &endpoint) {
  if (endpoint.withheld_key.empty())
    return "";
  return " " + endpoint.withheld_key + " is set but is not sent to " + endpoint.base_url +
         " (from " + endpoint.url_source + "): it is the key of the server OPENAI_BASE_URL or " +
         "base-url names, and a key from the environment goes only to its own endpoint.";
}

std::string no_endpoint_message(Gateway gateway) {
  std::string hint;
  if (gateway == Gateway::kAuto && !env_or_empty("OPENROUTER_API_KEY").empty())
    hint = " OPENROUTER_API_KEY is set: gateway=openrouter uses it with OpenRouter's endpoint.";
  return std::string(
             "No server to talk to: OpenAI closed its own video API on 2026-09-24, so "
             "there is no default base URL. Set base-url to your gateway's video API "
             "(for example base-url=https://openrouter.ai/api/v1, "
             "https://NAME.openai.azure.com/openai/v1 or http://HOST:4000/v1 for a "
             "LiteLLM proxy), or the OPENAI_BASE_URL environment variable; or choose a "
             "gateway: gateway=openrouter (OPENROUTER_API_KEY), gateway=azure "
             "(AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY).") +
         hint;
}

std::string normalize_base_url(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

std::string url_without_userinfo(const std::string &url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return url;
  size_t host_start = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", host_start);
  size_t at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at == std::string::npos || at < host_start)
    return url;
  return url.substr(0, host_start) + url.substr(at + 1);
}

std::optional<BodyEncoding> remembered_body_encoding(const std::string &base_url) {
  std::lock_guard<std::mutex> guard(memory_lock);
  auto it = memory().find(base_url);
  if (it == memory().end())
    return std::nullopt;
  return it->second;
}

void remember_body_encoding(const std::string &base_url, BodyEncoding encoding) {
  std::lock_guard<std::mutex> guard(memory_lock);
  memory()[base_url] = encoding;
}

}  // namespace sora
