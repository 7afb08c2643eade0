// Random identifiers in OpenAI's style: a prefix followed by lowercase hex digits
// ("video_" + 48 digits for videos, "req_" + 32 for request ids).
#pragma once

#include <string>

std::string random_id(const char *prefix, size_t hex_digits);
