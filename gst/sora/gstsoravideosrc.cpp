/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-soravideosrc
 * @title: soravideosrc
 *
 * soravideosrc generates a video clip from a text prompt with a server that
 * speaks the OpenAI video API (OpenAI's Sora, or a gateway fronting Kling,
 * Veo, Wan, Seedance, Vidu and others) and outputs the finished MP4 as
 * video/quicktime.
 *
 * Generation starts when the element goes to PAUSED; the state change does
 * not wait for it. The clip is written to a file on disk and served by offset
 * while it downloads (a read waits for its bytes; an MP4's moov at the end is
 * fetched ahead with a Range request), so qtdemux works in pull mode and
 * seeks freely, whatever the MP4's atom layout, from the first bytes on.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 soravideosrc prompt="A cat walking on the street" ! decodebin ! videoconvert !
 * autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsoravideosrc.h"

#include "gstsoraenums.h"
#include "videosrc/private.h"

#include "core/video_job.h"
#include "core/path_style.h"

#include <gst/gst.h>

#include <mutex>
#include <string>

GST_DEBUG_CATEGORY(gst_sora_video_src_debug);
#define GST_CAT_DEFAULT gst_sora_video_src_debug

using namespace sora_videosrc;

namespace sora_videosrc {
GParamSpec *properties[N_PROPS];
}  // namespace sora_videosrc

namespace {

constexpr char kDefaultModel[] = "sora-2";
constexpr guint kDefaultSeconds = 4;
constexpr char kDefaultSize[] = "720x1280";
constexpr guint kDefaultPollInterval = 0;
constexpr guint kDefaultTimeout = 60;
constexpr guint kDefaultGenerationTimeout = 3600;
constexpr gint kDefaultRetries = 5;
constexpr guint64 kDefaultCacheMaxSize = G_GUINT64_CONSTANT(10) * 1024 * 1024 * 1024;

}  // namespace

#define gst_sora_video_src_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE(GstSoraVideoSrc, gst_sora_video_src, GST_TYPE_BASE_SRC,
                        G_IMPLEMENT_INTERFACE(GST_TYPE_URI_HANDLER, uri_handler_init));
/* Primary: the one handler of sora:// URIs for playbin and uridecodebin. */
GST_ELEMENT_REGISTER_DEFINE(soravideosrc, "soravideosrc", GST_RANK_PRIMARY,
                            GST_TYPE_SORA_VIDEO_SRC);

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                            GST_STATIC_CAPS("video/quicktime; image/webp; image/jpeg; image/png"));

static GstStateChangeReturn gst_sora_video_src_change_state(GstElement *element,
                                                            GstStateChange transition) {
  auto *self = GST_SORA_VIDEO_SRC(element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start_run(self))
    return GST_STATE_CHANGE_FAILURE;

  GstStateChangeReturn ret = GST_ELEMENT_CLASS(parent_class)->change_state(element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY ||
      (transition == GST_STATE_CHANGE_READY_TO_PAUSED && ret == GST_STATE_CHANGE_FAILURE))
    stop_run(self);
  return ret;
}

/* ---- GObject ---- */

static void assign_string(std::string &field, const GValue *value, const char *fallback = "") {
  const char *s = g_value_get_string(value);
  field = s ? s : fallback;
}

