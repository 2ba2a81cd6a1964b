"""What one queued job does: an `npc` job generates a character, a `portrait` job draws it.

A job's payload holds its own `CharacterSpec`; what every job of its batch shares (provider, model, flags)
is in the batch's options. `JobRunner` keeps one `CharacterService` per batch for the thread that uses it,
so a batch's names stay distinct and its provider is built once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from charforge.errors import UsageError
from charforge.models import Character, CharacterSpec
from charforge.store.queue import Job, JobQueue, JobUsage

log = logging.getLogger(__name__)
NPC, PORTRAIT = "npc", "portrait"


class BatchOptions(BaseModel):
    """What `batch submit` records for every job of a batch (the `batches.options` column)."""

    settings: dict[str, Any] = Field(default_factory=dict, description="Flags for config.resolve: provider, model…")
    images: dict[str, Any] = Field(default_factory=dict, description="Image flags: provider, model, base_url.")
    mode: str = Field("realtime", description="realtime: one call per job; provider: the provider's batch API.")
    portraits: bool = False
    portrait_dir: str | None = None
    export_dir: str | None = Field(None, description="Each character is written here as its job finishes.")
    export_format: str = "json"


@dataclass
class Outcome:
    result: dict[str, Any]
    usage: JobUsage


class JobRunner:
    """Runs jobs for one worker thread; not shared between threads (it holds their services)."""

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue
        self._services: dict[str | None, Any] = {}
        self._options: dict[str | None, BatchOptions] = {}

    def run(self, job: Job) -> Outcome:
        """Do the job.

        Raises:
            CharforgeError: a failure the queue records (retried when `retryable`); anything else is a bug,
                recorded too, and the job ends dead.
        """
        if job.kind == NPC:
            return self._npc(job)
        if job.kind == PORTRAIT:
            return self._portrait(job)
        raise UsageError(f"job {job.id} has unknown kind {job.kind!r}", hint="it was not made by this charforge")

    def options(self, batch_id: str | None) -> BatchOptions:
        if batch_id not in self._options:
            found = next((b for b in self.queue.batches() if b.id == batch_id), None) if batch_id else None
            self._options[batch_id] = BatchOptions.model_validate(found.options if found else {})
        return self._options[batch_id]

    def service(self, batch_id: str | None) -> Any:
        """The batch's CharacterService (built once per thread), its names scoped to the batch."""
        if batch_id not in self._services:
            from charforge import config
            from charforge.service.characters import CharacterService

            settings = config.resolve(self.options(batch_id).settings).settings
            service, _ = CharacterService.from_settings(settings, command="batch", buffered_log=True)
            service.name_scope = f"batch:{batch_id}" if batch_id else None
            self._services[batch_id] = service
        return self._services[batch_id]

    def flush(self) -> None:
        """Write the generation-log records the services held back (one transaction for a chunk of jobs)."""
        for service in self._services.values():
            if service.caller.log is not None:
                service.caller.log.flush()

    def calls_out(self, batch_id: str | None) -> bool:
        """Whether the batch's provider calls a server (else its jobs are a millisecond of local work)."""
        return bool(self.service(batch_id).provider.calls_out)

    def _npc(self, job: Job) -> Outcome:
        from charforge.export.documents import to_data

        spec = CharacterSpec.model_validate(job.payload["spec"])
        service = self.service(job.batch_id)
        character = service.npc(spec)
        service.caller.calls.clear()  # the document holds its usage; 10,000 kept replies would be 50 MB
        options = self.options(job.batch_id)
        if options.export_dir and not options.portraits:  # with portraits, the file waits for the image path
            from charforge.registry import registry
            from charforge.service.batch_files import write_one

            entry = registry().exporter(options.export_format)
            if not entry.joins:
                write_one(character, job.id, entry, Path(options.export_dir))
        usage = character.provenance.usage
        return Outcome(result=to_data(character), usage=JobUsage(
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens, cost_usd=usage.cost_usd))

    def _portrait(self, job: Job) -> Outcome:
        """Draw the character of the job this one depends on, and put the image's path in that job's result."""
        from charforge.service.portraits import portraits_for

        if job.depends_on is None:
            raise UsageError(f"portrait job {job.id} names no character job", hint="it was not made by 'batch submit'")
        parent = self.queue.get(job.depends_on)
        if parent.result is None:
            raise UsageError(f"job {job.id}: its character (job {parent.id}) has no result yet",
                             hint="the queue runs a portrait after its character; retry it")
        character = Character.model_validate(parent.result)
        options = self.options(job.batch_id)
        out_dir = Path(options.portrait_dir) if options.portrait_dir else None
        [saved] = portraits_for(character, flags=options.images, out_dir=out_dir, command="batch")
        self.queue.attach(parent.id, ("portrait", "image"), str(saved.path))
        return Outcome(result={"image": str(saved.path), "character_job": parent.id}, usage=JobUsage())
