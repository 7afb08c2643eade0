#!/usr/bin/env python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
"""The chaos soak: soravideosrc, sora-tasks download and soraplaylistsrc through random faults
and random kills, and the product's promises checked after every run.

    tests/chaos/run.sh SEED N [--workers 3] [--short] [--keep DIR]

N jobs, drawn from SEED, run on a few worker threads that share one cache directory, as a render
farm would. A job is a request (a prompt) run by sora-chaos-run (soravideosrc), by sora-chaos-run
and then `sora-tasks download` of its video id, by soraplaylistsrc (two shots), or the same
request as the job before it, run at the same time. A few jobs more (--provider-jobs per
provider) run against the native providers, each speaking to an emulator of its own in its
preset (--dialect gemini, fal, replicate), with the same chaos, kills and checks. Between the
client and the OpenAI-format emulator sits chaos_proxy.py; every emulator runs in chaos mode. A share of the runs is killed (SIGKILL or
SIGINT) at a random moment and started again with the same request. A run that ends with an error
is followed as a user would follow its text: an ambiguous create by listing the server's tasks and
attaching to the one found (or running again as the text says, when there is none), anything else
by running again. When the jobs are done the faults stop, and the soak checks:

  1. never paid twice: per request, every task created but the last is one the server failed or
     let expire (a rerun legitimately makes those anew), and within a run no create request
     followed one that created a task;
  2. nothing lost: every run that ended without an error produced the clip the server rendered,
     byte for byte; every error names the video id the run knew, and resuming that id succeeds
     once the faults stop (or the server says the task failed or expired, and so does the error);
  3. no hang: every run ended within generation-timeout plus a bound; set_state(NULL) took under
     200 ms every time it was asked (at the end of each run, and on SIGINT), under 1 s in the
     runs that log every category at level 9;
  4. no key anywhere: not in any run's log (half the runs, drawn per run, log at GST_DEBUG=*:9,
     the others at *:2), its bus messages, sora-tasks' output, or any file of the cache;
  5. no corrupt state: the cache holds only records, clips, locks and temporary names, all
     private (the directory 0700, its files 0600, whatever run was killed), every record
     parses, every stored clip is the server's, and running every finished request once more
     is a cache hit that sends no request at all.

Prints the figures (faults drawn by kind, kills, creates per request, clips verified, ...) and
writes report.json and report.md in the work directory. Exits 1 when an invariant was broken,
naming the job and the command that replays it.
"""

import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class Profile:
    """Timings and rates: the full soak's, or the short mode's (CI)."""

    def __init__(self, short):
        self.queue_ms = 100
        self.generation_ms = 300
        self.poll_after_ms = 150
        self.chaos_rate = 0.2
        self.hang_max_ms = 1500 if short else 2500
        self.retry_after_max_s = 1 if short else 2
        self.task_failure_rate = 0.04
        self.task_expiry_rate = 0.04
        self.expiry_s = 1
        self.proxy_rate = 0.25
        self.proxy_latency_max_ms = 100
        self.stall_max_ms = 2000 if short else 2500
        self.io_timeout_s = 2
        self.retries = 5
        self.generation_timeout_s = 20 if short else 40
        # What a run may take beyond generation-timeout: starting the process, loading the
        # plugin, stopping, decoding a programme; generous for a loaded 2-core machine.
        self.bound_s = 20
        # set_state(NULL): the promise, at the debug level a deployment runs (warnings); at
        # *:9 GStreamer's own elements run ten times slower (decodebin plugging a decoder while
        # gst-libav loads took 120 ms of a stop), so there it is a hang bound.
        self.set_null_limit_ms = 200
        self.set_null_limit_traced_ms = 1000
        # Half the runs (drawn per run) log every category at level 9, scanned for the key.
        self.debug_traced = "*:9"
        self.debug_plain = "*:2"
        self.kill_share = 0.3
        self.max_attempts = 8


# ---------------------------------------------------------------------------------------------
# The emulator and the proxy


def http(method, url, body=None, headers=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return answer.status, answer.read()


def stop_process(process):
    """SIGTERM, and SIGKILL when it is still there 10 s later."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


class Provider:
    """A native provider's jobs: the element's gateway, the emulator's preset of the same name,
    a model the preset knows with a length and size it takes, and where the prompt is in the
    create's JSON body."""

    def __init__(self, name, model, base_path, key_env, seconds, size, prompt_of):
        self.name = name
        self.model = model
        self.base_path = base_path  # below the emulator's root, as base-url
        self.key_env = key_env
        self.seconds = seconds
        self.size = size
        self.prompt_of = prompt_of


def _member(value, *path):
    for name in path:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return ""
        value = value.get(name)
    return value if isinstance(value, str) else ""


# Veo 3 on the Gemini API (durationSeconds an integer), Veo 3 on fal (duration "4s", the status
# stream), Zeroscope on Replicate (num_frames at its fps, width and height; its output a list).
PROVIDERS = [
    Provider("gemini", "veo-3.0-generate-001", "/v1beta", "GEMINI_API_KEY", 4, "1280x720",
             lambda body: _member(body, "instances", "prompt")),
    Provider("fal", "fal-ai/veo3", "", "FAL_KEY", 4, "1280x720",
             lambda body: _member(body, "prompt")),
    Provider("replicate", "anotherjesse/zeroscope-v2-xl", "/v1", "REPLICATE_API_TOKEN", 1,
             "256x256", lambda body: _member(body, "input", "prompt")),
]


class Emulator:
    def __init__(self, path, profile, work, dialect="openai"):
        self.dialect = dialect
        self.log = open(os.path.join(work, f"emulator-{dialect}.log"), "w")
        self.process = subprocess.Popen(
            [path, "--port", "0", "--queue-ms", str(profile.queue_ms), "--generation-ms",
             str(profile.generation_ms), "--poll-after-ms", str(profile.poll_after_ms),
             "--dialect", dialect],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = self.process.stdout.readline().strip().split("=", 1)[1]
        self.process.stdout.readline()  # the CDN's URL
        self.root = self.url[: -len("/v1")]

    def control(self, method, path, body=None):
        _, data = http(method, self.root + "/_emulator/" + path, body, timeout=60)
        return json.loads(data) if data else None

    def configure(self, patch):
        return self.control("POST", "config", patch)

    def stop(self):
        stop_process(self.process)


class Proxy:
    def __init__(self, target, seed, profile, work):
        self.log_path = os.path.join(work, "proxy.jsonl")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "chaos_proxy.py"), "--target", target, "--seed",
             str(seed), "--rate", str(profile.proxy_rate), "--latency-max-ms",
             str(profile.proxy_latency_max_ms), "--stall-max-ms", str(profile.stall_max_ms),
             "--log", self.log_path],
            stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip().split("=", 1)[1]

    def faults(self, on):
        self.process.send_signal(signal.SIGUSR2 if on else signal.SIGUSR1)

    def drawn(self):
        counts = collections.Counter()
        if os.path.exists(self.log_path):
            with open(self.log_path) as log:
                for line in log:
                    entry = json.loads(line)
                    direction = entry.get("direction")
                    counts[entry["fault"] + ("_" + direction if direction else "")] += 1
        return counts

    def stop(self):
        stop_process(self.process)


