"""Embedding SRD compendium items in an exported actor: copies of the index's entries, linked back to the compendium.

Every embedded item is a deep copy of its index entry (`charforge.export.foundry_index`), given a deterministic
`_id` (the same character always exports the same bytes) and `_stats.compendiumSource` = the entry's UUID, so
Foundry shows the compendium's description, rolls its activities and knows where the item came from. The index
stores each compendium document's `system` as dnd5e's sources hold it; `stored_system` brings the older shapes
among them to what dnd5e 5.3.3 stores (its data models migrate them the same way on load), so nothing written
falls outside dnd5e's schema.
"""

from __future__ import annotations

import copy
import hashlib
from functools import cache
from typing import Any

ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # Foundry's randomID characters
ID_LENGTH = 16
SYSTEM_ID = "dnd5e"
# Packaging keys of dnd5e's YAML sources (`_key`, `folder`, `sort`) are not part of an embedded document.
_PACKAGING = ("_key", "folder", "sort")


def foundry_id(seed: int, key: str) -> str:
    """A 16-character Foundry document id, a pure function of the character's seed and what the item is."""
    number = int.from_bytes(hashlib.sha256(f"charforge:{seed}:{key}".encode()).digest(), "big")
    chars = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, len(ID_ALPHABET))
        chars.append(ID_ALPHABET[digit])
    return "".join(chars)


def uuid_key(uuid: str) -> str:
    """A compendium UUID without the document name, as advancements write them (`Compendium.dnd5e.x.ID`)."""
    return uuid.replace(".Item.", ".")


@cache
def index() -> dict[str, Any]:
    """The compendium index, loaded once (the module is imported only when a foundry export is made)."""
    from charforge.export.foundry_index import load_index

    return load_index()


def entry(kind: str, key: str | None) -> dict[str, Any] | None:
    """The index entry for `kind:key` (spell, item, class, subclass, feature, race, background), or None."""
    return index()["entries"].get(f"{kind}:{key}") if key else None


@cache
def _by_uuid() -> dict[str, dict[str, Any]]:
    return {uuid_key(e["uuid"]): e for e in index()["entries"].values()}


def entry_by_uuid(uuid: str) -> dict[str, Any] | None:
    """The index entry of a compendium document by its UUID (a container's contents name them so)."""
    return _by_uuid().get(uuid_key(uuid))


def dnd5e_version() -> str:
    return str(index().get("dnd5e", ""))


def core_version() -> str | None:
    """The Foundry core version the index was read for (its system's minimum), if it says."""
    core = index().get("core")
    if isinstance(core, dict):
        return core.get("minimum") or core.get("verified")
    return core if isinstance(core, str) else None


def stats(compendium_source: str | None) -> dict[str, Any]:
    """`_stats` for an exported document: what wrote it and, for an item, the compendium document it copies."""
    return {"compendiumSource": compendium_source, "duplicateSource": None, "coreVersion": core_version(),
            "systemId": SYSTEM_ID, "systemVersion": dnd5e_version()}


def embed(found: dict[str, Any], item_id: str) -> dict[str, Any]:
    """An embedded item copied from index entry `found`, with id `item_id`; callers adjust its `system`."""
    effects = [{k: v for k, v in effect.items() if k not in _PACKAGING} for effect in copy.deepcopy(
        found.get("effects") or [])]
    return {"_id": item_id, "name": found["name"], "type": found["type"], "img": found.get("img"),
            "system": stored_system(found["type"], copy.deepcopy(found["system"])), "effects": effects,
            "flags": {}, "_stats": stats(found["uuid"])}


