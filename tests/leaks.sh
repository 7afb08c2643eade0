#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs the rapid start/stop cycles under valgrind: no definite leak may show
# (libraries' one-off initialisers are suppressed), and what is still
# reachable at exit must not grow between 20 and 200 cycles.
#   leaks.sh TEST_CANCEL_BINARY SUPPRESSIONS
set -u
binary=$(realpath "$1")
suppressions=$(realpath "$2")
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIP: valgrind is not installed"
  exit 77
fi
if [ -n "${SORA_TEST_PRELOAD:-}" ]; then
  # An AddressSanitizer build: its own leak checker replaces this one.
  echo "SKIP: valgrind cannot run an AddressSanitizer build"
  exit 77
fi

reachable() {
  SORA_UNDER_VALGRIND=1 G_SLICE=always-malloc SORA_CYCLES=$1 \
    valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --error-exitcode=1 --suppressions="$suppressions" --num-callers=30 \
    "$binary" -p /cancel/rapid-cycles >"leaks-$1.log" 2>&1
  local status=$?
  grep -E "definitely lost|still reachable|cycles" "leaks-$1.log" | sed "s/^/[$1 cycles] /" >&2
  [ $status -eq 0 ] || { cat "leaks-$1.log" >&2; echo "valgrind reported errors" >&2; exit 1; }
  sed -n 's/.*still reachable: \([0-9,]*\) bytes.*/\1/p' "leaks-$1.log" | tr -d ,
}

few=$(reachable 20) || exit 1
many=$(reachable 200) || exit 1
echo "still reachable at exit: $few bytes after 20 cycles, $many bytes after 200"
if [ $((many - few)) -gt 16384 ]; then
  echo "memory held at exit grew by $((many - few)) bytes over 180 more cycles"
  exit 1
fi
