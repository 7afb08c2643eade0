/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "clip_renderer.h"

#include "preview_images.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <algorithm>

namespace {

// Bump whenever a change here alters the rendered bytes, so cached renders are not reused.
constexpr int kRendererVersion = 1;
constexpr int kAudioRate = 48000;

// The audio track: a sine in buffers of one frame's length where the rate allows (so that the
// 30 fps clips keep the bytes they always had), else of 20 ms.
std::string audio_branch(const ClipSpec &spec) {
  if (!spec.audio) {
    return "";
  }
  int samples_per_buffer = kAudioRate % spec.fps == 0 ? kAudioRate / spec.fps : kAudioRate / 50;
  int buffers_per_second = kAudioRate / samples_per_buffer;
  g_autofree char *branch = g_strdup_printf(
      " audiotestsrc wave=sine freq=440 volume=0.2 num-buffers=%d samplesperbuffer=%d"
      "   ! audio/x-raw,rate=%d,channels=2 ! avenc_aac ! mux.",
      spec.total_seconds() * buffers_per_second, samples_per_buffer, kAudioRate);
  return branch;
}

// The pipeline's shape. User text (prompts) and paths are set through properties, never pasted
// into the description, so no quoting can break it. The frame counter is redrawn for every frame,
// so it goes without outline and shadow (the costly part of drawing text); its shaded box keeps it
// readable.
std::string pipeline_description(const ClipSpec &spec) {
  const bool sized = spec.bitrate_kbps > 0;
  g_autofree char *source = sized
                                ? g_strdup("videotestsrc pattern=snow")
                                : g_strdup("videotestsrc pattern=ball background-color=0xff23395b");
  g_autofree char *rate =
      sized ? g_strdup_printf(" pass=cbr bitrate=%d", spec.bitrate_kbps) : g_strdup("");
  // A keyframe each second, whatever the frame rate.
  g_autofree char *description = g_strdup_printf(
      "%s num-buffers=%" G_GUINT64_FORMAT
      " ! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1"
      " ! textoverlay name=prompt_overlay valignment=top halignment=center line-alignment=center"
      "   wrap-mode=wordchar shaded-background=true"
      " ! textoverlay name=frame_overlay valignment=bottom halignment=right"
      "   shaded-background=true draw-outline=false draw-shadow=false"
      " ! tee name=frames"
      " frames. ! queue ! x264enc speed-preset=ultrafast key-int-max=%d option-string=8x8dct=1%s"
      "   ! video/x-h264,profile=high ! mux."
      " frames. ! queue ! appsink name=preview_frames sync=false"
      "%s"
      " mp4mux name=mux faststart=%s ! filesink name=video_file",
      source, spec.frame_count(), spec.width, spec.height, spec.fps, spec.fps, rate,
      audio_branch(spec).c_str(), spec.layout == Mp4Layout::kMoovFirst ? "true" : "false");
  return description;
}

guint64 frame_index_of(GstBuffer *buffer, int fps) {
  return gst_util_uint64_scale_round(GST_BUFFER_PTS(buffer), fps, GST_SECOND);
}

// Keeps the overlays in step with the frames: the prompt of the segment being shown (it changes
// at an extension's boundary) and the frame counter that makes every frame identifiable.
class OverlayText {
 public:
  explicit OverlayText(const ClipSpec &spec) : spec_(spec) {}
  ~OverlayText() {
    gst_clear_object(&prompt_overlay_);
    gst_clear_object(&frame_overlay_);
  }
  OverlayText(const OverlayText &) = delete;
  OverlayText &operator=(const OverlayText &) = delete;

