"""Export a character as a Foundry VTT actor for the dnd5e system (experimental).

Field paths follow the dnd5e system's documented actor data (system.abilities.<key>.value,
system.attributes.hp/ac/movement, system.details.*, system.traits.*, system.spells.spellN and
embedded items for the class, gear and spells). Foundry migrates older data on import; this writes
the shape of dnd5e 3.x–4.x. Everything charforge knows beyond that goes under flags.charforge.
"""

from __future__ import annotations

import html
from typing import Any

from charforge.models import SCHEMA_VERSION, STORY_SECTIONS, Character
from charforge.rules.identity import ALIGNMENTS
from charforge.rules.lookup import find_item, find_spell
from charforge.rules.pack import load

SIZES = {"Tiny": "tiny", "Small": "sm", "Medium": "med", "Large": "lg"}
SCHOOLS = {"abjuration": "abj", "conjuration": "con", "divination": "div", "enchantment": "enc",
           "evocation": "evo", "illusion": "ill", "necromancy": "nec", "transmutation": "trs"}
PREPARATION = {"full": "prepared", "half": "prepared", "known": "always", "pact": "pact"}


def to_foundry_json(character: Character) -> str:
    """The registered `foundry` format: the actor as indented JSON."""
    import json

    return json.dumps(to_foundry(character), indent=2, ensure_ascii=False) + "\n"


def to_foundry(character: Character) -> dict[str, Any]:
    pack = load()
    race, klass = pack.races[character.ancestry], pack.classes[character.class_name]
    scores = character.abilities.model_dump()
    casting = character.spellcasting
    spells = {f"spell{n}": {"value": count, "override": None}
              for n, count in enumerate(casting.slots if casting and not casting.pact_magic else [0] * 9, start=1)}
    if casting and casting.pact_magic:
        level = next((n for n, count in enumerate(casting.slots, start=1) if count), 0)
        spells["pact"] = {"value": max(casting.slots), "override": None, "level": level}
    return {
        "name": character.name,
        "type": "character",
        "img": "icons/svg/mystery-man.svg",
        "system": {
            "abilities": {k: {"value": v, "proficient": int(k in character.saving_throws)} for k, v in scores.items()},
            "attributes": {
                "ac": {"calc": "flat", "flat": character.ac},
                "hp": {"value": character.hp, "max": character.hp, "temp": 0, "tempmax": 0},
                "movement": {"walk": character.speed, "units": "ft"},
                "spellcasting": casting.ability if casting else "",
                "prof": character.proficiency_bonus,
            },
            "details": {
                "biography": {"value": _biography(character), "public": ""},
                "alignment": ALIGNMENTS.get(character.alignment, character.alignment),
                "race": race.name,
                "background": character.background.origin,
                "trait": "\n".join(character.background.personality_traits),
                "ideal": "\n".join(character.background.ideals),
                "bond": "\n".join(character.background.bonds),
                "flaw": "\n".join(character.background.flaws),
                "appearance": character.background.appearance,
            },
            "traits": {
                "size": SIZES.get(character.size, "med"),
                "languages": {"value": list(character.languages), "custom": ""},
            },
            "currency": {"pp": 0, "gp": 0, "ep": 0, "sp": 0, "cp": 0},
            "spells": spells,
        },
        "items": [_class_item(character, klass.name, klass.hit_die), *_gear(character), *_spells(character, klass)],
        "flags": {"charforge": {"schema_version": SCHEMA_VERSION,
                                "provenance": character.provenance.model_dump(mode="json")}},
    }


def _biography(character: Character) -> str:
    story = character.background
    body = "".join(f"<h3>{title}</h3><p>{html.escape(getattr(story, key))}</p>"
                   for key, title in STORY_SECTIONS.items())
    hooks = "".join(f"<li>{html.escape(h)}</li>" for h in story.hooks)
    return body + (f"<h3>Hooks</h3><ul>{hooks}</ul>" if hooks else "")


def _class_item(character: Character, name: str, hit_die: int) -> dict[str, Any]:
    return {"name": name, "type": "class",
            "system": {"identifier": character.class_name, "levels": character.level, "hitDice": f"d{hit_die}"}}


def _gear(character: Character) -> list[dict[str, Any]]:
    pack = load()
    items = []
    for line in character.equipment:
        index, _ = find_item(line.name)
        info = pack.equipment[index] if index else None
        kind = "weapon" if info and info.weapon else "equipment" if info and info.armor else "loot"
        system: dict[str, Any] = {"quantity": line.quantity, "price": {"value": info.cost_gp if info else 0,
                                                                     "denomination": "gp"},
                                  "weight": {"value": info.weight if info else 0, "units": "lb"}}
        if info and info.armor:
            system["armor"] = {"value": info.armor.base, "dex": info.armor.max_bonus}
            system["type"] = {"value": info.armor.category}
        if info and info.weapon:
            system["damage"] = {"base": {"formula": info.weapon.damage, "types": [info.weapon.damage_type]}}
            system["type"] = {"value": f"{info.weapon.category}{'M' if info.weapon.range == 'melee' else 'R'}"}
        items.append({"name": line.name, "type": kind, "system": system})
    items += [{"name": t, "type": "loot", "system": {"quantity": 1}} for t in character.trinkets]
    return items


def _spells(character: Character, klass: Any) -> list[dict[str, Any]]:
    pack = load()
    found = []
    for entry in character.spells:
        index, _ = find_spell(entry.name)
        info = pack.spells[index] if index else None
        found.append({"name": entry.name, "type": "spell", "system": {
            "level": entry.level, "school": SCHOOLS.get(entry.school, entry.school),
            "preparation": {"mode": PREPARATION.get(klass.caster or "", "prepared"), "prepared": True},
            "properties": [p for p, on in (("ritual", info and info.ritual), ("concentration",
                                                                              info and info.concentration)) if on],
        }})
    return found
