"""Every number on the sheet, from SRD 5.1 rules: abilities, HP, AC, proficiency, spell slots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from charforge.models import ABILITY_NAMES, Abilities, AbilityAudit, AbilityName, Spellcasting
from charforge.rules import dice
from charforge.rules.pack import ArmorInfo, ClassInfo, ItemInfo, RaceInfo, load

AbilityMethod = Literal["4d6", "standard-array"]
STANDARD_ARRAY = (15, 14, 13, 12, 10, 8)

# charforge's choice, not an SRD rule: which abilities a class raises first.
PRIORITY: dict[str, tuple[AbilityName, ...]] = {
    "barbarian": ("str", "con", "dex", "wis", "cha", "int"),
    "bard": ("cha", "dex", "con", "wis", "int", "str"),
    "cleric": ("wis", "con", "str", "cha", "dex", "int"),
    "druid": ("wis", "con", "dex", "int", "cha", "str"),
    "fighter": ("str", "con", "dex", "wis", "cha", "int"),
    "monk": ("dex", "wis", "con", "str", "int", "cha"),
    "paladin": ("str", "cha", "con", "wis", "dex", "int"),
    "ranger": ("dex", "wis", "con", "str", "int", "cha"),
    "rogue": ("dex", "int", "con", "cha", "wis", "str"),
    "sorcerer": ("cha", "con", "dex", "wis", "int", "str"),
    "warlock": ("cha", "con", "dex", "wis", "int", "str"),
    "wizard": ("int", "con", "dex", "wis", "cha", "str"),
}
ABILITY_CAP = 20


def modifier(score: int) -> int:
    return (score - 10) // 2


def proficiency_bonus(level: int) -> int:
    return 2 + (level - 1) // 4


def roll_scores(seed: int, method: AbilityMethod) -> list[int]:
    if method == "standard-array":
        return list(STANDARD_ARRAY)
    rng = dice.stream(seed, "abilities")
    return [dice.four_d6_drop_lowest(rng) for _ in ABILITY_NAMES]


# Primal Champion (SRD 5.1, Barbarian 20): STR and CON +4, and their maximum becomes 24.
PRIMAL_CHAMPION = {"class": "barbarian", "level": 20, "bonus": {"str": 4, "con": 4}, "cap": 24}


def ability_scores(seed: int, class_index: str, race: RaceInfo, level: int,
                   method: AbilityMethod = "4d6") -> Abilities:
    """Rolled (or standard) scores placed by class priority, plus racial bonuses, ASIs and features to `level`."""
    return ability_audit(seed, class_index, race, level, method)[0]


def ability_audit(seed: int, class_index: str, race: RaceInfo, level: int,
                  method: AbilityMethod = "4d6") -> tuple[Abilities, AbilityAudit]:
    """The final scores and each step that made them, so a sheet can be checked by hand."""
    order = PRIORITY[class_index]
    base = dict(zip(order, sorted(roll_scores(seed, method), reverse=True), strict=True))
    racial: dict[AbilityName, int] = dict(race.ability_bonuses)
    if race.ability_bonus_choice:
        choice = race.ability_bonus_choice
        for ability in [a for a in order if a in choice.from_ and a not in race.ability_bonuses][: choice.choose]:
            racial[ability] = racial.get(ability, 0) + choice.bonus
    scores = {a: base[a] + racial.get(a, 0) for a in ABILITY_NAMES}
    raised: dict[AbilityName, int] = {}
    improvements = 2 * load().classes[class_index].at(level).asi
    while improvements:
        ability = next((a for a in order if scores[a] < ABILITY_CAP), None)
        if ability is None:
            break
        step = min(improvements, 2, ABILITY_CAP - scores[ability])
        scores[ability] += step
        raised[ability] = raised.get(ability, 0) + step
        improvements -= step
    features: dict[AbilityName, int] = {}
    if class_index == PRIMAL_CHAMPION["class"] and level >= PRIMAL_CHAMPION["level"]:
        for ability, bonus in PRIMAL_CHAMPION["bonus"].items():
            features[ability] = min(bonus, max(0, PRIMAL_CHAMPION["cap"] - scores[ability]))
            scores[ability] += features[ability]
    audit = AbilityAudit(method=method, base=Abilities.model_validate(base), racial=racial, improvements=raised,
                         features={a: n for a, n in features.items() if n})
    return Abilities.model_validate(scores), audit


# Draconic Resilience (SRD 5.1, Sorcerer, Draconic Bloodline 1): +1 HP per sorcerer level, unarmoured AC 13 + DEX.
DRACONIC_RESILIENCE = {"subclass": "draconic", "hp_per_level": 1, "unarmored_base": 13}


def hit_points(klass: ClassInfo, race: RaceInfo, level: int, con: int) -> int:
    """Maximum hit die at level 1, the fixed average after; CON on every level, never below 1 a level."""
    per_level = klass.hit_die // 2 + 1
    first = max(1, klass.hit_die + modifier(con))
    later = (level - 1) * max(1, per_level + modifier(con))
    bonus = race.hp_per_level_bonus + (DRACONIC_RESILIENCE["hp_per_level"] if has_subclass(klass, level, "draconic")
                                       else 0)
    return first + later + bonus * level


def has_subclass(klass: ClassInfo, level: int, subclass: str) -> bool:
    """Whether the class's SRD subclass is `subclass` and has been chosen by `level`."""
    info = load().subclasses.get(klass.subclass or "")
    return klass.subclass == subclass and info is not None and level >= info.level


