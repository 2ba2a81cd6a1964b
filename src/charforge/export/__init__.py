"""Documents to files. Every format is registered (`charforge.registry`) and is a pure function of a document,
so the same character always exports to the same bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from charforge.errors import UsageError
from charforge.registry import registry

if TYPE_CHECKING:
    from pydantic import BaseModel


def render(document: BaseModel, fmt: str) -> str:
    """`document` in format `fmt`.

    Raises:
        UsageError: no such format, or the format does not take this kind of document.
    """
    check_format(fmt, getattr(document, "kind", ""))
    return registry().exporter(fmt).load()(document)


def check_format(fmt: str, kind: str) -> None:
    """Fail before any work when `fmt` cannot export a `kind` document."""
    entry = registry().exporter(fmt)
    if entry.kinds and kind not in entry.kinds:
        raise UsageError(f"--format {entry.name} exports {' and '.join(entry.kinds)} documents, not {kind}",
                         hint="use it with 'charforge npc'" if "character" in entry.kinds else "choose another format")
