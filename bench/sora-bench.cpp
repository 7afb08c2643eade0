/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-bench: measures what soravideosrc costs beyond the server's own time,
 * against baselines measured in the same run, and writes the report
 * (docs/benchmarks.md).
 *
 *   sora-bench [--quick] [--runs N] [--output FILE]
 *
 * Every row talks to private sora-emulator processes on 127.0.0.1. Figures
 * are medians of N runs (default 5; the sides of a comparison alternate, so
 * that a slow moment of the machine hits both). --quick is the smoke mode
 * the test suite runs: one run of each row with small clips, which checks
 * that every measurement still works; it never fails on a timing, only when
 * a pipeline or a tool fails.
 *
 * Needs what tests/meson.build sets: SORA_EMULATOR, GST_PLUGIN_PATH,
 * GST_REGISTRY (bench/run.sh sets them all). */
#include "emulator_process.h"
#include "process_run.h"
#include "temp_dir.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::SeenRequest;

namespace {

/* ---- settings of one bench run ---- */

struct Options {
  bool quick = false;
  int runs = 5;
  std::string output;
  std::vector<int> only; /* rows to run; empty: all */
  bool wants(int row) const {
    return only.empty() || std::find(only.begin(), only.end(), row) != only.end();
  }
};

Options options;

/* A clip of known size: noise at a constant bitrate (the emulator's
 * --clip-bitrate), so seconds * kbps / 8 kB. */
struct ClipSize {
  int seconds;
  int kbps;
  double megabytes() const { return seconds * kbps / 8.0 / 1000.0; }
};

ClipSize big_clip() {
  return options.quick ? ClipSize{4, 4000} : ClipSize{20, 40000};
}

ClipSize medium_clip() {
  return options.quick ? ClipSize{4, 1000} : ClipSize{8, 40000};
}

/* ---- numbers ---- */

double median(std::vector<double> values) {
  g_assert(!values.empty());
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string fixed(double value, int decimals) {
  char text[64];
  g_snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

/* "12.3 (11.9-13.0)": the median and the range of the runs. */
std::string spread(const std::vector<double> &values, int decimals) {
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return fixed(median(values), decimals) + " (" + fixed(*lo, decimals) + "-" +
         fixed(*hi, decimals) + ")";
}

gint64 now_us() {
  return g_get_monotonic_time();
}

/* User + system CPU time, in microseconds. */
gint64 cpu_us_of(const struct rusage &usage) {
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         usage.ru_stime.tv_usec;
}

/* CPU time of this process so far. */
gint64 process_cpu_us() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return cpu_us_of(usage);
}

size_t entries_in(const char *dir) {
  size_t n = 0;
  if (DIR *d = opendir(dir)) {
    while (readdir(d))
      n++;
    closedir(d);
  }
  return n >= 2 ? n - 2 : 0; /* less . and .. */
}

/* ---- the report ---- */

struct Row {
  int number;
  std::string what;
  std::string measured;
  std::string baseline;
  std::string target;
  std::string verdict; /* "met", or by how much it is missed */
  std::string details; /* Markdown, under the table */
};

std::vector<Row> rows;
std::vector<std::string> failures; /* functional failures: the bench exits 1 */

void fail(const std::string &what) {
  g_printerr("sora-bench: %s\n", what.c_str());
  failures.push_back(what);
}

void note(const char *format, ...) G_GNUC_PRINTF(1, 2);
void note(const char *format, ...) {
  va_list args;
  va_start(args, format);
  g_autofree char *text = g_strdup_vprintf(format, args);
  va_end(args);
  g_print("  %s\n", text);
}

/* ---- pipelines in this process ---- */

struct RunResult {
  bool ok = false;
  std::string error;
  gint64 started_us = 0;  /* just before set_state(PLAYING) */
  gint64 finished_us = 0; /* EOS */
  gint64 cpu_us = 0;      /* of this process between the two */
  gint64 first_buffer_us = 0;
  gint64 first_frame_us = 0; /* the first buffer into "vsink" (a decoded frame) */
  gint64 complete_us = 0;    /* the run's end (sora-status with the clip's size) was posted */
  std::string video_id;
  gint64 wall_us() const { return finished_us - started_us; }
};

/* Times stamped the moment they happen, on the thread where they happen. */
struct Stamps {
  std::atomic<gint64> first_buffer{0};
  std::atomic<gint64> first_frame{0}; /* into the element named "vsink", if any */
  std::atomic<gint64> complete{0};
};

GstBusSyncReply stamp_message(GstBus *, GstMessage *message, gpointer data) {
  auto *stamps = static_cast<Stamps *>(data);
  /* The run's end message: the clip whole, checked and in place. */
  const GstStructure *s = gst_message_get_structure(message);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT && gst_structure_has_name(s, "sora-status") &&
      gst_structure_has_field(s, "size")) {
    gint64 expected = 0;
    stamps->complete.compare_exchange_strong(expected, now_us());
  }
  return GST_BUS_PASS;
}

GstPadProbeReturn stamp_buffer(GstPad *, GstPadProbeInfo *, gpointer data) {
  auto *stamps = static_cast<Stamps *>(data);
  gint64 expected = 0;
  stamps->first_buffer.compare_exchange_strong(expected, now_us());
  return GST_PAD_PROBE_OK;
}

/* Plays `description` to EOS. The element named "src", if any, has its
 * first outgoing buffer and its end message stamped. `on_started` runs
 * right after set_state(PLAYING) returns. */
RunResult play(const std::string &description, guint timeout_s = 600,
               const std::function<void(GstElement *)> &on_started = nullptr) {
  RunResult result;
  g_autoptr(GError) error = nullptr;
  GstElement *pipeline = gst_parse_launch(description.c_str(), &error);
  if (!pipeline) {
    result.error = error->message;
    return result;
  }
  Stamps stamps;
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  gst_bus_set_sync_handler(bus, stamp_message, &stamps, nullptr);
  GstElement *src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  if (src) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad(src, "src");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_buffer, &stamps, nullptr);
  }
  if (g_autoptr(GstElement) vsink = gst_bin_get_by_name(GST_BIN(pipeline), "vsink")) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad(vsink, "sink");
    gst_pad_add_probe(
        pad, GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad *, GstPadProbeInfo *, gpointer data) {
          gint64 expected = 0;
          static_cast<Stamps *>(data)->first_frame.compare_exchange_strong(expected, now_us());
          return GST_PAD_PROBE_OK;
        },
        &stamps, nullptr);
  }

  gint64 cpu_before = process_cpu_us();
  result.started_us = now_us();
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  if (on_started)
    on_started(pipeline);
  gint64 deadline = result.started_us + static_cast<gint64>(timeout_s) * G_USEC_PER_SEC;
  while (true) {
    gint64 left = deadline - now_us();
    if (left <= 0) {
      result.error = "timed out";
      break;
    }
    g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered(
        bus, static_cast<GstClockTime>(left) * GST_USECOND,
        static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
    if (!msg)
      continue;
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_EOS) {
      result.finished_us = now_us();
      result.cpu_us = process_cpu_us() - cpu_before;
      result.ok = true;
    } else {
      g_autoptr(GError) e = nullptr;
      gst_message_parse_error(msg, &e, nullptr);
      result.error = e->message;
    }
    break;
  }
  if (src) {
    g_autofree char *id = nullptr;
    g_object_get(src, "video-id", &id, nullptr);
    result.video_id = id ? id : "";
    gst_object_unref(src);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
  gst_object_unref(pipeline);
  result.first_buffer_us = stamps.first_buffer;
  result.first_frame_us = stamps.first_frame;
  result.complete_us = stamps.complete;
  return result;
}