static void gst_sora_video_src_set_property(GObject *object, guint prop_id, const GValue *value,
                                            GParamSpec *pspec) {
  auto *self = GST_SORA_VIDEO_SRC(object);
  GstSoraVideoSrcPrivate *priv = self->priv;
  bool notify_id = false;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    sora::SourceSettings &s = priv->settings;
    sora::VideoRequest &r = s.request;
    sora::Connection &c = s.connection;
    /* A task the element learned answers one request: changing the request
     * hides it (video-id reads NULL), changing it back shows it again. */
    const std::string id_before = visible_video_id(priv);
    switch (prop_id) {
      case PROP_PROMPT:
        assign_string(r.prompt, value);
        break;
      case PROP_MODEL:
        assign_string(r.model, value, kDefaultModel);
        break;
      case PROP_SECONDS:
        r.seconds = g_value_get_uint(value);
        break;
      case PROP_SIZE:
        assign_string(r.size, value);
        break;
      case PROP_INPUT_REFERENCE:
        assign_string(r.input_reference, value);
        break;
      case PROP_API_KEY:
        sora::wipe_secret(c.api_key);
        assign_string(c.api_key, value);
        break;
      case PROP_BASE_URL:
        assign_string(c.base_url, value);
        break;
      case PROP_GATEWAY:
        c.gateway = static_cast<sora::Gateway>(g_value_get_enum(value));
        break;
      case PROP_POLL_INTERVAL:
        s.poll_interval = g_value_get_uint(value);
        break;
      case PROP_TIMEOUT:
        c.timeout_s = g_value_get_uint(value);
        break;
      case PROP_GENERATION_TIMEOUT:
        s.generation_timeout = g_value_get_uint(value);
        break;
      case PROP_RETRIES:
        c.retries = g_value_get_int(value);
        break;
      case PROP_VIDEO_ID:
        assign_string(s.video_id, value);
        break;
      case PROP_LOCATION:
        assign_string(s.location, value);
        break;
      case PROP_METADATA:
        assign_string(r.metadata, value);
        break;
      case PROP_VALIDATE:
        r.validate = g_value_get_boolean(value);
        break;
      case PROP_PATH_STYLE:
        c.path_style = static_cast<sora::PathStyle>(g_value_get_enum(value));
        break;
      case PROP_REFERENCE_FIT:
        s.reference_fit = static_cast<GstSoraReferenceFit>(g_value_get_enum(value));
        break;
      case PROP_CACHE_MODE:
        s.cache_mode = static_cast<sora::CacheMode>(g_value_get_enum(value));
        break;
      case PROP_CACHE_DIR:
        assign_string(s.cache_dir, value);
        break;
      case PROP_CACHE_MAX_SIZE:
        s.cache_max_size = g_value_get_uint64(value);
        break;
      case PROP_MAX_CLIP_SIZE:
        s.max_clip_size = g_value_get_uint64(value);
        break;
      case PROP_REMIX_OF:
        assign_string(r.remix_of, value);
        break;
      case PROP_EXTEND_OF:
        assign_string(r.extend_of, value);
        break;
      case PROP_VARIANT:
        /* What to fetch of the task, not a new task: the next run fetches
         * the other variant of the task this element already paid for. */
        s.variant = g_value_get_enum(value);
        break;
      case PROP_PRICE_LIST:
        assign_string(s.price_list, value);
        break;
      case PROP_BUDGET:
        s.budget = g_value_get_double(value);
        break;
      case PROP_BUDGET_PERIOD:
        s.budget_period = static_cast<sora::BudgetPeriod>(g_value_get_enum(value));
        break;
      case PROP_BUDGET_UNKNOWN:
        s.budget_allow_unknown = g_value_get_enum(value) != 0;
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
    notify_id = prop_id != PROP_VIDEO_ID && id_before != visible_video_id(priv);
  }
  if (notify_id)
    g_object_notify_by_pspec(object, properties[PROP_VIDEO_ID]);
}

static void set_string_or_null(GValue *value, const std::string &s) {
  g_value_set_string(value, s.empty() ? nullptr : s.c_str());
}

