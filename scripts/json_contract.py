"""Render `docs/json-contract.md`, the reference of the `--format json` contract, from the models' JSON Schemas.

Every field of every document gets a row: its dotted path (`[]` for a list's items, `{}` for a map's values),
its type, whether it is required, and the `description` its model gives it. The schemas are the ones
`charforge schema` prints, so the page and the machine-readable contract cannot disagree.

    python scripts/json_contract.py            # writes docs/json-contract.md
    python scripts/json_contract.py --check    # exits 1 if the committed page is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from charforge import models

OUT = Path(__file__).resolve().parents[1] / "docs" / "json-contract.md"

# Document kind -> (the command that prints it, its model, a line on what it is). The kinds are `charforge schema`'s
# arguments.
DOCUMENTS: dict[str, tuple[str, type[BaseModel], str]] = {
    "character": ("charforge npc", models.Character,
                  "The whole character: identity, the sheet a GM plays from, equipment, spells, story, portrait."),
    "background": ("charforge background", models.BackgroundDocument, "Who the character is, and the story."),
    "equipment": ("charforge equipment", models.EquipmentDocument,
                  "The starting kit and the purchases made with the class's starting wealth."),
    "spells": ("charforge spells", models.SpellsDocument,
               "The spells known or prepared, and the spellcasting numbers."),
}

# What each schema_version added, newest first. A version bump without an entry here fails the tests.
CHANGELOG: dict[str, list[str]] = {
    "1.1": [
        "`character`: the whole sheet a GM plays from: `ability_audit` (base scores and every bonus applied), "
        "`initiative`, `passive_perception`, `hit_dice`, `senses`, `resistances`, `saves` (all six, with "
        "modifiers), `skills` (all eighteen, with proficiency, expertise, source and modifier), `proficiencies` "
        "(armour, weapons, tools, languages), `subclass`, `features` (class, subclass and ancestry, each with "
        "this character's numbers), `attacks` (weapons, unarmed strike, damaging cantrips, breath weapon), "
        "`spellbook` (a wizard's), `background_feature`, `coins` and `carrying`.",
        "`character` and `spells`: `spellcasting.prepared` (how many spells a prepared caster prepares) and "
        "`spells[].always_prepared` (subclass spells that do not count against it).",
        "Values that changed with the rules fixes of the same release (no field renamed or removed): `speed` "
        "now includes Fast Movement, Unarmored Movement and the heavy-armour Strength penalty; `ac` is the "
        "best legal AC among the gear carried; `languages` include the ancestry's free extra language and the "
        "background's; `spellcasting` is null before a half-caster's 2nd level.",
    ],
    "1.0": ["The first versioned contract: `character`, `background`, `equipment` and `spells` documents."],
}


@dataclass(frozen=True)
class FieldRow:
    """One field of a document: where it is, what it holds, and what it means."""

    path: str
    type: str
    required: bool
    description: str


def document_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one document, as `charforge schema <kind>` prints it (less its `$id`)."""
    return DOCUMENTS[kind][1].model_json_schema(mode="serialization")


def field_rows(schema: dict[str, Any]) -> list[FieldRow]:
    """Every field path of a document schema, depth first, in the order the JSON prints them."""
    defs = schema.get("$defs", {})
    rows: list[FieldRow] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", ()))
        for name, prop in node.get("properties", {}).items():
            path = prefix + name
            rows.append(FieldRow(path, type_name(prop, defs), name in required,
                                 " ".join(str(prop.get("description", "")).split())))
            for suffix, model in _nested(prop, defs):
                walk(model, f"{path}{suffix}.")

    walk(schema, "")
    return rows


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if ref else node


