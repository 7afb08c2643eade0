/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Another local user's cache directory (issue 18, findings 6 and 13). A
 * cache key is a hash of public inputs, so whoever can write in the cache
 * directory can plant what the user is served. The cache is used only in a
 * directory no one else can change; its own files are private, opened
 * without following links, and hold no password from the base URL. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <cstring>
#include <fcntl.h>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <pwd.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using sora_test::assert_whole_clip;
using sora_test::EmulatorProcess;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::TempDir;

namespace {

/* What a directory holds: name -> bytes (a link: "-> target"). */
std::map<std::string, std::string> contents(const std::string &dir) {
  std::map<std::string, std::string> found;
  g_autoptr(GDir) handle = g_dir_open(dir.c_str(), 0, nullptr);
  while (const char *name = handle ? g_dir_read_name(handle) : nullptr) {
    g_autofree char *path = g_build_filename(dir.c_str(), name, nullptr);
    if (g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
      g_autofree char *target = g_file_read_link(path, nullptr);
      found[name] = std::string("-> ") + (target ? target : "");
      continue;
    }
    g_autofree char *bytes = nullptr;
    gsize size = 0;
    found[name] = g_file_get_contents(path, &bytes, &size, nullptr) ? std::string(bytes, size) : "";
  }
  return found;
}

std::string read_file(const std::string &path) {
  g_autofree char *bytes = nullptr;
  gsize size = 0;
  g_assert_true(g_file_get_contents(path.c_str(), &bytes, &size, nullptr));
  return std::string(bytes, size);
}

void write_file(const std::string &path, const std::string &bytes) {
  g_assert_true(
      g_file_set_contents(path.c_str(), bytes.data(), static_cast<gssize>(bytes.size()), nullptr));
}

mode_t mode_of(const std::string &path) {
  struct stat st;
  g_assert_cmpint(lstat(path.c_str(), &st), ==, 0);
  return st.st_mode & 07777;
}

/* A user other than the one running the tests, or -1 (with the test
 * skipped) where this process cannot give files away. */
uid_t other_user() {
  const struct passwd *nobody = getpwnam("nobody");
  if (geteuid() != 0 || !nobody) {
    g_test_skip(
        "giving a directory to another user needs root and a user 'nobody' (CI runs "
        "the suite as root)");
    return static_cast<uid_t>(-1);
  }
  return nobody->pw_uid;
}

class SharedCacheTest {
 public:
  std::string props(const std::string &cache_dir, const std::string &extra = "") const {
    return sora_test::element_props(emulator,
                                    "cache-mode=reuse cache-dir=" + cache_dir + " " + extra);
  }

  PipelineResult run(const std::string &cache_dir, const std::string &extra = "") {
    PipelineRun pipeline(sora_test::decode_pipeline(props(cache_dir, extra)));
    PipelineResult r = pipeline.play();
    g_autofree char *id = nullptr;
    g_object_get(pipeline.element("src"), "video-id", &id, nullptr);
    last_video_id = id ? id : "";
    return r;
  }

  /* The key of the test's request, as the element computes it: a run in a
   * private directory stores exactly one record, named by it. */
  std::string request_key() {
    TempDir own;
    assert_whole_clip(run(own.path()));
    for (const auto &[name, bytes] : contents(own.path())) {
      if (g_str_has_suffix(name.c_str(), ".json")) {
        std::string key = name.substr(0, name.size() - strlen(".json"));
        stored_record = bytes;
        stored_clip = read_file(own.file(key + ".mp4"));
        return key;
      }
    }
    g_error("the private run stored no record");
  }

