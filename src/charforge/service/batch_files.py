"""A batch's characters as files: `<name-slug>-<short job id>.<ext>` each, and `index.json` listing them.

Every file is written to a temporary sibling and renamed, so a reader never sees half of one; the index
comes last, so whoever finds it finds every file it lists. A job that runs twice (a worker was killed)
writes the same name again: the folder holds each character once. Formats that join (JSON Lines) are one
file written at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from charforge import files
from charforge.errors import UsageError
from charforge.export import check_format, render
from charforge.models import Character
from charforge.registry import ExporterEntry, registry
from charforge.rules.identity import slug
from charforge.store.queue import JobQueue, JobState

if TYPE_CHECKING:
    from charforge.store.queue import Job

INDEX = "index.json"
NPC, PROVIDER_NPC = "npc", "provider-npc"


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


def file_name(character: Character, job_id: str, entry: ExporterEntry) -> str:
    if entry.joins:
        return f"characters{entry.extension}"
    return f"{slug(character.name) or 'character'}-{job_id[-8:].lower()}{entry.extension}"


def write_one(character: Character, job_id: str, entry: ExporterEntry, out: Path) -> str:
    """One character's file (a worker calls this as each job finishes); returns its name."""
    name = file_name(character, job_id, entry)
    files.atomic_write(out / name, render(character, entry.name), sync=False, checked=True)
    return name


def write_all(queue: JobQueue, batch_id: str, entry: ExporterEntry, out: Path, *, missing_only: bool = False) -> int:
    """Every succeeded character's file (or only those not there yet), then the index; returns how many."""
    index = []
    joined = out / f"characters{entry.extension}"
    tmp = joined.with_name(f".{joined.name}.tmp")
    handle = tmp.open("w", encoding="utf-8") if entry.joins else None
    try:
        for job in _characters(queue, batch_id):
            character = Character.model_validate(job.result)
            name = file_name(character, job.id, entry)
            if handle is not None:
                handle.write(render(character, entry.name))
            elif not (missing_only and (out / name).exists()):
                write_one(character, job.id, entry, out)
            index.append(_entry(job, character, name))
    finally:
        if handle is not None:
            handle.close()
            tmp.replace(joined)
    files.atomic_write(out / INDEX, json.dumps({"batch": batch_id, "format": entry.name, "characters": index},
                                               indent=2, ensure_ascii=False) + "\n")
    return len(index)


def _characters(queue: JobQueue, batch_id: str) -> Iterator[Job]:
    """The batch's succeeded character jobs, realtime or through a provider batch, in submission order."""
    for kind in (NPC, PROVIDER_NPC):
        yield from queue.each_job(batch_id=batch_id, kind=kind, state=JobState.SUCCEEDED)


def _entry(job: Job, character: Character, name: str) -> dict[str, object]:
    return {"job": job.id, "file": name, "name": character.name, "class": character.class_name,
            "level": character.level, "ancestry": character.ancestry, "seed": character.provenance.seed,
            "portrait": character.portrait.image}
