#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Broadcast chaining: generated shots joined into one programme file.
#
#   bash examples/broadcast-chain.sh [programme.mp4]
#
# soraplaylistsrc plays a list of shots as one programme: it generates them
# ahead (at most max-parallel at once, three by default), plays them in the
# list's order whatever order they finish in, and brings every shot to one
# format: scaled with borders, one frame rate, silence for a clip without
# audio, timestamps continuous from 0. The programme is encoded once (H.264 +
# AAC) into a single MP4. A hand-built concat pipeline cannot do this: a clip
# without an audio track leaves its audio branch waiting for ever.
# Needs OPENAI_API_KEY (and OPENAI_BASE_URL for a gateway), and the plugin on
# GST_PLUGIN_PATH.
#
# SIZE: the clips' size (default 1280x720); PROGRAMME_SIZE: the
# programme's (default SIZE).
set -euo pipefail

output=${1:-programme.mp4}
size=${SIZE:-1280x720}
programme_size=${PROGRAMME_SIZE:-$size}
width=${programme_size%x*}
height=${programme_size#*x}

# The programme, one object per shot; each key is a soravideosrc property,
# and what a shot leaves out comes from the bin (seconds, size, model, ...).
playlist=$(mktemp --suffix=.json)
trap 'rm -f "$playlist"' EXIT
cat > "$playlist" <<JSON
[
  {"prompt": "Opening titles: a sunrise over a calm sea"},
  {"prompt": "A fishing boat leaves the harbour"},
  {"prompt": "Closing shot: the boat on the horizon at dusk"}
]
JSON

gst-launch-1.0 -e soraplaylistsrc name=programme location="$playlist" seconds=4 size="$size" \
  video-caps="video/x-raw,width=$width,height=$height,framerate=30/1" \
  programme.video ! queue ! x264enc speed-preset=veryfast ! h264parse ! mp4mux name=mux \
    ! filesink location="$output" \
  programme.audio ! queue ! audioconvert ! avenc_aac ! aacparse ! mux.

echo "Programme written to $output"
