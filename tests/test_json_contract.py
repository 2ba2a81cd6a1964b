"""The `--format json` contract is documented field by field, and real documents keep to it.

Every field path of every document has a description (a model field added without one fails here), the
committed `docs/json-contract.md` is what `scripts/json_contract.py` renders from the models now, and
offline documents across classes and levels validate against what `charforge schema` prints.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from charforge import models

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("json_contract", ROOT / "scripts" / "json_contract.py")
assert _spec is not None and _spec.loader is not None
contract = importlib.util.module_from_spec(_spec)
sys.modules["json_contract"] = contract  # dataclasses look their module up by name
_spec.loader.exec_module(contract)

KINDS = list(contract.DOCUMENTS)
# (class, level, seed): a martial class, a half-caster before Spellcasting, a prepared caster with a subclass,
# a wizard (spellbook), a warlock (Pact Magic), a rogue (Sneak Attack, expertise).
CASES = [("fighter", 1, 1), ("paladin", 1, 151), ("cleric", 3, 3), ("wizard", 5, 42), ("warlock", 11, 7),
         ("rogue", 20, 11)]


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_description(kind):
    rows = contract.field_rows(contract.document_schema(kind))
    missing = [row.path for row in rows if not row.description.strip()]
    assert rows and not missing, f"give these {kind} fields a Field(description=...) in models.py: {missing}"


def test_the_contract_page_is_current():
    assert contract.is_current(), "docs/json-contract.md is stale: run python scripts/json_contract.py"


def test_the_changelog_covers_this_schema_version():
    assert next(iter(contract.CHANGELOG)) == models.SCHEMA_VERSION, "add a CHANGELOG entry in scripts/json_contract.py"


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_documents_what_charforge_schema_prints(cli, kind):
    result = cli("schema", kind)
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed.pop("$id").endswith(f"/{kind}-{models.SCHEMA_VERSION}.json")
    assert printed == contract.document_schema(kind)


@pytest.mark.parametrize(("class_name", "level", "seed"), CASES)
def test_an_offline_character_keeps_to_the_schema(cli, class_name, level, seed):
    document = cli.json("npc", "--class", class_name, "--level", str(level), "--seed", str(seed))
    models.Character.model_validate_json(json.dumps(document))
    _assert_valid(document, _schema(cli, "character"))


@pytest.mark.parametrize("kind", ["background", "equipment", "spells"])
def test_the_other_offline_documents_keep_to_their_schemas(cli, kind):
    document = cli.json(kind, "--class", "bard", "--level", "4", "--seed", "5")
    _assert_valid(document, _schema(cli, kind))


def _schema(cli, kind: str) -> dict[str, Any]:
    result = cli("schema", kind)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _assert_valid(document: dict[str, Any], schema: dict[str, Any]) -> None:
    """Validate with `jsonschema` where it is installed; always check that every key of the document is in the
    schema and every required key is in the document, at every depth."""
    try:
        import jsonschema
    except ImportError:
        pass
    else:
        jsonschema.validate(document, schema)
    problems = _key_problems(document, schema, schema.get("$defs", {}), "")
    assert not problems, problems


def _key_problems(value: Any, node: dict[str, Any], defs: dict[str, Any], path: str) -> list[str]:
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        if value is None:
            return [] if any(b.get("type") == "null" for b in node["anyOf"]) else [f"{path}: null, not allowed"]
        found = [_key_problems(value, b, defs, path) for b in node["anyOf"] if b.get("type") != "null"]
        return min(found, key=len)
    problems = []
    if isinstance(value, dict) and "properties" in node:
        props = node["properties"]
        problems += [f"{path}{key}: not in the schema" for key in value if key not in props]
        problems += [f"{path}{key}: required, missing" for key in node.get("required", ()) if key not in value]
        for key, item in value.items():
            if key in props:
                problems += _key_problems(item, props[key], defs, f"{path}{key}.")
    elif isinstance(value, dict) and isinstance(node.get("additionalProperties"), dict):
        for key, item in value.items():
            problems += _key_problems(item, node["additionalProperties"], defs, f"{path}{key}.")
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for item in value:
            problems += _key_problems(item, node["items"], defs, f"{path.removesuffix('.')}[].")
    return problems
