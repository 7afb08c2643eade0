#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every source file carries the licence header (an SPDX line among its first
# lines) and the LICENSE file is the LGPL 2.1 the headers name.
#   tests/check-licence.sh SOURCE_ROOT
set -uo pipefail
root=${1:?source root}
cd "$root" || exit 1
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "1..0 # SKIP not a git checkout: cannot list the tracked files"
  exit 77
fi
. "$(dirname "$0")/tap.sh"
if grep -q "GNU LESSER GENERAL PUBLIC LICENSE" LICENSE; then ok "LICENSE is the GNU LGPL 2.1"; else
  not_ok "LICENSE is not the GNU LGPL 2.1"; fi
missing=$(git ls-files -- '*.cpp' '*.h' '*.py' '*.sh' '*.mjs' '*meson.build' meson_options.txt \
    .ci/run .ci/install-deps debian/rules |
  while read -r f; do
    [ -f "$f" ] || continue
    head -n 6 "$f" | grep -q "SPDX-License-Identifier: LGPL-2.1-or-later" || echo "$f"
  done)
if [ -z "$missing" ]; then ok "every source file has the licence header"; else
  not_ok "source files without the licence header:"; echo "$missing" | sed 's/^/#   /'; fi
tap_end
