/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A sora:// URI and a playlist come from anywhere (a web page, a shared
 * file, a thumbnailer walking a directory): they may ask for a clip, never
 * choose where the key goes, which files are read or written, or what the
 * cache keeps (issue 18, findings 1 to 4). Each attack is played the way a
 * user meets it: gst-discoverer-1.0 and gst-launch-1.0 as processes, playbin
 * in-process, with the key in the environment; what the emulators saw and
 * the files on disk are the proof. */
#include "assertions.h"
#include "emulator_process.h"
#include "generation.h"
#include "pipeline_run.h"
#include "process_run.h"
#include "temp_dir.h"

#include <gst/gst.h>

#include <sys/stat.h>

#include <map>
#include <string>

using sora_test::EmulatorProcess;
using sora_test::kTestKey;
using sora_test::PipelineResult;
using sora_test::PipelineRun;
using sora_test::play_with_playbin;
using sora_test::ProcessResult;
using sora_test::ProcessRun;
using sora_test::SourceSetup;
using sora_test::user_env;

namespace {

sora_test::TempDir *scratch;

/* A request every URI below carries, so that only the refused key differs. */
std::string request_uri(const char *prompt) {
  return "sora://generate?prompt=" + sora_test::uri_escaped(prompt) + "&seconds=4&size=1280x720";
}

/* The key and server as an application gives them, with `extra`. */
SourceSetup app_setup(const EmulatorProcess &emulator, const std::string &extra = "") {
  return {std::string("api-key=") + kTestKey + " base-url=" + emulator.base_url() + " " + extra,
          ""};
}

/* A file the user cares about: known bytes, mode 0600. */
struct PrivateFile {
  std::string path;
  std::string bytes;
};

PrivateFile private_file(const char *name) {
  PrivateFile file{scratch->file(name), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 user@host\n"};
  g_assert_true(g_file_set_contents(file.path.c_str(), file.bytes.c_str(), -1, nullptr));
  g_assert_cmpint(chmod(file.path.c_str(), 0600), ==, 0);
  return file;
}

void assert_unchanged(const PrivateFile &file) {
  g_autofree char *now = nullptr;
  gsize length = 0;
  g_assert_true(g_file_get_contents(file.path.c_str(), &now, &length, nullptr));
  sora_assert_str_eq(std::string(now, length), file.bytes);
  struct stat st {};
  g_assert_cmpint(stat(file.path.c_str(), &st), ==, 0);
  g_assert_cmpint(st.st_mode & 07777, ==, 0600);
}

/* Every file under `dir` with its bytes. */
void read_tree(const std::string &dir, std::map<std::string, std::string> &files) {
  g_autoptr(GDir) listing = g_dir_open(dir.c_str(), 0, nullptr);
  if (!listing)
    return;
  while (const char *name = g_dir_read_name(listing)) {
    std::string path = dir + "/" + name;
    if (g_file_test(path.c_str(), G_FILE_TEST_IS_DIR)) {
      read_tree(path, files);
      continue;
    }
    g_autofree char *bytes = nullptr;
    gsize length = 0;
    g_assert_true(g_file_get_contents(path.c_str(), &bytes, &length, nullptr));
    files[path] = std::string(bytes, length);
  }
}

std::map<std::string, std::string> tree(const std::string &dir) {
  std::map<std::string, std::string> files;
  read_tree(dir, files);
  return files;
}

/* A URI refused in playbin: an error that names `parameter` and says what
 * to do, and no request to `emulator`. (Callers check the damage first, so
 * that on a plugin that takes the URI the test shows what it did.) */
void assert_refused(const PipelineResult &r, const char *parameter, EmulatorProcess &emulator) {
  g_assert_false(r.timed_out);
  g_assert_true(r.has_error());
  g_test_message("%s: %s", parameter, r.error_message.c_str());
  sora_assert_contains(r.error_message,
                       std::string("'") + parameter + "' cannot be set by a sora URI");
  sora_assert_contains(r.error_message, "in code");
  g_assert_true(r.error_message.find(kTestKey) == std::string::npos);
  g_assert_cmpuint(emulator.requests().size(), ==, 0);
}

/* ---- finding 1: the key to another host ---- */

void test_base_url_discoverer() {
  EmulatorProcess own, other;
  std::string uri =
      request_uri("A red kite") + "&base-url=" + sora_test::uri_escaped(other.base_url());
  ProcessResult r =
      ProcessRun::run({sora_test::require_program("gst-discoverer-1.0"), "-t", "30", uri},
                      user_env(own, scratch->fresh_dir("discoverer-cache")));
  g_assert_true(r.exited);
  g_test_message("%s%s", r.out.c_str(), r.err.c_str());
  g_assert_cmpuint(other.requests().size(), ==, 0);
  g_assert_cmpuint(own.requests().size(), ==, 0);
  sora_assert_contains(r.out + r.err, "'base-url' cannot be set by a sora URI");
  g_assert_true((r.out + r.err).find(kTestKey) == std::string::npos);
}

void test_base_url_playbin() {
  EmulatorProcess own, other;
  /* The key and the server from the environment, as a player's user has them. */
  g_setenv("OPENAI_API_KEY", kTestKey, TRUE);
  g_setenv("OPENAI_BASE_URL", own.base_url().c_str(), TRUE);
  SourceSetup setup{"cache-mode=off", ""};
  PipelineResult r = play_with_playbin(
      request_uri("A red kite") + "&base-url=" + sora_test::uri_escaped(other.base_url()), setup,
      30);
  g_assert_cmpuint(other.requests().size(), ==, 0);
  g_assert_cmpuint(own.requests().size(), ==, 0);
  assert_refused(r, "base-url", other);
  g_setenv("OPENAI_API_KEY", "", TRUE);
  g_setenv("OPENAI_BASE_URL", "", TRUE);
}

/* ---- findings 2 and 3: files ---- */

void test_location() {
  EmulatorProcess emulator;
  PrivateFile keys = private_file("authorized_keys");
  SourceSetup setup = app_setup(emulator, "cache-mode=off");
  PipelineResult r = play_with_playbin(
      request_uri("A kite") + "&location=" + sora_test::uri_escaped(keys.path), setup, 30);
  assert_unchanged(keys);
  assert_refused(r, "location", emulator);
}

void test_input_reference() {
  EmulatorProcess emulator;
  std::string photo = scratch->file("photo.png");
  PipelineRun make(
      "videotestsrc num-buffers=1 ! video/x-raw,width=1280,height=720 ! pngenc ! "
      "filesink location=" +
      photo);
  g_assert_true(make.play().eos);
  SourceSetup setup = app_setup(emulator, "cache-mode=off");
  PipelineResult r = play_with_playbin(
      request_uri("A kite") + "&input-reference=" + sora_test::uri_escaped(photo), setup, 30);
  g_assert_cmpuint(emulator.create_count(), ==, 0);
  assert_refused(r, "input-reference", emulator);
}

/* ---- finding 4: the cache ---- */

void test_cache() {
  EmulatorProcess emulator;
  std::string cache = scratch->fresh_dir("cache");
  sora_test::assert_whole_clip(sora_test::generate(emulator, "cache-mode=reuse cache-dir=" + cache),
                               720, 1280);
  std::map<std::string, std::string> paid = tree(cache);
  bool has_clip = false;
  for (const auto &[path, bytes] : paid)
    has_clip = has_clip || g_str_has_suffix(path.c_str(), ".mp4");
  g_assert_true(has_clip);
  emulator.clear_requests();

  /* The application's cache, a URI that would shrink it to nothing. */
  SourceSetup in_cache = app_setup(emulator, "cache-dir=" + cache);
  PipelineResult shrink =
      play_with_playbin(request_uri("Another clip") + "&cache-max-size=1", in_cache, 30);
  g_assert_true(tree(cache) == paid);
  assert_refused(shrink, "cache-max-size", emulator);

  /* A URI that would make a cache of its own somewhere. */
  std::string planted = scratch->file("planted") + "/deep/cache";
  SourceSetup default_cache = app_setup(emulator);
  PipelineResult elsewhere = play_with_playbin(
      request_uri("Another clip") + "&cache-dir=" + sora_test::uri_escaped(planted), default_cache,
      30);
  g_assert_false(g_file_test(scratch->file("planted").c_str(), G_FILE_TEST_EXISTS));
  g_assert_true(tree(cache) == paid);
  assert_refused(elsewhere, "cache-dir", emulator);
}

/* ---- a playlist file ---- */

/* `playlist` through gst-launch-1.0, the key and the server in the
 * environment: refused before any request, naming the shot and the member. */
void assert_playlist_refused(const std::string &playlist, const char *shot, const char *member,
                             EmulatorProcess &own) {
  std::string path = scratch->write("programme.json", playlist);
  ProcessResult r =
      ProcessRun::run({sora_test::require_program("gst-launch-1.0"), "soraplaylistsrc", "name=p",
                       "location=" + path, "validate=false", "p.video", "!", "fakesink", "p.audio",
                       "!", "fakesink"},
                      user_env(own, scratch->fresh_dir("playlist-cache")));
  g_test_message("%s%s", r.out.c_str(), r.err.c_str());
  g_assert_true(r.exited);
  g_assert_cmpint(r.status, !=, 0);
  sora_assert_contains(r.out + r.err, shot);
  sora_assert_contains(r.out + r.err,
                       std::string("'") + member + "' cannot be set by a playlist shot");
  g_assert_true((r.out + r.err).find(kTestKey) == std::string::npos);
  g_assert_cmpuint(own.create_count(), ==, 0);
}

void test_playlist_base_url() {
  EmulatorProcess own, other;
  assert_playlist_refused(R"([{"prompt": "A harbour at dawn"},
                              {"prompt": "A boat", "base-url": ")" +
                              other.base_url() + R"("}])",
                          "Shot 2:", "base-url", own);
  g_assert_cmpuint(other.requests().size(), ==, 0);
}

