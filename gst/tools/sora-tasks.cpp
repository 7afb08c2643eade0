/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* sora-tasks: look after the video tasks on a server from the command line.
 *
 *   sora-tasks list [--limit N] [--after ID] [--order asc|desc] [--all]
 *   sora-tasks show ID
 *   sora-tasks download ID [--variant video|thumbnail|spritesheet] [-o FILE]
 *   sora-tasks delete ID
 *   sora-tasks resume ID
 *   sora-tasks models
 *   sora-tasks --gateway gemini|fal|replicate [--model MODEL] show|download|cancel ID
 *   sora-tasks --gateway replicate list
 *   sora-tasks --gateway fal|replicate models MODEL
 *   sora-tasks generate --prompt TEXT... [--playlist FILE] [--xges FILE] (generate/)
 *
 * It uses the element's own client (gst/sora/core): the same gateway
 * presets and environment variables (OPENAI_API_KEY, OPENAI_BASE_URL,
 * OPENROUTER_API_KEY, AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT), retries,
 * path-style detection, download checks and error texts. Whatever it prints
 * that a server sent goes through printable_text(): a hostile server's
 * control sequences show as escapes instead of driving the terminal. */
#include "sora_tasks_spend.h"

#include "core/gateway.h"
#include "core/path_style.h"
#include "core/printable_text.h"
#include "core/soup_runtime.h"
#include "core/task_client.h"
#include "core/task_id.h"
#include "core/variant.h"
#include "core/video_job.h"
#include "endpoint_problem.h"
#include "generate/generate_command.h"

#include <gst/gst.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

struct Options {
  gchar *base_url = nullptr;
  gchar *gateway = nullptr;
  gchar *path_style = nullptr;
  gint timeout = 60;
  gint retries = 5;
  gint limit = 20;
  gchar *after = nullptr;
  gchar *order = nullptr;
  gboolean all = FALSE;
  gchar *variant = nullptr;
  gchar *output = nullptr;
  gchar *model = nullptr;
  gint64 max_clip_size = static_cast<gint64>(sora::kDefaultMaxClipSize);
};

/* Messages quote the server (its error text, the task's id). */
int fail(const std::string &message) {
  g_printerr("sora-tasks: %s\n", sora::printable_text(message).c_str());
  return 1;
}

/* A server's text, or "-" when it sent none, for the tables. */
std::string shown(const std::string &text) {
  return text.empty() ? "-" : sora::printable_text(text);
}

std::string format_time(const std::optional<gint64> &unix_time) {
  if (!unix_time || *unix_time <= 0)
    return "-";
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local(*unix_time);
  g_autofree char *text = g_date_time_format(time, "%Y-%m-%d %H:%M");
  return text;
}

std::string progress_text(const sora::VideoObject &video) {
  return video.progress ? std::to_string(*video.progress) + "%" : "-";
}

void print_table(const std::vector<sora::VideoObject> &videos) {
  g_print("%-52s %-12s %8s %-22s %7s %-10s %s\n", "ID", "STATUS", "PROGRESS", "MODEL", "SECONDS",
          "SIZE", "EXPIRES");
  for (const sora::VideoObject &v : videos) {
    g_print("%-52s %-12s %8s %-22s %7s %-10s %s\n", shown(v.id).c_str(), shown(v.status).c_str(),
            progress_text(v).c_str(), shown(v.model).c_str(), shown(v.seconds).c_str(),
            shown(v.size).c_str(), format_time(v.expires_at).c_str());
  }
}

void print_video(const sora::VideoObject &v) {
  auto line = [](const char *name, const std::string &value) {
    if (!value.empty())
      g_print("%-22s %s\n", name, sora::printable_text(value).c_str());
  };
  line("id", v.id);
  line("status", v.status + " (" + sora::task_state_name(v.state) + ")");
  line("progress", progress_text(v));
  line("model", v.model);
  line("seconds", v.seconds);
  line("size", v.size);
  line("prompt", v.prompt);
  line("created", format_time(v.created_at));
  line("completed", format_time(v.completed_at));
  line("expires", format_time(v.expires_at));
  line("remixed from", v.remixed_from_video_id);
  line("error", v.error.describe());
  for (const std::string &url : v.download_urls)
    line("download url", url);
}

