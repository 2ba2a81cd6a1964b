"""The SQLite job queue: schema, idempotency, claiming, leases and fencing, retries, and several processes at once."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta

import pytest

from charforge.errors import UsageError
from charforge.store import db
from charforge.store.queue import (
    BACKOFF_CAP_S,
    DEPENDENCY,
    LEASE_EXPIRED,
    JobQueue,
    JobState,
    NewJob,
    backoff_s,
)

# What m003_jobs gives a blank database; tests/test_store.py pins the tables of earlier migrations.
QUEUE_SCHEMA = {
    "batches": textwrap.dedent("""\
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            key TEXT UNIQUE,
            created_at TEXT NOT NULL,
            spec TEXT NOT NULL DEFAULT '{}',
            options TEXT NOT NULL DEFAULT '{}',
            total INTEGER NOT NULL DEFAULT 0
        )"""),
    "jobs": textwrap.dedent("""\
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            batch_id TEXT REFERENCES batches (id),
            kind TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled', 'submitted')),
            payload TEXT NOT NULL,
            idempotency_key TEXT UNIQUE,
            priority INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL DEFAULT 5,
            run_at TEXT NOT NULL,
            lease_owner TEXT,
            lease_expires_at TEXT,
            heartbeat_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            last_error TEXT,
            errors TEXT NOT NULL DEFAULT '[]',
            result TEXT,
            usage TEXT,
            provider_batch_id TEXT,
            depends_on TEXT REFERENCES jobs (id) ON DELETE SET NULL
        )"""),
    "idx_jobs_due": "CREATE INDEX idx_jobs_due ON jobs (priority, run_at, id) WHERE state IN ('queued', 'failed')",
    "idx_jobs_lease": "CREATE INDEX idx_jobs_lease ON jobs (lease_expires_at) WHERE state = 'running'",
    "idx_jobs_batch_state": "CREATE INDEX idx_jobs_batch_state ON jobs (batch_id, state)",
    "idx_jobs_depends_on": "CREATE INDEX idx_jobs_depends_on ON jobs (depends_on)",
    "idx_jobs_provider_batch": "CREATE INDEX idx_jobs_provider_batch ON jobs (provider_batch_id) "
                               "WHERE provider_batch_id IS NOT NULL",
}
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


class FakeClock:
    """The queue's clock: tests move time forward instead of sleeping."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def iso(self, seconds: float = 0) -> str:
        return db.iso_utc(self.now + timedelta(seconds=seconds))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def queue(tmp_path, clock):
    with JobQueue(tmp_path / "queue.db", now=clock, rng=random.Random(7)) as queue:
        yield queue


def npc(i: int = 0, **fields) -> NewJob:
    return NewJob(payload={"class_name": "wizard", "i": i}, kind="npc", **fields)


def claim_one(queue: JobQueue, worker: str = "w1", **options):
    jobs = queue.claim(worker, **options)
    assert len(jobs) == 1, jobs
    return jobs[0]


# --- schema, enqueue, idempotency -------------------------------------------------------------------------------


def test_blank_database_gets_the_queue_schema():
    conn = db.open_db()
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                        "(tbl_name IN ('jobs', 'batches'))")
    assert {row["name"]: row["sql"] for row in rows} == QUEUE_SCHEMA
    assert conn.execute("SELECT 1 FROM _migrations WHERE name = 'm003_jobs'").fetchone()


def test_the_claim_query_uses_the_partial_index(queue):
    plan = queue.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE state IN ('queued', 'failed') "
                              "AND run_at <= '' ORDER BY priority, run_at, id LIMIT 1").fetchall()
    assert any("idx_jobs_due" in row["detail"] for row in plan), [row["detail"] for row in plan]


