/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GStreamer's own discipline for every element of a plugin: the state-change
 * sequences of gst-plugins-base's tests/check/generic/states.c, under
 * libgstcheck, which fails a test on any GLib warning or critical. Each
 * factory of the plugin runs them bare (no prompt: a start that fails) and
 * configured against a private emulator (a real run, stopped at whatever
 * phase the sequence reaches it): alone, inside a pipeline, and in a pipeline
 * that waits for each change (prerolled, played to the end, then run again). */
#include "emulator_process.h"
#include "generation.h"
#include "temp_dir.h"

#include <gst/check/gstcheck.h>

#include <string>
#include <vector>

using sora_test::EmulatorProcess;

namespace {

EmulatorProcess *emulator;
sora_test::TempDir *scratch;

const GstState kUpAndDown[] = {GST_STATE_READY,  GST_STATE_PAUSED, GST_STATE_PLAYING,
                               GST_STATE_PAUSED, GST_STATE_READY,  GST_STATE_NULL,
                               GST_STATE_PAUSED, GST_STATE_READY,  GST_STATE_PLAYING,
                               GST_STATE_PAUSED, GST_STATE_NULL};
const GstState kUp[] = {GST_STATE_READY,   GST_STATE_PAUSED, GST_STATE_READY, GST_STATE_PAUSED,
                        GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY, GST_STATE_NULL};
const GstState kDown[] = {GST_STATE_READY,   GST_STATE_PAUSED, GST_STATE_PLAYING, GST_STATE_PAUSED,
                          GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY,   GST_STATE_PAUSED,
                          GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY,   GST_STATE_NULL};

std::vector<std::string> plugin_factories() {
  std::vector<std::string> names;
  GList *features = gst_registry_get_feature_list_by_plugin(gst_registry_get(), "sora");
  for (GList *l = features; l; l = l->next) {
    if (GST_IS_ELEMENT_FACTORY(l->data))
      names.push_back(gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(l->data)));
  }
  gst_plugin_feature_list_free(features);
  fail_unless(names.size() == 2, "the plugin has %zu element factories", names.size());
  return names;
}

/* The settings that make `factory` do real work against the emulator. All
 * share one cache, as runs of one request do: the sequences stop runs at
 * every phase, the create's included, and the next run must still work. */
std::string configured(const std::string &factory) {
  std::string connection = std::string("api-key=") + sora_test::kTestKey +
                           " base-url=" + emulator->base_url() +
                           " cache-dir=" + scratch->file("cache") + " validate=false ";
  if (factory == "soravideosrc")
    return factory + " prompt=\"states\" seconds=1 size=160x96 " + connection;
  std::string playlist = scratch->file("playlist.json");
  g_file_set_contents(
      playlist.c_str(),
      R"([{"prompt": "states one", "seconds": 1}, {"prompt": "states two", "seconds": 1}])", -1,
      nullptr);
  return factory + " size=160x96 location=" + playlist + " " + connection;
}

GstElement *make(const std::string &factory, bool configure) {
  if (!configure)
    return gst_element_factory_make(factory.c_str(), nullptr);
  GError *error = nullptr;
  GstElement *element = gst_parse_launch(configured(factory).c_str(), &error);
  fail_unless(element != nullptr, "%s: %s", factory.c_str(), error ? error->message : "?");
  return element;
}

enum class Mode {
  kAlone,    /* the element by itself, as states.c drives it */
  kPipeline, /* its pads linked to sinks, no change waited for */
  kWaited,   /* the same, each change waited for: prerolled, played to the end, run again */
};

/* Every source pad of `element` into a fakesink of its own in `pipeline`. */
void link_to_sinks(GstElement *pipeline, GstElement *element, bool async) {
  GstIterator *pads = gst_element_iterate_src_pads(element);
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(pads, &item) == GST_ITERATOR_OK) {
    auto *pad = GST_PAD(g_value_get_object(&item));
    GstElement *sink = gst_element_factory_make("fakesink", nullptr);
    g_object_set(sink, "async", async, nullptr);
    gst_bin_add(GST_BIN(pipeline), sink);
    GstPad *sink_pad = gst_element_get_static_pad(sink, "sink");
    fail_unless_equals_int(gst_pad_link(pad, sink_pad), GST_PAD_LINK_OK);
    gst_object_unref(sink_pad);
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(pads);
}

/* The text of the first error on `pipeline`'s bus, for a failure's message. */
std::string bus_error(GstElement *pipeline) {
  GstBus *bus = gst_element_get_bus(pipeline);
  GstMessage *message = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
  std::string text = "no error on the bus";
  if (message) {
    GError *error = nullptr;
    gst_message_parse_error(message, &error, nullptr);
    text = error->message;
    g_error_free(error);
    gst_message_unref(message);
  }
  gst_object_unref(bus);
  return text;
}

