"""Batches: put many characters on the job queue, see how they are doing, write them out.

`submit` expands a batch file and the flags into one `npc` job per character (and a `portrait` job after
each, with --portraits) in one transaction. With a `key`, submitting again adds nothing: the batch and each
job carry idempotency keys, so a script that runs twice does not make its town twice.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from charforge.errors import UsageError
from charforge.service import batch_spec
from charforge.service.jobs import NPC, PORTRAIT, BatchOptions
from charforge.service.provider_batches import PROVIDER_NPC
from charforge.store.queue import Batch, JobQueue, JobUsage, NewJob


class Submitted(BaseModel):
    batch_id: str
    created: bool
    jobs: int
    inserted: int
    seed: int
    provider: str
    calls_out: bool = Field(description="False for a local provider: its jobs are CPU work, best spread over "
                            "processes")


class Summary(BaseModel):
    """`--json` of `batch submit --wait` and `jobs list --batch`: where a batch stands."""

    batch_id: str
    total: int
    counts: dict[str, int]
    usage: JobUsage

    @property
    def finished(self) -> bool:
        return not any(self.counts.get(s, 0) for s in ("queued", "running", "failed", "submitted"))

    @property
    def ok(self) -> bool:
        return self.finished and self.counts.get("succeeded", 0) == self.total


def submit(path: Path | None, *, spec_flags: dict[str, Any], options: BatchOptions, count: int | None = None,
           seed: int | None = None, key: str | None = None, db: Path | None = None) -> Submitted:
    """Queue a batch.

    Args:
        path: a batch file (YAML, JSONL or CSV), or None for `count` characters from the flags alone.
        spec_flags: CharacterSpec fields from the command line: the defaults every row starts from.
        options: provider settings and the rest every job of the batch shares.
        key: makes the submission idempotent: the same key again returns the batch it made.

    Raises:
        UsageError: a bad file, row, setting or combination of flags, before anything is queued.
    """
    from charforge import config
    from charforge.providers import choose
    from charforge.registry import registry

    settings = config.resolve(options.settings).settings  # a bad provider or model fails now, not per job
    name, _ = choose(settings)
    entry = registry().text_provider(name)
    if options.mode == "provider" and not entry.capabilities.batch_api:
        raise UsageError(f"--mode provider needs a provider with a batch API; {name} has none",
                         hint="use --provider anthropic or openai, or --mode realtime")
    seed = seed if seed is not None else secrets.randbelow(2**32)
    specs = batch_spec.expand(batch_spec.read(path) if path else None, defaults=spec_flags, count=count, seed=seed)
    rows: list[NewJob] = []
    for index, spec in enumerate(specs):
        npc_key = f"{key}:{index}" if key else None
        kind = PROVIDER_NPC if options.mode == "provider" else NPC
        rows.append(NewJob(kind=kind, key=npc_key, payload={"spec": spec.model_dump(mode="json", by_alias=True),
                                                            "index": index}))
        if options.portraits:
            rows.append(NewJob(kind=PORTRAIT, key=f"{key}:{index}:portrait" if key else None,
                               depends_on_key=npc_key, payload={"index": index}))
    with JobQueue(db) as queue:
        batch_id, created = queue.create_batch(key=key, spec={"file": str(path) if path else None, "seed": seed},
                                               options=options.model_dump(), total=len(specs))
        if not created:  # the key made this batch before: nothing is added, whatever this run asked for
            batch = find(queue, batch_id)
            return Submitted(batch_id=batch_id, created=False, jobs=batch.total, inserted=0,
                             seed=batch.spec.get("seed", seed), provider=name, calls_out=entry.capabilities.network)
        if options.portraits and not key:
            rows = _link_portraits(rows, batch_id)
        enqueued = queue.enqueue_all(rows, batch_id=batch_id)
    return Submitted(batch_id=batch_id, created=created, jobs=len(specs), inserted=enqueued.inserted, seed=seed,
                     provider=name, calls_out=entry.capabilities.network)


HELPERS_FROM = 500  # a local batch this big is worth a worker process per core (each costs ~0.4 s to start)


def helper_processes(submitted: Submitted, concurrency: int) -> int:
    """Worker processes to start beside a `--wait` run: a big batch of local CPU work (the offline generator)
    gets one per extra core, up to `concurrency` in all; threads cannot spread such work over cores."""
    import os

    if submitted.calls_out or submitted.jobs < HELPERS_FROM:
        return 0
    return max(0, min(concurrency, os.cpu_count() or 1) - 1)


def _link_portraits(rows: list[NewJob], batch_id: str) -> list[NewJob]:
    """Without a user key, give each row a key scoped to this (new) batch, so portraits can name their npc."""
    linked = []
    for row in rows:
        index = row.payload["index"]
        own = f"{batch_id}:{index}" + (":portrait" if row.kind == PORTRAIT else "")
        linked.append(row.model_copy(update={"key": own, "depends_on_key": f"{batch_id}:{index}"
                                             if row.kind == PORTRAIT else None}))
    return linked


def summary(batch_id: str, *, db: Path | None = None) -> Summary:
    """Where a batch (id or an unambiguous start of one) stands."""
    with JobQueue(db) as queue:
        return summary_of(queue, find(queue, batch_id).id)


def summary_of(queue: JobQueue, batch_id: str) -> Summary:
    """The same for an exact id on an open queue: what a progress bar asks a few times a second."""
    counts = {str(state): n for state, n in queue.counts(batch_id).items()}
    return Summary(batch_id=batch_id, total=sum(counts.values()), counts=counts, usage=queue.usage_totals(batch_id))


def find(queue: JobQueue, batch_id: str) -> Batch:
    """A batch by id or an unambiguous start of one."""
    found = [b for b in queue.batches() if b.id.lower().startswith(batch_id.strip().lower())] if batch_id else []
    if len(found) != 1:
        problem = "no batch" if not found else f"{len(found)} batches"
        raise UsageError(f"{problem} with id {batch_id!r}", hint="'charforge jobs list' shows batch ids")
    return found[0]


class Exported(BaseModel):
    folder: str
    files: int
    index: str


def export(batch_id: str, *, fmt: str, out: Path, db: Path | None = None, written: bool = False) -> Exported:
    """One file per succeeded character plus `index.json` (see `batch_files`).

    Args:
        written: the workers already wrote each file as its job finished (`batch submit --wait --export`);
            only what is missing is written, then the index.

    Raises:
        UsageError: unknown batch or format, or a folder that cannot be written.
    """
    from charforge.service import batch_files

    entry = batch_files.prepare(fmt, out)
    with JobQueue(db) as queue:
        batch = find(queue, batch_id)
        count = batch_files.write_all(queue, batch.id, entry, out, missing_only=written)
    return Exported(folder=str(out), files=count, index=str(out / batch_files.INDEX))