def test_enqueue_round_trips(queue, clock):
    job = queue.enqueue({"class_name": "wizard", "name": "Ilsa ü"}, kind="npc")
    assert job.state == JobState.QUEUED == "queued"
    assert (job.attempts, job.max_attempts, job.priority, job.errors, job.result) == (0, 5, 0, [], None)
    assert job.run_at == job.created_at == job.updated_at == clock.iso() == "2026-11-25T10:00:00.000Z"
    assert job.id[:10] == db.new_id(now_ms=int(T0.timestamp() * 1000))[:10]  # the id carries the injected time
    assert queue.get(job.id[:20].lower()) == job == queue.jobs_where()[0]
    stored = queue.conn.execute("SELECT payload FROM jobs").fetchone()[0]
    assert stored == '{"class_name": "wizard", "name": "Ilsa ü"}'


def test_the_same_key_enqueues_once(queue):
    first = queue.enqueue({"i": 1}, kind="npc", key="tavern:1")
    again = queue.enqueue({"i": 999}, kind="portrait", key="tavern:1")
    assert again == first and again.payload == {"i": 1}
    done = queue.enqueue_all([npc(1, key="tavern:1"), npc(2, key="tavern:2"), npc(3, key="tavern:2"), npc(4)])
    assert done.inserted == 2
    assert done.ids[0] == first.id and done.ids[1] == done.ids[2] != done.ids[3]
    assert queue.counts()[JobState.QUEUED] == 3


def test_create_batch_by_key(queue, clock):
    batch_id, created = queue.create_batch(key="tavern", spec={"count": 3}, options={"provider": "mock"}, total=3)
    assert created and queue.create_batch(key="tavern", spec={"count": 99}) == (batch_id, False)
    clock.advance(1)
    other, created = queue.create_batch()
    assert created and queue.create_batch()[1]  # no key, no deduplication
    queue.enqueue_all([npc(i) for i in range(3)], batch_id=batch_id)
    batches = {batch.id: batch for batch in queue.batches()}
    assert len(batches) == 3 and next(iter(batches)) == batch_id  # oldest first
    batch = batches[batch_id]
    assert (batch.key, batch.created_at, batch.spec, batch.options, batch.total) == (
        "tavern", "2026-11-25T10:00:00.000Z", {"count": 3}, {"provider": "mock"}, 3)
    assert batch.counts[JobState.QUEUED] == 3 and batch.counts[JobState.DEAD] == 0
    assert batches[other].counts == {state: 0 for state in JobState}


def test_enqueue_all_ten_thousand_in_one_go(queue):
    done = queue.enqueue_all(npc(i) for i in range(10_000))
    assert done.inserted == 10_000 and len(set(done.ids)) == 10_000
    assert done.ids == sorted(done.ids)  # ids keep the callers' order, so claims do too
    assert queue.conn.execute("SELECT count(*) FROM jobs").fetchone()[0] == 10_000 == queue.depth
    assert [job.payload["i"] for job in queue.claim("w1", limit=3)] == [0, 1, 2]


# --- claiming ---------------------------------------------------------------------------------------------------


def test_claim_takes_due_jobs_best_first(queue, clock):
    queue.enqueue_all([npc(0), npc(1, priority=5), npc(2, priority=-1), npc(3, run_at=T0 + timedelta(seconds=30))])
    jobs = queue.claim("w1", lease_s=90, limit=10)
    assert [job.payload["i"] for job in jobs] == [2, 0, 1]  # lower priority first; i=3 is not due
    assert all(job.state == JobState.RUNNING and job.attempts == 1 and job.lease_owner == "w1" for job in jobs)
    assert jobs[0].lease_expires_at == clock.iso(90) and jobs[0].started_at == jobs[0].heartbeat_at == clock.iso()
    assert queue.claim("w2") == []
    assert queue.next_due_at() == T0 + timedelta(seconds=30)
    clock.advance(30)
    assert claim_one(queue, "w2").payload["i"] == 3
    assert queue.next_due_at() is None and queue.depth == 0


