"""`charforge batch submit` and `charforge worker`: many characters through the durable job queue."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from charforge.cli import render
from charforge.cli.options import (
    AlignmentOpt,
    AncestryOpt,
    BackgroundOpt,
    BaseUrlOpt,
    ClassOpt,
    ConceptOpt,
    JsonOpt,
    LengthOpt,
    ModelOpt,
    ProviderOpt,
    SettingOpt,
    TimeoutOpt,
)

if TYPE_CHECKING:  # imported for real inside the commands, so `charforge --help` stays fast
    from charforge.service.batches import Submitted, Summary

app = typer.Typer(no_args_is_help=True)
worker_app = typer.Typer()


class Mode(StrEnum):
    REALTIME = "realtime"
    PROVIDER = "provider"


_BATCH = "Batch"
ConcurrencyOpt = Annotated[int, typer.Option("--concurrency", "-c", min=1, max=64,
                                             help="Jobs in flight at once in this process.")]


@app.command("submit")
def submit_command(
    spec: Annotated[Path | None, typer.Argument(help="Batch file: .yaml, .jsonl or .csv (rows and/or a generate "
                                                "block). Omit it to make --count characters from the flags.",
                                                dir_okay=False, show_default=False)] = None,
    count: Annotated[int | None, typer.Option("--count", "-n", min=1, help="How many characters (overrides the "
                                              "file's generate count).", rich_help_panel=_BATCH)] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Batch seed: item i gets a seed derived from it "
                                             "(random if omitted, printed).", rich_help_panel=_BATCH)] = None,
    key: Annotated[str | None, typer.Option("--key", help="Idempotency key: submitting again with it adds nothing.",
                                            rich_help_panel=_BATCH)] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Run a worker here until the batch is done; exit 6 if any job "
                                       "failed.", rich_help_panel=_BATCH)] = False,
    concurrency: ConcurrencyOpt = 4,
    mode: Annotated[Mode, typer.Option("--mode", help="realtime: one call per job; provider: the provider's batch "
                                       "API (half price, results within 24 h).", rich_help_panel=_BATCH)]
    = Mode.REALTIME,
    export_dir: Annotated[Path | None, typer.Option("--export", help="With --wait: write the characters here "
                                                    "(one file each plus index.json).", file_okay=False,
                                                    rich_help_panel=_BATCH)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Format of the --export files.",
                                        rich_help_panel=_BATCH)] = "json",
    portraits: Annotated[bool, typer.Option("--portraits", help="Also draw each character's portrait (image "
                                            "settings from config).", rich_help_panel=_BATCH)] = False,
    ancestry: AncestryOpt = None, class_: ClassOpt = None,
    level: Annotated[int | None, typer.Option("--level", min=1, max=20, help="Character level, 1-20.",
                                              rich_help_panel="Character")] = None,
    alignment: AlignmentOpt = None, background: BackgroundOpt = None, concept: ConceptOpt = None,
    setting: SettingOpt = None, length: LengthOpt = None,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, timeout: TimeoutOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Queue many characters; with --wait, generate them here with a progress bar.

    Flags give every row its defaults; a row's own values win. Item seeds derive from the batch seed, so
    the same file and seed make the same batch. Without --wait, run 'charforge worker' (any number of
    them) to do the work.
    """
    from charforge.service import batches
    from charforge.service.jobs import BatchOptions

    if export_dir is not None and not wait:
        from charforge.errors import UsageError

        raise UsageError("--export needs --wait", hint="or export later: 'charforge jobs export --batch ID'")
    if export_dir is not None:
        from charforge.service.batch_files import prepare

        prepare(format, export_dir)  # an unwritable folder or a bad format fails before anything is queued
    options = BatchOptions(
        settings={k: v for k, v in {"provider": provider, "model": model, "base_url": base_url,
                                    "timeout": timeout}.items() if v is not None},
        mode=mode.value, portraits=portraits, export_format=format,
        export_dir=str(export_dir.resolve()) if export_dir else None)
    spec_flags = {"ancestry": ancestry, "class_name": class_, "level": level, "alignment": alignment,
                  "background": background, "concept": concept, "setting": setting,
                  "length": length and length.value}
    submitted = batches.submit(spec, spec_flags=spec_flags, options=options, count=count, seed=seed, key=key)
    verb = "queued" if submitted.created else "already queued (same --key)"
    render.notice(f"batch {submitted.batch_id}: {submitted.jobs} characters {verb}, seed {submitted.seed}")
    if not wait:
        _print_submitted(submitted, json_)
        return
    summary = run_worker(concurrency=concurrency, batch_id=submitted.batch_id, until="batch",
                         total=submitted.jobs * (2 if portraits else 1),
                         helpers=batches.helper_processes(submitted, concurrency))
    assert summary is not None
    if export_dir is not None:
        exported = batches.export(submitted.batch_id, fmt=format, out=export_dir, written=True)
        render.notice(f"wrote {exported.files} files and index.json to {exported.folder}")
    if json_:
        sys.stdout.write(json.dumps({**submitted.model_dump(), "summary": summary.model_dump()}, indent=2) + "\n")
    else:
        sys.stdout.write(f"{submitted.batch_id}\n")
    _exit_for(summary)


