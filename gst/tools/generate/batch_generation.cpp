/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "batch_generation.h"

#include "gstsoravideosrc.h"

namespace sora::generate {

namespace {

/* The code of soravideosrc's PROGRESS messages. */
constexpr char kProgressCode[] = "sora-generate";

std::string field_string(const GstStructure *s, const char *name) {
  const char *value = s ? gst_structure_get_string(s, name) : nullptr;
  return value ? value : "";
}

}  // namespace

BatchGeneration::BatchGeneration(size_t count, unsigned max_parallel, Configure configure,
                                 Events events)
    : shots_(count),
      max_parallel_(MAX(max_parallel, 1u)),
      configure_(std::move(configure)),
      events_(std::move(events)) {}

BatchGeneration::~BatchGeneration() {
  for (Shot &shot : shots_)
    release(shot);
}

void BatchGeneration::start() {
  launch_next();
  check_all_over();
}

void BatchGeneration::stop() {
  stopping_ = true;
  for (Shot &shot : shots_) {
    if (shot.outcome.state == ShotState::kWaiting || shot.outcome.state == ShotState::kRunning) {
      shot.outcome.state = ShotState::kStopped;
      release(shot);
    }
  }
  check_all_over();
}

void BatchGeneration::launch_next() {
  /* A shot that fails at once ends inside launch(), which comes back here:
   * the count is taken afresh each time. */
  while (!stopping_ && next_ < shots_.size()) {
    size_t running = 0;
    for (const Shot &shot : shots_)
      running += shot.outcome.state == ShotState::kRunning;
    if (running >= max_parallel_)
      return;
    launch(next_++);
  }
}

void BatchGeneration::launch(size_t index) {
  Shot &shot = shots_[index];
  shot.outcome.state = ShotState::kRunning;
  std::string name = "sora-generate-" + std::to_string(index + 1);
  shot.pipeline = GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(name.c_str())));
  /* The element linked into this program: no plugin has to be found. */
  GstElement *source =
      GST_ELEMENT(g_object_new(GST_TYPE_SORA_VIDEO_SRC, "name", "source", nullptr));
  GstElement *sink = gst_element_factory_make("fakesink", nullptr);
  gst_bin_add(GST_BIN(shot.pipeline), source);
  if (!sink) {
    end(index, ShotState::kFailed, "cannot make a fakesink (GStreamer's core elements)");
    return;
  }
  g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
  gst_bin_add(GST_BIN(shot.pipeline), sink);
  gst_element_link(source, sink);
  configure_(source, index);
  g_autoptr(GstBus) bus = gst_element_get_bus(shot.pipeline);
  shot.watch = gst_bus_add_watch_full(bus, G_PRIORITY_DEFAULT, on_message, new Watch{this, index},
                                      [](gpointer data) { delete static_cast<Watch *>(data); });
  /* PAUSED starts the task: the source serves the clip's first bytes to the
   * fakesink, which holds them (prerolled) until the shot is over. */
  if (gst_element_set_state(shot.pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE) {
    /* A setting the source refused: it posted why. */
    g_autoptr(GstMessage) error = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    g_autoptr(GError) gerror = nullptr;
    if (error)
      gst_message_parse_error(error, &gerror, nullptr);
    end(index, ShotState::kFailed, gerror ? gerror->message : "the soravideosrc did not start");
  }
}

gboolean BatchGeneration::on_message(GstBus *, GstMessage *message, gpointer data) {
  auto *watch = static_cast<Watch *>(data);
  BatchGeneration *self = watch->batch;
  size_t index = watch->index;
  if (self->shots_[index].outcome.state != ShotState::kRunning)
    return G_SOURCE_REMOVE;
  self->handle(index, message);
  return self->shots_[index].outcome.state == ShotState::kRunning ? G_SOURCE_CONTINUE
                                                                  : G_SOURCE_REMOVE;
}