void test_playlist_location() {
  EmulatorProcess own;
  PrivateFile keys = private_file("playlist_authorized_keys");
  assert_playlist_refused(R"([{"prompt": "A boat", "location": ")" + keys.path + R"("}])",
                          "Shot 1:", "location", own);
  assert_unchanged(keys);
}

/* The forms an application builds in code follow the same table: a shot
 * appended with a refused member is refused (a warning names it), and the
 * `shots` property with one fails the start, before any request. */
void test_playlist_code_forms() {
  EmulatorProcess own;
  GstElement *playlist = gst_element_factory_make("soraplaylistsrc", nullptr);
  g_autoptr(GstStructure) appended = gst_structure_new(
      "shot", "prompt", G_TYPE_STRING, "x", "cache-dir", G_TYPE_STRING, "/tmp/elsewhere", nullptr);
  gboolean accepted = TRUE;
  g_signal_emit_by_name(playlist, "append-shot", appended, &accepted);
  g_assert_false(accepted);
  gst_object_unref(playlist);

  PipelineRun run("soraplaylistsrc name=p api-key=" + std::string(kTestKey) + " base-url=" +
                  own.base_url() + " validate=false p.video ! fakesink p.audio ! " + "fakesink");
  g_auto(GValue) shots = G_VALUE_INIT;
  g_auto(GValue) shot = G_VALUE_INIT;
  gst_value_array_init(&shots, 1);
  g_value_init(&shot, GST_TYPE_STRUCTURE);
  g_value_take_boxed(&shot, gst_structure_new("shot", "prompt", G_TYPE_STRING, "x", "base-url",
                                              G_TYPE_STRING, "http://127.0.0.1:9/v1", nullptr));
  gst_value_array_append_value(&shots, &shot);
  g_object_set_property(G_OBJECT(run.element("p")), "shots", &shots);
  PipelineResult r = run.play(30);
  g_assert_true(r.has_error());
  sora_assert_contains(r.error_message,
                       "Shot 1: 'base-url' cannot be "
                       "set by a playlist shot");
  g_assert_cmpuint(own.requests().size(), ==, 0);
}