  void attach(GstBin *pipeline) {
    prompt_overlay_ = gst_bin_get_by_name(pipeline, "prompt_overlay");
    frame_overlay_ = gst_bin_get_by_name(pipeline, "frame_overlay");
    // Text sized relative to the frame width so it reads the same on every size.
    int font_size = std::max(8, spec_.width / 40);
    g_autofree char *prompt_font = g_strdup_printf("Sans Bold %d", font_size);
    g_autofree char *counter_font = g_strdup_printf("Monospace %d", font_size);
    g_object_set(prompt_overlay_, "font-desc", prompt_font, nullptr);
    g_object_set(frame_overlay_, "font-desc", counter_font, nullptr);
    g_autoptr(GstPad) input = gst_element_get_static_pad(prompt_overlay_, "video_sink");
    gst_pad_add_probe(input, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, this, nullptr);
  }

 private:
  static GstPadProbeReturn on_buffer(GstPad *, GstPadProbeInfo *info, gpointer self) {
    auto *overlay = static_cast<OverlayText *>(self);
    overlay->show_frame(frame_index_of(GST_PAD_PROBE_INFO_BUFFER(info), overlay->spec_.fps));
    return GST_PAD_PROBE_OK;
  }

  void show_frame(guint64 frame) {
    size_t segment = segment_at(frame);
    if (segment != shown_segment_) {
      // textoverlay reads its text as Pango markup.
      g_autofree char *escaped = g_markup_escape_text(spec_.segments[segment].prompt.c_str(), -1);
      g_object_set(prompt_overlay_, "text", escaped, nullptr);
      shown_segment_ = segment;
    }
    g_autofree char *counter = g_strdup_printf("frame %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                                               frame, spec_.frame_count());
    g_object_set(frame_overlay_, "text", counter, nullptr);
  }

  size_t segment_at(guint64 frame) const {
    guint64 segment_end = 0;
    for (size_t i = 0; i < spec_.segments.size(); i++) {
      segment_end += static_cast<guint64>(spec_.segments[i].seconds) * spec_.fps;
      if (frame < segment_end) {
        return i;
      }
    }
    return spec_.segments.size() - 1;
  }

  const ClipSpec &spec_;
  GstElement *prompt_overlay_ = nullptr;
  GstElement *frame_overlay_ = nullptr;
  size_t shown_segment_ = SIZE_MAX;
};

struct PreviewTarget {
  PreviewImages &previews;
  int fps;
};

GstFlowReturn on_preview_sample(GstAppSink *sink, gpointer data) {
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample(sink);
  if (!sample) {
    return GST_FLOW_EOS;
  }
  auto *target = static_cast<PreviewTarget *>(data);
  target->previews.add_frame(frame_index_of(gst_sample_get_buffer(sample), target->fps), sample);
  return GST_FLOW_OK;
}

// Owns a pipeline and stops it on every way out, before the objects its callbacks use go away.
class RunningPipeline {
 public:
  explicit RunningPipeline(GstElement *pipeline) : pipeline_(pipeline) {}
  ~RunningPipeline() {
    gst_element_set_state(pipeline_, GST_STATE_NULL);
    gst_object_unref(pipeline_);
  }
  RunningPipeline(const RunningPipeline &) = delete;
  RunningPipeline &operator=(const RunningPipeline &) = delete;

  GstElement *get() const { return pipeline_; }
  GstBin *bin() const { return GST_BIN(pipeline_); }

