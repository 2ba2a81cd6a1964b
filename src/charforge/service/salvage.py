"""Read as much of a model's answer as it validly holds; complete the rest from a fallback answer.

`read(text, model)` never fails. It finds the JSON object in whatever came back: inside a code fence
or prose, with trailing commas, followed by a second object (the first wins), or cut off mid-object
(what was complete is kept; a half-written value never is). It coerces the obvious near misses
(`"3"` for 3, one string where a list belongs, a list where one string belongs) and validates field
by field, nested `background` too: every valid field is kept, everything missing or invalid becomes
a `Gap`. `complete(reading, fallback, model)` fills each gap from a complete answer (the offline
generator's for the same brief) and returns a `Repair` for each field it filled.

What reading took (a fence stripped, a type coerced, an unknown key ignored) is kept as `notes`,
`Repair`s whose actions `settle.serious` does not send back to the model; a dropped list entry is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from charforge.models import Repair
from charforge.validation import first_message

Answer = TypeVar("Answer", bound=BaseModel)
FILLED = "filled from the offline generator"
MOST_CUTS = 64  # places tried when closing a cut-off object, last first; each try is one json.loads
_FENCE = re.compile(r"```[\w-]*[ \t]*\r?\n?(.*?)(?:```|\Z)", re.S)
_SCALAR = re.compile(r"[\w.+-]")


@dataclass(frozen=True)
class Gap:
    """A field the answer lacks or got wrong, by dotted path ('background.early_life')."""

    field: str
    problem: str


@dataclass
class Reading:
    """What one answer validly held: `values` (nested models as dicts of their valid fields), the `gaps`
    to fill, and `notes` on how it was read."""

    values: dict[str, Any] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    notes: list[Repair] = field(default_factory=list)
    truncated: bool = False

    def problems(self) -> list[Repair]:
        """The gaps, as the repair round lists them to the model."""
        return [Repair(field=g.field, problem=g.problem, action=FILLED) for g in self.gaps]

    def over(self, earlier: Reading) -> Reading:
        """This (corrected) answer, with the valid fields of `earlier` where this one still has gaps."""
        values, gaps, notes = _merge(self.values, {}), [], list(self.notes)
        for gap in self.gaps:
            found, value = _get(earlier.values, gap.field)
            if not found:
                gaps.append(gap)
                continue
            _set(values, gap.field, value)
            notes.append(Repair(field=gap.field, problem=f"{gap.problem} in the corrected answer",
                                action="kept from the first answer"))
        return Reading(values=values, gaps=gaps, notes=notes, truncated=self.truncated)


def read(text: str, model: type[BaseModel]) -> Reading:
    """Everything valid in `text` for `model`; never raises."""
    data, notes = find_object(text)
    if data is None:
        reading = fit({}, model)
        reading.notes[:0] = notes
        return reading
    if len(data) == 1 and not set(data) & _keys(model) and isinstance(inner := next(iter(data.values())), dict):
        notes.append(Repair(field="answer", problem=f"the answer was wrapped in {{{next(iter(data))!r}: …}}",
                            action="read as the object inside"))
        data = inner
    reading = fit(data, model)
    truncated = any(n.problem == CUT_OFF for n in notes)
    if truncated:
        reading.gaps = [Gap(g.field, f"{g.problem} (the answer was cut off)") if g.problem == "missing" else g
                        for g in reading.gaps]
    reading.notes[:0] = notes
    reading.truncated = truncated
    return reading


def complete(reading: Reading, fallback: dict[str, Any], model: type[Answer]) -> tuple[Answer, list[Repair]]:
    """The answer with every gap filled from `fallback` (a complete answer), and a `Repair` per filled field."""
    data = _merge(reading.values, {})
    for gap in reading.gaps:
        _set(data, gap.field, _get(fallback, gap.field)[1])
    return model.model_validate(data), reading.problems()


def leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of an answer by dotted path, nested models' fields instead of the model itself."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        nested = _model_of(info.annotation)
        paths += leaves(nested, f"{prefix}{name}.") if nested else [f"{prefix}{name}"]
    return paths


# -- finding the object ----------------------------------------------------------------------------

CUT_OFF = "the answer was cut off mid-object"


def find_object(text: str) -> tuple[dict[str, Any] | None, list[Repair]]:
    """The first JSON object in `text`, read leniently, and notes on what reading it took."""
    try:
        data = json.loads(text, strict=False)  # strict=False: raw newlines inside strings are common
        if isinstance(data, dict):
            return data, []
    except ValueError:
        pass
    notes: list[Repair] = []
    body = text
    if (fence := _FENCE.search(text)) and "{" in fence.group(1):
        body = fence.group(1)
        notes.append(Repair(field="answer", problem="the JSON was inside a code fence",
                            action="read as the object inside"))
    start = body.find("{")
    if start > 0 and body[:start].strip() and not notes:
        notes.append(Repair(field="answer", problem="the JSON object was wrapped in prose",
                            action="read as the object inside"))
    while start >= 0:
        end, cuts = _scan(body, start)
        if end is None:
            data = _close(body, start, cuts)
            if data is not None:
                notes.append(Repair(field="answer", problem=CUT_OFF, action="kept the fields that were complete"))
            return data, notes
        data, fixed = _loads(body[start:end])
        if data is not None:
            if fixed:
                notes.append(Repair(field="answer", problem="trailing commas", action="read as JSON without them"))
            if "{" in body[end:]:
                notes.append(Repair(field="answer", problem="the answer held more than one JSON object",
                                    action="read as the first"))
            elif body[end:].strip() and not notes:
                notes.append(Repair(field="answer", problem="the JSON object was followed by prose",
                                    action="read as the object alone"))
            return data, notes
        start = body.find("{", end)  # not JSON even leniently: try the next object
    notes.append(Repair(field="answer", problem="the answer holds no JSON object", action="kept nothing"))
    return None, notes


def _scan(body: str, start: int) -> tuple[int | None, list[tuple[int, str]]]:
    """From the `{` at `start`: the index after its matching `}` (None when the text ends first), and the
    places it could be cut and closed, as (index, closing brackets), where a value or container just ended."""
    stack: list[str] = []
    cuts: list[tuple[int, str]] = []
    in_string = escaped = False
    for i in range(start, len(body)):
        c = body[i]
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
                cuts.append((i + 1, "".join(reversed(stack))))
            continue
        if c == '"':
            in_string = True
        elif c in "{[":
            stack.append("}" if c == "{" else "]")
            cuts.append((i + 1, "".join(reversed(stack))))
        elif c in "}]":
            if stack:
                stack.pop()
            if not stack:
                return i + 1, cuts
            cuts.append((i + 1, "".join(reversed(stack))))
        elif _SCALAR.match(c) and i + 1 < len(body) and not _SCALAR.match(body[i + 1]):
            cuts.append((i + 1, "".join(reversed(stack))))  # a number or literal ended; at the very end it may not
    return None, cuts


def _close(body: str, start: int, cuts: list[tuple[int, str]]) -> dict[str, Any] | None:
    """A cut-off object closed at the last place where that gives JSON: complete values only."""
    for end, closers in reversed(cuts[-MOST_CUTS:]):
        data, _ = _loads(body[start:end] + closers)
        if data is not None:
            return data
    return {}


def _loads(text: str) -> tuple[dict[str, Any] | None, bool]:
    """(the object, whether trailing commas had to go), or (None, False) when it is not an object."""
    for fixed, candidate in ((False, text), (True, _drop_trailing_commas(text))):
        try:
            data = json.loads(candidate, strict=False)
        except ValueError:
            continue
        return (data, fixed) if isinstance(data, dict) else (None, False)
    return None, False


def _drop_trailing_commas(text: str) -> str:
    """Remove each comma that only a closing bracket follows, outside strings."""
    out: list[str] = []
    in_string = escaped = False
    for i, c in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "," and text[i + 1:].lstrip()[:1] in ("}", "]"):
            continue
        out.append(c)
    return "".join(out)


# -- field by field -------------------------------------------------------------------------------------


def fit(data: dict[str, Any], model: type[BaseModel], prefix: str = "") -> Reading:
    """Validate `data` against `model` one field at a time, keeping what is valid."""
    reading = Reading()
    fields = model.model_fields
    absorbed: set[str] = set()
    for name, info in fields.items():
        path = f"{prefix}{name}"
        key = next((k for k in (name, info.alias) if k and k in data), None)
        raw = data[key] if key is not None else None
        if (nested := _model_of(info.annotation)) is not None:
            loose = {k: data[k] for k in nested.model_fields if k in data and k not in _keys(model)}
            absorbed |= set(loose)
            _fit_nested(reading, name, path, raw, loose, nested)
            continue
        if raw is None:
            if info.is_required():
                reading.gaps.append(Gap(path, "missing" if key is None else "null"))
            continue
        value, note = _coerce(raw, info.annotation)
        if note:
            reading.notes.append(Repair(field=path, problem=note[0], action=note[1]))
        _validate(reading, path, value, model, name)
    for key in data:
        if key not in _keys(model) and key not in absorbed:
            reading.notes.append(Repair(field=f"{prefix}{key}", problem="not a field of the answer", action="ignored"))
    return reading


def _fit_nested(reading: Reading, name: str, path: str, raw: Any, loose: dict[str, Any],
                nested: type[BaseModel]) -> None:
    if raw is not None and not isinstance(raw, dict):
        reading.gaps += [Gap(leaf, f"{path} was {_kind(raw)}, not an object") for leaf in leaves(nested, f"{path}.")]
        return
    if loose:
        reading.notes.append(Repair(field=path, problem=f"{len(loose)} of its fields were at the top level",
                                    action=f"read as part of {path}"))
    inner = fit({**loose, **(raw or {})}, nested, prefix=f"{path}.")
    reading.values[name] = inner.values
    reading.gaps += inner.gaps
    reading.notes += inner.notes


def _validate(reading: Reading, path: str, value: Any, model: type[BaseModel], name: str) -> None:
    """Keep `value` when valid; a list keeps its valid entries (and notes the dropped ones)."""
    item = _item_type(model.model_fields[name].annotation)
    if item is not None and isinstance(value, list):
        kept = []
        for index, entry in enumerate(value):
            entry, note = _coerce_item(entry, item)
            try:
                kept.append(_adapter(item).validate_python(entry))
                if note:
                    reading.notes.append(Repair(field=f"{path}[{index}]", problem=note[0], action=note[1]))
            except ValidationError as exc:
                reading.notes.append(Repair(field=f"{path}[{index}]", problem=f"{first_message(exc)} "
                                            f"(got {_short(entry)})", action="dropped"))
        if value and not kept:
            reading.gaps.append(Gap(path, "no valid entries"))
        else:
            reading.values[name] = kept
        return
    try:
        checked = _field_adapter(model, name).validate_python(value)
    except ValidationError as exc:
        reading.gaps.append(Gap(path, f"{first_message(exc)} (got {_short(value)})"))
        return
    if isinstance(checked, str) and not checked.strip():
        reading.gaps.append(Gap(path, "empty"))
        return
    reading.values[name] = checked


def _coerce(value: Any, annotation: Any) -> tuple[Any, tuple[str, str] | None]:
    """An obvious near miss turned into what the field takes, and (problem, action) when it was one."""
    if _item_type(annotation) is not None:
        if isinstance(value, (str, dict)):
            return [value], (f"{_kind(value)} where a list belongs", "read as a list of one")
        return value, None
    if annotation is str or str in get_args(annotation):
        if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
            return " ".join(str(v).strip() for v in value), ("a list where one text belongs", "read as one text")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value), ("a number where a text belongs", "read as text")
    return value, None


def _coerce_item(value: Any, item: Any) -> tuple[Any, tuple[str, str] | None]:
    """A list entry: a bare name where a model belongs, a number where a text belongs, unknown keys dropped."""
    if isinstance(item, type) and issubclass(item, BaseModel):
        if isinstance(value, str) and "name" in item.model_fields:
            return {"name": value}, ("a bare name", "read as one")
        if isinstance(value, dict) and (extra := set(value) - _keys(item)):
            kept = {k: v for k, v in value.items() if k not in extra}
            return kept, (f"unknown key(s) {', '.join(sorted(extra))}", "ignored them")
    elif item is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value), ("a number where a text belongs", "read as text")
    return value, None


# -- helpers ----------------------------------------------------------------------------------------------


@cache
def _keys(model: type[BaseModel]) -> frozenset[str]:
    return frozenset([*model.model_fields, *(f.alias for f in model.model_fields.values() if f.alias)])


def _model_of(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _item_type(annotation: Any) -> Any:
    return get_args(annotation)[0] if get_origin(annotation) is list else None


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _kind(value: Any) -> str:
    return {str: "a text", dict: "an object", list: "a list", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), "null" if value is None else type(value).__name__)


def _short(value: Any, most: int = 40) -> str:
    shown = json.dumps(value, default=str)
    return shown if len(shown) <= most else shown[: most - 1] + "…"


def _get(data: dict[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _merge(values: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """A copy of `values` over `into`, nested dicts merged (so filling never changes a `Reading`)."""
    merged = dict(into)
    for key, value in values.items():
        merged[key] = _merge(value, merged.get(key) or {}) if isinstance(value, dict) else value
    return merged


__all__ = ["FILLED", "Gap", "Reading", "complete", "find_object", "fit", "leaves", "read"]
