#!/usr/bin/env python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
"""Adds up the report.json of several soaks (run with --keep DIR) into one set of figures, as
docs/reliability.md shows them.

    python3 tests/chaos/combine.py /tmp/soak-101 /tmp/soak-202 ...
"""

import collections
import json
import os
import sys


def main():
    reports = []
    for directory in sys.argv[1:]:
        with open(os.path.join(directory, "report.json")) as f:
            reports.append(json.load(f))
    if not reports:
        print(__doc__)
        return 2
    total = collections.Counter()
    dicts = collections.defaultdict(collections.Counter)
    for report in reports:
        for name in ("jobs", "seconds in all", "requests that drew at the emulator"):
            total[name] += report[name]
        for name in ("jobs by kind", "faults drawn by the emulator", "faults drawn by the proxy",
                     "create requests per distinct request", "tasks created per distinct request",
                     "live tasks per distinct request (max 1)", "counts"):
            dicts[name].update({k: v for k, v in report[name].items()})
    longest_null = max(reports, key=lambda r: r["longest set_state(NULL) ms"])
    longest_traced = max(reports, key=lambda r: r["longest set_state(NULL) ms at *:9"])
    measured = [sum(r["set_state(NULL) measured (runs at *:2, at *:9)"][i] for r in reports)
                for i in (0, 1)]
    longest_run = max(reports, key=lambda r: r["longest run s"])
    violations = sum(len(r["violations"]) for r in reports)
    print(f"- seeds: {', '.join(str(r['seed']) for r in reports)}")
    print(f"- jobs: {total['jobs']} ({dict(dicts['jobs by kind'])}), "
          f"{round(total['seconds in all'] / 60, 1)} minutes")
    counts = dicts["counts"]
    runs = sum(v for k, v in counts.items() if k.startswith("runs ("))
    print(f"- runs (processes): {runs} "
          f"({', '.join(f'{k[6:-1]} {v}' for k, v in sorted(counts.items()) if k.startswith('runs ('))})")
    print(f"- kills: {counts['kills (SIGKILL)']} SIGKILL, {counts['kills (SIGINT)']} SIGINT")
    print(f"- requests that drew a fate at the emulator: {total['requests that drew at the emulator']}")
    print(f"- faults drawn by the emulator: {dict(sorted(dicts['faults drawn by the emulator'].items()))}")
    print(f"- faults drawn by the proxy: {dict(sorted(dicts['faults drawn by the proxy'].items()))}")
    for name in ("create requests per distinct request", "tasks created per distinct request",
                 "live tasks per distinct request (max 1)"):
        print(f"- {name}: {dict(sorted(dicts[name].items(), key=lambda kv: int(kv[0])))}")
    print(f"- set_state(NULL) measured: {measured[0]} runs at GST_DEBUG=*:2, {measured[1]} at *:9")
    print(f"- longest set_state(NULL): {longest_null['longest set_state(NULL) ms']} ms at *:2, "
          f"{longest_traced['longest set_state(NULL) ms at *:9']} ms at *:9")
    print(f"- longest run: {longest_run['longest run s']} s (bound {longest_run['run bound s']} s)")
    for name, value in sorted(counts.items()):
        if not name.startswith(("runs (", "kills (")):
            print(f"- {name}: {value}")
    print(f"- violations: {violations}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
