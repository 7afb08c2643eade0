# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# TAP output for the shell tests: `. tap.sh`, then ok/not_ok per check, and
# `tap_end` last (it prints the plan and exits 1 when a check failed).
tap_count=0
tap_failed=0
ok() { tap_count=$((tap_count + 1)); echo "ok $tap_count $1"; }
not_ok() { tap_count=$((tap_count + 1)); echo "not ok $tap_count $1"; tap_failed=1; }
tap_end() { echo "1..$tap_count"; exit $tap_failed; }
