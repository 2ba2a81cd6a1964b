"""A batch's characters as files: `<name-slug>-<short job id>.<ext>` each, and `index.json` listing them.

Every file is written to a temporary sibling and renamed, so a reader never sees half of one; the index
comes last, so whoever finds it finds every file it lists. A job that runs twice (a worker was killed)
writes the same name again: the folder holds each character once. Formats that join (JSON Lines) are one
file written at the end.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from charforge import files
from charforge.errors import UsageError
from charforge.export import check_format, render
from charforge.models import Character
from charforge.registry import ExporterEntry, registry
from charforge.rules.identity import slug
from charforge.service.jobs import NPC
from charforge.service.provider_batches import PROVIDER_NPC
from charforge.store.queue import JobQueue, JobState

if TYPE_CHECKING:
    from charforge.store.queue import Job

INDEX = "index.json"


def prepare(fmt: str, out: Path) -> ExporterEntry:
    """The format's entry, with the folder made and proven writable before any work."""
    entry = registry().exporter(fmt)
    check_format(entry.name, "character")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is not a folder", hint="give a folder; it is created when missing")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {out}: {exc.strerror}", hint="choose a folder you can write to") from None
    files.check_writable(out / INDEX)
    return entry


def file_name(name: str, job_id: str, entry: ExporterEntry) -> str:
    """`<name-slug>-<last 8 of the job id>.<ext>`, or the one joined file of a format that joins."""
    if entry.joins:
        return f"characters{entry.extension}"
    return f"{slug(name) or 'character'}-{job_id[-8:].lower()}{entry.extension}"


def write_one(character: Character, job_id: str, entry: ExporterEntry, out: Path) -> str:
    """One character's file (a worker calls this as each job finishes); returns its name."""
    name = file_name(character.name, job_id, entry)
    files.atomic_write(out / name, render(character, entry.name), sync=False, checked=True)
    return name


def write_all(queue: JobQueue, batch_id: str, entry: ExporterEntry, out: Path, *, missing_only: bool = False) -> int:
    """Every succeeded character's file (or only those not there yet), then the index; returns how many.

    The index is written as the jobs are read, a page at a time, so memory stays flat for any batch size.
    """
    joined = out / f"characters{entry.extension}"
    tmp = joined.with_name(f".{joined.name}.tmp")
    handle = tmp.open("w", encoding="utf-8") if entry.joins else None
    index_tmp = out / f".{INDEX}.{os.getpid()}.tmp"
    count = 0
    try:
        with index_tmp.open("w", encoding="utf-8") as index:
            index.write(f'{{\n  "batch": {json.dumps(batch_id)},\n  "format": {json.dumps(entry.name)},\n'
                        f'  "characters": [')
            for job in _characters(queue, batch_id):
                name = _write(job, entry, out, handle, missing_only=missing_only)
                listed = json.dumps(_entry(job, name), indent=2, ensure_ascii=False).replace("\n", "\n    ")
                index.write(("," if count else "") + "\n    " + listed)
                count += 1
            index.write("\n  ]\n}\n" if count else "]\n}\n")
        index_tmp.replace(out / INDEX)  # last: whoever finds the index finds every file it lists
    finally:
        index_tmp.unlink(missing_ok=True)
        if handle is not None:
            handle.close()
            tmp.replace(joined)
    return count


def _write(job: Job, entry: ExporterEntry, out: Path, handle: TextIO | None, *, missing_only: bool) -> str:
    """The job's character written out (unless already there); returns its file's name."""
    result = job.result
    name = file_name(result["name"], job.id, entry)
    if handle is None and missing_only and (out / name).exists():
        return name  # a worker wrote it as the job finished
    character = Character.model_validate(result)
    if handle is not None:
        handle.write(render(character, entry.name))
    else:
        write_one(character, job.id, entry, out)
    return name


def _characters(queue: JobQueue, batch_id: str) -> Iterator[Job]:
    """The batch's succeeded character jobs, realtime or through a provider batch, in submission order."""
    for kind in (NPC, PROVIDER_NPC):
        yield from queue.each_job(batch_id=batch_id, kind=kind, state=JobState.SUCCEEDED)


def _entry(job: Job, name: str) -> dict[str, object]:
    """One line of the index, read from the stored result (the contract's field names)."""
    result = job.result
    return {"job": job.id, "file": name, "name": result["name"], "class": result["class"],
            "level": result["level"], "ancestry": result["ancestry"], "seed": result["provenance"]["seed"],
            "portrait": (result.get("portrait") or {}).get("image")}
