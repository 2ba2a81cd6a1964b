"""A batch file (YAML, JSONL or CSV) and the command line's flags, turned into one `CharacterSpec` per job.

A batch is explicit rows and/or a generator block. Flags give defaults for every row; a row's own value
wins. Item `i` gets seed `dice.derive(batch_seed, i)` unless the row names its own, and the generator's
choices for item `i` come from a stream of that seed, so the same file and seed give the same batch on
any machine, whatever the worker count.

    # town.yaml
    defaults: {setting: town.yaml, length: quick}       # flags on the command line win over these
    rows:
      - {name: Mayor Hobb, class: paladin, level: 5}    # any CharacterSpec field
    generate:
      count: 200
      class: {fighter: 3, rogue: 2, cleric: 1}           # weights, or a list for equal weights
      level: {1: 5, 2: 3, 3: 1}
      ancestry: [human, hill-dwarf, lightfoot-halfling]
      concept: a townsperson of Varr
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from charforge.errors import UsageError
from charforge.models import CharacterSpec
from charforge.rules.dice import derive
from charforge.validation import first_error

MAX_JOBS = 100_000  # one batch; a provider batch holds 10,000 (Anthropic) to 50,000 (OpenAI) of them
SPEC_FIELDS = tuple(f for f in CharacterSpec.model_fields if f != "seed")
Weights = dict[str, float]


def _weights(value: Any) -> Weights | None:
    """A list means equal weights; a mapping is name -> weight (> 0); a single value is a one-item list."""
    if value is None:
        return None
    if isinstance(value, str | int):
        value = [value]
    if isinstance(value, list):
        value = dict.fromkeys((str(v) for v in value), 1.0)
    if not isinstance(value, dict) or not value:
        raise ValueError("give a list of choices or a mapping of choice: weight")
    weights = {str(k): float(v) for k, v in value.items()}
    if any(w <= 0 for w in weights.values()):
        raise ValueError("weights must be greater than 0")
    return weights


class Generator(BaseModel):
    """`count` characters, each field drawn from its weighted choices (or fixed)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    count: int = Field(ge=1, le=MAX_JOBS)
    class_name: Weights | None = Field(None, alias="class")
    ancestry: Weights | None = None
    level: Weights | None = None
    alignment: Weights | None = None
    background: Weights | None = None
    concept: str | None = None
    setting: str | None = None
    length: str | None = None

    _weighted = field_validator("class_name", "ancestry", "level", "alignment", "background", mode="before")(
        classmethod(lambda cls, v: _weights(v)))

    def draw(self, seed: int) -> dict[str, Any]:
        rng = random.Random(f"charforge:batch-row:{seed}")
        row: dict[str, Any] = {k: v for k in ("concept", "setting", "length") if (v := getattr(self, k)) is not None}
        for key in ("class_name", "ancestry", "level", "alignment", "background"):
            weights = getattr(self, key)
            if weights:
                row[key] = rng.choices(list(weights), list(weights.values()))[0]
        return row


class BatchFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: dict[str, Any] = Field(default_factory=dict, description="Fields every row gets unless it has its own.")
    rows: list[dict[str, Any]] = Field(default_factory=list)
    generate: Generator | None = None
    # Set by `read`: the file's folder. A setting file the batch file names is found there and must stay inside
    # it, so a batch file cannot make charforge read files outside the folder the user gave.
    folder: Path | None = Field(None, exclude=True)


def read(path: Path) -> BatchFile:
    """Parse a batch file by its extension: .yaml/.yml, .jsonl or .csv.

    Raises:
        UsageError: unreadable, malformed, or not a batch (naming the file, and the line where known).
    """
    from charforge.files import read_text

    # "CSV UTF-8" from a spreadsheet starts with a byte-order mark
    text = read_text(path, error=UsageError, hint="give a readable .yaml, .jsonl or .csv batch file",
                     encoding="utf-8-sig")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data = _yaml(path)
    elif suffix == ".jsonl":
        data = _jsonl(path, text)
    elif suffix == ".csv":
        data = _csv(path, text)
    else:
        raise UsageError(f"{path}: unknown batch file type {suffix or '(none)'}", hint="use .yaml, .jsonl or .csv")
    if isinstance(data, list):
        data = {"rows": data}
    if isinstance(data, dict) and "folder" in data:
        raise UsageError(f"{path}: unknown key 'folder'", hint="see 'Batches' in the README for the file's form")
    try:
        return BatchFile.model_validate(data or {}).model_copy(update={"folder": path.resolve().parent})
    except ValidationError as exc:
        raise UsageError(f"{path}: {first_error(exc)}", hint="see 'Batches' in the README for the file's form") \
            from None


def _yaml(path: Path) -> Any:
    from charforge.files import read_yaml

    return read_yaml(path, error=UsageError, hint="fix the batch file's YAML")


