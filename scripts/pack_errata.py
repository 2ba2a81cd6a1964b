"""The errata layer of the rules-pack build: reviewed corrections to the source data, from scripts/errata.yaml.

Every change names a value in one source file and the value it has there now; `apply_errata` checks them all
before it changes anything, so a source that moved on (fixed upstream, or changed) stops the build instead of
being patched blindly. The path grammar is documented at the top of errata.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

ERRATA = Path(__file__).resolve().parent / "errata.yaml"
Source = dict[str, dict[str, dict]]  # folder -> file stem -> parsed JSON (a dict, or a list of rows)


class StaleErratum(Exception):
    """An erratum no longer matches the source: the source changed, so the erratum needs review."""


def load_errata(path: Path = ERRATA) -> list[dict]:
    entries = yaml.safe_load(path.read_text())
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        raise StaleErratum(f"{path.name}: duplicate ids in {ids}")
    for entry in entries:
        missing = {"id", "rule", "note", "changes"} - set(entry)
        if missing or not entry["changes"]:
            raise StaleErratum(f"{path.name}: entry {entry.get('id')} lacks {sorted(missing) or ['changes']}")
    return entries


def apply_errata(source: Source, entries: list[dict]) -> list[str]:
    """Correct `source` in place; returns the ids applied. Checks every change before making any."""
    for entry in entries:
        for change in entry["changes"]:
            get, _ = _locate(source, entry["id"], change)
            if get() != change.get("source"):
                raise StaleErratum(
                    f"erratum {entry['id']}: {_where(change)} is {get()!r} in the source, the erratum expects "
                    f"{change.get('source')!r}: the source changed, review the erratum in scripts/errata.yaml")
    drops = []
    for entry in entries:
        for change in entry["changes"]:
            if change.get("drop"):
                drops.append(change["file"].removesuffix(".json").partition("/")[::2])
            else:
                _, put = _locate(source, entry["id"], change)
                put(change["corrected"])
    for folder, name in drops:
        del source[folder][name]
    return [entry["id"] for entry in entries]


PATH_PART = re.compile(r"^([\w-]+)(?:\[(\d*|\+)\])?$")


def _locate(source: Source, erratum: str, change: dict) -> tuple[Callable, Callable]:
    """A getter and a setter for the field a change names (see the grammar in scripts/errata.yaml)."""
    folder, _, name = change["file"].removesuffix(".json").partition("/")
    record = source.get(folder, {}).get(name)
    if record is None:
        raise StaleErratum(f"erratum {erratum}: no {change['file']} in the source")
    if "row" in change:
        rows = [r for r in record if r.get("index") == change["row"]]
        if len(rows) != 1:
            raise StaleErratum(f"erratum {erratum}: {change['file']} has {len(rows)} rows {change['row']}")
        record = rows[0]
    parts = [PATH_PART.match(p) for p in change["field"].split(".")]
    if not all(parts):
        raise StaleErratum(f"erratum {erratum}: cannot read the path {change['field']!r}")
    try:
        for part in parts[:-1]:
            key, at = part.groups()
            if at == "":  # a projection: `classes[].index` is the list of the indexes of `classes`
                return _projection(source, record, key, part is parts[-2] and parts[-1].group(1), change)
            record = record[key] if at is None else record[key][int(at)]
    except (KeyError, IndexError, TypeError):
        raise StaleErratum(f"erratum {erratum}: no {_where(change)} in the source") from None
    key, at = parts[-1].groups()
    if at == "":
        raise StaleErratum(f"erratum {erratum}: a projection must name a field: {change['field']!r}")
    if at == "+":  # append to a list: absent (None) until the corrected element is there
        items = record.setdefault(key, [])
        return (lambda: change["corrected"] if change["corrected"] in items else None), items.append
    container, slot = (record, key) if at is None else (record.get(key, []), int(at))
    if at is not None and slot >= len(container):
        raise StaleErratum(f"erratum {erratum}: no {_where(change)} in the source")

    def get() -> object:
        return container[slot] if at is not None else container.get(slot)

    def put(value: object) -> None:
        container[slot] = value

    return get, put


def _projection(source: Source, record: dict, key: str | bool, leaf: str | bool,
                change: dict) -> tuple[Callable, Callable]:
    if not leaf:
        raise StaleErratum(f"a projection must end the path: {change['field']!r}")

    def get() -> object:
        return [ref[leaf] for ref in record.get(key, [])]

    def put(value: list[str]) -> None:  # references to classes keep their names; others need only the index
        classes = source.get("classes", {}) if key == "classes" else {}
        record[key] = [{leaf: i, "name": classes[i]["name"], "url": f"/api/classes/{i}"} if i in classes
                       else {leaf: i} for i in value]

    return get, put


def _where(change: dict) -> str:
    row = f" row {change['row']}" if "row" in change else ""
    return f"{change['file']}{row} field {change['field']}"
