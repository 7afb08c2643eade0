/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One instance of each element, run again and again as players do: to the
 * end, stopped in the middle, failed, then played again; every run after the
 * first gives the whole output again. (gst_parse_launch's links to decodebin's
 * pads are made once, so the soravideosrc pipeline links them itself.) */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <string>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;

namespace {

sora_test::TempDir *scratch;

/* decodebin's pads, each run's anew, to the branch of their kind. */
void link_decoded(GstElement *decodebin, GstPad *pad, gpointer pipeline) {
  GstCaps *caps = gst_pad_get_current_caps(pad);
  const char *kind = gst_structure_get_name(gst_caps_get_structure(caps, 0));
  const char *branch = g_str_has_prefix(kind, "video/") ? "vq" : "aq";
  GstElement *queue = gst_bin_get_by_name(GST_BIN(pipeline), branch);
  GstPad *sink = gst_element_get_static_pad(queue, "sink");
  if (!gst_pad_is_linked(sink))
    g_assert_cmpint(gst_pad_link(pad, sink), ==, GST_PAD_LINK_OK);
  gst_object_unref(sink);
  gst_object_unref(queue);
  gst_caps_unref(caps);
  (void)decodebin;
}

/* soravideosrc decoded into vsink and asink, like decode_pipeline(), but
 * with links that are made again on every run. */
std::string video_pipeline(const EmulatorProcess &emulator) {
  return "soravideosrc name=src cache-mode=off " + sora_test::element_props(emulator) +
         " ! decodebin name=d "
         "queue name=vq ! videoconvert ! fakesink name=vsink sync=false "
         "queue name=aq ! audioconvert ! fakesink name=asink sync=false";
}

/* Plays until the first decoded frame has gone by, then stops: a run cut
 * in the middle of serving. */
void stop_after_first_frame(PipelineRun &run) {
  GstElement *sink = run.element("vsink");
  GstPad *pad = gst_element_get_static_pad(sink, "sink");
  GMutex lock;
  GCond cond;
  bool seen = false;
  struct Wait {
    GMutex *lock;
    GCond *cond;
    bool *seen;
  } wait{&lock, &cond, &seen};
  g_mutex_init(&lock);
  g_cond_init(&cond);
  gulong probe = gst_pad_add_probe(
      pad, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *, gpointer data) {
        auto *w = static_cast<Wait *>(data);
        g_mutex_lock(w->lock);
        *w->seen = true;
        g_cond_signal(w->cond);
        g_mutex_unlock(w->lock);
        return GST_PAD_PROBE_OK;
      },
      &wait, nullptr);
  gst_element_set_state(run.pipeline(), GST_STATE_PLAYING);
  gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
  g_mutex_lock(&lock);
  while (!seen && g_cond_wait_until(&cond, &lock, deadline)) {
  }
  g_mutex_unlock(&lock);
  g_assert_true(seen);
  gint64 asked = g_get_monotonic_time();
  g_assert_cmpint(gst_element_set_state(run.pipeline(), GST_STATE_NULL), ==,
                  GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint(g_get_monotonic_time() - asked, <, 2 * G_USEC_PER_SEC);
  gst_pad_remove_probe(pad, probe);
  gst_object_unref(pad);
  g_mutex_clear(&lock);
  g_cond_clear(&cond);
  /* What the stopped run left on the bus is not the next run's. */
  GstBus *bus = gst_element_get_bus(run.pipeline());
  gst_bus_set_flushing(bus, TRUE);
  gst_bus_set_flushing(bus, FALSE);
  gst_object_unref(bus);
}

void test_soravideosrc_again() {
  EmulatorProcess emulator({"--generation-ms", "200"});
  PipelineRun run(video_pipeline(emulator));
  g_signal_connect(run.element("d"), "pad-added", G_CALLBACK(link_decoded), run.pipeline());

  sora_test::assert_whole_clip(run.play()); /* to the end */
  sora_test::assert_whole_clip(run.play()); /* and again: the task replayed */
  g_assert_cmpuint(emulator.create_count(), ==, 1);

  stop_after_first_frame(run);
  sora_test::assert_whole_clip(run.play());

  /* A run that fails (a new request, refused), then the same instance
   * with a good request. */
  g_object_set(run.element("src"), "seconds", 5, nullptr);
  PipelineResult failed = run.play();
  g_assert_true(failed.has_error());
  sora_assert_contains(failed.error_message, "seconds");
  g_object_set(run.element("src"), "seconds", 4, nullptr);
  sora_test::assert_whole_clip(run.play());
  g_assert_cmpuint(emulator.create_count(), ==, 1);
}

/* A programme of two one-second shots, 30 frames each at the default 30 fps. */
constexpr guint kProgrammeFrames = 60;

void test_soraplaylistsrc_again() {
  EmulatorProcess emulator({"--generation-ms", "200"});
  emulator.configure(R"({"dialect": {"models": "any"}})");
  std::string playlist = scratch->write(
      "two.json",
      R"([{"prompt": "again one", "seconds": 1}, {"prompt": "again two", "seconds": 1}])");
  PipelineRun run("soraplaylistsrc name=p size=320x180 validate=false location=" + playlist +
                  " api-key=" + kTestKey + " base-url=" + emulator.base_url() +
                  " cache-dir=" + scratch->file("cache") +
                  " p.video ! queue ! fakesink name=vsink sync=false"
                  " p.audio ! queue ! fakesink name=asink sync=false");
  for (int i = 0; i < 2; i++) {
    PipelineResult r = run.play();
    g_assert_false(r.has_error());
    g_assert_true(r.eos);
    g_assert_cmpuint(r.video_frames, ==, kProgrammeFrames);
    g_assert_cmpuint(r.audio_duration, >=, 2 * GST_SECOND - 50 * GST_MSECOND);
  }
  stop_after_first_frame(run);
  PipelineResult again = run.play();
  g_assert_false(again.has_error());
  g_assert_cmpuint(again.video_frames, ==, kProgrammeFrames);
  /* Each shot generated once: the later runs were served from the cache. */
  g_assert_cmpuint(emulator.create_count(), ==, 2);
}

}  // namespace

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, nullptr);
  gst_init(&argc, &argv);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/reuse/soravideosrc", test_soravideosrc_again);
  g_test_add_func("/reuse/soraplaylistsrc", test_soraplaylistsrc_again);
  return g_test_run();
}