void run_sequence(const GstState *states, size_t count, bool configure, Mode mode) {
  for (const std::string &factory : plugin_factories()) {
    GST_INFO("%s: %zu state changes%s, mode %d", factory.c_str(), count,
             configure ? ", configured" : "", static_cast<int>(mode));
    GstElement *element = make(factory, configure);
    GstElement *top = element;
    if (mode != Mode::kAlone) {
      top = gst_pipeline_new(nullptr);
      gst_bin_add(GST_BIN(top), element);
      link_to_sinks(top, element, mode == Mode::kWaited);
    }
    for (size_t i = 0; i < count; i++) {
      GstStateChangeReturn ret = gst_element_set_state(top, states[i]);
      if (mode != Mode::kWaited)
        continue;
      fail_if(ret == GST_STATE_CHANGE_FAILURE, "%s: the change to %s failed: %s", factory.c_str(),
              gst_element_state_get_name(states[i]), bus_error(top).c_str());
      GstState reached = GST_STATE_VOID_PENDING;
      ret = gst_element_get_state(top, &reached, nullptr, 60 * GST_SECOND);
      fail_unless(ret == GST_STATE_CHANGE_SUCCESS || ret == GST_STATE_CHANGE_NO_PREROLL,
                  "%s: %s not reached (%s): %s", factory.c_str(), bus_error(top).c_str(),
                  gst_element_state_get_name(states[i]),
                  gst_element_state_change_return_get_name(ret));
      fail_unless_equals_int(reached, states[i]);
    }
    fail_unless_equals_int(gst_element_set_state(top, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    gst_object_unref(top);
  }
}

void setup() {
  scratch = new sora_test::TempDir();
  emulator = new EmulatorProcess({"--generation-ms", "300"});
  emulator->configure(R"({"dialect": {"models": "any"}})"); /* 1 s clips at 160x96 */
}

void teardown() {
  delete emulator;
  delete scratch;
}

}  // namespace

GST_START_TEST(test_up_and_down_bare) {
  run_sequence(kUpAndDown, G_N_ELEMENTS(kUpAndDown), false, Mode::kAlone);
}
GST_END_TEST

GST_START_TEST(test_up_bare) {
  run_sequence(kUp, G_N_ELEMENTS(kUp), false, Mode::kAlone);
}
GST_END_TEST

GST_START_TEST(test_down_bare) {
  run_sequence(kDown, G_N_ELEMENTS(kDown), false, Mode::kAlone);
}
GST_END_TEST

GST_START_TEST(test_up_and_down_configured) {
  run_sequence(kUpAndDown, G_N_ELEMENTS(kUpAndDown), true, Mode::kAlone);
  run_sequence(kUpAndDown, G_N_ELEMENTS(kUpAndDown), true, Mode::kPipeline);
  run_sequence(kUpAndDown, G_N_ELEMENTS(kUpAndDown), true, Mode::kWaited);
}
GST_END_TEST

GST_START_TEST(test_up_configured) {
  run_sequence(kUp, G_N_ELEMENTS(kUp), true, Mode::kAlone);
  run_sequence(kUp, G_N_ELEMENTS(kUp), true, Mode::kPipeline);
  run_sequence(kUp, G_N_ELEMENTS(kUp), true, Mode::kWaited);
}
GST_END_TEST

GST_START_TEST(test_down_configured) {
  run_sequence(kDown, G_N_ELEMENTS(kDown), true, Mode::kAlone);
  run_sequence(kDown, G_N_ELEMENTS(kDown), true, Mode::kPipeline);
  run_sequence(kDown, G_N_ELEMENTS(kDown), true, Mode::kWaited);
}
GST_END_TEST

static Suite *states_suite() {
  Suite *s = suite_create("states");
  TCase *bare = tcase_create("bare");
  tcase_add_test(bare, test_up_and_down_bare);
  tcase_add_test(bare, test_up_bare);
  tcase_add_test(bare, test_down_bare);
  suite_add_tcase(s, bare);
  TCase *live = tcase_create("configured");
  tcase_add_checked_fixture(live, setup, teardown);
  tcase_set_timeout(live, 120);
  tcase_add_test(live, test_up_and_down_configured);
  tcase_add_test(live, test_up_configured);
  tcase_add_test(live, test_down_configured);
  suite_add_tcase(s, live);
  return s;
}

/* GST_CHECK_MAIN's, with the results as TAP on stdout and nothing else there,
 * so that meson counts each case. */
int main(int argc, char **argv) {
  gst_check_init(&argc, &argv);
  SRunner *runner = srunner_create(states_suite());
  srunner_set_tap(runner, "-");
  srunner_run_all(runner, CK_SILENT);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? 1 : 0;
}
