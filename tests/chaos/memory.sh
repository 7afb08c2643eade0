#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The memory soak: one process runs N generations back to back (cache off, small clips) against
# a private emulator, and reports resident memory, descriptors and threads at the given points;
# it fails when they grew between the first point and the last.
#   bash tests/chaos/memory.sh [N [POINTS [MAX_RSS_GROWTH_KB [BUILD [OPTIONS...]]]]]
# (default: 1000 100,1000 4096, and $SORA_BUILD or build/ at the root). OPTIONS go to
# sora-memory-soak: `--programme N [--live]` plays one soraplaylistsrc of N shots instead, POINTS
# then counting shots, e.g. `bash tests/chaos/memory.sh 0 20,2000 4096 build --programme 2000`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${4:-${SORA_BUILD:-$root/build}}
generations=${1:-1000}
points=${2:-100,1000}
growth=${3:-4096}
emulator=${SORA_EMULATOR:-$build/tests/emulator/sora-emulator}
export SORA_EMULATOR_RENDER_CACHE=${SORA_EMULATOR_RENDER_CACHE:-$build/tests/render-cache}
export GST_PLUGIN_PATH=${GST_PLUGIN_PATH:-$build/gst/sora}

out=$(mktemp)
"$emulator" --port 0 --queue-ms 0 --generation-ms 0 --poll-after-ms 100 >"$out" 2>/dev/null &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q SORA_EMULATOR_URL "$out" && break; sleep 0.1; done
url=$(sed -n 's/^SORA_EMULATOR_URL=//p' "$out")
curl -s -X POST -H 'Content-Type: application/json' -d '{"dialect": {"models": "any"}}' \
  "${url%/v1}/_emulator/config" >/dev/null

OPENAI_BASE_URL=$url OPENAI_API_KEY=sk-memory-soak-0123456789 \
  "$build/tests/chaos/sora-memory-soak" --generations "$generations" --report-at "$points" \
  --max-rss-growth-kb "$growth" "${@:5}"