def _csv(path: Path, text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        return {"rows": [{k: v for k, v in row.items() if v not in ("", None)} for row in reader]}
    except csv.Error as exc:
        raise UsageError(f"{path}:{reader.line_num}: not valid CSV ({exc})",
                         hint="one header line, then one character per line") from None


def _jsonl(path: Path, text: str) -> dict[str, Any]:
    """One row per line; a line {"generate": {...}} or {"defaults": {...}} sets that block."""
    data: dict[str, Any] = {"rows": []}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON ({exc.msg})", hint="one JSON object per line") from None
        except RecursionError:
            raise UsageError(f"{path}:{number}: refused: nested too deeply", hint="one JSON object per line") \
                from None
        if not isinstance(item, dict):
            raise UsageError(f"{path}:{number}: expected a JSON object", hint="one JSON object per line")
        block = next((k for k in ("generate", "defaults") if set(item) == {k}), None)
        if block:
            data[block] = item[block]
        else:
            data["rows"].append(item)
    return data


def expand(batch: BatchFile | None, *, defaults: dict[str, Any], count: int | None, seed: int,
           ) -> list[CharacterSpec]:
    """Every job's spec, in order: the file's rows, then the generator's (or `count` rows of the flags).

    Args:
        defaults: values from the command line; None values are ignored. The file's `defaults:` wins over them.
        count: how many characters when there is no file or it has no generator; with a generator, overrides
            its count.

    Raises:
        UsageError: a row or the total is not acceptable (naming the row).
    """
    batch = batch or BatchFile()
    from_file = {_field(k): _contained_setting(v, batch.folder) if _field(k) == "setting" else v
                 for k, v in batch.defaults.items()}
    base = {**from_file, **{k: v for k, v in defaults.items() if v is not None}}
    rows: list[dict[str, Any]] = list(batch.rows)
    if batch.generate is not None or count is not None:
        generator = batch.generate or Generator(count=count or 1)
        total = count if count is not None else generator.count
        first = len(rows)
        rows += [generator.draw(derive(seed, first + i)) for i in range(total)]
    if not rows:
        raise UsageError("the batch is empty", hint="give a batch file with rows or a generate block, or --count N")
    if len(rows) > MAX_JOBS:
        raise UsageError(f"{len(rows)} characters in one batch; the most is {MAX_JOBS}", hint="split it in two")
    specs: list[CharacterSpec] = []
    canons: dict[str | None, Any] = {}  # a setting file is read once per batch, not once per row
    for index, row in enumerate(rows):
        own = {_field(k): _contained_setting(v, batch.folder) if _field(k) == "setting" else v for k, v in row.items()}
        fields = {**base, **own}
        fields.setdefault("seed", derive(seed, index))
        fields["setting"] = _absolute_setting(fields.get("setting"))
        try:
            spec = CharacterSpec.model_validate(fields)
            _check(spec, canons)
        except ValidationError as exc:
            raise UsageError(f"batch row {index + 1}: {first_error(exc)}",
                             hint=f"fields are: class, {', '.join(f for f in SPEC_FIELDS if f != 'class_name')}, seed"
                             ) from None
        except UsageError as exc:
            raise UsageError(f"batch row {index + 1}: {exc}", hint=exc.hint) from None
        specs.append(spec)
    return specs


def _contained_setting(setting: Any, folder: Path | None) -> Any:
    """A setting file named in a batch file, found relative to that file's folder and refused outside it."""
    from charforge.service.canon import is_file

    if folder is None or not (isinstance(setting, str) and is_file(setting)):
        return setting
    path = (folder / Path(setting).expanduser()).resolve()
    if not path.is_relative_to(folder):
        raise UsageError(f"setting {setting}: outside the batch file's folder {folder}",
                         hint="put the setting file next to the batch file, or give it with --setting")
    return str(path)


def _absolute_setting(setting: Any) -> Any:
    """A setting file as an absolute path: a worker started in another folder must find it too."""
    from charforge.service.canon import is_file

    if isinstance(setting, str) and is_file(setting):
        return str(Path(setting).expanduser().resolve())
    return setting


def _check(spec: CharacterSpec, canons: dict[str | None, Any]) -> None:
    """What would fail when the job runs fails now, before anything is queued: names and setting files."""
    from charforge.rules import identity
    from charforge.service.canon import load_canon

    seed = spec.seed or 0
    identity.class_index(spec.class_name, seed)
    identity.alignment_index(spec.alignment)
    if spec.setting not in canons:
        canons[spec.setting] = load_canon(spec.setting)
    canon = canons[spec.setting]
    identity.ancestry_index(spec.ancestry, seed, canon.ancestry_weights if canon else None)


def _field(key: str) -> str:
    return "class_name" if key in ("class", "class_name") else key
