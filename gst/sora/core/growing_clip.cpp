/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/growing_clip.h"

#include <glib/gstdio.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cerrno>

namespace sora {

void GrowingClip::open(const std::string &path) {
  auto file = std::make_shared<FileDescriptor>(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::lock_guard<std::mutex> guard(lock_);
  file_ = std::move(file);
  generation_++;
  ranges_.clear();
  asked_.clear();
  lost_.clear();
  verified_ = false;
  total_ = -1;
  first_byte_us_ = 0;
  changed_.notify_all();
}

void GrowingClip::verified(gint64 total) {
  std::lock_guard<std::mutex> guard(lock_);
  verified_ = true;
  total_ = total;
  changed_.notify_all();
}

void GrowingClip::add(guint64 offset, guint64 length) {
  if (length == 0)
    return;
  std::lock_guard<std::mutex> guard(lock_);
  if (offset == 0 && first_byte_us_ == 0)
    first_byte_us_ = g_get_monotonic_time();
  guint64 start = offset, end = offset + length;
  /* Merge with every range it touches. */
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), std::make_pair(start, start));
  if (it != ranges_.begin() && std::prev(it)->second >= start)
    --it;
  auto first = it;
  while (it != ranges_.end() && it->first <= end) {
    start = std::min(start, it->first);
    end = std::max(end, it->second);
    ++it;
  }
  it = ranges_.erase(first, it);
  ranges_.insert(it, {start, end});
  changed_.notify_all();
}

void GrowingClip::restart() {
  std::lock_guard<std::mutex> guard(lock_);
  generation_++;
  ranges_.clear();
  asked_.clear();
  lost_.clear();
  first_byte_us_ = 0;
  verified_ = false;
  total_ = -1;
  changed_.notify_all();
}

void GrowingClip::complete(guint64 size) {
  std::lock_guard<std::mutex> guard(lock_);
  ranges_.assign(1, {0, size});
  total_ = static_cast<gint64>(size);
  verified_ = true;
  complete_ = true;
  fetcher_ = nullptr;
  changed_.notify_all();
}

void GrowingClip::fail() {
  std::lock_guard<std::mutex> guard(lock_);
  failed_ = true;
  fetcher_ = nullptr;
  changed_.notify_all();
}

void GrowingClip::fail_range(guint64 offset, guint64 end, std::string problem) {
  std::lock_guard<std::mutex> guard(lock_);
  lost_.emplace_back(offset, end);
  range_problem_ = std::move(problem);
  changed_.notify_all();
}

std::string GrowingClip::range_problem() const {
  std::lock_guard<std::mutex> guard(lock_);
  return range_problem_;
}

void GrowingClip::set_fetcher(Fetcher fetcher) {
  std::lock_guard<std::mutex> guard(lock_);
  fetcher_ = std::move(fetcher);
}

void GrowingClip::set_flushing(bool flushing) {
  std::lock_guard<std::mutex> guard(lock_);
  flushing_ = flushing;
  changed_.notify_all();
}

std::optional<guint64> GrowingClip::size() const {
  std::lock_guard<std::mutex> guard(lock_);
  return total_ >= 0 ? std::optional<guint64>(static_cast<guint64>(total_)) : std::nullopt;
}

std::vector<std::pair<guint64, guint64>> GrowingClip::ranges() const {
  std::lock_guard<std::mutex> guard(lock_);
  return ranges_;
}

bool GrowingClip::has(guint64 offset, guint64 end) const {
  std::lock_guard<std::mutex> guard(lock_);
  return offset >= end || covered(offset, end);
}

/* Whether the sequential download, at the pace it has kept, reaches
 * `offset` within kSoonUs: then a Range request of its own would only fetch
 * those bytes twice (at loopback speed a demuxer's early look at the moov
 * at the end is met in milliseconds). Unknown until the download has
 * brought kPaceBytes: until then, soon. */
bool GrowingClip::arrives_soon(guint64 offset) const {
  guint64 have = prefix_end();
  if (have == 0 || first_byte_us_ == 0)
    return true;
  gint64 elapsed_us = g_get_monotonic_time() - first_byte_us_;
  if (have < kPaceBytes)
    return elapsed_us < kSoonUs;
  if (elapsed_us <= 0)
    return true;
  double eta_us = static_cast<double>(offset - have) * static_cast<double>(elapsed_us) /
                  static_cast<double>(have);
  return eta_us < kSoonUs;
}