std::string quoted(const std::string &text) {
  g_autofree char *q = g_shell_quote(text.c_str());
  return q;
}

/* `text` as one shell word: as it is when that is safe, else quoted. */
std::string shell_word(const std::string &text) {
  bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return g_ascii_isalnum(c) || strchr("_-.:/=+,@%", c);
  });
  return plain ? text : quoted(text);
}

/* The command that lists the next page: this one's options, after `last_id`. */
std::string next_page_command(const Options &options, const std::string &order,
                              const std::string &last_id) {
  std::string command = "sora-tasks list --after " + shell_word(last_id) + " --limit " +
                        std::to_string(options.limit) + " --order " + shell_word(order);
  if (options.base_url)
    command += " --base-url " + shell_word(options.base_url);
  if (options.gateway)
    command += " --gateway " + shell_word(options.gateway);
  if (options.path_style)
    command += " --path-style " + shell_word(options.path_style);
  return command;
}

int list(sora::TaskClient &client, const Options &options) {
  sora::ListQuery query;
  query.limit = static_cast<unsigned>(options.limit);
  query.after = options.after ? options.after : "";
  query.order = options.order ? options.order : "desc";
  std::vector<sora::VideoObject> videos;
  for (;;) {
    auto page = client.list(query);
    if (auto *error = std::get_if<sora::JobError>(&page))
      return fail(error->message);
    auto &got = std::get<sora::VideoPage>(page);
    videos.insert(videos.end(), got.videos.begin(), got.videos.end());
    if (!options.all || !got.has_more || got.last_id.empty()) {
      print_table(videos);
      if (got.has_more)
        g_print("... more: %s\n",
                sora::printable_text(next_page_command(options, query.order, got.last_id)).c_str());
      return 0;
    }
    query.after = got.last_id;
  }
}

int show(sora::TaskClient &client, const std::string &id) {
  auto video = client.retrieve(id);
  if (auto *error = std::get_if<sora::JobError>(&video))
    return fail(error->message);
  print_video(std::get<sora::VideoObject>(video));
  return 0;
}

int cancel(sora::TaskClient &client, const std::string &id) {
  auto done = client.cancel(id);
  if (auto *error = std::get_if<sora::JobError>(&done))
    return fail(error->message);
  g_print("Cancelled %s\n", sora::printable_text(id).c_str());
  return 0;
}

/* The fields a native provider's model takes, from its published schema. */
int model_fields(sora::TaskClient &client) {
  auto schema = client.schema();
  if (auto *error = std::get_if<sora::JobError>(&schema))
    return fail(error->message);
  g_print("%s\n", shown(std::get<sora::InputSchema>(schema).describe()).c_str());
  return 0;
}

int remove(sora::TaskClient &client, const std::string &id) {
  auto done = client.remove(id);
  if (auto *error = std::get_if<sora::JobError>(&done))
    return fail(error->message);
  g_print("Deleted %s\n", sora::printable_text(id).c_str());
  return 0;
}

int models(sora::TaskClient &client) {
  auto listed = client.models();
  if (auto *error = std::get_if<sora::JobError>(&listed))
    return fail(error->message);
  auto join = [](const std::vector<std::string> &items) {
    std::string text;
    for (const std::string &item : items)
      text += (text.empty() ? "" : ",") + item;
    return text.empty() ? std::string("-") : text;
  };
  g_print("%-36s %-24s %-14s %-22s %s\n", "MODEL", "NAME", "SECONDS", "SIZES", "ASPECT RATIOS");
  for (const sora::ModelInfo &m : std::get<std::vector<sora::ModelInfo>>(listed)) {
    g_print("%-36s %-24s %-14s %-22s %s\n", shown(m.id).c_str(), shown(m.name).c_str(),
            shown(join(m.durations)).c_str(), shown(join(m.sizes)).c_str(),
            shown(join(m.aspect_ratios)).c_str());
  }
  return 0;
}

