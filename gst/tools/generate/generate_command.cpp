/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "generate_command.h"

#include "batch_generation.h"
#include "task_cache_entry.h"
#include "xges_project.h"

#include "gstsoratags.h"
#include "gstsoravideosrc.h"
#include "job_settings.h"
#include "playlist/shot_spec.h"

#include "../endpoint_problem.h"

#include "core/gateway.h"
#include "core/io_loop.h"
#include "core/mp4_summary.h"
#include "core/printable_text.h"
#include "core/secret.h"
#include "core/soup_runtime.h"
#include "core/task_id.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sora::generate {

namespace {

constexpr int kDefaultMaxParallel = 3;

struct Options {
  gchar **prompts = nullptr;
  gchar *playlist = nullptr;
  gchar *model = nullptr;
  gint seconds = 0;
  gchar *size = nullptr;
  gint max_parallel = kDefaultMaxParallel;
  gchar *xges = nullptr;
  gchar *output_dir = nullptr;
  gchar *base_url = nullptr;
  gchar *gateway = nullptr;
  gchar *path_style = nullptr;
  gint timeout = -1;
  gint retries = -2;
  gint poll_interval = -1;
  gchar *cache_dir = nullptr;

  ~Options() {
    g_strfreev(prompts);
    for (gchar *text : {playlist, model, size, xges, output_dir, base_url, gateway, path_style,
                        cache_dir})
      g_free(text);
  }
};

int fail(const std::string &message, int status = 1) {
  g_printerr("sora-tasks generate: %s\n", printable_text(message).c_str());
  return status;
}

/* One setting every shot's soravideosrc gets, from the command line. */
struct Default {
  const char *option;
  const char *property;
  std::string text;
};

/* The options' values as soravideosrc property values, each checked as the
 * element would take it; a problem names the option. */
std::optional<std::string> make_defaults(const std::vector<Default> &given,
                                         GstStructure *defaults) {
  auto *klass = static_cast<GObjectClass *>(g_type_class_ref(GST_TYPE_SORA_VIDEO_SRC));
  std::optional<std::string> problem;
  for (const Default &d : given) {
    GParamSpec *pspec = g_object_class_find_property(klass, d.property);
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, pspec->value_type);
    bool ok = pspec->value_type == G_TYPE_STRING
                  ? (g_value_set_string(&value, d.text.c_str()), true)
                  : gst_value_deserialize(&value, d.text.c_str());
    if (!ok || g_param_value_validate(pspec, &value)) {
      problem = std::string("--") + d.option + " '" + d.text + "' is not a valid " + d.property +
                " (see gst-inspect-1.0 soravideosrc)";
      break;
    }
    gst_structure_set_value(defaults, d.property, &value);
  }
  g_type_class_unref(klass);
  return problem;
}

/* The server and cache settings the shots share, as SourceSettings: to find
 * the entry `sora://video/ID` reads (task_cache_entry.h). */
SourceSettings server_settings(const GstStructure *defaults) {
  SourceSettings s;
  if (const char *url = gst_structure_get_string(defaults, "base-url"))
    s.connection.base_url = url;
  if (const char *dir = gst_structure_get_string(defaults, "cache-dir"))
    s.cache_dir = dir;
  gint value = 0;
  if (gst_structure_get_enum(defaults, "gateway", GST_TYPE_SORA_GATEWAY, &value))
    s.connection.gateway = static_cast<Gateway>(value);
  if (gst_structure_get_enum(defaults, "path-style", GST_TYPE_SORA_PATH_STYLE, &value))
    s.connection.path_style = static_cast<PathStyle>(value);
  return s;
}

std::string clip_uri(const std::string &video_id) {
  return "sora://video/" + task_path_segment(video_id);
}

/* How a shot is named in messages: its number as users count, and what it
 * asked for. */
