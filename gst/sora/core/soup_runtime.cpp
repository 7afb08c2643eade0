/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define SORA_SOUP_RUNTIME_NO_MACROS
#include "core/soup_runtime.h"

#include <gmodule.h>

#include <mutex>

#ifndef SORA_LIBSOUP_SONAME
#define SORA_LIBSOUP_SONAME "libsoup-3.0.so.0"
#endif

namespace sora {

namespace {

struct Loaded {
  SoupFunctions functions;
  bool available = false;
  std::string why;
};

/* libsoup 3's own test (soup-init.c): a libsoup 2 symbol in the process's
 * global scope is what makes its constructor abort. */
bool libsoup2_in_process() {
  GModule *self = g_module_open(nullptr, static_cast<GModuleFlags>(0));
  gpointer symbol = nullptr;
  bool found = self && g_module_symbol(self, "soup_uri_new", &symbol);
  if (self)
    g_module_close(self);
  return found;
}

Loaded load() {
  Loaded loaded;
  if (libsoup2_in_process()) {
    loaded.why =
        "libsoup 2 is loaded in this process (by the application or another of its libraries), "
        "and libsoup 3, which this plugin needs, cannot be loaded beside it: run the pipeline in "
        "a process without libsoup 2 (gst-launch-1.0, or an application of its own)";
    return loaded;
  }
  /* Kept for the life of the process, as libsoup cannot be unloaded. */
  GModule *module = g_module_open(
      SORA_LIBSOUP_SONAME, static_cast<GModuleFlags>(G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL));
  if (!module) {
    loaded.why = std::string("libsoup 3 could not be loaded (") + g_module_error() +
                 "): install it (Debian: libsoup-3.0-0)";
    return loaded;
  }
  g_module_make_resident(module);
  std::string missing;
#define SORA_SOUP_LOAD(name)                                                                 \
  if (!g_module_symbol(module, #name, reinterpret_cast<gpointer *>(&loaded.functions.name))) \
    missing += (missing.empty() ? "" : ", ") + std::string(#name);
  SORA_SOUP_FUNCTIONS(SORA_SOUP_LOAD)
#undef SORA_SOUP_LOAD
  if (!missing.empty()) {
    loaded.why = SORA_LIBSOUP_SONAME " lacks " + missing + ": libsoup 3.0 or newer is needed";
    return loaded;
  }
  loaded.available = true;
  return loaded;
}

const Loaded &loaded() {
  static const Loaded instance = load();
  return instance;
}

}  // namespace

bool soup_runtime_available(std::string *why) {
  const Loaded &l = loaded();
  if (!l.available && why)
    *why = l.why;
  return l.available;
}

const SoupFunctions &soup_functions() {
  return loaded().functions;
}

}  // namespace sora
