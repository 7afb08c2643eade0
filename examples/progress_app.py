#!/usr/bin/env python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later

"""An application that embeds a soravideosrc pipeline (PyGObject) and shows a
progress bar built from the bus messages.

    python3 examples/progress_app.py "A cat walking on the street" clip.mp4

The pipeline decodes the clip as it is served and keeps the MP4 at the
output path (the element's location property). The bar follows the
element's GST_MESSAGE_PROGRESS messages: generation progress first, then the
download; sora-status and sora-retry element messages add the task's own
words. Ctrl-C stops the pipeline cleanly: the task goes on on the server and
a later run of the same request finds it again through the cache's journal.

Needs OPENAI_API_KEY (and OPENAI_BASE_URL for a gateway), the plugin on
GST_PLUGIN_PATH, and Debian's python3-gi, gir1.2-gstreamer-1.0.
"""
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

BAR_WIDTH = 40


class ProgressBar:
    """A one-line bar on stderr, redrawn in place on a terminal."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self.last = None

    def show(self, phase, percent, text):
        # percent -1: the server reports no progress (OpenRouter): say so
        # rather than draw 0 %.
        filled = max(0, percent) * BAR_WIDTH // 100
        line = "[{}{}] {:>4} {:<11} {}".format(
            "#" * filled,
            "." * (BAR_WIDTH - filled),
            "{}%".format(percent) if percent >= 0 else "?",
            phase,
            text,
        )
        if line == self.last:
            return
        self.last = line
        if self.tty:
            sys.stderr.write("\r" + line[:160].ljust(160))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def done(self):
        if self.tty:
            sys.stderr.write("\n")


class App:
    def __init__(self, prompt, output):
        self.output = output
        self.bar = ProgressBar()
        self.video_id = None
        self.status = 0
        self.loop = GLib.MainLoop()
        self.pipeline = Gst.parse_launch(
            "soravideosrc name=src ! decodebin name=d "
            "d. ! queue ! videoconvert ! fakesink sync=false "
            "d. ! queue ! audioconvert ! fakesink sync=false"
        )
        src = self.pipeline.get_by_name("src")
        src.set_property("prompt", prompt)
        src.set_property("location", output)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)

    def on_message(self, _bus, message):
        if message.type == Gst.MessageType.PROGRESS:
            s = message.get_structure()
            phase = s.get_string("phase") or ""
            percent = max(-1, min(100, s.get_int("percent")[1]))
            self.video_id = s.get_string("video-id") or self.video_id
            self.bar.show(phase, percent, s.get_string("text"))
        elif message.type == Gst.MessageType.ELEMENT:
            s = message.get_structure()
            if s.get_name() == "sora-retry":
                self.bar.show("retrying", 0, "{} failed ({}), again in {} ms".format(
                    s.get_string("request"), s.get_string("reason"), s.get_uint("delay-ms")[1]))
            elif s.get_name() == "sora-cache" and s.get_string("event") == "hit":
                self.bar.show("cache", 100, "served from the cache")
        elif message.type == Gst.MessageType.EOS:
            self.bar.done()
            print("Saved {} (task {})".format(self.output, self.video_id))
            self.loop.quit()
        elif message.type == Gst.MessageType.ERROR:
            self.bar.done()
            error, _debug = message.parse_error()
            print("Error: " + error.message, file=sys.stderr)
            self.status = 1
            self.loop.quit()

    def on_interrupt(self):
        self.bar.done()
        if self.video_id:
            print("Stopped. Task {} goes on on the server; run again to pick it up.".format(
                self.video_id), file=sys.stderr)
        self.status = 130
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def run(self):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, self.on_interrupt)
        self.pipeline.set_state(Gst.State.PLAYING)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return self.status


def main():
    if len(sys.argv) != 3:
        print("usage: progress_app.py PROMPT OUTPUT.mp4", file=sys.stderr)
        return 2
    Gst.init(None)
    return App(sys.argv[1], sys.argv[2]).run()


if __name__ == "__main__":
    sys.exit(main())
