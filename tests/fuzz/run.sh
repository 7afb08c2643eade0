#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Fuzzes everything the client reads from a server (tests/fuzz/fuzz_responses.cpp)
# with libFuzzer, AddressSanitizer and UBSan, for SECONDS (default 600).
#   bash tests/fuzz/run.sh [SECONDS]
# New inputs go to build-fuzz/corpus; a crash leaves crash-* files there: copy
# them into tests/fuzz/corpus so that the test suite replays them for good.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-600}
out="$root/build-fuzz"

"$root/.ci/install-deps"
if ! command -v clang++ >/dev/null || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev </dev/null
fi

mkdir -p "$out/corpus"
# shellcheck disable=SC2046
clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/gst/sora/core" "$root/tests/fuzz/fuzz_responses.cpp" "$root"/gst/sora/core/*.cpp \
  $(pkg-config --cflags --libs gstreamer-1.0 gio-2.0 gmodule-2.0 libsoup-3.0 json-glib-1.0 libxxhash) \
  -o "$out/fuzz-responses"
cd "$out"
ASAN_OPTIONS=detect_leaks=1 ./fuzz-responses -max_total_time="$seconds" -max_len=8192 \
  -timeout=10 -print_final_stats=1 corpus "$root/tests/fuzz/corpus"
