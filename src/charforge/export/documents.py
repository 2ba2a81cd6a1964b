"""Documents to text formats: JSON (the versioned contract), YAML, Markdown and plain text.

Pure functions of a document, so the same character always exports to the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from charforge.models import STORY_LISTS, STORY_SECTIONS, SpellEntry
from charforge.rules.identity import ALIGNMENTS
from charforge.rules.pack import load

ABILITY_LABELS = ("str", "dex", "con", "int", "wis", "cha")


def to_data(document: BaseModel) -> dict[str, Any]:
    return document.model_dump(mode="json", by_alias=True)


def to_json(document: BaseModel) -> str:
    """The contract, indented: pydantic's serializer writes the same bytes as `json.dumps(indent=2,
    ensure_ascii=False)` of `to_data`, several times faster (a batch export writes thousands)."""
    return document.model_dump_json(indent=2, by_alias=True) + "\n"


def to_json_line(document: BaseModel) -> str:
    """The JSON contract on one line, for JSON Lines files."""
    return json.dumps(to_data(document), ensure_ascii=False, separators=(",", ":")) + "\n"


def to_yaml(document: BaseModel) -> str:
    import yaml

    return yaml.safe_dump(to_data(document), sort_keys=False, allow_unicode=True, width=100)


def to_markdown(document: BaseModel, *, frontmatter: bool = True) -> str:
    """Readable Markdown: YAML frontmatter (for Obsidian and friends), a title, the statblock where
    there is one, then the story and lists."""
    data = to_data(document)
    body = "\n".join(_title(data) + _stats(data) + _spells(data) + _gear(data) + _story(data)).rstrip() + "\n"
    return (_frontmatter(data) + body) if frontmatter else body


FRONTMATTER_KEYS = ("name", "kind", "ancestry", "class", "level", "alignment", "concept", "hp", "ac")


def _frontmatter(data: dict[str, Any]) -> str:
    import yaml

    fields = {k: data[k] for k in FRONTMATTER_KEYS if data.get(k) is not None}
    fields["tags"] = ["charforge", data["class"], data["ancestry"]]
    fields["seed"] = data["provenance"]["seed"]
    fields["provider"] = data["provenance"]["provider"]
    fields["schema_version"] = data["schema_version"]
    return "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n"


def _title(data: dict[str, Any]) -> list[str]:
    pack = load()
    race = pack.races[data["ancestry"]].name
    klass = pack.classes[data["class"]].name
    title = data.get("name") or f"{race} {klass}"
    line = f"*Level {data['level']} {race} {klass}"
    if data.get("alignment"):
        line += f", {ALIGNMENTS.get(data['alignment'], data['alignment'])}"
    line += "*"
    lines = [f"# {title}", "", line, ""]
    if data.get("concept"):
        lines += [f"> {data['concept']}", ""]
    return lines


def _stats(data: dict[str, Any]) -> list[str]:
    if "abilities" not in data:
        return []
    scores = data["abilities"]
    cells = [f"{scores[a]} ({(scores[a] - 10) // 2:+d})" for a in ABILITY_LABELS]
    return [
        f"**Armor Class** {data['ac']} · **Hit Points** {data['hp']} · **Speed** {data['speed']} ft. · "
        f"**Proficiency** +{data['proficiency_bonus']}",
        "",
        "| " + " | ".join(a.upper() for a in ABILITY_LABELS) + " |",
        "|" + "---|" * len(ABILITY_LABELS),
        "| " + " | ".join(cells) + " |",
        "",
        f"**Saving Throws** {', '.join(s.upper() for s in data['saving_throws'])} · "
        f"**Languages** {', '.join(lang.title() for lang in data['languages'])}",
        "",
    ]


def _spells(data: dict[str, Any]) -> list[str]:
    casting = data.get("spellcasting")
    if "spells" not in data or not casting:
        return []
    slots = ", ".join(f"{n}{_ordinal(n)}: {count}" for n, count in enumerate(casting["slots"], start=1) if count)
    kind = "Pact slots" if casting["pact_magic"] else "Slots"
    lines = ["## Spells", "",
             f"**Ability** {casting['ability'].upper()} · **Save DC** {casting['save_dc']} · "
             f"**Attack** {casting['attack_bonus']:+d} · **{kind}** {slots or 'none yet'}", ""]
    by_level: dict[int, list[str]] = {}
    for spell in (SpellEntry.model_validate(s) for s in data["spells"]):
        by_level.setdefault(spell.level, []).append(spell.name)
    for level, names in sorted(by_level.items()):
        label = "Cantrips" if level == 0 else f"{level}{_ordinal(level)} level"
        lines.append(f"- **{label}:** {', '.join(names)}")
    return [*lines, ""] if by_level else lines


def _gear(data: dict[str, Any]) -> list[str]:
    if "equipment" not in data:
        return []
    lines = ["## Equipment", ""]
    lines += [f"- {item['quantity']} × {item['name']}" + (" *(bought)*" if item["source"] == "purchase" else "")
              for item in data["equipment"]]
    lines += [f"- {t} *(trinket)*" for t in data["trinkets"]]
    lines += ["", f"Spent {data['total_cost_gp']:g} gp of a {data['budget_gp']:g} gp budget.", ""]
    return lines


def _story(data: dict[str, Any]) -> list[str]:
    story = data.get("background")
    if not story:
        return []
    lines = ["## Background", "", f"**Background:** {story['origin']}", "", story["appearance"], ""]
    for key, label in STORY_SECTIONS.items():
        lines += [f"### {label}", "", story[key], ""]
    for key, label in STORY_LISTS.items():
        lines += [f"### {label}", "", *[f"- {entry}" for entry in story[key]], ""]
    if portrait := data.get("portrait"):
        lines += ["## Portrait prompt", "", portrait["prompt"], ""]
    return lines


def _ordinal(n: int) -> str:
    return {1: "st", 2: "nd", 3: "rd"}.get(n, "th")


def to_text(document: BaseModel) -> str:
    """The terminal layout without colour, at a fixed width so piped output is stable."""
    from charforge.export.plain import markdown_as_text

    return markdown_as_text(to_markdown(document, frontmatter=False))
