"""What a dnd5e actor is made of, worked out from one character document: its items and its stored numbers.

`Actor.build` recomputes from the document what the sheet was computed from (the seeded choices of skills,
tools, options; the armour worn for the sheet's AC), embeds the compendium items, fills in their advancement, and
then reads the actor's proficiencies back as dnd5e trait keys, so the actor and its class item agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from charforge.export import foundry_codes as codes
from charforge.export.foundry_advancement import Origin, Traits, fill
from charforge.export.foundry_embed import embed, entry, foundry_id
from charforge.export.foundry_items import features, gear, racial_cantrip, spells
from charforge.models import ABILITY_NAMES, Character
from charforge.rules.choices import Choices, choose, gained_features
from charforge.rules.lookup import find_item, find_spell
from charforge.rules.pack import ClassInfo, load
from charforge.rules.stats import DRACONIC_RESILIENCE, Worn, ability_audit, has_subclass, worn

Item = dict[str, Any]
MOVEMENT_KEY = "system.attributes.movement.walk"
AC_CALC_KEY, AC_BONUS_KEY = "system.attributes.ac.calc", "system.attributes.ac.bonus"
ADD = 2  # CONST.ACTIVE_EFFECT_MODES.ADD
SCALE = re.compile(r"^@scale\.([\w-]+)\.([\w-]+)$")


@dataclass
class Actor:
    character: Character
    klass: ClassInfo
    choices: Choices
    wearing: Worn
    items: list[Item] = field(default_factory=list)
    traits: Traits = field(default_factory=lambda: Traits([]))
    unmapped: list[str] = field(default_factory=list)
    class_id: str | None = None
    race_id: str | None = None
    background_id: str | None = None
    chosen_spells: set[str] = field(default_factory=set)  # spells a class or race choice picked (Mystic Arcanum)
    custom_languages: list[str] = field(default_factory=list)  # languages dnd5e has no key for

    @classmethod
    def build(cls, character: Character) -> Actor:
        pack = load()
        klass, race = pack.classes[character.class_name], pack.races[character.ancestry]
        seed, level = character.provenance.seed, character.level
        known = tuple(i for i in (find_spell(s.name)[0] for s in character.spells) if i)
        choices = choose(seed, character.class_name, character.ancestry, level, character.abilities,
                         character.background.origin, known)
        carried = [i for i in (find_item(line.name)[0] for line in character.equipment) if i]
        actor = cls(character, klass, choices, worn(character.abilities, klass, race, level, carried,
                                                    choices.options))
        actor._embed_items()
        actor._fill_advancement()
        actor._settle_effects()
        return actor

    # -- items --------------------------------------------------------------------------------------

    def _embed_items(self) -> None:
        character, seed = self.character, self.character.provenance.seed
        origins = [self._origin("class", character.class_name),
                   self._origin("subclass", character.subclass.index if character.subclass else None),
                   self._origin("race", self._race_index()),
                   self._origin("background", self.choices.background)]
        self.items = [o for o in origins if o is not None]
        self.items += features(self._feature_indexes(), seed)
        if self.choices.background and (feature := entry("background-feature", self.choices.background)):
            self.items.append(embed(feature, foundry_id(seed, f"background-feature:{self.choices.background}")))
        subclass = self._item("subclass")
        casting = self._item("class")["system"].get("spellcasting") or {}  # type: ignore[index]
        found, self.chosen_spells, missing = spells(
            character, seed, method=codes.SLOT_METHOD.get(casting.get("progression"), "spell"),
            class_id=character.class_name,
            subclass_id=subclass["system"].get("identifier") if subclass else None,
            arcanum=frozenset(self.klass.at(character.level).arcanum))
        self.items += found
        race = self._item("race")
        if race is not None and (cantrip := racial_cantrip(self.choices.racial_cantrip, seed,
                                                             race["system"].get("identifier", ""))):
            self.items.append(cantrip)
            self.chosen_spells.add(cantrip["_id"])
        things, lost = gear(character, seed, self.wearing)
        self.items += things
        self.unmapped = missing + lost

    def _origin(self, kind: str, key: str | None) -> Item | None:
        found = entry(kind, key)
        if found is None:
            if key:
                self.unmapped.append(f"{kind}:{key}")
            return None
        item = embed(found, foundry_id(self.character.provenance.seed, kind))
        system = item["system"]
        if kind == "class":
            system["levels"] = self.character.level
            system["hd"] = {**system.get("hd", {}), "denomination": f"d{self.klass.hit_die}", "spent": 0}
            if self.klass.spellcasting_ability:
                system.setdefault("spellcasting", {})["ability"] = self.klass.spellcasting_ability
            self.class_id = item["_id"]
        elif kind == "race":
            self.race_id = item["_id"]
        elif kind == "background":
            self.background_id = item["_id"]
        return item

    def _race_index(self) -> str | None:
        """dnd5e's SRD races pack has items for subraces; a race with subraces maps through the index too."""
        race = load().races[self.character.ancestry]
        if entry("race", self.character.ancestry) is None and race.parent:
            return race.parent
        return self.character.ancestry

    def _feature_indexes(self) -> list[str]:
        """Class and subclass features gained and options chosen (ability score improvements are advancements in
        dnd5e, not items), then the ancestry's traits."""
        pack = load()
        race = pack.races[self.character.ancestry]
        owners = {self.character.ancestry, race.parent}
        own = [i for i in [*gained_features(self.klass, self.character.level), *self.choices.options]
               if "ability-score-improvement" not in i]
        traits = [next((i for i, f in pack.features.items() if f.name == line.name and f.owner in owners), None)
                  for line in self.character.features if line.source == "ancestry"]
        return own + [t for t in traits if t]

    def _item(self, kind: str) -> Item | None:
        return next((i for i in self.items if i["type"] == kind), None)

    # -- advancement and proficiencies ------------------------------------------------------------------

    def _fill_advancement(self) -> None:
        self.traits = self._trait_keys()
        character, seed = self.character, self.character.provenance.seed
        size = codes.SIZES.get(character.size, "med")
        sources = {"race": "ancestry", "background": "background", "class": "class", "subclass": "subclass"}
        for kind, source in sources.items():
            item = self._item(kind)
            if item is not None:
                level = character.level
                self.items += fill(Origin(item, level, source), self.items, self.traits, seed=seed, size=size,
                                   racial=dict(character.ability_audit.racial), improvements=self._improvements(),
                                   chosen_spells=self.chosen_spells)

    def _improvements(self) -> dict[int, dict[str, int]]:
        """The points each Ability Score Improvement added, by class level: the differences between the rules'
        ability audits at successive improvement levels (used only when the audit at this level is the
        document's own, so the split adds up to what the sheet shows)."""
        character = self.character
        race = load().races[character.ancestry]
        method = character.ability_audit.method
        seed = character.provenance.seed
        if method not in ("4d6", "standard-array") or ability_audit(
                seed, character.class_name, race, character.level, method)[1] != character.ability_audit:
            return {}
        out: dict[int, dict[str, int]] = {}
        before: dict[str, int] = {}
        for row in self.klass.levels[: character.level]:
            if row.level > 1 and row.asi > self.klass.at(row.level - 1).asi:
                raised = dict(ability_audit(seed, character.class_name, race, row.level, method)[1].improvements)
                out[row.level] = {a: n - before.get(a, 0) for a, n in raised.items() if n > before.get(a, 0)}
                before = raised
        return out

    def _trait_keys(self) -> Traits:
        """charforge's proficiencies, languages and resistances as dnd5e trait keys."""
        character, pack = self.character, load()
        keys = [f"saves:{s.ability}" for s in character.saves if s.proficient]
        sources: dict[str, str] = {}
        by_name = {s.name: i for i, s in pack.skills.items()}
        for line in character.skills:
            if line.proficient and (code := codes.SKILLS.get(by_name.get(line.name, ""))):
                keys.append(f"skills:{code}")
                sources[f"skills:{code}"] = line.source or ""
        expertise = [f"skills:{codes.SKILLS[s]}" for s in self.choices.expertise if s in codes.SKILLS]
        languages = {lang.name: (i, lang.type) for i, lang in pack.languages.items()}
        for name in character.proficiencies.languages:
            index_, kind = languages.get(name, (None, None))
            if index_ in codes.LANGUAGES:
                keys.append(f"languages:{kind}:{codes.LANGUAGES[index_]}")
            else:
                self.custom_languages.append(name)
        keys += [f"armor:{codes.ARMOR_CATEGORIES[a]}" for a in character.proficiencies.armor
                 if a in codes.ARMOR_CATEGORIES]
        for name in character.proficiencies.weapons:
            key = _weapon_key(name)
            keys += [key] if key else []
        for name in character.proficiencies.tools:
            key = _tool_key(name)
            keys += [key] if key else []
        keys += [f"dr:{t}" for t in character.resistances if t in codes.DAMAGE_TYPES]
        return Traits(list(dict.fromkeys(keys)), sources, expertise)

    def _all_keys(self) -> list[str]:
        return list(dict.fromkeys([*self.traits.keys, *self.traits.granted]))

    # -- effects -----------------------------------------------------------------------------------------

    def _settle_effects(self) -> None:
        """Switch off compendium effects the sheet does not count: an Unarmored Defense or Draconic Resilience
        AC mode while armour is worn, and Defense's +1 AC (the SRD's only AC bonus effect here) without armour."""
        calc = self.ac_calc()
        for item in self.items:
            for effect in item.get("effects") or []:
                for change in effect.get("changes") or []:
                    if (change.get("key") == AC_CALC_KEY and change.get("value") != calc) or (
                            change.get("key") == AC_BONUS_KEY and self.wearing.armour is None):
                        effect["disabled"] = True

    def ac_calc(self) -> str:
        """dnd5e's AC calculation for what the sheet's AC wears: `default` in armour, else the class's."""
        if self.wearing.armour is not None:
            return "default"
        unarmored = self.klass.unarmored_defense
        dex = self.character.abilities.modifier("dex")
        shield = 2 if self.wearing.shield else 0
        if unarmored and self.wearing.ac == 10 + dex + self.character.abilities.modifier(unarmored.ability) + shield:
            return {"wis": "unarmoredMonk", "con": "unarmoredBarb"}.get(unarmored.ability, "default")
        if self.character.subclass and self.character.subclass.index == "draconic" and self.wearing.ac == 13 + dex \
                + shield:
            return "draconic"
        return "default"

    def _movement_bonus(self) -> int:
        """What enabled compendium effects add to walking speed (Fast Movement, Unarmored Movement): the actor
        stores the speed without it, so dnd5e's total is the sheet's."""
        total = 0
        for item in self.items:
            for effect in item.get("effects") or []:
                if effect.get("disabled") or not effect.get("transfer", True):
                    continue
                for change in effect.get("changes") or []:
                    if change.get("key") == MOVEMENT_KEY and int(change.get("mode", 0)) == ADD:
                        total += self._number(str(change.get("value", "0")))
        return total

    def _number(self, value: str) -> int:
        if (match := SCALE.match(value)) is None:
            return int(float(value.strip().lstrip("+") or 0))
        owner, identifier = match.groups()
        for item in self.items:
            if item["type"] in ("class", "subclass") and item["system"].get("identifier") == owner:
                for advancement in (item["system"].get("advancement") or {}).values():
                    config = advancement.get("configuration") or {}
                    if advancement.get("type") == "ScaleValue" and config.get("identifier") == identifier:
                        steps = [(int(k), v) for k, v in (config.get("scale") or {}).items()
                                 if int(k) <= self.character.level]
                        return int(max(steps)[1].get("value") or 0) if steps else 0
        return 0

    # -- the actor's system data ----------------------------------------------------------------------------

    def abilities(self) -> dict[str, Any]:
        proficient = {k.split(":")[1] for k in self._all_keys() if k.startswith("saves:")}
        return {a: {"value": self.character.abilities.score(a), "proficient": int(a in proficient)}
                for a in ABILITY_NAMES}

    def attributes(self) -> dict[str, Any]:
        character = self.character
        darkvision = character.senses.get("darkvision")
        casting = character.spellcasting
        return {
            "ac": {"calc": self.ac_calc()},
            "hp": self._hit_points(),
            "movement": {"walk": str(character.speed - self._movement_bonus()), "units": "ft"},
            "senses": {"ranges": {"darkvision": darkvision} if darkvision else {}, "units": "ft", "special": ""},
            "spellcasting": casting.ability if casting else (self.klass.spellcasting_ability or ""),
        }

    def dnd5e_flags(self) -> dict[str, Any]:
        """dnd5e's character flags (CONFIG.DND5E.characterFlags) for SRD features whose compendium items carry no
        effect that sets them: Remarkable Athlete, Improved and Superior Critical, a halfling's Lucky, Brutal
        Critical's extra dice (a half-orc's Savage Attacks adds its die by an effect)."""
        gained = set(self._feature_indexes())
        flags: dict[str, Any] = {}
        if "remarkable-athlete" in gained:
            flags["remarkableAthlete"] = True
        for feature, threshold in (("improved-critical", 19), ("superior-critical", 18)):
            if feature in gained:
                flags["weaponCriticalThreshold"] = threshold
        if "lucky" in gained:
            flags["halflingLucky"] = True
        dice = self.klass.at(self.character.level).specific.get("brutal_critical_dice")
        if any(i.startswith("brutal-critical") for i in gained) and isinstance(dice, int) and dice:
            flags["meleeCriticalDamageDice"] = dice
        return flags

    def _hit_points(self) -> dict[str, Any]:
        """Current hit points; the maximum left for dnd5e to compute (`max` is an override) from the class's Hit
        Points advancement (the maximum die at 1st level, the average after, as the SRD's fixed hit points) and
        the CON modifier, plus the per-level bonus dnd5e's compendium asks for by hand (Dwarven Toughness,
        Draconic Resilience). Without a class item to compute from, the maximum is written as an override."""
        character = self.character
        klass = self._item("class")
        advancement = (klass or {}).get("system", {}).get("advancement") or {}
        computed = any(a.get("type") == "HitPoints" and a.get("value") for a in advancement.values())
        race = load().races[character.ancestry]
        per_level = race.hp_per_level_bonus + (DRACONIC_RESILIENCE["hp_per_level"] if has_subclass(
            self.klass, character.level, "draconic") else 0)
        return {"value": character.hp, "max": None if computed else character.hp, "temp": 0, "tempmax": 0,
                "bonuses": {"level": str(per_level) if per_level and computed else "", "overall": ""}}

    def traits_data(self) -> dict[str, Any]:
        keys = self._all_keys()

        def values(prefix: str) -> list[str]:
            return list(dict.fromkeys(k.split(":")[-1] for k in keys if k.startswith(prefix)))

        weapons = [k.split(":")[-1] for k in keys if k.startswith("weapon:")]
        return {
            "size": codes.SIZES.get(self.character.size, "med"),
            "languages": {"value": values("languages:"), "custom": "; ".join(self.custom_languages)},
            "weaponProf": {"value": list(dict.fromkeys(weapons)), "custom": ""},
            "armorProf": {"value": values("armor:"), "custom": ""},
            "dr": {"value": values("dr:"), "custom": ""},
            "di": {"value": values("di:"), "custom": ""},
            "ci": {"value": values("ci:"), "custom": ""},
        }

    def skills(self) -> dict[str, Any]:
        pack, keys = load(), set(self._all_keys())
        out: dict[str, Any] = {}
        by_name = {s.name: (i, s.ability) for i, s in pack.skills.items()}
        for line in self.character.skills:
            index_, ability = by_name[line.name]
            code = codes.SKILLS[index_]
            value = 2 if line.expertise else 1 if line.proficient or f"skills:{code}" in keys else 0
            out[code] = {"value": value, "ability": ability}
        return out

    def tools(self) -> dict[str, Any]:
        return {key.split(":")[-1]: {"value": 1, "ability": codes.TOOL_ABILITIES.get(key.split(":")[-1], "int")}
                for key in self._all_keys() if key.startswith("tool:")}

    def spell_slots(self) -> dict[str, Any]:
        """Slots left to spend (all of them): dnd5e computes each level's maximum from the class item."""
        casting = self.character.spellcasting
        slots = casting.slots if casting else [0] * 9
        pact = bool(casting and casting.pact_magic)
        out: dict[str, Any] = {f"spell{n}": {"value": 0 if pact else count, "override": None}
                               for n, count in enumerate(slots, start=1)}
        out["pact"] = {"value": max(slots) if pact else 0, "override": None}
        klass = self._item("class")
        progression = ((klass or {}).get("system", {}).get("spellcasting") or {}).get("progression", "none")
        if casting is None and progression != "none":
            # A paladin or ranger at 1st level: dnd5e rounds half a level up and would give two 1st-level slots
            # (the 2024 rule); SRD 5.1's Spellcasting starts at 2nd level, so the slots are overridden to none.
            out["pact" if progression == "pact" else "spell1"]["override"] = 0
        return out


def _weapon_key(name: str) -> str | None:
    """"simple" -> weapon:sim; a single weapon -> weapon:<category>:<base item>, from its compendium entry."""
    if name in codes.WEAPON_CATEGORIES:
        return f"weapon:{codes.WEAPON_CATEGORIES[name]}"
    found = entry("item", find_item(name)[0])
    kind = ((found or {}).get("system") or {}).get("type") or {}
    category = codes.WEAPON_TYPE_CATEGORY.get(kind.get("value", ""))
    return f"weapon:{category}:{kind['baseItem']}" if category and kind.get("baseItem") else None


def _tool_key(name: str) -> str | None:
    """A tool or instrument -> tool:<type>:<base item> ("tool:music:lute", "tool:thief"), from its entry."""
    found = entry("item", find_item(name)[0])
    kind = ((found or {}).get("system") or {}).get("type") or {}
    if not found or found["type"] != "tool" or not kind.get("baseItem"):
        return None
    return ":".join(["tool", *([kind["value"]] if kind.get("value") else []), kind["baseItem"]])