void BatchGeneration::handle(size_t index, GstMessage *message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_PROGRESS:
      on_progress(index, message);
      break;
    case GST_MESSAGE_ERROR: {
      g_autoptr(GError) error = nullptr;
      gst_message_parse_error(message, &error, nullptr);
      end(index, ShotState::kFailed, error ? error->message : "error");
      break;
    }
    case GST_MESSAGE_WARNING: {
      g_autoptr(GError) warning = nullptr;
      gst_message_parse_warning(message, &warning, nullptr);
      if (warning && events_.progress)
        events_.progress(index, std::string("warning: ") + warning->message);
      break;
    }
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure(message);
      if (gst_structure_has_name(s, "sora-status")) {
        on_status(index, s);
        break;
      }
      if (!gst_structure_has_name(s, "sora-cache") || !events_.progress)
        break;
      std::string event = field_string(s, "event");
      std::string id = field_string(s, "video-id");
      if (event == "resumed")
        events_.progress(index, id + ": attaching to the task the cache's journal names");
      else if (event == "waiting")
        events_.progress(index, "waiting for another run of the same request");
      else if (event == "stale")
        events_.progress(index, "the journalled task is gone: generating anew");
      else if (event == "unusable")
        events_.progress(index, "the cache cannot be used (" + field_string(s, "reason") +
                                    "): nothing is kept for the next run");
      break;
    }
    default:
      break;
  }
}

void BatchGeneration::on_progress(size_t index, GstMessage *message) {
  GstProgressType type;
  g_autofree char *code = nullptr;
  g_autofree char *text = nullptr;
  gst_message_parse_progress(message, &type, &code, &text);
  if (g_strcmp0(code, kProgressCode) != 0)
    return;
  const GstStructure *s = gst_message_get_structure(message);
  Shot &shot = shots_[index];
  std::string id = field_string(s, "video-id");
  if (!id.empty())
    shot.outcome.video_id = id;
  std::string line = text ? text : "";
  switch (type) {
    case GST_PROGRESS_TYPE_COMPLETE:
      /* The clip flows: it is whole at the end message (on_status). */
      if (events_.progress)
        events_.progress(index, line);
      return;
    case GST_PROGRESS_TYPE_ERROR:
      end(index, ShotState::kFailed, line);
      return;
    case GST_PROGRESS_TYPE_CANCELED:
      return;
    default:
      break;
  }
  /* A line when the phase changes, and per tenth of the server's progress
   * (a poll every second would otherwise repeat the same line). */
  std::string phase = field_string(s, "phase");
  gint percent = -1;
  gst_structure_get_int(s, "percent", &percent);
  int tenth = percent < 0 ? -1 : percent / 10;
  bool retry = phase == "retrying";
  if (!retry && phase == shot.phase && (tenth == shot.tenth || phase == "downloading"))
    return;
  shot.phase = phase;
  shot.tenth = tenth;
  if (events_.progress)
    events_.progress(index, line);
}

/* The source's end message (sora-status with the clip's size): the clip
 * is whole, checked and in the cache (and at `location`). */
void BatchGeneration::on_status(size_t index, const GstStructure *s) {
  guint64 size = 0;
  if (field_string(s, "phase") != "completed" || !gst_structure_get_uint64(s, "size", &size))
    return;
  Shot &shot = shots_[index];
  std::string id = field_string(s, "video-id");
  if (!id.empty())
    shot.outcome.video_id = id;
  gboolean from_cache = FALSE;
  gst_structure_get_boolean(s, "from-cache", &from_cache);
  shot.outcome.from_cache = from_cache;
  if (events_.progress)
    events_.progress(index, shot.outcome.video_id +
                                (from_cache ? ": served from the cache (" : ": clip ready (") +
                                std::to_string(size) + " bytes)");
  end(index, ShotState::kDone, "");
}

void BatchGeneration::end(size_t index, ShotState state, const std::string &error) {
  Shot &shot = shots_[index];
  if (shot.outcome.state != ShotState::kRunning)
    return;
  shot.outcome.state = state;
  shot.outcome.error = error;
  /* The clip is in the cache (and at `location`) by now: stopping the
   * pipeline lets go of its reader and its temporary files. */
  release(shot);
  if (events_.finished)
    events_.finished(index);
  launch_next();
  check_all_over();
}

void BatchGeneration::release(Shot &shot) {
  if (!shot.pipeline)
    return;
  gst_element_set_state(shot.pipeline, GST_STATE_NULL);
  if (shot.watch) {
    g_autoptr(GstBus) bus = gst_element_get_bus(shot.pipeline);
    gst_bus_remove_watch(bus);
    shot.watch = 0;
  }
  gst_object_unref(shot.pipeline);
  shot.pipeline = nullptr;
}

void BatchGeneration::check_all_over() {
  if (told_over_)
    return;
  for (const Shot &shot : shots_) {
    if (shot.outcome.state == ShotState::kWaiting || shot.outcome.state == ShotState::kRunning)
      return;
  }
  told_over_ = true;
  if (events_.all_over)
    events_.all_over();
}

}  // namespace sora::generate