def _print_submitted(submitted: Submitted, json_: bool) -> None:
    sys.stdout.write(submitted.model_dump_json(indent=2) + "\n" if json_ else f"{submitted.batch_id}\n")


@worker_app.command("worker")
def worker_command(
    concurrency: ConcurrencyOpt = 4,
    drain: Annotated[bool, typer.Option("--drain", help="Exit when no job is due.")] = False,
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch's jobs.")] = None,
    lease: Annotated[float, typer.Option("--lease", min=1, help="Seconds a job is held without a heartbeat; a "
                                         "killed worker's jobs run again after this.")] = 60.0,
    poll: Annotated[float, typer.Option("--poll", min=0.05, help="Seconds between polls of open provider "
                                        "batches (--mode provider).")] = 30.0,
) -> None:
    """Run queued jobs until stopped, or with --drain until nothing is due.

    The first Ctrl-C (or SIGTERM) finishes the jobs in flight, the second hands them back at once. Any number
    of workers can share one database, and its rate limits.
    """
    batch_id = None
    if batch:
        from charforge.service import batches

        batch_id = batches.summary(batch).batch_id
    run_worker(concurrency=concurrency, batch_id=batch_id, until="drained" if drain else "stopped", total=None,
               lease_s=lease, poll_s=poll)


def run_worker(*, concurrency: int, batch_id: str | None, until: str, total: int | None,
               helpers: int = 0, lease_s: float = 60.0, poll_s: float = 30.0) -> Summary | None:
    """A worker in this process with signals wired: the first stops claiming, the second releases at once.

    Returns the batch's summary (None without a batch); exits 130 when a signal stopped it.
    """
    import signal
    import time

    from charforge.service import batches
    from charforge.service.worker import Worker

    worker = Worker(concurrency=1 if helpers else concurrency, batch_id=batch_id, helpers=helpers, lease_s=lease_s,
                    poll_s=poll_s)
    presses = {"n": 0}

    def on_signal(signum: int, frame: object) -> None:
        presses["n"] += 1  # only counting here: the worker's main loop acts on it (see Worker.request_stop)
        worker.request_stop()
        if presses["n"] == 1:
            render.signal_notice("stopping: finishing the jobs in flight (up to 30 s); press Ctrl-C again to hand "
                                 "them back now")

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    progress = render.BatchProgress(total) if batch_id and total and render.shows_progress() else None
    started = time.monotonic()
    try:
        worker.run(until=until, tick=(lambda queue: progress.update(batches.summary_of(queue, batch_id)))
                   if progress else None)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if progress:
            progress.close()
    summary = None
    if batch_id is None:
        tally = worker.tally
        render.notice(f"worker: {tally.succeeded} succeeded, {tally.retried} to retry, {tally.dead} dead, "
                      f"{tally.released} handed back")
    else:
        summary = batches.summary(batch_id)
        render.summary_line(summary, time.monotonic() - started)
    if presses["n"]:
        from charforge.errors import ExitCode

        raise typer.Exit(ExitCode.INTERRUPTED)
    return summary


def _exit_for(summary: Summary) -> None:
    from charforge.errors import ExitCode

    if not summary.ok:
        raise typer.Exit(ExitCode.BATCH_FAILED)
