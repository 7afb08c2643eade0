/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc's side of costs and budgets: the estimate a run's job made
 * before its create (or the figure the server reported) becomes the
 * cost-estimate, cost-currency and cost-entry properties and a "sora-cost"
 * element message; the programme a playlist shares its budget with. */

#include "videosrc/private.h"

#include "core/cost_guard.h"

#define GST_CAT_DEFAULT gst_sora_video_src_debug

namespace sora_videosrc {

namespace {

constexpr char kCostMessage[] = "sora-cost";

GstStructure *cost_structure(const sora::CostNotice &notice) {
  const sora::CostEstimate &estimate = notice.estimate;
  const bool reported = notice.kind == sora::CostNotice::Kind::kReported;
  GstStructure *s = gst_structure_new(kCostMessage, "event", G_TYPE_STRING,
                                      sora::cost_notice_kind_name(notice.kind), "currency",
                                      G_TYPE_STRING, estimate.currency.c_str(), nullptr);
  if (reported) {
    gst_structure_set(s, "cost", G_TYPE_DOUBLE, sora::micros_amount(notice.reported), "video-id",
                      G_TYPE_STRING, notice.video_id.c_str(), nullptr);
    return s;
  }
  gst_structure_set(s, "known", G_TYPE_BOOLEAN, estimate.known, "estimate", G_TYPE_DOUBLE,
                    estimate.known ? sora::micros_amount(estimate.micros) : -1.0, "entry",
                    G_TYPE_STRING, estimate.entry.c_str(), "spent", G_TYPE_DOUBLE,
                    sora::micros_amount(notice.spent), "budget", G_TYPE_DOUBLE,
                    sora::micros_amount(notice.budget), "period", G_TYPE_STRING,
                    sora::budget_period_name(notice.period), nullptr);
  return s;
}

}  // namespace

void on_cost(GstSoraVideoSrc *self, const sora::CostNotice &notice) {
  GstSoraVideoSrcPrivate *priv = self->priv;
  const bool reported = notice.kind == sora::CostNotice::Kind::kReported;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    if (reported) {
      priv->cost_estimate = sora::micros_amount(notice.reported);
      priv->cost_currency = notice.estimate.currency;
      priv->cost_entry = "reported by the server for " + notice.video_id;
    } else {
      priv->cost_estimate =
          notice.estimate.known ? sora::micros_amount(notice.estimate.micros) : -1.0;
      priv->cost_currency = notice.estimate.currency;
      priv->cost_entry = notice.estimate.entry;
    }
  }
  GST_INFO_OBJECT(self, "cost %s: %s", sora::cost_notice_kind_name(notice.kind),
                  notice.estimate.entry.c_str());
  GstStructure *s = cost_structure(notice);
  priv->emissions.push(GST_ELEMENT(self), [self, s] {
    g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_COST_ESTIMATE]);
    gst_element_post_message(GST_ELEMENT(self), gst_message_new_element(GST_OBJECT(self), s));
  });
}

}  // namespace sora_videosrc

void gst_sora_video_src_set_programme(GstSoraVideoSrc *self, const char *programme,
                                      gint64 start_us) {
  g_return_if_fail(GST_IS_SORA_VIDEO_SRC(self));
  GstSoraVideoSrcPrivate *priv = self->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  priv->settings.programme = programme ? programme : "";
  priv->settings.programme_start_us = start_us;
}
