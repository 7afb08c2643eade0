/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "emulator_process.h"

#include <libsoup/soup.h>

#include <glib.h>
#include <signal.h>
#include <sys/prctl.h>

namespace sora_test {

namespace {

constexpr guint kStartTimeoutMs = 20000;

struct LineRead {
  GMainLoop *loop;
  char *line = nullptr;
  GError *error = nullptr;
};

/* Reads one line from the emulator's stdout, giving up after a timeout so a
 * broken emulator fails the test instead of hanging it. */
std::string read_first_line(GInputStream *out) {
  g_autoptr(GMainContext) context = g_main_context_new();
  g_main_context_push_thread_default(context);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new(out);
  g_filter_input_stream_set_close_base_stream(G_FILTER_INPUT_STREAM(data), FALSE);
  g_autoptr(GMainLoop) loop = g_main_loop_new(context, FALSE);
  LineRead read{loop};
  g_data_input_stream_read_line_async(
      data, G_PRIORITY_DEFAULT, nullptr,
      [](GObject *source, GAsyncResult *result, gpointer user_data) {
        auto *r = static_cast<LineRead *>(user_data);
        r->line = g_data_input_stream_read_line_finish(G_DATA_INPUT_STREAM(source), result, nullptr,
                                                       &r->error);
        g_main_loop_quit(r->loop);
      },
      &read);
  GSource *timeout = g_timeout_source_new(kStartTimeoutMs);
  g_source_set_callback(
      timeout,
      [](gpointer l) -> gboolean {
        g_main_loop_quit(static_cast<GMainLoop *>(l));
        return G_SOURCE_REMOVE;
      },
      loop, nullptr);
  g_source_attach(timeout, context);
  g_main_loop_run(loop);
  g_source_destroy(timeout);
  g_source_unref(timeout);
  g_main_context_pop_thread_default(context);
  if (read.error)
    g_error("reading the emulator's URL failed: %s", read.error->message);
  if (!read.line)
    g_error("the emulator printed no URL within %u ms", kStartTimeoutMs);
  std::string line = read.line;
  g_free(read.line);
  return line;
}

std::string member_text(JsonObject *obj, const char *name) {
  if (!obj || !json_object_has_member(obj, name))
    return "";
  JsonNode *node = json_object_get_member(obj, name);
  if (!JSON_NODE_HOLDS_VALUE(node))
    return "";
  if (json_node_get_value_type(node) == G_TYPE_STRING)
    return json_node_get_string(node);
  if (json_node_get_value_type(node) == G_TYPE_INT64)
    return std::to_string(json_node_get_int(node));
  return "";
}

}  // namespace

EmulatorProcess::EmulatorProcess(std::vector<std::string> options) {
  const char *binary = g_getenv("SORA_EMULATOR");
  if (!binary)
    g_error("SORA_EMULATOR is not set: run the tests through meson test");
  std::vector<std::string> args = {binary,   "--port",          "0",   "--api-key",
                                   kTestKey, "--queue-ms",      "100", "--generation-ms",
                                   "300",    "--poll-after-ms", "100"};
  args.insert(args.end(), options.begin(), options.end());
  std::vector<const char *> argv;
  for (const auto &a : args)
    argv.push_back(a.c_str());
  argv.push_back(nullptr);

  g_autoptr(GError) error = nullptr;
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A test that dies must not leave its emulator behind, holding the
   * stderr that meson waits on. */
  g_subprocess_launcher_set_child_setup(
      launcher, [](gpointer) { prctl(PR_SET_PDEATHSIG, SIGKILL); }, nullptr, nullptr);
  process_ = g_subprocess_launcher_spawnv(launcher, argv.data(), &error);
  if (!process_)
    g_error("cannot start %s: %s", binary, error->message);
  std::string line = read_first_line(g_subprocess_get_stdout_pipe(process_));
  const std::string prefix = "SORA_EMULATOR_URL=";
  if (line.rfind(prefix, 0) != 0)
    g_error("unexpected first line from the emulator: %s", line.c_str());
  base_url_ = line.substr(prefix.size());
  root_url_ = base_url_.substr(0, base_url_.rfind("/v1"));
}

EmulatorProcess::~EmulatorProcess() {
  if (process_) {
    g_subprocess_send_signal(process_, SIGTERM);
    g_subprocess_wait(process_, nullptr, nullptr);
    g_object_unref(process_);
  }
  if (last_requests_)
    g_object_unref(last_requests_);
}

std::string EmulatorProcess::control_url(const char *path) const {
  return root_url_ + "/_emulator/" + path;
}

std::string EmulatorProcess::http(const char *method, const std::string &url, unsigned *status,
                                  const std::string &api_key) {
  g_autoptr(SoupSession) session = soup_session_new();
  g_autoptr(SoupMessage) msg = soup_message_new(method, url.c_str());
  if (!api_key.empty()) {
    std::string auth = "Bearer " + api_key;
    soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization",
                                 auth.c_str());
  }
  g_autoptr(GError) error = nullptr;
  g_autoptr(GBytes) body = soup_session_send_and_read(session, msg, nullptr, &error);
  if (!body)
    g_error("%s %s failed: %s", method, url.c_str(), error->message);
  if (status)
    *status = soup_message_get_status(msg);
  gsize size = 0;
  const char *data = static_cast<const char *>(g_bytes_get_data(body, &size));
  return std::string(data ? data : "", size);
}