/* The pipeline and URI that pick the task up again, with the server options
 * this command was given. */
int resume(sora::TaskClient &client, const std::string &id, const Options &options) {
  auto video = client.retrieve(id);
  if (auto *error = std::get_if<sora::JobError>(&video))
    return fail(error->message);
  const sora::VideoObject &v = std::get<sora::VideoObject>(video);
  if (sora::task_state_is_final(v.state) && v.state != sora::TaskState::kCompleted)
    return fail(id + " " + sora::task_state_name(v.state) + ": " + v.error.describe() +
                "; there is nothing to resume.");
  g_printerr("%s is %s%s\n", sora::printable_text(id).c_str(),
             sora::printable_text(v.status).c_str(),
             v.state == sora::TaskState::kCompleted ? "" : " (the pipeline waits for it)");
  std::string server;
  for (const auto &[name, value] :
       {std::pair<const char *, const char *>{"base-url", options.base_url},
        {"gateway", options.gateway}}) {
    if (value)
      server += std::string(" ") + name + "=" + quoted(value);
  }
  g_print("gst-launch-1.0 soravideosrc video-id=%s%s ! decodebin ! videoconvert ! autovideosink\n",
          quoted(id).c_str(), server.c_str());
  /* A URI never names the server (it would choose where the key goes): the
   * player takes it from the environment or from the application. */
  g_print("sora://video/%s\n", sora::task_path_segment(id).c_str());
  if (!server.empty())
    g_printerr(
        "The URI takes the server from OPENAI_BASE_URL (or the gateway's variables), "
        "never from the URI itself.\n");
  return 0;
}

/* The bar on stderr: redrawn in place on a terminal, a line per tenth
 * otherwise (logs). */
class ProgressBar {
 public:
  void update(guint64 received, guint64 total) {
    int percent = total ? static_cast<int>(received * 100 / total) : -1;
    if (!tty_ && percent / 10 == last_tenth_)
      return;
    last_tenth_ = percent / 10;
    constexpr int kWidth = 30;
    int filled = percent < 0 ? 0 : percent * kWidth / 100;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    g_printerr("%s[%s] %3d%%  %.1f / %.1f MB%s", tty_ ? "\r" : "", bar.c_str(), MAX(percent, 0),
               received / 1e6, total / 1e6, tty_ ? "" : "\n");
  }
  void end() {
    if (tty_)
      g_printerr("\n");
  }

 private:
  bool tty_ = isatty(STDERR_FILENO);
  int last_tenth_ = -1;
};

