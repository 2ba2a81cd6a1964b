"""The durable job queue: one `jobs` row per unit of work (an NPC, a portrait), in charforge's SQLite file.

Promise: at-least-once; only the lease holder can finish a job. `claim` hands each due job to one worker
under a lease (one `UPDATE ... RETURNING` inside `BEGIN IMMEDIATE`, so two processes never claim the same
row). `heartbeat`, `complete`, `fail` and `release` change a row only while its `lease_owner` is still that
worker and its state is still `running`. A worker that dies stops heartbeating; `reap` puts its job back (the
lease is lost then, not the moment it expires: until the reaper runs nobody else can hold the job), so a job
can run twice and must be safe to repeat (a duplicate NPC costs tokens, not correctness). Worker names must be
unique per process run (`new_worker_id`), or a restarted worker would pass its predecessor's fence. Jobs handed
to a provider batch (`submitted`) hold no lease: their `provider_batch_id` is the fence, so a restarted worker
can reconcile them with `complete_submitted` / `fail_submitted`.

States: queued -> running -> succeeded | failed (retries at run_at) | dead; running -> queued (reaped,
released); running -> submitted -> the same ends; queued | failed -> cancelled. A job that depends on
another (a portrait on its NPC) is claimable once that one succeeded, and ends with it if it ends dead or
cancelled (error kind 'dependency'); retrying the parent revives such dependents.

Times are stored as `db.iso_utc` text, so comparing text compares times. The clock and the jitter source
are injected, so tests advance a fake clock instead of sleeping.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import socket
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel

from charforge.errors import UsageError
from charforge.store.db import iso_utc, new_id, open_db, write
from charforge.store.queue_models import Batch, Enqueued, Job, JobError, JobState, JobUsage, NewJob

__all__ = ["BACKOFF_BASE_S", "BACKOFF_CAP_S", "DEPENDENCY", "LEASE_EXPIRED", "Batch", "Enqueued", "Job", "JobError",
           "JobQueue", "JobState", "JobUsage", "NewJob", "backoff_s", "new_worker_id"]

BACKOFF_BASE_S = 2.0  # first retry after 1-2 s, then 2-4 s, 4-8 s, ...
BACKOFF_CAP_S = 300.0
LEASE_EXPIRED = "lease_expired"  # error kinds the queue records itself
DEPENDENCY = "dependency"
_LIST_HINT = "'charforge jobs list' shows job ids"
_PENDING = "('queued', 'failed')"
_LEASED = "lease_owner = :holder AND state = 'running'"
_SUBMITTED = "provider_batch_id = :holder AND state = 'submitted'"


def backoff_s(attempt: int, *, rng: random.Random) -> float:
    """Delay before retrying after failed attempt `attempt` (1-based): exponential, capped, "equal jitter".

    Half the delay is fixed, so a retry never comes back at once; the random half spreads out jobs that failed
    together (one outage) so they do not retry together.
    """
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + rng.random() * ceiling / 2


def new_worker_id() -> str:
    """A worker name unique to this process run: a restarted worker must not pass its predecessor's fence."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class JobQueue:
    """Enqueue, claim and finish jobs; list and manage them.

    Args:
        conn: an open connection (from `db.open_db`), a database path, or None for the default database.
        now: the clock (aware UTC datetimes); tests pass a fake one.
        rng: the jitter source for retry backoff.

    Example:
        queue = JobQueue()
        queue.enqueue({"class_name": "wizard"}, kind="npc", key="tavern:1")
        for job in queue.claim(worker := new_worker_id()):
            queue.complete(job.id, worker, result={"name": "Ilsa"})
    """

    def __init__(self, conn: sqlite3.Connection | Path | None = None, *, now: Callable[[], datetime] | None = None,
                 rng: random.Random | None = None) -> None:
        self._owned = not isinstance(conn, sqlite3.Connection)
        self.conn = conn if isinstance(conn, sqlite3.Connection) else open_db(conn)
        self._now = now or (lambda: datetime.now(UTC))
        self._rng = rng or random.Random()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self.conn.close()

    def now(self) -> datetime:
        """The queue's clock (injected in tests): what 'due' is measured against."""
        return self._now()

    def _stamp(self, seconds: float = 0) -> str:
        return iso_utc(self._now() + timedelta(seconds=seconds))

    def _new_ids(self, n: int) -> list[str]:
        """ULIDs from the injected clock, sorted: ids made together keep the callers' order, as `claim` does."""
        ms = int(self._now().timestamp() * 1000)
        return sorted(new_id(now_ms=ms) for _ in range(n))

    # --- adding work ------------------------------------------------------------------------------------------

    def create_batch(self, *, key: str | None = None, spec: Mapping[str, Any] | None = None,
                     options: Mapping[str, Any] | None = None, total: int = 0) -> tuple[str, bool]:
        """Record a batch and return (its id, True); with a `key` already used, (that batch's id, False)."""
        with write(self.conn):
            row = self.conn.execute("SELECT id FROM batches WHERE key = ?", (key,)).fetchone() if key else None
            if row is not None:
                return row["id"], False
            batch_id = self._new_ids(1)[0]
            self.conn.execute("INSERT INTO batches (id, key, created_at, spec, options, total) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (batch_id, key, self._stamp(), _dumps(spec or {}), _dumps(options or {}), total))
        return batch_id, True

    def enqueue(self, payload: Mapping[str, Any] | BaseModel, *, kind: str, batch_id: str | None = None,
                key: str | None = None, priority: int = 0, max_attempts: int = 5, run_at: datetime | None = None,
                depends_on: str | None = None) -> Job:
        """Add one job, or return the existing one when `key` is taken (nothing is changed then)."""
        row = NewJob(payload=payload, kind=kind, key=key, priority=priority, max_attempts=max_attempts,
                     run_at=run_at, depends_on=depends_on)
        return self._get_exact(self.enqueue_all([row], batch_id=batch_id).ids[0])

    def enqueue_all(self, rows: Iterable[NewJob], *, batch_id: str | None = None) -> Enqueued:
        """Add many jobs in one transaction; rows whose key is taken (here or earlier in `rows`) are skipped.

        A key stays taken while its job exists, whatever its state: run a dead job again with `retry`. The new
        ids ascend in the order of `rows`, so equal jobs are claimed in that order.

        Raises:
            UsageError: a row's `depends_on_key` names no job.
        """
        rows = list(rows)
        now = self._stamp()
        fresh = iter(self._new_ids(len(rows)))
        keys = [k for row in rows for k in (row.key, row.depends_on_key) if k is not None]
        with write(self.conn):
            taken = dict(self.conn.execute("SELECT idempotency_key, id FROM jobs WHERE idempotency_key IN "
                                           "(SELECT value FROM json_each(?))", (json.dumps(keys),)).fetchall())
            ids, inserts = [], []
            for row in rows:
                if row.key is not None and row.key in taken:
                    ids.append(taken[row.key])
                    continue
                job_id = next(fresh)
                parent = row.depends_on
                if row.depends_on_key is not None and (parent := taken.get(row.depends_on_key)) is None:
                    raise UsageError(f"job depends on key {row.depends_on_key!r}, which no job has",
                                     hint="enqueue the job it depends on first, or in the same call before it")
                if row.key is not None:
                    taken[row.key] = job_id
                ids.append(job_id)
                inserts.append((job_id, batch_id, row.kind, _dumps(row.payload), row.key, row.priority,
                                row.max_attempts, iso_utc(row.run_at) if row.run_at else now, now, now, parent))
            cursor = self.conn.executemany("""
                INSERT INTO jobs (id, batch_id, kind, payload, idempotency_key, priority, max_attempts, run_at,
                                  created_at, updated_at, depends_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING""", inserts)
        return Enqueued(ids=ids, inserted=max(cursor.rowcount, 0))

    # --- the worker's side ------------------------------------------------------------------------------------

    def claim(self, worker: str, *, lease_s: float = 60, kinds: Iterable[str] | None = None,
              batch_id: str | None = None, limit: int = 1) -> list[Job]:
        """Lease up to `limit` due jobs to `worker`, best first (priority, then run_at, then id).

        Due: queued or failed, run_at passed, and any job it depends on succeeded. Each claim counts an attempt.
        """
        where, params = _ready(kinds, batch_id, due=True)
        now = self._stamp()
        with write(self.conn):
            rows = self.conn.execute(f"""
                UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = :worker,
                       lease_expires_at = :expires, heartbeat_at = :now, started_at = coalesce(started_at, :now),
                       updated_at = :now
                WHERE id IN (SELECT j.id FROM jobs AS j WHERE {where} ORDER BY j.priority, j.run_at, j.id LIMIT :limit)
                RETURNING *""", {**params, "worker": worker, "now": now, "expires": self._stamp(lease_s),
                                 "limit": limit}).fetchall()
        return sorted(map(_job, rows), key=lambda job: (job.priority, job.run_at, job.id))

    def heartbeat(self, job_id: str, worker: str, *, lease_s: float = 60) -> bool:
        """Extend the lease to now + `lease_s`; False when the worker no longer holds it (stop working then)."""
        return self._update(job_id, _LEASED, worker, "lease_expires_at = :expires, heartbeat_at = :now",
                            expires=self._stamp(lease_s))

    def complete(self, job_id: str, worker: str, *, result: Any, usage: JobUsage | Mapping | None = None) -> bool:
        """Store the result and mark the job succeeded; False, changing nothing, if the lease was lost."""
        return self._succeed(job_id, _LEASED, worker, result, usage)

    def complete_all(self, worker: str, done: Iterable[tuple[str, Any, JobUsage | Mapping | None]]) -> int:
        """`complete` for many (job id, result, usage) in one transaction; returns how many were still held.

        For fast local jobs, where a transaction per job would cost as much as the job itself. A crash before
        the commit loses only these results: their jobs are reaped and run again.
        """
        now = self._stamp()
        rows = [{"id": job_id, "holder": worker, "now": now, "result": _dumps(result),
                 "usage": None if usage is None else JobUsage.model_validate(usage).model_dump_json()}
                for job_id, result, usage in done]
        with write(self.conn):
            before = self.conn.total_changes
            self.conn.executemany(f"""
                UPDATE jobs SET state = 'succeeded', result = :result, usage = :usage, finished_at = :now,
                       lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id = :id AND {_LEASED}""", rows)
            return self.conn.total_changes - before

    def fail(self, job_id: str, worker: str, *, error: str, error_kind: str, retryable: bool,
             retry_after: float | None = None) -> JobState | None:
        """Record a failed attempt and return the job's new state, or None if the lease was lost.

        Not retryable: dead. Retryable with `retry_after` (a rate limit): failed, due again after that many
        seconds, and the attempt is given back, since the job did nothing wrong. Otherwise failed with
        exponential backoff (`backoff_s`), or dead once `max_attempts` are spent.
        """
        return self._fail(job_id, _LEASED, worker, error, error_kind, retryable, retry_after)

    def release(self, job_id: str, worker: str) -> bool:
        """Give a running job back (graceful shutdown): queued, due now, its attempt not counted."""
        return self._update(job_id, _LEASED, worker, "state = 'queued', attempts = max(attempts - 1, 0), "
                            "run_at = :now, lease_owner = NULL, lease_expires_at = NULL")

    def reap(self) -> int:
        """Requeue running jobs whose lease expired (their worker died); dead if no attempts are left."""
        now = self._stamp()
        message = "lease expired: the worker stopped heartbeating"
        with write(self.conn):
            rows = self.conn.execute("""
                UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                       finished_at = CASE WHEN attempts >= max_attempts THEN :now END, run_at = :now,
                       updated_at = :now, lease_owner = NULL, lease_expires_at = NULL, last_error = :message,
                       errors = json_insert(errors, '$[#]', json_object('attempt', attempts, 'time', :now,
                                'kind', :kind, 'message', :message || ' (' || lease_owner || ')'))
                WHERE state = 'running' AND lease_expires_at < :now RETURNING id, state""",
                                     {"now": now, "kind": LEASE_EXPIRED, "message": message}).fetchall()
            self._cascade([row["id"] for row in rows if row["state"] == JobState.DEAD], JobState.DEAD, now)
        return len(rows)

    def next_due_at(self, *, kinds: Iterable[str] | None = None, batch_id: str | None = None) -> datetime | None:
        """When the earliest claimable job is due (maybe in the past): how long an idle worker may sleep."""
        where, params = _ready(kinds, batch_id, due=False)
        value = self.conn.execute(f"SELECT min(j.run_at) FROM jobs AS j WHERE {where}", params).fetchone()[0]
        return None if value is None else datetime.fromisoformat(value)

    def attach(self, job_id: str, path: tuple[str, ...], value: Any) -> bool:
        """Set one field inside a succeeded job's result (a portrait's path in its character); False if none."""
        json_path = "$." + ".".join(path)
        with write(self.conn):
            cursor = self.conn.execute("UPDATE jobs SET result = json_set(result, ?, json(?)), updated_at = ? "
                                       "WHERE id = ? AND result IS NOT NULL", (json_path, _dumps(value), self._stamp(),
                                                                               job_id))
        return cursor.rowcount == 1

    # --- provider batch mode ----------------------------------------------------------------------------------

    def mark_submitted(self, job_ids: Iterable[str], worker: str, provider_batch_id: str) -> int:
        """Move `worker`'s running jobs into a provider batch (after the provider accepted it); returns how many.

        A submitted job has no lease, so `reap` leaves it alone for however long the provider takes. A crash
        before this call only means the jobs are reaped and may run twice.
        """
        now = self._stamp()
        with write(self.conn):
            cursor = self.conn.execute(f"""
                UPDATE jobs SET state = 'submitted', provider_batch_id = :pbid, lease_owner = NULL,
                       lease_expires_at = NULL, updated_at = :now
                WHERE id IN (SELECT value FROM json_each(:ids)) AND {_LEASED}""",
                                       {"pbid": provider_batch_id, "holder": worker, "now": now,
                                        "ids": json.dumps(list(job_ids))})
        return cursor.rowcount

    def open_provider_batches(self) -> list[str]:
        """Provider batch ids that still hold submitted jobs: what a restarted worker must poll."""
        rows = self.conn.execute("SELECT DISTINCT provider_batch_id FROM jobs WHERE state = 'submitted' ORDER BY 1")
        return [row[0] for row in rows]

    def jobs_in_provider_batch(self, provider_batch_id: str) -> list[Job]:
        rows = self.conn.execute("SELECT * FROM jobs WHERE provider_batch_id = ? ORDER BY id", (provider_batch_id,))
        return [_job(row) for row in rows]

    def complete_submitted(self, job_id: str, provider_batch_id: str, *, result: Any,
                           usage: JobUsage | Mapping | None = None) -> bool:
        """`complete` for a job still submitted in that provider batch; False if it is not (already handled)."""
        return self._succeed(job_id, _SUBMITTED, provider_batch_id, result, usage)

    def fail_submitted(self, job_id: str, provider_batch_id: str, *, error: str, error_kind: str, retryable: bool,
                       retry_after: float | None = None) -> JobState | None:
        """`fail` for a job still submitted in that provider batch (an expired request: retry_after=0)."""
        return self._fail(job_id, _SUBMITTED, provider_batch_id, error, error_kind, retryable, retry_after)

    # --- managing ---------------------------------------------------------------------------------------------

    def retry(self, *, job_id: str | None = None, batch_id: str | None = None, state: JobState | None = None) -> int:
        """Queue jobs again, due now, attempts reset (history kept); returns how many, dependents included.

        Args:
            job_id: one job (an id prefix works); batch_id: one batch; neither: every job.
            state: which jobs to retry: dead, failed or cancelled. Default: dead, or any of the three for a job_id.
        """
        retryable = [JobState.DEAD, JobState.FAILED, JobState.CANCELLED]
        states = [state] if state else retryable if job_id else [JobState.DEAD]
        if not set(states) <= set(retryable):
            raise UsageError(f"cannot retry {state} jobs", hint="retry dead, failed or cancelled jobs")
        scope, params = self._scope(job_id, batch_id)
        now = self._stamp()
        with write(self.conn):
            rows = self.conn.execute(f"""
                WITH RECURSIVE picked(id) AS (
                    SELECT id FROM jobs WHERE state IN (SELECT value FROM json_each(:states)) AND {scope}
                    UNION SELECT j.id FROM jobs AS j JOIN picked AS p ON j.depends_on = p.id
                    WHERE j.state IN ('dead', 'cancelled') AND json_extract(j.errors, '$[#-1].kind') = :dependency)
                UPDATE jobs SET state = 'queued', attempts = 0, run_at = :now, finished_at = NULL,
                       lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id IN (SELECT id FROM picked) RETURNING id""",
                                     {**params, "states": json.dumps(states), "now": now, "dependency": DEPENDENCY})
            return len(rows.fetchall())  # counted from RETURNING: Python 3.11 gives rowcount -1 after a WITH

    def cancel(self, *, job_id: str | None = None, batch_id: str | None = None) -> int:
        """Cancel queued and failed jobs (and what depends on them); returns how many.

        Running jobs are left to finish (their worker holds the lease); submitted ones are the provider's until
        reconciled. Cancelling them would need the worker's help, which this storage layer cannot give.
        """
        if job_id is None and batch_id is None:
            raise UsageError("nothing to cancel", hint="give a job id or a batch id")
        scope, params = self._scope(job_id, batch_id)
        now = self._stamp()
        with write(self.conn):
            rows = self.conn.execute(f"UPDATE jobs SET state = 'cancelled', finished_at = :now, updated_at = :now "
                                     f"WHERE state IN {_PENDING} AND {scope} RETURNING id", {**params, "now": now})
            ids = [row["id"] for row in rows]
            return len(ids) + self._cascade(ids, JobState.CANCELLED, now)

    def prune(self, *, older_than: timedelta) -> int:
        """Delete succeeded, dead and cancelled jobs that finished more than `older_than` ago; batches stay."""
        with write(self.conn):
            return self.conn.execute("DELETE FROM jobs WHERE state IN ('succeeded', 'dead', 'cancelled') "
                                     "AND finished_at < ?", (self._stamp(-older_than.total_seconds()),)).rowcount

    # --- reading ----------------------------------------------------------------------------------------------

    def get(self, job_id: str) -> Job:
        """The job with this id, or the only one whose id starts with it (case-insensitive).

        Raises:
            UsageError: no job matches, or the prefix matches more than one.
        """
        wanted = job_id.strip()
        if not wanted:
            raise UsageError("no job id given", hint=_LIST_HINT)
        rows: list[sqlite3.Row] = []
        for prefix in dict.fromkeys((wanted, wanted.upper())):
            # A range on the primary key, not LIKE: '%' and '_' stay literal, and the index is used.
            rows = self.conn.execute("SELECT * FROM jobs WHERE id >= ? AND id < ? ORDER BY id LIMIT 4",
                                     (prefix, prefix + "\U0010ffff")).fetchall()
            if exact := [row for row in rows if row["id"] == prefix]:
                rows = exact
            if rows:
                break
        if not rows:
            raise UsageError(f"no job with id {wanted!r}", hint=_LIST_HINT)
        if len(rows) > 1:
            shown = ", ".join(row["id"] for row in rows[:3]) + (", ..." if len(rows) > 3 else "")
            raise UsageError(f"id prefix {wanted!r} matches several jobs: {shown}", hint="give more of the id")
        return _job(rows[0])

    def jobs_where(self, *, batch_id: str | None = None, state: JobState | None = None, kind: str | None = None,
                   limit: int | None = None, after: str | None = None) -> list[Job]:
        """Jobs in creation order, optionally filtered; `after` (an id) pages through a long list."""
        sql = ("SELECT * FROM jobs WHERE (:batch IS NULL OR batch_id = :batch) AND (:state IS NULL OR state = :state)"
               " AND (:kind IS NULL OR kind = :kind) AND (:after IS NULL OR id > :after) ORDER BY id LIMIT :limit")
        params = {"batch": batch_id, "state": state, "kind": kind, "limit": -1 if limit is None else limit,
                  "after": after}
        return [_job(row) for row in self.conn.execute(sql, params)]

    def each_job(self, *, page: int = 100, **filters: Any) -> Iterator[Job]:
        """`jobs_where` a page at a time, so a batch of 10,000 results is never all in memory."""
        after = None
        while page_of := self.jobs_where(limit=page, after=after, **filters):
            yield from page_of
            after = page_of[-1].id

    def usage_totals(self, batch_id: str | None = None) -> JobUsage:
        """Tokens and estimated cost of the succeeded jobs, for one batch or all (cost: of those that know it)."""
        row = self.conn.execute(
            "SELECT coalesce(sum(json_extract(usage, '$.input_tokens')), 0), "
            "coalesce(sum(json_extract(usage, '$.output_tokens')), 0), sum(json_extract(usage, '$.cost_usd')) "
            "FROM jobs WHERE usage IS NOT NULL AND (? IS NULL OR batch_id = ?)", (batch_id, batch_id)).fetchone()
        return JobUsage(input_tokens=row[0], output_tokens=row[1], cost_usd=row[2])

    def counts(self, batch_id: str | None = None) -> dict[JobState, int]:
        """Jobs per state (every state present), for one batch or all."""
        rows = self.conn.execute("SELECT state, count(*) FROM jobs WHERE ? IS NULL OR batch_id = ? GROUP BY state",
                                 (batch_id, batch_id))
        return {state: 0 for state in JobState} | {JobState(state): n for state, n in rows}

    @property
    def depth(self) -> int:
        """Jobs still to run: queued or failed, due or not (those waiting on a dependency included)."""
        return self.conn.execute(f"SELECT count(*) FROM jobs WHERE state IN {_PENDING}").fetchone()[0]

    def batches(self) -> list[Batch]:
        """Every batch, oldest first, with its jobs counted per state."""
        counts: dict[str, dict[JobState, int]] = {}
        for row in self.conn.execute("SELECT batch_id, state, count(*) FROM jobs WHERE batch_id IS NOT NULL "
                                     "GROUP BY batch_id, state"):
            counts.setdefault(row[0], {state: 0 for state in JobState})[JobState(row[1])] = row[2]
        return [Batch.model_validate({**dict(row), "spec": json.loads(row["spec"]),
                                      "options": json.loads(row["options"]),
                                      "counts": counts.get(row["id"], {state: 0 for state in JobState})})
                for row in self.conn.execute("SELECT * FROM batches ORDER BY id")]

    # --- internals --------------------------------------------------------------------------------------------

    def _get_exact(self, job_id: str) -> Job:
        return _job(self.conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())

    def _scope(self, job_id: str | None, batch_id: str | None) -> tuple[str, dict[str, Any]]:
        """SQL selecting one job (resolving a prefix), one batch, or everything."""
        if job_id is not None:
            return "id = :job", {"job": self.get(job_id).id}
        if batch_id is not None:
            return "batch_id = :batch", {"batch": batch_id}
        return "1", {}

    def _update(self, job_id: str, fence: str, holder: str, assignments: str, **params: Any) -> bool:
        """One fenced update: True if the row was still held by `holder`."""
        with write(self.conn):
            cursor = self.conn.execute(f"UPDATE jobs SET {assignments}, updated_at = :now WHERE id = :id AND {fence}",
                                       {**params, "id": job_id, "holder": holder, "now": self._stamp()})
        return cursor.rowcount == 1

    def _succeed(self, job_id: str, fence: str, holder: str, result: Any, usage: JobUsage | Mapping | None) -> bool:
        usage_json = None if usage is None else JobUsage.model_validate(usage).model_dump_json()
        return self._update(job_id, fence, holder, "state = 'succeeded', result = :result, usage = :usage, "
                            "finished_at = :now, lease_owner = NULL, lease_expires_at = NULL",
                            result=_dumps(result), usage=usage_json)

    def _fail(self, job_id: str, fence: str, holder: str, error: str, error_kind: str, retryable: bool,
              retry_after: float | None) -> JobState | None:
        now = self._stamp()
        with write(self.conn):
            row = self.conn.execute(f"SELECT attempts, max_attempts, errors FROM jobs WHERE id = :id AND {fence}",
                                    {"id": job_id, "holder": holder}).fetchone()
            if row is None:
                return None
            attempts, delay = row["attempts"], None
            if not retryable:
                state = JobState.DEAD
            elif retry_after is not None:  # the provider said when: not the job's fault, so no attempt spent
                state, delay, attempts = JobState.FAILED, max(retry_after, 0.0), max(attempts - 1, 0)
            elif attempts >= row["max_attempts"]:
                state = JobState.DEAD
            else:
                state, delay = JobState.FAILED, backoff_s(attempts, rng=self._rng)
            event = JobError(attempt=row["attempts"], time=now, kind=error_kind, message=error, retry_after=retry_after)
            self.conn.execute("""
                UPDATE jobs SET state = ?, attempts = ?, run_at = coalesce(?, run_at), finished_at = ?,
                       last_error = ?, errors = json_insert(errors, '$[#]', json(?)), lease_owner = NULL,
                       lease_expires_at = NULL, updated_at = ?
                WHERE id = ?""", (state, attempts, None if delay is None else self._stamp(delay),
                                  now if state is JobState.DEAD else None, error,
                                  event.model_dump_json(exclude_none=True), now, job_id))
            if state is JobState.DEAD:
                self._cascade([job_id], state, now)
        return state

    def _cascade(self, parents: list[str], state: JobState, now: str) -> int:
        """End the pending jobs that depend, directly or not, on `parents` (now dead or cancelled) the same way."""
        if not parents:
            return 0
        rows = self.conn.execute(f"""
            WITH RECURSIVE doomed(id) AS (
                SELECT id FROM jobs WHERE depends_on IN (SELECT value FROM json_each(:parents)) AND state IN {_PENDING}
                UNION SELECT j.id FROM jobs AS j JOIN doomed AS d ON j.depends_on = d.id WHERE j.state IN {_PENDING})
            UPDATE jobs SET state = :state, finished_at = :now, updated_at = :now,
                   last_error = 'depends on ' || depends_on || ', which is ' || :state,
                   errors = json_insert(errors, '$[#]', json_object('attempt', attempts, 'time', :now, 'kind',
                            :kind, 'message', 'depends on ' || depends_on || ', which is ' || :state))
            WHERE id IN (SELECT id FROM doomed) RETURNING id""",
                                 {"parents": json.dumps(parents), "state": state, "now": now, "kind": DEPENDENCY})
        return len(rows.fetchall())


def _ready(kinds: Iterable[str] | None, batch_id: str | None, *, due: bool) -> tuple[str, dict[str, Any]]:
    """The claim condition on alias `j`: pending, its dependency (if any) succeeded, optionally due by :now."""
    clauses = [f"j.state IN {_PENDING}", "(j.depends_on IS NULL OR EXISTS (SELECT 1 FROM jobs AS p "
               "WHERE p.id = j.depends_on AND p.state = 'succeeded'))"]
    params: dict[str, Any] = {}
    if due:
        clauses.append("j.run_at <= :now")
    if kinds is not None:
        clauses.append("j.kind IN (SELECT value FROM json_each(:kinds))")
        params["kinds"] = json.dumps(list(kinds))
    if batch_id is not None:
        clauses.append("j.batch_id = :batch")
        params["batch"] = batch_id
    return " AND ".join(clauses), params


def _dumps(value: Any) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return json.dumps(value, ensure_ascii=False)


def _job(row: sqlite3.Row) -> Job:
    data = dict(row)
    for name in ("payload", "errors", "result", "usage"):
        if data[name] is not None:
            data[name] = json.loads(data[name])
    return Job.model_validate(data)
