/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* soravideosrc's GstURIHandler: sora://generate?prompt=...&seconds=8 (or
 * sora://generate/prompt=... for ges-launch-1.0) and sora://video/ID. A URI
 * sets request fields only (request_fields.h): it is data from anywhere. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "videosrc/private.h"

#include "request_fields.h"

#include "core/task_id.h"

#include <cstring>
#include <utility>
#include <vector>

namespace sora_videosrc {

/* ---- GstURIHandler: sora://generate?prompt=...&seconds=8, sora://video/ID ---- */

static GstURIType gst_sora_video_src_uri_get_type(GType) {
  return GST_URI_SRC;
}

static const gchar *const *gst_sora_video_src_uri_get_protocols(GType) {
  static const gchar *protocols[] = {"sora", nullptr};
  return protocols;
}

/* The properties a URI may set: the request fields of request_fields.h. */
static GParamSpec *uri_settable_property(GObject *object, const char *name) {
  const sora::PropertyTrust *row = sora::property_trust(name);
  if (!row || !row->request_field)
    return nullptr;
  return g_object_class_find_property(G_OBJECT_GET_CLASS(object), name);
}

/* One key=value of a URI, read into the property's type. */
static bool value_from_uri(GObject *object, const char *name, const char *text, GValue *value,
                           GError **error) {
  GParamSpec *pspec = uri_settable_property(object, name);
  if (!pspec) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                "'%s' is not a soravideosrc property a URI can set (it can set %s)", name,
                sora::request_field_names().c_str());
    return false;
  }
  g_value_init(value, pspec->value_type);
  if (!gst_value_deserialize(value, text) || g_param_value_validate(pspec, value)) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI, "'%s' is not a valid %s", text, name);
    return false;
  }
  return true;
}

/* A URI describes the whole request: what it does not say is the default.
 * The rest (server, files, cache, limits) stays as the application set it. */
static void reset_uri_properties(GObject *object) {
  for (size_t i = 0; i < sora::kPropertyTrustCount; i++) {
    GParamSpec *pspec = uri_settable_property(object, sora::kPropertyTrust[i].name);
    if (!pspec)
      continue;
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, pspec->value_type);
    g_param_value_set_default(pspec, &value);
    g_object_set_property(object, pspec->name, &value);
  }
}

/* The messages say what is wrong without repeating the URI: a URI that
 * (wrongly) holds a key must not carry it into an error message. */
