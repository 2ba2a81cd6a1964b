"""Find SRD spells and items by what a person or a model wrote: index, exact name, or a near miss."""

from __future__ import annotations

import difflib
import re
from functools import cache

from charforge.rules.pack import load

NEAR_MISS_CUTOFF = 0.8  # "Sheild", "Lihgt" and "Magic Misile" match; "Heal" does not match "Heat Metal"


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@cache
def _names(table: str) -> dict[str, str]:
    entries = getattr(load(), table)
    names = {normalise(info.name): index for index, info in entries.items()}
    names.update({normalise(index): index for index in entries})
    return names


@cache  # a pure function of the pack, which never changes in a process
def _exact(table: str) -> dict[str, str]:
    """Each name and index exactly as the pack writes it -> what `_find` reads it as (skipping `normalise`: the
    sheet and the audit look up thousands of names a batch, nearly all written so)."""
    entries, names = getattr(load(), table), _names(table)
    return {text: names[normalise(text)] for index, info in entries.items() for text in (info.name, index)}


def _find(table: str, text: str) -> tuple[str | None, bool]:
    if (index := _exact(table).get(text)) is not None:
        return index, False
    names = _names(table)
    key = normalise(text)
    if key in names:
        return names[key], False
    close = difflib.get_close_matches(key, names, n=1, cutoff=NEAR_MISS_CUTOFF)
    return (names[close[0]], True) if close else (None, False)


def find_spell(text: str) -> tuple[str | None, bool]:
    """(spell index, whether it was a near miss), or (None, False) when nothing is close."""
    return _find("spells", text)


def find_item(text: str) -> tuple[str | None, bool]:
    """(item index, whether it was a near miss), or (None, False) when nothing is close."""
    return _find("equipment", text)
