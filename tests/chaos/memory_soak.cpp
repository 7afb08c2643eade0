/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-memory-soak: one process, many generations back to back, and what
 * it holds as they go: resident memory, open descriptors, threads.
 *
 *   sora-memory-soak [--generations 1000] [--report-at 100,1000] [--max-rss-growth-kb 4096]
 *   sora-memory-soak --programme 2000 [--live] [--report-at 20,2000] ...
 *
 * --programme N plays one soraplaylistsrc of N short shots (each its own
 * task, cache-mode=off) in one instance, as a channel that runs all day
 * does, and measures as the N-th shot's "done" message comes; then, once
 * the pipeline is back to NULL and freed, once more. Non-live it runs as
 * fast as the machine goes; --live plays the shots in real time (0.2 s of
 * each). A programme holds shots in flight (max-parallel generations, the
 * decoders of the shot on air and the next) whose descriptors come and go:
 * from the first report to the last the heap in use may grow by
 * --max-rss-growth-kb, RSS (which moves with the arenas of those shots'
 * threads) by four times that, the descriptors by --fd-slack (16) and the
 * threads (pools aside) by 2, no more; after the pipeline is freed the
 * descriptors and threads are back where they were before it was built.
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
#include <glib/gstdio.h>
#include <malloc.h>
#include <unistd.h>

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

/* The shots of a programme: the same small clip each time (the emulator
 * renders it once), each a POST of its own (the bin's cache is off). */
std::string write_programme(guint shots) {
  std::string json = "[";
  for (guint i = 0; i < shots; i++) {
    json += i ? ",\n" : "\n";
    json += R"({"prompt": "The memory soak: one small clip again and again", "seconds": 1,)"
            R"( "size": "160x96", "duration": 0.2})";
  }
  json += "\n]\n";
  g_autofree char *path = nullptr;
  g_autoptr(GError) error = nullptr;
  gint fd = g_file_open_tmp("sora-memory-soak-XXXXXX.json", &path, &error);
  if (fd < 0 || !g_file_set_contents(path, json.c_str(), -1, &error)) {
    g_printerr("sora-memory-soak: %s\n", error ? error->message : "cannot write the playlist");
    exit(2);
  }
  close(fd);
  return path;
}

void print_usage(const Usage &usage) {
  g_print("%-12u %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
          " %6u %8u %14u\n",
          usage.generations, usage.rss_kb, usage.hwm_kb, usage.heap_kb, usage.fds, usage.threads,
          usage.pool_threads);
}

/* Plays one programme of `shots` shots to its end, measuring when the
 * shots of `reports` are done; false when it failed. */
bool play_programme(guint shots, bool live, const std::vector<guint> &reports,
                    std::vector<Usage> &measured) {
  std::string playlist = write_programme(shots);
  std::string description =
      "soraplaylistsrc name=p location=\"" + playlist +
      "\" cache-mode=off validate=false poll-interval=100 max-parallel=3" +
      (live ? " is-live=true" : "") +
      " p.video ! queue ! fakesink sync=false p.audio ! queue ! fakesink sync=false";
  g_autoptr(GError) error = nullptr;
  GstElement *pipeline = gst_parse_launch(description.c_str(), &error);
  if (!pipeline) {
    g_printerr("sora-memory-soak: %s\n", error->message);
    return false;
  }
  GstBus *bus = gst_element_get_bus(pipeline);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  bool ok = false;
  const GstClockTime quiet = 120 * GST_SECOND; /* a shot is a second of work at most */
  while (true) {
    GstMessage *message = gst_bus_timed_pop_filtered(
        bus, quiet,
        static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT));
    if (!message) {
      g_printerr("sora-memory-soak: nothing happened for 120 s\n");
      break;
    }
    GstMessageType type = GST_MESSAGE_TYPE(message);
    const GstStructure *s = gst_message_get_structure(message);
    if (type == GST_MESSAGE_EOS) {
      ok = true;
    } else if (type == GST_MESSAGE_ERROR) {
      g_autoptr(GError) failure = nullptr;
      gst_message_parse_error(message, &failure, nullptr);
      g_printerr("sora-memory-soak: the programme failed: %s\n", failure->message);
    } else if (s && gst_structure_has_name(s, "sora-playlist") &&
               g_strcmp0(gst_structure_get_string(s, "state"), "done") == 0) {
      guint index = 0; /* from 0 */
      gst_structure_get_uint(s, "index", &index);
      if (std::find(reports.begin(), reports.end(), index + 1) != reports.end()) {
        /* What the allocator keeps free in the shots' threads' arenas is
         * handed back first: RSS is then what is held. */
        malloc_trim(0);
        measured.push_back(measure(index + 1));
        print_usage(measured.back());
      }
    }
    gst_message_unref(message);
    if (type == GST_MESSAGE_EOS || type == GST_MESSAGE_ERROR)
      break;
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(pipeline);
  g_remove(playlist.c_str());
  return ok;
}

