// Answers a download with a rendered file without reading it into memory: the file is mapped and
// the response body points into the mapping, which libsoup writes out as the socket accepts it
// (so clips of 100 MB and many parallel downloads cost page cache, not heap). Handles HEAD and
// single byte ranges (206, or 416 when unsatisfiable).
#pragma once

#include <libsoup/soup.h>

#include <string>

// Fails (setting @error, leaving @message untouched) only when the file cannot be read.
bool send_file(SoupServerMessage *message, const std::string &path, const char *content_type,
               const std::string &download_name, GError **error);
