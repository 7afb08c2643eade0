#!/usr/bin/python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What GStreamer's documentation and gst-inspect-1.0 show of the plugin.

- docs/plugins/gst_plugins_cache.json is what docs/plugins/update-cache.py
  makes of the plugin just built (else it prints the command that updates it);
- it has every element and property gst-inspect-1.0 lists (a property a parent
  class owns is documented with that class, as hotdoc does);
- neither gst-inspect-1.0 nor the cache shows a default of this machine: both
  run here with $HOME, $XDG_CACHE_HOME and every endpoint variable set to
  values that must not appear.

Usage: plugin_docs.py PLUGIN.so SOURCE_ROOT (TAP on stdout).
"""

import difflib
import json
import os
import subprocess
import sys
import tempfile

# Under AddressSanitizer the plugin loads only into a process that has the
# runtime (tests/meson.build): this one and the gst-inspect-1.0 it starts.
preload = os.environ.get("SORA_TEST_PRELOAD", "")
if preload and os.environ.get("LD_PRELOAD") != preload:
    os.environ["LD_PRELOAD"] = preload
    os.execv(sys.executable, [sys.executable] + sys.argv)

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
from gi.repository import GObject, Gst  # noqa: E402

plugin_path, source_root = sys.argv[1], sys.argv[2]
generator = os.path.join(source_root, "docs", "plugins", "update-cache.py")
committed = os.path.join(source_root, "docs", "plugins", "gst_plugins_cache.json")
update_command = "%s %s %s" % (sys.executable, generator, plugin_path)

scratch = tempfile.TemporaryDirectory(prefix="plugin-docs-")
# Values a default must never show: the machine's home and cache, an endpoint.
home = os.path.join(scratch.name, "home-of-this-machine")
machine_env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   OPENAI_BASE_URL="http://endpoint-of-this-machine.invalid/v1",
                   AZURE_OPENAI_ENDPOINT="https://azure-of-this-machine.invalid",
                   OPENAI_API_KEY="sk-key-of-this-machine")
machine_values = [home, machine_env["OPENAI_BASE_URL"], machine_env["AZURE_OPENAI_ENDPOINT"],
                  machine_env["OPENAI_API_KEY"], "endpoint-of-this-machine",
                  "azure-of-this-machine"]

count, failed = 0, False


def check(name, problems):
    global count, failed
    count += 1
    if problems:
        failed = True
        print("not ok %d %s" % (count, name))
        for line in problems:
            print("# " + line.replace("\n", "\n# "))
    else:
        print("ok %d %s" % (count, name))
    sys.stdout.flush()


def inspect(*args):
    return subprocess.run(["gst-inspect-1.0", *args], env=machine_env, check=True,
                          capture_output=True, text=True).stdout


def inspected_properties(out):
    """Property names of gst-inspect-1.0's "Element Properties:" section:
    "  name                : blurb" (continuation lines go deeper)."""
    names, section = [], out.split("\nElement Properties:\n", 1)[1]
    for line in section.split("\n"):
        if line and not line[0].isspace():
            break  # the next section
        if line.startswith("  ") and line[2:3].isalpha() and " : " in line:
            names.append(line[2:line.index(" : ")].strip())
    return names


def inspected_elements():
    """The element names `gst-inspect-1.0 sora` lists under Plugin Details."""
    out = inspect("sora")
    names = []
    for line in out.split("\n"):
        if line.startswith("  ") and ": " in line and not line.startswith("   "):
            name = line.strip().split(":", 1)[0]
            if Gst.ElementFactory.find(name) is not None:
                names.append(name)
    return names


# 1. The committed cache is the built plugin's.
generated = os.path.join(scratch.name, "gst_plugins_cache.json")
subprocess.run([sys.executable, generator, plugin_path, generated], env=machine_env, check=True)
with open(generated, encoding="utf-8") as f:
    new_text = f.read()
with open(committed, encoding="utf-8") as f:
    old_text = f.read()
diff = list(difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), committed,
                                 "the build's", lineterm="", n=2))
check("docs/plugins/gst_plugins_cache.json is the build's",
      diff and ["It differs from what the build makes: update it with", "  " + update_command,
                "and commit it."] + diff[:60])

# 2. It documents everything gst-inspect-1.0 lists.
Gst.init(None)
Gst.Plugin.load_file(plugin_path)
cache = json.loads(old_text)["sora"]  # the committed file, as hotdoc reads it
problems = []
elements = inspected_elements()
if not elements:
    problems.append("gst-inspect-1.0 sora lists no element")
for name in elements:
    entry = cache["elements"].get(name)
    if entry is None:
        problems.append("element %s is not in the cache" % name)
        continue
    # Properties of the classes above the element are those classes' own pages.
    inherited = {spec.name for type_name in entry["hierarchy"][1:]
                 for spec in GObject.list_properties(GObject.type_from_name(type_name))}
    listed = inspected_properties(inspect(name))
    for prop in listed:
        if prop not in entry.get("properties", {}) and prop not in inherited:
            problems.append("%s: property %s is not in the cache" % (name, prop))
    for prop in entry.get("properties", {}):
        if prop not in listed:
            problems.append("%s: the cache has %s, which gst-inspect-1.0 does not list"
                            % (name, prop))
for name in cache["elements"]:
    if name not in elements:
        problems.append("the cache has element %s, which gst-inspect-1.0 does not list" % name)
check("the cache has every element and property gst-inspect-1.0 lists", problems)

# 3. No default of this machine, in gst-inspect-1.0 or the cache.
problems = []
for name in elements:
    out = inspect(name)
    problems += ["gst-inspect-1.0 %s shows '%s'" % (name, value)
                 for value in machine_values if value in out]
# The cache made here, where every value above is set.
problems += ["the cache shows '%s'" % value for value in machine_values if value in new_text]
check("no machine-specific default in gst-inspect-1.0 or the cache", problems)

print("1..%d" % count)
sys.exit(1 if failed else 0)