 private:
  GstElement *pipeline_;
};

void set_output_files(GstBin *pipeline, const RenderedClip &outputs) {
  g_autoptr(GstElement) video_file = gst_bin_get_by_name(pipeline, "video_file");
  g_object_set(video_file, "location", outputs.video_path.c_str(), nullptr);
  // The faststart rewrite needs a scratch file; keep it beside the output so cleanup finds it.
  g_autoptr(GstElement) mux = gst_bin_get_by_name(pipeline, "mux");
  std::string faststart_file = outputs.video_path + ".faststart";
  g_object_set(mux, "faststart-file", faststart_file.c_str(), nullptr);
}

void send_frames_to(GstBin *pipeline, PreviewTarget &target) {
  g_autoptr(GstElement) sink = gst_bin_get_by_name(pipeline, "preview_frames");
  GstAppSinkCallbacks callbacks = {};
  callbacks.new_sample = on_preview_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, &target, nullptr);
}

void post_cancel_message(GCancellable *, gpointer bus) {
  gst_bus_post(GST_BUS(bus),
               gst_message_new_application(nullptr, gst_structure_new_empty("cancel")));
}

// Plays the pipeline until EOS, an error or cancellation.
bool play_to_end(GstElement *pipeline, GCancellable *cancellable, std::string &error) {
  g_autoptr(GstBus) bus = gst_element_get_bus(pipeline);
  gulong cancel_handler = g_cancellable_connect(cancellable, G_CALLBACK(post_cancel_message),
                                                gst_object_ref(bus), gst_object_unref);
  bool finished = false;
  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    error = "the render pipeline did not start";
  } else {
    g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered(
        bus, GST_CLOCK_TIME_NONE,
        static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_APPLICATION));
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS) {
      finished = true;
    } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
      g_autoptr(GError) gst_error = nullptr;
      gst_message_parse_error(message, &gst_error, nullptr);
      error = gst_error->message;
    } else {
      error = "the render was cancelled";
    }
  }
  g_cancellable_disconnect(cancellable, cancel_handler);
  return finished;
}

}  // namespace

std::string render_cache_key(const ClipSpec &spec) {
  g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
  g_autofree char *header = g_strdup_printf("renderer=%d;layout=%s;size=%dx%d;", kRendererVersion,
                                            mp4_layout_name(spec.layout), spec.width, spec.height);
  g_checksum_update(checksum, reinterpret_cast<const guchar *>(header), -1);
  // Each only when it differs from the usual clip, so that the keys of the usual clips stay as
  // they were.
  if (spec.bitrate_kbps > 0) {
    g_autofree char *bitrate = g_strdup_printf("bitrate=%d;", spec.bitrate_kbps);
    g_checksum_update(checksum, reinterpret_cast<const guchar *>(bitrate), -1);
  }
  if (spec.fps != kClipFramesPerSecond) {
    g_autofree char *fps = g_strdup_printf("fps=%d;", spec.fps);
    g_checksum_update(checksum, reinterpret_cast<const guchar *>(fps), -1);
  }
  if (!spec.audio) {
    g_checksum_update(checksum, reinterpret_cast<const guchar *>("audio=none;"), -1);
  }
  for (const ClipSegment &segment : spec.segments) {
    // Length-prefixed so that no two segment lists hash the same text.
    g_autofree char *segment_header =
        g_strdup_printf("segment=%d,%zu:", segment.seconds, segment.prompt.size());
    g_checksum_update(checksum, reinterpret_cast<const guchar *>(segment_header), -1);
    g_checksum_update(checksum, reinterpret_cast<const guchar *>(segment.prompt.data()),
                      static_cast<gssize>(segment.prompt.size()));
  }
  return g_checksum_get_string(checksum);
}

bool render_clip(const ClipSpec &spec, const RenderedClip &outputs, GCancellable *cancellable,
                 std::string &error) {
  // Declared before the pipeline so that they outlive it: its streaming threads call into them.
  PreviewImages previews(spec.width, spec.height, spec.frame_count());
  PreviewTarget preview_target{previews, spec.fps};
  OverlayText overlay_text(spec);

  g_autoptr(GError) parse_error = nullptr;
  GstElement *parsed = gst_parse_launch(pipeline_description(spec).c_str(), &parse_error);
  if (!parsed) {
    error = std::string("cannot build the render pipeline: ") + parse_error->message;
    return false;
  }
  RunningPipeline pipeline(GST_ELEMENT(gst_object_ref_sink(parsed)));
  if (parse_error) {
    error = std::string("the render pipeline is incomplete: ") + parse_error->message;
    return false;
  }
  set_output_files(pipeline.bin(), outputs);
  overlay_text.attach(pipeline.bin());
  send_frames_to(pipeline.bin(), preview_target);
  return play_to_end(pipeline.get(), cancellable, error) &&
         previews.write(outputs.thumbnail_path, outputs.spritesheet_path, error);
}
