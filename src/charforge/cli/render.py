"""The only module that talks to the terminal: data to stdout, notices and errors to stderr.

JSON and YAML leave through `sys.stdout.write`, never `Console.print`, which would wrap long lines
inside strings. `text` is rich on a terminal and the same layout without colour when piped.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:  # documents are pydantic models; importing them here would slow `charforge --help`
    from pydantic import BaseModel

    from charforge.errors import CharforgeError



def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def check_writable(out: Path | None) -> None:
    if out is not None:
        from charforge import files

        files.check_writable(out)


def document(doc: BaseModel, fmt: str, out: Path | None) -> None:
    from rich.markdown import Markdown

    from charforge import files
    from charforge.export import documents as export
    from charforge.export import render

    if fmt == "text" and out is None and sys.stdout.isatty():
        Console(highlight=False).print(Markdown(export.to_markdown(doc, frontmatter=False)))
        return
    text = render(doc, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        files.atomic_write(out, text)
        stderr().print(f"wrote {out}")


def notice(message: str) -> None:
    stderr().print(f"[dim]note:[/dim] {message}")


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
    from rich.table import Table

    grid = Table(*headers)
    for row in rows:
        grid.add_row(*(escape(cell) for cell in row))  # cells are data, never markup
    Console().print(grid)


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
