/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc's bus messages that both the run and serving post: PROGRESS
 * and the errors (videosrc/private.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "videosrc/private.h"

#include "core/printable_text.h"

#define GST_CAT_DEFAULT gst_sora_video_src_debug

namespace sora_videosrc {

namespace {

constexpr char kProgressCode[] = "sora-generate";

void error_domain_for(sora::JobError::Kind kind, GQuark *domain, gint *code) {
  using Kind = sora::JobError::Kind;
  *domain = GST_RESOURCE_ERROR;
  switch (kind) {
    case Kind::kNotAuthorized:
      *code = GST_RESOURCE_ERROR_NOT_AUTHORIZED;
      return;
    case Kind::kRejected:
      *code = GST_RESOURCE_ERROR_SETTINGS;
      return;
    case Kind::kNotFound:
    case Kind::kExpired:
    case Kind::kTaskExpired:
      *code = GST_RESOURCE_ERROR_NOT_FOUND;
      return;
    case Kind::kGenerationFailed:
    case Kind::kTaskCancelled:
    case Kind::kTimeout:
      *code = GST_RESOURCE_ERROR_FAILED;
      return;
    case Kind::kNetwork:
    case Kind::kAmbiguous:
    case Kind::kServer:
      *code = GST_RESOURCE_ERROR_READ;
      return;
    case Kind::kBilling:
      *code = GST_RESOURCE_ERROR_NOT_AUTHORIZED;
      return;
    case Kind::kWrite:
      *code = GST_RESOURCE_ERROR_WRITE;
      return;
    case Kind::kTooLarge:
      *code = GST_RESOURCE_ERROR_NO_SPACE_LEFT;
      return;
    case Kind::kOverBudget:
      /* as a billing refusal: not allowed to spend it */
      *code = GST_RESOURCE_ERROR_NOT_AUTHORIZED;
      return;
    case Kind::kNotVideo:
      *domain = GST_STREAM_ERROR;
      *code = GST_STREAM_ERROR_WRONG_TYPE;
      return;
  }
  *code = GST_RESOURCE_ERROR_FAILED;
}

}  // namespace

/* ---- bus messages ---- */

/* Texts for people (a progress's, an error's or warning's text and debug)
 * quote the server, and gst-launch-1.0 prints them: control characters show
 * as escapes (printable_text). The structured fields keep the server's
 * values for programs. */
void post_progress(GstSoraVideoSrc *self, GstProgressType type, const std::string &text,
                          gint percent, const std::string &video_id, const char *phase) {
  GstMessage *msg = gst_message_new_progress(GST_OBJECT(self), type, kProgressCode,
                                             sora::printable_text(text).c_str());
  GstStructure *s = gst_message_writable_structure(msg);
  gst_structure_set(s, "percent", G_TYPE_INT, percent, "video-id", G_TYPE_STRING, video_id.c_str(),
                    "phase", G_TYPE_STRING, phase, nullptr);
  gst_element_post_message(GST_ELEMENT(self), msg);
}

void post_job_error(GstSoraVideoSrc *self, const sora::JobError &error) {
  GQuark domain;
  gint code;
  error_domain_for(error.kind, &domain, &code);
  GstStructure *details = gst_structure_new(
      "details", "video-id", G_TYPE_STRING, error.video_id.c_str(), "http-status-code", G_TYPE_UINT,
      error.http_status, "error-code", G_TYPE_STRING, error.api.code.c_str(), "server-message",
      G_TYPE_STRING, error.api.message.c_str(), "request-id", G_TYPE_STRING,
      error.request_id.c_str(), nullptr);
  std::string debug = "video-id=" + error.video_id +
                      " http-status=" + std::to_string(error.http_status) +
                      " error-code=" + error.api.code + " request-id=" + error.request_id;
  gst_element_message_full_with_details(GST_ELEMENT(self), GST_MESSAGE_ERROR, domain, code,
                                        g_strdup(sora::printable_text(error.message).c_str()),
                                        g_strdup(sora::printable_text(debug).c_str()), __FILE__,
                                        GST_FUNCTION, __LINE__, details);
}

void post_settings_error(GstSoraVideoSrc *self, const sora::SettingsProblem &problem) {
  GST_ELEMENT_ERROR_WITH_DETAILS(self, RESOURCE, SETTINGS, ("%s", problem.message.c_str()),
                                 ("property '%s'", problem.property.c_str()),
                                 ("property", G_TYPE_STRING, problem.property.c_str(), nullptr));
}

}  // namespace sora_videosrc
