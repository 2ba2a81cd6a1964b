"""The only module that talks to the terminal: data to stdout, notices and errors to stderr.

JSON and YAML leave through `sys.stdout.write`, never `Console.print`, which would wrap long lines
inside strings. `text` is rich on a terminal and the same layout without colour when piped.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from rich.control import Control, ControlType
from rich.markup import escape

if TYPE_CHECKING:  # documents are pydantic models; importing them here would slow `charforge --help`
    from pydantic import BaseModel
    from rich.table import Table

    from charforge.errors import CharforgeError
    from charforge.service.hooks import RetryEvent



QUIET = {"on": False}  # -q: notices and progress are silenced; errors still print
VERBOSE = {"level": 0}  # -v: retries are shown by the log lines, so no status line competes with them
_ERASE_LINE = Control((ControlType.CARRIAGE_RETURN,), (ControlType.ERASE_IN_LINE, 2))  # back to column 0, blank it


def shows_progress() -> bool:
    return not QUIET["on"]


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def check_writable(out: Path | None, *, fmt: str | None = None) -> None:
    """Fail before any work when the output cannot go where it was sent: an unwritable `--out`, or a binary
    format (PDF) bound for a terminal."""
    if out is not None:
        from charforge import files

        files.check_writable(out)
    elif fmt is not None and sys.stdout.isatty():
        from charforge.registry import registry

        if registry().exporter(fmt).binary:
            _refuse_terminal(fmt)


def _refuse_terminal(fmt: str) -> None:
    from charforge.errors import UsageError
    from charforge.registry import registry

    entry = registry().exporter(fmt)
    raise UsageError(f"--format {entry.name} is a binary file; it is not written to a terminal",
                     hint=f"add -o character{entry.extension}, or redirect stdout: > character{entry.extension}")


def document(doc: BaseModel, fmt: str, out: Path | None) -> None:
    from charforge import files
    from charforge.export import render

    if fmt == "text" and out is None and sys.stdout.isatty():
        from rich.markdown import Markdown  # only here: JSON and YAML output need no Markdown parser

        from charforge.export import documents as export

        Console(highlight=False).print(Markdown(export.to_markdown(doc, frontmatter=False)))
        return
    text = render(doc, fmt)
    if out is None and isinstance(text, bytes):  # a binary format (PDF): as it is, and never onto a terminal
        if sys.stdout.isatty():
            _refuse_terminal(fmt)
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    elif out is None:
        sys.stdout.write(text)
    else:
        files.atomic_write(out, text)
        if not QUIET["on"]:
            stderr().print(f"wrote {out}")




def confirm(question: str) -> bool:
    """Ask on stderr (stdout carries only data); anything but y/yes, and EOF, is no."""
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        sys.stderr.write("\n")
    return answer.strip().lower() in ("y", "yes")


def left_as_it_is(what: str) -> None:
    stderr().print(f"{escape(what)}: left as it is", soft_wrap=True, highlight=False)


def notice(message: str) -> None:
    if not QUIET["on"]:
        stderr().print(f"[dim]note:[/dim] {escape(message)}", soft_wrap=True)


def signal_notice(message: str) -> None:
    """A notice from a signal handler: one raw write, no console and no lock that the interrupted code may hold."""
    if not QUIET["on"]:
        import os

        os.write(2, f"note: {message}\n".encode(errors="replace"))


class RetryStatus:
    """One transient line on stderr while a provider call is retried, replaced at each retry and erased when
    the call settles (it succeeded, or its error is about to be printed).

    It is a `providers.resilience.RetryObserver`; the CLI installs it through `service.hooks` only when stderr
    is a terminal (`retry_status`). Given a `file` (tests: a StringIO), it writes there as a terminal would.
    """

    def __init__(self, file: IO[str] | None = None, *, width: int = 100) -> None:
        import threading

        self.console = stderr() if file is None else Console(file=file, force_terminal=True, width=width,
                                                              color_system=None, highlight=False)
        self._shown = False
        self._lock = threading.Lock()

    def retrying(self, event: RetryEvent) -> None:
        from rich.text import Text

        line = (f"{event.provider}: attempt {event.attempt}/{event.max_attempts} failed, "
                f"retrying in {event.wait:.1f}s: {event.reason}")  # the reason last: a narrow terminal cuts it
        text = Text(line, style="dim", no_wrap=True, overflow="ellipsis")
        text.truncate(max(10, self.console.width - 1), overflow="ellipsis")  # one row, or \r cannot erase it
        with self._lock:
            self.console.control(_ERASE_LINE)
            self.console.print(text, end="", soft_wrap=True, highlight=False)
            self._shown = True

    def settled(self) -> None:
        with self._lock:
            if self._shown:
                self.console.control(_ERASE_LINE)
                self._shown = False


def retry_status() -> RetryStatus | None:
    """The retry status line for this run: on a terminal, unless -q or -v; else None (nothing extra)."""
    if QUIET["on"] or VERBOSE["level"] or not sys.stderr.isatty():
        return None
    return RetryStatus()


def error(exc: CharforgeError | str, hint: str = "") -> None:
    console = stderr()
    console.print(f"[bold red]error:[/bold red] {escape(str(exc))}", soft_wrap=True)
    hint = getattr(exc, "hint", "") or hint
    if hint:
        console.print(f"[yellow]hint:[/yellow] {escape(hint)}", soft_wrap=True)


def table(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> None:
    """A rich table on a terminal; tab-separated lines when piped, for scripts."""
    if not sys.stdout.isatty():
        sys.stdout.write("".join("\t".join(row) + "\n" for row in [headers, *rows]))
        return
    from rich import box

    console = Console()
    grid = _grid(rows, headers)
    if console.measure(grid, options=console.options.update_width(10_000)).maximum > console.width:  # narrow: drop
        # the borders and padding before any column has to fold
        grid = _grid(rows, headers, box=box.SIMPLE_HEAD, show_edge=False, padding=0)
    console.print(grid)


def _grid(rows: list[tuple[str, ...]], headers: tuple[str, ...], **style: Any) -> Table:
    """The first column is an id or a name to copy: never cut nor wrapped; the others fold to make room."""
    from rich.table import Table

    grid = Table(**style)
    for i, header in enumerate(headers):
        if i == 0:
            grid.add_column(header, no_wrap=True, min_width=max([len(r[0]) for r in rows] + [len(header)]))
        else:
            grid.add_column(header, overflow="fold")
    for row in rows:
        grid.add_row(*(escape(cell) for cell in row))  # cells are data, never markup
    return grid


def dry_run(plan: BaseModel, fmt: str, out: Path | None) -> None:
    """`--dry-run`: the messages, schema and options that would be sent, as JSON or readable text."""
    import json

    data = plan.model_dump(mode="json")
    if fmt in ("json", "yaml"):
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        use = data["template"]
        text = "\n".join([
            f"# dry run: {data['kind']} via {data['provider']} ({data['model']})",
            f"# template: {use['name']} {use['version']} from {use['source']} ({use['path']}), "
            f"sha256 {use['sha256'][:12]}",
            f"# options: {json.dumps(data['options'])}", "", "## system", data["system"], "", "## user", data["user"],
            "", "## schema", json.dumps(data["schema"], indent=2), ""])
    if out is None:
        sys.stdout.write(text)
    else:
        from charforge import files

        files.atomic_write(out, text)


class BatchProgress:
    """Progress of a batch on stderr: a live bar on a terminal, a plain line every few seconds when piped.

    `update(summary)` takes a `service.batches.Summary`. Under -q the CLI makes none (see `shows_progress`).
    """

    PLAIN_EVERY = 5.0

    def __init__(self, total: int) -> None:
        import time

        self.total, self.started, self._last_line, self._last_done = total, time.monotonic(), 0.0, -1
        self._live = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._live = Progress(TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                  TextColumn("{task.fields[extra]}"), console=stderr(), transient=False)
            self._task = self._live.add_task("batch", total=total, rate="", extra="")
            self._live.start()

    def update(self, summary: BaseModel) -> None:
        import time

        counts = summary.counts  # type: ignore[attr-defined]
        done = sum(counts.get(s, 0) for s in ("succeeded", "dead", "cancelled"))
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = f"{counts.get('succeeded', 0) / elapsed:.1f}/s"
        usage = summary.usage  # type: ignore[attr-defined]
        cost = f", ~${usage.cost_usd:.4f}" if usage.cost_usd else ""
        extra = (f"{counts.get('dead', 0)} failed, {counts.get('failed', 0)} retrying, "
                 f"{usage.input_tokens + usage.output_tokens} tokens{cost}")
        if self._live is not None:
            self._live.update(self._task, completed=done, rate=rate, extra=extra)
        elif time.monotonic() - self._last_line >= self.PLAIN_EVERY or (done == self.total != self._last_done):
            self._last_line, self._last_done = time.monotonic(), done
            stderr().print(f"batch: {done}/{self.total} done, {rate}, {extra}", soft_wrap=True, highlight=False)

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()


def summary_line(summary: BaseModel, elapsed: float) -> None:
    """The line a batch ends with, on stderr (not under -q: the exit code and --json say it for scripts)."""
    if QUIET["on"]:
        return
    counts = summary.counts  # type: ignore[attr-defined]
    usage = summary.usage  # type: ignore[attr-defined]
    parts = [f"{counts.get('succeeded', 0)} succeeded"] + [f"{counts[s]} {s}" for s in ("dead", "cancelled",
                                                          "queued", "failed", "running", "submitted") if counts.get(s)]
    cost = f", ~${usage.cost_usd:.4f} estimated" if usage.cost_usd else ""
    stderr().print(f"batch {summary.batch_id}: {', '.join(parts)} of {summary.total} in {elapsed:.1f}s "  # type: ignore[attr-defined]
                   f"({usage.input_tokens} tokens in, {usage.output_tokens} out{cost})", soft_wrap=True,
                   highlight=False)
