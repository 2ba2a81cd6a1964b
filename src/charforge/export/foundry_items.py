"""The items of an exported actor: the character's gear, spells and features, each copied from the compendium index.

Gear: one item per SRD item carried (lines of the same item added up), weapons equipped and armour and shield
equipped when the sheet's AC wears them (`rules.stats.worn`), ammunition counted per piece as the compendium prices
it, packs as containers holding their contents. Spells: `system.method` and `system.prepared` as dnd5e 5.x stores
them per class. Anything without a compendium entry is left out and named in the returned list, never invented.
"""

from __future__ import annotations

from typing import Any

from charforge.export.foundry_embed import embed, entry, entry_by_uuid, foundry_id
from charforge.models import Character, SpellEntry
from charforge.rules.lookup import find_item, find_spell
from charforge.rules.stats import Worn

Item = dict[str, Any]
ARMOUR_TYPES = frozenset({"light", "medium", "heavy", "natural"})  # CONFIG.DND5E.armorTypes, shields apart
MAX_DEPTH = 5  # PhysicalItemTemplate.MAX_DEPTH: how deep containers nest


def gear(character: Character, seed: int, wearing: Worn) -> tuple[list[Item], list[str]]:
    """Embedded items for the equipment carried, and the names of lines with no compendium entry."""
    carried: dict[str, int] = {}
    missing: list[str] = []
    for line in character.equipment:
        index, _ = find_item(line.name)
        if entry("item", index) is None:
            missing.append(line.name)
            continue
        carried[index] = carried.get(index, 0) + line.quantity  # type: ignore[index]
    items: list[Item] = []
    for index, quantity in carried.items():
        found = entry("item", index)
        assert found is not None
        if found["type"] == "container":  # dnd5e keeps a container's quantity at 1: two packs are two containers
            for n in range(quantity):
                key = f"item:{index}" + (f"#{n + 1}" if n else "")
                item = embed(found, foundry_id(seed, key))
                items += [item, *_contents(found, item, seed, key, depth=1)]
            continue
        item = embed(found, foundry_id(seed, f"item:{index}"))
        # The compendium counts pieces (an arrow, a ball bearing); its own quantity is how many one SRD line holds
        # (a bag of 1,000 ball bearings), and charforge's lines already count arrows one by one.
        item["system"]["quantity"] = quantity * int(found["system"].get("quantity") or 1)
        _equip(item, index, wearing)
        items.append(item)
    return items, missing


def _equip(item: Item, index: str, wearing: Worn) -> None:
    system = item["system"]
    kind = (system.get("type") or {}).get("value")
    if item["type"] == "weapon":
        system["equipped"] = True  # weapons at hand, as dnd5e's own ready-made characters carry them
    elif item["type"] == "equipment" and kind in ARMOUR_TYPES:
        system["equipped"] = index == wearing.armour
    elif item["type"] == "equipment" and kind == "shield":
        system["equipped"] = wearing.shield


def _contents(container: dict[str, Any], parent: Item, seed: int, key: str, *, depth: int) -> list[Item]:
    """The items a pack holds, each inside it (`system.container`), as many as the compendium's pack has."""
    if depth > MAX_DEPTH:
        return []
    items: list[Item] = []
    for content in container.get("contents") or []:
        # The index lists a pack's contents as whole documents (the compendium's copies inside that pack).
        found = content if "system" in content else entry_by_uuid(content["uuid"])
        if found is None:
            continue
        inner_key = f"{key}/{content['uuid']}"
        item = embed(found, foundry_id(seed, inner_key))
        item["system"]["container"] = parent["_id"]
        if item["type"] != "container":
            item["system"]["quantity"] = int(content.get("quantity") or 1)
        if "equipped" in item["system"]:
            item["system"]["equipped"] = False
        items.append(item)
        items += _contents(found, item, seed, inner_key, depth=depth + 1)
    return items


def features(indexes: list[str], seed: int) -> list[Item]:
    """Feat items for charforge's feature indexes (class, subclass, options, ancestry traits), one per compendium
    document (Extra Attack at 5th and 11th is one dnd5e feature)."""
    items: list[Item] = []
    seen: set[str] = set()
    for index in indexes:
        found = entry("feature", index)
        if found is None or found["uuid"] in seen:
            continue
        seen.add(found["uuid"])
        items.append(embed(found, foundry_id(seed, f"feature:{found['uuid']}")))
    return items


def spells(character: Character, seed: int, *, method: str, class_id: str, subclass_id: str | None,
           arcanum: frozenset[int]) -> tuple[list[Item], set[str], list[str]]:
    """Spell items for the class's spells: (items, ids of the spells a class choice picked, names not found).

    Prepared today: prepared 1; a subclass's always-prepared spells: prepared 2 (sourceItem the subclass); the
    rest of a wizard's spellbook: prepared 0; known casters' spells and cantrips: prepared 1. A warlock's spells
    use the pact method; its Mystic Arcanum spells (levels in `arcanum`) are left for the class's Mystic Arcanum
    choices to configure (at will, once per long rest).
    """
    items: list[Item] = []
    chosen: set[str] = set()
    missing: list[str] = []
    today = {s.name for s in character.spells}
    book = [(s, False) for s in character.spells] + [(s, True) for s in character.spellbook if s.name not in today]
    for spell, unprepared in book:
        item = _spell(spell, seed)
        if item is None:
            missing.append(spell.name)
            continue
        system = item["system"]
        if spell.always_prepared and subclass_id:
            system.update(method="spell", prepared=2, sourceItem=f"subclass:{subclass_id}")
        else:
            system.update(method=method, prepared=0 if unprepared else 1, sourceItem=f"class:{class_id}")
        if spell.level in arcanum:
            chosen.add(item["_id"])
        items.append(item)
    return items, chosen, missing


def racial_cantrip(index: str | None, seed: int, race_id: str) -> Item | None:
    """A high elf's wizard cantrip, for the race's cantrip choice to configure (innate, with Intelligence)."""
    found = entry("spell", index)
    if found is None:
        return None
    item = embed(found, foundry_id(seed, f"racial-spell:{index}"))
    item["system"]["sourceItem"] = f"race:{race_id}"
    return item


def _spell(spell: SpellEntry, seed: int) -> Item | None:
    index, _ = find_spell(spell.name)
    found = entry("spell", index)
    return None if found is None else embed(found, foundry_id(seed, f"spell:{index}"))
