/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libsoup 3, loaded at run time, as GStreamer's souphttpsrc loads it
 * (gstsouploader.c). Linked at build time, libsoup 3 would be loaded with the
 * plugin, and its constructor aborts any process that already has libsoup 2
 * (WebKitGTK 4.0 applications and others on Debian 12): the host would die
 * for having loaded a plugin. Loaded here instead, only once a source runs,
 * and not at all beside libsoup 2, which soup_runtime_available() reports as
 * an error the element can post.
 *
 * Code that calls libsoup includes this header instead of <libsoup/soup.h>:
 * each function the project uses is a macro for the loaded one. A call to a
 * function missing from the list fails the plugin's link (no libsoup to
 * resolve it), so the list cannot silently fall behind. The cast macros
 * (SOUP_SESSION(), ...) are inline functions that call the linked type
 * functions: cast with G_TYPE_CHECK_INSTANCE_CAST and the listed ones. */
#pragma once

#include <libsoup/soup.h>

#include <memory>
#include <string>

namespace sora {

/* Whether libsoup 3 is loaded, loading it on the first call; `why` says what
 * stands in the way when it is not. Every entry point of the core calls it
 * before any libsoup function. Thread-safe. */
bool soup_runtime_available(std::string *why = nullptr);

#define SORA_SOUP_FUNCTIONS(F)                \
  F(soup_check_version)                       \
  F(soup_content_decoder_get_type)            \
  F(soup_date_time_new_from_http_string)      \
  F(soup_logger_new)                          \
  F(soup_logger_set_max_body_size)            \
  F(soup_logger_set_printer)                  \
  F(soup_message_add_flags)                   \
  F(soup_message_disable_feature)             \
  F(soup_message_get_reason_phrase)           \
  F(soup_message_get_request_headers)         \
  F(soup_message_get_response_headers)        \
  F(soup_message_get_status)                  \
  F(soup_message_get_uri)                     \
  F(soup_message_headers_get_content_length)  \
  F(soup_message_headers_get_content_range)   \
  F(soup_message_headers_get_encoding)        \
  F(soup_message_headers_get_one)             \
  F(soup_message_headers_iter_init)           \
  F(soup_message_headers_iter_next)           \
  F(soup_message_headers_new)                 \
  F(soup_message_headers_replace)             \
  F(soup_message_headers_unref)               \
  F(soup_message_new_from_uri)                \
  F(soup_message_set_request_body_from_bytes) \
  F(soup_multipart_append_form_file)          \
  F(soup_multipart_append_form_string)        \
  F(soup_multipart_free)                      \
  F(soup_multipart_new)                       \
  F(soup_multipart_to_message)                \
  F(soup_session_add_feature)                 \
  F(soup_session_error_quark)                 \
  F(soup_session_feature_get_type)            \
  F(soup_session_get_type)                    \
  F(soup_session_new)                         \
  F(soup_session_send_async)                  \
  F(soup_session_send_finish)                 \
  F(soup_session_set_idle_timeout)            \
  F(soup_session_set_proxy_resolver)          \
  F(soup_session_set_timeout)                 \
  F(soup_session_set_user_agent)

/* The loaded functions, one member per name of the list. */
struct SoupFunctions {
#define SORA_SOUP_MEMBER(name) decltype(&::name) name = nullptr;
  SORA_SOUP_FUNCTIONS(SORA_SOUP_MEMBER)
#undef SORA_SOUP_MEMBER
};

/* The table; only valid once soup_runtime_available() said true. */
const SoupFunctions &soup_functions();

}  // namespace sora

#ifndef SORA_SOUP_RUNTIME_NO_MACROS
#define soup_check_version (sora::soup_functions().soup_check_version)
#define soup_content_decoder_get_type (sora::soup_functions().soup_content_decoder_get_type)
#define soup_date_time_new_from_http_string \
  (sora::soup_functions().soup_date_time_new_from_http_string)