def _nested(prop: dict[str, Any], defs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The object schemas inside a field, each with the path suffix that reaches it ('', '[]' or '{}')."""
    found = []
    for branch in prop.get("anyOf", [prop]):
        node = _resolve(branch, defs)
        if "properties" in node:
            found.append(("", node))
        elif isinstance(node.get("items"), dict):
            found += [("[]" + s, n) for s, n in _nested(node["items"], defs)]
        elif isinstance(node.get("additionalProperties"), dict):
            found += [("{}" + s, n) for s, n in _nested(node["additionalProperties"], defs)]
    return found


def type_name(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    """A short human name for a field's type: 'integer (1-20)', 'array of object', 'string or null'."""
    if "anyOf" in prop:
        return " or ".join(type_name(branch, defs) for branch in prop["anyOf"])
    node = _resolve(prop, defs)
    if "const" in node:
        return json.dumps(node["const"])
    if "enum" in node:
        return "one of " + ", ".join(json.dumps(v) for v in node["enum"])
    kind = node.get("type", "any")
    if kind == "array":
        return f"array of {type_name(node.get('items', {}), defs)}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        keys = node.get("propertyNames", {}).get("enum")
        key = "/".join(keys) if keys else "string"
        return f"map of {key} to {type_name(node['additionalProperties'], defs)}"
    bounds = [f"{op} {node[k]}" for k, op in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"),
                                               ("exclusiveMaximum", "<")) if k in node]
    return f"{kind} ({', '.join(bounds)})" if bounds else str(kind)


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


HEADER = """\
# The `--format json` contract

<!-- Generated by scripts/json_contract.py from the models in src/charforge/models.py; do not edit by hand.
     Run `python scripts/json_contract.py` after changing a model; the tests fail while this page is stale. -->

Every command that generates something prints one JSON object with `--format json` (`-f json`), and
`--format yaml` prints the same data. This page lists every field of each document; **current
`schema_version`: `{version}`**.

## Versioning

`schema_version` is `MAJOR.MINOR`, read like semantic versioning:

- **Minor** (`1.0` → `1.1`): fields added. Nothing is renamed, retyped or removed, so a reader of
  `1.0` keeps working on `1.1`; ignore keys you do not know. A field that lists closed values (such
  as `attacks[].kind`) may gain a value in a minor version too: handle values you do not know.
- **Major** (`1.x` → `2.0`): a field renamed or removed, or its type or meaning changed. Never done
  lightly: it breaks every script that reads these documents, and it is listed below.

Every field of a document is always present in its output (**required** below is what the JSON
Schema requires); a field that may be empty holds `null`, `[]` or `{{}}` as its type says. Numbers
are computed by code from the SRD 5.1 rules pack, never written by a language model; the story
(`background`, `name`, `concept`, `trinkets`, `portrait.prompt`) is prose.

## Machine-readable schema

`charforge schema [character|background|equipment|spells]` prints the JSON Schema (draft 2020-12)
of a document, `character` (what `charforge npc` prints) by default:

```sh
charforge schema character > character.schema.json
charforge npc --seed 1 -f json > hero.json
python - <<'EOF'          # needs `pip install jsonschema`; any JSON Schema validator will do
import json, jsonschema
jsonschema.validate(json.load(open("hero.json")), json.load(open("character.schema.json")))
EOF
```

## Changelog
"""


def render() -> str:
    """The whole page, from the models as they are now."""
    parts = [HEADER.format(version=models.SCHEMA_VERSION)]
    for version, changes in CHANGELOG.items():
        parts.append(f"\n### {version}\n\n" + "".join(f"- {change}\n" for change in changes))
    for kind, (command, _, about) in DOCUMENTS.items():
        parts.append(f"\n## `{kind}`: `{command} --format json`\n\n{about}\n\n"
                     "| field | type | required | description |\n|---|---|---|---|\n")
        parts.append("".join(f"| `{row.path}` | {_cell(row.type)} | {'yes' if row.required else 'no'} | "
                             f"{_cell(row.description)} |\n" for row in field_rows(document_schema(kind))))
    return "".join(parts)


def is_current(path: Path = OUT) -> bool:
    """Whether the page at `path` is what `render()` makes now."""
    return path.exists() and path.read_text(encoding="utf-8") == render()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed page is stale")
    args = parser.parse_args(argv)
    if args.check:
        if is_current():
            return 0
        print(f"{OUT} is stale: run python scripts/json_contract.py", file=sys.stderr)
        return 1
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
