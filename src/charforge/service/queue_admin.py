"""The job queue as `charforge jobs` sees it: listings and the changes a user asks for, by id or batch prefix."""

from __future__ import annotations

import re
from datetime import timedelta

from charforge.errors import UsageError
from charforge.service.batches import find
from charforge.store.queue import Batch, Job, JobQueue, JobState

STATES = [s.value for s in JobState]


def batches() -> list[Batch]:
    with JobQueue() as queue:
        return queue.batches()


def jobs(*, batch: str | None = None, state: str | None = None, limit: int = 50) -> list[Job]:
    with JobQueue() as queue:
        batch_id = find(queue, batch).id if batch else None
        return queue.jobs_where(batch_id=batch_id, state=_state(state), limit=limit)


def job(job_id: str) -> Job:
    with JobQueue() as queue:
        return queue.get(job_id)


def retry(*, job: str | None = None, batch: str | None = None, state: str | None = None) -> int:
    if job is None and batch is None and state is None:
        raise UsageError("nothing to retry", hint="give a job id, --batch ID, or --state dead")
    with JobQueue() as queue:
        job_id = queue.get(job).id if job else None
        batch_id = find(queue, batch).id if batch else None
        return queue.retry(job_id=job_id, batch_id=batch_id, state=_state(state))


def cancel(*, job: str | None = None, batch: str | None = None) -> int:
    with JobQueue() as queue:
        job_id = queue.get(job).id if job else None
        batch_id = find(queue, batch).id if batch else None
        return queue.cancel(job_id=job_id, batch_id=batch_id)


def prune(older_than: str) -> int:
    with JobQueue() as queue:
        return queue.prune(older_than=parse_age(older_than))


def parse_age(text: str) -> timedelta:
    """'7d', '12h', '30m', '90s' (or a combination, '1d12h') as a timedelta."""
    parts = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text.strip().lower())
    if not parts or not any(parts.groups()):
        raise UsageError(f"--older-than {text!r}: not an age", hint="e.g. 7d, 12h, 30m or 1d12h")
    days, hours, minutes, seconds = (int(g or 0) for g in parts.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _state(value: str | None) -> JobState | None:
    if value is None:
        return None
    if value.lower() not in STATES:
        raise UsageError(f"--state {value!r}: no such state", hint=f"choose one of: {', '.join(STATES)}")
    return JobState(value.lower())
