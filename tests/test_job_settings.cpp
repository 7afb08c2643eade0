/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* From soravideosrc's properties to a job, without a pipeline or a server:
 * the endpoint and key the environment gives, the problems that stop a run
 * before anything is sent (each naming its property), the task a run
 * attaches to, and the cache's keys. */
#include "job_settings.h"

#include "assertions.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <string>
#include <variant>

using namespace sora;

namespace {

sora_test::TempDir *scratch;

/* A request that can run: the emulator's defaults aside, everything a user
 * sets on a gst-launch line. */
SourceSettings runnable() {
  SourceSettings s;
  s.request.prompt = "A cat walking on the street";
  s.connection.base_url = "http://127.0.0.1:9/v1/";
  s.connection.api_key = "sk-test-0123456789";
  s.cache_dir = scratch->path() + "/cache";
  return s;
}

JobSettings job_of(const SourceSettings &s, const std::string &replay = "") {
  auto made = make_job_settings(s, replay);
  if (auto *problem = std::get_if<StartProblem>(&made))
    g_error("unexpected problem with %s: %s", problem->settings.property.c_str(),
            problem->settings.message.c_str());
  return std::get<JobSettings>(std::move(made));
}

StartProblem problem_of(const SourceSettings &s) {
  auto made = make_job_settings(s, "");
  g_assert_true(std::holds_alternative<StartProblem>(made));
  return std::get<StartProblem>(made);
}

void clear_env() {
  for (const char *name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENROUTER_API_KEY",
                           "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"})
    g_unsetenv(name);
}

void test_mapping() {
  clear_env();
  SourceSettings s = runnable();
  s.request.seconds = 8;
  s.request.size = "1280x720";
  s.poll_interval = 250;
  s.generation_timeout = 90;
  s.connection.timeout_s = 7;
  s.connection.retries = 2;
  s.location = scratch->path() + "/keep.mp4";
  JobSettings job = job_of(s);
  sora_assert_str_eq(job.connection.base_url, "http://127.0.0.1:9/v1");
  sora_assert_str_eq(job.connection.api_key, "sk-test-0123456789");
  sora_assert_contains(job.connection.user_agent, "gst-sora/");
  g_assert_cmpuint(job.connection.timeout_s, ==, 7);
  g_assert_cmpint(job.connection.retries, ==, 2);
  g_assert_cmpuint(job.request.seconds, ==, 8);
  sora_assert_str_eq(job.request.size, "1280x720");
  g_assert_cmpuint(job.poll_interval_ms, ==, 250);
  g_assert_cmpuint(job.generation_timeout_s, ==, 90);
  sora_assert_str_eq(job.variant, "video");
  g_assert_true(job.video_id.empty());
  /* The cache: the video's entry is its task's; location gets a copy. */
  g_assert_true(job.cache.mode == CacheMode::kReuse);
  sora_assert_str_eq(job.cache.dir, scratch->path() + "/cache");
  g_assert_false(job.cache.key.empty());
  sora_assert_str_eq(job.cache.key, job.cache.task_key);
  sora_assert_str_eq(job.copy_to, s.location);
  /* A still has an entry of its own, its task the video's. */
  s.variant = 1;
  JobSettings still = job_of(s);
  sora_assert_str_eq(still.variant, "thumbnail");
  sora_assert_str_eq(still.cache.task_key, job.cache.task_key);
  g_assert_true(still.cache.key != job.cache.task_key);
}

void test_problems() {
  clear_env();
  SourceSettings none = runnable();
  none.connection.base_url.clear();
  StartProblem closed = problem_of(none);
  sora_assert_str_eq(closed.settings.property, "base-url");
  sora_assert_contains(closed.settings.message, "2026-09-24");

  SourceSettings ftp = runnable();
  ftp.connection.base_url = "ftp://example.com/v1";
  sora_assert_str_eq(problem_of(ftp).settings.property, "base-url");

  SourceSettings keyless = runnable();
  keyless.connection.api_key.clear();
  StartProblem key = problem_of(keyless);
  g_assert_true(key.missing_key);
  sora_assert_contains(key.settings.message, "OPENAI_API_KEY");
  keyless.connection.gateway = Gateway::kOpenRouter;
  sora_assert_contains(problem_of(keyless).settings.message, "OPENROUTER_API_KEY");

  SourceSettings silent = runnable();
  silent.request.prompt = " ";
  sora_assert_str_eq(problem_of(silent).settings.property, "prompt");

  SourceSettings odd = runnable();
  odd.request.seconds = 5;
  StartProblem seconds = problem_of(odd);
  sora_assert_str_eq(seconds.settings.property, "seconds");
  g_assert_false(seconds.missing_key);

  SourceSettings missing = runnable();
  missing.request.input_reference = scratch->path() + "/no-such.png";
  sora_assert_str_eq(problem_of(missing).settings.property, "input-reference");

  SourceSettings unfit = runnable();
  g_assert_true(g_file_set_contents((scratch->path() + "/ref.png").c_str(),
                                    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, nullptr));
  unfit.request.input_reference = scratch->path() + "/ref.png";
  unfit.request.size = "";
  unfit.reference_fit = GST_SORA_REFERENCE_FIT_CROP;
  sora_assert_str_eq(problem_of(unfit).settings.property, "reference-fit");

  SourceSettings litellm = runnable();
  litellm.connection.gateway = Gateway::kLiteLlm;
  litellm.variant = 2;
  sora_assert_str_eq(problem_of(litellm).settings.property, "variant");

  SourceSettings remix = runnable();
  remix.connection.gateway = Gateway::kOpenRouter;
  remix.request.remix_of = "video_1";
  sora_assert_str_eq(problem_of(remix).settings.property, "remix-of");
}

