/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "request_fields.h"

#include <glib.h>

namespace sora {

/* Every writable soravideosrc property (tests/test_untrusted_input.cpp checks
 * that none is missing). Cost that follows from the request itself (seconds,
 * a pricier model) is the request's: the URI names what is bought. */
const PropertyTrust kPropertyTrust[] = {
    {"prompt", true, "the text of the request", nullptr},
    {"model", true, "a field of the request", nullptr},
    {"seconds", true, "a field of the request", nullptr},
    {"size", true, "a field of the request", nullptr},
    {"metadata", true, "a field of the request (a JSON object, read with bounded depth)", nullptr},
    {"video-id", true, "the task to play: one escaped path segment on the configured server",
     nullptr},
    {"remix-of", true, "the task a remix starts from: a field of the request", nullptr},
    {"extend-of", true, "the task an extension continues: a field of the request", nullptr},
    {"variant", true, "which of the task's files to fetch (video, thumbnail, spritesheet)",
     nullptr},
    {"api-key", false, "it is the secret itself, and URIs and playlists are logged and shared",
     "OPENAI_API_KEY"},
    {"base-url", false, "it chooses the server the API key is sent to", "OPENAI_BASE_URL"},
    {"gateway", false,
     "it chooses which key variable is read, the header it goes in and the server it goes to",
     nullptr},
    {"path-style", false, "it describes the server, not the request", nullptr},
    {"input-reference", false, "it reads a local file and uploads it to the server", nullptr},
    {"reference-fit", false,
     "it prepares the local file of input-reference, which only the application chooses", nullptr},
    {"location", false, "it writes the clip over any file the user can write", nullptr},
    {"cache-mode", false,
     "refresh and off pay for a new clip where the cache already holds a paid one", nullptr},
    {"cache-dir", false, "it creates directories and writes files where it says", nullptr},
    {"cache-max-size", false, "a small value evicts the user's paid clips", nullptr},
    {"max-clip-size", false, "a large value lets a server fill the disk", nullptr},
    {"validate", false,
     "false switches off the checks that refuse, before it is paid for, a request the model "
     "does not accept",
     nullptr},
    {"poll-interval", false,
     "it sets how often the server is asked (a small value floods it; some gateways count "
     "every request)",
     nullptr},
    {"timeout", false, "0 lets one request wait for ever", nullptr},
    {"generation-timeout", false, "0 lets a run wait for ever", nullptr},
    {"retries", false, "-1 retries without end", nullptr},
    {"price-list", false,
     "it reads a local file, and its prices decide what a budget lets through: money controls "
     "belong to the application",
     "SORA_PRICE_LIST"},
    {"budget", false, "it decides how much may be spent: money controls belong to the application",
     "SORA_BUDGET"},
    {"budget-period", false,
     "it decides what a budget counts: money controls belong to the application", nullptr},
    {"budget-unknown", false,
     "allow lets a request of unknown cost pass a budget: money controls belong to the "
     "application",
     nullptr},
};

const size_t kPropertyTrustCount = G_N_ELEMENTS(kPropertyTrust);

const PropertyTrust *property_trust(const char *name) {
  for (const PropertyTrust &row : kPropertyTrust) {
    if (g_strcmp0(row.name, name) == 0)
      return &row;
  }
  return nullptr;
}

std::string request_field_names() {
  std::string names;
  for (const PropertyTrust &row : kPropertyTrust) {
    if (row.request_field)
      names += (names.empty() ? "" : ", ") + std::string(row.name);
  }
  return names;
}

std::string refusal_message(const PropertyTrust &row, const char *where,
                            const std::string &instead) {
  std::string message = std::string("'") + row.name + "' cannot be set by " + where + ": " +
                        row.reason + ", and " + where +
                        " may come from anyone; it may set only what is asked of the server (" +
                        request_field_names() + "). " + instead;
  if (row.environment)
    message += std::string(" (or use the ") + row.environment + " environment variable)";
  return message + ".";
}

}  // namespace sora
