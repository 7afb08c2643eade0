/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The slates of a programme, rendered ahead of need on a thread of their
 * own, so that a live programme never waits for one: a card's pipeline
 * (textoverlay, Pango's first start) takes from milliseconds to a second
 * on a loaded machine, longer than a live programme's latency.
 *
 * The programme asks for the cards it may need next (prepare(): the next
 * shot's "Next: <prompt>", "Please stand by") as soon as it knows them; get()
 * returns a card if it is ready, else nothing (it is then rendered at once)
 * and the programme repeats its last frame meanwhile. With a slate image,
 * every card is that image. A new format (set_caps) renders them again.
 * stop() returns within a few tens of milliseconds, whatever is rendering. */
#pragma once

#include "gst_ptr.h"

#include <gst/gst.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sora::playlist {

class SlateCards {
 public:
  /* `owner` gets the warning when the image cannot be used; `ready` is
   * called (on the cards' thread) when a card is ready. */
  SlateCards(GstElement *owner, std::string image_path, std::function<void()> ready);
  ~SlateCards();
  SlateCards(const SlateCards &) = delete;
  SlateCards &operator=(const SlateCards &) = delete;

  /* The programme's video caps: cards in another format are dropped. */
  void set_caps(GstCaps *caps);
  /* Renders the card for `text` if it is not there yet. */
  void prepare(const std::string &text);
  /* The card for `text` (or the image); nothing while it renders; a null
   * card when it could not be drawn. */
  std::optional<SamplePtr> get(const std::string &text);
  /* Joins the thread; any render in progress gives up. */
  void stop();

 private:
  void run();
  SamplePtr render(const std::string &text, GstCaps *caps);

  GstElement *owner_;
  std::string image_path_;
  std::function<void()> ready_;
  std::mutex lock_;
  std::condition_variable cond_;
  CapsPtr caps_;                           /* under lock_ */
  std::deque<std::string> wanted_;         /* under lock_ */
  std::map<std::string, SamplePtr> cards_; /* under lock_; null: it failed */
  SamplePtr image_;                        /* under lock_ */
  bool image_failed_ = false;              /* under lock_ */
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sora::playlist
