#!/usr/bin/env bash
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# From a fresh Debian machine to a generated clip: installs what is missing,
# builds the plugin, and generates one clip into a file with soravideosrc.
#
#   bash examples/quickstart.sh ["prompt"] [output.mp4]
#
# With a key in the environment it uses your gateway and the generation is
# billed: OPENROUTER_API_KEY (OpenRouter), AZURE_OPENAI_API_KEY with
# AZURE_OPENAI_ENDPOINT (Azure OpenAI), or OPENAI_API_KEY with
# OPENAI_BASE_URL (any other gateway: LiteLLM, new-api, ...). OpenAI closed
# its own video API on 2026-09-24, so there is no default server. With no
# key, it starts the project's local emulator, which renders a test clip for
# free.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prompt=${1:-"A cat walking on the street"}
output=${2:-"$PWD/clip.mp4"}
build="$root/build"

"$root/.ci/install-deps"
[ -f "$build/build.ninja" ] || meson setup --prefix=/usr "$build" "$root" >/dev/null
meson compile -C "$build" >/dev/null
export GST_PLUGIN_PATH="$build/gst/sora${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"

gateway=auto
if [ -n "${OPENROUTER_API_KEY:-}" ] && [ -z "${OPENAI_BASE_URL:-}" ]; then
  gateway=openrouter
  echo "Using OpenRouter (https://openrouter.ai/api/v1) with your OPENROUTER_API_KEY: this generation is billed."
elif [ -n "${AZURE_OPENAI_API_KEY:-}" ] && [ -n "${AZURE_OPENAI_ENDPOINT:-}" ]; then
  gateway=azure
  echo "Using Azure OpenAI at $AZURE_OPENAI_ENDPOINT with your AZURE_OPENAI_API_KEY: this generation is billed."
elif [ -n "${OPENAI_API_KEY:-}" ]; then
  if [ -z "${OPENAI_BASE_URL:-}" ]; then
    echo "OPENAI_API_KEY is set but OPENAI_BASE_URL is not: OpenAI closed its own video API on" >&2
    echo "2026-09-24. Set OPENAI_BASE_URL to your gateway's video API (see docs/gateways.md)," >&2
    echo "or unset OPENAI_API_KEY to try the local emulator." >&2
    exit 1
  fi
  echo "Using $OPENAI_BASE_URL with your OPENAI_API_KEY: this generation is billed."
else
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
  echo "No API key set: using the local emulator at $OPENAI_BASE_URL"
  echo "(it renders a test clip showing the prompt; nothing is billed)."
fi

# Decode the whole clip as it is served, and keep the MP4 at $output.
gst-launch-1.0 soravideosrc gateway="$gateway" prompt="$prompt" location="$output" \
  ! decodebin name=d d. ! queue ! videoconvert ! fakesink d. ! queue ! audioconvert ! fakesink

echo
echo "Clip saved to $output:"
gst-discoverer-1.0 "$output" | sed -n 's/^  *\(Duration\|Width\|Height\|Frame rate\|video #1\|audio #2\).*/&/p'
