/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A TCP listener on 127.0.0.1 at a free port, for the tests that play a
 * server (or a proxy) below HTTP themselves. */
#pragma once

#include <gio/gio.h>

namespace sora_test {

/* A new listener; `*port` is where it listens. */
inline GSocketListener *listen_on_loopback(guint16 *port) {
  GSocketListener *listener = g_socket_listener_new();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, 0);
  g_autoptr(GSocketAddress) bound = nullptr;
  g_assert_true(g_socket_listener_add_address(listener, address, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, nullptr, &bound, nullptr));
  *port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
  return listener;
}

}  // namespace sora_test
