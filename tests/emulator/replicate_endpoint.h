/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

// Replicate's predictions (replicate.com/docs/reference/http, replicate-python): a create on the
// model's route or on /v1/predictions with a version, {"input": {...}} checked against the
// model's Cog schema (422 in Replicate's problem shape), optionally held open with
// `Prefer: wait`; the prediction polled at urls.get (starting, processing, succeeded with the
// output URL or list of URLs on the CDN listener, failed with its error text, canceled), cancelled
// at urls.cancel, listed, and each model with its latest version's openapi_schema. Outputs are
// removed once the task expires (`expires_after`): the prediction then says data_removed.
#pragma once

#include "native_endpoint.h"

class ReplicateEndpoint : public NativeEndpoint {
 public:
  using NativeEndpoint::NativeEndpoint;

  void handle(ApiRequest &request) override;

 private:
  struct Waiter;

  void create(ApiRequest &request, const std::string &model);
  void retrieve(ApiRequest &request, const std::string &id);
  void cancel(ApiRequest &request, const std::string &id);
  void list(ApiRequest &request);
  // The model, or with @version one of its versions.
  void model(ApiRequest &request, const std::string &model, const std::string &version);

  // Holds a create's answer until its prediction finished or @seconds passed.
  void answer_when_done(ApiRequest &request, const Task &task, gint64 seconds);
  static gboolean on_wait_tick(gpointer waiter);

  JsonNodePtr prediction_json(const Task &task) const;
};
