#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `dpkg-buildpackage -b -uc -us` builds gstreamer1.0-sora from a copy of the
# tracked sources, and the package holds the plugin where GStreamer finds it
# and sora-tasks; unpacked, gst-inspect-1.0 loads the plugin from it.
#   tests/debian-package.sh SOURCE_ROOT
set -uo pipefail
root=${1:?source root}
if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
  echo "1..0 # SKIP dpkg-buildpackage or debhelper is not installed (.ci/install-deps installs them)"
  exit 77
fi
if ! git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "1..0 # SKIP not a git checkout: cannot list the tracked files"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/tap.sh"

# The tracked files only, as a clean clone has them (no build directory).
mkdir "$work/gst-sora"
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$work/gst-sora")
cd "$work/gst-sora" || exit 1
if DEB_BUILD_OPTIONS="parallel=2 nocheck" dpkg-buildpackage -b -uc -us >"$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -b -uc -us"
else
  not_ok "dpkg-buildpackage failed"; tail -n 40 "$work/build.log" | sed 's/^/# /'
  tap_end
fi
deb=$(ls "$work"/gstreamer1.0-sora_*.deb 2>/dev/null | head -n1)
if [ -n "$deb" ]; then ok "built $(basename "$deb")"; else
  not_ok "no gstreamer1.0-sora .deb"; tap_end; fi

pluginsdir=$(pkg-config --variable=pluginsdir gstreamer-1.0)
contents=$(dpkg-deb -c "$deb")
if grep -q " \.$pluginsdir/libgstsora.so$" <<<"$contents"; then ok "the plugin in $pluginsdir"; else
  not_ok "no libgstsora.so in $pluginsdir"; sed 's/^/# /' <<<"$contents"; fi
if grep -q " \./usr/bin/sora-tasks$" <<<"$contents"; then ok "sora-tasks in /usr/bin"; else
  not_ok "no /usr/bin/sora-tasks"; fi
depends=$(dpkg-deb -f "$deb" Depends)
if grep -q "libgstreamer1.0-0" <<<"$depends" && grep -q "libsoup-3.0-0" <<<"$depends"; then
  ok "Depends names GStreamer and libsoup 3 ($depends)"
else
  not_ok "Depends lacks GStreamer or libsoup: $depends"
fi

# Unpacked where the package would put it: GStreamer finds the plugin there.
dpkg-deb -x "$deb" "$work/root"
export LD_PRELOAD=${SORA_TEST_PRELOAD:-}
inspect=$(env -u GST_PLUGIN_PATH GST_PLUGIN_SYSTEM_PATH_1_0="$work/root$pluginsdir" \
  GST_REGISTRY="$work/registry.bin" gst-inspect-1.0 soravideosrc 2>&1)
unset LD_PRELOAD
if grep -q "Sora video generation source" <<<"$inspect"; then
  ok "gst-inspect-1.0 loads soravideosrc from the package"
else
  not_ok "gst-inspect-1.0 could not load the packaged plugin"; sed 's/^/# /' <<<"$inspect"
fi
tap_end