def test_claim_filters_by_kind_and_batch(queue):
    batch_id, _ = queue.create_batch()
    queue.enqueue({"i": 0}, kind="portrait")
    queue.enqueue({"i": 1}, kind="npc", batch_id=batch_id)
    queue.enqueue({"i": 2}, kind="npc")
    assert claim_one(queue, kinds=["portrait"]).payload["i"] == 0
    assert claim_one(queue, batch_id=batch_id).payload["i"] == 1
    assert queue.claim("w1", kinds=["portrait"]) == []
    assert claim_one(queue, kinds=["npc", "portrait"]).payload["i"] == 2


def test_a_dependent_waits_for_its_job_to_succeed(queue):
    done = queue.enqueue_all([npc(0, key="t:0:npc"),
                              NewJob(payload={"i": 0}, kind="portrait", depends_on_key="t:0:npc")])
    parent, child = done.ids
    assert queue.get(child).depends_on == parent
    job = claim_one(queue)
    assert job.id == parent and queue.claim("w1") == []
    assert queue.next_due_at() is None and queue.depth == 1  # waiting, not due
    queue.complete(parent, "w1", result={"name": "Ilsa"})
    assert claim_one(queue).id == child
    with pytest.raises(UsageError, match="no job has"):
        queue.enqueue_all([NewJob(payload={}, kind="portrait", depends_on_key="t:9:npc")])
    assert queue.counts()[JobState.QUEUED] == 0  # the failed call added nothing


def test_dependents_end_with_their_job_and_come_back_with_it(queue):
    parent, child, grandchild = queue.enqueue_all([
        npc(0, key="a"), NewJob(payload={}, kind="portrait", key="b", depends_on_key="a"),
        NewJob(payload={}, kind="caption", depends_on_key="b")]).ids
    claim_one(queue)
    assert queue.fail(parent, "w1", error="401 bad key", error_kind="ProviderAuthError",
                      retryable=False) == JobState.DEAD
    assert [queue.get(i).state for i in (child, grandchild)] == [JobState.DEAD] * 2
    assert queue.get(child).errors[-1].kind == DEPENDENCY
    assert queue.get(grandchild).last_error == f"depends on {child}, which is dead"
    assert queue.retry(job_id=parent) == 3 and queue.depth == 3
    assert queue.cancel(job_id=parent) == 3
    assert queue.counts()[JobState.CANCELLED] == 3 and queue.depth == 0


# --- leases, fencing, failures ----------------------------------------------------------------------------------


def test_a_worker_that_lost_its_lease_cannot_finish_the_job(queue, clock):
    job_id = queue.enqueue({"i": 0}, kind="npc").id
    claim_one(queue, "slow", lease_s=60)
    clock.advance(30)
    assert queue.heartbeat(job_id, "slow", lease_s=60)
    clock.advance(60)
    assert queue.reap() == 0  # the heartbeat moved the lease on to 10:01:30
    clock.advance(1)
    assert queue.reap() == 1
    assert queue.get(job_id).state == JobState.QUEUED and queue.get(job_id).errors[0].kind == LEASE_EXPIRED
    assert claim_one(queue, "fast").attempts == 2
    assert not queue.heartbeat(job_id, "slow")
    assert not queue.complete(job_id, "slow", result={"name": "stale"})
    assert queue.fail(job_id, "slow", error="x", error_kind="timeout", retryable=True) is None
    assert not queue.release(job_id, "slow")
    assert not queue.complete(job_id, "nobody", result={})
    assert queue.complete(job_id, "fast", result={"name": "Ilsa"},
                          usage={"input_tokens": 1200, "output_tokens": 300, "cost_usd": 0.0081})
    done = queue.get(job_id)
    assert (done.state, done.result, done.lease_owner, done.finished_at) == (
        JobState.SUCCEEDED, {"name": "Ilsa"}, None, clock.iso())
    assert done.usage.input_tokens == 1200 and done.usage.cost_usd == 0.0081
    assert not queue.complete(job_id, "fast", result={"name": "twice"})  # finishing is once only
    assert queue.get(job_id).result == {"name": "Ilsa"}


