/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The enum types of the sora plugin's properties, registered in one place.
 *
 * Each is marked as plugin API (gst_type_mark_as_plugin_api) by the element
 * that uses it, so that gst-inspect-1.0 and the documentation tools show its
 * values. The values of the core's enums (sora::CacheMode, sora::PathStyle,
 * sora::Gateway) and the variant table (sora::kVariants) are the GEnum
 * values, so a property's int converts to the core's type with a cast. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How input-reference is made to match size before it is uploaded. */
typedef enum {
  GST_SORA_REFERENCE_FIT_NONE,
  GST_SORA_REFERENCE_FIT_SCALE,
  GST_SORA_REFERENCE_FIT_CROP,
  GST_SORA_REFERENCE_FIT_PAD,
} GstSoraReferenceFit;

#define GST_TYPE_SORA_REFERENCE_FIT (gst_sora_reference_fit_get_type())
GType gst_sora_reference_fit_get_type(void);

/* sora::kVariants, by index: video, thumbnail, spritesheet. */
#define GST_TYPE_SORA_VARIANT (gst_sora_variant_get_type())
GType gst_sora_variant_get_type(void);

/* sora::CacheMode: reuse, refresh, off. */
#define GST_TYPE_SORA_CACHE_MODE (gst_sora_cache_mode_get_type())
GType gst_sora_cache_mode_get_type(void);

/* sora::BudgetPeriod: day, programme. */
#define GST_TYPE_SORA_BUDGET_PERIOD (gst_sora_budget_period_get_type())
GType gst_sora_budget_period_get_type(void);

/* What a budget does with a request of unknown cost: refuse (0), allow (1). */
#define GST_TYPE_SORA_BUDGET_UNKNOWN (gst_sora_budget_unknown_get_type())
GType gst_sora_budget_unknown_get_type(void);

/* sora::PathStyle: auto, videos, video, video-generations. */
#define GST_TYPE_SORA_PATH_STYLE (gst_sora_path_style_get_type())
GType gst_sora_path_style_get_type(void);

/* sora::Gateway: auto, openai, openrouter, azure, litellm, newapi. */
#define GST_TYPE_SORA_GATEWAY (gst_sora_gateway_get_type())
GType gst_sora_gateway_get_type(void);

/* Where a soravideosrc run is (its `phase` property): idle before the first
 * run, then the phases of sora::JobPhase, as its `status` string names them. */
typedef enum {
  GST_SORA_PHASE_IDLE,
  GST_SORA_PHASE_CREATING,
  GST_SORA_PHASE_QUEUED,
  GST_SORA_PHASE_IN_PROGRESS,
  GST_SORA_PHASE_DOWNLOADING,
  GST_SORA_PHASE_COMPLETED,
  GST_SORA_PHASE_FAILED,
  GST_SORA_PHASE_CANCELLED,
} GstSoraPhase;

#define GST_TYPE_SORA_PHASE (gst_sora_phase_get_type())
GType gst_sora_phase_get_type(void);

/* The phase a `status` string names (sora::job_phase_name, or "idle"). */
GstSoraPhase gst_sora_phase_from_status(const char *status);

/* sora::playlist::OnFailure: error, skip, slate. */
#define GST_TYPE_SORA_PLAYLIST_ON_FAILURE (gst_sora_playlist_on_failure_get_type())
GType gst_sora_playlist_on_failure_get_type(void);

G_END_DECLS