  EmulatorProcess emulator;
  TempDir scratch;
  std::string last_video_id;
  std::string stored_record; /* the bytes request_key() found */
  std::string stored_clip;
};

/* The run was not served from, and did not touch, the directory: it paid
 * for its own generation, and the warning named the directory. */
void assert_not_used(SharedCacheTest &t, const PipelineResult &r, const std::string &dir,
                     const std::map<std::string, std::string> &planted, size_t creates_before) {
  assert_whole_clip(r);
  g_assert_cmpuint(t.emulator.create_count(), ==, creates_before + 1);
  g_assert_true(contents(dir) == planted);
  g_assert_cmpuint(r.warnings.size(), >=, 1);
  sora_assert_contains(r.warnings.front(), "The cache directory " + dir + " is not safe");
  bool told = false;
  for (const GstStructure *s : r.messages_named("sora-cache")) {
    g_assert_cmpstr(gst_structure_get_string(s, "event"), ==, "unusable");
    g_assert_cmpstr(gst_structure_get_string(s, "cache-dir"), ==, dir.c_str());
    told = true;
  }
  g_assert_true(told);
}

/* A clip and its record planted under the request's key, in a directory
 * that is not safe: never served. */
void check_planted_clip_not_served(const std::string &what,
                                   const std::function<void(const std::string &)> &make_unsafe) {
  SharedCacheTest t;
  std::string key = t.request_key();
  std::string dir = t.scratch.file("shared");
  g_assert_cmpint(mkdir(dir.c_str(), 0700), ==, 0);
  write_file(dir + "/" + key + ".json", t.stored_record);
  write_file(dir + "/" + key + ".mp4", t.stored_clip);
  make_unsafe(dir);
  auto planted = contents(dir);
  size_t creates = t.emulator.create_count();
  PipelineResult r = t.run(dir);
  g_test_message("%s", r.warnings.empty() ? "no warning" : r.warnings.front().c_str());
  assert_not_used(t, r, dir, planted, creates);
  sora_assert_contains(r.warnings.front(), what);
}

void test_other_owner_not_used() {
  uid_t other = other_user();
  if (other == static_cast<uid_t>(-1))
    return;
  check_planted_clip_not_served(
      "owned by uid " + std::to_string(other), [other](const std::string &dir) {
        for (const auto &[name, bytes] : contents(dir))
          g_assert_cmpint(lchown((dir + "/" + name).c_str(), other, other), ==, 0);
        g_assert_cmpint(chown(dir.c_str(), other, other), ==, 0);
        g_assert_cmpint(chmod(dir.c_str(), 0755), ==, 0);
      });
}

void test_world_writable_not_used() {
  check_planted_clip_not_served("(mode 0777)", [](const std::string &dir) {
    g_assert_cmpint(chmod(dir.c_str(), 0777), ==, 0);
  });
}

/* /tmp's mode: others cannot remove what is there, but can add to it. */
void test_sticky_not_used() {
  check_planted_clip_not_served("(mode 1777)", [](const std::string &dir) {
    g_assert_cmpint(chmod(dir.c_str(), 01777), ==, 0);
  });
}

/* A directory above the cache that others may change: the cache could be
 * swapped for theirs. */
void test_unsafe_parent_not_used() {
  check_planted_clip_not_served("writable by others and not sticky", [](const std::string &dir) {
    g_assert_cmpint(chmod(dir.c_str(), 0700), ==, 0);
    g_autofree char *parent = g_path_get_dirname(dir.c_str());
    g_assert_cmpint(chmod(parent, 0777), ==, 0);
  });
}

/* A record that names another user's task, and a record nested too deep
 * to parse, in a directory owned by another user: the run neither attaches
 * to that task nor changes anything there. */
void test_planted_records_change_nothing() {
  uid_t other = other_user();
  if (other == static_cast<uid_t>(-1))
    return;
  SharedCacheTest t;
  std::string key = t.request_key();
  /* The attacker's own task, on the same server. */
  assert_whole_clip(sora_test::generate(t.emulator, "prompt=\"something else\" cache-mode=off"));
  std::string foreign = t.emulator.created_video_id(t.emulator.create_count() - 1);
  std::string dir = t.scratch.file("shared");
  g_assert_cmpint(mkdir(dir.c_str(), 0755), ==, 0);
  write_file(dir + "/" + key + ".json",
             "{\"key\": \"" + key + "\", \"variant\": \"video\", \"video_id\": \"" + foreign +
                 "\", \"base_url\": \"" + t.emulator.base_url() + "\", \"state\": \"created\"}");
  write_file(dir + "/" + std::string(64, '0') + ".json",
             std::string(100000, '[') + std::string(100000, ']'));
  for (const auto &[name, bytes] : contents(dir))
    g_assert_cmpint(lchown((dir + "/" + name).c_str(), other, other), ==, 0);
  g_assert_cmpint(chown(dir.c_str(), other, other), ==, 0);
  auto planted = contents(dir);
  t.emulator.clear_requests();
  size_t creates = t.emulator.create_count();
  PipelineResult r = t.run(dir, "cache-max-size=1");
  assert_not_used(t, r, dir, planted, creates);
  g_assert_cmpstr(t.last_video_id.c_str(), !=, foreign.c_str());
  g_assert_cmpuint(t.emulator.requests("GET", "/v1/videos/" + foreign).size(), ==, 0);
}

/* Even in a safe directory a link at KEY.lock is not followed: the file it
 * points at is not created. */
void test_lock_link_not_followed() {
  SharedCacheTest t;
  std::string key = t.request_key();
  TempDir cache, elsewhere;
  std::string target = elsewhere.file("created-through-the-lock");
  g_assert_cmpint(symlink(target.c_str(), cache.file(key + ".lock").c_str()), ==, 0);
  size_t creates = t.emulator.create_count();
  PipelineResult r = t.run(cache.path());
  assert_whole_clip(r);
  g_assert_false(g_file_test(target.c_str(), G_FILE_TEST_EXISTS));
  g_assert_cmpuint(t.emulator.create_count(), ==, creates + 1);
  g_assert_cmpuint(r.warnings.size(), >=, 1);
  sora_assert_contains(r.warnings.front(), key + ".lock");
  sora_assert_contains(r.warnings.front(), cache.path());
}

/* What the cache makes is its owner's alone: directories 0700, files 0600;
 * a directory an earlier version made 0755 is closed on first use. */
void test_private_modes() {
  SharedCacheTest t;
  std::string parent = t.scratch.file("new");
  std::string dir = parent + "/cache";
  assert_whole_clip(t.run(dir));
  g_assert_cmpuint(mode_of(parent), ==, 0700);
  g_assert_cmpuint(mode_of(dir), ==, 0700);
  auto made = contents(dir);
  /* KEY.json, KEY.mp4, KEY.lock, and the spend ledger: ledger-DAY.jsonl, ledger.lock */
  g_assert_cmpuint(made.size(), ==, 5);
  for (const auto &[name, bytes] : made) {
    g_test_message("%s", name.c_str());
    g_assert_cmpuint(mode_of(dir + "/" + name), ==, 0600);
  }

  std::string old = t.scratch.file("old");
  g_assert_cmpint(mkdir(old.c_str(), 0755), ==, 0);
  g_assert_cmpint(chmod(old.c_str(), 0755), ==, 0);
  assert_whole_clip(t.run(old, "prompt=\"an older cache\""));
  g_assert_cmpuint(mode_of(old), ==, 0700);
}

/* A link to a directory of the user's (a cache moved to another disk) is
 * followed: it is the directory itself that is checked. */
void test_link_to_own_directory() {
  SharedCacheTest t;
  TempDir moved;
  std::string link = t.scratch.file("cache-link");
  g_assert_cmpint(symlink(moved.path().c_str(), link.c_str()), ==, 0);
  PipelineResult first = t.run(link);
  assert_whole_clip(first);
  g_assert_true(first.warnings.empty());
  size_t creates = t.emulator.create_count();
  assert_whole_clip(t.run(link));
  g_assert_cmpuint(t.emulator.create_count(), ==, creates);
  g_assert_cmpuint(contents(moved.path()).size(), ==, 5); /* the entry's 3, the ledger's 2 */
}

std::mutex log_lock;
std::string debug_log;

void capture_debug(GstDebugCategory *category, GstDebugLevel, const gchar *, const gchar *, gint,
                   GObject *, GstDebugMessage *message, gpointer) {
  const char *text = gst_debug_message_get(message);
  std::lock_guard<std::mutex> guard(log_lock);
  debug_log += std::string(gst_debug_category_get_name(category)) + " " + (text ? text : "") + "\n";
}

/* The plugin's own debug output (every sora category at every level) while
 * `body` runs. */
std::string plugin_debug_log(const std::function<void()> &body) {
  debug_log.clear();
  gst_debug_add_log_function(capture_debug, nullptr, nullptr);
  gst_debug_set_threshold_from_string("sora*:9", FALSE);
  body();
  gst_debug_set_threshold_from_string("sora*:0", FALSE);
  gst_debug_remove_log_function(capture_debug);
  std::lock_guard<std::mutex> guard(log_lock);
  return debug_log;
}

void assert_no_password(const PipelineResult &r, const std::string &log,
                        const std::string &password) {
  sora_assert_contains(log, "http://127.0.0.1:"); /* the URLs are logged, without it */
  g_assert_true(log.find(password) == std::string::npos);
  for (const auto *list : {&r.element_messages, &r.progress_messages}) {
    for (const GstStructure *s : *list) {
      g_autofree char *text = gst_structure_to_string(s);
      g_assert_null(strstr(text, password.c_str()));
    }
  }
  g_assert_true(r.error_message.find(password) == std::string::npos);
  g_assert_true(r.error_debug.find(password) == std::string::npos);
}

/* A password in base-url reaches no file of the cache (finding 13), nor
 * the debug log, messages or errors, which applications keep in files. */
void test_no_password_on_disk() {
  SharedCacheTest t;
  const std::string password = "s3cret-pw-7fq2";
  std::string base = t.emulator.base_url();
  std::string with_password = "http://alice:" + password + "@" + base.substr(strlen("http://"));
  std::string dir = t.scratch.file("cache");
  std::optional<PipelineResult> r;
  std::string log = plugin_debug_log([&] { r.emplace(t.run(dir, "base-url=" + with_password)); });
  assert_whole_clip(*r);
  assert_no_password(*r, log, password);
  auto files = contents(dir);
  g_assert_cmpuint(files.size(), >=, 2);
  for (const auto &[name, bytes] : files) {
    g_assert_true(name.find(password) == std::string::npos);
    if (bytes.find(password) != std::string::npos)
      g_error("%s holds the password", name.c_str());
    if (g_str_has_suffix(name.c_str(), ".json"))
      sora_assert_contains(bytes, "\"" + base + "\"");
  }
  /* The same request without the password is the same entry. */
  size_t creates = t.emulator.create_count();
  assert_whole_clip(t.run(dir));
  g_assert_cmpuint(t.emulator.create_count(), ==, creates);

  /* A server that cannot be reached: its URL is in the error, not the
   * password. */
  r.reset();
  log = plugin_debug_log([&] {
    r.emplace(t.run(dir, "prompt=\"unreachable\" retries=0 base-url=http://alice:" + password +
                             "@127.0.0.1:9/v1"));
  });
  g_assert_true(r->has_error());
  sora_assert_contains(r->error_message, "127.0.0.1:9");
  assert_no_password(*r, log, password);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  g_test_add_func("/shared-cache/untrusted/other-owner", test_other_owner_not_used);
  g_test_add_func("/shared-cache/untrusted/world-writable", test_world_writable_not_used);
  g_test_add_func("/shared-cache/untrusted/sticky", test_sticky_not_used);
  g_test_add_func("/shared-cache/untrusted/unsafe-parent", test_unsafe_parent_not_used);
  g_test_add_func("/shared-cache/untrusted/planted-records", test_planted_records_change_nothing);
  g_test_add_func("/shared-cache/lock-link-not-followed", test_lock_link_not_followed);
  g_test_add_func("/shared-cache/private-modes", test_private_modes);
  g_test_add_func("/shared-cache/link-to-own-directory", test_link_to_own_directory);
  g_test_add_func("/shared-cache/no-password-on-disk", test_no_password_on_disk);
  return g_test_run();
}
