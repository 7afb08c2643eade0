/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Gateway: the server families that carry the "OpenAI video format" on,
 * and everything the client does differently for each.
 *
 * OpenAI closed its own video API on 2026-09-24; the format lives on in
 * gateways (OpenRouter, Azure OpenAI, LiteLLM, new-api and resellers) that
 * each answer a little differently. Reading answers is tolerant for every
 * family (VideoObject reads every shape); what must be chosen up front is
 * how to ask: the body encoding and its field names, the header that carries
 * the key, where the key and the endpoint come from, how often to poll and
 * which content variants exist. A GatewayProfile holds those choices, one
 * table row per family, so that no other file needs to know a gateway's
 * name. `auto` picks a family by the base URL's host and otherwise asks the
 * way OpenAI's reference does, switching to JSON once when a server refuses
 * multipart. */
#pragma once

#include <glib.h>

#include <optional>
#include <string>

namespace sora {

enum class Gateway {
  kAuto,
  kOpenAi,
  kOpenRouter,
  kAzure,
  kLiteLlm,
  kNewApi,
  /* Native protocols (not the OpenAI format): provider.h */
  kGemini,    /* Google's Gemini API: Veo as long-running operations */
  kFal,       /* fal's queue */
  kReplicate, /* Replicate's predictions */
};

enum class BodyEncoding {
  kMultipart, /* multipart/form-data: OpenAI's reference body */
  kJson,      /* application/json */
};

/* The field names and types of a JSON create body. */
enum class JsonFields {
  /* OpenAI's JSON body: seconds as a string, size, the reference image as
   * input_reference {image_url: data URL}, metadata as an object. */
  kOpenAi,
  /* OpenRouter's: duration as an integer, size or resolution, the reference
   * image as frame_images[] first_frame, metadata members merged into the
   * body (generate_audio, seed, aspect_ratio, provider, ...). */
  kOpenRouter,
};

/* The header that carries the key. */
enum class AuthHeader {
  kBearer, /* Authorization: Bearer KEY */
  kApiKey, /* api-key: KEY (Azure; Bearer there is for Entra ID tokens) */
  kKey,     /* Authorization: Key KEY (fal) */
  kGoogApiKey, /* x-goog-api-key: KEY (Google's Gemini API) */
};

/* The protocol a family speaks: the OpenAI video format, or a provider's
 * own (one implementation of Provider each, core/provider.h). */
enum class Protocol {
  kOpenAiFormat,
  kGeminiOperations,
  kFalQueue,
  kReplicatePredictions,
};

struct GatewayProfile {
  Gateway gateway;
  const char *name;  /* the property's nick: "openrouter" */
  const char *title; /* for messages: "OpenRouter" */
  BodyEncoding body; /* how a create is first sent */
  /* A multipart create refused because the server wants JSON is sent once
   * more as JSON: nothing was created, so nothing is paid twice. */
  bool json_fallback;
  JsonFields json_fields;
  AuthHeader auth;
  guint default_poll_ms; /* when poll-interval is 0 and the server gives no hint */
  bool variants;         /* thumbnail and spritesheet exist */
  /* Progress below 1 is most likely a fraction of 1 from the first answer
   * (LiteLLM in front of Runway); elsewhere a second answer must say so. */
  bool fraction_progress;
  bool follow_ups; /* remix and extensions exist */
  /* The query of a /content request: nullptr asks for the variant
   * (?variant=video); "" for none; else this text (OpenRouter: index=0). */
  const char *content_query;
  const char *models_path;      /* the model list, below the base URL */
  const char *key_env;          /* the ecosystem's own key variable, or nullptr */
  const char *endpoint_env;     /* the ecosystem's own endpoint variable, or nullptr */
  const char *default_base_url; /* a fixed public endpoint, or nullptr */
  /* The rest is given by the native providers' rows only. */
  Protocol protocol = Protocol::kOpenAiFormat;
  /* Hosts that auto-pick this family from base-url, comma-separated; a
   * leading '.' matches any subdomain. */
  const char *hosts = nullptr;
  const char *key_env_alt = nullptr; /* a second key variable (GOOGLE_API_KEY) */
};

/* The profile of a family; kAuto's is the tolerant one used for any other
 * server. */
const GatewayProfile &gateway_profile(Gateway gateway);

/* "auto", "openai", "openrouter", "azure", "litellm", "newapi", "gemini",
 * "fal", "replicate". */
const char *gateway_name(Gateway gateway);
std::optional<Gateway> parse_gateway(const std::string &name);

/* The family a base URL's host says it is: openrouter.ai, api.openai.com,
 * Azure's host names (*.openai.azure.com, *.cognitiveservices.azure.com,
 * *.services.ai.azure.com) and the native providers' rows' `hosts`
 * (generativelanguage.googleapis.com, queue.fal.run, api.replicate.com);
 * kAuto for any other host. */
Gateway gateway_for_url(const std::string &base_url);

/* What the configuration and the environment make of the server: the base
 * URL, the key and the family in effect, and where each came from. */
struct Endpoint {
  std::string base_url;   /* normalized; empty when none is known */
  std::string api_key;    /* empty when none is known */
  Gateway gateway;        /* never kAuto when base_url names a known host */
  std::string url_source; /* "base-url", "OPENAI_BASE_URL", ... */
  std::string key_source; /* "api-key", "OPENROUTER_API_KEY", ... */
  /* A key variable that is set but was not sent to this endpoint (it belongs
   * to another server), for the "no API key" message; empty otherwise. */
  std::string withheld_key;
};

/* The base URL is `base_url` when set, else the family's endpoint variable
 * (AZURE_OPENAI_ENDPOINT, with /openai/v1 added to a bare resource URL),
 * else OPENAI_BASE_URL, else the family's public endpoint (OpenRouter's);
 * in auto mode AZURE_OPENAI_ENDPOINT is tried after OPENAI_BASE_URL. The
 * family is `gateway`, or in auto mode Azure for AZURE_OPENAI_ENDPOINT and
 * otherwise the one the URL's host names. The key is `api_key` when set,
 * else the family's key variable, else OPENAI_API_KEY, but that one only
 * when the URL is `base_url` (the application's choice) or OPENAI_BASE_URL:
 * a key from the environment goes only to the endpoint it belongs with.
 * A native provider (gemini, fal, replicate) reads neither OPENAI_BASE_URL
 * nor OPENAI_API_KEY: its key variables (FAL_KEY, REPLICATE_API_TOKEN,
 * GEMINI_API_KEY then GOOGLE_API_KEY) go to its public endpoint, or to the
 * base URL the application set together with that gateway.
 * (`base_url` comes from the application alone: a URI or a playlist shot
 * cannot set it, see request_fields.h.) */
Endpoint resolve_endpoint(Gateway gateway, const std::string &base_url, const std::string &api_key);

/* What the "no API key" errors add when a key variable was set but not sent
 * to this endpoint: which one and why; "" otherwise. */
std::string withheld_key_note(const Endpoint &endpoint);

/* The SETTINGS error for a configuration that names no server: OpenAI's
 * own endpoint closed, so there is no default to fall back on. */
std::string no_endpoint_message(Gateway gateway);

/* `url` without its trailing slashes: every request URL is built from it. */
std::string normalize_base_url(std::string url);

/* `url` without a user and password ("https://user:pw@host/v1" gives
 * "https://host/v1"): what is written to disk or a log never holds them. */
std::string url_without_userinfo(const std::string &url);

/* The body encoding a base URL was found to want, remembered for the life
 * of the process like its path style, so only the first job pays for the
 * refused attempt. */
std::optional<BodyEncoding> remembered_body_encoding(const std::string &base_url);
void remember_body_encoding(const std::string &base_url, BodyEncoding encoding);

}  // namespace sora
