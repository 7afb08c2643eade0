// gst-sora: text-to-video for GStreamer
// Copyright (C) 2026 The gst-sora contributors
// SPDX-License-Identifier: LGPL-2.1-or-later

// Drives the official `openai` npm client, unchanged, against the server in OPENAI_BASE_URL
// (with OPENAI_API_KEY): create a video, poll it until it completes, download it and check that
// the bytes are an MP4, find it through the paginated list, delete it. Exits non-zero on any
// problem.
import OpenAI from 'openai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLL_DEADLINE_MS = 120_000;
const DEFAULT_POLL_MS = 500;

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls until the video is finished, waiting as long as the server's openai-poll-after-ms asks.
async function waitUntilFinished(client, id) {
  const deadline = Date.now() + POLL_DEADLINE_MS;
  for (;;) {
    const { data: video, response } = await client.videos.retrieve(id).withResponse();
    console.log(`${video.id}: ${video.status} ${video.progress}%`);
    if (video.status === 'completed' || video.status === 'failed') {
      return video;
    }
    check(Date.now() < deadline, `${id} did not finish within ${POLL_DEADLINE_MS} ms`);
    await sleep(Number(response.headers.get('openai-poll-after-ms')) || DEFAULT_POLL_MS);
  }
}

// The first box of an MP4 file is its ftyp box.
function checkMp4(bytes) {
  check(bytes.length > 8, `download is only ${bytes.length} bytes`);
  check(bytes.subarray(4, 8).toString('latin1') === 'ftyp', 'download does not start with an ftyp box');
}

async function findInList(client, id) {
  // A page size of 1 makes the SDK follow the `after` cursor across pages.
  for await (const video of client.videos.list({ limit: 1, order: 'desc' })) {
    if (video.id === id) {
      return true;
    }
  }
  return false;
}

async function main() {
  check(process.env.OPENAI_BASE_URL, 'OPENAI_BASE_URL is not set');
  check(process.env.OPENAI_API_KEY, 'OPENAI_API_KEY is not set');
  const client = new OpenAI({ maxRetries: 0, timeout: 60_000 });

  const created = await client.videos.create({
    prompt: 'A calico cat playing a piano on stage',
    model: 'sora-2',
    seconds: '4',
    size: '720x1280',
  });
  check(created.object === 'video' && created.id.startsWith('video_'), `unexpected create answer ${JSON.stringify(created)}`);

  const video = await waitUntilFinished(client, created.id);
  check(video.status === 'completed', `generation failed: ${JSON.stringify(video.error)}`);
  check(video.seconds === '4' && video.size === '720x1280', `unexpected video ${JSON.stringify(video)}`);

  const content = await client.videos.downloadContent(video.id);
  check(content.headers.get('content-type') === 'video/mp4', `content type ${content.headers.get('content-type')}`);
  const directory = await mkdtemp(join(tmpdir(), 'sora-npm-client-'));
  try {
    const file = join(directory, `${video.id}.mp4`);
    await writeFile(file, Buffer.from(await content.arrayBuffer()));
    const bytes = await readFile(file);
    checkMp4(bytes);
    console.log(`downloaded ${bytes.length} bytes to ${file}`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }

  check(await findInList(client, video.id), `${video.id} is missing from the list`);
  const deleted = await client.videos.delete(video.id);
  check(deleted.deleted === true && deleted.id === video.id, `unexpected delete answer ${JSON.stringify(deleted)}`);
  console.log('openai npm client round trip passed');
}

main().catch((error) => {
  console.error(`FAIL: ${error.stack || error}`);
  process.exit(1);
});
