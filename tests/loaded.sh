#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs chosen test programs while stress-ng keeps every core busy, so that a
# timing assertion that only holds on an idle machine shows itself. The load
# is bounded: stress-ng is started with a timeout and stopped (by its own pid)
# when the tests end.
#   bash tests/loaded.sh [--cpu N] [--build DIR] NAME... [-- meson test arguments]
# NAME is a test of tests/meson.build (progressive, cancel, ...). --cpu: stress
# workers (default 4, twice the cores of the 2-core machines the suite must
# pass on). Exits with meson test's status.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
cpu=4
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) cpu=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --) shift; break ;;
    *) names+=("$1"); shift ;;
  esac
done
if [ ${#names[@]} -eq 0 ]; then
  echo "usage: bash tests/loaded.sh [--cpu N] [--build DIR] NAME... [-- meson test arguments]" >&2
  exit 2
fi
command -v stress-ng > /dev/null || { echo "stress-ng is missing (.ci/install-deps installs it)" >&2; exit 2; }

# At most an hour of load, whatever happens to this script.
stress-ng --cpu "$cpu" --timeout 3600 > /dev/null 2>&1 &
stress=$!
trap 'kill "$stress" 2> /dev/null; wait "$stress" 2> /dev/null' EXIT
sleep 1
echo "stress-ng --cpu $cpu running (pid $stress); load: $(cut -d' ' -f1-3 /proc/loadavg)"
meson test -C "$build" --print-errorlogs --num-processes 2 "$@" "${names[@]}"