def test_retryable_failures_back_off_with_jitter_then_die(queue, clock):
    job_id = queue.enqueue({"i": 0}, kind="npc", max_attempts=4).id
    for attempt in (1, 2, 3):
        claim_one(queue)
        assert queue.fail(job_id, "w1", error="503 overloaded", error_kind="overloaded",
                          retryable=True) == JobState.FAILED
        job = queue.get(job_id)
        ceiling = 2.0 * 2 ** (attempt - 1)
        wait = (datetime.fromisoformat(job.run_at) - clock.now).total_seconds()
        assert ceiling / 2 <= wait <= ceiling, (attempt, wait)
        assert queue.claim("w1") == []  # not due yet
        clock.advance(wait)
    claim_one(queue)
    assert queue.fail(job_id, "w1", error="503 again", error_kind="overloaded", retryable=True) == JobState.DEAD
    job = queue.get(job_id)
    assert [(e.attempt, e.kind) for e in job.errors] == [(n, "overloaded") for n in (1, 2, 3, 4)]
    assert (job.attempts, job.last_error, job.finished_at) == (4, "503 again", clock.iso())


def test_backoff_bounds_and_cap():
    rng = random.Random(1)
    for attempt in range(1, 30):
        ceiling = min(BACKOFF_CAP_S, 2.0 * 2 ** (attempt - 1))
        delays = [backoff_s(attempt, rng=rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # it is jittered
    assert backoff_s(1, rng=random.Random(3)) == backoff_s(1, rng=random.Random(3))


def test_a_rate_limit_with_retry_after_does_not_spend_an_attempt(queue, clock):
    job_id = queue.enqueue({"i": 0}, kind="npc", max_attempts=1).id
    for _ in range(3):  # with one attempt allowed, only the refund keeps it alive
        claim_one(queue)
        assert queue.fail(job_id, "w1", error="429 slow down", error_kind="rate_limit", retryable=True,
                          retry_after=30) == JobState.FAILED
        job = queue.get(job_id)
        assert job.attempts == 0 and job.run_at == clock.iso(30)
        clock.advance(29.9)
        assert queue.claim("w1") == []
        clock.advance(0.1)
    assert [(e.attempt, e.kind, e.retry_after) for e in queue.get(job_id).errors] == [(1, "rate_limit", 30)] * 3


def test_a_non_retryable_error_is_dead_at_once(queue, clock):
    job_id = queue.enqueue({"i": 0}, kind="npc").id
    claim_one(queue)
    assert queue.fail(job_id, "w1", error="400 invalid request", error_kind="ProviderError",
                      retryable=False) == JobState.DEAD
    job = queue.get(job_id)
    assert (job.attempts, job.finished_at, job.lease_owner, job.last_error) == (
        1, clock.iso(), None, "400 invalid request")
    assert queue.claim("w1") == [] and queue.depth == 0


def test_the_reaper_requeues_or_buries(queue, clock):
    ids = queue.enqueue_all([npc(0, max_attempts=1), npc(1), npc(2)]).ids
    queue.claim("gone", lease_s=10, limit=2)
    claim_one(queue, "alive", lease_s=600)
    clock.advance(11)
    assert queue.reap() == 2
    first, second, third = (queue.get(i) for i in ids)
    assert (first.state, first.finished_at, first.last_error) == (
        JobState.DEAD, clock.iso(), "lease expired: the worker stopped heartbeating")
    assert first.errors[0].message.endswith("(gone)")
    assert (second.state, second.attempts, second.run_at, second.lease_owner) == (JobState.QUEUED, 1, clock.iso(), None)
    assert third.state == JobState.RUNNING and queue.reap() == 0


def test_release_gives_the_attempt_back(queue, clock):
    job_id = queue.enqueue({"i": 0}, kind="npc").id
    claim_one(queue, "w1")
    clock.advance(5)
    assert queue.release(job_id, "w1")
    job = queue.get(job_id)
    assert (job.state, job.attempts, job.run_at, job.lease_owner) == (JobState.QUEUED, 0, clock.iso(), None)


# --- managing ---------------------------------------------------------------------------------------------------


def test_retry_dead_jobs_of_a_batch(queue, clock):
    batch_id, _ = queue.create_batch()
    ids = queue.enqueue_all([npc(i) for i in range(3)], batch_id=batch_id).ids
    other = queue.enqueue({"i": 9}, kind="npc").id
    for job in queue.claim("w1", limit=4):
        queue.fail(job.id, "w1", error="bad", error_kind="ProviderError", retryable=job.id == ids[2])
    assert queue.counts(batch_id)[JobState.DEAD] == 2 and queue.get(ids[2]).state == JobState.FAILED
    clock.advance(60)
    assert queue.retry(batch_id=batch_id) == 2  # dead only, by default
    job = queue.get(ids[0])
    assert (job.state, job.attempts, job.run_at, job.finished_at, len(job.errors)) == (
        JobState.QUEUED, 0, clock.iso(), None, 1)
    assert queue.get(other).state == JobState.DEAD
    assert queue.retry(job_id=ids[2]) == 1  # one job: failed counts too
    assert queue.retry(state=JobState.DEAD) == 1
    with pytest.raises(UsageError, match="cannot retry"):
        queue.retry(state=JobState.RUNNING)


def test_cancel_leaves_running_jobs_alone(queue, clock):
    batch_id, _ = queue.create_batch()
    ids = queue.enqueue_all([npc(i) for i in range(3)], batch_id=batch_id).ids
    claim_one(queue)
    assert queue.cancel(batch_id=batch_id) == 2
    assert [queue.get(i).state for i in ids] == [JobState.RUNNING, JobState.CANCELLED, JobState.CANCELLED]
    assert queue.get(ids[1]).finished_at == clock.iso()
    assert queue.complete(ids[0], "w1", result={})
    with pytest.raises(UsageError, match="nothing to cancel"):
        queue.cancel()
    assert queue.retry(batch_id=batch_id, state=JobState.CANCELLED) == 2


def test_prune_deletes_old_finished_jobs(queue, clock):
    ids = queue.enqueue_all([npc(i) for i in range(4)]).ids
    child = queue.enqueue({"i": 9}, kind="portrait", depends_on=ids[0]).id
    for job in queue.claim("w1", limit=2):
        queue.complete(job.id, "w1", result={})
    queue.cancel(job_id=ids[2])
    clock.advance(3600)
    queue.cancel(job_id=ids[3])
    assert queue.prune(older_than=timedelta(minutes=30)) == 3
    assert {job.id for job in queue.jobs_where()} == {ids[3], child}
    assert queue.get(child).depends_on is None  # its job succeeded and is gone: nothing to wait for
    assert claim_one(queue).id == child


def test_get_unknown_or_ambiguous(queue):
    queue.enqueue_all([npc(0), npc(1)])  # same millisecond: the ids share their first 10 characters
    with pytest.raises(UsageError, match="matches several jobs") as caught:
        queue.get(queue.jobs_where()[0].id[:10])
    assert caught.value.hint
    for wanted in ("ZZZ", "%", ""):
        with pytest.raises(UsageError) as caught:
            queue.get(wanted)
        assert "jobs list" in caught.value.hint


def test_jobs_where_and_counts(queue, clock):
    batch_id, _ = queue.create_batch()
    queue.enqueue_all([npc(i) for i in range(3)], batch_id=batch_id)
    clock.advance(0.001)  # ids of separate calls made in the same millisecond have no set order
    queue.enqueue({"i": 3}, kind="portrait")
    claim_one(queue)
    assert [j.payload["i"] for j in queue.jobs_where(state=JobState.QUEUED)] == [1, 2, 3]
    assert [j.payload["i"] for j in queue.jobs_where(batch_id=batch_id, limit=2)] == [0, 1]
    assert [j.payload["i"] for j in queue.jobs_where(kind="portrait")] == [3]
    assert queue.counts() == {**{state: 0 for state in JobState}, JobState.QUEUED: 3, JobState.RUNNING: 1}
    assert queue.counts(batch_id)[JobState.QUEUED] == 2 and queue.depth == 3


# --- provider batch mode ----------------------------------------------------------------------------------------


def test_submitted_jobs_are_fenced_by_their_provider_batch(queue, clock):
    ids = queue.enqueue_all([npc(i) for i in range(3)]).ids
    queue.claim("w1", lease_s=60, limit=3)
    assert queue.mark_submitted(ids, "w2", "msgbatch_1") == 0  # not w2's jobs
    assert queue.mark_submitted(ids, "w1", "msgbatch_1") == 3
    clock.advance(24 * 3600)
    assert queue.reap() == 0  # no lease: the provider may take a day
    # a restarted worker finds the batch and reconciles each job
    assert queue.open_provider_batches() == ["msgbatch_1"]
    assert [job.id for job in queue.jobs_in_provider_batch("msgbatch_1")] == ids
    assert not queue.complete(ids[0], "w1", result={})  # no lease holder can finish a submitted job
    assert not queue.complete_submitted(ids[0], "msgbatch_2", result={})
    assert queue.complete_submitted(ids[0], "msgbatch_1", result={"name": "Ilsa"}, usage={"input_tokens": 5})
    assert not queue.complete_submitted(ids[0], "msgbatch_1", result={"name": "again"})
    assert queue.fail_submitted(ids[1], "msgbatch_1", error="expired", error_kind="expired", retryable=True,
                                retry_after=0) == JobState.FAILED
    assert queue.fail_submitted(ids[2], "msgbatch_1", error="400", error_kind="invalid_request",
                                retryable=False) == JobState.DEAD
    assert queue.open_provider_batches() == []
    assert claim_one(queue).id == ids[1] and queue.get(ids[1]).attempts == 1


# --- several processes ------------------------------------------------------------------------------------------

WORKER = """
import json, sys, time
from pathlib import Path
from charforge.store.queue import JobQueue, new_worker_id
here = Path(sys.argv[1])
(here / f"ready-{sys.argv[2]}").touch()
while not (here / "go").exists():
    time.sleep(0.001)
claimed = []
with JobQueue(here / "queue.db") as queue:
    worker = new_worker_id()
    while jobs := queue.claim(worker, limit=int(sys.argv[3])):
        for job in jobs:
            claimed.append(job.id)
            assert queue.complete(job.id, worker, result={"by": worker})
print(json.dumps(claimed))
"""


def test_four_processes_claim_every_job_exactly_once(tmp_path):
    n = 600
    with JobQueue(tmp_path / "queue.db") as queue:
        ids = queue.enqueue_all(npc(i) for i in range(n)).ids
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), str(i), str(limit)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, limit in enumerate((1, 1, 2, 3))]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the children to import, not standing in for a clock
    (tmp_path / "go").touch()
    claimed = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "OperationalError" not in err
        claimed.append(json.loads(out))
    every = [job_id for ids_of_one in claimed for job_id in ids_of_one]
    assert sorted(every) == sorted(ids)  # each job once, none twice
    conn = sqlite3.connect(tmp_path / "queue.db")
    assert conn.execute("SELECT state, attempts, count(*) FROM jobs GROUP BY 1, 2").fetchall() == [("succeeded", 1, n)]
    assert len({json.loads(r[0])["by"] for r in conn.execute("SELECT result FROM jobs")}) > 1  # they shared work