std::string shot_name(size_t index, size_t count, const playlist::ShotSpec &shot) {
  std::string title = shot.title();
  return "shot " + std::to_string(index + 1) + " of " + std::to_string(count) +
         (title.empty() ? "" : " (\"" + title + "\")");
}

struct Made {
  std::string uri;
  std::string clip; /* a file holding the clip, to read its length */
};

class Command {
 public:
  Command(const Options &options, std::vector<playlist::ShotSpec> shots, GstStructure *defaults)
      : options_(options), shots_(std::move(shots)), defaults_(defaults) {}
  ~Command() { gst_structure_free(defaults_); }

  int run();

 private:
  void configure(GstElement *source, size_t index);
  std::string output_file(size_t index) const;
  void on_progress(size_t index, const std::string &text);
  void on_finished(size_t index);
  void wait_for_detached_creates(const std::weak_ptr<IoLoop> &io);
  int finish();

  const Options &options_;
  std::vector<playlist::ShotSpec> shots_;
  GstStructure *defaults_;
  std::unique_ptr<BatchGeneration> batch_;
  std::vector<std::optional<Made>> made_;
  std::vector<bool> introduced_;
  GMainLoop *loop_ = nullptr;
  int signal_ = 0;
  bool give_up_ = false; /* a second signal: no more waiting */
};

void Command::configure(GstElement *source, size_t index) {
  gst_structure_foreach(
      defaults_,
      [](GQuark field, const GValue *value, gpointer element) -> gboolean {
        g_object_set_property(G_OBJECT(element), g_quark_to_string(field), value);
        return TRUE;
      },
      source);
  shots_[index].apply_to(source);
  if (options_.output_dir)
    g_object_set(source, "location", output_file(index).c_str(), nullptr);
}

std::string Command::output_file(size_t index) const {
  int width = MAX(2, static_cast<int>(std::to_string(shots_.size()).size()));
  g_autofree char *name = g_strdup_printf("shot-%0*zu.mp4", width, index + 1);
  g_autofree char *path = g_build_filename(options_.output_dir, name, nullptr);
  return path;
}

void Command::on_progress(size_t index, const std::string &text) {
  std::string line = "[" + std::to_string(index + 1) + "/" + std::to_string(shots_.size()) + "] ";
  if (!introduced_[index]) {
    introduced_[index] = true;
    std::string title = shots_[index].title();
    if (!title.empty())
      line += "\"" + title + "\": ";
  }
  g_printerr("%s\n", printable_text(line + text).c_str());
}

void Command::on_finished(size_t index) {
  const ShotOutcome &outcome = batch_->outcome(index);
  if (outcome.state == ShotState::kFailed) {
    fail(shot_name(index, shots_.size(), shots_[index]) + " failed: " + outcome.error);
    return;
  }
  if (outcome.state != ShotState::kDone || outcome.video_id.empty())
    return;
  Made made;
  made.uri = clip_uri(outcome.video_id);
  std::string problem;
  std::optional<std::string> cached =
      enter_task_clip(server_settings(defaults_), outcome.video_id, &problem);
  if (!cached)
    g_printerr("[%zu/%zu] %s: not entered in the cache (%s): sora://video/ URIs download it "
               "again\n",
               index + 1, shots_.size(), printable_text(outcome.video_id).c_str(),
               printable_text(problem).c_str());
  if (options_.output_dir) {
    made.clip = output_file(index);
    g_autofree char *uri = g_filename_to_uri(made.clip.c_str(), nullptr, nullptr);
    if (uri)
      made.uri = uri;
  } else if (cached) {
    made.clip = *cached;
  }
  made_[index] = std::move(made);
}