/* The task a run attaches to: the user's id always; a learned one only with
 * the cache off (with it on, the journal does that). */
void test_attach() {
  clear_env();
  SourceSettings s = runnable();
  g_assert_true(job_of(s, "video_learned").video_id.empty());
  s.cache_mode = CacheMode::kOff;
  JobSettings replay = job_of(s, "video_learned");
  sora_assert_str_eq(replay.video_id, "video_learned");
  g_assert_true(replay.cache.key.empty());
  s.video_id = "video_user";
  sora_assert_str_eq(job_of(s, "video_learned").video_id, "video_user");
  /* Attaching needs no prompt: the request's checks are skipped. */
  s.request.prompt.clear();
  sora_assert_str_eq(job_of(s).video_id, "video_user");
}

/* The environment, as each gateway's users set it. */
void test_environment() {
  clear_env();
  g_setenv("OPENROUTER_API_KEY", "sk-or-env", TRUE);
  SourceSettings s = runnable();
  s.connection.base_url.clear();
  s.connection.api_key.clear();
  s.connection.gateway = Gateway::kOpenRouter;
  JobSettings job = job_of(s);
  sora_assert_str_eq(job.connection.base_url, "https://openrouter.ai/api/v1");
  sora_assert_str_eq(job.connection.api_key, "sk-or-env");
  g_assert_true(job.connection.gateway == Gateway::kOpenRouter);
  clear_env();
  g_setenv("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com", TRUE);
  g_setenv("AZURE_OPENAI_API_KEY", "azure-env", TRUE);
  s.connection.gateway = Gateway::kAuto;
  JobSettings azure = job_of(s);
  sora_assert_str_eq(azure.connection.base_url, "https://res.openai.azure.com/openai/v1");
  g_assert_true(azure.connection.gateway == Gateway::kAzure);
  /* OPENAI_API_KEY alone is not OpenRouter's key: the run refuses to start
   * (nothing sent) and says why the variable was not used. */
  clear_env();
  g_setenv("OPENAI_API_KEY", "sk-openai-env", TRUE);
  s.connection.gateway = Gateway::kOpenRouter;
  StartProblem withheld = problem_of(s);
  g_assert_true(withheld.missing_key);
  sora_assert_contains(withheld.settings.message,
                       "set the api-key property or the "
                       "OPENROUTER_API_KEY environment variable");
  sora_assert_contains(withheld.settings.message,
                       "OPENAI_API_KEY is set but is not sent to https://openrouter.ai/api/v1");
  g_assert_null(strstr(withheld.settings.message.c_str(), "sk-openai-env"));
  clear_env();
}

/* What makes another task: the request and the server, not how it is
 * fetched or waited for. */
void test_request_signature() {
  SourceSettings s = runnable();
  const std::string base = request_signature(s);
  SourceSettings same = s;
  same.poll_interval = 1;
  same.connection.timeout_s = 1;
  same.connection.api_key = "another key";
  same.variant = 1;
  same.cache_mode = CacheMode::kOff;
  same.location = "/tmp/x.mp4";
  sora_assert_str_eq(request_signature(same), base);
  auto differs = [&base](SourceSettings changed) {
    g_assert_true(request_signature(changed) != base);
  };
  SourceSettings t = s;
  t.request.prompt += "!";
  differs(t);
  t = s;
  t.request.seconds = 8;
  differs(t);
  t = s;
  t.request.size = "1280x720";
  differs(t);
  t = s;
  t.request.model = "sora-2-pro";
  differs(t);
  t = s;
  t.request.metadata = "{}";
  differs(t);
  t = s;
  t.connection.base_url = "http://other/v1";
  differs(t);
  t = s;
  t.connection.gateway = Gateway::kNewApi;
  differs(t);
  t = s;
  t.reference_fit = GST_SORA_REFERENCE_FIT_PAD;
  differs(t);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/job-settings/mapping", test_mapping);
  g_test_add_func("/job-settings/problems", test_problems);
  g_test_add_func("/job-settings/attach", test_attach);
  g_test_add_func("/job-settings/environment", test_environment);
  g_test_add_func("/job-settings/request-signature", test_request_signature);
  return g_test_run();
}
