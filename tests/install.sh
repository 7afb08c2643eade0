#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `meson install` puts the plugin where GStreamer finds it: installed into a
# DESTDIR, the plugin sits in GStreamer's own plugin directory for the
# build's prefix (with --prefix=/usr, pkg-config's pluginsdir), and
# gst-inspect-1.0 loads it from there with no GST_PLUGIN_PATH.
#   tests/install.sh BUILD_DIR
set -uo pipefail
build=${1:?build dir}
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
. "$(dirname "$0")/tap.sh"

if ! meson install -C "$build" --destdir "$destdir" --no-rebuild --quiet >"$destdir.log" 2>&1; then
  not_ok "meson install"; sed 's/^/# /' "$destdir.log"; rm -f "$destdir.log"
  tap_end
fi
rm -f "$destdir.log"
ok "meson install into a DESTDIR"

read -r prefix libdir < <(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
options = {o["name"]: o["value"] for o in json.load(sys.stdin)}
print(options["prefix"], options["libdir"])')
plugindir="$destdir$prefix/$libdir/gstreamer-1.0"
if [ -f "$plugindir/libgstsora.so" ]; then ok "the plugin in $prefix/$libdir/gstreamer-1.0"; else
  not_ok "no libgstsora.so in $plugindir"; fi
if [ -x "$destdir$prefix/bin/sora-tasks" ]; then ok "sora-tasks in $prefix/bin"; else
  not_ok "no sora-tasks in $prefix/bin"; fi
read -r datadir < <(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
print({o["name"]: o["value"] for o in json.load(sys.stdin)}["datadir"])')
# The price list the element finds with no configuration (core/price_list.h).
prices="$destdir$prefix/$datadir/gstreamer-sora/prices.json"
if [ -f "$prices" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))["prices"]' "$prices"; then
  ok "the price list in $prefix/$datadir/gstreamer-sora"; else
  not_ok "no price list at $prices"; fi
# Nothing of the tests is installed.
extra=$(cd "$destdir" && find . -type f | grep -v -e '/gstreamer-1.0/libgstsora.so$' -e '/bin/sora-tasks$' \
  -e '/gstreamer-sora/prices.json$')
if [ -z "$extra" ]; then ok "nothing else installed"; else not_ok "also installed: $extra"; fi

if [ "$prefix" = /usr ]; then
  pluginsdir=$(pkg-config --variable=pluginsdir gstreamer-1.0)
  if [ "$prefix/$libdir/gstreamer-1.0" = "$pluginsdir" ]; then
    ok "that is GStreamer's plugin directory ($pluginsdir)"
  else
    not_ok "installed to $prefix/$libdir/gstreamer-1.0, GStreamer looks in $pluginsdir"
  fi
else
  echo "# prefix $prefix is not /usr: the pluginsdir comparison needs --prefix=/usr"
fi

# As GStreamer finds a system plugin: from its system path, no GST_PLUGIN_PATH.
export LD_PRELOAD=${SORA_TEST_PRELOAD:-}
inspect=$(env -u GST_PLUGIN_PATH GST_PLUGIN_SYSTEM_PATH_1_0="$plugindir" \
  GST_REGISTRY="$destdir/registry.bin" gst-inspect-1.0 sora 2>&1)
if grep -q "Filename.*$plugindir/libgstsora.so" <<<"$inspect" &&
  grep -q soravideosrc <<<"$inspect" && grep -q soraplaylistsrc <<<"$inspect"; then
  ok "gst-inspect-1.0 loads the installed plugin: soravideosrc, soraplaylistsrc"
else
  not_ok "gst-inspect-1.0 did not load the installed plugin"; sed 's/^/# /' <<<"$inspect"
fi
unset LD_PRELOAD
if "$destdir$prefix/bin/sora-tasks" --help >/dev/null 2>&1; then ok "sora-tasks --help runs"; else
  not_ok "sora-tasks --help failed"; fi
tap_end
