/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What a hostile or broken server's clip may cost the user, bounded: a clip
 * announced at 20 GB (or sent without a size) is refused before more than
 * max-clip-size is written, naming the task and the limit, and the paid
 * task stays attachable; a clip announced at 10^15 bytes with its moov "at
 * the end" ends in an error, not a wait; a range fetched ahead of the
 * download that fails is an error, not a silent wait; what a killed run
 * left in the temporary directory is swept by the next run; a clip whose
 * moov holds absurd sample counts, served while it downloads, ends in an
 * error every time, never a hang. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::ProcessResult;
using sora_test::ProcessRun;

namespace {

sora_test::TempDir *scratch;

constexpr guint64 kLimit = 1024 * 1024; /* max-clip-size in the tests: 1 MiB */

std::vector<std::string> files_ending(const std::string &dir, const char *suffix) {
  std::vector<std::string> found;
  g_autoptr(GDir) handle = g_dir_open(dir.c_str(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    if (g_str_has_suffix(name, suffix))
      found.push_back(name);
  }
  return found;
}

/* gst-launch-1.0 `line` as a user runs it, but no file it writes may pass
 * kLimit (RLIMIT_FSIZE, SIGXFSZ ignored: a write past it fails with EFBIG,
 * which the error would then name instead of the limit). */
ProcessResult launch_within_limit(const std::string &line) {
  return ProcessRun::run({"/bin/bash", "-c",
                          "trap '' XFSZ; ulimit -f " + std::to_string(kLimit / 1024) +
                              "; exec gst-launch-1.0 " + line},
                         {}, 60);
}

/* The size limit: announced (refused before a byte is written) or not
 * (refused as the bytes would pass it). Either way the error names the
 * task and the limit, no partial file is left, and a run with the default
 * limit attaches to the paid task instead of paying again. */
void refused_at_limit(const std::string &huge_clip, const char *said) {
  EmulatorProcess emulator;
  emulator.configure(R"({"faults":[{"route":"content","times":-1,"action":"huge_clip",)" +
                     huge_clip + "}]}");
  std::string cache = scratch->path() + "/limit-" + std::to_string(g_random_int());
  std::string props =
      "cache-mode=reuse cache-dir=" + cache + " max-clip-size=" + std::to_string(kLimit);
  ProcessResult r = launch_within_limit("soravideosrc " +
                                        sora_test::element_props(emulator, props) + " ! fakesink");
  g_assert_false(r.timed_out);
  g_assert_true(r.exited);
  g_assert_cmpint(r.status, !=, 0);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.err + r.out, "The clip of " + id + " was not downloaded");
  sora_assert_contains(r.err + r.out, said);
  sora_assert_contains(r.err + r.out, "limit of " + std::to_string(kLimit) + " bytes");
  sora_assert_contains(r.err + r.out, "raise max-clip-size if it is meant to be that large");
  g_assert_true(files_ending(cache, ".part").empty());
  g_assert_true(files_ending(cache, ".mp4").empty());

  emulator.configure(R"({"faults":[]})");
  PipelineResult again = sora_test::generate(emulator, "cache-mode=reuse cache-dir=" + cache);
  sora_test::assert_whole_clip(again);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

void test_announced_huge() {
  refused_at_limit(R"("announced_bytes":20000000000)", "the server announced 20000000000 bytes");
}

void test_sent_huge_unannounced() {
  refused_at_limit(R"("sent_bytes":20000000000)", "the server sent more than");
}

/* sora-tasks download takes the same limit (--max-clip-size). */
void test_sora_tasks_limit() {
  EmulatorProcess emulator;
  sora_test::assert_whole_clip(sora_test::generate(emulator));
  std::string id = emulator.created_video_id();
  emulator.configure(
      R"({"faults":[{"route":"content","times":-1,"action":"huge_clip","announced_bytes":20000000000}]})");
  std::string output = scratch->path() + "/tasks-" + std::to_string(g_random_int()) + ".mp4";
  ProcessResult r = ProcessRun::run({g_getenv("SORA_TASKS"), "download", id, "-o", output,
                                     "--max-clip-size", std::to_string(kLimit)},
                                    sora_test::user_env(emulator), 60);
  g_assert_true(r.exited);
  g_assert_cmpint(r.status, ==, 1);
  sora_assert_contains(r.err, "limit of " + std::to_string(kLimit) + " bytes");
  g_assert_false(g_file_test(output.c_str(), G_FILE_TEST_EXISTS));
  g_assert_true(files_ending(scratch->path(), ".part").empty());
}

/* soraplaylistsrc forwards max-clip-size to each shot's source. */
void test_playlist_forwards_the_limit() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"dialect":{"models":"any"},"faults":[{"route":"content","times":-1,"action":"huge_clip","announced_bytes":20000000000}]})");
  std::string playlist =
      scratch->write("one-shot.json", R"([{"prompt": "A cat", "seconds": 1, "size": "320x180"}])");
  std::string line = "soraplaylistsrc name=p location=" + playlist +
                     " api-key=" + sora_test::kTestKey + " base-url=" + emulator.base_url() +
                     " validate=false cache-dir=" + scratch->path() + "/playlist-cache" +
                     " max-clip-size=" + std::to_string(kLimit) +
                     " p.video ! queue ! fakesink p.audio ! queue ! fakesink";
  ProcessResult r = launch_within_limit(line);
  g_assert_false(r.timed_out);
  g_assert_true(r.exited);
  g_assert_cmpint(r.status, !=, 0);
  sora_assert_contains(r.err + r.out, emulator.created_video_id());
  sora_assert_contains(r.err + r.out, "limit of " + std::to_string(kLimit) + " bytes");
}

