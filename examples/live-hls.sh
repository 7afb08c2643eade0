#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A live programme of generated shots, streamed to HLS.
#
#   bash examples/live-hls.sh [OUTPUT_DIR]
#
# soraplaylistsrc with is-live=true runs on the pipeline clock like a
# camera: the shots are generated ahead, played in order, and while a shot
# is late the slate ("Next: ...") plays, so the stream never stalls.
# hlssink2 writes OUTPUT_DIR/programme.m3u8 and its segments; serve the
# directory with any web server (python3 -m http.server) and open the
# playlist in a player. Ctrl-C ends the stream cleanly (-e: EOS first).
# Needs OPENAI_API_KEY (and OPENAI_BASE_URL for a gateway), and the plugin
# on GST_PLUGIN_PATH.
#
# SIZE: the clips' size (default 1280x720); PROGRAMME_SIZE: the stream's
# (default SIZE); SECONDS_PER_SHOT (default 4); VALIDATE=false for a server
# that takes other durations and sizes than OpenAI's.
set -euo pipefail

output=${1:-hls}
size=${SIZE:-1280x720}
programme_size=${PROGRAMME_SIZE:-$size}
seconds=${SECONDS_PER_SHOT:-4}
mkdir -p "$output"

# The programme, as a playlist file: one object per shot, each key a
# soravideosrc property. The bin's own properties are every shot's defaults.
playlist="$output/programme.json"
cat > "$playlist" <<JSON
[
  {"prompt": "Station ident: a lighthouse beam sweeping over the sea at night"},
  {"prompt": "A fishing boat leaves the harbour at dawn"},
  {"prompt": "Gulls over the waves, slow motion"},
  {"prompt": "The boat on the horizon at dusk"}
]
JSON

echo "Streaming a live programme to $output/programme.m3u8"
exec gst-launch-1.0 -e soraplaylistsrc name=programme is-live=true location="$playlist" \
  seconds="$seconds" size="$size" validate="${VALIDATE:-true}" \
  video-caps="video/x-raw,width=${programme_size%x*},height=${programme_size#*x},framerate=30/1" \
  programme.video ! queue ! x264enc tune=zerolatency speed-preset=veryfast key-int-max=30 \
    ! h264parse ! hls.video \
  programme.audio ! queue ! audioconvert ! avenc_aac ! aacparse ! hls.audio \
  hlssink2 name=hls target-duration=1 playlist-length=10 max-files=20 \
    location="$output/segment%05d.ts" playlist-location="$output/programme.m3u8"