int Command::run() {
  made_.resize(shots_.size());
  introduced_.assign(shots_.size(), false);
  loop_ = g_main_loop_new(nullptr, FALSE);
  BatchGeneration::Events events;
  events.progress = [this](size_t index, const std::string &text) { on_progress(index, text); };
  events.finished = [this](size_t index) { on_finished(index); };
  events.all_over = [this] { g_main_loop_quit(loop_); };
  batch_ = std::make_unique<BatchGeneration>(
      shots_.size(), static_cast<unsigned>(options_.max_parallel),
      [this](GstElement *source, size_t index) { configure(source, index); }, events);

  struct Stop {
    Command *command;
    int signum;
  } on_int{this, SIGINT}, on_term{this, SIGTERM};
  auto stop = [](gpointer data) -> gboolean {
    auto *stop = static_cast<Stop *>(data);
    Command *command = stop->command;
    if (command->signal_ || !command->batch_) {
      /* Again, while create requests are waited for: exit now. */
      command->signal_ = command->signal_ ? command->signal_ : stop->signum;
      command->give_up_ = true;
      return G_SOURCE_CONTINUE;
    }
    command->signal_ = stop->signum;
    g_printerr("sora-tasks generate: stopping; tasks already created go on on the server and "
               "stay journalled: the same command attaches to them\n");
    command->batch_->stop();
    return G_SOURCE_CONTINUE;
  };
  guint int_watch = g_unix_signal_add(SIGINT, stop, &on_int);
  guint term_watch = g_unix_signal_add(SIGTERM, stop, &on_term);

  batch_->start();
  /* The jobs' I/O thread, watched without being held. */
  std::weak_ptr<IoLoop> io = IoLoop::shared();
  /* Every shot may have failed at once (a setting refused): then the loop
   * was told to quit before it ran. */
  bool over = true;
  for (size_t i = 0; i < batch_->size(); i++)
    over = over && batch_->outcome(i).state != ShotState::kRunning &&
           batch_->outcome(i).state != ShotState::kWaiting;
  if (!over)
    g_main_loop_run(loop_);
  batch_.reset();
  g_main_loop_unref(loop_);
  wait_for_detached_creates(io);
  g_source_remove(int_watch);
  g_source_remove(term_watch);
  return finish();
}

/* A create request sent before a stop goes on (VideoJob), holding the I/O
 * thread, so that its answer is journalled; exiting now would lose that
 * answer (the next run would have to search the server's list for it). */
void Command::wait_for_detached_creates(const std::weak_ptr<IoLoop> &io) {
  gint64 limit_s = options_.timeout >= 0 ? options_.timeout : 60;
  gint64 deadline = g_get_monotonic_time() + (limit_s + 5) * G_USEC_PER_SEC;
  bool told = false;
  while (!io.expired() && !give_up_ && g_get_monotonic_time() < deadline) {
    if (!told) {
      g_printerr("sora-tasks generate: waiting for create requests already sent to be "
                 "answered, so that their tasks are journalled (Ctrl-C again: exit now)\n");
      told = true;
    }
    /* The signal watches run here. */
    while (g_main_context_iteration(nullptr, FALSE)) {
    }
    g_usleep(20 * 1000);
  }
}