static void gst_sora_video_src_get_property(GObject *object, guint prop_id, GValue *value,
                                            GParamSpec *pspec) {
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(object)->priv;
  std::lock_guard<std::mutex> guard(priv->lock);
  const sora::SourceSettings &s = priv->settings;
  const sora::VideoRequest &r = s.request;
  const sora::Connection &c = s.connection;
  switch (prop_id) {
    case PROP_PROMPT:
      set_string_or_null(value, r.prompt);
      break;
    case PROP_MODEL:
      g_value_set_string(value, r.model.c_str());
      break;
    case PROP_SECONDS:
      g_value_set_uint(value, r.seconds);
      break;
    case PROP_SIZE:
      g_value_set_string(value, r.size.c_str());
      break;
    case PROP_INPUT_REFERENCE:
      set_string_or_null(value, r.input_reference);
      break;
    case PROP_BASE_URL:
      set_string_or_null(value, c.base_url);
      break;
    case PROP_GATEWAY:
      g_value_set_enum(value, static_cast<gint>(c.gateway));
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint(value, s.poll_interval);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint(value, c.timeout_s);
      break;
    case PROP_GENERATION_TIMEOUT:
      g_value_set_uint(value, s.generation_timeout);
      break;
    case PROP_RETRIES:
      g_value_set_int(value, c.retries);
      break;
    case PROP_VIDEO_ID:
      set_string_or_null(value, visible_video_id(priv));
      break;
    case PROP_LOCATION:
      set_string_or_null(value, s.location);
      break;
    case PROP_METADATA:
      set_string_or_null(value, r.metadata);
      break;
    case PROP_VALIDATE:
      g_value_set_boolean(value, r.validate);
      break;
    case PROP_PATH_STYLE:
      g_value_set_enum(value, static_cast<gint>(c.path_style));
      break;
    case PROP_REFERENCE_FIT:
      g_value_set_enum(value, s.reference_fit);
      break;
    case PROP_CACHE_MODE:
      g_value_set_enum(value, static_cast<gint>(s.cache_mode));
      break;
    case PROP_CACHE_DIR:
      set_string_or_null(value, s.cache_dir);
      break;
    case PROP_CACHE_MAX_SIZE:
      g_value_set_uint64(value, s.cache_max_size);
      break;
    case PROP_MAX_CLIP_SIZE:
      g_value_set_uint64(value, s.max_clip_size);
      break;
    case PROP_REMIX_OF:
      set_string_or_null(value, r.remix_of);
      break;
    case PROP_EXTEND_OF:
      set_string_or_null(value, r.extend_of);
      break;
    case PROP_VARIANT:
      g_value_set_enum(value, s.variant);
      break;
    case PROP_STATUS:
      g_value_set_string(value, priv->status.c_str());
      break;
    case PROP_PROGRESS:
      g_value_set_int(value, priv->progress);
      break;
    case PROP_PHASE:
      g_value_set_enum(value, gst_sora_phase_from_status(priv->status.c_str()));
      break;
    case PROP_PRICE_LIST:
      set_string_or_null(value, s.price_list);
      break;
    case PROP_BUDGET:
      g_value_set_double(value, s.budget);
      break;
    case PROP_BUDGET_PERIOD:
      g_value_set_enum(value, static_cast<gint>(s.budget_period));
      break;
    case PROP_BUDGET_UNKNOWN:
      g_value_set_enum(value, s.budget_allow_unknown ? 1 : 0);
      break;
    case PROP_COST_ESTIMATE:
      g_value_set_double(value, priv->cost_estimate);
      break;
    case PROP_COST_CURRENCY:
      set_string_or_null(value, priv->cost_currency);
      break;
    case PROP_COST_ENTRY:
      set_string_or_null(value, priv->cost_entry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
      break;
  }
}

static void gst_sora_video_src_init(GstSoraVideoSrc *self) {
  self->priv = new GstSoraVideoSrcPrivate();
  /* Alone, budget-period=programme counts this element's life. */
  g_autofree char *programme = g_uuid_string_random();
  self->priv->settings.programme = std::string("element-") + programme;
  self->priv->settings.programme_start_us = g_get_real_time();
  gst_base_src_set_format(GST_BASE_SRC(self), GST_FORMAT_BYTES);
  /* The size becomes known once a clip served while it downloads is whole. */
  gst_base_src_set_dynamic_size(GST_BASE_SRC(self), TRUE);
}

static void gst_sora_video_src_finalize(GObject *object) {
  auto *self = GST_SORA_VIDEO_SRC(object);
  stop_run(self); /* normally a no-op: PAUSED->READY already ended the run */
  sora::wipe_secret(self->priv->settings.connection.api_key);
  delete self->priv;
  G_OBJECT_CLASS(parent_class)->finalize(object);
}

static void gst_sora_video_src_class_init(GstSoraVideoSrcClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  auto *basesrc_class = GST_BASE_SRC_CLASS(klass);

  GST_DEBUG_CATEGORY_INIT(gst_sora_video_src_debug, "soravideosrc", 0,
                          "Video generation source (OpenAI video API)");

  for (GType type : {GST_TYPE_SORA_VARIANT, GST_TYPE_SORA_CACHE_MODE, GST_TYPE_SORA_PATH_STYLE,
                     GST_TYPE_SORA_GATEWAY, GST_TYPE_SORA_REFERENCE_FIT, GST_TYPE_SORA_PHASE,
                     GST_TYPE_SORA_BUDGET_PERIOD, GST_TYPE_SORA_BUDGET_UNKNOWN})
    gst_type_mark_as_plugin_api(type, static_cast<GstPluginAPIFlags>(0));

  gobject_class->set_property = gst_sora_video_src_set_property;
  gobject_class->get_property = gst_sora_video_src_get_property;
  gobject_class->finalize = gst_sora_video_src_finalize;

  const auto rw_ready = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                 GST_PARAM_MUTABLE_READY);
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* These read back what was set, never what the environment gives (an
   * endpoint, $HOME): gst-inspect-1.0 prints what reads back as the default.
   * The flag makes the documentation cache show the declared one too. */
  const auto rw_ready_doc_default = static_cast<GParamFlags>(rw_ready | GST_PARAM_DOC_SHOW_DEFAULT);

  properties[PROP_PROMPT] = g_param_spec_string(
      "prompt", "Prompt", "Text that describes the video to generate (1 to 32000 characters)",
      nullptr, rw_ready);
  properties[PROP_MODEL] = g_param_spec_string(
      "model", "Model",
      "Video model: sora-2, sora-2-pro, or any model a gateway offers (wan2.5-t2v-preview, "
      "kling-v2-master, veo-3.1, ...)",
      kDefaultModel, rw_ready);
  properties[PROP_SECONDS] = g_param_spec_uint(
      "seconds", "Seconds",
      "Duration of the clip in seconds, sent as a string; 0 leaves it to the server", 0, 3600,
      kDefaultSeconds, rw_ready);
  properties[PROP_SIZE] = g_param_spec_string(
      "size", "Size",
      "Resolution as WIDTHxHEIGHT (720x1280, 1280x720, ...); empty leaves it to the server",
      kDefaultSize, rw_ready);
  properties[PROP_INPUT_REFERENCE] = g_param_spec_string(
      "input-reference", "Input reference",
      "Path of a JPEG, PNG or WebP image that guides the generation (image-to-video); it should "
      "match size",
      nullptr, rw_ready);
  properties[PROP_API_KEY] = g_param_spec_string(
      "api-key", "API key",
      "Key for the server; unset uses the gateway's variable (OPENROUTER_API_KEY, "
      "AZURE_OPENAI_API_KEY), else OPENAI_API_KEY. Write-only: the key never leaves the element. "
      "Prefer the environment variable to a gst-launch line: GStreamer's own parser prints "
      "launch lines in its debug log",
      nullptr,
      static_cast<GParamFlags>(G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS |
                               GST_PARAM_MUTABLE_READY));
  properties[PROP_BASE_URL] = g_param_spec_string(
      "base-url", "Base URL",
      "Base URL of the video API; unset (NULL) uses the gateway's endpoint (AZURE_OPENAI_ENDPOINT; "
      "OpenRouter's https://openrouter.ai/api/v1), else OPENAI_BASE_URL. OpenAI closed its own "
      "video API on 2026-09-24: with none of these the element refuses to start",
      nullptr, rw_ready_doc_default);
  properties[PROP_POLL_INTERVAL] = g_param_spec_uint(
      "poll-interval", "Poll interval",
      "Milliseconds between status requests; 0 follows the server's openai-poll-after-ms hint, "
      "else 5000",
      0, 3600 * 1000, kDefaultPollInterval, rw_ready);
  properties[PROP_TIMEOUT] = g_param_spec_uint(
      "timeout", "Timeout", "I/O timeout of one HTTP request in seconds (0 = none)", 0, 3600,
      kDefaultTimeout, rw_ready);
  properties[PROP_GENERATION_TIMEOUT] =
      g_param_spec_uint("generation-timeout", "Generation timeout",
                        "Seconds the whole job (create, wait, download) may take; 0 = no limit", 0,
                        G_MAXUINT, kDefaultGenerationTimeout, rw_ready);
  properties[PROP_RETRIES] = g_param_spec_int(
      "retries", "Retries",
      "How many times one request is tried again after a connection error, a timeout or HTTP "
      "408/409/429/5xx, with backoff (-1 = no limit). A create request is resent only when the "
      "server surely did not take it; polls go on until generation-timeout",
      -1, G_MAXINT, kDefaultRetries, rw_ready);
  properties[PROP_VIDEO_ID] = g_param_spec_string(
      "video-id", "Video id",
      "Id of the generation task: filled in once the task is created; set it before starting "
      "to attach to an existing task instead of creating (and paying for) a new one",
      nullptr, rw_ready);
  properties[PROP_LOCATION] = g_param_spec_string(
      "location", "Location", "Also keep the finished MP4 at this path", nullptr, rw_ready);
  properties[PROP_METADATA] = g_param_spec_string(
      "metadata", "Metadata",
      "A JSON object sent as the multipart field 'metadata', for gateway models (Wan: "
      "{\"input\":{...},\"parameters\":{...}}; Kling, Vidu: flat keys)",
      nullptr, rw_ready);
  properties[PROP_VALIDATE] = g_param_spec_boolean(
      "validate", "Validate",
      "Check seconds and size before sending against what the model accepts (OpenAI's table; "
      "with gateway openrouter, its /videos/models list), and a storyboard prompt's total "
      "against seconds; switch off for servers that accept more",
      TRUE, rw_ready);
  properties[PROP_PATH_STYLE] = g_param_spec_enum(
      "path-style", "Path style", "Where the server keeps video tasks", GST_TYPE_SORA_PATH_STYLE,
      static_cast<gint>(sora::PathStyle::kAuto), rw_ready);
  properties[PROP_REFERENCE_FIT] = g_param_spec_enum(
      "reference-fit", "Reference fit",
      "Resize input-reference to size before upload, keeping its format (OpenAI-style servers "
      "reject a reference whose size differs)",
      GST_TYPE_SORA_REFERENCE_FIT, GST_SORA_REFERENCE_FIT_NONE, rw_ready);
  properties[PROP_CACHE_MODE] = g_param_spec_enum(
      "cache-mode", "Cache mode",
      "reuse: serve a clip generated before for the same request, or resume its task; refresh: "
      "generate anew and replace it; off: neither read nor write the cache",
      GST_TYPE_SORA_CACHE_MODE, static_cast<gint>(sora::CacheMode::kReuse), rw_ready);
  properties[PROP_CACHE_DIR] = g_param_spec_string(
      "cache-dir", "Cache directory",
      "Where clips and the task journal are kept; unset: gstreamer-sora under the user's cache "
      "directory ($XDG_CACHE_HOME or ~/.cache)",
      nullptr, rw_ready_doc_default);
  properties[PROP_CACHE_MAX_SIZE] = g_param_spec_uint64(
      "cache-max-size", "Cache size limit",
      "Bytes of clips the cache may hold; the least recently used go first (0 = no limit)", 0,
      G_MAXUINT64, kDefaultCacheMaxSize, rw_ready);
  properties[PROP_MAX_CLIP_SIZE] = g_param_spec_uint64(
      "max-clip-size", "Clip size limit",
      "The most bytes a clip may have (4 GiB by default: the largest real clip with a wide "
      "margin); a larger one is refused before it is written, the task kept for a retry with a "
      "higher limit. At least 1",
      1, G_MAXUINT64, sora::kDefaultMaxClipSize, rw_ready);
  properties[PROP_REMIX_OF] = g_param_spec_string(
      "remix-of", "Remix of",
      "Id of a finished video to remix with the prompt (POST /videos/{id}/remix); the remix "
      "keeps the source's model, size and duration",
      nullptr, rw_ready);
  properties[PROP_EXTEND_OF] = g_param_spec_string(
      "extend-of", "Extend",
      "Id of a finished video to extend by seconds with the prompt (POST /videos/extensions); "
      "the clip that comes out is the stitched whole",
      nullptr, rw_ready);
  properties[PROP_VARIANT] = g_param_spec_enum(
      "variant", "Variant",
      "What to fetch of the finished task: the video (video/quicktime), its thumbnail "
      "(image/webp) or its spritesheet (image/jpeg)",
      GST_TYPE_SORA_VARIANT, 0, rw_ready);
  properties[PROP_GATEWAY] = g_param_spec_enum(
      "gateway", "Gateway",
      "The server family: how to send the request (multipart or JSON, field names), which "
      "header carries the key, which environment variables give the key and endpoint, how often "
      "to poll. auto picks it from the base URL's host",
      GST_TYPE_SORA_GATEWAY, static_cast<gint>(sora::Gateway::kAuto), rw_ready);
  properties[PROP_PRICE_LIST] = g_param_spec_string(
      "price-list", "Price list",
      "The JSON price list every create is estimated with (docs/guide.md, Costs and budgets); "
      "unset: $SORA_PRICE_LIST, else the list installed with the plugin",
      nullptr, rw_ready_doc_default);
  properties[PROP_BUDGET] = g_param_spec_double(
      "budget", "Budget",
      "The most to spend per budget-period, in the price list's currency: a create whose "
      "estimate would take the period's spend (in the ledger shared by every process using "
      "cache-dir) over it is refused before any request is sent. 0: $SORA_BUDGET, else no budget",
      0, 1e9, 0, rw_ready);
  properties[PROP_BUDGET_PERIOD] = g_param_spec_enum(
      "budget-period", "Budget period",
      "What budget counts: day (the spend since midnight UTC) or programme (a soraplaylistsrc "
      "programme's life; alone, this element's)",
      GST_TYPE_SORA_BUDGET_PERIOD, static_cast<gint>(sora::BudgetPeriod::kDay), rw_ready);
  properties[PROP_BUDGET_UNKNOWN] = g_param_spec_enum(
      "budget-unknown", "Unknown cost under a budget",
      "What a budget does with a request the price list cannot price: refuse it, or allow it",
      GST_TYPE_SORA_BUDGET_UNKNOWN, 0, rw_ready);
  properties[PROP_COST_ESTIMATE] = g_param_spec_double(
      "cost-estimate", "Cost estimate",
      "The last run's estimate of its create, in cost-currency (the server's own figure once it "
      "reports one); -1 before any, or when the cost is unknown (cost-entry says why)",
      -1, G_MAXDOUBLE, -1, ro);
  properties[PROP_COST_CURRENCY] = g_param_spec_string(
      "cost-currency", "Cost currency", "The currency of cost-estimate (the price list's)",
      nullptr, ro);
  properties[PROP_COST_ENTRY] = g_param_spec_string(
      "cost-entry", "Cost entry",
      "The price list entry cost-estimate comes from (model, resolution, price, source), or why "
      "the cost is unknown",
      nullptr, ro);
  properties[PROP_STATUS] = g_param_spec_string(
      "status", "Status",
      "Where the job is: idle, creating, queued, in_progress, downloading, completed, failed "
      "or cancelled",
      "idle", ro);
  properties[PROP_PROGRESS] =
      g_param_spec_int("progress", "Progress",
                       "Generation progress reported by the server, in percent; -1 while the "
                       "server reports none (OpenRouter, LiteLLM in front of Veo)",
                       -1, 100, 0, ro);
  properties[PROP_PHASE] = g_param_spec_enum(
      "phase", "Phase",
      "Where the run is: status as an enum (in-progress for the string's in_progress), notified "
      "with it",
      GST_TYPE_SORA_PHASE, GST_SORA_PHASE_IDLE, ro);
  g_object_class_install_properties(gobject_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template(element_class, &src_template);
  gst_element_class_set_static_metadata(
      element_class, "Sora video generation source", "Source/Network",
      "Generates a video clip from a text prompt with an OpenAI-compatible video API (Sora and "
      "gateways) and outputs the MP4",
      "gst-sora contributors");

  element_class->change_state = GST_DEBUG_FUNCPTR(gst_sora_video_src_change_state);
  serving_class_init(basesrc_class);
}