std::string source(const std::string &base_url, const std::string &extra,
                   const std::string &name = "src") {
  return "soravideosrc name=" + name + " api-key=" + std::string(kTestKey) +
         " base-url=" + base_url + " " + extra;
}

std::string source(const EmulatorProcess &emulator, const std::string &extra,
                   const std::string &name = "src") {
  return source(emulator.base_url(), extra, name);
}

/* Tasks created from now on have clips of this bitrate (0: the usual clip). */
void set_bitrate(EmulatorProcess &emulator, int kbps) {
  emulator.configure("{\"clip_bitrate_kbps\":" + std::to_string(kbps) + "}");
}

/* Runs `description` once without the generation wait, so that the
 * emulator has rendered its clips; then tasks take `generation_ms` again
 * and the request log starts afresh. */
bool prerender(EmulatorProcess &emulator, const std::string &description, gint64 generation_ms) {
  emulator.configure("{\"generation_ms\":0}");
  bool ok = play(description).ok;
  emulator.configure("{\"generation_ms\":" + std::to_string(generation_ms) + "}");
  emulator.clear_requests();
  return ok;
}

/* ---- programs in child processes ---- */

struct Child {
  pid_t pid = -1;
  gint64 started_us = 0;
  std::string out_path;
};

struct ChildResult {
  int status = -1;
  gint64 wall_us = 0;
  gint64 cpu_us = 0;
  long max_rss_kb = 0;
  std::string out;
};