int download(const sora::Connection &connection, const std::string &id, const Options &options) {
  const sora::Variant *variant =
      options.variant ? sora::find_variant(options.variant) : &sora::kVariants[0];
  if (!variant) {
    fail("--variant must be " + sora::variant_names() + ", not '" + options.variant + "'");
    return 2; /* a usage mistake */
  }
  std::string output = options.output ? options.output : "";
  if (output.empty()) {
    g_autofree char *safe = g_strdup(id.c_str());
    g_strcanon(safe, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "_-.", '_');
    output = std::string(safe) + variant->extension;
  }
  if (options.max_clip_size <= 0) {
    fail("--max-clip-size must be a number of bytes above 0");
    return 2;
  }
  sora::JobSettings settings;
  settings.connection = connection;
  settings.video_id = id;
  settings.variant = variant->name;
  settings.output_path = output;
  settings.max_clip_size = static_cast<guint64>(options.max_clip_size);
  if (options.model)
    settings.request.model = options.model; /* fal: where an id alone is found */

  ProgressBar bar;
  sora::JobEvents events;
  events.status = [&id](const sora::VideoObject &video, sora::JobPhase phase) {
    if (phase != sora::JobPhase::kDownloading)
      g_printerr("%s: %s %s\n", sora::printable_text(id).c_str(),
                 sora::printable_text(video.status).c_str(), progress_text(video).c_str());
  };
  events.download_progress = [&bar](guint64 received, guint64 total) {
    bar.update(received, total);
  };
  events.retrying = [](const sora::RetryNotice &notice) {
    g_printerr("%s failed (%s): trying again in %.1f s\n", notice.request,
               sora::printable_text(notice.reason).c_str(), notice.delay_ms / 1000.0);
  };
  sora::JobResult result;
  events.finished = [&result](const sora::JobResult &finished) { result = finished; };
  std::shared_ptr<sora::IoLoop> loop = sora::IoLoop::shared();
  std::shared_ptr<sora::VideoJob> job = sora::VideoJob::start(*loop, std::move(settings), events);
  job->wait();
  bar.end();
  if (result.phase != sora::JobPhase::kCompleted)
    return fail(result.error ? result.error->message : "the download was stopped");
  g_print("%s (%" G_GUINT64_FORMAT " bytes)\n", output.c_str(), result.size);
  return 0;
}

