#!/usr/bin/env python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Counts test cases in meson's testlog.json and prints "N passed, N failed".

A TAP test counts each "ok"/"not ok" line; a test that crashed after some
cases counts one failure more. Any other test counts as one case. Exits 1 if
anything failed."""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not )?ok \d+\b(.*)$")


def count(entry):
    passed = failed = skipped = 0
    for line in (entry.get("stdout") or "").splitlines():
        m = TAP_LINE.match(line)
        if not m:
            continue
        directive = m.group(2).upper()
        if "# SKIP" in directive:
            skipped += 1
        elif m.group(1) and "# TODO" not in directive:
            failed += 1
        else:
            passed += 1
    result = entry["result"]
    if passed + failed + skipped == 0:
        if result == "SKIP":
            return 0, 0, 1
        return (1, 0, 0) if result in ("OK", "EXPECTEDFAIL") else (0, 1, 0)
    if result not in ("OK", "EXPECTEDFAIL", "SKIP") and failed == 0:
        failed += 1  # crashed or timed out after its last case
    return passed, failed, skipped


def main(path):
    totals = [0, 0, 0]
    try:
        with open(path) as log:
            entries = [json.loads(line) for line in log if line.strip()]
    except OSError as error:
        print(f"no test log: {error}")
        entries = []
    for entry in entries:
        p, f, s = count(entry)
        totals = [totals[0] + p, totals[1] + f, totals[2] + s]
        if f:
            print(f"FAILED: {entry['name']} ({entry['result']})")
    if not entries:
        totals[1] += 1
    if totals[2]:
        print(f"{totals[2]} skipped")
    print(f"{totals[0]} passed, {totals[1]} failed")
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
