/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The programme: one thread that turns a list of shots into continuous
 * video and audio on the bin's two appsrcs.
 *
 * It generates the shots ahead of their turn (ShotGeneration: a clip on
 * disk), in playlist order, at most max-parallel at once, and decodes the
 * shot on air and the next one (ShotDecoder). It plays the shots in
 * playlist order whatever order they finish in, restamping every
 * frame and audio sample from the programme's own frame and sample counts
 * (ProgrammeFormat), so timestamps run on from 0 without gap or overlap and
 * each shot's audio is exactly as long as its video. A shot without audio
 * gets silence; a shot shorter than its `duration` holds its last frame. A
 * failed shot is an error, skipped, or filled with the slate; a live
 * programme paces itself on the pipeline clock and shows the slate for as
 * long as the next shot is late, so it never stalls.
 *
 * The thread only ever waits on its own condition variable: samples,
 * queues with room, bus messages of the shots, appended shots, seeks and
 * stop() all wake it, so set_state(NULL) is served within milliseconds.
 *
 * One class, one file per responsibility: programme.cpp (lifecycle, the
 * loop, messages), programme_shots.cpp (generations and decoders),
 * programme_timeline.cpp (what plays next, seeks, lengths),
 * programme_output.cpp (samples onto the grid, into the appsrcs),
 * programme_pacing.cpp (the live clock, slates), programme_negotiation.cpp
 * (the format downstream accepts). */
#pragma once

#include "clip_info.h"
#include "gst_ptr.h"
#include "programme_format.h"
#include "shot_decoder.h"
#include "shot_defaults.h"
#include "shot_generation.h"
#include "shot_spec.h"
#include "slate_cards.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sora::playlist {

enum class OnFailure { kError, kSkip, kSlate };

/* A live programme: what each appsrc may hold ahead of the sinks before the
 * programme waits (a hiccup downstream); the bin's max-latency is its
 * min-latency plus this. */
constexpr GstClockTime kLiveQueueTime = 1 * GST_SECOND;

struct ProgrammeSettings {
  std::vector<ShotSpec> shots;
  bool keep_open = false; /* wait for append-shot after the last shot */
  guint max_parallel = 3;
  OnFailure on_failure = OnFailure::kError;
  bool live = false;
  std::string slate_image; /* empty: a card with the next prompt */
  CapsPtr video_caps;      /* as the user set them; may be null or partial */
  CapsPtr audio_caps;      /* fixed */
};

/* What wakes the thread. Shared with the appsrc callbacks, which may still
 * run after the programme is gone. */
struct Wakeup {
  std::mutex lock;
  std::condition_variable cond;
  bool pending = false;
  /* A flushing seek the bin is passing to the appsrcs: their seek-data
   * callbacks accept it. Any other seek is refused. */
  std::atomic<bool> seeking{false};
  /* basesrc's own seek to 0 as each appsrc starts: accepted once each. */
  std::atomic<int> initial_seeks{2};
  void notify();
};

class Programme {
 public:
  Programme(GstElement *owner, GstAppSrc *video, GstAppSrc *audio, const ShotDefaults &defaults,
            ProgrammeSettings settings);
  ~Programme();
  Programme(const Programme &) = delete;
  Programme &operator=(const Programme &) = delete;

  void start();
  /* Stops the thread and every shot's pipeline; returns once they are all
   * gone. */
  void stop();
  /* False when the playlist is closed (end-of-playlist, or keep-open off
   * and the programme ended). */
  bool append(ShotSpec shot);
  void end_of_playlist();
  /* The element's state changed (PLAYING: the live clock runs). */
  void wake() { wakeup_->notify(); }
  /* Downstream sent RECONFIGURE: the video format is negotiated again at
   * the next shot boundary. Any thread. */
  void reconfigure();
  /* A flushing TIME seek (not live), in two steps around the appsrcs'
   * own flush: hold_for_seek() returns once the programme pushes nothing
   * more; seek_to() then moves it to `position` (programme time), or lets
   * it go on where it was when the seek failed (nothing). Any thread. */
  void hold_for_seek();
  void seek_to(std::optional<GstClockTime> position);
  /* The programme's length, once every shot's is known (not live). */
  std::optional<GstClockTime> duration() const;

