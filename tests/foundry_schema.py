"""Check a Foundry VTT export against the fields dnd5e 5.3.3 stores, not against what charforge expects.

Foundry keeps only the fields a data model defines and drops the rest without a warning, so reading back
what charforge wrote proves nothing. These helpers compare the paths a document writes with the snapshot
tests/data/foundry/dnd5e-5.3.3-fields.json (made by scripts/foundry_fields.py from dnd5e's data models,
plus Foundry core's document fields):

- `written_paths(document)`: every path an actor or item writes, dotted, with `[]` for list elements and
  `*` for a free key where dnd5e has one (`system.skills.*.value`, `system.activities.*.type`);
- `unknown_paths(actor)`: the paths dnd5e would drop, each named where it is
  (`items[Longsword].system.damage.base.formula`), checked per document kind: the actor against
  `actor.<type>`, each embedded item against `item.<type>`, each activity and advancement against
  `activity.<type>` and `advancement.<type>`; paths below an "open" path (flags, free-form objects) pass.

An empty list or object counts as written (its own path); a path below an unknown one is not listed again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "data" / "foundry" / "dnd5e-5.3.3-fields.json"
# An actor's items are documents of their own, each checked against its `item.<type>` list.
ACTOR_DISPATCH = {"items[]": "item"}


@dataclass(frozen=True)
class Schema:
    """The stored paths of one document kind ("actor.character", "item.weapon", "activity.attack")."""

    kind: str
    paths: frozenset[str]
    open: re.Pattern | None  # matches a path at or below an open one
    dispatch: dict[str, str]  # path -> kind of the typed documents stored there

    def is_open(self, path: str) -> bool:
        return bool(self.open and self.open.match(path))

    def allows(self, path: str) -> bool:
        return path in self.paths or self.is_open(path)


@dataclass(frozen=True)
class Found:
    """One path a document writes, relative to its (sub)document; `prefix` and `label` lead to that."""

    prefix: str  # normalized path of the sub-document in the top one ("items[]." ...), "" for the top one
    label: str  # readable location of the sub-document ("items[Longsword]." ...)
    path: str  # normalized: "*" where dnd5e has free keys
    raw: str  # as written, with "[]" for list elements
    known: bool


@cache
def snapshot() -> dict:
    """The committed snapshot of dnd5e's stored field paths."""
    return json.loads(SNAPSHOT.read_text())


@cache
def schema_for(kind: str) -> Schema | None:
    """The schema of `kind` ("item.weapon"), with Foundry core's fields for actors and items; None if unknown."""
    data = snapshot()
    if kind not in data:
        return None
    base = kind.split(".")[0]
    parts = [kind, f"core.{base}"] if base in ("actor", "item") else [kind]
    paths = frozenset(p for part in parts for p in data.get(part, ()))
    open_paths = [p for part in parts for p in data["open"].get(part, ())]
    dispatch = dict(data["dispatch"]) if base == "item" else {}
    if base == "actor":
        dispatch.update(ACTOR_DISPATCH)
    return Schema(kind, paths, _open_pattern(open_paths), dispatch)


def _open_pattern(paths: list[str]) -> re.Pattern | None:
    if not paths:
        return None
    alternatives = (re.escape(p).replace(r"\*", r"[^.\[\]]+") for p in sorted(paths))
    return re.compile(rf"(?:{'|'.join(alternatives)})(?:$|[.\[])")


def document_kind(document: dict) -> str:
    """ "item.<type>" when dnd5e has such an item type, else "actor.<type>"."""
    doc_type = document.get("type")
    return f"item.{doc_type}" if f"item.{doc_type}" in snapshot() else f"actor.{doc_type}"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _child(schema: Schema, path: str, key: str, free: bool) -> tuple[str, bool]:
    """The normalized path of `key` under `path`, and whether anything below it is kept."""
    exact = _join(path, key)
    if free:
        return exact, True
    if exact in schema.paths:
        return exact, schema.is_open(exact)
    star = _join(path, "*")
    if star in schema.paths:
        return (exact, True) if schema.is_open(star) else (star, False)
    return exact, False


def _scan(value: object, schema: Schema | None, prefix: str, label: str) -> Iterator[Found]:
    """Every path below `value`, a (sub)document of kind `schema` (None: no such kind; only `type` is wrong)."""
    stack: list[tuple[object, str, str, bool]] = [(value, "", "", False)]
    while stack:
        node, path, raw, free = stack.pop()
        if path:
            yield Found(prefix, label, path, raw, schema.allows(path) if schema else path != "type")
        if isinstance(node, dict):
            children = [(v, _join(raw, str(k)), *_child(schema, path, str(k), free)) if schema
                        else (v, _join(raw, str(k)), _join(path, str(k)), False) for k, v in node.items()]
        elif isinstance(node, list):
            children = [(v, f"{raw}[]", f"{path}[]", free) for v in node]
        else:
            continue
        for child, child_raw, child_path, child_free in children:
            kind = None if (schema is None or child_free) else schema.dispatch.get(child_path)
            if kind and isinstance(child, dict):
                yield Found(prefix, label, child_path, child_raw, True)
                yield from _scan_typed(child, kind, child_path, child_raw, prefix, label)
            else:
                stack.append((child, child_path, child_raw, child_free))


def _scan_typed(doc: dict, kind: str, path: str, raw: str, prefix: str, label: str) -> Iterator[Found]:
    """A typed sub-document (an embedded item, an activity, an advancement) at `path`, checked as `kind.<type>`."""
    sub_schema = schema_for(f"{kind}.{doc.get('type')}")
    name = doc.get("name") if kind == "item" else doc.get("type")
    where = path.removesuffix("[]").removesuffix(".*")
    sub_label = f"{label}{where}[{name or raw.rsplit('.', 1)[-1]}]."
    yield from _scan(doc, sub_schema, f"{prefix}{path}.", sub_label)


def written_paths(document: dict) -> set[str]:
    """Every path `document` (an exported actor or item) writes, at every depth.

    Paths are dotted from the document's root; a list element is `[]` and a key where dnd5e stores free
    keys is `*` (below an open path keys stay as written). An actor's items follow `items[].`, an item's
    activities `system.activities.*.`. For example, an exported longsword gives
    `system.damage.base.number` and `system.activities.*.attack.ability`, and a character
    `system.skills.*.value` and `items[].system.equipped`.
    """
    schema = schema_for(document_kind(document))
    return {f"{found.prefix}{found.path}" for found in _scan(document, schema, "", "")}


def unknown_paths(actor: dict) -> list[str]:
    """The paths of `actor` (or of a single item) that dnd5e 5.3.3 does not store, sorted.

    Each is named where it is: `system.spells.pact.level` on the actor,
    `items[Longsword].system.damage.base.formula` on an item,
    `items[Longsword].system.activities[attack].foo` in an activity; an item, activity or advancement
    whose type dnd5e lacks is reported as `...[name].type`. Only the topmost unknown path of a branch
    is listed.
    """
    schema = schema_for(document_kind(actor))
    unknown = [f for f in _scan(actor, schema, "", "") if not f.known]
    where = {(f.label, f.path) for f in unknown}
    return sorted({f"{f.label}{f.raw}" for f in unknown if (f.label, _parent(f.path)) not in where})


def _parent(path: str) -> str:
    """ "a.b[]" -> "a.b", "a.b" -> "a", "a" -> "" ."""
    return re.sub(r"(?:^|\.)[^.\[\]]*$|\[\]$", "", path)
