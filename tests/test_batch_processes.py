"""Batches across real processes on one SQLite file: a killed worker, concurrent submitters and workers,
a faulty server, and a rate limit two workers share.

Every command runs as `python -m charforge` in a subprocess, on the database in CHARFORGE_HOME (the autouse
fixture's, or a module fixture's own). The assertions are on the rows and on the fake server's request log
(tests/fake_ratelimited.py), never on how long something took.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from fake_ratelimited import RateLimitedLLM

LOCKED = "database is locked"
OPENAI_COMPATIBLE = ("--provider", "openai-compatible", "--model", "m")


# -- helpers -----------------------------------------------------------------------------------------------------

def charforge(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m charforge ARGS` to the end (in the test's CHARFORGE_HOME unless `env` says otherwise)."""
    return subprocess.run([sys.executable, "-m", "charforge", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def start(*args: str, stderr: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `python -m charforge ARGS` in the background, its stderr to a file (a pipe nobody reads could fill)."""
    with stderr.open("w") as err:
        return subprocess.Popen([sys.executable, "-m", "charforge", *args], stdout=subprocess.DEVNULL, stderr=err,
                                env=env, stdin=subprocess.DEVNULL)


def finish(process: subprocess.Popen, stderr: Path, timeout: float = 60) -> str:
    """Wait for a started process; returns its stderr. Kills it (and fails) if it does not end in time."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"{process.args} did not finish in {timeout}s:\n{stderr.read_text()[-2000:]}")
    return stderr.read_text()


def database(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "data" / "charforge.db", timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def counts(conn: sqlite3.Connection, batch: str | None = None) -> Counter:
    rows = conn.execute("SELECT state, count(*) FROM jobs WHERE ? IS NULL OR batch_id = ? GROUP BY state",
                        (batch, batch))
    return Counter(dict(rows.fetchall()))


def jobs(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute("SELECT id, batch_id, state, attempts, errors, last_error, result FROM jobs ORDER BY id")
    return [{**dict(row), "errors": json.loads(row["errors"]),
             "result": json.loads(row["result"]) if row["result"] else None} for row in rows]


def env_for(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for a module-scoped run (the autouse fixture only covers test functions)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARFORGE_") and not k.endswith("_API_KEY")
           and not k.endswith("_BASE_URL")}
    return {**env, "CHARFORGE_HOME": str(home), **extra}


def chat_log(fake: RateLimitedLLM) -> list[dict]:
    return [e for e in fake.log() if e["path"] == "/v1/chat/completions"]


def bucket_excess(times: list[float], capacity: float, refill: float) -> float:
    """How far the requests at `times` went beyond a token bucket: max over i <= j of the requests sent in
    [t_i, t_j] minus what the bucket allows there (capacity + refill * (t_j - t_i)). <= 0: never beyond it."""
    times = sorted(times)
    return max(((j - i + 1) - (capacity + refill * (times[j] - times[i]))
                for i in range(len(times)) for j in range(i, len(times))), default=0.0)


def kill_mid_run(process: subprocess.Popen, conn: sqlite3.Connection, batch: str, *, at_least: int = 20) -> None:
    """SIGKILL `process` once `at_least` jobs succeeded while others are still queued and some are running."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        now = counts(conn, batch)
        if now["succeeded"] >= at_least and now["queued"] and now["running"]:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.003)
    process.kill()
    pytest.fail(f"never saw >= {at_least} succeeded with jobs queued and running; last counts {dict(now)}")


# A worker with a 2 s lease (`charforge worker --lease 2`) is the one killed: the default 60 s is too long to wait
# out. `batch submit --wait` has no --lease, so the export test queues its batch as that command does (through
# `batches.submit`, with the folder in the batch's options) and kills a `worker --lease 2` instead.
SHORT_LEASE = "2"
# What `batch submit --wait --export DIR --provider offline --count 400 --seed 7` queues, without its worker.
SUBMIT_WITH_EXPORT = """
import sys
from pathlib import Path
from charforge.service import batch_files, batches
from charforge.service.jobs import BatchOptions
batch_files.prepare("json", Path(sys.argv[1]))  # as the command does: the folder made before anything is queued
flags = dict.fromkeys(("ancestry", "class_name", "level", "alignment", "background", "concept", "setting", "length"))
options = BatchOptions(settings={"provider": "offline"}, export_dir=sys.argv[1])
print(batches.submit(None, spec_flags=flags, options=options, count=400, seed=7).batch_id)
"""


def wait_for_leases_to_expire(conn: sqlite3.Connection) -> None:
    """Until every running job's lease is past: a worker started now reaps them all at once."""
    from charforge.store.db import utcnow_iso

    deadline = time.monotonic() + 30
    while conn.execute("SELECT count(*) FROM jobs WHERE state = 'running' AND lease_expires_at >= ?",
                       (utcnow_iso(),)).fetchone()[0]:
        assert time.monotonic() < deadline, "leases never expired"
        time.sleep(0.05)


# -- a. a killed worker --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_killed_worker_loses_nothing_and_duplicates_nothing(charforge_home, tmp_path):
    submitted = charforge("-q", "batch", "submit", "--count", "400", "--provider", "offline", "--seed", "7")
    assert submitted.returncode == 0, submitted.stderr
    batch = submitted.stdout.strip()
    conn = database(charforge_home)
    worker = start("worker", "--concurrency", "2", "--lease", SHORT_LEASE, stderr=tmp_path / "worker.err")
    kill_mid_run(worker, conn, batch)
    in_flight = {row["id"] for row in conn.execute("SELECT id FROM jobs WHERE state = 'running'")}
    assert in_flight, "the kill caught no job in flight"
    left = counts(conn, batch)["queued"] + len(in_flight)

    wait_for_leases_to_expire(conn)
    drained = charforge("worker", "--drain")  # reaps the killed worker's jobs, then runs them and the rest
    assert drained.returncode == 0, drained.stderr
    assert f"worker: {left} succeeded," in drained.stderr  # each job left over ran once here
    rows = jobs(conn)
    assert len(rows) == 400 and {row["state"] for row in rows} == {"succeeded"}
    assert {row["id"] for row in rows if row["attempts"] == 2} == in_flight  # killed once, then finished
    assert {row["attempts"] for row in rows if row["id"] not in in_flight} == {1}
    assert all([e["kind"] for e in row["errors"]] == ["lease_expired"] for row in rows if row["id"] in in_flight)

    out = tmp_path / "export"
    exported = charforge("jobs", "export", "--batch", batch, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    index = json.loads((out / "index.json").read_text())["characters"]
    assert sorted(entry["job"] for entry in index) == sorted(row["id"] for row in rows)  # each job once
    names = [entry["name"] for entry in index]
    assert len(set(names)) == 400, Counter(names).most_common(3)
    assert sorted(p.name for p in out.iterdir() if p.name != "index.json") == sorted(e["file"] for e in index)


@pytest.mark.slow
def test_a_killed_export_run_leaves_each_character_once_in_the_folder(charforge_home, tmp_path):
    out = tmp_path / "live"
    submitted = subprocess.run([sys.executable, "-c", SUBMIT_WITH_EXPORT, str(out)], capture_output=True, text=True)
    assert submitted.returncode == 0, submitted.stderr
    batch = submitted.stdout.strip()
    conn = database(charforge_home)
    worker = start("worker", "--concurrency", "2", "--lease", SHORT_LEASE, stderr=tmp_path / "worker.err")
    kill_mid_run(worker, conn, batch)
    in_flight = {row["id"][-8:].lower() for row in conn.execute("SELECT id FROM jobs WHERE state = 'running'")}
    if not any(p.stem.rsplit("-", 1)[1] in in_flight for p in out.glob("*.json")):
        pytest.skip("the kill came before any in-flight job wrote its file: nothing to check this time")

    wait_for_leases_to_expire(conn)
    drained = charforge("worker", "--drain")  # the batch's options name the folder: this worker writes there too
    assert drained.returncode == 0, drained.stderr
    assert counts(conn, batch) == Counter(succeeded=400)
    files = [p.name for p in out.iterdir() if p.name != "index.json" and not p.name.startswith(".")]
    per_job = Counter(name.rsplit("-", 1)[1] for name in files)  # `<name-slug>-<last 8 of the job id>.json`
    twice = [job for job, n in per_job.items() if n > 1]
    assert len(files) == 400, f"{len(files)} files for 400 jobs; {len(twice)} jobs twice, e.g. {twice[:3]}"


@pytest.mark.slow
def test_a_worker_that_cannot_build_the_provider_does_not_hang(charforge_home, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-only-the-submitter-has-it-123456")
    submitted = charforge("-q", "batch", "submit", "--count", "6", "--provider", "openai", "--model", "gpt-5.4-mini")
    assert submitted.returncode == 0, submitted.stderr
    monkeypatch.delenv("OPENAI_API_KEY")
    worker = start("worker", "--drain", "--concurrency", "2", stderr=tmp_path / "worker.err")
    try:
        worker.wait(timeout=10)  # it needs a second or two; a hang is forever
    except subprocess.TimeoutExpired:
        worker.send_signal(signal.SIGINT)  # the graceful stop: it hands back what it holds
        finish(worker, tmp_path / "worker.err", timeout=40)
        pytest.fail(f"worker --drain still running after 10 s with {dict(counts(database(charforge_home)))}")
    assert counts(database(charforge_home))["running"] == 0  # ended dead, or left queued by a worker that said why


# -- b. many processes at once -------------------------------------------------------------------------------------

LAUNCH = """
import os, sys, time
from charforge.cli import main
ready, barrier, *args = sys.argv[1:]
open(ready, "w").close()
while not os.path.exists(barrier):
    time.sleep(0.001)
sys.argv = ["charforge", *args]
main()
"""


@pytest.mark.slow
def test_b_eight_submitters_and_two_workers_at_once(charforge_home, tmp_path):
    setting = tmp_path / "town.yaml"  # one setting: its names are one registry, shared by every batch and process
    setting.write_text("name: Saltmarsh Crossing\n")
    barrier = tmp_path / "go"
    submitters = []
    for i in range(8):
        with (tmp_path / f"submit{i}.err").open("w") as err:
            submitters.append(subprocess.Popen(
                [sys.executable, "-c", LAUNCH, str(tmp_path / f"ready{i}"), str(barrier), "-q", "batch", "submit",
                 "--count", "25", "--provider", "offline", "--setting", str(setting), "--key", f"k{i}"],
                stdout=subprocess.PIPE, stderr=err, text=True, stdin=subprocess.DEVNULL))
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"ready{i}").exists() for i in range(8)) and time.monotonic() < deadline:
        time.sleep(0.01)
    barrier.touch()  # all eight have imported charforge; none has opened the (not yet existing) database
    batches = []
    for i, process in enumerate(submitters):
        out, _ = process.communicate(timeout=60)
        err = (tmp_path / f"submit{i}.err").read_text()
        assert process.returncode == 0 and LOCKED not in err, err
        batches.append(out.strip())
    assert len(set(batches)) == 8

    again = charforge("-q", "batch", "submit", "--count", "25", "--provider", "offline", "--setting", str(setting),
                      "--key", "k3")
    assert again.returncode == 0 and again.stdout.strip() == batches[3]  # the same key adds nothing

    workers = [start("worker", "--drain", stderr=tmp_path / f"worker{i}.err") for i in range(2)]
    logs = [finish(w, tmp_path / f"worker{i}.err") for i, w in enumerate(workers)]
    for worker, err in zip(workers, logs, strict=True):
        assert worker.returncode == 0 and LOCKED not in err, err

    conn = database(charforge_home)
    rows = jobs(conn)
    assert len(rows) == 200 and counts(conn) == Counter(succeeded=200)
    assert Counter(row["batch_id"] for row in rows) == dict.fromkeys(batches, 25)
    assert [row["id"] for row in rows if row["attempts"] > 1 and not row["errors"]] == []
    names = Counter(row["result"]["name"] for row in rows)  # two processes drew from one setting's names
    assert len(names) == 200, [n for n, k in names.items() if k > 1]


# -- c. a faulty server --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_c_faults_end_succeeded_or_dead_and_dead_ones_come_back(charforge_home, tmp_path, monkeypatch):
    monkeypatch.setenv("CHARFORGE_RETRY_MAX_ATTEMPTS", "2")
    with RateLimitedLLM(latency=0.05, refill=0, fault_rate=0.2, seed=3, hang=3) as fake:  # faults only, no bucket
        first = charforge("-q", "batch", "submit", "--count", "30", "--wait", "--concurrency", "4", "--timeout", "2",
                          *OPENAI_COMPATIBLE, "--base-url", fake.openai_url, timeout=120)
        batch = first.stdout.strip()
        conn = database(charforge_home)
        after = counts(conn, batch)
        assert set(after) <= {"succeeded", "dead"} and sum(after.values()) == 30, (after, first.stderr[-2000:])
        assert first.returncode == (6 if after["dead"] else 0), first.stderr[-2000:]
        dead = [row for row in jobs(conn) if row["state"] == "dead"]
        assert all(row["errors"] and row["last_error"] for row in dead)
        faults = Counter(e["why"] for e in chat_log(fake))
        assert sum(n for why, n in faults.items() if why != "ok") > 0, faults

        request = urllib.request.Request(fake.url + "/control/faults", data=b'{"rate": 0}', method="POST")
        assert json.loads(urllib.request.urlopen(request, timeout=5).read())["rate"] == 0
        retried = charforge("jobs", "retry", "--state", "dead")
        assert retried.returncode == 0 and retried.stdout.strip() == str(len(dead)), retried.stderr
        drained = charforge("worker", "--drain", timeout=60)
        assert drained.returncode == 0, drained.stderr

    rows = jobs(conn)
    assert counts(conn, batch) == Counter(succeeded=30)
    names = [row["result"]["name"] for row in rows]
    assert len(set(names)) == 30
    for row in dead:  # the history of a job that died and came back is kept
        assert next(r for r in rows if r["id"] == row["id"])["errors"][: len(row["errors"])] == row["errors"]


def test_c_a_malformed_200_is_retried_not_a_dead_internal_error(charforge_home):
    """A 200 whose JSON body is cut off is the server's hiccup: retried, not recorded as charforge's bug."""
    with RateLimitedLLM(latency=0, refill=0) as fake:
        fake.script("malformed", "ok")
        run = charforge("-q", "batch", "submit", "--count", "1", "--wait", *OPENAI_COMPATIBLE,
                        "--base-url", fake.openai_url)
        assert [e["why"] for e in chat_log(fake)] == ["malformed", "ok"]  # tried again within the one call
    [job] = jobs(database(charforge_home))
    assert (run.returncode, job["state"], job["attempts"]) == (0, "succeeded", 1), (job["last_error"], run.stderr)


# -- d. two workers, one rate limit --------------------------------------------------------------------------------

CAPACITY, REFILL = 10, 5.0  # the fake's bucket: 10 requests, 5 more a second (it says 300 a minute)


@pytest.fixture(scope="module")
def shared_limit(tmp_path_factory):
    """40 jobs queued, then two `worker --drain --concurrency 4` processes against a 10-per-2-s server."""
    home = tmp_path_factory.mktemp("shared-limit")
    env = env_for(home / "home")
    with RateLimitedLLM(latency=0.2, capacity=CAPACITY, refill=REFILL) as fake:
        submitted = charforge("-q", "batch", "submit", "--count", "40", *OPENAI_COMPATIBLE, "--base-url",
                              fake.openai_url, env=env)
        assert submitted.returncode == 0, submitted.stderr
        workers = [start("worker", "--drain", "--concurrency", "4", stderr=home / f"worker{i}.err", env=env)
                   for i in range(2)]
        logs = [finish(w, home / f"worker{i}.err", timeout=90) for i, w in enumerate(workers)]
        log = chat_log(fake)
    conn = database(home / "home")
    return {"codes": [w.returncode for w in workers], "stderr": logs, "log": log, "jobs": jobs(conn),
            "limits": [dict(r) for r in conn.execute("SELECT * FROM rate_limits")]}


@pytest.mark.slow
def test_d_two_workers_share_the_work_and_learn_the_limit(shared_limit):
    assert shared_limit["codes"] == [0, 0], shared_limit["stderr"]
    assert not any(LOCKED in err for err in shared_limit["stderr"])
    rows = shared_limit["jobs"]
    assert len(rows) == 40 and {row["state"] for row in rows} == {"succeeded"}
    assert {row["attempts"] for row in rows} == {1}  # a 429 is retried in the call, or refunded
    answered = [e for e in shared_limit["log"] if e["status"] == 200]
    assert len(answered) == 40  # one request per character: none run twice, no repair round
    done = [int(re.search(r"worker: (\d+) succeeded", err).group(1)) for err in shared_limit["stderr"]]
    assert sum(done) == 40 and min(done) > 0, done  # "worker: N succeeded, ..." from each process
    assert [(r["provider"], r["model"], r["rpm"]) for r in shared_limit["limits"]] == [("openai-compatible", "m", 300)]


@pytest.mark.slow
def test_d_two_workers_stay_within_the_servers_bucket(shared_limit):
    """Under 5 % of the requests answered 429, and the requests themselves within the bucket (+2).

    Not "at most 10 + 2 in every 2 s window": a bucket of 10 refilled 5/s admits 20 in a 2 s window (10 at
    once, then 10 more), so a client that follows the bucket exactly fails that; here a window [t_i, t_j] may
    hold 10 + 5 * (t_j - t_i) requests, the bucket's own rule, counting those answered 429 too.
    """
    log = shared_limit["log"]
    throttled = sum(e["status"] == 429 for e in log)
    excess = bucket_excess([e["arrived"] for e in log], CAPACITY, REFILL)
    assert throttled / len(log) < 0.05 and excess <= 2, (
        f"{throttled} of {len(log)} requests answered 429; up to {excess:.1f} requests beyond the bucket; "
        f"first 20: {[(round(e['arrived'], 2), e['status']) for e in log[:20]]}")