# ---------------------------------------------------------------------------------------------
# Reading what runs left


FIELD = re.compile(r'([A-Za-z][\w-]*)=\((\w+)\)("(?:[^"\\]|\\.)*"|[^,;]*)')


def fields(text):
    """The fields of a serialised GstStructure, values unquoted."""
    found = {}
    for name, _, value in FIELD.findall(text):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        else:
            value = re.sub(r"\\(.)", r"\1", value)
        found[name] = value
    return found


def known_video_id(messages):
    """The task a run last knew of: the newest video id on the bus, forgotten when the cache says
    its journalled task was stale (the run then generates anew)."""
    known = ""
    for message in messages:
        if "sora-cache" in message and "event=(string)stale" in message:
            known = ""
            continue
        if message.startswith(("element from src", "progress from src")):
            video_id = fields(message).get("video-id", "")
            if video_id:
                known = video_id
    return known


def shot_video_ids(messages):
    """soraplaylistsrc: the last video id each shot's messages named."""
    ids = {}
    for message in messages:
        if "sora-playlist" in message:
            f = fields(message)
            if f.get("video-id") and f.get("index", "").isdigit():
                ids[int(f["index"])] = f["video-id"]
    return ids


def task_id(video_id):
    """The emulator's task id of a video id: the Gemini API's is the operation's name,
    models/M/operations/ID."""
    return video_id.rsplit("/", 1)[-1]


def allow_core_dumps():
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_ambiguous(text):
    return "may have created" in text


# ---------------------------------------------------------------------------------------------
# Jobs and their runs


class Attempt:
    def __init__(self, job, number, kind, phase):
        self.job = job
        self.number = number
        self.kind = kind  # element, attach, download, playlist
        self.phase = phase  # soak, final, resume, cache-check
        self.dir = os.path.join(job.dir, f"{phase}-{number}")
        self.kill = None  # (signal name, delay s) when the plan kills it
        self.killed = None  # the signal delivered, if it was
        self.outcome = None  # eos, error, interrupted, killed, hang, lost
        self.result = None
        self.error = ""
        self.video_id = ""
        self.started = 0.0
        self.ended = 0.0
        self.command = []
        self.video_ids = {}  # playlist: shot index -> video id
        self.prompt = ""  # element and attach: the request's prompt
        # GST_DEBUG=*:9 for half the runs, drawn from the seed and the run's place alone (so
        # that the jobs' own draws are those of any other soak of the seed).
        place = f"{job.prompts[0] if job.prompts else job.index}/{phase}/{number}"
        digest = hashlib.sha256(place.encode()).digest()
        self.traced = digest[0] % 2 == 0


class Job:
    def __init__(self, index, kind, prompts, rng, work, provider=None):
        self.index = index
        self.kind = kind  # element, download, playlist, duplicate
        self.provider = provider  # a Provider: its emulator and gateway; None: the OpenAI format
        self.prompts = prompts
        self.rng = rng
        self.dir = os.path.join(work, "jobs", f"{index:04d}")
        self.attempts = []
        self.done = False
        self.attach_id = {}  # prompt -> the task found after an ambiguous create
        self.refresh = set()  # prompts to run once with cache-mode=refresh
        self.download_id = ""
        self.download_done = False
        self.note = ""


