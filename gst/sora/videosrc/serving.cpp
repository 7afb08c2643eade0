/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc as a GstBaseSrc: the clip's bytes by offset, from the file
 * as it downloads (a read waits for its bytes) or from the whole clip, in
 * pull or push mode; the size once known; the tags with the first buffer. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "videosrc/private.h"

#include "core/file_read.h"
#include "core/variant.h"

#include <cerrno>

#define GST_CAT_DEFAULT gst_sora_video_src_debug

namespace sora_videosrc {

namespace {
GstBaseSrcClass *parent_class = nullptr;
}  // namespace

/* ---- GstBaseSrc ---- */

/* GstBaseSrc answers SCHEDULING by starting and stopping the element to
 * probe for random access; answering here keeps the probe from costing a
 * request. The clip always ends up in a file, so pull mode always works. */
static gboolean gst_sora_video_src_get_size(GstBaseSrc *base, guint64 *size);

static gboolean gst_sora_video_src_query(GstBaseSrc *base, GstQuery *query) {
  /* In bytes only (-1 while unknown, as GstBaseSrc says it): GstBaseSrc
   * would answer an unknown size as "-1" in any format, which a demuxer then
   * takes for the clip's duration in time instead of its own. */
  if (GST_QUERY_TYPE(query) == GST_QUERY_DURATION) {
    GstFormat format;
    gst_query_parse_duration(query, &format, nullptr);
    if (format != GST_FORMAT_BYTES)
      return FALSE;
    guint64 size = 0;
    gst_query_set_duration(
        query, GST_FORMAT_BYTES,
        gst_sora_video_src_get_size(base, &size) ? static_cast<gint64>(size) : -1);
    return TRUE;
  }
  if (GST_QUERY_TYPE(query) == GST_QUERY_SCHEDULING) {
    gst_query_set_scheduling(query, GST_SCHEDULING_FLAG_SEEKABLE, 1, -1, 0);
    gst_query_add_scheduling_mode(query, GST_PAD_MODE_PULL);
    gst_query_add_scheduling_mode(query, GST_PAD_MODE_PUSH);
    return TRUE;
  }
  return parent_class->query(base, query);
}

/* Before the clip is in, what the variant should be; after, what it is. */
static GstCaps *gst_sora_video_src_get_caps(GstBaseSrc *base, GstCaps *filter) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  GstCaps *caps;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    caps = priv->run && priv->run->clip_caps
               ? gst_caps_ref(priv->run->clip_caps)
               : gst_caps_from_string(sora::kVariants[priv->settings.variant].caps);
  }
  if (filter) {
    GstCaps *both = gst_caps_intersect_full(filter, caps, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref(caps);
    caps = both;
  }
  return caps;
}

static gboolean gst_sora_video_src_is_seekable(GstBaseSrc *) {
  return TRUE;
}

static gboolean gst_sora_video_src_get_size(GstBaseSrc *base, guint64 *size) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  /* Unknown while the clip grows, although the server said how long it is:
   * GstBaseSrc ends the stream at a known size by itself, and the end must
   * wait for the whole, checked clip (dynamic size: asked again later). */
  if (!priv->run || priv->run->clip != ClipState::kReady)
    return FALSE;
  *size = priv->run->clip_size;
  return TRUE;
}

static gboolean gst_sora_video_src_unlock(GstBaseSrc *base) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  priv->flushing = true;
  if (priv->run && priv->run->growing)
    priv->run->growing->set_flushing(true);
  priv->cond.notify_all();
  priv->emissions.set_interrupted(true);
  return TRUE;
}

static gboolean gst_sora_video_src_unlock_stop(GstBaseSrc *base) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(base)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  priv->flushing = false;
  if (priv->run && priv->run->growing)
    priv->run->growing->set_flushing(false);
  priv->emissions.set_interrupted(false);
  return TRUE;
}

/* The size was unknown when GstBaseSrc started; publish it the way
 * souphttpsrc does once Content-Length arrives (0: still unknown). Then the
 * tags. */
