// Sends a JSON document as the answer to a request.
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

void respond_json(SoupServerMessage *message, guint status, JsonNode *body);