bool parse_path_style(const char *text, sora::PathStyle *style) {
  const std::pair<const char *, sora::PathStyle> styles[] = {
      {"auto", sora::PathStyle::kAuto},
      {"videos", sora::PathStyle::kVideos},
      {"video", sora::PathStyle::kVideo},
      {"video-generations", sora::PathStyle::kVideoGenerations},
  };
  for (const auto &[name, value] : styles) {
    if (g_strcmp0(text, name) == 0) {
      *style = value;
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv); /* debug categories: GST_DEBUG=sora:5,sora-http:5 works here too */
  if (argc > 1 && strcmp(argv[1], "generate") == 0)
    return sora::generate::generate_command(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "spend") == 0)
    return spend_command(argc - 1, argv + 1); /* the ledger: no server, no key */
  Options options;
  const GOptionEntry entries[] = {
      {"base-url", 0, 0, G_OPTION_ARG_STRING, &options.base_url,
       "Base URL of the video API (default: the gateway's endpoint variable, else "
       "$OPENAI_BASE_URL)",
       "URL"},
      {"gateway", 0, 0, G_OPTION_ARG_STRING, &options.gateway,
       "auto, openai, openrouter, azure, litellm, newapi, gemini, fal or replicate (default "
       "auto: by the URL's host)",
       "NAME"},
      {"model", 0, 0, G_OPTION_ARG_STRING, &options.model,
       "fal: the app a request id belongs to (fal-ai/kling-video/...)", "MODEL"},
      {"path-style", 0, 0, G_OPTION_ARG_STRING, &options.path_style,
       "auto, videos, video or video-generations (default auto)", "STYLE"},
      {"timeout", 0, 0, G_OPTION_ARG_INT, &options.timeout, "I/O timeout of a request (60)", "S"},
      {"retries", 0, 0, G_OPTION_ARG_INT, &options.retries,
       "Retries of a failed request (5; -1 = no limit)", "N"},
      {"limit", 0, 0, G_OPTION_ARG_INT, &options.limit, "list: tasks per page (20)", "N"},
      {"after", 0, 0, G_OPTION_ARG_STRING, &options.after, "list: start after this task", "ID"},
      {"order", 0, 0, G_OPTION_ARG_STRING, &options.order, "list: asc or desc (desc)", "ORDER"},
      {"all", 0, 0, G_OPTION_ARG_NONE, &options.all, "list: follow every page", nullptr},
      {"variant", 0, 0, G_OPTION_ARG_STRING, &options.variant,
       "download: video, thumbnail or spritesheet (video)", "VARIANT"},
      {"max-clip-size", 0, 0, G_OPTION_ARG_INT64, &options.max_clip_size,
       "download: the largest file to accept, in bytes (4 GiB): a server cannot fill the disk",
       "BYTES"},
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
       "download: file to write (default: ID.mp4, ID.webp or ID.jpg)", "FILE"},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
  };
  g_autoptr(GOptionContext) context =
      g_option_context_new(
          "list | show ID | download ID | delete ID | cancel ID | resume ID | models [MODEL] | "
          "spend | generate (see generate --help)");
  g_option_context_set_summary(context,
                               "Look after the video tasks on a server that speaks the OpenAI "
                               "video API. The key comes from the gateway's variable "
                               "(OPENROUTER_API_KEY, AZURE_OPENAI_API_KEY), else OPENAI_API_KEY.");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_autoptr(GError) error = nullptr;
  if (!g_option_context_parse(context, &argc, &argv, &error)) {
    fail(error->message);
    return 2;
  }

  std::string command = argc > 1 ? argv[1] : "";
  std::string id = argc > 2 ? argv[2] : "";
  bool needs_id = command != "list" && command != "models";
  /* models MODEL: a native provider's model schema. */
  if (command == "models" && !id.empty() && !options.model)
    options.model = g_strdup(id.c_str());
  if (command.empty() || (needs_id && id.empty())) {
    g_autofree char *help = g_option_context_get_help(context, TRUE, nullptr);
    g_printerr("%s", help);
    return 2;
  }

  std::string no_soup;
  if (!sora::soup_runtime_available(&no_soup)) {
    fail(no_soup);
    return 1;
  }

  sora::Gateway gateway = sora::Gateway::kAuto;
  if (options.gateway) {
    std::optional<sora::Gateway> named = sora::parse_gateway(options.gateway);
    if (!named) {
      fail(std::string("--gateway must be auto, openai, openrouter, azure, litellm, newapi, "
                       "gemini, fal or replicate, not '") +
           options.gateway + "'");
      return 2;
    }
    gateway = *named;
  }
  sora::Endpoint endpoint =
      sora::resolve_endpoint(gateway, options.base_url ? options.base_url : "", "");
  if (auto problem = sora::tools::endpoint_problem(endpoint, gateway))
    return fail(*problem);
  sora::Connection connection;
  connection.base_url = endpoint.base_url;
  connection.api_key = endpoint.api_key;
  connection.gateway = endpoint.gateway;
  connection.user_agent = "sora-tasks/" PACKAGE_VERSION;
  connection.timeout_s = static_cast<unsigned>(MAX(options.timeout, 0));
  connection.retries = options.retries;
  if (options.path_style && !parse_path_style(options.path_style, &connection.path_style)) {
    fail(std::string("--path-style must be auto, videos, video or video-generations, not '") +
         options.path_style + "'");
    return 2;
  }
  const bool native = connection.profile().protocol != sora::Protocol::kOpenAiFormat;

  if (command == "download")
    return download(connection, id, options);
  sora::TaskClient client(connection);
  if (options.model)
    client.set_model(options.model);
  if (native && command == "models") {
    if (!options.model)
      return fail("models needs a MODEL with --gateway " + std::string(connection.profile().name));
    return model_fields(client);
  }
  if (command == "cancel")
    return cancel(client, id);
  if (native && (command == "delete" || command == "resume"))
    return fail(command + " is not offered for " + connection.profile().title +
                ": use show, download, cancel, models (and list for Replicate).");
  if (command == "list")
    return list(client, options);
  if (command == "show")
    return show(client, id);
  if (command == "delete")
    return remove(client, id);
  if (command == "resume")
    return resume(client, id, options);
  if (command == "models")
    return models(client);
  fail("unknown command '" + command +
       "': use list, show, download, delete, cancel, resume, models or generate");
  return 2;
}