class Soak:
    def __init__(self, args):
        self.args = args
        self.profile = Profile(args.short)
        self.build = os.path.abspath(args.build)
        self.lock = threading.Lock()
        self.violations = []
        self.counts = collections.Counter()
        self.provider_counts = collections.defaultdict(collections.Counter)  # name -> counts
        self.set_null_ms = {False: [], True: []}  # traced (*:9) or not -> [(ms, run dir)]
        self.rendered = {}  # video id -> rendered file
        self.key = "sk-chaos-%016x" % random.Random(f"key:{args.seed}").getrandbits(64)
        self.work = args.keep or tempfile.mkdtemp(prefix="sora-chaos-")
        os.makedirs(self.work, exist_ok=True)
        self.cache = os.path.join(self.work, "cache")
        self.tools = {
            "emulator": os.environ.get("SORA_EMULATOR") or
            os.path.join(self.build, "tests/emulator/sora-emulator"),
            "tasks": os.environ.get("SORA_TASKS") or os.path.join(self.build, "gst/tools/sora-tasks"),
            "run": os.environ.get("SORA_CHAOS_RUN") or
            os.path.join(self.build, "tests/chaos/sora-chaos-run"),
        }

    # --- output -----------------------------------------------------------------------------

    def say(self, text):
        with self.lock:
            print(text, flush=True)

    def violation(self, invariant, job, text, attempt=None):
        where = f"job {job.index}" if job else "soak"
        if attempt:
            where += f" ({attempt.phase} run {attempt.number}, {attempt.dir})"
        replay = (f"tests/chaos/run.sh {self.args.seed} {self.args.jobs}" +
                  (" --short" if self.args.short else "") +
                  (f" --provider-jobs {self.args.provider_jobs}"
                   if self.args.provider_jobs is not None else "") +
                  (f" --only {job.index}" if job else ""))
        with self.lock:
            self.violations.append({"invariant": invariant, "where": where, "text": text,
                                    "replay": replay})
            print(f"VIOLATION [{invariant}] {where}: {text}", flush=True)
        if attempt:
            attempt.keep = True

    # --- the environment of every run ---------------------------------------------------------

    def env(self, attempt):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI_", "OPENROUTER_", "AZURE_OPENAI_", "GST_DEBUG",
                                    "GEMINI_", "GOOGLE_", "FAL_", "REPLICATE_"))}
        env.update({p.key_env: self.key for p in PROVIDERS})
        env.update({
            "OPENAI_API_KEY": self.key,
            "OPENAI_BASE_URL": self.base_url,
            "GST_PLUGIN_PATH": os.environ.get("GST_PLUGIN_PATH") or
            os.path.join(self.build, "gst/sora"),
            "GST_REGISTRY": os.environ.get("GST_REGISTRY") or
            os.path.join(self.build, "tests/chaos/registry.bin"),
            "GST_DEBUG": self.profile.debug_traced if attempt.traced else self.profile.debug_plain,
            "GST_DEBUG_NO_COLOR": "1",
            "XDG_CACHE_HOME": os.path.join(self.work, "xdg-cache"),
        })
        return env

    def common_props(self, provider=None):
        p = self.profile
        what = "seconds=1 size=160x96"
        if provider:
            # The model's own length and size (its schema or fixed parameters map them); the
            # poll cadence of the suite's emulator, not the provider's seconds.
            what = (f"gateway={provider.name} base-url={self.provider_base_url(provider)} "
                    f"model={provider.model} seconds={provider.seconds} size={provider.size} "
                    f"poll-interval={self.profile.poll_after_ms}")
        return (f"{what} validate=false timeout={p.io_timeout_s} "
                f"retries={p.retries} generation-timeout={p.generation_timeout_s} "
                f"cache-dir={self.cache}")

    def provider_base_url(self, provider):
        return self.emulators[provider.name].root + provider.base_path

    # --- one run --------------------------------------------------------------------------------

    def command_for(self, attempt, prompt=None, video_id=None, refresh=False):
        os.makedirs(attempt.dir, exist_ok=True)
        out = os.path.join(attempt.dir, "clip.mp4")
        job = attempt.job
        provider = job.provider
        if attempt.kind == "download":
            where = ([] if not provider else
                     ["--gateway", provider.name, "--model", provider.model, "--base-url",
                      self.provider_base_url(provider)])
            return [self.tools["tasks"]] + where + [
                "download", video_id, "-o", out, "--timeout", str(self.profile.io_timeout_s),
                "--retries", str(self.profile.retries)]
        if attempt.kind == "playlist":
            shots = []
            for k, shot_prompt in enumerate(job.prompts):
                # A shot carries request fields only: its clip is checked in the cache.
                shot = {"seconds": 1, "size": "160x96"}
                if shot_prompt in job.attach_id:
                    shot["video-id"] = job.attach_id[shot_prompt]
                else:
                    shot["prompt"] = shot_prompt
                shots.append(shot)
            playlist = os.path.join(attempt.dir, "playlist.json")
            with open(playlist, "w") as f:
                json.dump(shots, f)
            p = self.profile
            description = (
                f"soraplaylistsrc name=p location={playlist} cache-dir={self.cache} "
                f"validate=false timeout={p.io_timeout_s} retries={p.retries} "
                f"generation-timeout={p.generation_timeout_s} "
                "p.video ! fakesink sync=false p.audio ! fakesink sync=false")
        else:
            what = f"video-id={video_id}" if video_id else f'prompt="{prompt}"'
            extra = " cache-mode=refresh" if refresh else ""
            description = (f"soravideosrc name=src {what} {self.common_props(provider)}{extra} "
                           f"location={out} ! fakesink sync=false")
        return [self.tools["run"], os.path.join(attempt.dir, "result.json"), description]

    def execute(self, attempt):
        """Runs the attempt's command, killing it as planned; fills outcome and result."""
        p = self.profile
        bound = p.generation_timeout_s + p.bound_s
        log_path = os.path.join(attempt.dir, "log.txt")
        with open(log_path, "wb") as log:
            attempt.started = time.monotonic()
            # A crash leaves its core in the run's directory (with the usual core_pattern).
            process = subprocess.Popen(attempt.command, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, env=self.env(attempt),
                                       start_new_session=True, cwd=attempt.dir,
                                       preexec_fn=allow_core_dumps)
            try:
                if attempt.kill:
                    name, delay = attempt.kill
                    try:
                        process.wait(timeout=delay)
                    except subprocess.TimeoutExpired:
                        signum = signal.SIGKILL if name == "SIGKILL" else signal.SIGINT
                        process.send_signal(signum)
                        attempt.killed = name
                process.wait(timeout=max(1.0, bound - (time.monotonic() - attempt.started)))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                attempt.outcome = "hang"
            attempt.ended = time.monotonic()
        result_path = os.path.join(attempt.dir, "result.json")
        if attempt.kind == "download":
            attempt.result = None
            with open(log_path, errors="replace") as f:
                attempt.output = f.read()
        elif os.path.exists(result_path):
            with open(result_path) as f:
                attempt.result = json.load(f)
        if attempt.outcome == "hang":
            self.violation(3, attempt.job, f"the run did not end within {bound} s "
                           f"(generation-timeout {p.generation_timeout_s} s + {p.bound_s} s)",
                           attempt)
            self.scan_for_key(attempt, log_path)
            return
        code = process.returncode
        if attempt.kind == "download":
            attempt.outcome = ("eos" if code == 0 else
                               "killed" if code < 0 and attempt.killed else
                               "lost" if code < 0 else "error")
            if attempt.outcome == "lost":
                self.violation(3, attempt.job, f"sora-tasks died ({code})", attempt)
            if attempt.outcome == "error":
                lines = [l for l in attempt.output.splitlines() if l.startswith("sora-tasks: ")]
                attempt.error = lines[-1] if lines else attempt.output[-500:]
        elif attempt.result:
            attempt.outcome = attempt.result["outcome"]
            attempt.set_null_ms = attempt.result["set_null_ms"]
            limit = p.set_null_limit_traced_ms if attempt.traced else p.set_null_limit_ms
            with self.lock:
                self.set_null_ms[attempt.traced].append((attempt.set_null_ms, attempt.dir))
            if attempt.set_null_ms > limit:
                self.violation(3, attempt.job, f"set_state(NULL) took "
                               f"{attempt.set_null_ms:.1f} ms (limit {limit} ms at GST_DEBUG="
                               f"{p.debug_traced if attempt.traced else p.debug_plain})",
                               attempt)
            if attempt.result["error"]:
                e = attempt.result["error"]
                attempt.error = e["message"]
                attempt.error_details = e["details"]
                attempt.error_kind = f'{e["domain"]}/{e["code"]}'
            attempt.video_id = (known_video_id(attempt.result["messages"])
                                if attempt.kind != "playlist" else "")
            attempt.video_ids = shot_video_ids(attempt.result["messages"])
        elif attempt.killed == "SIGINT" and code == -signal.SIGINT:
            # SIGINT came before the driver had its handler: the same as a kill.
            attempt.outcome = "killed"
        elif attempt.killed:
            attempt.outcome = "killed"
        else:
            attempt.outcome = "lost"
            self.violation(3, attempt.job, f"the run exited with status {code} and no result"
                           + self.backtrace(attempt), attempt)
        if attempt.killed == "SIGINT" and attempt.kind != "download" and attempt.outcome not in (
                "interrupted", "eos", "error", "killed"):
            self.violation(3, attempt.job, "SIGINT did not stop the run cleanly", attempt)
        self.scan_for_key(attempt, log_path)

    def backtrace(self, attempt):
        """Where a crashed run died, from its core, when gdb and the core are there."""
        cores = [n for n in os.listdir(attempt.dir) if n.startswith("core")]
        if not cores or not shutil.which("gdb"):
            return ""
        out = subprocess.run(["gdb", "-batch", "-ex", "thread apply all bt", attempt.command[0],
                              os.path.join(attempt.dir, cores[0])],
                             capture_output=True, text=True, timeout=120).stdout
        with open(os.path.join(attempt.dir, "backtrace.txt"), "w") as f:
            f.write(out)
        return f" (backtrace in {attempt.dir}/backtrace.txt)"

    def scan_for_key(self, attempt, log_path):
        for path in [log_path, os.path.join(attempt.dir, "result.json")]:
            if os.path.exists(path):
                with open(path, "rb") as f:
                    if self.key.encode() in f.read():
                        self.violation(4, attempt.job, f"the API key is in {path}", attempt)
        with self.lock:
            self.counts["logs scanned"] += 1
        if not getattr(attempt, "keep", False) and not self.args.keep_logs:
            os.remove(log_path)

    # --- what the server made ---------------------------------------------------------------

    def rendered_file(self, video_id):
        with self.lock:
            if video_id in self.rendered:
                return self.rendered[video_id]
        for task in self.all_tasks():
            if task.get("files"):
                with self.lock:
                    self.rendered[task["id"]] = task["files"]["video"]
        with self.lock:
            return self.rendered.get(task_id(video_id))

    def check_clip(self, attempt, path, video_id, what):
        rendered = self.rendered_file(video_id) if video_id else None
        if not video_id or not rendered:
            self.violation(2, attempt.job, f"{what} ended without an error but names no task "
                           f"the server rendered ({video_id!r})", attempt)
            return False
        if not os.path.exists(path):
            self.violation(2, attempt.job, f"{what} ended without an error but {path} is "
                           "missing", attempt)
            return False
        if sha256(path) != sha256(rendered):
            self.violation(2, attempt.job, f"{what}: {path} differs from the clip the server "
                           f"rendered for {video_id}", attempt)
            return False
        with self.lock:
            self.counts["clips verified"] += 1
            if attempt.job.provider:
                self.provider_counts[attempt.job.provider.name]["clips verified"] += 1
        return True

    def list_tasks_with_prompt(self, prompt):
        """What a user does after an ambiguous create: list the server's tasks (with retries:
        the faults go on) and pick those with the prompt."""
        provider = self.provider_of_prompt(prompt)
        if provider:
            return self.provider_tasks_with_prompt(provider, prompt)
        found, after = [], None
        for _ in range(200):
            url = self.emulator.url + "/videos?limit=100&order=desc"
            if after:
                url += "&after=" + urllib.parse.quote(after)
            try:
                _, data = http("GET", url, headers={"Authorization": "Bearer " + self.key},
                               timeout=10)
                page = json.loads(data)
            except Exception:  # the faults go on: cut answers, HTML pages, drops
                time.sleep(0.2)
                continue
            now = time.time()
            # A task the list shows failed or past its expiry is no result to attach to.
            found += [v["id"] for v in page["data"] if v.get("prompt") == prompt and
                      v.get("status") != "failed" and
                      not (v.get("expires_at") and v["expires_at"] <= now)]
            if not page.get("has_more"):
                return found
            after = page["data"][-1]["id"]
        raise RuntimeError("could not list the server's tasks")

    def provider_of_prompt(self, prompt):
        return next((j.provider for j in self.jobs if prompt in j.prompts), None)

    def provider_tasks_with_prompt(self, provider, prompt):
        """fal and the Gemini API list nothing: a user looks in the provider's dashboard, which
        the emulator's task list stands for (Replicate's own rerun lists its predictions)."""
        now = time.time()
        found = [t for t in self.emulators[provider.name].control("GET", "tasks")
                 if t["prompt"] == prompt and t["status"] != "failed" and
                 not t["content_expired"] and not (t.get("expires_at") and t["expires_at"] <= now)]
        found.sort(key=lambda t: t["sequence"], reverse=True)
        return [self.provider_video_id(provider, t["id"]) for t in found]

    def provider_video_id(self, provider, tid):
        """The video id the element and sora-tasks take for the provider's task: the Gemini
        API's is the operation's name."""
        if provider.name == "gemini":
            return f"models/{provider.model}/operations/{tid}"
        return tid

    def ambiguous_wait(self):
        p = self.profile
        # A create the client gave up on may still reach the server (a stalled proxy) and be
        # answered late (a hang): wait until it surely has, as a careful user would.
        time.sleep((p.stall_max_ms + p.hang_max_ms + p.proxy_latency_max_ms) / 1000 + 1)

    # --- a job --------------------------------------------------------------------------------

    def plan_kill(self, job, attempt, kills_so_far):
        p = self.profile
        share = p.kill_share if kills_so_far == 0 else p.kill_share / 2
        draw = job.rng.random()
        name = "SIGKILL" if job.rng.random() < 0.6 else "SIGINT"
        # Most runs take about a second: most kills come within it, some later.
        longest = 4.0 if attempt.kind == "playlist" else 3.0
        delay = job.rng.uniform(0, 1.2 if job.rng.random() < 0.75 else longest)
        if draw < share and kills_so_far < 3 and attempt.phase == "soak":
            attempt.kill = (name, delay)

    def check_error_names_id(self, attempt, known):
        if not known:
            return
        details = getattr(attempt, "error_details", "")
        if known not in attempt.error:
            self.violation(2, attempt.job, f"the error does not name {known}, the task the run "
                           f"knew: {attempt.error!r}", attempt)
        elif attempt.kind != "download" and fields(details).get("video-id") != known:
            self.violation(2, attempt.job, f"the error's details do not carry video-id "
                           f"{known}: {details!r}", attempt)
        with self.lock:
            self.counts["errors naming their video id"] += 1

    def follow_error(self, job, attempt, prompt):
        """The next thing a user does after this error."""
        attached = job.attach_id.get(prompt)
        if attached and attached in attempt.error and (
                "failed" in attempt.error or "expired" in attempt.error):
            # The task found after an ambiguous create failed or expired: the request is made
            # anew, as it would be had that task been the run's own.
            del job.attach_id[prompt]
            return
        if is_ambiguous(attempt.error):
            with self.lock:
                self.counts["ambiguous creates reported"] += 1
                if "An earlier run" in attempt.error:
                    self.counts["ambiguous creates reported from the journal (a run stopped "
                                "while creating)"] += 1
            self.ambiguous_wait()
            found = self.list_tasks_with_prompt(prompt)
            if found:
                job.attach_id[prompt] = found[0]
                with self.lock:
                    self.counts["ambiguous creates resolved by attaching"] += 1
            else:
                if "cache-mode=refresh" in attempt.error:
                    job.refresh.add(prompt)
                with self.lock:
                    self.counts["ambiguous creates with no task (run again)"] += 1

    def run_attempt(self, job, attempt, kills):
        """Plans the attempt's kill, runs it and counts it."""
        self.plan_kill(job, attempt, kills[0])
        job.attempts.append(attempt)
        self.execute(attempt)
        self.count_attempt(attempt)

    def run_element(self, job, prompt, phase, kills):
        """Runs the request until a run succeeds or the attempts run out; returns the video id
        of the clip, or None."""
        while len(job.attempts) < self.profile.max_attempts * (2 if phase != "soak" else 1):
            video_id = job.attach_id.get(prompt)
            attempt = Attempt(job, len(job.attempts), "attach" if video_id else "element", phase)
            attempt.prompt = prompt
            refresh = prompt in job.refresh
            job.refresh.discard(prompt)
            attempt.command = self.command_for(attempt, prompt, video_id, refresh)
            self.run_attempt(job, attempt, kills)
            if attempt.killed and attempt.outcome in ("killed", "interrupted"):
                kills[0] += 1
                continue
            if attempt.outcome == "eos":
                vid = attempt.video_id or (attempt.result or {}).get("video_id", "")
                if video_id and vid != video_id:
                    self.violation(2, job, f"attached to {video_id} but the clip came from "
                                   f"{vid}", attempt)
                self.check_clip(attempt, os.path.join(attempt.dir, "clip.mp4"), vid,
                                "soravideosrc")
                attempt.plain = not video_id
                return vid
            if attempt.outcome == "error":
                self.check_error_names_id(attempt, attempt.video_id)
                self.follow_error(job, attempt, prompt)
                continue
            return None
        return None

    def run_download(self, job, video_id, phase, kills):
        while len(job.attempts) < self.profile.max_attempts * 2:
            attempt = Attempt(job, len(job.attempts), "download", phase)
            attempt.command = self.command_for(attempt, video_id=video_id)
            self.run_attempt(job, attempt, kills)
            if attempt.outcome == "killed":
                kills[0] += 1
                continue
            if attempt.outcome == "eos":
                self.check_clip(attempt, os.path.join(attempt.dir, "clip.mp4"), video_id,
                                "sora-tasks download")
                return True
            if attempt.outcome == "error":
                attempt.video_id = video_id
                self.check_error_names_id(attempt, video_id)
                if "expired or was deleted" in attempt.error:
                    return False  # the content is gone: checked against the server later
                continue
            return False
        return False

    def refresh_shots(self, job, phase, kills):
        """A shot an error said to run with cache-mode=refresh is run so on its own, as the same
        request by soravideosrc: a playlist shot may not set cache-mode (it would let a playlist
        pay again for what the cache holds)."""
        pending = sorted(job.refresh)
        job.refresh.clear()
        for prompt in pending:
            attempt = Attempt(job, len(job.attempts), "element", phase)
            attempt.prompt = prompt
            attempt.command = self.command_for(attempt, prompt=prompt, refresh=True)
            self.run_attempt(job, attempt, kills)
            if attempt.outcome == "error":
                self.follow_error(job, attempt, prompt)

    def cached_clip(self, video_id):
        """The cache's clip of `video_id`: KEY.mp4 beside the record that names it."""
        for name in os.listdir(self.cache):
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(self.cache, name)) as f:
                    record = json.load(f)
            except (OSError, ValueError):
                continue
            if record.get("video_id") == video_id and record.get("variant", "video") == "video":
                return os.path.join(self.cache, name[:-len(".json")] + ".mp4")
        return os.path.join(self.cache, f"(no record names {video_id})")

    def run_playlist(self, job, phase, kills):
        while len(job.attempts) < self.profile.max_attempts * (2 if phase != "soak" else 1):
            self.refresh_shots(job, phase, kills)
            attempt = Attempt(job, len(job.attempts), "playlist", phase)
            attempt.command = self.command_for(attempt)
            self.run_attempt(job, attempt, kills)
            if attempt.killed and attempt.outcome in ("killed", "interrupted"):
                kills[0] += 1
                continue
            if attempt.outcome == "eos":
                for k, prompt in enumerate(job.prompts):
                    vid = attempt.video_ids.get(k, "")
                    self.check_clip(attempt, self.cached_clip(vid), vid,
                                    f"soraplaylistsrc shot {k}")
                attempt.plain = True
                return True
            if attempt.outcome == "error":
                f = fields(attempt.error_details)
                index = int(f.get("index", "-1")) if f.get("index", "").isdigit() else -1
                known = attempt.video_ids.get(index) or f.get("video-id", "")
                attempt.video_id = f.get("video-id", "")
                if known:
                    self.check_error_names_id(attempt, known)
                if 0 <= index < len(job.prompts):
                    self.follow_error(job, attempt, job.prompts[index])
                continue
            return False
        return False

    def count_attempt(self, attempt):
        with self.lock:
            self.counts[f"runs ({attempt.kind})"] += 1
            if attempt.killed:
                self.counts[f"kills ({attempt.killed})"] += 1
            self.counts[f"outcome {attempt.outcome}"] += 1
            provider = attempt.job.provider
            if provider:
                self.provider_counts[provider.name][f"runs ({attempt.kind})"] += 1
                if attempt.killed:
                    self.provider_counts[provider.name][f"kills ({attempt.killed})"] += 1
                self.provider_counts[provider.name][f"outcome {attempt.outcome}"] += 1

    def run_job(self, job, phase="soak"):
        kills = [0]
        try:
            if job.kind == "playlist":
                job.done = self.run_playlist(job, phase, kills)
            else:
                video_id = self.run_element(job, job.prompts[0], phase, kills)
                job.done = video_id is not None
                if job.done and job.kind == "download":
                    job.download_id = video_id
                    job.download_done = self.run_download(job, video_id, phase, kills)
        except Exception as e:  # a harness failure must not pass for a product one
            self.violation("harness", job, f"{type(e).__name__}: {e}")
        state = "done" if job.done else "unfinished"
        self.say(f"job {job.index:4d} {job.kind:9s} {state:10s} runs {len(job.attempts):2d} "
                 f"kills {kills[0]}")

    # --- the plan -----------------------------------------------------------------------------

    def plan(self):
        rng = random.Random(self.args.seed)
        jobs, element_prompts = [], []
        for i in range(self.args.jobs):
            draw = rng.random()
            job_rng = random.Random(f"{self.args.seed}/job/{i}")
            prompt = f"chaos {self.args.seed} job {i} a red ball"
            if draw < 0.10:
                shots = [prompt + " shot 0"]
                if element_prompts and rng.random() < 0.5:
                    shots.append(rng.choice(element_prompts))  # a request a farm ran already
                else:
                    shots.append(prompt + " shot 1")
                jobs.append(Job(i, "playlist", shots, job_rng, self.work))
            elif draw < 0.18 and jobs and jobs[-1].kind in ("element", "download"):
                # The same request as the job before, on another worker at the same time.
                jobs.append(Job(i, "duplicate", [jobs[-1].prompts[0]], job_rng, self.work))
            elif draw < 0.35:
                jobs.append(Job(i, "download", [prompt], job_rng, self.work))
                element_prompts.append(prompt)
            else:
                jobs.append(Job(i, "element", [prompt], job_rng, self.work))
                element_prompts.append(prompt)
        return self.plan_providers(jobs)

    def plan_providers(self, jobs):
        """Jobs against each native provider's emulator, numbered after the others (so the draws
        of those stay what they were) and placed among them at random: per provider, the first a
        plain run, then runs followed by `sora-tasks download`, and the same request twice at
        the same time."""
        rng = random.Random(f"{self.args.seed}/providers")
        count = self.args.provider_jobs
        if count is None:
            count = 1 if self.args.short else max(2, self.args.jobs // 20)
        index = self.args.jobs
        for provider in PROVIDERS:
            previous = None
            for k in range(count):
                prompt = f"chaos {self.args.seed} job {index} a red ball on {provider.name}"
                job_rng = random.Random(f"{self.args.seed}/job/{index}")
                draw = rng.random() if k else 1.0
                if draw < 0.25 and previous:
                    job = Job(index, "duplicate", list(previous.prompts), job_rng, self.work,
                              provider)
                elif draw < 0.5:
                    job = Job(index, "download", [prompt], job_rng, self.work, provider)
                else:
                    job = Job(index, "element", [prompt], job_rng, self.work, provider)
                # A duplicate goes right after the job it repeats: the workers take them together.
                at = (jobs.index(previous) + 1 if job.kind == "duplicate" else
                      rng.randint(0, len(jobs)))
                jobs.insert(at, job)
                previous = job if job.kind != "duplicate" else None
                index += 1
        return jobs

    # --- after the faults -----------------------------------------------------------------------

    def final_phase(self, jobs):
        self.say("--- the faults stop ---")
        for emulator in self.emulators.values():
            emulator.configure({"chaos": None})
        self.proxy.faults(False)
        self.ambiguous_wait()
        unfinished = [j for j in jobs if not j.done or (j.kind == "download" and
                                                          not j.download_done)]
        self.counts["jobs unfinished under the faults"] = len(unfinished)
        with concurrent.futures.ThreadPoolExecutor(self.args.workers) as pool:
            list(pool.map(lambda j: self.finish_job(j), unfinished))
        self.resume_errors(jobs)
        self.check_cache_hits(jobs)

    def finish_job(self, job):
        if job.kind == "download" and job.done:
            if not self.run_download(job, job.download_id, "final", [0]):
                if not self.content_gone(job.download_id):
                    self.violation(2, job, f"sora-tasks download {job.download_id} failed once "
                                   "the faults stopped")
            return
        self.run_job(job, "final")
        if not job.done:
            self.violation(2, job, "the request did not complete once the faults stopped")

    def server_tasks(self):
        return {t["id"]: t for t in self.all_tasks()}

    def all_tasks(self):
        return [t for e in self.emulators.values() for t in e.control("GET", "tasks")]

    def all_requests(self):
        """Every emulator's request log, each record naming its emulator."""
        found = []
        for name, emulator in self.emulators.items():
            for r in emulator.control("GET", "requests"):
                r["emulator"] = name
                found.append(r)
        return found

    def content_gone(self, video_id):
        task = self.server_tasks().get(task_id(video_id))
        return task is None or task["status"] == "failed" or task["content_expired"]

    def resume_errors(self, jobs):
        """Every run that ended with an error named its video id: resuming it must work now."""
        to_resume = {}
        for job in jobs:
            for a in job.attempts:
                if a.outcome == "error" and a.video_id:
                    to_resume.setdefault(a.video_id, (job, a))
        tasks = self.server_tasks()

        def resume(item):
            video_id, (job, failed) = item
            attempt = Attempt(job, len(job.attempts), "download" if failed.kind == "download"
                              else "attach", "resume")
            job.attempts.append(attempt)
            attempt.command = self.command_for(attempt, video_id=video_id)
            self.execute(attempt)
            task = tasks.get(task_id(video_id), {})
            dead = task.get("status") == "failed" or task.get("content_expired")
            if attempt.outcome == "eos":
                self.check_clip(attempt, os.path.join(attempt.dir, "clip.mp4"), video_id,
                                "resuming " + video_id)
                with self.lock:
                    self.counts["error runs resumed"] += 1
            elif dead and attempt.outcome == "error":
                why = "failed" if task.get("status") == "failed" else "expired"
                said = ("failed" in attempt.error if why == "failed" else
                        "expired" in attempt.error)
                if not said:
                    self.violation(2, job, f"resuming {video_id}, which the server {why}, gave "
                                   f"an error that does not say so: {attempt.error!r}", attempt)
                with self.lock:
                    self.counts[f"error runs not resumable (task {why}, and the error said so)"] += 1
            else:
                self.violation(2, job, f"resuming {video_id} once the faults stopped: "
                               f"{attempt.outcome} {attempt.error!r}", attempt)

        with concurrent.futures.ThreadPoolExecutor(self.args.workers) as pool:
            list(pool.map(resume, sorted(to_resume.items())))

    def check_cache_hits(self, jobs):
        """Every request a plain run finished is in the cache: running it again sends nothing."""
        prompts = set()
        for job in jobs:
            for a in job.attempts:
                if a.outcome == "eos" and getattr(a, "plain", False):
                    prompts.update(job.prompts if a.kind == "playlist" else [a.prompt])
        for job in jobs:
            for prompt in job.attach_id:
                prompts.discard(prompt)  # finished by attaching: the request itself never was
        seen_before = {r["emulator"] + "/" + str(r["seq"]) for r in self.all_requests()}
        def hit(prompt):
            check = Job(-1, "cache-check", [], random.Random(0), self.work,
                        self.provider_of_prompt(prompt))
            attempt = Attempt(check, 0, "element", "cache-check")
            attempt.dir = os.path.join(check.dir, hashlib.sha1(prompt.encode()).hexdigest()[:12])
            attempt.traced = hashlib.sha256(prompt.encode()).digest()[0] % 2 == 0
            attempt.command = self.command_for(attempt, prompt)
            self.execute(attempt)
            messages = (attempt.result or {}).get("messages", [])
            if attempt.outcome != "eos" or not any("event=(string)hit" in m for m in messages):
                self.violation(5, None, f"running {prompt!r} again was not a cache hit: "
                               f"{attempt.outcome} {attempt.error!r}", attempt)
            else:
                with self.lock:
                    self.counts["finished requests run again: cache hits"] += 1

        with concurrent.futures.ThreadPoolExecutor(self.args.workers) as pool:
            list(pool.map(hit, sorted(prompts)))
        after = [r for r in self.all_requests()
                 if r["emulator"] + "/" + str(r["seq"]) not in seen_before]
        if after:
            self.violation(5, None, f"running the finished requests again sent {len(after)} "
                           f"requests to the server ({after[0]['method']} {after[0]['path']})")

    # --- the invariants read from the server and the cache ----------------------------------

    def check_creates(self, jobs):
        requests = self.all_requests()
        tasks = self.server_tasks()
        creates = collections.defaultdict(list)  # prompt -> create records
        prompt_of = {p.name: p.prompt_of for p in PROVIDERS}
        for r in requests:
            if r["route"] == "create" and r["method"] == "POST":
                prompt = ""
                if r["emulator"] in prompt_of:
                    prompt = prompt_of[r["emulator"]](r.get("json"))
                for f in r.get("fields") or []:
                    if f["name"] == "prompt":
                        prompt = f["value"]
                if not prompt and isinstance(r.get("json"), dict):
                    prompt = r["json"].get("prompt", "")
                creates[prompt].append(r)
        by_prompt = collections.defaultdict(list)
        for t in sorted(tasks.values(), key=lambda t: t["sequence"]):
            by_prompt[t["prompt"]].append(t)
        all_prompts = sorted({p for j in jobs for p in j.prompts})
        self.posts_per_request = collections.Counter(len(creates[p]) for p in all_prompts)
        for job in jobs:
            if job.provider and job.kind != "duplicate":
                counts = self.provider_counts[job.provider.name]
                counts[f"requests with {len(creates[job.prompts[0]])} creates"] += 1
                counts[f"requests with {len(by_prompt[job.prompts[0]])} tasks"] += 1
        self.tasks_per_request = collections.Counter(len(by_prompt[p]) for p in all_prompts)
        remade = 0
        for prompt in all_prompts:
            made = by_prompt[prompt]
            for earlier in made[:-1]:
                dead = earlier["status"] == "failed" or earlier["content_expired"]
                if not dead:
                    job = next(j for j in jobs if prompt in j.prompts)
                    self.violation(1, job, f"{prompt!r} was created {len(made)} times: "
                                   f"{earlier['id']} ({earlier['status']}) was not failed or "
                                   f"expired when {made[-1]['id']} was made")
                    break
            remade += max(0, len(made) - 1)
        self.counts["requests made anew after their task failed or expired"] = remade
        self.live_tasks_per_request = collections.Counter(
            sum(1 for t in by_prompt[p] if t["status"] != "failed" and not t["content_expired"])
            for p in all_prompts)
        # Within one run, no create followed one that created a task. Only runs no other run of
        # the same request overlapped can be told apart on the server's side.
        windows = collections.defaultdict(list)  # every run that may create for the prompt
        for job in jobs:
            for a in job.attempts:
                if a.started and a.kind in ("element", "playlist"):
                    for prompt in (job.prompts if a.kind == "playlist" else [a.prompt]):
                        windows[prompt].append(a)
        for prompt, attempts in windows.items():
            for a in attempts:
                alone = all(b is a or b.ended < a.started or b.started > a.ended
                            for b in attempts)
                if a.kind != "element" or not alone:
                    continue
                start_us, end_us = a.started * 1e6, a.ended * 1e6
                inside = [r for r in creates[prompt] if start_us <= r["time_us"] <= end_us]
                created = [i for i, r in enumerate(inside) if r["video_id"]]
                if created and created[0] < len(inside) - 1:
                    self.violation(1, a.job, f"a create request followed {inside[created[0]]['video_id']}"
                                   f" within the same run", a)
                with self.lock:
                    self.counts["runs checked for a second create"] += 1

    def check_cache_dir(self):
        names = sorted(os.listdir(self.cache)) if os.path.isdir(self.cache) else []
        allowed = re.compile(r"^[0-9a-f]{64}\.(json|mp4|webp|jpg|lock)$")
        # the spend ledger (core/spend_ledger.h): one file per UTC day and its lock
        ledger = re.compile(r"^ledger-[0-9]{4}-[0-9]{2}-[0-9]{2}\.jsonl$|^ledger\.lock$")
        temporary = re.compile(r"^[0-9a-f]{64}\.(mp4|webp|jpg)\.[0-9]+-[0-9a-f]{8}\.part$|"
                               r"^[0-9a-f]{64}\.json\.[A-Za-z0-9]{6}$")
        records = 0
        if names and stat.S_IMODE(os.stat(self.cache).st_mode) != 0o700:
            self.violation(5, None, f"the cache directory is mode "
                           f"{stat.S_IMODE(os.stat(self.cache).st_mode):04o}, not 0700")
        if "schemas" in names:
            names.remove("schemas")
            self.check_schema_cache(os.path.join(self.cache, "schemas"))
        for name in names:
            path = os.path.join(self.cache, name)
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if mode & 0o077:
                self.violation(5, None, f"the cache file {name} is mode {mode:04o}: others may "
                               "read or write it")
            with open(path, "rb") as f:
                if self.key.encode() in f.read():
                    self.violation(4, None, f"the API key is in the cache file {name}")
            if temporary.match(name):
                self.counts["temporary files left in the cache"] += 1
                continue
            if ledger.match(name):
                continue
            if not allowed.match(name):
                self.violation(5, None, f"the cache holds {name}, which is no record, clip, lock "
                               "or temporary name")
                continue
            if name.endswith(".json"):
                records += 1
                try:
                    with open(path) as f:
                        record = json.load(f)
                    assert record["state"] in ("creating", "created", "completed")
                    assert record["video_id"] or record["state"] == "creating"
                except (ValueError, KeyError, AssertionError) as e:
                    self.violation(5, None, f"the cache record {name} does not parse: {e}")
                    continue
                if record["state"] == "creating":
                    self.counts["records of an ambiguous create, left for the user"] += 1
                if record["state"] == "completed":
                    clip = os.path.join(self.cache, name[:-5] + ".mp4")
                    rendered = self.rendered_file(record["video_id"])
                    if not os.path.exists(clip) or not rendered or sha256(clip) != sha256(rendered):
                        self.violation(5, None, f"the cached clip of {record['video_id']} "
                                       f"({name[:-5]}.mp4) is not the server's")
                    else:
                        self.counts["cached clips verified"] += 1
        self.counts["cache records"] = records

    def check_schema_cache(self, directory):
        """The models' schemas the provider jobs kept: private, no key, each one JSON."""
        mode = stat.S_IMODE(os.stat(directory).st_mode)
        if mode & 0o077:
            self.violation(5, None, f"the schema cache directory is mode {mode:04o}")
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if mode & 0o077:
                self.violation(5, None, f"the schema cache file {name} is mode {mode:04o}: "
                               "others may read or write it")
            with open(path, "rb") as f:
                data = f.read()
            if self.key.encode() in data:
                self.violation(4, None, f"the API key is in the schema cache file {name}")
            if re.match(r"^[0-9a-f]{64}\.json$", name):
                try:
                    json.loads(data)
                    self.counts["schemas cached"] += 1
                except ValueError as e:
                    self.violation(5, None, f"the schema cache file {name} does not parse: {e}")
            elif not name.startswith(".") and ".json." not in name:
                self.violation(5, None, f"the schema cache holds {name}, which is no schema")

    # --- the whole soak -------------------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        p = self.profile
        chaos = {"seed": self.args.seed, "rate": p.chaos_rate,
                 "hang_max_ms": p.hang_max_ms, "retry_after_max_s": p.retry_after_max_s,
                 "task_failure_rate": p.task_failure_rate,
                 "task_expiry_rate": p.task_expiry_rate, "expiry_s": p.expiry_s}
        self.emulator = Emulator(self.tools["emulator"], p, self.work)
        self.emulators = {"openai": self.emulator}
        self.emulator.configure({"dialect": {"models": "any"}, "chaos": chaos})
        # One emulator per native provider, in its preset, with the same chaos (its routes'
        # faults; fal's status stream is left alone, the element's fall-back to polling has
        # tests of its own). The clip is small whatever the model's size, to keep renders quick.
        for provider in PROVIDERS:
            emulator = Emulator(self.tools["emulator"], p, self.work, provider.name)
            self.emulators[provider.name] = emulator
            emulator.configure({"chaos": chaos, "clip": {"size": "160x96"}})
        self.jobs = []
        target = self.emulator.root.split("//", 1)[1]
        self.proxy = Proxy(target, self.args.seed, p, self.work)
        self.base_url = self.proxy.url + "/v1"
        self.say(f"chaos soak: seed {self.args.seed}, {self.args.jobs} jobs, "
                 f"{self.args.workers} workers, work directory {self.work}")
        try:
            jobs = self.plan()
            if self.args.only is not None:
                jobs = [j for j in jobs if j.index in self.args.only]
            self.jobs = jobs
            with concurrent.futures.ThreadPoolExecutor(self.args.workers) as pool:
                list(pool.map(self.run_job, jobs))
            soak_s = time.monotonic() - started
            chaos = {name: e.control("GET", "config")["chaos"]
                     for name, e in self.emulators.items()}
            self.final_phase(jobs)
            self.check_creates(jobs)
            self.check_cache_dir()
            for name in ("requests", "tasks"):
                for dialect, emulator in self.emulators.items():
                    suffix = "" if dialect == "openai" else "-" + dialect
                    with open(os.path.join(self.work, name + suffix + ".json"), "w") as f:
                        json.dump(emulator.control("GET", name), f)
        finally:
            self.proxy.stop()
            for emulator in self.emulators.values():
                emulator.stop()
        self.report(jobs, chaos, soak_s, time.monotonic() - started)
        if not self.violations and not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        return 1 if self.violations else 0

    def report(self, jobs, chaos, soak_s, total_s):
        requests_log = None  # the emulator is gone: the figures were kept
        del requests_log
        longest = max(self.set_null_ms[False], default=(0, ""))
        longest_traced = max(self.set_null_ms[True], default=(0, ""))
        longest_run = max(((a.ended - a.started, a.dir) for j in jobs for a in j.attempts
                           if a.started), default=(0, ""))
        figures = {
            "seed": self.args.seed,
            "jobs": len(jobs),
            "jobs by kind": dict(collections.Counter(j.kind for j in jobs if not j.provider)),
            "provider jobs by kind": dict(collections.Counter(
                f"{j.provider.name} {j.kind}" for j in jobs if j.provider)),
            "workers": self.args.workers,
            "seconds under faults": round(soak_s, 1),
            "seconds in all": round(total_s, 1),
            "faults drawn by the emulator": chaos["openai"]["drawn"],
            "requests that drew at the emulator": chaos["openai"]["requests"],
            "faults drawn by the providers' emulators": {
                name: c["drawn"] for name, c in chaos.items() if name != "openai"},
            "requests that drew at the providers' emulators": {
                name: c["requests"] for name, c in chaos.items() if name != "openai"},
            "faults drawn by the proxy": dict(self.proxy.drawn()),
            "create requests per distinct request": dict(sorted(self.posts_per_request.items())),
            "tasks created per distinct request": dict(sorted(self.tasks_per_request.items())),
            "live tasks per distinct request (max 1)": dict(
                sorted(self.live_tasks_per_request.items())),
            "longest set_state(NULL) ms": round(longest[0], 1),
            "longest set_state(NULL) run": longest[1],
            "longest set_state(NULL) ms at *:9": round(longest_traced[0], 1),
            "longest set_state(NULL) run at *:9": longest_traced[1],
            "set_state(NULL) measured (runs at *:2, at *:9)": [len(self.set_null_ms[False]),
                                                               len(self.set_null_ms[True])],
            "longest run s": round(longest_run[0], 1),
            "run bound s": self.profile.generation_timeout_s + self.profile.bound_s,
            "counts": dict(sorted(self.counts.items())),
            "counts by provider": {name: dict(sorted(c.items()))
                                   for name, c in sorted(self.provider_counts.items())},
            "violations": self.violations,
        }
        os.makedirs(self.work, exist_ok=True)
        with open(os.path.join(self.work, "report.json"), "w") as f:
            json.dump(figures, f, indent=2)
        lines = [f"# Chaos soak, seed {self.args.seed}", ""]
        for name, value in figures.items():
            if name != "violations":
                lines.append(f"- {name}: {json.dumps(value) if isinstance(value, dict) else value}")
        lines.append(f"- violations: {len(self.violations)}")
        for v in self.violations:
            lines.append(f"  - [{v['invariant']}] {v['where']}: {v['text']} (replay: {v['replay']})")
        text = "\n".join(lines) + "\n"
        with open(os.path.join(self.work, "report.md"), "w") as f:
            f.write(text)
        print(text, flush=True)
        if self.violations:
            print(f"FAILED: {len(self.violations)} violations; work directory {self.work}",
                  flush=True)
        else:
            print(f"PASSED: every invariant held ({len(jobs)} jobs, seed {self.args.seed})",
                  flush=True)


def main():
    parser = argparse.ArgumentParser(description="The chaos soak (see the module's text).")
    parser.add_argument("seed", type=int)
    parser.add_argument("jobs", type=int)
    parser.add_argument("--workers", type=int,
                        help="runs at a time (3; 4 with --short, whose runs mostly wait)")
    parser.add_argument("--short", action="store_true", help="the suite's timings")
    parser.add_argument("--provider-jobs", type=int,
                        help="jobs per native provider (1 with --short, else N/20, at least 2)")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--keep", help="work in this directory and keep it")
    parser.add_argument("--keep-logs", action="store_true", help="keep every run's debug log")
    parser.add_argument("--only", type=lambda s: [int(x) for x in s.split(",")],
                        help="run only these jobs of the plan (to replay a failure)")
    args = parser.parse_args()
    if args.workers is None:
        args.workers = 4 if args.short else 3
    return Soak(args).run()


if __name__ == "__main__":
    sys.exit(main())
