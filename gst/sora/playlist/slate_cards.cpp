/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "slate_cards.h"

#include "slate.h"

#include <pthread.h>

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN(sora_playlist_debug);
#define GST_CAT_DEFAULT sora_playlist_debug

namespace sora::playlist {

namespace {

/* A card per upcoming prompt: a channel that runs all day keeps a few. */
constexpr size_t kMaxCards = 8;

}  // namespace

SlateCards::SlateCards(GstElement *owner, std::string image_path, std::function<void()> ready)
    : owner_(owner), image_path_(std::move(image_path)), ready_(std::move(ready)) {
  thread_ = std::thread([this] {
    /* Named, so that a test can see it is gone after set_state(NULL). */
    pthread_setname_np(pthread_self(), "sora-slates");
    run();
  });
}

SlateCards::~SlateCards() {
  stop();
}

void SlateCards::stop() {
  stopping_.store(true);
  cond_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void SlateCards::set_caps(GstCaps *caps) {
  std::lock_guard<std::mutex> guard(lock_);
  if (caps_ && caps && gst_caps_is_equal(caps_.get(), caps))
    return;
  caps_ = ref_caps(caps);
  cards_.clear();
  image_.reset();
  image_failed_ = false;
  cond_.notify_all();
}

void SlateCards::prepare(const std::string &text) {
  std::lock_guard<std::mutex> guard(lock_);
  if (cards_.count(text) || std::find(wanted_.begin(), wanted_.end(), text) != wanted_.end())
    return;
  wanted_.push_back(text);
  cond_.notify_all();
}

std::optional<SamplePtr> SlateCards::get(const std::string &text) {
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (image_)
      return ref_sample(image_.get());
    auto found = cards_.find(text);
    if (found != cards_.end())
      return ref_sample(found->second.get());
  }
  prepare(text);
  return std::nullopt;
}

void SlateCards::run() {
  while (!stopping_.load()) {
    std::string text;
    CapsPtr caps;
    {
      std::unique_lock<std::mutex> guard(lock_);
      cond_.wait(guard, [this] { return stopping_.load() || (caps_ && !wanted_.empty()); });
      if (stopping_.load())
        return;
      text = wanted_.front();
      caps = ref_caps(caps_.get());
    }
    SamplePtr card = render(text, caps.get());
    bool fresh = false;
    {
      std::lock_guard<std::mutex> guard(lock_);
      if (!wanted_.empty() && wanted_.front() == text)
        wanted_.pop_front();
      /* Kept (a failure too, as a null card) only if the format did not
       * change meanwhile. */
      if (caps_ && gst_caps_is_equal(caps_.get(), caps.get())) {
        if (cards_.size() >= kMaxCards)
          cards_.clear();
        cards_.emplace(text, std::move(card));
        fresh = true;
      }
    }
    if (fresh)
      ready_();
  }
}

SamplePtr SlateCards::render(const std::string &text, GstCaps *caps) {
  std::string error;
  bool use_image;
  {
    std::lock_guard<std::mutex> guard(lock_);
    use_image = !image_path_.empty() && !image_failed_ && !image_;
  }
  if (use_image) {
    SamplePtr image(render_slate_image(image_path_, caps, error, stopping_));
    {
      std::lock_guard<std::mutex> guard(lock_);
      if (image) {
        image_ = ref_sample(image.get());
        return image;
      }
      image_failed_ = true;
    }
    if (!stopping_.load())
      GST_ELEMENT_WARNING(owner_, RESOURCE, READ,
                          ("Cannot use the slate image %s: %s; showing a plain card instead",
                           image_path_.c_str(), error.c_str()),
                          (nullptr));
  }
  SamplePtr card(render_slate_card(text, caps, error, stopping_));
  if (!card && !stopping_.load())
    GST_WARNING_OBJECT(owner_, "cannot draw the slate card: %s", error.c_str());
  return card;
}

}  // namespace sora::playlist