static void announce_clip(GstSoraVideoSrc *self, guint64 size, const sora::VideoObject &video,
                          const std::string &asked_prompt, const std::string &asked_model,
                          GstCaps *clip_caps) {
  GstBaseSrc *base = GST_BASE_SRC(self);
  GST_OBJECT_LOCK(self);
  base->segment.duration = size > 0 ? static_cast<gint64>(size) : -1;
  GST_OBJECT_UNLOCK(self);
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_duration_changed(GST_OBJECT(self)));

  const std::string &prompt = asked_prompt.empty() ? video.prompt : asked_prompt;
  const std::string &model = video.model.empty() ? asked_model : video.model;
  GstTagList *tags = gst_tag_list_new_empty();
  if (!prompt.empty())
    /* A prompt is a description (up to 32,000 characters), not a title. */
    gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_TAG_DESCRIPTION, prompt.c_str(), nullptr);
  if (!model.empty())
    gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_SORA_TAG_MODEL, model.c_str(), nullptr);
  if (!video.id.empty())
    gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_SORA_TAG_VIDEO_ID, video.id.c_str(), nullptr);
  gst_tag_list_set_scope(tags, GST_TAG_SCOPE_GLOBAL);
  /* In push mode the tags also travel downstream, after the caps of what
   * the clip really is (a gateway may send a JPEG thumbnail); in pull mode
   * only the bus can carry them, the demuxer drives the stream. */
  if (GST_PAD_MODE(GST_BASE_SRC_PAD(base)) == GST_PAD_MODE_PUSH) {
    g_autoptr(GstCaps) current = gst_pad_get_current_caps(GST_BASE_SRC_PAD(base));
    if (!current || !gst_caps_is_equal(current, clip_caps))
      gst_base_src_set_caps(base, clip_caps);
    /* Pushed from this streaming thread, not gst_element_send_event(): that
     * takes the state lock, which a set_state(NULL) in progress holds while
     * it waits for this very thread: a deadlock. */
    gst_pad_push_event(GST_BASE_SRC_PAD(base), gst_event_new_tag(gst_tag_list_ref(tags)));
  }
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_tag(GST_OBJECT(self), tags));
}

/* The run's error, posted once; GST_FLOW_ERROR. */
static GstFlowReturn post_run_error(GstSoraVideoSrc *self, Run *run,
                                    std::unique_lock<std::mutex> &guard) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  priv->cond.wait(guard, [run] { return !run->error_posting; });
  std::optional<sora::JobError> error = run->error;
  bool first = !run->error_posted;
  run->error_posted = true;
  guard.unlock();
  if (first && error)
    post_job_error(self, *error);
  return GST_FLOW_ERROR;
}

/* A reader of the growing clip reached its end, or was let down: the end
 * (EOS) comes only once the job finished, so that `location` holds the clip
 * when the pipeline ends; a failure has its error in finished(). */
static GstFlowReturn growing_ended(GstSoraVideoSrc *self, Run *run) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  std::unique_lock<std::mutex> guard(priv->lock);
  priv->cond.wait(guard,
                  [priv, run] { return priv->flushing || run->clip != ClipState::kPending; });
  if (priv->flushing)
    return GST_FLOW_FLUSHING;
  if (run->clip == ClipState::kFailed)
    return post_run_error(self, run, guard);
  return run->clip == ClipState::kReady ? GST_FLOW_EOS : GST_FLOW_FLUSHING;
}

/* The bytes a reader waits for were to come from a range fetched ahead of
 * the download, and that fetch failed: an error now, not a wait for a
 * download that may never get there. The task stays journalled (with the
 * cache on) and can be attached to. */
static GstFlowReturn range_lost(GstSoraVideoSrc *self, Run *run, const std::string &problem) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  std::string video_id;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    bool first = !run->error_posted && !run->error_posting;
    run->error_posted = true;
    if (!first)
      return GST_FLOW_ERROR;
    video_id = run->video.id;
  }
  GST_ELEMENT_ERROR_WITH_DETAILS(
      self, RESOURCE, READ,
      ("Cannot serve the clip of %s while it downloads: %s. The clip is paid for: try again with "
       "video-id=%s before it expires.",
       video_id.c_str(), problem.c_str(), video_id.c_str()),
      ("video-id=%s", video_id.c_str()), ("video-id", G_TYPE_STRING, video_id.c_str(), nullptr));
  return GST_FLOW_ERROR;
}