static gboolean gst_sora_video_src_uri_set_uri(GstURIHandler *handler, const gchar *uri,
                                               GError **error) {
  GObject *object = G_OBJECT(handler);
  GST_OBJECT_LOCK(handler);
  GstState state = GST_STATE(handler);
  GST_OBJECT_UNLOCK(handler);
  if (state > GST_STATE_READY) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE,
                "The URI of a running soravideosrc cannot change");
    return FALSE;
  }
  /* The path is kept encoded: an id may hold '/'. Relaxed: some tools hand
   * the URI over with its escapes undone. */
  g_autoptr(GUri) parsed =
      g_uri_parse(uri,
                  static_cast<GUriFlags>(G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY |
                                         G_URI_FLAGS_PARSE_RELAXED),
                  nullptr);
  const char *host = parsed ? g_uri_get_host(parsed) : nullptr;
  const char *path = parsed ? g_uri_get_path(parsed) : "";
  const char *query = parsed ? g_uri_get_query(parsed) : nullptr;
  /* ges-launch-1.0 cannot pass a '?': sora://generate/prompt=...&seconds=4
   * says the same as sora://generate?prompt=...&seconds=4. */
  if (g_strcmp0(host, "generate") == 0 && !query && strlen(path) > 1) {
    query = path + 1;
    path = "";
  }
  bool generate = g_strcmp0(host, "generate") == 0 && (!*path || g_strcmp0(path, "/") == 0);
  bool video = g_strcmp0(host, "video") == 0 && strlen(path) > 1;
  if (!parsed || g_strcmp0(g_uri_get_scheme(parsed), "sora") != 0 || (!generate && !video)) {
    g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                "Not a sora URI: use sora://generate?prompt=... or sora://video/ID");
    return FALSE;
  }
  g_autoptr(GHashTable) params = nullptr;
  if (query) {
    params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_WWW_FORM, nullptr);
    if (!params) {
      g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                  "The query of the sora URI is not key=value pairs joined with '&' "
                  "(with %%-escapes)");
      return FALSE;
    }
    /* Refused as a whole, naming the first refused key in the table's order
     * (the key first): nothing of such a URI is applied. */
    for (size_t i = 0; i < sora::kPropertyTrustCount; i++) {
      const sora::PropertyTrust &row = sora::kPropertyTrust[i];
      if (row.request_field || !g_hash_table_contains(params, row.name))
        continue;
      std::string instead = std::string("Set the ") + row.name +
                            " property in code (in playbin's source-setup signal) or on a "
                            "gst-launch-1.0 line";
      g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI, "%s",
                  sora::refusal_message(row, "a sora URI", instead).c_str());
      return FALSE;
    }
  }

  /* Everything is read first: a URI that fails leaves the element as it was. */
  std::vector<std::pair<std::string, GValue>> values;
  values.reserve(1 + (params ? g_hash_table_size(params) : 0));
  auto clear_values = [&values] {
    for (auto &entry : values) {
      if (G_IS_VALUE(&entry.second))
        g_value_unset(&entry.second);
    }
  };
  if (video) {
    g_autofree char *id = g_uri_unescape_string(path + 1, nullptr);
    values.emplace_back("video-id", GValue G_VALUE_INIT);
    if (!id || !value_from_uri(object, "video-id", id, &values.back().second, error)) {
      if (!id)
        g_set_error(error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
                    "The video id in the sora URI has a bad %%-escape");
      clear_values();
      return FALSE;
    }
  }
  if (params) {
    GHashTableIter iter;
    gpointer key, text;
    g_hash_table_iter_init(&iter, params);
    while (g_hash_table_iter_next(&iter, &key, &text)) {
      values.emplace_back(static_cast<const char *>(key), GValue G_VALUE_INIT);
      if (!value_from_uri(object, static_cast<const char *>(key), static_cast<const char *>(text),
                          &values.back().second, error)) {
        clear_values();
        return FALSE;
      }
    }
  }
  g_object_freeze_notify(object);
  reset_uri_properties(object);
  for (auto &entry : values)
    g_object_set_property(object, entry.first.c_str(), &entry.second);
  g_object_thaw_notify(object);
  clear_values();
  return TRUE;
}

/* The URI that describes the current request: its request fields only, as
 * a URI can carry no other. */
static gchar *gst_sora_video_src_uri_get_uri(GstURIHandler *handler) {
  GObject *object = G_OBJECT(handler);
  GstSoraVideoSrcPrivate *priv = GST_SORA_VIDEO_SRC(handler)->priv;
  std::string uri;
  {
    std::lock_guard<std::mutex> guard(priv->lock);
    if (!priv->settings.video_id.empty()) {
      uri = "sora://video/" + sora::task_path_segment(priv->settings.video_id);
    } else {
      uri = "sora://generate";
    }
  }
  char separator = '?';
  for (size_t i = 0; i < sora::kPropertyTrustCount; i++) {
    const char *name = sora::kPropertyTrust[i].name;
    GParamSpec *pspec = uri_settable_property(object, name);
    if (!pspec || g_strcmp0(name, "video-id") == 0)
      continue;
    g_auto(GValue) value = G_VALUE_INIT;
    g_value_init(&value, pspec->value_type);
    g_object_get_property(object, name, &value);
    if (g_param_value_defaults(pspec, &value))
      continue;
    g_autofree char *text =
        G_VALUE_HOLDS_STRING(&value) ? g_value_dup_string(&value) : gst_value_serialize(&value);
    g_autofree char *escaped = g_uri_escape_string(text ? text : "", nullptr, FALSE);
    uri += separator + std::string(name) + "=" + escaped;
    separator = '&';
  }
  return g_strdup(uri.c_str());
}

void uri_handler_init(gpointer iface, gpointer) {
  auto *handler = static_cast<GstURIHandlerInterface *>(iface);
  handler->get_type = gst_sora_video_src_uri_get_type;
  handler->get_protocols = gst_sora_video_src_uri_get_protocols;
  handler->get_uri = gst_sora_video_src_uri_get_uri;
  handler->set_uri = gst_sora_video_src_uri_set_uri;
}

}  // namespace sora_videosrc