def stored_system(kind: str, system: dict[str, Any]) -> dict[str, Any]:
    """`system` in the shape dnd5e 5.3.3 stores, from the older shapes some compendium sources still use.

    Each step is one of dnd5e's own data-model migrations (`_migrateData`), named after it.
    """
    if kind == "class":  # ClassData.#migrateHitDice, #migrateSpellcastingData
        hd = system.setdefault("hd", {})
        if "hitDice" in system:
            hd.setdefault("denomination", system.pop("hitDice"))
        if "hitDiceUsed" in system:
            hd.setdefault("spent", system.pop("hitDiceUsed") or 0)
        if isinstance(system.get("spellcasting"), dict) and system["spellcasting"].get("progression") == "":
            system["spellcasting"]["progression"] = "none"
    if kind == "spell":  # SpellData.#migratePreparation, #migrateSourceItem
        _migrate_preparation(system)
        if "sourceClass" in system:
            source = system.pop("sourceClass")
            if source:
                system.setdefault("sourceItem", f"class:{source}")
    if isinstance(system.get("senses"), dict):  # SensesField._migrate
        senses = system["senses"]
        ranges = senses.setdefault("ranges", {})
        for sense in ("darkvision", "blindsight", "tremorsense", "truesight"):
            if sense in senses:
                ranges.setdefault(sense, senses.pop(sense))
    if kind == "container":  # ContainerData.#migrateCapacity, #migrateQuantity
        _migrate_capacity(system)
        system["quantity"] = 1
    if isinstance(system.get("advancement"), list):  # AdvancementTemplate.#migrateStorage: keyed by id
        system["advancement"] = {a["_id"]: a for a in system["advancement"]}
    for advancement in (system.get("advancement") or {}).values():
        spell = (advancement.get("configuration") or {}).get("spell")
        if isinstance(spell, dict):  # SpellConfigurationData.migrateData
            if isinstance(spell.get("ability"), str):
                spell["ability"] = [spell["ability"]] if spell["ability"] else []
            _migrate_preparation(spell, default_prepared=0)
    for activity in (system.get("activities") or {}).values():
        _migrate_activity(activity)
    for name in DROPPED.get(kind, DROPPED["*"]):
        system.pop(name, None)
    return system


# Fields some SRD sources still carry that dnd5e 5.3.3 no longer defines for the item type, so Foundry drops them
# on import (`SchemaField._cleanType`): a vehicle's `crewed` on gear, weapon fields left on arcane foci.
DROPPED = {"feat": (), "*": ("crewed",),
           "equipment": ("crewed", "ammunition", "damage", "magicalBonus", "range", "mastery")}


def _migrate_capacity(system: dict[str, Any]) -> None:
    """A container's old `capacity: {type, value}` -> `capacity.weight.value` or `capacity.count`."""
    capacity = system.get("capacity")
    if not isinstance(capacity, dict) or "type" not in capacity:
        return
    kind, value = capacity.pop("type"), capacity.pop("value", None)
    weight = capacity.get("weight")
    if not value or "count" in capacity or (isinstance(weight, dict) and weight.get("value")):
        return
    if kind == "weight":
        capacity.setdefault("weight", {})["value"] = value
    elif kind == "items":
        capacity["count"] = value


def _migrate_activity(activity: dict[str, Any]) -> None:
    """Activity migrations (summon, transform, enchant: `identifier` -> `visibility.identifier`; save: one
    ability -> a list), and `appliedEffects`, a sheet form's field some sources kept, which is not stored."""
    activity.pop("appliedEffects", None)
    for key in ("summon", "transform", "enchant"):
        section = activity.get(key)
        if isinstance(section, dict) and "identifier" in section:
            identifier = section.pop("identifier")
            if identifier:
                activity.setdefault("visibility", {})["identifier"] = identifier
    if activity.get("type") == "transform":
        activity.pop("roll", None)  # not a transform activity's field in 5.3.3
    save = activity.get("save")
    if isinstance(save, dict) and isinstance(save.get("ability"), str):
        save["ability"] = [save["ability"]] if save["ability"] else []


def _migrate_preparation(data: dict[str, Any], *, default_prepared: int | None = None) -> None:
    """`preparation` ({mode, prepared} or a mode string) -> `method` and `prepared` (dnd5e 5.1)."""
    if "preparation" not in data:
        return
    old = data.pop("preparation")
    mode, prepared = (old.get("mode"), old.get("prepared")) if isinstance(old, dict) else (old, None)
    if mode == "always":
        data.setdefault("method", "spell")
        data.setdefault("prepared", 2)
        return
    if mode:
        data.setdefault("method", "spell" if mode == "prepared" else mode)
    if isinstance(prepared, bool):
        data.setdefault("prepared", int(prepared))
    elif default_prepared is not None:
        data.setdefault("prepared", default_prepared)
