"""`charforge worker`: run queued jobs concurrently until told to stop, the queue drains, or a batch ends.

Threads, not asyncio: a job spends its time waiting on a provider (the GIL is released there) or, offline,
about a millisecond computing; the SDKs, the store and the services are synchronous. Each thread has its own
database connection and services. Every process shares the providers' rate limits through the database
(`store.limits`), and a `Gate` narrows this process's concurrency when a provider pushes back (halved on
429/overload, widened by one after 20 successes).

Stopping: `stop()` (the first SIGINT/SIGTERM) stops claiming and gives in-flight jobs `grace` seconds to
finish; whatever is still running then is released, its attempt given back. `abort()` (the second signal)
releases at once. Either way no job is left `running` by a worker that exited cleanly, and one that was
killed is reaped when its lease expires.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from charforge.errors import CharforgeError
from charforge.service.jobs import NPC, PORTRAIT, JobRunner
from charforge.store.queue import Job, JobQueue, JobState, new_worker_id

log = logging.getLogger(__name__)
LEASE_S = 60.0
POLL_S = 30.0  # provider batches take minutes to hours; their docs poll every minute
REALTIME = (NPC, PORTRAIT)  # what the worker threads claim; provider-mode jobs go to the batcher
LOCAL_CHUNK = 64  # jobs claimed (and committed) together when the provider computes locally in a millisecond
THROTTLED = {429, 529}


class Gate:
    """A semaphore whose width adapts: halve on a throttle, +1 after `grow_after` successes, within [1, most]."""

    def __init__(self, most: int, *, grow_after: int = 20) -> None:
        self.most, self.width, self.grow_after = most, most, grow_after
        self._busy, self._streak = 0, 0
        self._cond = threading.Condition()

    def enter(self, stop: threading.Event) -> bool:
        with self._cond:
            while self._busy >= self.width and not stop.is_set():
                self._cond.wait(0.2)
            if stop.is_set():
                return False
            self._busy += 1
            return True

    def leave(self, *, throttled: bool = False, succeeded: bool = False) -> None:
        with self._cond:
            self._busy -= 1
            if throttled:
                self.width, self._streak = max(1, self.width // 2), 0
                log.info("provider pushed back: concurrency now %d", self.width)
            elif succeeded:
                self._streak += 1
                if self._streak >= self.grow_after and self.width < self.most:
                    self.width, self._streak = self.width + 1, 0
            self._cond.notify_all()


@dataclass
class Tally:
    """What this worker did, for its summary line."""

    succeeded: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, what: str) -> None:
        with self.lock:
            setattr(self, what, getattr(self, what) + 1)


class Worker:
    """Claims and runs jobs from one database.

    Args:
        path: the database (default: charforge.db in the data dir).
        concurrency: most jobs in flight at once in this process.
        batch_id: only this batch's jobs.
        lease_s: how long a claim lasts without a heartbeat (heartbeats come every third of it).
        poll_s: how often open provider batches are polled (`--mode provider`).
        helpers: worker processes to start beside this one (`charforge worker --drain` on the default
            database): local jobs are CPU work, which threads cannot spread over cores.
    """

    def __init__(self, *, path: Path | None = None, concurrency: int = 4, batch_id: str | None = None,
                 lease_s: float = LEASE_S, helpers: int = 0, poll_s: float = POLL_S) -> None:
        self.path, self.batch_id, self.lease_s, self.poll_s = path, batch_id, lease_s, poll_s
        self.id = new_worker_id()
        self.gate = Gate(concurrency)
        self.concurrency = concurrency
        self.tally = Tally()
        self.stopping = threading.Event()  # stop claiming
        self.aborted = threading.Event()  # release in-flight jobs now
        self._inflight: dict[str, Job] = {}
        self._stop_requests = 0
        self._helpers = helpers
        self._processes: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()

    # -- control -------------------------------------------------------------------------------------------

    def request_stop(self) -> None:
        """What a signal handler calls: it only counts (setting an Event there could deadlock on the Event's
        own lock); the main loop acts on it within 0.2 s: the first request stops, the second aborts."""
        self._stop_requests += 1

    def _heed_requests(self) -> None:
        if self._stop_requests >= 2 and not self.aborted.is_set():
            self.abort()
        elif self._stop_requests >= 1 and not self.stopping.is_set():
            self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._wake.set()
        self._signal_helpers()

    def abort(self) -> None:
        self.stopping.set()
        self.aborted.set()
        self._wake.set()
        self._signal_helpers()

    def _signal_helpers(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # they stop as this worker does: gracefully, then at once

    def _start_helpers(self) -> None:
        command = [sys.executable, "-m", "charforge", "-q", "worker", "--drain", "--concurrency", "1"]
        if self.batch_id:
            command += ["--batch", self.batch_id]
        self._processes = [subprocess.Popen(command, stdin=subprocess.DEVNULL) for _ in range(self._helpers)]

    def _join_helpers(self, grace: float) -> None:
        deadline = time.monotonic() + grace
        for process in self._processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()  # its leases expire and the reaper hands its jobs to another worker
                process.wait()

    def run(self, *, until: str = "stopped", grace: float = 30.0,
            tick: Callable[[JobQueue], None] | None = None) -> Tally:
        """Work until stopped; `until="drained"` also stops when nothing is due and nothing runs here,
        `until="batch"` when the batch has nothing left to do anywhere (other workers included). `tick(queue)`
        is called from this (the calling) thread at most five times a second: the CLI's progress bar."""
        from charforge.providers.resilience import use_limiter_factory
        from charforge.store.db import default_path
        from charforge.store.limits import SharedLimits

        use_limiter_factory(SharedLimits(self.path or default_path()))  # every worker on this file shares limits
        self._start_helpers()
        threads = [threading.Thread(target=self._loop, name=f"charforge-worker-{i}", daemon=True)
                   for i in range(self.concurrency)]
        beat = threading.Thread(target=self._heartbeats, name="charforge-heartbeat", daemon=True)
        batcher = threading.Thread(target=self._provider_batches, name="charforge-provider-batches", daemon=True)
        threads.append(batcher)
        for thread in [*threads, beat]:
            thread.start()
        with JobQueue(self.path) as queue:
            next_reap = 0.0
            while not self.stopping.is_set():
                self._heed_requests()
                looked = time.monotonic()
                if looked >= next_reap:
                    queue.reap()
                    next_reap = looked + min(5.0, self.lease_s / 3)
                if tick is not None:
                    tick(queue)
                if self._finished(queue, until):
                    break
                self._wake.wait(0.2)
                self._wake.clear()
                self.stopping.wait(max(0.0, 0.2 - (time.monotonic() - looked)))  # at most five looks a second
                self._heed_requests()
        self.stopping.set()
        deadline = time.monotonic() + grace
        for thread in threads:
            while thread.is_alive() and not self.aborted.is_set() and time.monotonic() < deadline:
                thread.join(0.1)
                self._heed_requests()
        self._release_inflight()
        self._join_helpers(grace)
        if tick is not None:
            with JobQueue(self.path) as queue:
                tick(queue)
        return self.tally

    def _finished(self, queue: JobQueue, until: str) -> bool:
        if until == "drained":  # nothing due, nothing in flight here, nothing waiting in a provider batch
            due = queue.next_due_at(batch_id=self.batch_id)
            with self._lock:
                idle = not self._inflight
            submitted = queue.counts(self.batch_id).get(JobState.SUBMITTED, 0)
            return idle and not submitted and (due is None or due > queue.now())
        if until == "batch":
            counts = queue.counts(self.batch_id)
            return not any(counts.get(s, 0) for s in (JobState.QUEUED, JobState.FAILED, JobState.RUNNING,
                                                      JobState.SUBMITTED))
        return False

    # -- the threads ---------------------------------------------------------------------------------------

    def _loop(self) -> None:
        with JobQueue(self.path) as queue:
            runner = JobRunner(queue)
            chunk = 1  # jobs per claim: more once the provider turns out to be local (see LOCAL_CHUNK)
            while self.gate.enter(self.stopping):
                throttled = succeeded = False
                try:
                    claimed = queue.claim(self.id, lease_s=self.lease_s, batch_id=self.batch_id, limit=chunk,
                                          kinds=REALTIME)
                    if not claimed:
                        self._idle(queue)
                        continue
                    with self._lock:
                        self._inflight.update({job.id: job for job in claimed})
                    throttled, succeeded = self._work(queue, runner, claimed)
                    chunk = LOCAL_CHUNK if succeeded and not runner.calls_out(claimed[-1].batch_id) else 1
                except Exception:  # a bug, or the database went away: logged, and this thread carries on
                    log.exception("worker thread error; going on")
                    self.stopping.wait(1.0)
                finally:
                    self.gate.leave(throttled=throttled, succeeded=succeeded)
                    self._wake.set()  # the main loop looks again: progress, and whether the work is done

    def _provider_batches(self) -> None:
        """Submit provider-mode jobs as they come due; poll open provider batches every `poll_s`."""
        from charforge.service.provider_batches import ProviderBatcher

        with JobQueue(self.path) as queue:
            batcher = ProviderBatcher(queue, JobRunner(queue), self.id, batch_id=self.batch_id)
            next_poll = 0.0
            while not self.stopping.is_set():
                try:
                    if batcher.submit_due():
                        self._wake.set()
                    if time.monotonic() >= next_poll:
                        next_poll = time.monotonic() + self.poll_s
                        if batcher.reconcile():
                            self._wake.set()
                except Exception:  # a bug: logged; the loop goes on, the jobs' rows say where they are
                    log.exception("provider batch mode failed")
                self.stopping.wait(min(1.0, self.poll_s))

    def _idle(self, queue: JobQueue) -> None:
        due = queue.next_due_at(batch_id=self.batch_id, kinds=REALTIME)
        wait = 0.5 if due is None else max(0.0, min(0.5, (due - queue.now()).total_seconds()))
        self.stopping.wait(wait)

    def _work(self, queue: JobQueue, runner: JobRunner, jobs: list[Job]) -> tuple[bool, bool]:
        """Run claimed jobs in turn, record how each ended; returns (throttled, any succeeded).

        Results are committed together at the end: one transaction for a chunk of fast local jobs.
        """
        done, throttled = [], False
        try:
            for job in jobs:
                if self.aborted.is_set():
                    break  # released already: what is left runs again elsewhere
                try:
                    outcome = runner.run(job)
                except CharforgeError as exc:
                    throttled |= self._failed(queue, job, exc, f"{type(exc).__name__}: {exc}",
                                              retryable=exc.retryable)
                    continue
                except Exception as exc:  # a bug: recorded on the job row, which ends dead; the worker goes on
                    log.exception("job %s failed unexpectedly", job.id)
                    message = f"internal error ({type(exc).__name__}): {exc}"
                    throttled |= self._failed(queue, job, exc, message, retryable=False)
                    continue
                done.append((job.id, outcome.result, outcome.usage))
            runner.flush()  # the chunk's generation-log records, in one transaction
            if done and not self.aborted.is_set():
                held = queue.complete_all(self.id, done)
                for _ in range(held):
                    self.tally.add("succeeded")
                if held < len(done):
                    log.warning("%d job(s): lease lost before they finished; their results are dropped",
                                len(done) - held)
        finally:
            if not self.aborted.is_set():  # after an abort, what was not recorded is handed back by the main thread
                with self._lock:
                    for job in jobs:
                        self._inflight.pop(job.id, None)
        return throttled, bool(done)

    def _failed(self, queue: JobQueue, job: Job, exc: Exception, message: str, *, retryable: bool) -> bool:
        from charforge.redact import redact

        throttled = getattr(exc, "status", None) in THROTTLED
        # Only a provider that said when to come back gets the attempt refunded (the queue's rule); an
        # untimed 429 or an overload backs off and spends it, so a server that stays down ends the job.
        retry_after = getattr(exc, "retry_after", None) if throttled else None
        if self.aborted.is_set():
            return throttled
        state = queue.fail(job.id, self.id, error=redact(message), error_kind=type(exc).__name__,
                           retryable=retryable, retry_after=retry_after)
        log.info("job %s: %s -> %s", job.id, message, state)
        self.tally.add("dead" if state == JobState.DEAD else "retried")
        return throttled

    def _heartbeats(self) -> None:
        with JobQueue(self.path) as queue:
            while not self.aborted.wait(self.lease_s / 3):
                with self._lock:
                    ids = list(self._inflight)
                for job_id in ids:
                    if not queue.heartbeat(job_id, self.id, lease_s=self.lease_s):
                        log.warning("job %s: lease lost (reaped?); another worker may run it", job_id)
                if self.stopping.is_set() and not ids:
                    return

    def _release_inflight(self) -> None:
        with self._lock:
            ids = list(self._inflight)
            self._inflight.clear()
        if not ids:
            return
        with JobQueue(self.path) as queue:
            for job_id in ids:
                if queue.release(job_id, self.id):
                    self.tally.add("released")
        log.info("released %d in-flight job(s) for another run", len(ids))