/* 10^15 bytes announced, the mdat running to the moov at the very end: the
 * default limit refuses it, and so does the disk when the limit is lifted;
 * an error each time, never a demuxer waiting for the moov. */
void test_moov_at_end_of_a_petabyte() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"faults":[{"route":"content","times":-1,"action":"huge_clip","announced_bytes":1000000000000000}]})");
  std::string cache = scratch->path() + "/petabyte";
  PipelineResult r = sora_test::generate(emulator, "cache-mode=reuse cache-dir=" + cache, 30);
  g_assert_false(r.timed_out);
  g_assert_true(r.has_error());
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_NO_SPACE_LEFT);
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, id);
  sora_assert_contains(r.error_message, "limit of 4294967296 bytes");

  PipelineResult unlimited = sora_test::generate(
      emulator, "cache-mode=reuse cache-dir=" + cache + " max-clip-size=18446744073709551615", 30);
  g_assert_false(unlimited.timed_out);
  g_assert_true(unlimited.has_error());
  sora_assert_contains(unlimited.error_message, id);
  sora_assert_contains(unlimited.error_message, "bytes free");
  g_assert_true(files_ending(cache, ".part").empty());
}

/* 4 s of noise at 16 Mbit/s, its moov at the end: 8 MB, served at 2.5 MB/s
 * (as test_progressive: the render cache has it). */
std::vector<std::string> slow_clip_options() {
  return {"--clip-bitrate",  "16000", "--layout",        "moov-end", "--queue-ms", "0",
          "--generation-ms", "100",   "--poll-after-ms", "100"};
}

/* The moov at the end is fetched ahead with a Range request, which fails:
 * an error naming the task and the range at once, not a wait for the slow
 * download to get there. */
void test_range_fetch_fails() {
  EmulatorProcess emulator(slow_clip_options());
  emulator.configure(
      R"({"faults":[{"route":"content","times":1,"action":"throttle","bytes_per_second":500000},)"
      R"({"route":"content","times":-1,"action":"status","status":500}]})");
  PipelineResult r = sora_test::generate(emulator, "", 30);
  g_assert_false(r.timed_out);
  g_assert_false(r.eos);
  g_assert_true(r.has_error());
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, "Cannot serve the clip of " + id);
  sora_assert_contains(r.error_message, "ahead of the download failed: HTTP 500");
  sora_assert_str_eq(gst_structure_get_string(r.error_details, "video-id"), id);
}