/* One programme of `shots` shots in one soraplaylistsrc, after a short one
 * that starts what a process keeps once (soravideosrc's I/O thread, the
 * system clock); 0 when it held steady. */
int soak_programme(guint shots, bool live, const std::vector<guint> &reports, gint max_growth_kb,
                   gint fd_slack) {
  std::vector<Usage> measured;
  g_print("%-12s %10s %10s %10s %6s %8s %14s\n", "shots", "rss_kb", "hwm_kb", "heap_kb", "fds",
          "threads", "pool_threads");
  if (!play_programme(3, live, {}, measured))
    return 1;
  g_usleep(G_USEC_PER_SEC); /* GLib's pools let idle threads go */
  malloc_trim(0);
  Usage before = measure(0);
  g_print("before: ");
  print_usage(before);
  if (!play_programme(shots, live, reports, measured))
    return 1;
  g_usleep(G_USEC_PER_SEC);
  malloc_trim(0);
  Usage after = measure(shots);
  g_print("freed: ");
  print_usage(after);
  int status = 0;
  if (measured.size() >= 2) {
    const Usage &first = measured.front();
    const Usage &last = measured.back();
    gint64 growth_kb = static_cast<gint64>(last.rss_kb) - static_cast<gint64>(first.rss_kb);
    gint64 heap_growth_kb = static_cast<gint64>(last.heap_kb) - static_cast<gint64>(first.heap_kb);
    int fds = static_cast<int>(last.fds) - static_cast<int>(first.fds);
    int threads = static_cast<int>(last.threads - last.pool_threads) -
                  static_cast<int>(first.threads - first.pool_threads);
    g_print("between shots %u and %u: RSS %+" G_GINT64_FORMAT " kB, heap in use %+" G_GINT64_FORMAT
            " kB, fds %+d, threads %+d (pools aside)\n",
            first.generations, last.generations, growth_kb, heap_growth_kb, fds, threads);
    /* Shots in flight come and go with their threads' malloc arenas: RSS
     * moves by megabytes either way; the heap in use is what must not grow. */
    if (heap_growth_kb > max_growth_kb || growth_kb > 4 * max_growth_kb || fds > fd_slack ||
        threads > 2) {
      g_printerr("sora-memory-soak: the programme grew as it played\n");
      status = 1;
    }
  }
  int fds = static_cast<int>(after.fds) - static_cast<int>(before.fds);
  int threads = static_cast<int>(after.threads - after.pool_threads) -
                static_cast<int>(before.threads - before.pool_threads);
  g_print("freed against before: fds %+d, threads %+d (pools aside)\n", fds, threads);
  if (fds > 0 || threads > 0) {
    g_printerr("sora-memory-soak: the freed programme left descriptors or threads\n");
    status = 1;
  }
  return status;
}

}  // namespace

int main(int argc, char **argv) {
  gint generations = 1000;
  g_autofree char *report_at = g_strdup("100,1000");
  gint max_growth_kb = 4096;
  gint programme = 0;
  gboolean live = FALSE;
  gint fd_slack = 16;
  const GOptionEntry entries[] = {
      {"programme", 0, 0, G_OPTION_ARG_INT, &programme,
       "Play one soraplaylistsrc of N shots instead", "N"},
      {"live", 0, 0, G_OPTION_ARG_NONE, &live, "The programme is live (real time)", nullptr},
      {"fd-slack", 0, 0, G_OPTION_ARG_INT, &fd_slack,
       "Descriptors a programme's shots in flight may add between reports (16)", "N"},
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
  if (programme > 0) {
    return soak_programme(static_cast<guint>(programme), live, reports, max_growth_kb, fd_slack);
  }

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