int Command::finish() {
  size_t failed = 0, stopped = 0;
  std::vector<ProjectClip> clips;
  ProjectFormat format;
  for (size_t i = 0; i < made_.size(); i++) {
    if (!made_[i]) {
      (signal_ ? stopped : failed)++;
      continue;
    }
    g_print("%s\n", made_[i]->uri.c_str());
    if (!options_.xges)
      continue;
    std::optional<Mp4Summary> summary =
        made_[i]->clip.empty() ? std::nullopt : read_mp4_summary(made_[i]->clip);
    GstClockTime length = GST_CLOCK_TIME_NONE;
    if (summary && summary->video && GST_CLOCK_TIME_IS_VALID(summary->video->length))
      length = summary->video->length;
    else if (summary)
      length = summary->duration;
    if (!GST_CLOCK_TIME_IS_VALID(length))
      return fail("cannot read the length of " + shot_name(i, shots_.size(), shots_[i]) +
                  (made_[i]->clip.empty() ? " (its clip is not in the cache: give --output-dir)"
                                          : " from " + made_[i]->clip) +
                  "; no project written");
    if (shots_[i].duration)
      length = MIN(length, *shots_[i].duration);
    if (clips.empty() && summary->video)
      format = {summary->video->width, summary->video->height, summary->video->fps_n,
                summary->video->fps_d};
    clips.push_back({made_[i]->uri, length});
  }
  if (signal_) {
    fail(std::to_string(stopped) + " of " + std::to_string(made_.size()) +
             " shots not finished: run the same command again to go on (nothing is paid twice)",
         0);
    return 128 + signal_;
  }
  if (failed) {
    fail(std::to_string(failed) + " of " + std::to_string(made_.size()) +
         " shots failed; the others are kept in the cache (a rerun pays only for the failed ones)" +
         (options_.xges ? "; no project written" : ""));
    return 1;
  }
  if (options_.xges) {
    std::string problem;
    if (!write_xges_project(options_.xges, clips, format, &problem))
      return fail(std::string("cannot write ") + options_.xges + ": " + problem);
    g_printerr("sora-tasks generate: wrote %s (%zu clips); play it with ges-launch-1.0 --load %s\n",
               options_.xges, clips.size(), options_.xges);
  }
  return 0;
}

}  // namespace