/* ---- what a URI may carry ---- */

/* Every writable property of soravideosrc is decided: a URI may set it (a
 * request field) or is refused with the reason; none is unknown to the
 * table. */
void test_every_property_decided() {
  GstElement *src = gst_element_factory_make("soravideosrc", nullptr);
  guint count = 0;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties(G_OBJECT_GET_CLASS(src), &count);
  for (guint i = 0; i < count; i++) {
    GParamSpec *pspec = pspecs[i];
    if (pspec->owner_type != G_OBJECT_TYPE(src) || !(pspec->flags & G_PARAM_WRITABLE))
      continue;
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, pspec->value_type);
    g_param_value_set_default(pspec, &value);
    g_autofree char *text =
        G_VALUE_HOLDS_STRING(&value) ? g_strdup("x") : gst_value_serialize(&value);
    std::string uri = "sora://generate?prompt=kept&" + std::string(pspec->name) + "=" +
                      sora_test::uri_escaped(text ? text : "");
    g_autoptr(GError) error = nullptr;
    if (gst_uri_handler_set_uri(GST_URI_HANDLER(src), uri.c_str(), &error))
      continue;
    g_assert_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);
    if (!strstr(error->message, "cannot be set by a sora URI"))
      g_error("soravideosrc's '%s' is not decided in gst/sora/request_fields.cpp: %s", pspec->name,
              error->message);
  }
  /* The message says which, why and what to do instead. */
  g_autoptr(GError) error = nullptr;
  g_assert_false(gst_uri_handler_set_uri(
      GST_URI_HANDLER(src), "sora://generate?prompt=x&base-url=http%3A%2F%2Fother%2Fv1", &error));
  sora_assert_contains(error->message,
                       "'base-url' cannot be set by a sora URI: it chooses the "
                       "server the API key is sent to");
  sora_assert_contains(error->message, "Set the base-url property in code");
  sora_assert_contains(error->message, "OPENAI_BASE_URL");
  /* GLib takes base_url for base-url; the table does not. */
  g_clear_error(&error);
  g_assert_false(gst_uri_handler_set_uri(
      GST_URI_HANDLER(src), "sora://generate?prompt=x&base_url=http%3A%2F%2Fother%2Fv1", &error));
  sora_assert_contains(error->message, "'base_url' is not a soravideosrc property a URI can set");
  g_autofree char *base_url = nullptr;
  g_object_get(src, "base-url", &base_url, nullptr);
  g_assert_null(base_url);
  gst_object_unref(src);
}

