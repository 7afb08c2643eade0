/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the element sends, and what it refuses to send: the validation
 * switch, storyboard prompts, gateway metadata, and reference images fitted
 * to the requested size. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <string>

using sora_test::EmulatorProcess;
using sora_test::generate;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;

namespace {

sora_test::TempDir *scratch;

/* The state change fails with a SETTINGS error about `property`, and no
 * request reaches the server. */
std::string refused_locally(EmulatorProcess &emulator, const std::string &extra,
                            const char *property) {
  size_t before = emulator.requests().size();
  PipelineRun run(sora_test::decode_pipeline(sora_test::element_props(emulator, extra)));
  g_assert_cmpint(gst_element_set_state(run.pipeline(), GST_STATE_PAUSED), ==,
                  GST_STATE_CHANGE_FAILURE);
  PipelineResult r;
  run.collect(r, 5);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_str_eq(gst_structure_get_string(r.error_details, "property"), property);
  g_assert_cmpuint(emulator.requests().size(), ==, before);
  return r.error_message;
}

/* A field of the last create request. */
std::string post_field(EmulatorProcess &emulator, const char *name, const char *member = "value") {
  return emulator.requests("POST", "/v1/videos").back().field(name, member);
}

void test_validate_switch() {
  EmulatorProcess emulator;
  /* Checked locally: nothing sent. */
  sora_assert_contains(refused_locally(emulator, "prompt=cat seconds=5", "seconds"),
                       "Set validate=false");
  /* validate=false sends it as written; this server refuses it, and its
   * own message comes back as a SETTINGS error. */
  PipelineResult r = generate(emulator, "prompt=cat seconds=5 validate=false");
  g_assert_true(r.error_domain == GST_RESOURCE_ERROR);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_contains(r.error_message, "Invalid value: '5'");
  sora_assert_str_eq(gst_structure_get_string(r.error_details, "error-code"), "invalid_value");
  sora_assert_str_eq(post_field(emulator, "seconds"), "5");
}

const char kStoryboard[] =
    "Shot 1:\nduration: 2sec\nScene: The plane takes off.\n\n"
    "Shot 2:\nduration: 2sec\nScene: The plane lands.";

void test_storyboard_prompts() {
  EmulatorProcess emulator;
  /* Shots that add up to seconds=4 go out as written. */
  std::string storyboard(kStoryboard);
  PipelineResult r = generate(emulator, "prompt=\"" + storyboard + "\" seconds=4");
  g_assert_true(r.eos);
  g_assert_cmpuint(r.video_frames, ==, 120);
  sora_assert_contains(post_field(emulator, "prompt"), "Shot 2:\nduration: 2sec");

  EmulatorProcess quiet;
  sora_assert_contains(refused_locally(quiet, "prompt=\"" + storyboard + "\" seconds=8", "prompt"),
                       "add up to 4 s (2 + 2) but seconds=8");
  sora_assert_contains(refused_locally(quiet,
                                       "prompt=\"Shot 1:\nduration: 2sec\nScene: a\n\n"
                                       "Shot 3:\nduration: 2sec\nScene: b\"",
                                       "prompt"),
                       "Shot 3 comes where Shot 2 should");
  sora_assert_contains(
      refused_locally(quiet, "prompt=\"Shot 1:\nduration: two\nScene: a\"", "prompt"),
      "'duration: two' is not a duration");
}

void test_metadata_property() {
  EmulatorProcess emulator({"--dialect", "newapi"});
  PipelineResult r =
      generate(emulator,
               "prompt=cat poll-interval=100 model=kling-v2-master "
               "metadata=\"{ \\\"watermark\\\": false, \\\"mode\\\": \\\"pro\\\" }\"");
  g_assert_true(r.eos);
  sora_assert_str_eq(post_field(emulator, "metadata"), R"({"watermark":false,"mode":"pro"})");
  JsonObject *post = emulator.requests("POST", "/v1/videos").back().record;
  JsonObject *parsed = json_object_get_object_member(post, "metadata");
  g_assert_false(json_object_get_boolean_member(parsed, "watermark"));

  EmulatorProcess quiet;
  sora_assert_contains(refused_locally(quiet, "prompt=cat metadata=\"[1, 2]\"", "metadata"),
                       "must be a JSON object");
  sora_assert_contains(refused_locally(quiet, "prompt=cat metadata=\"{watermark\"", "metadata"),
                       "not JSON");
}

/* An image of `width`x`height` in the given format, made with GStreamer. */
std::string make_image(const char *name, const char *encoder, int width, int height) {
  std::string path = scratch->file(name);
  PipelineRun run("videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=" +
                  std::to_string(width) + ",height=" + std::to_string(height) +
                  " ! videoconvert ! " + encoder + " ! filesink location=" + path);
  g_assert_true(run.play().eos);
  return path;
}

void test_reference_must_match() {
  EmulatorProcess emulator;
  std::string png = make_image("small.png", "pngenc", 640, 480);
  /* OpenAI refuses a reference of another size: the server's reason. */
  PipelineResult r = generate(emulator, "prompt=cat input-reference=" + png);
  g_assert_cmpint(r.error_code, ==, GST_RESOURCE_ERROR_SETTINGS);
  sora_assert_contains(r.error_message, "Inpaint image must match the requested width and height");

  /* reference-fit needs a size to fit to. */
  sora_assert_contains(
      refused_locally(emulator, "prompt=cat size=\"\" reference-fit=pad input-reference=" + png,
                      "reference-fit"),
      "not WIDTHxHEIGHT");
}

void assert_fitted(const char *fit, const char *file, const char *encoder, const char *mime) {
  EmulatorProcess emulator;
  std::string image = make_image(file, encoder, 640, 480);
  PipelineResult r = generate(emulator, std::string("prompt=cat size=720x1280 reference-fit=") +
                                            fit + " input-reference=" + image);
  if (r.has_error())
    g_error("%s: %s", fit, r.error_message.c_str());
  g_assert_cmpuint(r.video_frames, ==, 120);
  sora_assert_str_eq(post_field(emulator, "input_reference", "content_type"), mime);
  sora_assert_str_eq(post_field(emulator, "input_reference", "filename"), file);
  sora_assert_str_eq(post_field(emulator, "input_reference", "width"), "720");
  sora_assert_str_eq(post_field(emulator, "input_reference", "height"), "1280");
}

void test_reference_fit_scale() {
  assert_fitted("scale", "ref.png", "pngenc", "image/png");
}
void test_reference_fit_crop() {
  assert_fitted("crop", "ref.jpg", "jpegenc", "image/jpeg");
}
void test_reference_fit_pad() {
  assert_fitted("pad", "ref.webp", "webpenc", "image/webp");
}

void test_reference_already_fits() {
  EmulatorProcess emulator;
  std::string png = make_image("exact.png", "pngenc", 720, 1280);
  g_autofree char *contents = nullptr;
  gsize length = 0;
  g_assert_true(g_file_get_contents(png.c_str(), &contents, &length, nullptr));
  g_autofree char *sha256 = g_compute_checksum_for_data(
      G_CHECKSUM_SHA256, reinterpret_cast<const guchar *>(contents), length);
  PipelineResult r = generate(emulator, "prompt=cat reference-fit=crop input-reference=" + png);
  g_assert_true(r.eos);
  /* Sent untouched, byte for byte. */
  sora_assert_str_eq(post_field(emulator, "input_reference", "sha256"), sha256);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/requests/validate", test_validate_switch);
  g_test_add_func("/requests/storyboard", test_storyboard_prompts);
  g_test_add_func("/requests/metadata", test_metadata_property);
  g_test_add_func("/requests/reference/must-match", test_reference_must_match);
  g_test_add_func("/requests/reference/fit-scale-png", test_reference_fit_scale);
  g_test_add_func("/requests/reference/fit-crop-jpeg", test_reference_fit_crop);
  g_test_add_func("/requests/reference/fit-pad-webp", test_reference_fit_pad);
  g_test_add_func("/requests/reference/already-fits", test_reference_already_fits);
  return g_test_run();
}
