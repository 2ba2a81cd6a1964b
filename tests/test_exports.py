"""Exports: Markdown with YAML frontmatter, the published JSON Schema (Foundry VTT actors: test_foundry_export.py)."""

from __future__ import annotations

import json

import yaml
from markdown_it import MarkdownIt

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