/* An allowed URI plays whole, every field asked of the server; get_uri gives
 * it back, and never what the application set besides. */
void test_allowed_uri() {
  EmulatorProcess emulator;
  std::string uri = "sora://generate?prompt=" + sora_test::uri_escaped("A kite over the dunes") +
                    "&model=sora-2-pro&seconds=4&size=1280x720&metadata=" +
                    sora_test::uri_escaped(R"({"seed":7})");
  SourceSetup setup = app_setup(emulator, "cache-mode=off");
  sora_test::assert_whole_clip(play_with_playbin(uri, setup), 1280, 720);
  g_assert_cmpuint(emulator.create_count(), ==, 1);
  sora_test::SeenRequest create = emulator.requests("POST", "/v1/videos")[0];
  sora_assert_str_eq(create.field("prompt"), "A kite over the dunes");
  sora_assert_str_eq(create.field("model"), "sora-2-pro");
  sora_assert_str_eq(create.field("seconds"), "4");
  sora_assert_str_eq(create.field("size"), "1280x720");
  sora_assert_contains(create.field("metadata"), "\"seed\"");

  g_autoptr(GError) error = nullptr;
  GstElement *src = gst_element_make_from_uri(GST_URI_SRC, uri.c_str(), nullptr, &error);
  g_assert_no_error(error);
  g_object_set(src, "base-url", "http://127.0.0.1:9/v1", "cache-dir", scratch->path().c_str(),
               "location", scratch->file("clip.mp4").c_str(), "cache-max-size",
               G_GUINT64_CONSTANT(5), "timeout", 7u, nullptr);
  g_autofree char *again = gst_uri_handler_get_uri(GST_URI_HANDLER(src));
  /* seconds=4 is the default, which get_uri leaves out. */
  std::string canonical = uri;
  canonical.erase(canonical.find("&seconds=4"), strlen("&seconds=4"));
  sora_assert_str_eq(std::string(again), canonical);
  GstElement *copy = gst_element_make_from_uri(GST_URI_SRC, again, nullptr, &error);
  g_assert_no_error(error);
  g_autofree char *copied = gst_uri_handler_get_uri(GST_URI_HANDLER(copy));
  sora_assert_str_eq(std::string(copied), canonical);
  gst_object_unref(copy);
  gst_object_unref(src);
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_test_init(&argc, &argv, nullptr);
  sora_test::TempDir dir;
  scratch = &dir;
  g_test_add_func("/untrusted/uri/base-url/discoverer", test_base_url_discoverer);
  g_test_add_func("/untrusted/uri/base-url/playbin", test_base_url_playbin);
  g_test_add_func("/untrusted/uri/location", test_location);
  g_test_add_func("/untrusted/uri/input-reference", test_input_reference);
  g_test_add_func("/untrusted/uri/cache", test_cache);
  g_test_add_func("/untrusted/playlist/base-url", test_playlist_base_url);
  g_test_add_func("/untrusted/playlist/location", test_playlist_location);
  g_test_add_func("/untrusted/playlist/code-forms", test_playlist_code_forms);
  g_test_add_func("/untrusted/uri/every-property-decided", test_every_property_decided);
  g_test_add_func("/untrusted/uri/allowed", test_allowed_uri);
  return g_test_run();
}