#define soup_logger_new (sora::soup_functions().soup_logger_new)
#define soup_logger_set_max_body_size (sora::soup_functions().soup_logger_set_max_body_size)
#define soup_logger_set_printer (sora::soup_functions().soup_logger_set_printer)
#define soup_message_add_flags (sora::soup_functions().soup_message_add_flags)
#define soup_message_disable_feature (sora::soup_functions().soup_message_disable_feature)
#define soup_message_get_reason_phrase (sora::soup_functions().soup_message_get_reason_phrase)
#define soup_message_get_request_headers (sora::soup_functions().soup_message_get_request_headers)
#define soup_message_get_response_headers (sora::soup_functions().soup_message_get_response_headers)
#define soup_message_get_status (sora::soup_functions().soup_message_get_status)
#define soup_message_get_uri (sora::soup_functions().soup_message_get_uri)
#define soup_message_headers_get_content_length \
  (sora::soup_functions().soup_message_headers_get_content_length)
#define soup_message_headers_get_content_range \
  (sora::soup_functions().soup_message_headers_get_content_range)
#define soup_message_headers_get_encoding (sora::soup_functions().soup_message_headers_get_encoding)
#define soup_message_headers_get_one (sora::soup_functions().soup_message_headers_get_one)
#define soup_message_headers_iter_init (sora::soup_functions().soup_message_headers_iter_init)
#define soup_message_headers_iter_next (sora::soup_functions().soup_message_headers_iter_next)
#define soup_message_headers_new (sora::soup_functions().soup_message_headers_new)
#define soup_message_headers_replace (sora::soup_functions().soup_message_headers_replace)
#define soup_message_headers_unref (sora::soup_functions().soup_message_headers_unref)
#define soup_message_new_from_uri (sora::soup_functions().soup_message_new_from_uri)
#define soup_message_set_request_body_from_bytes \
  (sora::soup_functions().soup_message_set_request_body_from_bytes)
#define soup_multipart_append_form_file (sora::soup_functions().soup_multipart_append_form_file)
#define soup_multipart_append_form_string (sora::soup_functions().soup_multipart_append_form_string)
#define soup_multipart_free (sora::soup_functions().soup_multipart_free)
#define soup_multipart_new (sora::soup_functions().soup_multipart_new)
#define soup_multipart_to_message (sora::soup_functions().soup_multipart_to_message)
#define soup_session_add_feature (sora::soup_functions().soup_session_add_feature)
#define soup_session_error_quark (sora::soup_functions().soup_session_error_quark)
#define soup_session_feature_get_type (sora::soup_functions().soup_session_feature_get_type)
#define soup_session_get_type (sora::soup_functions().soup_session_get_type)
#define soup_session_new (sora::soup_functions().soup_session_new)
#define soup_session_send_async (sora::soup_functions().soup_session_send_async)
#define soup_session_send_finish (sora::soup_functions().soup_session_send_finish)
#define soup_session_set_idle_timeout (sora::soup_functions().soup_session_set_idle_timeout)
#define soup_session_set_proxy_resolver (sora::soup_functions().soup_session_set_proxy_resolver)
#define soup_session_set_timeout (sora::soup_functions().soup_session_set_timeout)
#define soup_session_set_user_agent (sora::soup_functions().soup_session_set_user_agent)

namespace sora {

/* Owners for the libsoup boxed values the core keeps (g_autoptr would call
 * the linked functions, which the plugin does not have). */
struct SoupMultipartFree {
  void operator()(SoupMultipart *m) const { soup_multipart_free(m); }
};
using SoupMultipartPtr = std::unique_ptr<SoupMultipart, SoupMultipartFree>;
struct SoupMessageHeadersUnref {
  void operator()(SoupMessageHeaders *h) const { soup_message_headers_unref(h); }
};
using SoupMessageHeadersPtr = std::unique_ptr<SoupMessageHeaders, SoupMessageHeadersUnref>;

}  // namespace sora
#endif
