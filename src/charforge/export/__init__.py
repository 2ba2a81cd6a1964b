"""Documents to files. Every format is registered (`charforge.registry`) and is a pure function of a document,
so the same character always exports to the same bytes. Most formats are text; a binary one (PDF) says so in
its entry (`binary`), and its bytes are written as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from charforge.errors import UsageError
from charforge.registry import registry

if TYPE_CHECKING:
    from pydantic import BaseModel


def render(document: BaseModel, fmt: str) -> str | bytes:
    """`document` in format `fmt`: text, or bytes for a format whose entry is `binary`.

    Raises:
        UsageError: no such format, or the format does not take this kind of document.
        ConfigError: the format needs an optional library that is not installed (its entry's `check`).
    """
    check_format(fmt, getattr(document, "kind", ""))
    return registry().exporter(fmt).load()(document)


def check_format(fmt: str, kind: str) -> None:
    """Fail before any work when `fmt` cannot export a `kind` document, or cannot be made on this machine."""
    entry = registry().exporter(fmt)
    if entry.kinds and kind not in entry.kinds:
        raise UsageError(f"--format {entry.name} exports {' and '.join(entry.kinds)} documents, not {kind}",
                         hint="use it with 'charforge npc'" if "character" in entry.kinds else "choose another format")
    entry.ready()
