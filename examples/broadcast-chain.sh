#!/usr/bin/env bash
# Broadcast chaining: three generated clips joined into one programme file.
#
#   bash examples/broadcast-chain.sh [programme.mp4]
#
# One pipeline holds three soravideosrc elements: they all go to PAUSED
# together, so the three tasks are created at once and generate in
# parallel. concat plays them one after the other, in the order of its
# sink pads; the programme is scaled to one format and re-encoded (H.264 +
# AAC) into a single MP4. Needs OPENAI_API_KEY (and OPENAI_BASE_URL for a
# gateway), and the plugin on GST_PLUGIN_PATH.
#
# SIZE: the clips' size (default 1280x720); PROGRAMME_SIZE: the
# programme's (default SIZE).
set -euo pipefail

output=${1:-programme.mp4}
size=${SIZE:-1280x720}
programme_size=${PROGRAMME_SIZE:-$size}
width=${programme_size%x*}
height=${programme_size#*x}
prompts=(
  "Opening titles: a sunrise over a calm sea"
  "A fishing boat leaves the harbour"
  "Closing shot: the boat on the horizon at dusk"
)

# One branch per clip: decoded, then brought to the programme's format on
# sink pad N of each concat, so the order is the list's, not the order the
# clips happen to finish in.
branches=""
for i in "${!prompts[@]}"; do
  branches+=" soravideosrc prompt=\"${prompts[$i]}\" seconds=4 size=$size ! decodebin name=clip$i"
  branches+=" clip$i. ! queue ! videoconvert ! videoscale ! videorate"
  branches+=" ! video/x-raw,format=I420,width=$width,height=$height,framerate=30/1 ! video.sink_$i"
  branches+=" clip$i. ! queue ! audioconvert ! audioresample"
  branches+=" ! audio/x-raw,rate=48000,channels=2 ! audio.sink_$i"
done

# shellcheck disable=SC2086
eval gst-launch-1.0 -e \
  concat name=video ! queue ! x264enc speed-preset=veryfast ! h264parse ! mp4mux name=mux \
  ! filesink location="\"$output\"" \
  concat name=audio ! queue ! avenc_aac ! aacparse ! mux. \
  "$branches"

echo "Programme written to $output"