 private:
  enum class ShotState { kQueued, kGenerating, kReady, kPlaying, kDone, kFailed, kSkipped };
  struct Failure {
    GQuark domain = 0;
    gint code = 0;
    std::string message;
    std::string debug;
    StructurePtr details;
  };
  struct Shot {
    size_t index = 0;
    ShotSpec spec;
    std::string title;
    /* Written by the hooks, under lock_. */
    bool generated = false; /* the clip is on disk */
    bool decoded = false;   /* its decoder prerolled */
    std::optional<Failure> failure;
    guint progress = 0;
    std::string video_id;
    /* The programme thread's own. */
    ShotState state = ShotState::kQueued;
    std::unique_ptr<ShotGeneration> generation;
    std::unique_ptr<ShotDecoder> decoder;
    std::string path;      /* the clip */
    bool own_file = false; /* in the programme's directory: removed when done */
    std::optional<ClipInfo> info;
    bool failure_handled = false;
    std::optional<guint64> length;                  /* frames, once final */
    GstClockTime decoded_end = GST_CLOCK_TIME_NONE; /* its decoder's, once stopped */
    SamplePtr video_head;
    SamplePtr last_frame;
    SamplePtr audio_head;
    guint64 audio_head_used = 0; /* samples of audio_head already pushed */
  };
  enum class SegmentKind { kShot, kSlate };
  struct Segment {
    SegmentKind kind = SegmentKind::kShot;
    Shot *shot = nullptr; /* the shot played, or the failed shot a slate stands for */
    size_t awaits = 0;    /* a waiting slate: the index of the shot it waits for */
    bool waiting = false; /* a live slate that lasts until the next shot is there */
    guint64 first_frame = 0;
    std::optional<guint64> frames;
    std::string slate_text;
    std::optional<SamplePtr> slate; /* nothing while its card renders */
    guint64 video_done = 0;         /* frames pushed */
    guint64 audio_done = 0;         /* samples pushed */
    bool video_finished = false;
    bool audio_finished = false;
  };

  void run();
  Shot *shot_at(size_t index) const;
  size_t shot_count() const;

  /* Hooks, on the shots' threads. */
  void on_generation_message(size_t index, GstMessage *message);
  void on_decoder_message(size_t index, GstMessage *message);
  void record_failure(Shot &shot, GstMessage *message);
  void forward_warning(const Shot &shot, GstMessage *message);
  bool record_failure_or_warning(Shot &shot, GstMessage *message);

  void try_fix_format();
  GstCaps *negotiated_video_caps(const GstCaps *requested, const FrameShape &shape);
  void renegotiate_video();
  void handle_shot_changes();
  void on_generated(Shot &shot);
  void on_decoded(Shot &shot);
  void on_failed(Shot &shot);
  void start_generations();
  void start_generation(Shot &shot);
  void start_decoders();
  void stop_shot(Shot &shot);
  GstClockTime decoded_end(const Shot &shot) const;
  void begin_wait(const Shot &shot);
  void continue_wait(const std::string &text);
  void end_wait(GstProgressType type, const std::string &text);

  bool playable(const Shot &shot) const;
  bool step_video();
  bool decide_next();
  BufferPtr next_video_frame(Segment &segment, GstClockTime pts);
  BufferPtr next_shot_frame(Segment &segment, GstClockTime pts);
  bool waiting_over(const Segment &segment);
  void start_at_seek(Segment &segment);
  void add_waiting_slate(size_t awaits, guint64 first_frame, const std::string &text);
  bool step_audio();
  guint64 audio_end(const Segment &segment, bool &final) const;
  BufferPtr next_audio(Segment &segment, guint64 want, GstClockTime pts);
  void reap();
  void forget_played_shots();
  bool apply_seek();

