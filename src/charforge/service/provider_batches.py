"""Provider batch mode: queued jobs handed to Anthropic Message Batches or OpenAI Batch, results reconciled.

A job submitted with `--mode provider` has kind `provider-npc`. A worker claims such jobs (a lease, as for
any job), builds each one's request exactly as a realtime call would, submits them per charforge batch as one
provider batch (custom_id = job id), and only then marks them `submitted` under the provider's batch id. From
there the provider batch id is the fence: any worker, including one restarted after a crash, polls the open
provider batches and completes each job from its result, settled like any answer (no repair round: what is
wrong is replaced deterministically). An errored, expired or cancelled request goes back to the queue to be
submitted again; a crash between the provider accepting a batch and `mark_submitted` only means the jobs are
reaped and submitted once more (results are matched by custom_id, so each job still succeeds once).
Batch usage is billed at half price, and the generation log records it so.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from charforge.errors import CharforgeError
from charforge.models import CharacterSpec
from charforge.store.queue import Job, JobQueue, JobUsage

if TYPE_CHECKING:
    from charforge.providers.batches import BatchItem
    from charforge.service.characters import CharacterService
    from charforge.service.jobs import JobRunner

log = logging.getLogger(__name__)
PROVIDER_NPC = "provider-npc"
BATCH_PRICE = 0.5  # both providers bill batch usage at half the realtime price
MOST_PER_CLAIM = 1_000  # jobs handed to one provider batch at a time (both APIs take far more)


class ProviderBatcher:
    """Submits due provider-mode jobs and reconciles ended provider batches, for one worker."""

    def __init__(self, queue: JobQueue, runner: JobRunner, worker: str, *, batch_id: str | None = None,
                 lease_s: float = 600.0) -> None:
        self.queue, self.runner, self.worker, self.batch_id, self.lease_s = queue, runner, worker, batch_id, lease_s

    def submit_due(self) -> int:
        """Claim due provider-mode jobs and submit them, one provider batch per charforge batch; returns how many."""
        from charforge.providers.batches import batch_api

        claimed = self.queue.claim(self.worker, lease_s=self.lease_s, kinds=[PROVIDER_NPC], batch_id=self.batch_id,
                                   limit=MOST_PER_CLAIM)
        groups: dict[str | None, list[Job]] = defaultdict(list)
        for job in claimed:
            groups[job.batch_id].append(job)
        submitted = 0
        for batch_id, jobs in groups.items():
            service = self.runner.service(batch_id)
            api = batch_api(service.provider)
            try:
                if api is None:
                    raise CharforgeError(f"{service.provider.name} has no batch API")
                items = [(job.id, service.npc_request(_spec(job))) for job in jobs]
                provider_batch = api.submit(items)
            except CharforgeError as exc:
                for job in jobs:
                    self.queue.fail(job.id, self.worker, error=f"{type(exc).__name__}: {exc}",
                                    error_kind=type(exc).__name__, retryable=exc.retryable,
                                    retry_after=getattr(exc, "retry_after", None))
                continue
            submitted += self.queue.mark_submitted([job.id for job in jobs], self.worker, provider_batch)
            log.info("submitted %d job(s) as %s batch %s", len(jobs), service.provider.name, provider_batch)
        return submitted

    def reconcile(self) -> int:
        """Poll every open provider batch; finish the jobs of those that ended. Returns how many jobs ended."""
        from charforge.providers.batches import batch_api

        finished = 0
        for provider_batch in self.queue.open_provider_batches():
            jobs = {job.id: job for job in self.queue.jobs_in_provider_batch(provider_batch)
                    if job.state == "submitted"}
            if not jobs:
                continue
            first = next(iter(jobs.values()))
            if self.batch_id is not None and first.batch_id != self.batch_id:
                continue
            service = self.runner.service(first.batch_id)
            api = batch_api(service.provider)
            if api is None:
                continue
            try:
                if not api.status(provider_batch).ended:
                    continue
                items = list(api.results(provider_batch))
            except CharforgeError as exc:
                log.warning("provider batch %s: %s", provider_batch, exc)
                continue
            for item in items:
                job = jobs.pop(item.custom_id, None)
                if job is not None:
                    finished += self._finish(job, provider_batch, service, item)
            for job in jobs.values():  # never ran: back to the queue, to be submitted again
                finished += self._failed(job, provider_batch, "missing from the provider's results", "expired", True)
        return finished

    def _finish(self, job: Job, provider_batch: str, service: CharacterService, item: BatchItem) -> int:
        from charforge.export.documents import to_data

        if item.reply is None:
            return self._failed(job, provider_batch, item.error or "failed", item.error_kind or "errored",
                                item.retryable)
        try:
            character = service.npc_from_reply(_spec(job), item.reply, price_factor=BATCH_PRICE)
        except CharforgeError as exc:  # an answer that is not the schema: submit it again
            return self._failed(job, provider_batch, f"{type(exc).__name__}: {exc}", type(exc).__name__, True)
        self.runner.flush()
        usage = character.provenance.usage
        done = self.queue.complete_submitted(job.id, provider_batch, result=to_data(character), usage=JobUsage(
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens, cost_usd=usage.cost_usd))
        return int(done)

    def _failed(self, job: Job, provider_batch: str, error: str, kind: str, retryable: bool) -> int:
        from charforge.redact import redact

        state = self.queue.fail_submitted(job.id, provider_batch, error=redact(error), error_kind=kind,
                                          retryable=retryable, retry_after=0 if kind in ("expired", "canceled")
                                          else None)
        return int(state is not None)


def _spec(job: Job) -> CharacterSpec:
    return CharacterSpec.model_validate(job.payload["spec"])
