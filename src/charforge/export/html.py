"""The printable character sheet: one self-contained HTML file that prints on one or two pages of A4 or Letter.

Everything is inside the file: the CSS inline, the portrait as a `data:` URI (when the document names an image file
that exists), no script, font or URL to fetch. Names and prose are untrusted model output, so the template
autoescapes every value. A pure function of the document (and of the portrait file it names): the same character
gives the same bytes.

The sheet reads the serialized document (`to_data`), so it renders every schema version: the sheet fields of
schema 1.1 (`models.SheetDetail`: skills, attacks, features, coins...) fill their sections when present, and a
section a 1.0 document has no data for is left out.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from charforge.export.documents import ABILITY_LABELS, to_data
from charforge.models import STORY_LISTS, STORY_SECTIONS
from charforge.rules.identity import ALIGNMENTS
from charforge.rules.pack import load

if TYPE_CHECKING:
    import jinja2
    from pydantic import BaseModel

TEMPLATES = Path(__file__).parent / "templates"
Paper = Literal["auto", "A4", "letter"]
ABILITY_NAMES = {"str": "Strength", "dex": "Dexterity", "con": "Constitution", "int": "Intelligence",
                 "wis": "Wisdom", "cha": "Charisma"}
FEATURE_SOURCES = {"class": "Class", "subclass": "Subclass", "ancestry": "Ancestry", "background": "Background"}
IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
               (b"GIF89a", "image/gif"))


def to_html(document: BaseModel, *, paper: Paper = "auto") -> str:
    """The sheet as one HTML page.

    Args:
        paper: `auto` lets the printer choose (the margins fit A4 and Letter alike); `A4` or `letter` fixes the
            page size, as a PDF renderer or a test of one size needs.
    """
    return _template().render(sheet=sheet(to_data(document)), paper=paper)


@cache
def _template() -> jinja2.Template:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env.get_template("sheet.html.j2")


def sheet(data: dict[str, Any]) -> dict[str, Any]:
    """What the template shows, as plain values, from a serialized document of any schema version."""
    detail = _detail(data)
    return {
        "head": _head(data, detail),
        "portrait": _portrait(data),
        "vitals": _vitals(data, detail),
        "abilities": _abilities(data, detail),
        "skills": [_skill(s) for s in detail.get("skills") or []],
        "traits": _traits(data, detail),
        "attacks": [_attack(a) for a in detail.get("attacks") or []],
        "features": _features(detail),
        "spells": _spells(data, detail),
        "gear": _gear(data, detail),
        "story": _story(data),
        "footer": _footer(data),
    }


def _detail(data: dict[str, Any]) -> dict[str, Any]:
    """The sheet fields of schema 1.1, whether nested under one key or spread over the character."""
    for key in ("sheet", "detail", "sheet_detail"):
        if isinstance(data.get(key), dict):
            return data[key]
    return data


def _signed(n: int | None) -> str:
    return "" if n is None else f"{n:+d}"


def _mod(score: int) -> int:
    return (score - 10) // 2


def _ordinal(n: int) -> str:
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n, "th")  # spell levels: 1 to 9


def _head(data: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any]:
    pack = load()
    race = pack.races[data["ancestry"]].name if data["ancestry"] in pack.races else data["ancestry"].title()
    klass = pack.classes[data["class"]].name if data["class"] in pack.classes else data["class"].title()
    subclass = detail.get("subclass")
    facts = [ALIGNMENTS.get(data.get("alignment") or "", data.get("alignment") or "")]
    facts.append(f"{subclass['name']} ({subclass['flavor']})" if subclass else "")
    origin = (data.get("background") or {}).get("origin")
    facts.append(f"Background: {origin}" if origin else "")
    facts.append(data.get("size") or "")
    return {"name": data.get("name") or f"{race} {klass}", "line": f"Level {data['level']} {race} {klass}",
            "facts": [f for f in facts if f], "concept": data.get("concept") or ""}


def _portrait(data: dict[str, Any]) -> dict[str, str] | None:
    """The portrait file as a data: URI, when the document names one that exists and is an image."""
    portrait = data.get("portrait") or {}
    if not portrait.get("image"):
        return None
    try:
        raw = Path(portrait["image"]).read_bytes()
    except OSError:
        return None
    mime = next((m for magic, m in IMAGE_TYPES if raw.startswith(magic)), None)
    if mime is None and raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        mime = "image/webp"
    if mime is None:
        return None
    return {"src": f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}",
            "alt": f"Portrait of {data.get('name') or 'the character'}"}


def _vitals(data: dict[str, Any], detail: dict[str, Any]) -> list[tuple[str, str]]:
    """The boxes along the top of the stat block, in the order a GM reads them in play."""
    dex = _mod(data["abilities"]["dex"]) if "abilities" in data else None
    initiative = detail.get("initiative", dex)
    boxes = [("Armor Class", data.get("ac")), ("Hit Points", data.get("hp")), ("Hit Dice", detail.get("hit_dice")),
             ("Speed", f"{data['speed']} ft." if data.get("speed") is not None else None),
             ("Initiative", _signed(initiative) if initiative is not None else None),
             ("Proficiency", _signed(data.get("proficiency_bonus"))),
             ("Passive Perception", detail.get("passive_perception"))]
    return [(label, str(value)) for label, value in boxes if value not in (None, "")]


def _abilities(data: dict[str, Any], detail: dict[str, Any]) -> list[dict[str, Any]]:
    if "abilities" not in data:
        return []
    saves = {s["ability"]: s for s in detail.get("saves") or []}
    proficient = set(data.get("saving_throws") or [])
    bonus = data.get("proficiency_bonus") or 0
    rows = []
    for key in ABILITY_LABELS:
        score = data["abilities"][key]
        save = saves.get(key) or {"proficient": key in proficient,
                                  "modifier": _mod(score) + (bonus if key in proficient else 0)}
        rows.append({"key": key.upper(), "name": ABILITY_NAMES[key], "score": score, "mod": _signed(_mod(score)),
                     "save": _signed(save["modifier"]), "save_proficient": save["proficient"],
                     "audit": _audit(detail.get("ability_audit"), key)})
    return rows


def _audit(audit: dict[str, Any] | None, key: str) -> str:
    """'base 15 +2 ancestry +2 ASI': how a score was reached, so the sheet can be checked by hand."""
    if not audit:
        return ""
    parts = [f"base {audit['base'][key]}"]
    for field, label in (("racial", "ancestry"), ("improvements", "ASI"), ("features", "feature")):
        if (audit.get(field) or {}).get(key):
            parts.append(f"{audit[field][key]:+d} {label}")
    return " ".join(parts)


def _skill(skill: dict[str, Any]) -> dict[str, Any]:
    mark = "expertise" if skill.get("expertise") else "proficient" if skill.get("proficient") else ""
    return {"name": skill["name"], "ability": skill["ability"].upper(), "mod": _signed(skill["modifier"]),
            "mark": mark}


def _traits(data: dict[str, Any], detail: dict[str, Any]) -> list[tuple[str, str]]:
    """Senses, languages, resistances and proficiencies: label and one line each."""
    pack = load()
    profs = detail.get("proficiencies") or {}
    languages = profs.get("languages") or [pack.languages[i].name if i in pack.languages else i.title()
                                           for i in data.get("languages") or []]
    senses = [f"{sense.title()} {feet} ft." for sense, feet in (detail.get("senses") or {}).items()]
    rows = [("Senses", ", ".join(senses)), ("Languages", ", ".join(languages)),
            ("Resistances", ", ".join(r.title() for r in detail.get("resistances") or [])),
            ("Armor", ", ".join(a.title() for a in profs.get("armor") or [])),
            ("Weapons", ", ".join(w.title() for w in profs.get("weapons") or [])),
            ("Tools", ", ".join(profs.get("tools") or []))]
    return [(label, text) for label, text in rows if text]


def _attack(attack: dict[str, Any]) -> dict[str, str]:
    hit = _signed(attack["to_hit"]) if attack.get("to_hit") is not None else (attack.get("save") or "")
    notes = attack.get("notes") or ""
    said = set(re.findall(r"[a-z-]+", notes.lower()))  # 'versatile 1d8+1' already names the property
    properties = [p for p in attack.get("properties") or [] if p.lower() not in said]
    return {"name": attack["name"], "hit": hit, "damage": f"{attack['damage']} {attack['damage_type']}".strip(),
            "range": attack.get("range") or "", "properties": ", ".join(properties), "notes": notes}


def _features(detail: dict[str, Any]) -> list[dict[str, str]]:
    """Class and subclass features by level, then ancestry traits, then the background feature."""
    lines = list(detail.get("features") or [])
    if detail.get("background_feature") and detail["background_feature"] not in lines:
        lines.append(detail["background_feature"])
    group = {"class": 0, "subclass": 0, "ancestry": 1, "background": 2}  # class and subclass interleave by level
    lines.sort(key=lambda f: (group.get(f["source"], 3), f["level"] if group.get(f["source"]) == 0 else 0))
    return [{"name": f["name"], "summary": f.get("summary") or "",
             "tag": f"{FEATURE_SOURCES.get(f['source'], f['source'].title())}"
                    + (f" {f['level']}" if f["source"] in ("class", "subclass") and f.get("level") else "")}
            for f in lines]


def _spells(data: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any] | None:
    casting, spells = data.get("spellcasting"), data.get("spells") or []
    if not casting and not spells:
        return None
    slots = (casting or {}).get("slots") or []
    levels: dict[int, list[dict[str, Any]]] = {}
    for spell in spells:
        levels.setdefault(spell["level"], []).append(spell)
    for level, count in enumerate(slots, start=1):
        if count:
            levels.setdefault(level, [])
    rows = []
    for level in sorted(levels):
        count = slots[level - 1] if 0 < level <= len(slots) else 0
        rows.append({"label": "Cantrips" if level == 0 else f"{_ordinal(level)} level",
                     "slots": count, "spells": [{"name": s["name"], "always": s.get("always_prepared", False)}
                                                for s in levels[level]]})
    book: dict[int, list[str]] = {}
    for spell in detail.get("spellbook") or []:
        book.setdefault(spell["level"], []).append(spell["name"])
    facts = []
    if casting:
        facts = [("Ability", casting["ability"].upper()), ("Save DC", str(casting["save_dc"])),
                 ("Attack", _signed(casting["attack_bonus"]))]
        if casting.get("prepared") is not None:
            facts.append(("Prepared", str(casting["prepared"])))
    return {"facts": facts, "pact": bool((casting or {}).get("pact_magic")), "rows": rows,
            "always": any(s.get("always_prepared") for s in spells),
            "book": [(f"{_ordinal(lv)}", names) for lv, names in sorted(book.items())]}


def _gear(data: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any] | None:
    if "equipment" not in data:
        return None
    items = [{"name": i["name"], "quantity": i["quantity"], "bought": i["source"] == "purchase"}
             for i in data["equipment"]]
    coins = detail.get("coins")
    purse = [f"{coins[c]} {c}" for c in ("pp", "gp", "ep", "sp", "cp") if coins.get(c)] if coins else []
    carrying = detail.get("carrying")
    notes = []
    if carrying:
        notes.append(f"Carrying {carrying['weight_lb']:g} lb of {carrying['capacity_lb']} lb")
    if not coins:
        notes.append(f"Spent {data['total_cost_gp']:g} gp of a {data['budget_gp']:g} gp budget")
    return {"items": items, "trinkets": data.get("trinkets") or [], "coins": ", ".join(purse) if coins else None,
            "notes": notes}


def _story(data: dict[str, Any]) -> dict[str, Any] | None:
    story = data.get("background")
    if not story:
        return None
    return {"appearance": story.get("appearance") or "",
            "sections": [(label, story[key]) for key, label in STORY_SECTIONS.items() if story.get(key)],
            "lists": [(label, story[key]) for key, label in STORY_LISTS.items() if story.get(key)]}


def _footer(data: dict[str, Any]) -> str:
    prov = data.get("provenance") or {}
    parts = [f"charforge {prov['charforge']}" if prov.get("charforge") else "charforge",
             f"schema {data.get('schema_version', '?')}"]
    if "seed" in prov:
        parts.append(f"seed {prov['seed']}")
    if prov.get("provider"):
        parts.append(f"{prov['provider']} ({prov.get('model', '')})")
    return " · ".join(parts)