/* The run directories in $TMPDIR (this test's own: see main()). */
std::vector<std::string> run_dirs() {
  std::vector<std::string> found;
  g_autoptr(GDir) handle = g_dir_open(g_get_tmp_dir(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    if (g_str_has_prefix(name, "gst-sora-run-"))
      found.push_back(name);
  }
  return found;
}

/* A run without location killed while it downloads leaves its directory
 * and partial clip in $TMPDIR; the next run sweeps them, and spares the
 * directory of a process still alive. */
void test_killed_run_swept() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"faults":[{"route":"content","times":1,"action":"throttle","bytes_per_second":20000}]})");
  ProcessRun doomed({"/bin/sh", "-c",
                     "exec gst-launch-1.0 soravideosrc " +
                         sora_test::element_props(emulator, "cache-mode=off") + " ! fakesink"},
                    {});
  doomed.start();
  std::string left;
  sora_test::wait_until("a partial clip in a run directory", [&left] {
    for (const std::string &dir : run_dirs()) {
      g_autofree char *path = g_build_filename(g_get_tmp_dir(), dir.c_str(), nullptr);
      if (!files_ending(path, ".part").empty()) {
        left = path;
        return true;
      }
    }
    return false;
  });
  doomed.send_signal(SIGKILL);
  g_assert_false(doomed.wait(10).exited);
  g_assert_true(g_file_test(left.c_str(), G_FILE_TEST_IS_DIR));

  /* A directory of this (live) process, as a run in progress has. */
  g_autofree char *alive = g_build_filename(
      g_get_tmp_dir(), ("gst-sora-run-" + std::to_string(getpid()) + "-alive0").c_str(), nullptr);
  g_assert_cmpint(g_mkdir(alive, 0700), ==, 0);

  PipelineResult r = sora_test::generate(emulator);
  sora_test::assert_whole_clip(r);
  g_assert_false(g_file_test(left.c_str(), G_FILE_TEST_EXISTS));
  g_assert_true(g_file_test(alive, G_FILE_TEST_IS_DIR));
  g_rmdir(alive);
  g_assert_true(run_dirs().empty());
}

/* The same with `location`: the part a killed run left beside it
 * (LOCATION.PID-XXXXXXXX.part) is removed by the next run that writes it,
 * and the part of a process still alive is left alone. */
void test_killed_location_part_swept() {
  EmulatorProcess emulator;
  emulator.configure(
      R"({"faults":[{"route":"content","times":1,"action":"throttle","bytes_per_second":20000}]})");
  std::string dir = scratch->path() + "/location";
  g_assert_cmpint(g_mkdir(dir.c_str(), 0700), ==, 0);
  std::string location = dir + "/clip.mp4";
  ProcessRun doomed({"/bin/sh", "-c",
                     "exec gst-launch-1.0 soravideosrc " +
                         sora_test::element_props(emulator, "cache-mode=off location=" + location) +
                         " ! fakesink"},
                    {});
  doomed.start();
  sora_test::wait_until("a partial clip beside location",
                        [&dir] { return !files_ending(dir, ".part").empty(); });
  doomed.send_signal(SIGKILL);
  g_assert_false(doomed.wait(10).exited);
  std::vector<std::string> left = files_ending(dir, ".part");
  g_assert_cmpuint(left.size(), ==, 1);
  std::string alive = "clip.mp4." + std::to_string(getpid()) + "-0000beef.part";
  g_assert_true(g_file_set_contents((dir + "/" + alive).c_str(), "a live run's part", -1, nullptr));

  PipelineResult r = sora_test::generate(emulator, "location=" + location);
  sora_test::assert_whole_clip(r);
  std::vector<std::string> after = files_ending(dir, ".part");
  g_assert_cmpuint(after.size(), ==, 1);
  sora_assert_str_eq(after[0], alive);
  g_assert_true(g_file_test(location.c_str(), G_FILE_TEST_IS_REGULAR));
}

