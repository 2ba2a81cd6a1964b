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
    """Readable Markdown laid out like a character sheet: YAML frontmatter (for Obsidian and friends), a title,
    the stat block (AC, HP, speed, abilities, saves, skills, senses, languages), attacks, features, spells by
    level, equipment and coins, then the story."""
    data = to_data(document)
    parts = (_title(data) + _stats(data) + _attacks(data) + _features(data) + _spells(data) + _gear(data)
             + _story(data))
    body = "\n".join(parts).rstrip() + "\n"
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
    sub = data.get("subclass")
    line = f"*Level {data['level']} {race} {klass}" + (f" ({sub['name']})" if sub else "")
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
    hit_dice = f" ({data['hit_dice']})" if data.get("hit_dice") else ""
    head = (f"**Armor Class** {data['ac']} · **Hit Points** {data['hp']}{hit_dice} · **Speed** {data['speed']} ft."
            + (f" · **Initiative** {data['initiative']:+d}" if "initiative" in data else "")
            + f" · **Proficiency** +{data['proficiency_bonus']}")
    lines = [head, "", "| " + " | ".join(a.upper() for a in ABILITY_LABELS) + " |",
             "|" + "---|" * len(ABILITY_LABELS), "| " + " | ".join(cells) + " |", ""]
    if "saves" in data:
        saves = ", ".join(f"{s['ability'].title()} {s['modifier']:+d}" for s in data["saves"] if s["proficient"])
        skills = ", ".join(f"{s['name']} {s['modifier']:+d}" + ("*" if s["expertise"] else "")
                           for s in data["skills"] if s["proficient"])
        senses = [f"{sense} {feet} ft." for sense, feet in data["senses"].items()]
        senses.append(f"passive Perception {data['passive_perception']}")
        lines += [f"**Saving Throws** {saves}", "", f"**Skills** {skills or 'none'}"
                  + (" (\\* expertise)" if any(s["expertise"] for s in data["skills"]) else ""), "",
                  f"**Senses** {', '.join(senses)}", ""]
        if data["resistances"]:
            lines += [f"**Resistances** {', '.join(data['resistances'])}", ""]
    else:
        lines += [f"**Saving Throws** {', '.join(s.upper() for s in data['saving_throws'])}", ""]
    lines += [f"**Languages** {', '.join(data['languages'])}", ""]
    if profs := data.get("proficiencies"):
        lines += ["**Proficiencies** " + " · ".join(
            f"{label}: {', '.join(profs[key]) or 'none'}" for key, label in
            (("armor", "Armor"), ("weapons", "Weapons"), ("tools", "Tools"))), ""]
    if audit := data.get("ability_audit"):
        lines += [_audit_line(audit), ""]
    return lines


def _audit_line(audit: dict[str, Any]) -> str:
    """How the scores were reached, in one line a GM can check by hand."""
    def bonuses(table: dict[str, int]) -> str:
        return ", ".join(f"{a.upper()} {n:+d}" for a, n in table.items()) or "none"

    base = " ".join(f"{a.upper()} {audit['base'][a]}" for a in ABILITY_LABELS)
    method = "4d6 drop lowest" if audit["method"] == "4d6" else "standard array"
    line = f"*Scores: {method}, {base}; ancestry {bonuses(audit['racial'])}; improvements " \
           f"{bonuses(audit['improvements'])}"
    if audit.get("features"):
        line += f"; features {bonuses(audit['features'])}"
    return line + ".*"


def _attacks(data: dict[str, Any]) -> list[str]:
    if not data.get("attacks"):
        return []
    lines = ["## Attacks", "", "| Attack | Hit / DC | Damage | Range | Notes |", "|---|---|---|---|---|"]
    for attack in data["attacks"]:
        hit = f"{attack['to_hit']:+d}" if attack["to_hit"] is not None else (attack.get("save") or "")
        noted = attack["notes"].split("; ") if attack["notes"] else []
        shown = [p for p in attack["properties"] if not any(n.startswith(p) for n in noted)]
        notes = ", ".join(filter(None, [", ".join(shown), "; ".join(noted)]))
        lines.append(f"| {attack['name']} | {hit} | {attack['damage']} {attack['damage_type']} | "
                     f"{attack['range']} | {notes} |")
    return [*lines, ""]


def _features(data: dict[str, Any]) -> list[str]:
    if not data.get("features") and not data.get("background_feature"):
        return []
    lines = ["## Features and traits", ""]
    labels = {"ancestry": "ancestry", "background": "background"}
    for feature in [*data["features"], *filter(None, [data.get("background_feature")])]:
        where = labels.get(feature["source"]) or f"{feature['source']} {feature['level']}"
        lines.append(f"- **{feature['name']}** ({where}): {feature['summary']}")
    return [*lines, ""]


def _spells(data: dict[str, Any]) -> list[str]:
    casting = data.get("spellcasting")
    if "spells" not in data or not casting:
        return []
    slots = ", ".join(f"{n}{_ordinal(n)}: {count}" for n, count in enumerate(casting["slots"], start=1) if count)
    kind = "Pact slots" if casting["pact_magic"] else "Slots"
    lines = ["## Spells", "",
             f"**Ability** {casting['ability'].upper()} · **Save DC** {casting['save_dc']} · "
             f"**Attack** {casting['attack_bonus']:+d} · **{kind}** {slots or 'none yet'}", ""]
    if casting.get("prepared"):
        lines += [f"Prepares {casting['prepared']} spells a day" + (" (subclass spells marked † are always "
                  "prepared and do not count)" if any(s.get("always_prepared") for s in data["spells"]) else "")
                  + ".", ""]
    lines += _by_level(data["spells"])
    if data.get("spellbook"):
        lines += ["", "**Spellbook**", "", *_by_level(data["spellbook"])]
    return [*lines, ""]


def _by_level(entries: list[dict[str, Any]]) -> list[str]:
    by_level: dict[int, list[str]] = {}
    for spell in (SpellEntry.model_validate(s) for s in entries):
        by_level.setdefault(spell.level, []).append(spell.name + ("†" if spell.always_prepared else ""))
    return [f"- **{'Cantrips' if level == 0 else f'{level}{_ordinal(level)} level'}:** {', '.join(names)}"
            for level, names in sorted(by_level.items())]


def _gear(data: dict[str, Any]) -> list[str]:
    if "equipment" not in data:
        return []
    lines = ["## Equipment", ""]
    lines += [f"- {item['quantity']} × {item['name']}" + (" *(bought)*" if item["source"] == "purchase" else "")
              for item in data["equipment"]]
    lines += [f"- {t} *(trinket)*" for t in data["trinkets"]]
    lines += ["", f"Spent {data['total_cost_gp']:g} gp of a {data['budget_gp']:g} gp budget.", ""]
    if coins := data.get("coins"):
        purse = ", ".join(f"{coins[c]} {c}" for c in ("pp", "gp", "ep", "sp", "cp") if coins[c]) or "none"
        carry = data["carrying"]
        lines += [f"**Coins** {purse} · **Carrying** {carry['weight_lb']:g} of {carry['capacity_lb']} lb.", ""]
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
