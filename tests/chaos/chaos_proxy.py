#!/usr/bin/env python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
"""A TCP proxy that misbehaves below HTTP, between a client and the emulator.

Each connection it accepts draws, with probability --rate, one fault from a PRNG seeded by the
seed and the connection's number:

  latency     every piece forwarded, either way, waits 5..--latency-max-ms
  cut_up      the connection closes after a random number of bytes from the client (0..2000:
              often inside the request line, headers or body)
  cut_down    the connection closes after a random number of bytes from the server (0..60000:
              inside the status line, the headers or the body)
  stall_up    at a random byte from the client, forwarding stops for 0..--stall-max-ms
  stall_down  the same from the server

Prints CHAOS_PROXY_URL=http://127.0.0.1:PORT once it listens. SIGUSR1 stops the faults (every
connection accepted afterwards passes untouched), SIGUSR2 starts them again; SIGINT and SIGTERM
end it. Every fault drawn is a line of JSON in --log.

    chaos_proxy.py --target 127.0.0.1:8000 --seed 7 --rate 0.2 --log proxy.jsonl
"""

import argparse
import asyncio
import json
import random
import signal
import sys

PIECE = 16 * 1024


class Fate:
    def __init__(self, kind, direction=None, at=0, ms=0):
        self.kind = kind
        self.direction = direction  # "up" (client to server) or "down"
        self.at = at  # cut or stall: the byte of that direction
        self.ms = ms  # latency or stall


def draw(seed, number, rate, latency_max_ms, stall_max_ms):
    rng = random.Random(f"{seed}:{number}")
    if rng.random() >= rate:
        return None
    kind = rng.choice(["latency", "cut_up", "cut_down", "stall_up", "stall_down"])
    if kind == "latency":
        return Fate(kind, ms=rng.randint(5, max(5, latency_max_ms)))
    direction = kind.split("_")[1]
    at = rng.randint(0, 2000) if direction == "up" else rng.randint(0, 60000)
    if kind.startswith("cut"):
        return Fate("cut", direction, at)
    return Fate("stall", direction, at, rng.randint(0, stall_max_ms))


class Proxy:
    def __init__(self, args):
        self.args = args
        self.host, port = args.target.rsplit(":", 1)
        self.port = int(port)
        self.faults_on = True
        self.connections = 0
        self.log = open(args.log, "a", buffering=1) if args.log else None

    def record(self, **entry):
        if self.log:
            self.log.write(json.dumps(entry) + "\n")

    async def pipe(self, number, reader, writer, fate, direction, closed):
        """Forwards one direction; returns when it ends, or when the fault cut it."""
        sent = 0
        try:
            while not closed.is_set():
                data = await reader.read(PIECE)
                if not data:
                    break
                if fate and fate.kind == "latency":
                    await asyncio.sleep(fate.ms / 1000)
                if fate and fate.direction == direction and fate.kind in ("cut", "stall"):
                    if sent <= fate.at < sent + len(data):
                        head = data[: fate.at - sent]
                        writer.write(head)
                        await writer.drain()
                        sent += len(head)
                        data = data[len(head):]
                        if fate.kind == "cut":
                            self.record(conn=number, fault="cut", direction=direction, at=fate.at)
                            closed.set()
                            break
                        self.record(conn=number, fault="stall", direction=direction,
                                    at=fate.at, ms=fate.ms)
                        await asyncio.sleep(fate.ms / 1000)
                writer.write(data)
                await writer.drain()
                sent += len(data)
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        closed.set()

    async def serve(self, client_reader, client_writer):
        number = self.connections
        self.connections += 1
        fate = None
        if self.faults_on:
            fate = draw(self.args.seed, number, self.args.rate, self.args.latency_max_ms,
                        self.args.stall_max_ms)
            if fate and fate.kind == "latency":
                self.record(conn=number, fault="latency", ms=fate.ms)
        try:
            server_reader, server_writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            client_writer.close()
            return
        closed = asyncio.Event()
        up = asyncio.ensure_future(
            self.pipe(number, client_reader, server_writer, fate, "up", closed))
        down = asyncio.ensure_future(
            self.pipe(number, server_reader, client_writer, fate, "down", closed))
        # Either side ending ends the connection: a proxy closes both halves.
        await closed.wait()
        for task in (up, down):
            task.cancel()
        for writer in (client_writer, server_writer):
            try:
                writer.close()
            except (ConnectionError, OSError):
                pass

    async def main(self):
        server = await asyncio.start_server(self.serve, "127.0.0.1", self.args.port)
        port = server.sockets[0].getsockname()[1]
        print(f"CHAOS_PROXY_URL=http://127.0.0.1:{port}", flush=True)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGUSR1, lambda: setattr(self, "faults_on", False))
        loop.add_signal_handler(signal.SIGUSR2, lambda: setattr(self, "faults_on", True))
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        async with server:
            await stop.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, help="HOST:PORT to forward to")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.2, help="share of connections faulted")
    parser.add_argument("--latency-max-ms", type=int, default=200)
    parser.add_argument("--stall-max-ms", type=int, default=3000)
    parser.add_argument("--log", help="append every fault drawn here, one JSON line each")
    args = parser.parse_args()
    try:
        asyncio.run(Proxy(args).main())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