  std::optional<SamplePtr> slate_for(const std::string &text);
  void prepare_slates(size_t next);
  std::string next_title(size_t after) const;
  guint64 planned_frames(const Shot &shot) const;
  std::optional<guint64> known_length(const Shot &shot) const;
  const ProgrammeFormat *format() const;

  bool room(GstAppSrc *src) const;
  bool clock_running();
  GstClockTime out_time(GstClockTime pts) const;
  bool due(GstClockTime pts);
  bool overdue(GstClockTime pts);
  void wake_in(GstClockTime delay);
  bool push(GstAppSrc *src, BufferPtr buffer);
  void decide_outputs();
  bool output_on(GstAppSrc *src) const { return src == video_src_ ? video_on_ : audio_on_; }

  void post_shot(const Shot &shot, const char *state, GstStructure *extra = nullptr);
  void post_progress(GstProgressType type, const std::string &text);
  void post_failure(const Shot &shot, bool as_error, const std::string &consequence);
  void post_slate_warning(const Segment &segment);
  void update_duration();

  GstElement *owner_;
  GstAppSrc *video_src_;
  GstAppSrc *audio_src_;
  const ShotDefaults &defaults_;
  ProgrammeSettings settings_;
  std::shared_ptr<Wakeup> wakeup_;

  mutable std::mutex lock_; /* the fields marked "under lock_"; never held across GStreamer calls */
  std::deque<std::unique_ptr<Shot>> shots_; /* under lock_; from first_index_ on */
  size_t first_index_ = 0; /* under lock_; live: shots before it were played and forgotten */
  bool closed_ = false;    /* under lock_ */
  bool stopping_ = false;  /* under lock_ */
  std::unique_ptr<ProgrammeFormat> format_; /* under lock_; set once */
  std::optional<GstClockTime> duration_;    /* under lock_ */
  std::string directory_;                   /* the clips' temporary directory */

  /* The programme thread's own. */
  std::thread thread_;
  bool started_ = false;
  bool stopped_ = false;
  size_t settled_ = 0; /* shots before it are over (done, skipped, failed) */
  size_t next_to_start_ = 0;
  size_t next_to_play_ = 0;
  std::deque<Segment> timeline_;
  guint64 frames_out_ = 0;
  guint64 samples_out_ = 0;
  bool video_ended_ = false;
  bool audio_ended_ = false;
  bool failed_ = false; /* an error ended the programme */
  bool first_video_ = true;
  bool first_audio_ = true;
  CapsPtr video_caps_out_;               /* the caps the video appsrc has */
  std::atomic<bool> reconfigure_{false}; /* downstream asked for another format */
  /* Seeking: held while the appsrcs flush (push() pushes nothing), then
   * the position to move to, applied by the programme's thread once the
   * shots before it are generated. */
  std::mutex push_lock_;
  bool seek_hold_ = false;                  /* under push_lock_ */
  std::optional<GstClockTime> seek_target_; /* under push_lock_ */
  std::optional<guint64> seek_offset_;      /* frames into the next segment */
  /* Live: the running time at which the programme started (its time 0). */
  std::optional<GstClockTime> live_offset_;
  /* Whether a pad is played at all: decided when the first buffer goes out
   * (a pad left unlinked while the other is linked is not, as concat and
   * uriplaylistbin users expect). */
  bool outputs_decided_ = false;
  bool video_on_ = true;
  bool audio_on_ = true;
  BufferPtr last_video_; /* the last frame pushed, for a live programme with nothing else */
  std::unique_ptr<SlateCards> cards_;
  std::optional<std::chrono::steady_clock::time_point> wake_at_;
  bool waiting_ = false;     /* a PROGRESS task is open: the programme waits for a shot */
  bool closed_seen_ = false; /* the end of the playlist was seen */
};

}  // namespace sora::playlist
