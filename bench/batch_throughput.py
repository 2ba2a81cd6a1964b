"""How close does a realtime batch get to a server's rate limit? Real CLI runs against tests/fake_ratelimited.py.

    python bench/batch_throughput.py                  # both runs; exit 1 if a target is missed
    python bench/batch_throughput.py --count 60 --latency 0.2 --capacity 10 --refill 5

The fake runs as its own process, restarted (a full bucket, an empty log) for each run: 200 ms per answer, a
token bucket of 10 refilled 5 a second (10 requests per 2 s; it says 300 a minute in x-ratelimit-limit-requests)
and 429 + retry-after beyond it. Each run has a fresh CHARFORGE_HOME:

    wait:     charforge -q batch submit --count 60 --concurrency 8 --wait --provider openai-compatible
                  --base-url URL --model m
    workers:  the same without --wait (timed apart), then two `charforge -q worker --drain --concurrency 4`
              started together; elapsed is from their start until both have exited

Every character costs one request (the fake's answers need no repair round). Elapsed is wall time, process
start-up included; span is the server's view (first request in to last answer out), start the time before the
first request arrived, tail the time after the last answer; the timeline lists every request's arrival (s after
the first, * = answered 429).

Ceiling: 60 requests at the sustained 5/s = 12 s. Burst-aware bound: the bucket's 10 at once,
the other 50 at 5/s = 10 s, plus one latency for the last answer (10.2 s): no client can do better. Targets:
elapsed <= 1.05 x ceiling, 60/60 succeeded, fewer than 5 % of the requests answered 429.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "fake_ratelimited.py"


class Fake:
    """tests/fake_ratelimited.py as a process; `log()` reads its request log."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(FAKE), "--port", "0", "--latency", str(args.latency), "--capacity",
             str(args.capacity), "--refill", str(args.refill)], stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            raise SystemExit(f"the fake server did not start: {line!r}")
        self.url = line.split()[-1]

    def log(self) -> list[dict]:
        with urllib.request.urlopen(self.url + "/control/log", timeout=10) as reply:
            return [e for e in json.loads(reply.read()) if e["path"] == "/v1/chat/completions"]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def environment(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARFORGE_") and not k.endswith("_API_KEY")}
    return {**env, "CHARFORGE_HOME": home}


def charforge(*args: str) -> list[str]:
    return [sys.executable, "-m", "charforge", "-q", *args]


def run(mode: str, args: argparse.Namespace) -> dict:
    fake = Fake(args)
    home = tempfile.mkdtemp(prefix=f"charforge-throughput-{mode}-")
    env = environment(home)
    provider = ["--provider", "openai-compatible", "--base-url", fake.url + "/v1", "--model", "m"]
    submit = charforge("batch", "submit", "--count", str(args.count), *provider)
    commands, extra = [], {}
    try:
        if mode == "wait":
            command = [*submit, "--concurrency", "8", "--wait"]
            commands.append(command)
            started = time.monotonic()
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
            ended = time.monotonic()
            elapsed = ended - started
            codes, errors = [done.returncode], [done.stderr]
        else:
            commands.append(submit)
            started = time.monotonic()
            queued = subprocess.run(submit, env=env, capture_output=True, text=True, timeout=120)
            extra["submit_s"] = round(time.monotonic() - started, 2)
            if queued.returncode:
                raise SystemExit(f"submit failed: {queued.stderr}")
            worker = charforge("worker", "--drain", "--concurrency", "4")
            commands += [worker, worker]
            started = time.monotonic()
            workers = [subprocess.Popen(worker, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
            errors = [w.communicate(timeout=600)[1] for w in workers]
            ended = time.monotonic()
            elapsed = ended - started
            codes = [w.returncode for w in workers]
        log = fake.log()
    finally:
        fake.close()
    conn = sqlite3.connect(Path(home) / "data" / "charforge.db")
    succeeded = conn.execute("SELECT count(*) FROM jobs WHERE state = 'succeeded'").fetchone()[0]
    conn.close()
    throttled = sum(e["status"] == 429 for e in log)
    span = max(e["answered"] or e["arrived"] for e in log) - min(e["arrived"] for e in log) if log else 0.0
    first = min(e["clock"] for e in log) - started if log else 0.0  # CLOCK_MONOTONIC is shared by processes
    last = ended - (max(e["clock"] - e["arrived"] + (e["answered"] or e["arrived"]) for e in log) if log else ended)
    return {"mode": mode, "elapsed_s": round(elapsed, 2), "succeeded": succeeded, "requests": len(log),
            "429s": throttled, "429_share": round(throttled / len(log), 4) if log else 0.0,
            "server_span_s": round(span, 2), "before_first_request_s": round(first, 2),
            "after_last_answer_s": round(last, 2), "exit_codes": codes, **extra,
            "commands": [" ".join(c).replace(sys.executable, "python") for c in commands],
            "stderr_tail": [e.strip().splitlines()[-1:] for e in errors if e.strip()],
            "timeline": " ".join(f"{e['arrived'] - log[0]['arrived']:.2f}{'*' if e['status'] == 429 else ''}"
                                 for e in log)}  # request arrivals, s after the first; * = answered 429


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--capacity", type=float, default=10)
    parser.add_argument("--refill", type=float, default=5.0)
    parser.add_argument("--only", choices=("wait", "workers"))
    args = parser.parse_args()
    ceiling = args.count / args.refill
    bound = max(0.0, args.count - args.capacity) / args.refill + args.latency
    print(f"ceiling: {args.count} requests at the sustained {args.refill:g}/s = {ceiling:g} s")
    print(f"burst-aware bound: {args.capacity:g} at once + {args.count - args.capacity:g}/{args.refill:g} = "
          f"{bound - args.latency:g} s, + {args.latency:g} s latency = {bound:g} s")
    print(f"targets: elapsed <= {1.05 * ceiling:.2f} s (1.05 x ceiling), {args.count}/{args.count} succeeded, "
          f"< 5 % of requests answered 429\n")
    missed = []
    rows = []
    for mode in [args.only] if args.only else ["wait", "workers"]:
        result = run(mode, args)
        print(json.dumps(result, indent=2))
        rows.append(result)
        if result["elapsed_s"] > 1.05 * ceiling:
            missed.append(f"{mode}: {result['elapsed_s']} s > {1.05 * ceiling:.2f} s")
        if result["succeeded"] != args.count:
            missed.append(f"{mode}: {result['succeeded']}/{args.count} succeeded")
        if result["429_share"] >= 0.05:
            missed.append(f"{mode}: {result['429_share']:.1%} of requests answered 429")
    print(f"\n{'run':8} {'elapsed':>8} {'/ceiling':>8} {'/bound':>7} {'ok':>6} {'requests':>8} {'429s':>5} "
          f"{'429 %':>6} {'span':>6} {'start':>6} {'tail':>6}")
    for r in rows:
        print(f"{r['mode']:8} {r['elapsed_s']:>7.2f}s {r['elapsed_s'] / ceiling:>8.2f} {r['elapsed_s'] / bound:>7.2f} "
              f"{r['succeeded']:>3}/{args.count:<2} {r['requests']:>8} {r['429s']:>5} {r['429_share']:>6.1%} "
              f"{r['server_span_s']:>5.2f}s {r['before_first_request_s']:>5.2f}s {r['after_last_answer_s']:>5.2f}s")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    for miss in missed:
        print(f"MISSED {miss}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