bool GrowingClip::covered(guint64 offset, guint64 end) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), std::make_pair(offset, G_MAXUINT64));
  if (it == ranges_.begin())
    return false;
  --it;
  return it->first <= offset && it->second >= end;
}

guint64 GrowingClip::prefix_end() const {
  return !ranges_.empty() && ranges_.front().first == 0 ? ranges_.front().second : 0;
}

GrowingClip::Wait GrowingClip::wait(guint64 offset, guint64 *length) {
  std::unique_lock<std::mutex> guard(lock_);
  for (;;) {
    if (flushing_)
      return Wait::kFlushing;
    if (failed_)
      return Wait::kFailed;
    if (verified_) {
      /* Past the size the server gave is the end (a demuxer looks there
       * for what follows the last box); before it, a read waits for its
       * bytes and is never cut short but by that size. */
      if (total_ >= 0) {
        guint64 total = static_cast<guint64>(total_);
        if (offset >= total)
          return Wait::kEnd;
        *length = std::min(*length, total - offset);
      }
      if (offset < static_cast<guint64>(std::max<gint64>(total_, 0)) || total_ < 0) {
        if (covered(offset, offset + *length))
          return Wait::kReady;
        if (complete_) {
          /* The size was unknown until now: what is left of the clip. */
          if (offset >= prefix_end())
            return Wait::kEnd;
          *length = prefix_end() - offset;
          return Wait::kReady;
        }
      }
      bool lost = std::any_of(lost_.begin(), lost_.end(), [&](const auto &range) {
        return range.first <= offset && offset < range.second;
      });
      if (lost)
        return Wait::kRangeFailed;
      /* Far ahead of the sequential download: have it fetched on its own,
       * once. The fetcher only posts to the loop: no lock needed there, but
       * none held either. */
      bool asked = std::any_of(asked_.begin(), asked_.end(), [&](const auto &range) {
        return range.first <= offset && offset < range.second;
      });
      bool far = fetcher_ && total_ >= 0 && !asked && offset > prefix_end() + kAheadBytes &&
                 offset < static_cast<guint64>(total_);
      if (far && arrives_soon(offset)) {
        /* The download gets there soon on its own: look again as it goes
         * (or as it stalls). */
        changed_.wait_for(guard, std::chrono::milliseconds(100));
        continue;
      }
      if (far) {
        /* The rest of the clip when it is small (an MP4's moov at the
         * end), else a stretch of it (a seek). */
        guint64 total = static_cast<guint64>(total_);
        guint64 want = total - offset <= 16 * kAheadBytes ? total - offset
                                                          : std::max(*length, 4 * kAheadBytes);
        asked_.emplace_back(offset, offset + want);
        Fetcher fetcher = fetcher_;
        guard.unlock();
        fetcher(offset, want);
        guard.lock();
        continue;
      }
    }
    changed_.wait(guard);
  }
}

void GrowingClip::set_read_hook(std::function<void()> hook) {
  std::lock_guard<std::mutex> guard(lock_);
  read_hook_ = std::move(hook);
}

GrowingClip::Read GrowingClip::read(guint64 offset, void *data, gsize size, int *error) {
  std::shared_ptr<FileDescriptor> file;
  guint64 generation;
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (!covered(offset, offset + size))
      return Read::kGone;
    file = file_;
    generation = generation_;
    hook = read_hook_;
  }
  if (hook)
    hook();
  gssize got = -1;
  errno = EBADF;
  if (file && file->valid())
    got = read_at(file->get(), data, size, offset);
  int read_errno = errno;
  {
    /* A restart during the pread() may have truncated the file under it. */
    std::lock_guard<std::mutex> guard(lock_);
    if (generation != generation_)
      return Read::kGone;
  }
  if (got != static_cast<gssize>(size)) {
    *error = got < 0 ? read_errno : 0;
    return Read::kError;
  }
  return Read::kDone;
}

}  // namespace sora
