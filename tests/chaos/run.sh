#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The chaos soak: N jobs drawn from SEED, through random faults and kills, every invariant
# checked (see tests/chaos/soak.py and docs/reliability.md).
#   bash tests/chaos/run.sh SEED N [--workers 3] [--short] [--keep DIR] [--only J,K]
#     [--provider-jobs K]
# The build directory is $SORA_BUILD, else build/ at the root; it must be built.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SORA_BUILD:-$root/build}
if [ $# -lt 2 ]; then
  echo "usage: $0 SEED N [--workers W] [--short] [--keep DIR] [--keep-logs] [--only J,K] [--provider-jobs K]" >&2
  exit 2
fi
export SORA_EMULATOR_RENDER_CACHE=${SORA_EMULATOR_RENDER_CACHE:-$build/tests/render-cache}
exec python3 "$root/tests/chaos/soak.py" --build "$build" "$@"
