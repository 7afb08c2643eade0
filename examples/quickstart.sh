#!/usr/bin/env bash
# From a fresh Debian machine to a generated clip: installs what is missing,
# builds the plugin, and generates one clip into a file with soravideosrc.
#
#   bash examples/quickstart.sh ["prompt"] [output.mp4]
#
# With OPENAI_API_KEY set it uses your server (OPENAI_BASE_URL, default
# https://api.openai.com/v1) and the generation is billed. Without it, it
# starts the project's local emulator, which renders a test clip for free.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prompt=${1:-"A cat walking on the street"}
output=${2:-"$PWD/clip.mp4"}
build="$root/build"

"$root/.ci/install-deps"
[ -f "$build/build.ninja" ] || meson setup "$build" "$root" >/dev/null
meson compile -C "$build" >/dev/null
export GST_PLUGIN_PATH="$build/gst/sora${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"

if [ -z "${OPENAI_API_KEY:-}" ]; then
  url_file=$(mktemp)
  "$build/tests/emulator/sora-emulator" --port 0 >"$url_file" 2>/dev/null &
  emulator=$!
  trap 'kill $emulator 2>/dev/null; rm -f "$url_file"' EXIT
  for _ in $(seq 100); do
    grep -q '^SORA_EMULATOR_URL=' "$url_file" && break
    sleep 0.1
  done
  OPENAI_BASE_URL=$(sed -n 's/^SORA_EMULATOR_URL=//p' "$url_file")
  if [ -z "$OPENAI_BASE_URL" ]; then
    # Never fall through to the real API with a made-up key.
    echo "The local emulator did not start: run $build/tests/emulator/sora-emulator --port 0 to see why." >&2
    exit 1
  fi
  export OPENAI_BASE_URL
  export OPENAI_API_KEY=sk-local-emulator
  echo "No OPENAI_API_KEY set: using the local emulator at $OPENAI_BASE_URL"
  echo "(it renders a test clip showing the prompt; nothing is billed)."
else
  echo "Using ${OPENAI_BASE_URL:-https://api.openai.com/v1} with your OPENAI_API_KEY: this generation is billed."
fi

# Decode the whole clip as it is served, and keep the MP4 at $output.
gst-launch-1.0 soravideosrc prompt="$prompt" location="$output" \
  ! decodebin name=d d. ! queue ! videoconvert ! fakesink d. ! queue ! audioconvert ! fakesink

echo
echo "Clip saved to $output:"
gst-discoverer-1.0 "$output" | sed -n 's/^  *\(Duration\|Width\|Height\|Frame rate\|video #1\|audio #2\).*/&/p'
