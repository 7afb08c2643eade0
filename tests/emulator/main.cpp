/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// sora-emulator: a local server of the "OpenAI video format" API (POST /v1/videos, poll, download)
// that renders real MP4 clips, for the project's tests and quick-start. Prints
// SORA_EMULATOR_URL=http://HOST:PORT/v1 and SORA_EMULATOR_CDN_URL=http://127.0.0.2:PORT on stdout
// once it listens, then serves until SIGINT or SIGTERM.

#include "api_server.h"
#include "control_endpoint.h"
#include "native_endpoint.h"
#include "task_launcher.h"
#include "emulator_config.h"
#include "render_cache.h"
#include "render_pool.h"
#include "request_log.h"
#include "server_dialect.h"
#include "task_store.h"
#include "videos_endpoint.h"

#include <glib-unix.h>
#include <gst/gst.h>

#include <cstdio>

namespace {

gboolean quit_loop(gpointer loop) {
  g_main_loop_quit(static_cast<GMainLoop *>(loop));
  return G_SOURCE_CONTINUE;
}

bool check_non_negative(gint64 value, const char *option, GError **error) {
  if (value < 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--%s must not be negative",
                option);
    return false;
  }
  return true;
}

bool parse_options(int &argc, char **&argv, EmulatorConfig &config, GError **error) {
  g_autofree char *host = nullptr;
  g_autofree char *api_key = nullptr;
  g_autofree char *forbidden_key = nullptr;
  g_autofree char *layout = nullptr;
  g_autofree char *render_cache = nullptr;
  g_autofree char *dialect = nullptr;
  gboolean verbose = FALSE;
  gint64 chaos_seed = -1;
  double chaos_rate = -1;
  const GOptionEntry entries[] = {
      {"port", 0, 0, G_OPTION_ARG_INT, &config.port, "Port to listen on (0 = any free port)", "N"},
      {"host", 0, 0, G_OPTION_ARG_STRING, &host, "Address to listen on (127.0.0.1)", "ADDR"},
      {"api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
       "Accept only this key, where the dialect wants it (default: any non-empty key)", "KEY"},
      {"forbidden-key", 0, 0, G_OPTION_ARG_STRING, &forbidden_key, "Answer this key with 403",
       "KEY"},
      {"queue-ms", 0, 0, G_OPTION_ARG_INT64, &config.queue_ms, "Time a task stays queued (300)",
       "MS"},
      {"generation-ms", 0, 0, G_OPTION_ARG_INT64, &config.generation_ms,
       "Time a task stays in_progress at least (1500)", "MS"},
      {"poll-after-ms", 0, 0, G_OPTION_ARG_INT64, &config.poll_after_ms,
       "Value of the openai-poll-after-ms header (500; 0 = no header)", "MS"},
      {"layout", 0, 0, G_OPTION_ARG_STRING, &layout, "MP4 atom layout: moov-end or moov-first",
       "LAYOUT"},
      {"clip-bitrate", 0, 0, G_OPTION_ARG_INT64, &config.clip_bitrate_kbps,
       "Render noise at this constant bitrate, for clips of a known size (0 = the usual clip)",
       "KBPS"},
      {"render-cache", 0, 0, G_OPTION_ARG_FILENAME, &render_cache,
       "Keep rendered clips in DIR across runs (or $SORA_EMULATOR_RENDER_CACHE)", "DIR"},
      {"expires-after", 0, 0, G_OPTION_ARG_INT64, &config.expires_after_s,
       "expires_at = completed_at + S (86400)", "S"},
      {"dialect", 0, 0, G_OPTION_ARG_STRING, &dialect,
       "Speak like openai (default), newapi, juhe, zhaotou, legacy, openrouter, azure, litellm, "
       "newapi-task, or a native provider: gemini, fal or replicate",
       "NAME"},
      {"chaos-seed", 0, 0, G_OPTION_ARG_INT64, &chaos_seed,
       "Chaos mode: faults at random, drawn from this seed (rate 0.2 unless --chaos-rate)", "N"},
      {"chaos-rate", 0, 0, G_OPTION_ARG_DOUBLE, &chaos_rate,
       "Chaos mode: the share of requests that get a fault, 0 to 1", "R"},
      {"verbose", 0, 0, G_OPTION_ARG_NONE, &verbose, "Log every request to stderr", nullptr},
      {}};
  g_autoptr(GOptionContext) context = g_option_context_new("- OpenAI videos API emulator");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_option_context_add_group(context, gst_init_get_option_group());
  if (!g_option_context_parse(context, &argc, &argv, error)) {
    return false;
  }
  if (host) {
    config.host = host;
  }
  if (api_key) {
    config.api_key = api_key;
  }
  if (forbidden_key) {
    config.forbidden_key = forbidden_key;
  }
  if (layout) {
    std::optional<Mp4Layout> parsed = parse_mp4_layout(layout);
    if (!parsed) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "--layout must be moov-end or moov-first");
      return false;
    }
    config.layout = *parsed;
  }
  if (dialect) {
    std::optional<DialectSettings> preset = DialectSettings::preset(dialect);
    if (!preset) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--dialect must be %s",
                  DialectSettings::preset_names().c_str());
      return false;
    }
    config.dialect = *preset;
  }
  const char *cache_from_env = g_getenv("SORA_EMULATOR_RENDER_CACHE");
  config.render_cache_dir = render_cache ? render_cache : cache_from_env ? cache_from_env : "";
  config.verbose = verbose;
  if (chaos_rate > 1 || (chaos_rate >= 0 && chaos_seed < 0)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--chaos-rate must be from 0 to 1, with --chaos-seed");
    return false;
  }
  if (chaos_seed >= 0) {
    config.chaos.set(static_cast<guint64>(chaos_seed), chaos_rate >= 0 ? chaos_rate : 0.2);
  }
  if (config.port < 0 || config.port > 65535) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--port must be 0..65535");
    return false;
  }
  return check_non_negative(config.queue_ms, "queue-ms", error) &&
         check_non_negative(config.generation_ms, "generation-ms", error) &&
         check_non_negative(config.poll_after_ms, "poll-after-ms", error) &&
         check_non_negative(config.clip_bitrate_kbps, "clip-bitrate", error) &&
         check_non_negative(config.expires_after_s, "expires-after", error);
}

}  // namespace

