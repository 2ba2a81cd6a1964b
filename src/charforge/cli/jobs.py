"""`charforge jobs`: list, inspect, retry, cancel, export and prune queued jobs and their batches."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from charforge.cli import render
from charforge.cli.options import JsonOpt

app = typer.Typer(no_args_is_help=True)

BatchOpt = Annotated[str | None, typer.Option("--batch", help="A batch id (or the start of one).")]
StateOpt = Annotated[str | None, typer.Option("--state", help="queued, running, succeeded, failed, dead, "
                                              "cancelled or submitted.")]


def _write_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.command("list")
def list_command(batch: BatchOpt = None, state: StateOpt = None,
                 limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many.")] = 50,
                 json_: JsonOpt = False) -> None:
    """List jobs, oldest first; without --batch and --state, list the batches with their counts.

    With --json: a list of job objects as 'jobs show --json' prints them (without results), or of batches.
    """
    from charforge.service import queue_admin

    if batch is None and state is None:
        found = queue_admin.batches()
        if json_:
            _write_json([b.model_dump(mode="json") for b in found])
            return
        columns = ("succeeded", "running", "submitted", "queued", "failed", "dead", "cancelled")
        render.table([(b.id, b.created_at[:19].replace("T", " "), str(b.total),
                       *(str(b.counts.get(s, 0)) for s in columns)) for b in found],
                     ("batch", "created (UTC)", "total", "succeeded", "running", "submitted", "queued", "retrying",
                      "dead", "cancelled"))
        return
    jobs = queue_admin.jobs(batch=batch, state=state, limit=limit)
    if json_:
        _write_json([j.model_dump(mode="json", exclude={"result"}) for j in jobs])
        return
    render.table([(j.id, j.kind, j.state, f"{j.attempts}/{j.max_attempts}", j.batch_id or "-",
                   " ".join((j.last_error or "").split())[:60]) for j in jobs],
                 ("job", "kind", "state", "attempts", "batch", "last error"))


@app.command("show")
def show_command(id_: Annotated[str, typer.Argument(metavar="ID", help="A job id, or the start of one.")],
                 json_: JsonOpt = False) -> None:
    """Show one job: its state, attempts, error history and result."""
    from charforge.service import queue_admin

    job = queue_admin.job(id_)
    if json_:
        _write_json(job.model_dump(mode="json"))
        return
    fields = job.model_dump(mode="json", exclude={"payload", "result", "errors"})
    render.table([(k, "-" if v is None else str(v)) for k, v in fields.items()], ("field", "value"))
    for error in job.errors:
        sys.stdout.write(f"attempt {error.attempt} at {error.time}: {error.kind}: {error.message}\n")
    sys.stdout.write(f"\npayload:\n{json.dumps(job.payload, indent=2)}\n")
    if job.result is not None:
        sys.stdout.write(f"\nresult:\n{json.dumps(job.result, indent=2, ensure_ascii=False)}\n")


@app.command("retry")
def retry_command(id_: Annotated[str | None, typer.Argument(metavar="[ID]", help="A job id.")] = None,
                  batch: BatchOpt = None, state: StateOpt = None) -> None:
    """Queue dead (or failed, cancelled) jobs again, their attempts reset; a worker picks them up."""
    from charforge.service import queue_admin

    count = queue_admin.retry(job=id_, batch=batch, state=state)
    render.notice(f"{count} job(s) queued again")
    sys.stdout.write(f"{count}\n")


@app.command("cancel")
def cancel_command(id_: Annotated[str | None, typer.Argument(metavar="[ID]", help="A job id.")] = None,
                   batch: BatchOpt = None) -> None:
    """Cancel queued and retrying jobs (running ones finish); their portraits are cancelled with them."""
    from charforge.service import queue_admin

    count = queue_admin.cancel(job=id_, batch=batch)
    render.notice(f"{count} job(s) cancelled")
    sys.stdout.write(f"{count}\n")


@app.command("export")
def export_command(
    batch: Annotated[str, typer.Option("--batch", help="The batch to export.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files (created if missing).",
                                      file_okay=False)],
    format: Annotated[str, typer.Option("--format", "-f", help="json, jsonl, yaml, markdown, text, foundry, or a "
                                        "plugin's format.")] = "json",
    json_: JsonOpt = False,
) -> None:
    """Write each succeeded character of a batch to its own file, plus index.json (jsonl: one file)."""
    from charforge.service import batches

    exported = batches.export(batch, fmt=format, out=out)
    if json_:
        _write_json(exported.model_dump())
    else:
        render.notice(f"wrote {exported.files} character(s) to {exported.folder}")
        sys.stdout.write(f"{exported.index}\n")


@app.command("prune")
def prune_command(
    older_than: Annotated[str, typer.Option("--older-than", help="Age of finished jobs to delete, e.g. 7d, 12h, "
                                            "30m.")],
) -> None:
    """Delete succeeded, dead and cancelled jobs that finished longer ago than --older-than."""
    from charforge.service import queue_admin

    count = queue_admin.prune(older_than)
    render.notice(f"{count} finished job(s) deleted")
    sys.stdout.write(f"{count}\n")
