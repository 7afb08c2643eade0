#include "random_id.h"

#include <glib.h>

std::string random_id(const char *prefix, size_t hex_digits) {
  static const char kHexDigits[] = "0123456789abcdef";
  std::string id = prefix;
  for (size_t i = 0; i < hex_digits; i++) {
    id += kHexDigits[g_random_int_range(0, 16)];
  }
  return id;
}