Child spawn(const std::vector<std::string> &argv, const std::map<std::string, std::string> &env,
            const std::string &out_path) {
  Child child;
  child.out_path = out_path;
  child.started_us = now_us();
  child.pid = fork();
  if (child.pid == 0) {
    for (const auto &[name, value] : env)
      setenv(name.c_str(), value.c_str(), 1);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    dup2(out, STDOUT_FILENO);
    dup2(in, STDIN_FILENO);
    std::vector<char *> args;
    for (const std::string &a : argv)
      args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return child;
}

ChildResult wait_for(const Child &child) {
  ChildResult result;
  int status = 0;
  struct rusage usage;
  wait4(child.pid, &status, 0, &usage);
  result.wall_us = now_us() - child.started_us;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.cpu_us = cpu_us_of(usage);
  result.max_rss_kb = usage.ru_maxrss;
  g_autofree char *out = nullptr;
  g_file_get_contents(child.out_path.c_str(), &out, nullptr, nullptr);
  result.out = out ? out : "";
  return result;
}

ChildResult run_child(const std::vector<std::string> &argv,
                      const std::map<std::string, std::string> &env, const std::string &out_path) {
  return wait_for(spawn(argv, env, out_path));
}

std::string program(const char *name) {
  std::string path = sora_test::find_program(name);
  if (path.empty())
    g_error("%s is not installed (bench/run.sh installs what it needs)", name);
  return path;
}

/* ---- what the emulator saw ---- */

struct TaskTimes {
  gint64 created_us = 0;
  gint64 completed_us = 0;
};

/* The times of every task the emulator holds, by id: one request. */
std::map<std::string, TaskTimes> task_times(EmulatorProcess &emulator) {
  unsigned status = 0;
  std::string body = emulator.http("GET", emulator.control_url("tasks"), &status);
  g_autoptr(JsonParser) parser = json_parser_new();
  json_parser_load_from_data(parser, body.c_str(), static_cast<gssize>(body.size()), nullptr);
  JsonNode *root = json_parser_get_root(parser);
  std::map<std::string, TaskTimes> times;
  JsonArray *tasks = root && JSON_NODE_HOLDS_ARRAY(root) ? json_node_get_array(root) : nullptr;
  for (guint i = 0; tasks && i < json_array_get_length(tasks); i++) {
    JsonObject *task = json_array_get_object_element(tasks, i);
    TaskTimes &t = times[json_object_get_string_member(task, "id")];
    t.created_us = json_object_get_int_member(task, "created_us");
    if (json_object_has_member(task, "completed_us") &&
        !json_object_get_null_member(task, "completed_us"))
      t.completed_us = json_object_get_int_member(task, "completed_us");
  }
  return times;
}

struct TaskRequests {
  size_t creates = 0, polls = 0, downloads = 0, other = 0;
  gint64 content_us = 0;             /* arrival of the download request */
  std::vector<gint64> poll_times_us; /* arrival of each poll */
};

TaskRequests requests_for(const std::vector<SeenRequest> &seen, const std::string &id) {
  TaskRequests r;
  const std::string task_path = "/v1/videos/" + id;
  for (const SeenRequest &q : seen) {
    const char *video_id = q.record && json_object_has_member(q.record, "video_id") &&
                                   !json_object_get_null_member(q.record, "video_id")
                               ? json_object_get_string_member(q.record, "video_id")
                               : "";
    if (q.method == "POST" && q.path == "/v1/videos" && id == video_id) {
      r.creates++;
    } else if (q.method == "GET" && q.path == task_path) {
      r.polls++;
      r.poll_times_us.push_back(q.time_us);
    } else if (q.method == "GET" && q.path == task_path + "/content") {
      /* The first: a range fetched ahead (the moov) comes later. */
      if (r.downloads++ == 0)
        r.content_us = q.time_us;
    } else if (q.path.find(id) != std::string::npos) {
      r.other++;
    }
  }
  return r;
}

/* A finished task of a clip of this size, through the element; returns its id. */
std::string make_task(EmulatorProcess &emulator, const ClipSize &clip, const std::string &prompt) {
  set_bitrate(emulator, clip.kbps);
  RunResult r =
      play(source(emulator, "cache-mode=off size=1280x720 seconds=" + std::to_string(clip.seconds) +
                                " prompt=\"" + prompt + "\"") +
           " ! fakesink");
  if (!r.ok)
    g_error("cannot make a %d s clip: %s", clip.seconds, r.error.c_str());
  return r.video_id;
}

/* ---- row 1: download throughput ---- */

struct Shared {
  sora_test::TempDir *scratch = nullptr;
  EmulatorProcess *big = nullptr; /* the emulator with large clips */
  std::string big_id, medium_id;
  std::string big_file, medium_file; /* the clips' bytes, as curl fetched them */
  guint64 big_bytes = 0, medium_bytes = 0;
};

Shared shared;

/* The environment of a gst-launch-1.0 child. Under an AddressSanitizer build
 * the tests preload the sanitizer's runtime, so that the plugin loads. */
std::map<std::string, std::string> child_env(const std::string &cache_home) {
  std::map<std::string, std::string> env = {{"OPENAI_API_KEY", kTestKey},
                                            {"OPENAI_BASE_URL", shared.big->base_url()},
                                            {"XDG_CACHE_HOME", cache_home}};
  if (std::string preload = sora_test::test_preload(); !preload.empty())
    env["LD_PRELOAD"] = preload;
  return env;
}

double curl_fetch(const std::string &id, const std::string &file) {
  std::string url = shared.big->base_url() + "/videos/" + id + "/content";
  ChildResult r = run_child(
      {program("curl"), "-sS", "-o", file, "-H", std::string("Authorization: Bearer ") + kTestKey,
       "-w", "%{time_total} %{size_download}", url},
      {}, shared.scratch->file("curl.out"));
  double seconds = 0;
  guint64 bytes = 0;
  if (r.status != 0 || sscanf(r.out.c_str(), "%lf %" G_GUINT64_FORMAT, &seconds, &bytes) != 2) {
    fail("curl failed: " + r.out);
    return 0;
  }
  return seconds;
}

void row_download_throughput() {
  g_print("1. download throughput\n");
  std::vector<double> element_mbps, whole_mbps, served_mbps, curl_mbps;
  for (int i = 0; i < options.runs; i++) {
    double curl_s = curl_fetch(shared.big_id, shared.big_file);
    if (curl_s > 0)
      curl_mbps.push_back(shared.big_bytes / curl_s / 1e6);
    /* The element attaches to the finished task: one retrieve, then the
     * download, from the request's arrival at the server to the clip being
     * checked and in place. */
    shared.big->clear_requests();
    RunResult r =
        play(source(*shared.big, "cache-mode=off video-id=" + shared.big_id) + " ! fakesink");
    TaskRequests q = requests_for(shared.big->requests(), shared.big_id);
    if (!r.ok || !q.content_us || !r.complete_us) {
      fail("row 1: the element's download failed: " + r.error);
      continue;
    }
    element_mbps.push_back(shared.big_bytes / ((r.complete_us - q.content_us) / 1e6) / 1e6);
    whole_mbps.push_back(shared.big_bytes / ((r.complete_us - r.started_us) / 1e6) / 1e6);
    served_mbps.push_back(shared.big_bytes / (r.wall_us() / 1e6) / 1e6);
    note(
        "run %d: curl %.0f MB/s; soravideosrc %.0f MB/s (download), %.0f MB/s (whole run), "
        "%.0f MB/s (downloaded and served)",
        i + 1, curl_mbps.back(), element_mbps.back(), whole_mbps.back(), served_mbps.back());
  }
  if (element_mbps.empty() || curl_mbps.empty())
    return;
  /* Judged on the whole run: the element's own start and its status
   * request count against it. */
  double ratio = median(whole_mbps) / median(curl_mbps);
  rows.push_back(
      {1, "download throughput, " + fixed(shared.big_bytes / 1e6, 1) + " MB clip",
       spread(whole_mbps, 0) + " MB/s over the whole run; " + spread(element_mbps, 0) +
           " MB/s over the download alone; " + spread(served_mbps, 0) +
           " MB/s downloaded and served",
       "curl: " + spread(curl_mbps, 0) + " MB/s", "ratio >= 0.95",
       (ratio >= 0.95 ? "met: ratio " : "missed: ratio ") + fixed(ratio, 3),
       "soravideosrc attached with `video-id` (cache off) and downloaded to its temporary file. "
       "\"Whole run\" is from `set_state(PLAYING)` to the clip being checked (status, length, "
       "MP4 structure) and renamed into place (the run's end message, `sora-status` with the clip's size): it includes "
       "the I/O thread's start and the status request before the download. \"Download alone\" "
       "starts when the download request arrived at the emulator. curl fetched the same "
       "`/content` to a file on the same disk; its figure is its own `time_total` (connection "
       "included). The ratio is taken on the whole run. \"Downloaded and served\" is from "
       "`set_state(PLAYING)` to EOS at the `fakesink`: every byte also went downstream (in push "
       "mode, 4 KiB buffers), while the clip downloaded. The element is faster mostly because it "
       "writes the file in pieces of up to 256 KiB, curl in pieces of about 8 KiB (`strace -c` "
       "counted 12,902 `write()` calls for curl on a 101 MB clip, once, by hand)."});
}

/* ---- row 2: serving a cached clip ---- */

void row_cached_serving() {
  g_print("2. serving a cached clip\n");
  std::string cache_dir = shared.scratch->file("serve-cache");
  std::string request = "cache-dir=" + cache_dir +
                        " size=1280x720 seconds=" + std::to_string(big_clip().seconds) +
                        " prompt=\"benchmark clip\"";
  /* Fill the cache: the clip is the big task's (same prompt and size). */
  set_bitrate(*shared.big, big_clip().kbps);
  RunResult fill = play(source(*shared.big, request) + " ! fakesink");
  if (!fill.ok) {
    fail("row 2: cannot fill the cache: " + fill.error);
    return;
  }
  std::string cached;
  g_autoptr(GDir) dir = g_dir_open(cache_dir.c_str(), 0, nullptr);
  while (const char *name = dir ? g_dir_read_name(dir) : nullptr) {
    if (g_str_has_suffix(name, ".mp4"))
      cached = cache_dir + "/" + name;
  }
  shared.big->clear_requests();
  std::string element = source(*shared.big, request) + " ! qtdemux ! fakesink";
  std::string file = "filesrc location=" + cached + " ! qtdemux ! fakesink";
  /* Warm both paths once: page cache, plugin loading, first-use costs. */
  play(element);
  play(file);
  std::vector<double> element_wall, element_cpu, file_wall, file_cpu;
  /* Runs of ~12 ms each: three times as many, for a steadier median. */
  const int runs = options.runs * 3;
  for (int i = 0; i < runs; i++) {
    RunResult a = play(element);
    RunResult b = play(file);
    if (!a.ok || !b.ok) {
      fail("row 2: a run failed: " + a.error + b.error);
      continue;
    }
    element_wall.push_back(a.wall_us() / 1000.0);
    element_cpu.push_back(a.cpu_us / 1000.0);
    file_wall.push_back(b.wall_us() / 1000.0);
    file_cpu.push_back(b.cpu_us / 1000.0);
    note("run %d: soravideosrc %.1f ms wall %.1f ms CPU, filesrc %.1f ms wall %.1f ms CPU", i + 1,
         element_wall.back(), element_cpu.back(), file_wall.back(), file_cpu.back());
  }
  if (!shared.big->requests().empty())
    fail("row 2: a cached run made a request");
  if (element_wall.empty())
    return;
  double wall_ratio = median(element_wall) / median(file_wall);
  double cpu_ratio = median(element_cpu) / median(file_cpu);
  bool met = wall_ratio <= 1.05 && cpu_ratio <= 1.05;
  rows.push_back(
      {2, "serving a cached clip: `soravideosrc ! qtdemux ! fakesink`, wall / CPU",
       spread(element_wall, 1) + " ms / " + spread(element_cpu, 1) + " ms",
       "`filesrc ! qtdemux ! fakesink`: " + spread(file_wall, 1) + " ms / " + spread(file_cpu, 1) +
           " ms",
       "ratio <= 1.05",
       (met ? "met" : "missed") + std::string(": wall ") + fixed(wall_ratio, 3) + ", CPU " +
           fixed(cpu_ratio, 3),
       "Both in this process, from `set_state(PLAYING)` to EOS, " + std::to_string(runs) +
           " runs each, alternating; CPU is the process's user + system time over the run. The "
           "element's run is a cache hit (no request: checked), which includes the cache lookup, "
           "the clip's integrity check (size, a hash of both ends, MP4 structure) and the I/O "
           "thread's start; it then serves each buffer with one `pread()`, where filesrc makes an "
           "`lseek()` and a `read()` whenever qtdemux jumps between the interleaved tracks. Each "
           "side was run once before the measured runs."});
}

/* ---- row 3: peak RSS ---- */

void row_peak_rss() {
  g_print("3. peak RSS\n");
  struct Size {
    std::string id, file;
    guint64 bytes;
    std::vector<double> element_mb, file_mb;
  };
  std::vector<Size> sizes = {{shared.medium_id, shared.medium_file, shared.medium_bytes, {}, {}},
                             {shared.big_id, shared.big_file, shared.big_bytes, {}, {}}};
  std::string launch = program("gst-launch-1.0");
  for (int i = 0; i < options.runs; i++) {
    for (Size &size : sizes) {
      /* Downloading into a fresh cache, then serving: the default path. */
      std::string cache_home =
          shared.scratch->file("rss-" + std::to_string(i) + "-" + std::to_string(size.bytes));
      ChildResult a = run_child(
          {launch, "-q", "soravideosrc", "video-id=" + size.id, "!", "qtdemux", "!", "fakesink"},
          child_env(cache_home), shared.scratch->file("rss.out"));
      ChildResult b = run_child(
          {launch, "-q", "filesrc", "location=" + size.file, "!", "qtdemux", "!", "fakesink"},
          child_env(cache_home), shared.scratch->file("rss.out"));
      if (a.status != 0 || b.status != 0) {
        fail("row 3: gst-launch-1.0 failed: " + a.out + b.out);
        continue;
      }
      size.element_mb.push_back(a.max_rss_kb / 1024.0);
      size.file_mb.push_back(b.max_rss_kb / 1024.0);
      note("run %d, %.0f MB: soravideosrc %.1f MB, filesrc %.1f MB", i + 1, size.bytes / 1e6,
           size.element_mb.back(), size.file_mb.back());
    }
  }
  if (sizes[0].element_mb.empty() || sizes[1].element_mb.empty())
    return;
  std::vector<double> deltas;
  std::string measured, baseline;
  for (const Size &size : sizes) {
    double delta = median(size.element_mb) - median(size.file_mb);
    deltas.push_back(delta);
    measured += (measured.empty() ? "" : "; ") + fixed(size.bytes / 1e6, 0) +
                " MB clip: " + spread(size.element_mb, 1) + " MB (+" + fixed(delta, 1) + ")";
    baseline += (baseline.empty() ? "" : "; ") + fixed(size.bytes / 1e6, 0) +
                " MB: " + spread(size.file_mb, 1) + " MB";
  }
  double growth = deltas[1] - deltas[0];
  bool met = deltas[0] <= 16 && deltas[1] <= 16 && growth <= 1.0;
  rows.push_back(
      {3, "peak RSS while downloading and serving", measured, "filesrc: " + baseline,
       "within +16 MB, not growing with the clip",
       (met ? "met" : "missed") + std::string(": +") + fixed(deltas[1], 1) +
           " MB; growth from the smaller clip to the larger " + fixed(growth, 1) + " MB",
       "Each run is a `gst-launch-1.0` process; peak RSS is its `ru_maxrss`. The element run "
       "attaches with `video-id`, downloads into a fresh cache directory and serves the clip "
       "to `qtdemux ! fakesink`; the filesrc run reads the same bytes from disk. The "
       "difference includes the libraries filesrc does not load (libsoup, json-glib, GIO's "
       "TLS and proxy modules)."});
}

/* ---- row 4: from completed to the first buffer ---- */

void row_first_buffer() {
  g_print("4. completed -> first buffer\n");
  const int interval_ms = 1000;
  std::vector<double> latency, bound, overhead, wait_poll, download;
  EmulatorProcess &emulator = *shared.big;
  set_bitrate(emulator, big_clip().kbps);
  emulator.configure("{\"generation_ms\":1700}");
  for (int i = 0; i < options.runs; i++) {
    emulator.clear_requests();
    RunResult r =
        play(source(emulator,
                    "cache-mode=off size=1280x720 seconds=" + std::to_string(big_clip().seconds) +
                        " prompt=\"benchmark clip\" poll-interval=" + std::to_string(interval_ms)) +
             " ! fakesink");
    if (!r.ok || !r.first_buffer_us) {
      fail("row 4: run failed: " + r.error);
      continue;
    }
    TaskRequests q = requests_for(emulator.requests(), r.video_id);
    TaskTimes t = task_times(emulator)[r.video_id];
    gint64 seen_completed_us = 0;
    for (gint64 poll : q.poll_times_us) {
      if (poll >= t.completed_us) {
        seen_completed_us = poll;
        break;
      }
    }
    double l = (r.first_buffer_us - t.completed_us) / 1000.0;
    double d = (r.complete_us - q.content_us) / 1000.0;
    latency.push_back(l);
    download.push_back(d);
    wait_poll.push_back((seen_completed_us - t.completed_us) / 1000.0);
    /* The clip is served while it arrives: the first buffer does not wait
     * for the download. */
    bound.push_back(interval_ms + 50);
    overhead.push_back(l - wait_poll.back());
    note("run %d: completed -> first buffer %.1f ms = poll wait %.1f + %.1f (whole download %.1f)",
         i + 1, l, wait_poll.back(), overhead.back(), d);
  }
  if (latency.empty())
    return;
  double worst_margin = 0;
  for (size_t i = 0; i < latency.size(); i++)
    worst_margin = std::max(worst_margin, latency[i] - bound[i]);
  rows.push_back(
      {4,
       "task completed -> first buffer downstream (" + fixed(big_clip().megabytes(), 0) +
           " MB clip, poll-interval " + std::to_string(interval_ms) + " ms)",
       spread(latency, 1) + " ms, of which the client's own " + spread(overhead, 1) + " ms",
       "poll interval: " + std::to_string(interval_ms) +
           " ms (the whole download, which the "
           "first buffer no longer waits for: " +
           spread(download, 1) + " ms)",
       "<= that + 50 ms",
       worst_margin <= 0 ? "met in every run"
                         : "missed by " + fixed(worst_margin, 1) + " ms in the worst run",
       "The emulator reports when the task turned completed (`completed_us`, monotonic clock) "
       "and when each request arrived; the first buffer is stamped by a probe on the element's "
       "source pad. The latency splits into the wait for the next poll (" +
           spread(wait_poll, 1) +
           " ms, at most the interval) and the rest: reacting to the poll, the download request, "
           "the answer's checks (status, type, the first bytes) and the first read. The clip is "
           "served while it downloads (row 8), so the download itself is no longer part of it."});
}

/* ---- row 8: the first frame while the clip downloads ---- */

void row_first_frame_while_downloading() {
  g_print("8. first frame while downloading\n");
  /* 4 s of noise at 16 Mbit/s: an 8 MB clip, a 12 s 1080p clip's size class. */
  const ClipSize clip{4, options.quick ? 2000 : 16000};
  const guint64 rate = 2500 * 1000;
  EmulatorProcess emulator({"--queue-ms", "0", "--generation-ms", "100", "--poll-after-ms", "100"});
  set_bitrate(emulator, clip.kbps);
  const std::string pipeline =
      "cache-mode=off size=1280x720 seconds=4 poll-interval=100 prompt=\"benchmark, first frame\" "
      "! qtdemux ! h264parse ! avdec_h264 ! fakesink name=vsink sync=false";
  std::string measured, baseline, details;
  double worst_share = 0; /* first frame / whole download, at the gateway's pace */
  for (const char *layout : {"moov-first", "moov-end"}) {
    emulator.configure(std::string("{\"layout\":\"") + layout + "\"}");
    if (!prerender(emulator, source(emulator, pipeline), 100)) {
      fail(std::string("row 8: the ") + layout + " clip could not be made");
      return;
    }
    for (bool throttled : {true, false}) {
      emulator.configure(throttled ? R"({"faults":[{"route":"content","times":-1,"action":)"
                                     R"("throttle","bytes_per_second":)" +
                                         std::to_string(rate) + "}]}"
                                   : std::string(R"({"faults":[]})"));
      std::vector<double> first, whole;
      for (int i = 0; i < options.runs; i++) {
        emulator.clear_requests();
        RunResult r = play(source(emulator, pipeline));
        TaskRequests q = requests_for(emulator.requests(), r.video_id);
        if (!r.ok || !r.first_frame_us || !q.content_us) {
          fail(std::string("row 8: run failed: ") + r.error);
          continue;
        }
        first.push_back((r.first_frame_us - q.content_us) / 1000.0);
        whole.push_back((r.complete_us - q.content_us) / 1000.0);
      }
      if (first.empty())
        continue;
      const char *pace = throttled ? "2.5 MB/s" : "loopback";
      if (throttled)
        worst_share = std::max(worst_share, *std::max_element(first.begin(), first.end()) /
                                                *std::min_element(whole.begin(), whole.end()));
      note("%s, %s: first frame %s ms, whole download %s ms", layout, pace,
           spread(first, 1).c_str(), spread(whole, 1).c_str());
      measured += std::string(measured.empty() ? "" : "; ") + layout + " " + pace + ": " +
                  spread(first, 1) + " ms";
      baseline += std::string(baseline.empty() ? "" : "; ") + layout + " " + pace + ": " +
                  spread(whole, 1) + " ms";
    }
  }
  emulator.configure(R"({"faults":[]})");
  rows.push_back(
      {8,
       "first decoded frame after the download request, " + fixed(clip.megabytes(), 0) +
           " MB clip, at a gateway's 2.5 MB/s and at loopback speed",
       measured, "the whole download (what the first frame waited for before): " + baseline,
       "at 2.5 MB/s, under half the whole download",
       worst_share < 0.5 ? "met: at most " + fixed(100 * worst_share, 0) + " % of it"
                         : "missed: " + fixed(100 * worst_share, 0) + " % of it",
       "`soravideosrc ! qtdemux ! h264parse ! avdec_h264 ! fakesink`, cache off; from the "
       "arrival of the first download request at the emulator to the first decoded frame (a "
       "probe on the sink), against the whole download (to the run's end message, the clip "
       "checked). The emulator throttles every /content answer to 2.5 MB/s, the pace of a "
       "gateway streaming a provider's bytes through itself. With the moov at the end, the "
       "element fetches it ahead with a Range request of its own while the sequential download "
       "goes on."});
}

/* ---- row 5: 32 sources in one pipeline ---- */

struct Usage {
  size_t threads = 0, fds = 0;
  std::map<std::string, size_t> names; /* threads by name, when `threads` was reached */
};

/* The threads of this process by name (/proc/self/task/N/comm), with the
 * digits of a name folded, so that "qtdemux12:sink" counts as "qtdemuxN:sink". */
std::map<std::string, size_t> thread_names() {
  std::map<std::string, size_t> names;
  g_autoptr(GDir) dir = g_dir_open("/proc/self/task", 0, nullptr);
  while (const char *tid = dir ? g_dir_read_name(dir) : nullptr) {
    g_autofree char *path = g_strdup_printf("/proc/self/task/%s/comm", tid);
    g_autofree char *comm = nullptr;
    if (!g_file_get_contents(path, &comm, nullptr, nullptr))
      continue;
    std::string name;
    for (const char *c = g_strstrip(comm); *c; c++) {
      if (g_ascii_isdigit(*c)) {
        if (name.empty() || name.back() != 'N')
          name += 'N';
      } else {
        name += *c;
      }
    }
    names[name]++;
  }
  return names;
}

std::string describe(const std::map<std::string, size_t> &names) {
  std::vector<std::pair<size_t, std::string>> sorted;
  for (const auto &[name, count] : names)
    sorted.emplace_back(count, name);
  std::sort(sorted.rbegin(), sorted.rend());
  std::string text;
  for (const auto &[count, name] : sorted)
    text += (text.empty() ? "" : ", ") + std::to_string(count) + " `" + name + "`";
  return text;
}

/* Samples this process's thread and descriptor counts every 5 ms. */
class Sampler {
 public:
  Sampler() : thread_([this] { loop(); }) {}
  ~Sampler() {
    stop_ = true;
    thread_.join();
  }
  Usage peak() {
    std::lock_guard<std::mutex> guard(lock_);
    return peak_;
  }
  void reset() {
    std::lock_guard<std::mutex> guard(lock_);
    peak_ = {};
  }

 private:
  void loop() {
    while (!stop_) {
      size_t threads = entries_in("/proc/self/task");
      size_t fds = entries_in("/proc/self/fd");
      bool more_threads;
      {
        std::lock_guard<std::mutex> guard(lock_);
        more_threads = threads > peak_.threads;
        peak_.threads = std::max(peak_.threads, threads);
        peak_.fds = std::max(peak_.fds, fds);
      }
      if (more_threads) {
        std::map<std::string, size_t> names = thread_names();
        std::lock_guard<std::mutex> guard(lock_);
        peak_.names = std::move(names);
      }
      g_usleep(5000);
    }
  }
  std::atomic<bool> stop_{false};
  std::mutex lock_;
  Usage peak_;
  std::thread thread_;
};

void row_many_sources() {
  const int count = options.quick ? 4 : 32;
  g_print("5. %d sources in one pipeline\n", count);
  EmulatorProcess emulator(
      {"--queue-ms", "100", "--generation-ms", "3000", "--poll-after-ms", "500"});
  auto pipeline_of = [&emulator](int n) {
    std::string description;
    for (int i = 0; i < n; i++)
      description += source(emulator, "cache-mode=off prompt=\"source " + std::to_string(i) + "\"",
                            "s" + std::to_string(i)) +
                     " ! qtdemux ! fakesink ";
    return description;
  };
  /* Render every clip once (the emulator keeps them), so that each round
   * waits for the generation time only. */
  if (!prerender(emulator, pipeline_of(count), 3000))
    fail("row 5: the warm-up failed");

  Sampler sampler;
  g_usleep(20000);
  Usage idle = sampler.peak();
  size_t sora_threads_left = 0;
  std::vector<double> many_wall, one_wall, spread_ms;
  Usage peak;
  for (int round = 0; round < options.runs; round++) {
    RunResult one = play(pipeline_of(1));
    emulator.clear_requests();
    sampler.reset();
    RunResult many = play(pipeline_of(count));
    Usage p = sampler.peak();
    if (p.threads > peak.threads)
      peak = p;
    peak.fds = std::max(peak.fds, p.fds);
    /* After NULL: none of the element's threads may be left. */
    std::map<std::string, size_t> after = thread_names();
    sora_threads_left = std::max(sora_threads_left, after["sora-io"]);
    if (!one.ok || !many.ok) {
      fail("row 5: a run failed: " + one.error + many.error);
      continue;
    }
    gint64 last_post = 0;
    size_t posts = 0;
    for (const SeenRequest &q : emulator.requests("POST", "/v1/videos")) {
      posts++;
      last_post = std::max(last_post, q.time_us);
    }
    if (posts != static_cast<size_t>(count))
      fail("row 5: " + std::to_string(posts) + " POSTs for " + std::to_string(count) + " sources");
    many_wall.push_back(many.wall_us() / 1000.0);
    one_wall.push_back(one.wall_us() / 1000.0);
    spread_ms.push_back((last_post - many.started_us) / 1000.0);
    note(
        "run %d: one %.0f ms, %d sources %.0f ms, last POST %.1f ms after PLAYING; peak %zu "
        "threads, %zu fds",
        round + 1, one_wall.back(), count, many_wall.back(), spread_ms.back(), p.threads, p.fds);
  }
  if (many_wall.empty())
    return;
  double worst_spread = *std::max_element(spread_ms.begin(), spread_ms.end());
  double ratio = median(many_wall) / median(one_wall);
  rows.push_back(
      {5, std::to_string(count) + " sources in one pipeline",
       "all " + std::to_string(count) + " tasks created " + spread(spread_ms, 1) +
           " ms after PLAYING; wall " + spread(many_wall, 0) + " ms; peak " +
           std::to_string(peak.threads) + " threads, " + std::to_string(peak.fds) + " fds",
       "one source: wall " + spread(one_wall, 0) + " ms; idle process " +
           std::to_string(idle.threads) + " threads, " + std::to_string(idle.fds) + " fds",
       "created within 1 s; wall close to one generation + downloads; bounded threads and fds",
       (worst_spread <= 1000 && sora_threads_left == 0 ? "met" : "missed") +
           std::string(": last create after ") + fixed(worst_spread, 1) +
           " ms (worst run); wall x" + fixed(ratio, 2) + " of one source; " +
           std::to_string(sora_threads_left) + " sora-io threads left after NULL",
       "Each source is `soravideosrc ! qtdemux ! fakesink` with its own prompt (cache off); "
       "the emulator queues each task 100 ms and generates it for 3 s, with a 500 ms poll "
       "hint. The times of the POSTs are the emulator's; threads and descriptors are sampled "
       "every 5 ms from /proc/self (the idle figures include the sampler, and the streaming "
       "threads GStreamer keeps pooled from the warm-up run). All sources share one I/O "
       "thread (`sora-io`); each keeps one HTTP connection and, once its clip is downloaded, "
       "one open file; `pool-...` threads are GLib's shared worker pool (GIO's name "
       "lookups and file operations). Threads by name at the peak: " +
           describe(peak.names) + ". Idle, before the measured runs: " + describe(idle.names) +
           "."});
}

/* ---- rows 6 and 7: waiting, and requests per task ---- */

/* The child side of row 6: waits on one generation and prints the CPU this
 * process used from PAUSED to the end of the generation. */
int wait_probe(const std::string &base_url, const std::string &prompt) {
  std::string description =
      source(base_url, "cache-mode=off prompt=\"" + prompt + "\"") + " ! fakesink";
  g_autoptr(GError) error = nullptr;
  GstElement *pipeline = gst_parse_launch(description.c_str(), &error);
  if (!pipeline)
    return 1;
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  gst_element_set_state(pipeline, GST_STATE_PAUSED);
  gint64 cpu0 = process_cpu_us(), t0 = now_us();
  int status = 1;
  while (true) {
    g_autoptr(GstMessage) msg = gst_bus_timed_pop_filtered(
        bus, 600 * GST_SECOND,
        static_cast<GstMessageType>(GST_MESSAGE_PROGRESS | GST_MESSAGE_ELEMENT |
                                    GST_MESSAGE_ERROR));
    if (!msg || GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR)
      break;
    const GstStructure *s = gst_message_get_structure(msg);
    const char *phase = gst_structure_get_string(s, "phase");
    if (status != 0 &&
        (g_strcmp0(phase, "downloading") == 0 || g_strcmp0(phase, "completed") == 0)) {
      g_print("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", process_cpu_us() - cpu0,
              now_us() - t0);
      status = 0;
    }
    /* Measured; the download is let finish, so that row 7 counts its
     * request (stopping at once may cancel it before it is sent). */
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ELEMENT && gst_structure_has_name(s, "sora-status") &&
        gst_structure_has_field(s, "size"))
      break;
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  return status;
}

struct PollCase {
  std::string label;
  gint64 queue_ms, generation_ms, hint_ms;
  int property_ms; /* poll-interval, 0 = the hint */
};

/* Checks 1 + ceil(T / interval) + 1 for each task the emulator holds. */
std::string check_request_counts(EmulatorProcess &emulator, const PollCase &c,
                                 const std::vector<std::string> &ids, bool *equal) {
  std::vector<SeenRequest> seen = emulator.requests();
  std::map<std::string, TaskTimes> times = task_times(emulator);
  int interval = c.property_ms ? c.property_ms : static_cast<int>(c.hint_ms);
  std::string theories, counts;
  for (const std::string &id : ids) {
    const TaskTimes &t = times[id];
    TaskRequests q = requests_for(seen, id);
    double generation_ms = (t.completed_us - t.created_us) / 1000.0;
    long theory = 1 + static_cast<long>(std::ceil(generation_ms / interval)) + 1;
    long actual = static_cast<long>(q.creates + q.polls + q.downloads + q.other);
    if (actual != theory || q.creates != 1 || q.downloads != 1)
      *equal = false;
    theories += (theories.empty() ? "" : ", ") + std::to_string(theory);
    counts += (counts.empty() ? "" : ", ") + std::to_string(actual) + " (" +
              std::to_string(q.creates) + "+" + std::to_string(q.polls) + "+" +
              std::to_string(q.downloads) + ")";
  }
  auto compact = [&ids](const std::string &list) {
    /* "7, 7, 7" -> "7 for each of the 3 tasks" */
    std::string first = list.substr(0, list.find(", "));
    std::string same;
    for (size_t i = 0; i < ids.size(); i++)
      same += (i ? ", " : "") + first;
    return same == list && ids.size() > 1
               ? first + " for each of the " + std::to_string(ids.size()) + " tasks"
               : list;
  };
  theories = compact(theories);
  counts = compact(counts);
  return "| " + c.label + " | " + fixed((c.queue_ms + c.generation_ms) / 1000.0, 2) + " s | " +
         std::to_string(interval) + " ms" +
         (c.property_ms ? " (poll-interval)" : " (server hint)") + " | " + theories + " | " +
         counts + " |\n";
}

void rows_waiting(const std::string &self) {
  g_print("6. CPU while waiting, 7. requests per task\n");
  const gint64 generation_ms = options.quick ? 3000 : 60000;
  PollCase long_wait{"waiting (row 6)", 250, generation_ms, 1000, 0};
  EmulatorProcess emulator({"--queue-ms", std::to_string(long_wait.queue_ms), "--generation-ms",
                            std::to_string(long_wait.generation_ms), "--poll-after-ms",
                            std::to_string(long_wait.hint_ms)});
  /* Render the clip first (without the wait), so that the tasks complete on time. */
  prerender(emulator, source(emulator, "cache-mode=off prompt=\"waiting\"") + " ! fakesink",
            generation_ms);

  /* The runs wait in parallel, one process each: each measures its own CPU. */
  std::vector<Child> children;
  for (int i = 0; i < options.runs; i++)
    children.push_back(spawn({self, "--wait-probe", emulator.base_url(), "waiting"}, {},
                             shared.scratch->file("wait-" + std::to_string(i) + ".out")));
  std::vector<double> percent;
  for (const Child &child : children) {
    ChildResult r = wait_for(child);
    gint64 cpu = 0, wall = 0;
    if (r.status != 0 ||
        sscanf(r.out.c_str(), "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &cpu, &wall) != 2) {
      fail("row 6: a waiting run failed");
      continue;
    }
    percent.push_back(cpu * 100.0 / wall);
    note("run: %.1f ms CPU in %.1f s: %.3f %% of one core", cpu / 1000.0, wall / 1e6,
         percent.back());
  }
  std::vector<std::string> wait_ids;
  for (const SeenRequest &q : emulator.requests("POST", "/v1/videos"))
    wait_ids.push_back(json_object_get_string_member(q.record, "video_id"));
  if (!percent.empty()) {
    double m = median(percent);
    rows.push_back(
        {6,
         "CPU while waiting on a " + fixed((long_wait.queue_ms + generation_ms) / 1000.0, 2) +
             " s generation",
         spread(percent, 3) + " % of one core", "-", "< 0.5 % of one core",
         m < 0.5 ? "met" : "missed by " + fixed(m - 0.5, 3) + " points",
         "Each run is a process of its own (the runs wait in parallel): it sets `soravideosrc "
         "! fakesink` to PAUSED and reads its own CPU time (user + system, every thread) from "
         "then until the generation is over (the first `downloading` progress message). The "
         "server's poll hint is 1 s, so the element makes one request a second; each posts a "
         "status and a progress message."});
  }

  /* Row 7: the runs above, and shorter generations with other intervals. */
  bool equal = true;
  std::string table =
      "| case | generation T | interval | theory, per task | requests seen, per "
      "task (create + polls + download) |\n"
      "|---|---|---|---|---|\n";
  table += check_request_counts(emulator, long_wait, wait_ids, &equal);
  std::vector<PollCase> cases = {{"hint 500 ms, T 2.25 s", 0, 2250, 500, 0},
                                 {"hint 500 ms, T 3.25 s", 0, 3250, 500, 0},
                                 {"hint 500 ms, T 6.25 s", 0, 6250, 500, 0},
                                 {"poll-interval 300 ms, T 2.25 s", 0, 2250, 500, 300}};
  if (options.quick)
    cases.resize(1);
  for (const PollCase &c : cases) {
    EmulatorProcess e({"--queue-ms", std::to_string(c.queue_ms), "--generation-ms",
                       std::to_string(c.generation_ms), "--poll-after-ms",
                       std::to_string(c.hint_ms)});
    std::string extra = c.property_ms ? " poll-interval=" + std::to_string(c.property_ms) : "";
    prerender(e, source(e, "cache-mode=off prompt=\"count\"") + " ! fakesink", c.generation_ms);
    /* The runs of a case at once, each its own source in one pipeline. */
    std::string description;
    for (int i = 0; i < options.runs; i++)
      description += source(e, "cache-mode=off prompt=\"count\"" + extra, "s" + std::to_string(i)) +
                     " ! fakesink ";
    if (!play(description).ok)
      fail("row 7: a run failed");
    std::vector<std::string> ids;
    for (const SeenRequest &q : e.requests("POST", "/v1/videos"))
      ids.push_back(json_object_get_string_member(q.record, "video_id"));
    table += check_request_counts(e, c, ids, &equal);
  }
  rows.push_back({7, "requests per task", "see the table below", "1 + ceil(T / interval) + 1",
                  "equal", equal ? "met: equal for every task" : "missed: see the table",
                  "T is the time from the task's creation to its completion as the emulator "
                  "kept it; every request the emulator saw for the task is counted (create, "
                  "polls, download, anything else).\n\n" +
                      table});
}

/* ---- the report ---- */

std::string first_line_of(const char *command) {
  g_autofree char *out = nullptr;
  if (!g_spawn_command_line_sync(command, &out, nullptr, nullptr, nullptr) || !out)
    return "?";
  std::string text = out;
  return text.substr(0, text.find('\n'));
}

/* "curl 7.88.1": the first two words of `curl --version`. */
std::string curl_version() {
  std::string line = first_line_of("curl --version");
  size_t second_space = line.find(' ', line.find(' ') + 1);
  return line.substr(0, second_space);
}

std::string machine() {
  std::string cpu = "?";
  g_autofree char *cpuinfo = nullptr;
  if (g_file_get_contents("/proc/cpuinfo", &cpuinfo, nullptr, nullptr)) {
    const char *at = strstr(cpuinfo, "model name");
    if (at) {
      at = strchr(at, ':') + 2;
      cpu = std::string(at, strchr(at, '\n'));
    }
  }
  long mem_kb = 0;
  g_autofree char *meminfo = nullptr;
  if (g_file_get_contents("/proc/meminfo", &meminfo, nullptr, nullptr))
    sscanf(meminfo, "MemTotal: %ld kB", &mem_kb);
  struct utsname u;
  uname(&u);
  g_autofree char *gst = gst_version_string();
  std::ostringstream s;
  s << "- CPU: " << cpu << ", " << g_get_num_processors() << " cores available\n"
    << "- memory: " << mem_kb / 1024 << " MiB\n"
    << "- kernel: " << u.sysname << " " << u.release << " " << u.machine << "\n"
    << "- " << gst << ", libsoup " << soup_get_major_version() << "." << soup_get_minor_version()
    << "." << soup_get_micro_version() << ", " << curl_version() << "\n";
  return s.str();
}

std::string report() {
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  g_autofree char *date = g_date_time_format(now, "%Y-%m-%d %H:%M %Z");
  std::ostringstream s;
  s << "# Benchmarks\n\n"
    << "What soravideosrc costs beyond the server's own time, measured against baselines run "
       "on the same machine in the same run. Written by `bash bench/run.sh`"
    << (options.quick ? " --quick (smoke mode: one run each, small clips; not for quoting)" : "")
    << "; every server is the project's emulator on 127.0.0.1.\n\n"
    << "- date: " << date << "\n"
    << "- command: `bash bench/run.sh" << (options.quick ? " --quick" : "")
    << "` (runs: " << options.runs
    << " per figure; medians, with the range of the runs in brackets)\n"
    << machine() << "- clips: " << fixed(shared.big_bytes / 1e6, 1) << " MB (" << big_clip().seconds
    << " s of 1280x720 noise at " << big_clip().kbps << " kbit/s, made by "
    << "`sora-emulator --clip-bitrate`) and " << fixed(shared.medium_bytes / 1e6, 1)
    << " MB; H.264 + AAC, moov at the end\n\n"
    << "| # | what | measured | baseline (same run) | target | result |\n"
    << "|---|---|---|---|---|---|\n";
  for (const Row &row : rows)
    s << "| " << row.number << " | " << row.what << " | " << row.measured << " | " << row.baseline
      << " | " << row.target << " | " << row.verdict << " |\n";
  s << "\n";
  for (const Row &row : rows)
    s << "## " << row.number << ". " << row.what << "\n\n" << row.details << "\n\n";
  if (!failures.empty()) {
    s << "## Failures\n\n";
    for (const std::string &f : failures)
      s << "- " << f << "\n";
  }
  return s.str();
}

}  // namespace

int main(int argc, char **argv) {
  if (argc == 4 && g_strcmp0(argv[1], "--wait-probe") == 0) {
    gst_init(nullptr, nullptr);
    return wait_probe(argv[2], argv[3]);
  }
  gboolean quick = FALSE;
  int runs = 0;
  g_autofree char *output = nullptr;
  g_autofree char *only = nullptr;
  GOptionEntry entries[] = {
      {"only", 0, 0, G_OPTION_ARG_STRING, &only, "Run only these rows, e.g. 2,4", "ROWS"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Smoke mode: one run each, small clips", nullptr},
      {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure (5; 1 with --quick)", "N"},
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the report here", "FILE"},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
  };
  g_autoptr(GOptionContext) context = g_option_context_new("- soravideosrc benchmarks");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_option_context_add_group(context, gst_init_get_option_group());
  g_autoptr(GError) error = nullptr;
  if (!g_option_context_parse(context, &argc, &argv, &error)) {
    g_printerr("%s\n", error->message);
    return 2;
  }
  options.quick = quick;
  options.runs = runs > 0 ? runs : (quick ? 1 : 5);
  options.output = output ? output : "";
  if (only) {
    g_auto(GStrv) numbers = g_strsplit(only, ",", -1);
    for (int i = 0; numbers[i]; i++)
      options.only.push_back(atoi(numbers[i]));
  }
  g_autofree char *self = g_file_read_link("/proc/self/exe", nullptr);

  sora_test::TempDir scratch;
  shared.scratch = &scratch;
  EmulatorProcess big({"--queue-ms", "0", "--generation-ms", "100"});
  shared.big = &big;
  g_print("making the clips (%.0f MB and %.0f MB)\n", big_clip().megabytes(),
          medium_clip().megabytes());
  shared.medium_id = make_task(big, medium_clip(), "benchmark clip, medium");
  shared.big_id = make_task(big, big_clip(), "benchmark clip");
  shared.big_file = scratch.file("big.mp4");
  shared.medium_file = scratch.file("medium.mp4");
  curl_fetch(shared.big_id, shared.big_file);
  curl_fetch(shared.medium_id, shared.medium_file);
  GStatBuf st;
  if (g_stat(shared.big_file.c_str(), &st) == 0)
    shared.big_bytes = static_cast<guint64>(st.st_size);
  if (g_stat(shared.medium_file.c_str(), &st) == 0)
    shared.medium_bytes = static_cast<guint64>(st.st_size);
  /* The sizes the rows are about: the emulator's noise at a constant
   * bitrate must give them (within the audio and the container). */
  for (auto [bytes, clip] :
       {std::pair{shared.big_bytes, big_clip()}, std::pair{shared.medium_bytes, medium_clip()}}) {
    double expected = clip.megabytes() * 1e6;
    if (std::fabs(static_cast<double>(bytes) - expected) > 0.2 * expected)
      fail("the emulator made a " + std::to_string(bytes) + " byte clip for " +
           std::to_string(clip.seconds) + " s at " + std::to_string(clip.kbps) +
           " kbit/s; expected about " + fixed(expected, 0));
  }

  if (options.wants(1))
    row_download_throughput();
  if (options.wants(2))
    row_cached_serving();
  if (options.wants(3))
    row_peak_rss();
  if (options.wants(4))
    row_first_buffer();
  if (options.wants(5))
    row_many_sources();
  if (options.wants(6) || options.wants(7))
    rows_waiting(self);
  if (options.wants(8))
    row_first_frame_while_downloading();

  std::string text = report();
  if (!options.output.empty()) {
    if (!g_file_set_contents(options.output.c_str(), text.c_str(), -1, &error)) {
      g_printerr("%s\n", error->message);
      return 1;
    }
    g_print("\nwrote %s\n", options.output.c_str());
  }
  g_print("\n%s", text.c_str());
  return failures.empty() ? 0 : 1;
}
