#!/bin/sh
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs videos-roundtrip.mjs (the official openai npm client) against a fresh sora-emulator.
# Usage: run-test.sh [PATH-TO-sora-emulator]   (default: $SORA_EMULATOR)
# Exits 77, meson's "skipped", when node/npm are missing or the npm packages cannot be installed.
# The packages are installed into ./npm-client-work under the current directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
emulator=${1:-${SORA_EMULATOR:-}}
work=$(pwd)/npm-client-work

if [ -z "$emulator" ] || [ ! -x "$emulator" ]; then
  echo "run-test.sh: no sora-emulator given (argument or \$SORA_EMULATOR)" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node and npm are needed for the openai npm client test"
  exit 77
fi

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/videos-roundtrip.mjs" "$work/"
if ! (cd "$work" && npm ci --no-audit --no-fund >npm-ci.log 2>&1); then
  cat "$work/npm-ci.log"
  echo "SKIP: npm ci failed (no npm registry?)"
  exit 77
fi

"$emulator" --port 0 >"$work/emulator.url" 2>"$work/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null; wait "$emulator_pid" 2>/dev/null' EXIT

base_url=
for _ in $(seq 100); do
  base_url=$(sed -n 's/^SORA_EMULATOR_URL=//p' "$work/emulator.url")
  [ -n "$base_url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$base_url" ]; then
  echo "run-test.sh: the emulator did not start" >&2
  cat "$work/emulator.log" >&2
  exit 1
fi

OPENAI_BASE_URL=$base_url OPENAI_API_KEY=sk-npm-client-test node "$work/videos-roundtrip.mjs"
