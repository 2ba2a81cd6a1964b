"""The offline story tables: built-in fragments from `charforge/data/offline/stories.json`, plus a setting's own.

A table is a list (`hooks`) or one list of a group (`appearance.hair`, `class_roles.wizard`,
`ideals.good`). A setting file's `fragments` add to the table of that name; they never replace it.
Fragments of the `FILLED` tables are templates whose `{slots}` name the character, their people and
the places of their life; every other table is used as written. The file is read on first use, once
per process, so `charforge --help` never pays for it.
"""

from __future__ import annotations

import json
import re
import string
from functools import cache
from importlib.resources import files

from charforge.errors import UsageError
from charforge.models import SettingCanon

FILLED = ("early_life", "pivotal_moments", "recent_history", "unresolved_mysteries", "bonds", "hooks")
SLOTS = ("name", "family", "their", "Their", "them", "people", "kin", "role", "concept", "faction", "mentor",
         "rival", "object", "deity", "place", "place2")
SLOT_LIKE = re.compile(r"\{[^{}]*\}")


@cache
def stories() -> dict[str, list[str] | dict[str, list[str]]]:
    """The built-in tables: a list of fragments, or a group of lists by key."""
    text = files("charforge.data").joinpath("offline", "stories.json").read_text(encoding="utf-8")
    return json.loads(text)


def table(name: str, canon: SettingCanon | None = None) -> list[str]:
    """The fragments of table `name` ('hooks', 'appearance.hair'), with the setting's own at the end."""
    group, _, key = name.partition(".")
    built = stories()[group]
    fragments = built[key] if isinstance(built, dict) else built
    extra = canon.fragments.get(name) if canon is not None else None
    return [*fragments, *extra] if extra else fragments


def groups(name: str) -> list[str]:
    """The keys of a grouped table ('appearance' -> ['build', 'clothing', ...]), sorted."""
    return sorted(stories()[name])


def table_names() -> list[str]:
    """Every name a setting's `fragments` may use, sorted."""
    return sorted(name if isinstance(value, list) else f"{name}.{key}"
                  for name, value in stories().items() for key in (value if isinstance(value, dict) else [""]))


def check_fragments(fragments: dict[str, list[str]]) -> None:
    """Fail on a table name that does not exist or a fragment that would not read right.

    Raises:
        UsageError: naming `fragments.<table>[i]` (the setting's key) and, in the hint, what is allowed.
    """
    known = table_names()
    for name, texts in fragments.items():
        if name not in known:
            raise UsageError(f"fragments: unknown table {name!r}", hint=f"tables: {_summary(known)}")
        for i, text in enumerate(texts):
            problem, hint = _fragment_problem(name, text)
            if problem:
                raise UsageError(f"fragments.{name}[{i}]: {problem}", hint=hint)


def _fragment_problem(name: str, text: str) -> tuple[str, str]:
    if not text.strip():
        return "empty fragment", "remove it or write the fragment"
    if name not in FILLED:
        slot = SLOT_LIKE.search(text)
        return (f"{slot.group()} is not filled in {name!r}, only in {', '.join(FILLED)}",
                "write it out in full") if slot else ("", "")
    try:
        fields = [(field, spec, conv) for _, field, spec, conv in string.Formatter().parse(text) if field is not None]
    except ValueError as exc:
        return f"{exc} in {text!r}", "write {{ and }} for a literal brace"
    for field, spec, conversion in fields:
        if field not in SLOTS or spec or conversion:
            shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return f"unknown slot {shown}", "slots: " + ", ".join("{" + s + "}" for s in SLOTS)
    return "", ""


def _summary(names: list[str]) -> str:
    """'bonds, class_roles.<barbarian|bard|...>, ...': every table name, grouped ones folded together."""
    folded: dict[str, list[str]] = {}
    for name in names:
        group, _, key = name.partition(".")
        folded.setdefault(group, []).append(key)
    return ", ".join(f"{group}.<{'|'.join(keys)}>" if keys[0] else group for group, keys in folded.items())