/* A moov with absurd sample counts (2^30 in every stsz and stco), its
 * moov first, at full speed: qtdemux refuses it from its own thread as soon
 * as it has read the moov, which can be while decodebin is still bringing
 * it to PAUSED; decodebin then drops the error (1 run in 20 to 50 here, with
 * filesrc too) and the pipeline waited for ever. soravideosrc's own check of
 * the clip reports it: 50 runs, an error on the bus each time within a
 * bounded wait; a run that neither errors nor ends is a hang. */
void test_corrupt_moov_never_hangs() {
  EmulatorProcess emulator({"--layout", "moov-first", "--queue-ms", "0", "--generation-ms", "100",
                            "--poll-after-ms", "100"});
  emulator.configure(R"({"faults":[{"route":"content","times":-1,"action":"corrupt_moov"}]})");
  for (int i = 0; i < 50; i++) {
    PipelineResult r = sora_test::generate(emulator, "", 30);
    if (r.timed_out)
      g_error("run %d: no error and no end after 30 s (a hang)", i);
    g_assert_true(r.has_error());
    g_assert_false(r.eos);
  }
}

/* Without a demuxer to refuse it, the element itself does, naming the
 * task: the clip is never served whole as if it were good. */
void test_corrupt_moov_refused_by_the_source() {
  EmulatorProcess emulator({"--queue-ms", "0", "--generation-ms", "100", "--poll-after-ms", "100"});
  emulator.configure(R"({"faults":[{"route":"content","times":-1,"action":"corrupt_moov"}]})");
  PipelineRun run("soravideosrc " + sora_test::element_props(emulator, "cache-mode=off") +
                  " ! fakesink");
  PipelineResult r = run.play(30);
  g_assert_false(r.timed_out);
  g_assert_true(r.has_error());
  std::string id = emulator.created_video_id();
  sora_assert_contains(r.error_message, id);
  sora_assert_contains(r.error_message, "claims 1073741824 entries");
  sora_assert_contains(r.error_message, "a corrupt moov");
}

}  // namespace

int main(int argc, char **argv) {
  /* A private temporary directory for the runs' own (and the sweep's), set
   * before anything asks for it. */
  g_autofree char *tmp = g_strdup("/tmp/test-clip-bounds-XXXXXX");
  g_assert_nonnull(g_mkdtemp(tmp));
  g_setenv("TMPDIR", tmp, TRUE);
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  int status;
  {
    sora_test::TempDir dir;
    scratch = &dir;
    g_test_add_func("/clip-bounds/announced-huge", test_announced_huge);
    g_test_add_func("/clip-bounds/sent-huge-unannounced", test_sent_huge_unannounced);
    g_test_add_func("/clip-bounds/playlist-forwards-the-limit", test_playlist_forwards_the_limit);
    g_test_add_func("/clip-bounds/sora-tasks-limit", test_sora_tasks_limit);
    g_test_add_func("/clip-bounds/moov-at-end-of-a-petabyte", test_moov_at_end_of_a_petabyte);
    g_test_add_func("/clip-bounds/range-fetch-fails", test_range_fetch_fails);
    g_test_add_func("/clip-bounds/killed-run-swept", test_killed_run_swept);
    g_test_add_func("/clip-bounds/killed-location-part-swept", test_killed_location_part_swept);
    g_test_add_func("/clip-bounds/corrupt-moov-never-hangs", test_corrupt_moov_never_hangs);
    g_test_add_func("/clip-bounds/corrupt-moov-refused-by-the-source",
                    test_corrupt_moov_refused_by_the_source);
    status = g_test_run();
  }
  g_rmdir(tmp);
  return status;
}