static GstFlowReturn gst_sora_video_src_create(GstBaseSrc *base, guint64 offset, guint length,
                                               GstBuffer **buffer) {
  auto *self = GST_SORA_VIDEO_SRC(base);
  GstSoraVideoSrcPrivate *priv = self->priv;
  /* A pull may come before READY->PAUSED has started the run: it waits. The
   * run outlives this call: it is dropped only once the pads are inactive. */
  Run *run;
  std::shared_ptr<sora::GrowingClip> growing;
  {
    std::unique_lock<std::mutex> guard(priv->lock);
    priv->cond.wait(guard, [priv] {
      return priv->flushing ||
             (priv->run && (priv->run->clip != ClipState::kPending || priv->run->growing));
    });
    if (priv->flushing)
      return GST_FLOW_FLUSHING;
    run = priv->run.get();
    if (run->clip == ClipState::kFailed)
      return post_run_error(self, run, guard);
    if (run->clip == ClipState::kStopped)
      return GST_FLOW_FLUSHING;
    growing = run->growing;
  }

  /* What the run said (a cache hit, the clip complete) is on the bus before
   * the bytes it speaks of go downstream, and so before EOS. */
  if (!priv->emissions.catch_up())
    return GST_FLOW_FLUSHING;

  /* The bytes: from the clip as it arrives, or from the whole clip. A read
   * of the growing clip that a restart of the download overtook waits for
   * its bytes again. */
  const guint asked = length;
  GstBuffer *buf = nullptr;
  while (!buf) {
    guint64 size = 0; /* for the first buffer's announcement: 0 while unknown */
    guint64 want = asked;
    if (growing) {
      switch (growing->wait(offset, &want)) {
        case sora::GrowingClip::Wait::kFlushing:
          return GST_FLOW_FLUSHING;
        case sora::GrowingClip::Wait::kEnd:
          /* A demuxer pulling past the end looks for what follows the last
           * box: that is the end of the file already. A stream pushed in
           * order ends only once the job finished, `location` written. */
          if (GST_PAD_MODE(GST_BASE_SRC_PAD(base)) == GST_PAD_MODE_PULL)
            return GST_FLOW_EOS;
          return growing_ended(self, run);
        case sora::GrowingClip::Wait::kFailed:
          return growing_ended(self, run);
        case sora::GrowingClip::Wait::kRangeFailed:
          return range_lost(self, run, growing->range_problem());
        case sora::GrowingClip::Wait::kReady:
          break;
      }
    } else {
      size = run->clip_size;
      if (offset >= size)
        return GST_FLOW_EOS;
      want = MIN(want, size - offset);
    }
    if (!run->announced) {
      std::string prompt, model;
      sora::VideoObject video;
      g_autoptr(GstCaps) clip_caps = nullptr;
      {
        std::lock_guard<std::mutex> guard(priv->lock);
        prompt = priv->settings.request.prompt;
        model = priv->settings.request.model;
        video = run->video;
        clip_caps = run->clip_caps ? gst_caps_ref(run->clip_caps)
                                   : gst_caps_from_string(sora::kVariants[0].caps);
      }
      announce_clip(self, size, video, prompt, model, clip_caps);
      run->announced = true;
    }
    length = static_cast<guint>(want);

    /* One pread() per buffer: no seek of its own, whatever order the
     * demuxer asks in. */
    buf = gst_buffer_new_allocate(nullptr, length, nullptr);
    GstMapInfo map;
    gst_buffer_map(buf, &map, GST_MAP_WRITE);
    int read_errno = 0;
    sora::GrowingClip::Read read = sora::GrowingClip::Read::kDone;
    if (growing) {
      read = growing->read(offset, map.data, length, &read_errno);
    } else {
      gssize got = sora::read_at(run->clip_fd, map.data, length, offset);
      read_errno = got < 0 ? errno : 0;
      if (got != static_cast<gssize>(length))
        read = sora::GrowingClip::Read::kError;
    }
    gst_buffer_unmap(buf, &map);
    if (read == sora::GrowingClip::Read::kDone)
      break;
    gst_buffer_unref(buf);
    buf = nullptr;
    if (read == sora::GrowingClip::Read::kGone) {
      GST_DEBUG_OBJECT(self,
                       "the download restarted under a read at %" G_GUINT64_FORMAT
                       ": waiting for the bytes again",
                       offset);
      continue;
    }
    GST_ELEMENT_ERROR(self, RESOURCE, READ,
                      ("Cannot read the clip at offset %" G_GUINT64_FORMAT ": %s", offset,
                       read_errno ? g_strerror(read_errno) : "the file is shorter than expected"),
                      (nullptr));
    return GST_FLOW_ERROR;
  }
  GST_BUFFER_OFFSET(buf) = offset;
  GST_BUFFER_OFFSET_END(buf) = offset + length;
  *buffer = buf;
  return GST_FLOW_OK;
}

void serving_class_init(GstBaseSrcClass *klass) {
  parent_class = GST_BASE_SRC_CLASS(g_type_class_peek_parent(klass));
  klass->query = GST_DEBUG_FUNCPTR(gst_sora_video_src_query);
  klass->get_caps = GST_DEBUG_FUNCPTR(gst_sora_video_src_get_caps);
  klass->is_seekable = GST_DEBUG_FUNCPTR(gst_sora_video_src_is_seekable);
  klass->get_size = GST_DEBUG_FUNCPTR(gst_sora_video_src_get_size);
  klass->unlock = GST_DEBUG_FUNCPTR(gst_sora_video_src_unlock);
  klass->unlock_stop = GST_DEBUG_FUNCPTR(gst_sora_video_src_unlock_stop);
  klass->create = GST_DEBUG_FUNCPTR(gst_sora_video_src_create);
}

}  // namespace sora_videosrc
