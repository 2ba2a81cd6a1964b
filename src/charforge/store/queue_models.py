"""What the job queue stores and hands out (store/queue.py): job states, rows read back, and the rows to add.

Kept apart from the queue so code that only shows jobs (`charforge jobs list`) reads the shapes without the SQL.
Times are `db.iso_utc` text, as stored, so comparing them as text compares the times.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # not terminal: claimed again once run_at has passed
    DEAD = "dead"
    CANCELLED = "cancelled"
    SUBMITTED = "submitted"  # inside a provider batch; see mark_submitted


class JobError(BaseModel):
    """One entry of a job's error history: which attempt failed, when and why."""

    attempt: int
    time: str
    kind: str = Field(description="e.g. 'rate_limit', 'timeout', 'ProviderAuthError', 'lease_expired'.")
    message: str
    retry_after: float | None = None


class JobUsage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input_tokens: int = Field(0, ge=0)
    output_tokens: int = Field(0, ge=0)
    cost_usd: float | None = None


class NewJob(BaseModel):
    """One row for `enqueue_all`."""

    model_config = ConfigDict(extra="forbid")

    payload: dict[str, Any]
    kind: str = Field(description="What the worker does with it: 'npc', 'portrait', ...")
    key: str | None = Field(None, description="Idempotency key: a job with a key already taken is not added.")
    priority: int = Field(0, description="Lower runs first.")
    max_attempts: int = Field(5, ge=1)
    run_at: datetime | None = Field(None, description="Not before this time; default now.")
    depends_on: str | None = Field(None, description="Id of a job that must succeed first.")
    depends_on_key: str | None = Field(None, description="The same by key; may name an earlier row of the call.")

    @field_validator("payload", mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


class Job(BaseModel):
    """A `jobs` row read back, JSON columns parsed."""

    id: str
    batch_id: str | None
    kind: str
    state: JobState
    payload: dict[str, Any]
    idempotency_key: str | None
    priority: int
    attempts: int
    max_attempts: int
    run_at: str
    lease_owner: str | None
    lease_expires_at: str | None
    heartbeat_at: str | None
    created_at: str
    updated_at: str
    started_at: str | None = Field(description="Start of the first attempt.")
    finished_at: str | None
    last_error: str | None
    errors: list[JobError]
    result: Any
    usage: JobUsage | None
    provider_batch_id: str | None
    depends_on: str | None


class Enqueued(BaseModel):
    ids: list[str] = Field(description="One per row, in order; the existing job's id where a key was taken.")
    inserted: int


class Batch(BaseModel):
    id: str
    key: str | None
    created_at: str
    spec: dict[str, Any]
    options: dict[str, Any] = Field(description="Defaults for every job of the batch; the worker applies them.")
    total: int
    counts: dict[JobState, int]
