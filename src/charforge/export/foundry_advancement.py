"""Fill in the advancement of the embedded class, subclass, race and background as dnd5e would have left it.

dnd5e builds a character by applying each origin item's `system.advancement` level by level (hit points, trait
choices, granted features, choices of features or spells, the subclass, the size), and records in each
advancement's `value` what it applied. An exported actor arrives already built, so its advancements are filled in
from what charforge chose: the skills a class advancement offered and charforge picked, the features granted, the
fighting style or invocations chosen, the Mystic Arcanum spells. Items an advancement granted carry
`flags.dnd5e.advancementOrigin` ("<item id>.<advancement id>") as dnd5e sets it, and spells get the advancement's
spell configuration (method, prepared, ability, uses), as `SpellConfigurationData.applySpellChanges` does.
Nothing is made up: an advancement whose choice charforge did not make keeps the compendium's empty value.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from charforge.export.foundry_embed import embed, entry_by_uuid, foundry_id, uuid_key

Item = dict[str, Any]


@dataclass
class Traits:
    """The character's proficiencies and traits as dnd5e trait keys ("skills:prc", "weapon:mar:longsword",
    "languages:standard:common", "dr:fire"), with where each skill came from, so a class's skill choice picks the
    skills charforge gave for the class."""

    keys: list[str]
    sources: dict[str, str] = field(default_factory=dict)  # "skills:x" -> class, background, ancestry, subclass
    expertise: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # keys an advancement has already chosen
    granted: list[str] = field(default_factory=list)  # keys advancements grant outright (dnd5e applies them)

    def candidates(self, source: str, pool: Iterable[str], *, expertise: bool = False) -> list[str]:
        """Keys a choice from `pool` could have picked for an origin whose skills come from `source`."""
        if expertise:  # expertise doubles a proficiency some other advancement chose
            return [k for k in self.expertise if any(_matches(p, k) for p in pool)]
        found = [k for k in self.keys if k not in self.used and any(_matches(p, k) for p in pool)]
        return [k for k in found if not k.startswith("skills:") or self.sources.get(k) == source]


def _matches(pattern: str, key: str) -> bool:
    """dnd5e trait pools: "skills:*" matches any skill, "tool:music:*" any instrument, "languages:*" any language
    (a key names its category: "languages:standard:common")."""
    if pattern.endswith("*"):
        return key.startswith(pattern[:-1])
    return key == pattern


@dataclass
class Origin:
    """One embedded item whose advancement is filled: the class, subclass, race or background."""

    item: Item
    level: int  # the class level, or the character level for a race or background
    source: str  # which of charforge's skill sources its choices draw from


def fill(origin: Origin, items: list[Item], traits: Traits, *, seed: int, size: str, racial: dict[str, int],
         improvements: dict[int, dict[str, int]], chosen_spells: set[str]) -> list[Item]:
    """Fill `origin`'s advancement in place; return the spells it grants that were not embedded yet.

    `items` are the actor's embedded items so far: granted features are found among them by their compendium
    source. `racial` is the race's ability score increases, `improvements` the class's Ability Score
    Improvements by class level. `chosen_spells` are the ids of the spells charforge chose for a spell choice
    (Mystic Arcanum, a high elf's cantrip), each with the `sourceItem` of the class or race whose choice it fills.
    """
    owner = origin.item
    added: list[Item] = []
    for advancement in (owner["system"].get("advancement") or {}).values():
        kind, level = advancement.get("type"), int(advancement.get("level") or 0)
        if kind == "ItemChoice":
            _item_choice(owner, advancement, origin.level, items, chosen_spells)
            continue
        if level > origin.level:
            continue
        if kind == "HitPoints":
            advancement["value"] = {str(n): "max" if n == 1 else "avg" for n in range(1, origin.level + 1)}
        elif kind == "Trait" and advancement.get("classRestriction") != "secondary":
            _trait(advancement, traits, origin.source)
        elif kind == "ItemGrant":
            added += _item_grant(owner, advancement, items, seed)
        elif kind == "Subclass":
            sub = next((i for i in items if i["type"] == "subclass"), None)
            if sub is not None:
                advancement["value"] = {"document": sub["_id"], "uuid": sub["_stats"]["compendiumSource"]}
        elif kind == "Size":
            advancement["value"] = {"size": size}
        elif kind == "AbilityScoreImprovement" and owner["type"] == "race" and racial:
            advancement["value"] = {"type": "asi", "assignments": dict(racial)}
        elif kind == "AbilityScoreImprovement" and owner["type"] == "class" and level in improvements:
            advancement["value"] = {"type": "asi", "assignments": improvements[level]}
    return added


def _trait(advancement: dict[str, Any], traits: Traits, source: str) -> None:
    config = advancement.get("configuration") or {}
    mode = config.get("mode", "default")
    if mode not in ("default", "expertise"):
        return  # mastery and upgrade modes: charforge has nothing to say about them
    expertise = mode == "expertise"
    chosen = [] if expertise else list(config.get("grants") or [])
    traits.granted += chosen
    for choice in config.get("choices") or []:
        picks = traits.candidates(source, choice.get("pool") or [], expertise=expertise)
        chosen += [k for k in picks if k not in chosen][: int(choice.get("count") or 1)]
    if not chosen:
        return  # nothing charforge chose: the compendium's empty value stays
    traits.used.update(k for k in chosen if not expertise)
    if expertise:
        traits.expertise = [k for k in traits.expertise if k not in chosen]
    advancement["value"] = {"chosen": chosen}


def _item_grant(owner: Item, advancement: dict[str, Any], items: list[Item], seed: int) -> list[Item]:
    config = advancement.get("configuration") or {}
    granted: dict[str, str] = {}
    added: list[Item] = []
    for grant in config.get("items") or []:
        uuid = uuid_key(grant.get("uuid", ""))
        found = entry_by_uuid(uuid)
        if found is not None and found["type"] == "spell":
            # A granted spell is its own copy (a tiefling warlock may also know darkness as a warlock spell).
            item = embed(found, foundry_id(seed, f"granted:{owner['_id']}:{uuid}"))
            added.append(item)
        elif (item := _embedded(items, uuid)) is None:
            continue  # a feature charforge does not list is not granted here
        _grant(owner, advancement, item)
        granted[item["_id"]] = item["_stats"]["compendiumSource"]
    if granted:
        advancement["value"] = {"added": granted}
    return added


def _item_choice(owner: Item, advancement: dict[str, Any], level: int, items: list[Item],
                 chosen_spells: set[str]) -> None:
    config = advancement.get("configuration") or {}
    pool = {uuid_key(p.get("uuid", "")) for p in config.get("pool") or []}
    restriction = config.get("restriction") or {}
    added: dict[str, dict[str, str]] = {}
    for at, choice in sorted((config.get("choices") or {}).items(), key=lambda kv: int(kv[0])):
        count = int(choice.get("count") or 0)
        if int(at) > level or not count:
            continue
        picks = [i for i in items if _chosen_by(i, owner, config.get("type"), pool, restriction, chosen_spells)]
        picks = picks[:count]
        for item in picks:
            _grant(owner, advancement, item)
            added.setdefault(str(at), {})[item["_id"]] = item["_stats"]["compendiumSource"]
    if added:
        advancement["value"] = {**(advancement.get("value") or {}), "added": added, "replaced": {}}


def _chosen_by(item: Item, owner: Item, kind: str | None, pool: set[str], restriction: dict[str, Any],
               chosen_spells: set[str]) -> bool:
    """Whether an embedded item is one this choice could have picked and no advancement has claimed yet."""
    if item.get("flags", {}).get("dnd5e", {}).get("advancementOrigin"):
        return False
    if kind and item["type"] != kind:
        return False
    system = item["system"]
    if item["type"] == "spell":
        return (item["_id"] in chosen_spells and str(system.get("level")) == str(restriction.get("level") or "")
                and system.get("sourceItem") == f"{owner['type']}:{owner['system'].get('identifier', '')}")
    if uuid_key(item["_stats"]["compendiumSource"] or "") in pool:
        return True
    kind_of = system.get("type") or {}
    return bool(restriction.get("subtype")) and (kind_of.get("value"), kind_of.get("subtype")) == (
        restriction.get("type") or kind_of.get("value"), restriction.get("subtype"))


def _grant(owner: Item, advancement: dict[str, Any], item: Item) -> None:
    """Mark `item` as applied by `advancement`, and apply its spell configuration to a spell."""
    item.setdefault("flags", {}).setdefault("dnd5e", {})["advancementOrigin"] = f"{owner['_id']}.{advancement['_id']}"
    spell = (advancement.get("configuration") or {}).get("spell")
    if item["type"] == "spell" and isinstance(spell, dict):
        apply_spell_config(item, spell, owner)


def apply_spell_config(item: Item, config: dict[str, Any], owner: Item) -> None:
    """dnd5e's `SpellConfigurationData.applySpellChanges`: ability, method and prepared, the source item, and
    limited uses that each cast spends (a slotless method modifies the spell's casting activities to spend one)."""
    system = item["system"]
    abilities = config.get("ability") or []
    if abilities:
        system["ability"] = abilities[0]
    if config.get("method"):
        system["method"] = config["method"]
        system["prepared"] = int(config.get("prepared") or 0)
    system["sourceItem"] = f"{owner['type']}:{owner['system'].get('identifier', '')}"
    uses = config.get("uses") or {}
    if uses.get("max") and uses.get("per"):
        system["uses"] = {**(system.get("uses") or {}), "max": str(uses["max"]), "spent": 0,
                          "recovery": [*(system.get("uses") or {}).get("recovery", []),
                                       {"period": uses["per"], "type": "recoverAll"}]}
        for activity in (system.get("activities") or {}).values():
            consumption = activity.get("consumption")
            if isinstance(consumption, dict) and consumption.get("spellSlot"):
                consumption = activity["consumption"] = copy.deepcopy(consumption)
                consumption.setdefault("targets", []).append({"type": "itemUses", "target": "", "value": "1"})


def _embedded(items: list[Item], uuid: str) -> Item | None:
    return next((i for i in items if uuid_key(i["_stats"]["compendiumSource"] or "") == uuid), None)
