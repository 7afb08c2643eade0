/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-memory-soak: one process, many generations back to back, and what
 * it holds as they go: resident memory, open descriptors, threads.
 *
 *   sora-memory-soak [--generations 1000] [--report-at 100,1000] [--max-rss-growth-kb 4096]
 *
 * Each generation is a new pipeline, `soravideosrc cache-mode=off ...
 * ! fakesink`, played to EOS against $OPENAI_BASE_URL with $OPENAI_API_KEY,
 * then set to NULL and freed, as an application that renders clip after
 * clip does. The same small clip every time (the emulator renders it once).
 * At each report point it prints one line: generations, VmRSS, VmHWM,
 * descriptors, threads (and those of GLib's and GStreamer's thread pools,
 * which come and go on their own schedule). Exits 1 when a generation fails, or when between
 * the first and the last report RSS grew by more than --max-rss-growth-kb,
 * or the descriptors or threads (pools aside) grew. */
#include <gst/gst.h>

#include <dirent.h>
#include <malloc.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

struct Usage {
  guint generations = 0;
  guint64 rss_kb = 0;
  guint64 hwm_kb = 0;
  guint64 heap_kb = 0; /* malloc's bytes in use: RSS without the allocator's slack */
  guint fds = 0;
  guint threads = 0;
  guint pool_threads = 0;
};

guint64 status_kb(const char *field) {
  g_autofree char *text = nullptr;
  if (!g_file_get_contents("/proc/self/status", &text, nullptr, nullptr))
    return 0;
  const char *line = strstr(text, field);
  return line ? g_ascii_strtoull(line + strlen(field), nullptr, 10) : 0;
}

guint count_entries(const char *path) {
  guint count = 0;
  DIR *dir = opendir(path);
  if (!dir)
    return 0;
  while (struct dirent *entry = readdir(dir)) {
    if (entry->d_name[0] != '.')
      count++;
  }
  closedir(dir);
  return count;
}

/* Pooled threads, which come and go on their pools' schedule: GLib's
 * ("pool-<program>", idle) and GStreamer's task pool threads, which keep
 * the name of the pad task they last ran ("src:src") while they idle. */
guint count_pool_threads() {
  guint count = 0;
  DIR *dir = opendir("/proc/self/task");
  if (!dir)
    return 0;
  while (struct dirent *entry = readdir(dir)) {
    if (entry->d_name[0] == '.')
      continue;
    std::string comm_path = std::string("/proc/self/task/") + entry->d_name + "/comm";
    g_autofree char *comm = nullptr;
    if (g_file_get_contents(comm_path.c_str(), &comm, nullptr, nullptr) &&
        (g_str_has_prefix(comm, "pool-") || strchr(comm, ':')))
      count++;
  }
  closedir(dir);
  return count;
}

Usage measure(guint generations) {
  Usage usage;
  usage.generations = generations;
  usage.rss_kb = status_kb("VmRSS:");
  usage.hwm_kb = status_kb("VmHWM:");
  usage.heap_kb = mallinfo2().uordblks / 1024;
  usage.fds = count_entries("/proc/self/fd");
  usage.threads = count_entries("/proc/self/task");
  usage.pool_threads = count_pool_threads();
  return usage;
}

/* Plays one generation to EOS; false (and the error printed) otherwise. */
bool generate(const std::string &description, guint index) {
  g_autoptr(GError) error = nullptr;
  GstElement *pipeline = gst_parse_launch(description.c_str(), &error);
  if (!pipeline) {
    g_printerr("sora-memory-soak: %s\n", error->message);
    return false;
  }
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus *bus = gst_element_get_bus(pipeline);
  GstMessage *message = gst_bus_timed_pop_filtered(
      bus, 120 * GST_SECOND, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  bool ok = message && GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS;
  if (message && !ok) {
    g_autoptr(GError) failure = nullptr;
    gst_message_parse_error(message, &failure, nullptr);
    g_printerr("sora-memory-soak: generation %u failed: %s\n", index, failure->message);
  } else if (!message) {
    g_printerr("sora-memory-soak: generation %u did not end within 120 s\n", index);
  }
  if (message)
    gst_message_unref(message);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(pipeline);
  return ok;
}

}  // namespace

int main(int argc, char **argv) {
  gint generations = 1000;
  g_autofree char *report_at = g_strdup("100,1000");
  gint max_growth_kb = 4096;
  const GOptionEntry entries[] = {
      {"generations", 0, 0, G_OPTION_ARG_INT, &generations, "How many (1000)", "N"},
      {"report-at", 0, 0, G_OPTION_ARG_STRING, &report_at,
       "Generations after which to measure (100,1000)", "N,M,..."},
      {"max-rss-growth-kb", 0, 0, G_OPTION_ARG_INT, &max_growth_kb,
       "RSS growth allowed between the first and last report (4096)", "KB"},
      {}};
  g_autoptr(GOptionContext) context = g_option_context_new("- many generations in one process");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_option_context_add_group(context, gst_init_get_option_group());
  g_autoptr(GError) error = nullptr;
  if (!g_option_context_parse(context, &argc, &argv, &error)) {
    g_printerr("sora-memory-soak: %s\n", error->message);
    return 2;
  }
  std::vector<guint> reports;
  g_auto(GStrv) points = g_strsplit(report_at, ",", -1);
  for (char **point = points; *point; point++)
    reports.push_back(static_cast<guint>(g_ascii_strtoull(*point, nullptr, 10)));

  const std::string description =
      "soravideosrc name=src prompt=\"The memory soak: one small clip again and again\" "
      "seconds=1 size=160x96 validate=false cache-mode=off poll-interval=100 "
      "! fakesink sync=false";
  std::vector<Usage> measured;
  g_print("%-12s %10s %10s %10s %6s %8s %14s\n", "generations", "rss_kb", "hwm_kb", "heap_kb",
          "fds", "threads", "pool_threads");
  for (gint i = 1; i <= generations; i++) {
    if (!generate(description, static_cast<guint>(i)))
      return 1;
    if (std::find(reports.begin(), reports.end(), static_cast<guint>(i)) == reports.end())
      continue;
    /* GLib's pools let idle threads go after a while: wait for that first. */
    g_usleep(G_USEC_PER_SEC);
    Usage usage = measure(static_cast<guint>(i));
    measured.push_back(usage);
    g_print("%-12u %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
            " %6u %8u %14u\n",
            usage.generations, usage.rss_kb, usage.hwm_kb, usage.heap_kb, usage.fds, usage.threads,
            usage.pool_threads);
  }
  if (measured.size() < 2)
    return 0;
  const Usage &first = measured.front();
  const Usage &last = measured.back();
  gint64 growth_kb = static_cast<gint64>(last.rss_kb) - static_cast<gint64>(first.rss_kb);
  guint other_first = first.threads - first.pool_threads;
  guint other_last = last.threads - last.pool_threads;
  gint64 heap_growth_kb = static_cast<gint64>(last.heap_kb) - static_cast<gint64>(first.heap_kb);
  g_print("between %u and %u generations: RSS %+" G_GINT64_FORMAT
          " kB, heap in use %+" G_GINT64_FORMAT " kB, fds %+d, threads %+d (pools aside)\n",
          first.generations, last.generations, growth_kb, heap_growth_kb,
          static_cast<int>(last.fds) - static_cast<int>(first.fds),
          static_cast<int>(other_last) - static_cast<int>(other_first));
  if (growth_kb > max_growth_kb || last.fds > first.fds || other_last > other_first) {
    g_printerr("sora-memory-soak: the process grew\n");
    return 1;
  }
  return 0;
}
