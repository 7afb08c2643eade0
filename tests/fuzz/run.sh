#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds the fuzz targets (tests/fuzz/fuzz_*.cpp) with clang, libFuzzer,
# AddressSanitizer and UBSan, and runs one, or each in turn, for SECONDS
# (default 600) from its seed corpus tests/fuzz/corpus/TARGET:
#   bash tests/fuzz/run.sh [TARGET] [SECONDS] [libFuzzer options...]
#   bash tests/fuzz/run.sh --build-only
# Targets: responses, mp4-check, mp4-summary, cache-record, playlist.
# New inputs go to build-fuzz/corpus/TARGET; a crash, timeout or out-of-memory
# leaves its input in build-fuzz/artifacts/TARGET: fix the bug, then copy the
# input into tests/fuzz/corpus/TARGET so that the test suite replays it for good.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build-fuzz"
targets=(responses mp4-check mp4-summary cache-record playlist)

build_only=0
chosen=("${targets[@]}")
if [ "${1:-}" = --build-only ]; then
  build_only=1
  shift
elif [ -n "${1:-}" ] && [[ ! "$1" =~ ^[0-9]+$ ]]; then
  [[ " ${targets[*]} " == *" $1 "* ]] || { echo "unknown target '$1' (${targets[*]})" >&2; exit 2; }
  chosen=("$1")
  shift
fi
seconds=${1:-600}
shift || true

"$root/.ci/install-deps"
if ! command -v clang++ >/dev/null || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
  sudo=(); [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev </dev/null
fi

# The plugin's own defines (tests/meson.build has them as plugin_cpp_args).
cxxflags=(-std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined
  -fno-sanitize-recover=undefined -I"$root/gst/sora" -I"$root/tests/fuzz"
  -DG_LOG_DOMAIN='"sora"' -DPACKAGE='"gst-sora"' -DPACKAGE_NAME='"gst-sora fuzzing"'
  -DPACKAGE_VERSION='"fuzz"' -DPACKAGE_ORIGIN='"fuzz"' -DGST_LICENSE='"LGPL"')
packages=(gstreamer-1.0 gstreamer-base-1.0 gstreamer-app-1.0 gstreamer-video-1.0
  gstreamer-audio-1.0 gstreamer-pbutils-1.0 gio-2.0 gmodule-2.0 libsoup-3.0 json-glib-1.0
  libxxhash)
read -r -a pkg_cflags <<<"$(pkg-config --cflags "${packages[@]}")"
read -r -a pkg_libs <<<"$(pkg-config --libs "${packages[@]}")"
newest_header=$(find "$root/gst/sora" "$root/tests/fuzz" -name '*.h' -printf '%T@ %p\n' |
  sort -n | tail -1 | cut -d' ' -f2)

# Each source compiled once for every target, again only when it (or a header) changed.
object() {
  local source=$1 object="$out/obj/${1#"$root"/}.o"
  if [ ! -e "$object" ] || [ "$source" -nt "$object" ] || [ "$newest_header" -nt "$object" ]; then
    mkdir -p "$(dirname "$object")"
    clang++ "${cxxflags[@]}" "${pkg_cflags[@]}" -c "$source" -o "$object"
  fi
  echo "$object"
}

build() {
  local target=$1 sources=("$root"/gst/sora/core/*.cpp "$root/tests/fuzz/scratch_file.cpp")
  # The playlist parser needs soravideosrc's properties: the plugin but its registration.
  [ "$target" = playlist ] && sources+=($(ls "$root"/gst/sora/*.cpp "$root"/gst/sora/playlist/*.cpp |
    grep -v '/plugin\.cpp$'))
  local objects=()
  for source in "$root/tests/fuzz/fuzz_${target//-/_}.cpp" "${sources[@]}"; do
    objects+=("$(object "$source")")
  done
  clang++ -fsanitize=fuzzer,address,undefined "${objects[@]}" "${pkg_libs[@]}" -o "$out/fuzz-$target"
}

for target in "${chosen[@]}"; do
  build "$target"
done
[ "$build_only" = 1 ] && exit 0

for target in "${chosen[@]}"; do
  echo "== fuzz-$target for $seconds s"
  mkdir -p "$out/corpus/$target" "$out/artifacts/$target"
  max_len=8192
  [[ "$target" == mp4-* ]] && max_len=16384 # a real moov is 2-3 KB, with ftyp and mdat around it
  # GStreamer's set-up orphans a quark table (GLib never frees one it
  # outgrows) that LeakSanitizer reports with the first input that allocates:
  # the playlist target, which needs GStreamer, runs without leak detection.
  leaks=1
  [ "$target" = playlist ] && leaks=0
  # A GLib warning or critical is a finding too: misuse the code under test
  # survived this time (the suite's replay makes them fatal as well).
  G_DEBUG=fatal-warnings ASAN_OPTIONS=detect_leaks=$leaks "$out/fuzz-$target" \
    -max_total_time="$seconds" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$target/" \
    "$@" "$out/corpus/$target" "$root/tests/fuzz/corpus/$target"
done