int main(int argc, char **argv) {
  EmulatorConfig config;
  g_autoptr(GError) error = nullptr;
  if (!parse_options(argc, argv, config, &error)) {
    g_printerr("sora-emulator: %s\n", error->message);
    return 2;
  }
  std::unique_ptr<RenderCache> cache = RenderCache::open(config.render_cache_dir, &error);
  if (!cache) {
    g_printerr("sora-emulator: %s\n", error->message);
    return 1;
  }
  // Destroyed before the cache: running renders are cancelled before their directory goes away.
  RenderPool renders(*cache, config.verbose);
  TaskStore tasks;
  RequestLog log;
  ServerDialect dialect(config.dialect);
  ApiServer server(config, dialect, log);
  if (!server.listen(&error)) {
    g_printerr("sora-emulator: cannot listen on %s:%d: %s\n", config.host.c_str(), config.port,
               error->message);
    return 1;
  }
  TaskLauncher launcher(config, dialect, tasks, renders);
  VideosEndpoint videos(config, dialect, tasks, launcher, server.api_root(), server.cdn_url());
  NativeEndpoints native(config, dialect, tasks, launcher, server.api_root(), server.cdn_url());
  ControlEndpoint control(config, log, tasks);
  server.serve(videos, native, control);

  std::printf("SORA_EMULATOR_URL=%s\nSORA_EMULATOR_CDN_URL=%s\n", server.base_url().c_str(),
              server.cdn_url().c_str());
  std::fflush(stdout);
  g_printerr("sora-emulator: serving %s, rendering into %s\n", server.base_url().c_str(),
             cache->directory().c_str());

  g_autoptr(GMainLoop) loop = g_main_loop_new(nullptr, FALSE);
  guint sigint = g_unix_signal_add(SIGINT, quit_loop, loop);
  guint sigterm = g_unix_signal_add(SIGTERM, quit_loop, loop);
  g_main_loop_run(loop);
  g_source_remove(sigint);
  g_source_remove(sigterm);
  return 0;
}