int generate_command(int argc, char **argv) {
  gst_sora_register_tags();
  Options options;
  const GOptionEntry entries[] = {
      {"prompt", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &options.prompts,
       "A shot's prompt (repeat for more shots, after the playlist's)", "TEXT"},
      {"playlist", 0, 0, G_OPTION_ARG_FILENAME, &options.playlist,
       "Shots from a JSON playlist, as soraplaylistsrc's location reads", "FILE"},
      {"model", 0, 0, G_OPTION_ARG_STRING, &options.model, "Model of every shot (sora-2)",
       "MODEL"},
      {"seconds", 0, 0, G_OPTION_ARG_INT, &options.seconds, "Length of every shot (4)", "N"},
      {"size", 0, 0, G_OPTION_ARG_STRING, &options.size, "Size of every shot (720x1280)", "WxH"},
      {"max-parallel", 'j', 0, G_OPTION_ARG_INT, &options.max_parallel,
       "Shots generated at once (3)", "N"},
      {"xges", 0, 0, G_OPTION_ARG_FILENAME, &options.xges,
       "Write a GES project of the clips in order (ges-launch-1.0 --load FILE)", "FILE"},
      {"output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &options.output_dir,
       "Also copy the clips here (shot-01.mp4, ...); the URIs and project then name the copies",
       "DIR"},
      {"base-url", 0, 0, G_OPTION_ARG_STRING, &options.base_url,
       "Base URL of the video API (default: the gateway's variable, else $OPENAI_BASE_URL)",
       "URL"},
      {"gateway", 0, 0, G_OPTION_ARG_STRING, &options.gateway,
       "auto, openai, openrouter, azure, litellm or newapi (auto)", "NAME"},
      {"path-style", 0, 0, G_OPTION_ARG_STRING, &options.path_style,
       "auto, videos, video or video-generations (auto)", "STYLE"},
      {"timeout", 0, 0, G_OPTION_ARG_INT, &options.timeout, "I/O timeout of a request (60)", "S"},
      {"retries", 0, 0, G_OPTION_ARG_INT, &options.retries,
       "Retries of a failed request (5; -1 = no limit)", "N"},
      {"poll-interval", 0, 0, G_OPTION_ARG_INT, &options.poll_interval,
       "Milliseconds between polls (0: the server's hint)", "MS"},
      {"cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.cache_dir,
       "The cache to warm (default: soravideosrc's, gstreamer-sora under $XDG_CACHE_HOME)", "DIR"},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
  };
  g_autoptr(GOptionContext) context = g_option_context_new("generate");
  g_option_context_set_summary(
      context,
      "Generate shots side by side (at most --max-parallel at once), keep them in soravideosrc's "
      "cache, and print one sora://video/ID URI per shot, in order (or write a GES project). A "
      "rerun of the same command pays nothing: finished shots come from the cache, and tasks "
      "created by a run that was stopped are attached to. The key comes from the environment "
      "(OPENAI_API_KEY, or the gateway's variable).");
  g_option_context_add_main_entries(context, entries, nullptr);
  g_autoptr(GError) error = nullptr;
  if (!g_option_context_parse(context, &argc, &argv, &error))
    return fail(error->message, 2);
  if (argc > 1)
    return fail(std::string("unexpected argument '") + argv[1] +
                    "': give prompts with --prompt TEXT (quoted)",
                2);
  if (options.max_parallel < 1 || options.max_parallel > 64)
    return fail("--max-parallel must be 1 to 64", 2);

  std::vector<playlist::ShotSpec> shots;
  if (options.playlist) {
    if (auto problem = playlist::shots_from_file(options.playlist, 0, shots))
      return fail(*problem, 2);
  }
  for (gchar **prompt = options.prompts; prompt && *prompt; prompt++) {
    playlist::ShotSpec shot;
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, G_TYPE_STRING);
    g_value_set_string(&value, *prompt);
    g_autoptr(GstStructure) s = gst_structure_new_empty("shot");
    gst_structure_set_value(s, "prompt", &value);
    if (auto problem = playlist::shot_from_structure(s, shots.size(), shot))
      return fail(*problem, 2);
    shots.push_back(std::move(shot));
  }
  if (shots.empty())
    return fail("nothing to generate: give --prompt TEXT (repeatable) or --playlist FILE", 2);

  std::vector<Default> given;
  auto add = [&given](const char *option, const char *property, const char *text) {
    if (text)
      given.push_back({option, property, text});
  };
  auto add_number = [&given](const char *option, const char *property, gint number, gint unset) {
    if (number != unset)
      given.push_back({option, property, std::to_string(number)});
  };
  add("model", "model", options.model);
  add_number("seconds", "seconds", options.seconds, 0);
  add("size", "size", options.size);
  add("base-url", "base-url", options.base_url);
  add("gateway", "gateway", options.gateway);
  add("path-style", "path-style", options.path_style);
  add_number("timeout", "timeout", options.timeout, -1);
  add_number("retries", "retries", options.retries, -2);
  add_number("poll-interval", "poll-interval", options.poll_interval, -1);
  add("cache-dir", "cache-dir", options.cache_dir);
  GstStructure *defaults = gst_structure_new_empty("defaults");
  if (auto problem = make_defaults(given, defaults)) {
    gst_structure_free(defaults);
    return fail(*problem, 2);
  }
  if (options.output_dir && g_mkdir_with_parents(options.output_dir, 0755) != 0) {
    gst_structure_free(defaults);
    return fail(std::string("cannot create --output-dir ") + options.output_dir + ": " +
                g_strerror(errno));
  }
  /* No server or no key fails every shot alike: said once, up front. */
  SourceSettings server = server_settings(defaults);
  Endpoint endpoint = resolve_endpoint(server.connection.gateway, server.connection.base_url, "");
  std::optional<std::string> problem = tools::endpoint_problem(endpoint, server.connection.gateway);
  wipe_secret(endpoint.api_key); /* each shot's source reads it for itself */
  if (problem) {
    gst_structure_free(defaults);
    return fail(*problem);
  }
  std::string no_soup;
  if (!soup_runtime_available(&no_soup)) {
    gst_structure_free(defaults);
    return fail(no_soup);
  }
  if (options.base_url && !options.output_dir)
    g_printerr("sora-tasks generate: a sora://video/ID URI takes the server from "
               "OPENAI_BASE_URL (or the gateway's variables), never from the URI: set it to "
               "--base-url's value where the URIs are played\n");
  Command command(options, std::move(shots), defaults);
  return command.run();
}

}  // namespace sora::generate