def armor_proficiencies(klass: ClassInfo, level: int) -> list[str]:
    """The class's armour categories, plus what its subclass grants once chosen (Life Domain: heavy)."""
    info = load().subclasses.get(klass.subclass or "")
    extra = info.proficiencies if info is not None and level >= info.level else []
    return list(dict.fromkeys([*klass.proficiencies.armor, *extra]))


def is_proficient(item: ItemInfo, index: str, klass: ClassInfo, race: RaceInfo) -> bool:
    """Whether a class+race may use a weapon or armour well; other gear needs no proficiency."""
    if item.armor:
        return item.armor.category in klass.proficiencies.armor
    if item.weapon:
        allowed = set(klass.proficiencies.weapons) | set(race.weapons)
        return index in allowed or f"{item.weapon.category}-weapons" in allowed
    return True


def refuses_metal(klass: ClassInfo) -> bool:
    """Druids will not wear armour or use shields made of metal (SRD 5.1, Druid: Proficiencies)."""
    return klass.name == "Druid"


@dataclass(frozen=True)
class Worn:
    """What a character wears for its best AC: at most one armour and a shield."""

    armour: str | None
    shield: bool
    ac: int


def worn(abilities: Abilities, klass: ClassInfo, race: RaceInfo, level: int | None, items: list[str],
         options: Sequence[str] = ()) -> Worn:
    """The best AC among the armour and shield carried, Unarmored Defense and Draconic Resilience; a Defense
    fighting style (in `options`) adds 1 while armour is worn.

    Armour counts only when proficient (with the subclass's armour too when `level` is given: Life Domain heavy
    armour) and, for a druid, only when not metal: a druid will not wear it, so it is not worn.
    """
    pack = load()
    categories = armor_proficiencies(klass, level) if level else klass.proficiencies.armor
    no_metal = refuses_metal(klass)
    dex = abilities.modifier("dex")
    armours = [i for i in dict.fromkeys(items) if (a := pack.equipment[i].armor) and a.category in categories
               and not (no_metal and a.metal)]
    has_shield = any(pack.equipment[i].armor.category == "shield" for i in armours)  # type: ignore[union-attr]
    defense = 1 if any(o.endswith("fighting-style-defense") for o in options) else 0
    best = Worn(None, has_shield, 10 + dex + (2 if has_shield else 0))
    unarmored = klass.unarmored_defense
    if unarmored:
        shield = has_shield and unarmored.shield
        ac = 10 + dex + abilities.modifier(unarmored.ability) + (2 if shield else 0)
        best = max(best, Worn(None, shield, ac), key=lambda w: w.ac)
    if level and has_subclass(klass, level, DRACONIC_RESILIENCE["subclass"]):
        base = DRACONIC_RESILIENCE["unarmored_base"]
        best = max(best, Worn(None, has_shield, base + dex + (2 if has_shield else 0)), key=lambda w: w.ac)
    for index in armours:
        armor = pack.equipment[index].armor
        if armor is None or armor.category == "shield":
            continue
        bonus = dex if armor.dex_bonus else 0
        if armor.max_bonus is not None:
            bonus = min(bonus, armor.max_bonus)
        ac = armor.base + bonus + (2 if has_shield else 0) + defense
        best = max(best, Worn(index, has_shield, ac), key=lambda w: w.ac)
    return best


def armor_class(abilities: Abilities, klass: ClassInfo, race: RaceInfo, items: list[str], *,
                level: int | None = None) -> int:
    """Best AC from the armour and shield carried or Unarmored Defense (see `worn`)."""
    return worn(abilities, klass, race, level, items).ac


def strains(armor: ArmorInfo | None, strength: int, race: RaceInfo) -> bool:
    """Heavy armour below its Strength score costs 10 ft. of speed (SRD 5.1, Armor table); a dwarf's speed is not
    reduced by heavy armour."""
    dwarf = (race.parent or "") == "dwarf" or race.name == "Dwarf"
    return bool(armor and armor.category == "heavy" and strength < armor.str_minimum and not dwarf)


def spellcasting(klass: ClassInfo, level: int, abilities: Abilities) -> Spellcasting | None:
    """None for classes without Spellcasting and before it starts (paladins and rangers gain it at 2nd level)."""
    if klass.spellcasting_ability is None:
        return None
    row = klass.at(level)
    if not any(row.slots) and not row.cantrips_known:
        return None
    mod = abilities.modifier(klass.spellcasting_ability)
    prof = proficiency_bonus(level)
    prepared = None
    if klass.caster in ("full", "half"):
        prepared = max(1, mod + (level if klass.caster == "full" else level // 2))
    return Spellcasting(ability=klass.spellcasting_ability, save_dc=8 + prof + mod, attack_bonus=prof + mod,
                        slots=list(row.slots), pact_magic=klass.caster == "pact", prepared=prepared)
