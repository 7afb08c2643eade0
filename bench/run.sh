#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs the benchmarks and writes docs/benchmarks.md.
#
#   bash bench/run.sh            # 5 runs per figure, ~100 MB clips (about 4 minutes)
#   bash bench/run.sh --quick    # smoke mode: one run each, small clips; writes
#                                # build/bench/benchmarks-smoke.md instead
#   bash bench/run.sh --only 2,4 --runs 9   # some rows; writes build/bench/benchmarks-partial.md
#
# Installs what is missing (like the test suite), builds, and runs
# build/bench/sora-bench against private emulators on 127.0.0.1. The
# emulator's rendered clips are kept in build/bench/render-cache, so a second
# run does not encode the 100 MB clip again.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"

"$root/.ci/install-deps"
[ -f "$build/build.ninja" ] || meson setup --prefix=/usr "$build" "$root" >/dev/null
meson compile -C "$build" >/dev/null

export SORA_EMULATOR="$build/tests/emulator/sora-emulator"
export SORA_EMULATOR_RENDER_CACHE="$build/bench/render-cache"
export GST_PLUGIN_PATH="$build/gst/sora"
export GST_REGISTRY="$build/bench/gst-registry.bin"
export XDG_CACHE_HOME="$build/bench/xdg-cache"
# The benchmarks bring their own key and server; a user's must not leak in.
unset OPENAI_API_KEY OPENAI_BASE_URL

output="$root/docs/benchmarks.md"
for arg in "$@"; do
  case "$arg" in
    --quick) output="$build/bench/benchmarks-smoke.md" ;;
    --only*) [ "$output" = "$root/docs/benchmarks.md" ] && output="$build/bench/benchmarks-partial.md" ;;
  esac
done
exec "$build/bench/sora-bench" --output "$output" "$@"
