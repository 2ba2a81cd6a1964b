"""Exports: Markdown with YAML frontmatter, Foundry VTT actors, the published JSON Schema."""

from __future__ import annotations

import json

import yaml
from markdown_it import MarkdownIt

from charforge.errors import ExitCode
from charforge.models import SCHEMA_VERSION


def split_frontmatter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_markdown_frontmatter_parses_and_the_body_renders(cli):
    text = cli("npc", "--seed", "12", "--class", "cleric", "--level", "4", "--format", "markdown").stdout
    meta, body = split_frontmatter(text)
    doc = cli.json("npc", "--seed", "12", "--class", "cleric", "--level", "4")
    assert {k: meta[k] for k in ("name", "class", "level", "hp", "ac", "seed")} == {
        "name": doc["name"], "class": "cleric", "level": 4, "hp": doc["hp"], "ac": doc["ac"], "seed": 12}
    assert meta["tags"] == ["charforge", "cleric", doc["ancestry"]]
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    headings = [t for t in tokens if t.type == "heading_open"]
    assert headings[0].tag == "h1" and any(t.type == "table_open" for t in tokens)
    html = MarkdownIt("commonmark").enable("table").render(body)
    assert f"<h1>{doc['name']}</h1>" in html and "<h2>Spells</h2>" in html


def test_schema_command_describes_the_contract(cli):
    schema = json.loads(cli("schema").stdout)
    required = set(schema["required"])
    assert {"schema_version", "name", "ancestry", "class", "level", "abilities", "hp", "ac", "spells",
            "equipment", "background", "provenance"} <= required
    for document in ("background", "equipment", "spells"):
        assert json.loads(cli("schema", document).stdout)["$id"].endswith(f"{document}-{SCHEMA_VERSION}.json")


# The dnd5e system's actor format, as its documentation describes it: path -> type.
FOUNDRY_ACTOR = {
    "name": str, "type": str, "img": str,
    "system.abilities.str.value": int, "system.abilities.dex.value": int, "system.abilities.con.value": int,
    "system.abilities.int.value": int, "system.abilities.wis.value": int, "system.abilities.cha.value": int,
    "system.abilities.int.proficient": int,
    "system.attributes.hp.value": int, "system.attributes.hp.max": int,
    "system.attributes.ac.calc": str, "system.attributes.ac.flat": int,
    "system.attributes.movement.walk": int, "system.attributes.spellcasting": str,
    "system.details.biography.value": str, "system.details.alignment": str, "system.details.race": str,
    "system.details.trait": str, "system.details.ideal": str, "system.details.bond": str, "system.details.flaw": str,
    "system.traits.size": str, "system.traits.languages.value": list,
    "system.spells.spell1.value": int, "system.spells.spell9.value": int,
    "items": list,
}


def lookup(data: dict, path: str):
    for part in path.split("."):
        data = data[part]
    return data


def test_foundry_actor_has_the_documented_fields(cli):
    actor = json.loads(cli("npc", "--seed", "5", "--class", "wizard", "--level", "5", "--format", "foundry").stdout)
    doc = cli.json("npc", "--seed", "5", "--class", "wizard", "--level", "5")
    for path, kind in FOUNDRY_ACTOR.items():
        assert isinstance(lookup(actor, path), kind), path
    assert actor["type"] == "character" and actor["name"] == doc["name"]
    assert lookup(actor, "system.attributes.hp.max") == doc["hp"]
    assert lookup(actor, "system.attributes.ac.flat") == doc["ac"]
    assert lookup(actor, "system.spells.spell3.value") == 2  # a level-5 wizard's third-level slots
    [klass] = [i for i in actor["items"] if i["type"] == "class"]
    assert klass["system"] == {"identifier": "wizard", "levels": 5, "hitDice": "d6"}
    spells = [i for i in actor["items"] if i["type"] == "spell"]
    assert len(spells) == len(doc["spells"]) and all(len(s["system"]["school"]) == 3 for s in spells)
    weapons = [i for i in actor["items"] if i["type"] == "weapon"]
    assert all(w["system"]["damage"]["base"]["formula"] for w in weapons)
    assert actor["flags"]["charforge"]["provenance"]["seed"] == 5


def test_warlock_pact_slots_in_foundry(cli):
    actor = json.loads(cli("npc", "--seed", "5", "--class", "warlock", "--level", "5", "--format", "foundry").stdout)
    assert actor["system"]["spells"]["pact"] == {"value": 2, "override": None, "level": 3}


def test_foundry_is_for_whole_characters(cli):
    result = cli("spells", "--class", "wizard", "--format", "foundry")
    assert result.exit_code == ExitCode.USAGE and "npc" in result.stderr
