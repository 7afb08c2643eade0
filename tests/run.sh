#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what is missing, builds, and runs the whole test suite. Ends with
# the line "N passed, N failed" (test cases, counted from each test's TAP
# output) and exits non-zero if anything failed.
#   bash tests/run.sh [BUILD_DIR] [extra meson test arguments...]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
shift || true

"$root/.ci/install-deps" || { echo "0 passed, 1 failed"; exit 1; }

if [ ! -f "$build/build.ninja" ]; then
  meson setup --prefix=/usr "$build" "$root" || { echo "0 passed, 1 failed"; exit 1; }
fi
meson compile -C "$build" || { echo "0 passed, 1 failed"; exit 1; }

meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
status=$?
python3 "$root/tests/summarize.py" "$build/meson-logs/testlog.json"
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