void EmulatorProcess::configure(const std::string &json) {
  g_autoptr(SoupSession) session = soup_session_new();
  g_autoptr(SoupMessage) msg = soup_message_new("POST", control_url("config").c_str());
  g_autoptr(GBytes) bytes = g_bytes_new(json.data(), json.size());
  soup_message_set_request_body_from_bytes(msg, "application/json", bytes);
  g_autoptr(GError) error = nullptr;
  g_autoptr(GBytes) body = soup_session_send_and_read(session, msg, nullptr, &error);
  if (!body || soup_message_get_status(msg) != SOUP_STATUS_OK)
    g_error("configuring the emulator with %s failed", json.c_str());
}

std::string SeenRequest::field(const char *name, const char *member) const {
  JsonArray *fields = record && json_object_has_member(record, "fields")
                          ? json_object_get_array_member(record, "fields")
                          : nullptr;
  for (guint i = 0; fields && i < json_array_get_length(fields); i++) {
    JsonObject *f = json_array_get_object_element(fields, i);
    if (g_strcmp0(json_object_get_string_member(f, "name"), name) != 0)
      continue;
    JsonNode *node = json_object_get_member(f, member);
    if (!node)
      return "<absent>";
    if (JSON_NODE_HOLDS_NULL(node))
      return "";
    if (json_node_get_value_type(node) == G_TYPE_INT64)
      return std::to_string(json_node_get_int(node));
    return json_node_get_string(node);
  }
  return "<absent>";
}

std::vector<SeenRequest> EmulatorProcess::requests() {
  unsigned status = 0;
  std::string text = http("GET", control_url("requests"), &status, "");
  g_assert_cmpuint(status, ==, 200);
  if (last_requests_)
    g_object_unref(last_requests_);
  last_requests_ = json_parser_new();
  g_autoptr(GError) error = nullptr;
  if (!json_parser_load_from_data(last_requests_, text.data(), static_cast<gssize>(text.size()),
                                  &error))
    g_error("the request log is not JSON: %s", error->message);
  JsonArray *array = json_node_get_array(json_parser_get_root(last_requests_));
  std::vector<SeenRequest> seen;
  for (guint i = 0; i < json_array_get_length(array); i++) {
    JsonObject *record = json_array_get_object_element(array, i);
    SeenRequest r;
    r.method = member_text(record, "method");
    r.path = member_text(record, "path");
    r.content_type = member_text(record, "content_type");
    r.body_kind = member_text(record, "body_kind");
    JsonObject *headers = json_object_get_object_member(record, "headers");
    r.authorization = member_text(headers, "Authorization");
    if (r.authorization.empty())
      r.authorization = member_text(headers, "authorization");
    r.time_us = json_object_get_int_member_with_default(record, "time_us", 0);
    r.response_status = static_cast<unsigned>(
        json_object_get_int_member_with_default(record, "response_status", 0));
    r.record = record;
    seen.push_back(r);
  }
  return seen;
}

std::vector<SeenRequest> EmulatorProcess::requests(const std::string &method,
                                                   const std::string &path) {
  std::vector<SeenRequest> matching;
  for (const SeenRequest &r : requests()) {
    if (r.method == method && r.path == path)
      matching.push_back(r);
  }
  return matching;
}

void EmulatorProcess::for_each_task(const std::function<void(JsonObject *task)> &each) {
  unsigned status = 0;
  std::string text = http("GET", control_url("tasks"), &status, "");
  g_assert_cmpuint(status, ==, 200);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(
      json_parser_load_from_data(parser, text.data(), static_cast<gssize>(text.size()), nullptr));
  JsonArray *tasks = json_node_get_array(json_parser_get_root(parser));
  for (guint i = 0; i < json_array_get_length(tasks); i++)
    each(json_array_get_object_element(tasks, i));
}

size_t EmulatorProcess::task_count() {
  size_t count = 0;
  for_each_task([&count](JsonObject *) { count++; });
  return count;
}

std::string EmulatorProcess::rendered_clip(const std::string &video_id) {
  std::string path;
  for_each_task([&](JsonObject *task) {
    if (video_id == json_object_get_string_member(task, "id"))
      path = json_object_get_string_member(json_object_get_object_member(task, "files"), "video");
  });
  if (path.empty())
    g_error("the emulator has no task %s", video_id.c_str());
  return path;
}

unsigned free_port() {
  g_autoptr(GSocket) socket =
      g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, nullptr);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
  g_assert_true(g_socket_bind(socket, any, FALSE, nullptr));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address(socket, nullptr);
  return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

size_t EmulatorProcess::create_count() {
  return requests("POST", "/v1/videos").size();
}

void EmulatorProcess::clear_requests() {
  unsigned status = 0;
  http("DELETE", control_url("requests"), &status);
  if (status != SOUP_STATUS_NO_CONTENT)
    g_error("clearing the emulator's request log answered %u", status);
}

std::string EmulatorProcess::created_video_id(size_t index) {
  std::vector<SeenRequest> posts = requests("POST", "/v1/videos");
  if (index >= posts.size())
    g_error("the emulator saw %zu creates, not %zu", posts.size(), index + 1);
  return json_object_get_string_member(posts[index].record, "video_id");
}

}  // namespace sora_test
