"""The rest of the character sheet a GM plays from: saves, skills, speed, senses, features with this character's
numbers, attacks. Every number comes from the rules pack and the character's choices, never from a model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from charforge.models import (
    ABILITY_NAMES,
    Abilities,
    AbilityAudit,
    AbilityName,
    Attack,
    Carrying,
    Coins,
    FeatureLine,
    Proficiencies,
    SaveLine,
    Sheet,
    SheetDetail,
    SkillLine,
    SpellEntry,
    Subclass,
)
from charforge.rules import loadout
from charforge.rules.choices import Choices, choose, gained_features, parent_race
from charforge.rules.lookup import find_spell
from charforge.rules.pack import ClassInfo, ItemInfo, RaceInfo, load
from charforge.rules.stats import (
    AbilityMethod,
    Worn,
    ability_audit,
    armor_proficiencies,
    hit_points,
    proficiency_bonus,
    spellcasting,
    strains,
    worn,
)

# Feature indexes (or prefixes) the sheet leaves out: they are shown elsewhere (ability scores, the subclass
# line, spell lists) or only say "choose a subclass".
HIDDEN = re.compile(r"ability-score-improvement|^(primal-path|bard-college|divine-domain|druid-circle|martial-archetype"
                    r"|monastic-tradition|sacred-oath|ranger-archetype|roguish-archetype|sorcerous-origin"
                    r"|otherworldly-patron|arcane-tradition)$")
JACK_OF_ALL_TRADES = "jack-of-all-trades"
DIAMOND_SOUL = "diamond-soul"  # Monk 14: proficiency in every saving throw
SLIPPERY_MIND = "slippery-mind"  # Rogue 15: proficiency in Wisdom saving throws
REMARKABLE_ATHLETE = "remarkable-athlete"  # Champion 7: half proficiency on STR/DEX/CON checks (and initiative)
FAST_MOVEMENT, FAST_MOVEMENT_FT = "fast-movement", 10
HEAVY_ARMOR_PENALTY_FT = 10  # SRD 5.1, Armor table: heavy armour below its Strength score costs 10 ft. of speed
# Breath Weapon damage by character level (SRD 5.1, Dragonborn): 2d6, 3d6 at 6th, 4d6 at 11th, 5d6 at 16th.
BREATH_DICE = ((16, "5d6"), (11, "4d6"), (6, "3d6"), (1, "2d6"))
UNARMED_DAMAGE = "1"
# Eldritch Blast (SRD 5.1): more beams, not more dice: two at 5th level, three at 11th, four at 17th.
ELDRITCH_BLAST, AGONIZING_BLAST = "eldritch-blast", "eldritch-invocation-agonizing-blast"
BEAMS = ((17, 4), (11, 3), (5, 2), (1, 1))


def speed(abilities: Abilities, klass: ClassInfo, race: RaceInfo, level: int, wearing: Worn) -> int:
    """Walking speed with Fast Movement, Unarmored Movement and the heavy-armour Strength penalty."""
    pack = load()
    feet = race.speed
    armour = pack.equipment[wearing.armour].armor if wearing.armour else None
    features = gained_features(klass, level)
    if FAST_MOVEMENT in features and not (armour and armour.category == "heavy"):
        feet += FAST_MOVEMENT_FT
    if armour is None and not wearing.shield:
        feet += int(klass.at(level).specific.get("unarmored_movement", 0))
    if strains(armour, abilities.score("str"), race):
        feet -= HEAVY_ARMOR_PENALTY_FT
    return feet


def detail(*, seed: int, class_index: str, ancestry: str, level: int, abilities: Abilities, audit: AbilityAudit,
           choices: Choices, items: list[tuple[str, int]], spells: list[SpellEntry], spellbook: list[SpellEntry],
           coins: Coins, spell_attack: int | None, spell_dc: int | None) -> SheetDetail:
    """Everything on the sheet beyond the core numbers, for one character and the choices made for it."""
    pack = load()
    klass, race = pack.classes[class_index], pack.races[ancestry]
    prof = proficiency_bonus(level)
    features = gained_features(klass, level) + choices.options
    carried = [index for index, _ in items]
    jack = JACK_OF_ALL_TRADES in features
    athlete = REMARKABLE_ATHLETE in features
    # Remarkable Athlete rounds half proficiency up, Jack of All Trades down (SRD 5.1); initiative is a DEX check.
    initiative = abilities.modifier("dex") + (-(-prof // 2) if athlete else prof // 2 if jack else 0)
    skills = _skills(abilities, choices, prof, jack, athlete)
    saving = ABILITY_NAMES if DIAMOND_SOUL in features else [
        *klass.saving_throws, *(["wis"] if SLIPPERY_MIND in features else [])]
    perception = next((s.modifier for s in skills if s.name == "Perception"), abilities.modifier("wis"))
    sub = pack.subclasses.get(klass.subclass or "")
    return SheetDetail(
        ability_audit=audit,
        initiative=initiative,
        passive_perception=10 + perception,
        hit_dice=f"{level}d{klass.hit_die}",
        senses=_senses(race),
        resistances=_resistances(race, choices),
        saves=[SaveLine(ability=a, proficient=a in saving,
                        modifier=abilities.modifier(a) + (prof if a in saving else 0)) for a in ABILITY_NAMES],
        skills=skills,
        proficiencies=_proficiencies(klass, level, race, choices),
        subclass=Subclass(index=klass.subclass, name=sub.name, flavor=sub.flavor, level=sub.level)
        if sub is not None and klass.subclass and level >= sub.level else None,
        features=_feature_lines(klass, race, level, abilities, choices, features),
        attacks=_attacks(klass, race, level, abilities, choices, carried, spells, spell_attack, spell_dc),
        spellbook=spellbook,
        background_feature=_background_feature(choices),
        coins=coins,
        carrying=carrying(abilities, items),
    )


def carrying(abilities: Abilities, items: list[tuple[str, int]]) -> Carrying:
    """Weight carried against the SRD capacity (Strength score x 15 lb; Small and Medium creatures alike)."""
    weight, capacity = loadout.carrying(items, abilities.score("str"))
    return Carrying(weight_lb=weight, capacity_lb=capacity)


def _skills(abilities: Abilities, choices: Choices, prof: int, jack: bool, athlete: bool) -> list[SkillLine]:
    lines = []
    for index, skill in sorted(load().skills.items(), key=lambda kv: kv[1].name):
        source = choices.skills.get(index)
        expert = source is not None and index in choices.expertise
        bonus = prof * (2 if expert else 1) if source else 0
        if not source and athlete and skill.ability in ("str", "dex", "con"):
            bonus = -(-prof // 2)
        elif not source and jack:
            bonus = prof // 2
        lines.append(SkillLine(name=skill.name, ability=skill.ability, proficient=source is not None,
                               expertise=expert, modifier=abilities.modifier(skill.ability) + bonus, source=source))
    return lines


def _senses(race: RaceInfo) -> dict[str, int]:
    parent = parent_race(race)
    feet = race.darkvision or parent.darkvision
    return {"darkvision": feet} if feet else {}


def _resistances(race: RaceInfo, choices: Choices) -> list[str]:
    pack = load()
    parent = parent_race(race)
    found = [*parent.resistances, *race.resistances]
    if choices.dragon:
        found.append(pack.draconic_ancestries[choices.dragon].damage_type)
    return list(dict.fromkeys(found))


def _proficiencies(klass: ClassInfo, level: int, race: RaceInfo, choices: Choices) -> Proficiencies:
    pack = load()
    parent = parent_race(race)
    weapons = [w.removesuffix("-weapons") for w in [*klass.proficiencies.weapons, *parent.weapons, *race.weapons]]
    names = [pack.equipment[w].name if w in pack.equipment else w for w in weapons]
    return Proficiencies(
        armor=armor_proficiencies(klass, level),
        weapons=list(dict.fromkeys(names)),
        tools=[pack.equipment[t].name if t in pack.equipment else t for t in choices.tools],
        languages=[pack.languages[lang].name if lang in pack.languages else lang.title() for lang in choices.languages],
    )


def _background_feature(choices: Choices) -> FeatureLine | None:
    if choices.background is None:
        return None
    background = load().backgrounds[choices.background]
    return FeatureLine(name=background.feature, source="background", level=0, summary=background.feature_summary)


def _feature_lines(klass: ClassInfo, race: RaceInfo, level: int, abilities: Abilities, choices: Choices,
                   features: list[str]) -> list[FeatureLine]:
    """Racial traits, then class and subclass features by level; a feature improved later (Extra Attack (2),
    Brutal Critical (2 dice)) shows once, as it is now."""
    pack = load()
    prof = proficiency_bonus(level)
    lines: dict[str, FeatureLine] = {}
    for index in _traits(race, choices):
        trait = pack.features[index]
        lines[index] = FeatureLine(name=trait.name, source="ancestry", level=0,
                                   summary=_with_numbers(index, trait.summary, klass, level, abilities, prof, choices))
    latest: dict[str, str] = {}
    for index in features:
        feature = pack.features.get(index)
        if feature is None or HIDDEN.search(index):
            continue
        key = re.sub(r"\s*\(.*\)$", "", feature.name)
        if key in latest:
            del lines[latest[key]]
        latest[key] = index
        summary = _with_numbers(index, feature.summary, klass, level, abilities, prof, choices)
        lines[index] = FeatureLine(name=feature.name, source="subclass" if feature.subclass else "class",
                                   level=feature.level, summary=summary)
    return list(lines.values())


def _traits(race: RaceInfo, choices: Choices) -> list[str]:
    """The ancestry's traits (a subrace's after its parent's), options replaced by the one chosen."""
    pack = load()
    parent = parent_race(race)
    traits = [t for t in dict.fromkeys([*parent.traits, *race.traits]) if t in pack.features]
    chosen = f"draconic-ancestry-{choices.dragon}" if choices.dragon else None
    return [chosen if t == "draconic-ancestry" and chosen in pack.features else t for t in traits
            if pack.features[t].parent is None or t == chosen]


@dataclass(frozen=True)
class _Numbers:
    """What one character's feature numbers are made of."""

    table: dict[str, int | str]  # the class table's columns at this level
    level: int
    abilities: Abilities
    prof: int
    choices: Choices

    def mod(self, ability: AbilityName) -> int:
        return self.abilities.modifier(ability)


# This character's numbers for a feature, by index prefix (or suffix); the first that fits is used. A module table,
# so the sheet's 15 features do not each build 25 closures.
NUMBERS: dict[str, Callable[[_Numbers], str]] = {
    "rage": lambda n: f"{n.table.get('rage_count')} per long rest, +{n.table.get('rage_damage_bonus')} damage",
    "brutal-critical": lambda n: f"{n.table.get('brutal_critical_dice')} extra weapon die",
    "sneak-attack": lambda n: f"{n.table.get('sneak_attack')}",
    "martial-arts": lambda n: f"{n.table.get('martial_arts')}",
    "ki": lambda n: f"{n.table.get('ki_points')} ki points, save DC {8 + n.prof + n.mod('wis')}",
    "unarmored-movement": lambda n: f"+{n.table.get('unarmored_movement')} ft.",
    "bardic-inspiration": lambda n: f"d{n.table.get('bardic_inspiration_die')}, {max(1, n.mod('cha'))} uses",
    "song-of-rest": lambda n: f"d{n.table.get('song_of_rest_die')}",
    "channel-divinity": lambda n: f"{n.table.get('channel_divinity_charges', 1)} per short rest",
    "destroy-undead": lambda n: f"CR {n.table.get('destroy_undead_cr')} or lower",
    "wild-shape": lambda n: f"beasts up to CR {n.table.get('wild_shape_max_cr')}",
    "lay-on-hands": lambda n: f"pool of {5 * n.level} hit points",
    "divine-sense": lambda n: f"{1 + max(0, n.mod('cha'))} uses per long rest",
    "aura-of-protection": lambda n: f"+{max(1, n.mod('cha'))} to saves within {n.table.get('aura_range', 10)} ft.",
    "action-surge": lambda n: f"{n.table.get('action_surges')} per short rest",
    "indomitable": lambda n: f"{n.table.get('indomitable_uses')} per long rest",
    "extra-attack": lambda n: f"{int(n.table.get('extra_attacks', 1)) + 1} attacks per Attack action",
    "font-of-magic": lambda n: f"{n.table.get('sorcery_points')} sorcery points",
    "second-wind": lambda n: f"regain 1d10+{n.level} hit points",
    "arcane-recovery": lambda n: f"recover up to {math.ceil(n.level / 2)} levels of slots",
    "breath-weapon": lambda n: _breath_numbers(n.level, n.abilities, n.prof, n.choices),
    "high-elf-cantrip": lambda n: f"{load().spells[n.choices.racial_cantrip].name}, attack "
                                  f"{n.prof + n.mod('int'):+d}, save DC {8 + n.prof + n.mod('int')}"
                                  if n.choices.racial_cantrip else "",
    "infernal-legacy": lambda n: f"save DC {8 + n.prof + n.mod('cha')}",
    "favored-enemy": lambda n: f"{n.table.get('favored_enemies')} enemy types",
    "natural-explorer": lambda n: f"{n.table.get('favored_terrain')} terrains",
}


def _with_numbers(index: str, summary: str, klass: ClassInfo, level: int, abilities: Abilities, prof: int,
                  choices: Choices) -> str:
    """The summary, followed by this character's numbers where the feature has any."""
    prefix = _numbered(index)
    if prefix is None:
        return summary
    text = NUMBERS[prefix](_Numbers(klass.at(level).specific, level, abilities, prof, choices))
    return f"{summary} ({text})" if text and "None" not in text else summary


@cache  # a pure function of the index and NUMBERS, a constant
def _numbered(index: str) -> str | None:
    """The NUMBERS entry for a feature index, or None."""
    return next((prefix for prefix in NUMBERS if index.startswith(prefix) or index.endswith(prefix)), None)


def _breath_numbers(level: int, abilities: Abilities, prof: int, choices: Choices) -> str:
    if not choices.dragon:
        return ""
    dragon = load().draconic_ancestries[choices.dragon]
    dice_ = next(d for lvl, d in BREATH_DICE if level >= lvl)
    return (f"{dragon.area}, DC {8 + abilities.modifier('con') + prof} {dragon.save.upper()} save, "
            f"{dice_} {dragon.damage_type}")


def _attacks(klass: ClassInfo, race: RaceInfo, level: int, abilities: Abilities, choices: Choices,
             carried: list[str], spells: list[SpellEntry], spell_attack: int | None,
             spell_dc: int | None) -> list[Attack]:
    pack = load()
    prof = proficiency_bonus(level)
    styles = {o.rsplit("fighting-style-", 1)[-1] for o in choices.options if "fighting-style-" in o}
    table = klass.at(level).specific
    notes = []
    if "sneak_attack" in table:
        notes.append(f"Sneak Attack {table['sneak_attack']} once per turn (finesse or ranged)")
    attacks = [_weapon_attack(index, pack.equipment[index], klass, race, level, abilities, prof, styles, notes)
               for index in dict.fromkeys(carried) if pack.equipment[index].weapon]
    attacks.append(_unarmed(table, abilities, prof, klass))
    attacks += _cantrip_attacks(spells, level, spell_attack, spell_dc, abilities, choices.options)
    if choices.racial_cantrip:  # cast with Intelligence whatever the class
        racial = SpellEntry(name=pack.spells[choices.racial_cantrip].name, level=0, school="")
        int_attack, int_dc = prof + abilities.modifier("int"), 8 + prof + abilities.modifier("int")
        attacks += _cantrip_attacks([racial], level, int_attack, int_dc, abilities, [])
    if choices.dragon:
        dragon = pack.draconic_ancestries[choices.dragon]
        damage = next(d for lvl, d in BREATH_DICE if level >= lvl)
        attacks.append(Attack(name="Breath Weapon", kind="breath", to_hit=None,
                              save=f"DC {8 + abilities.modifier('con') + prof} {dragon.save.title()}",
                              damage=damage, damage_type=dragon.damage_type, range=dragon.area,
                              notes="half on a success; once per short rest"))
    return attacks


def _weapon_attack(index: str, item: ItemInfo, klass: ClassInfo, race: RaceInfo, level: int, abilities: Abilities,
                   prof: int, styles: set[str], notes: list[str]) -> Attack:
    from charforge.rules.stats import is_proficient

    weapon = item.weapon
    assert weapon is not None
    props = [p.lower() for p in weapon.properties if p.lower() != "monk"]  # the source tags monk weapons
    mod = abilities.modifier("dex" if weapon.range == "ranged" else "str")
    if "finesse" in props or _monk_weapon(index, item, klass, level):
        mod = max(abilities.modifier("str"), abilities.modifier("dex"))
    proficient = is_proficient(item, index, klass, race)
    to_hit = mod + (prof if proficient else 0) + (2 if weapon.range == "ranged" and "archery" in styles else 0)
    dice_ = weapon.damage
    martial = klass.at(level).specific.get("martial_arts")
    if martial and _monk_weapon(index, item, klass, level) and _die_size(str(martial)) > _die_size(dice_):
        dice_ = str(martial)
    bonus = mod + (2 if "dueling" in styles and weapon.range == "melee" and "two-handed" not in props else 0)
    extra = []
    if weapon.two_handed_damage:
        extra.append(f"versatile {weapon.two_handed_damage}{bonus:+d}")
    if weapon.thrown_range:
        extra.append(f"thrown {weapon.thrown_range[0]}/{weapon.thrown_range[1]} ft.")
    if "rage_damage_bonus" in klass.at(level).specific and weapon.range == "melee":
        extra.append(f"+{klass.at(level).specific['rage_damage_bonus']} damage while raging")
    if notes and ("finesse" in props or weapon.range == "ranged"):
        extra += notes
    if not proficient:
        extra.append("not proficient")
    reach = weapon.normal_range if weapon.range == "melee" else None
    where = f"{reach} ft." if reach else f"{weapon.normal_range}/{weapon.long_range} ft."
    return Attack(name=item.name, kind="weapon", to_hit=to_hit, damage=f"{dice_}{bonus:+d}".replace("+0", ""),
                  damage_type=weapon.damage_type, range=where, properties=props, notes="; ".join(extra))


def _monk_weapon(index: str, item: ItemInfo, klass: ClassInfo, level: int) -> bool:
    """SRD 5.1 Martial Arts: shortswords and simple melee weapons without the two-handed or heavy property."""
    if "martial_arts" not in klass.at(level).specific or item.weapon is None:
        return False
    props = {p.lower() for p in item.weapon.properties}
    simple_melee = item.weapon.category == "simple" and item.weapon.range == "melee"
    return index == "shortsword" or (simple_melee and not props & {"two-handed", "heavy"})


def _die_size(dice_: str) -> int:
    match = re.search(r"d(\d+)", dice_)
    return int(match.group(1)) if match else 0


def _unarmed(table: dict[str, int | str], abilities: Abilities, prof: int, klass: ClassInfo) -> Attack:
    """Everyone can punch: 1 + STR bludgeoning; a monk uses the Martial Arts die and DEX if better."""
    martial = table.get("martial_arts")
    mod = max(abilities.modifier("str"), abilities.modifier("dex")) if martial else abilities.modifier("str")
    damage = f"{martial}{mod:+d}" if martial else str(max(0, int(UNARMED_DAMAGE) + mod))
    return Attack(name="Unarmed Strike", kind="unarmed", to_hit=mod + prof,
                  damage=damage.replace("+0", ""), damage_type="bludgeoning", range="5 ft.",
                  notes="bonus-action strike after an Attack action (Martial Arts)" if martial else "")


def _cantrip_attacks(spells: list[SpellEntry], level: int, spell_attack: int | None, spell_dc: int | None,
                     abilities: Abilities, options: list[str]) -> list[Attack]:
    """Damaging cantrips, their dice scaled by character level (5th, 11th, 17th); Eldritch Blast adds beams
    instead, and Agonizing Blast adds CHA to each."""
    pack = load()
    attacks = []
    for entry in spells:
        index, _ = find_spell(entry.name)
        info = pack.spells.get(index or "")
        if entry.level != 0 or info is None or not info.damage:
            continue
        dice_ = next(d for lvl, d in sorted(info.damage.items(), reverse=True) if level >= int(lvl))
        notes = ""
        if index == ELDRITCH_BLAST:
            beams = next(n for lvl, n in BEAMS if level >= lvl)
            notes = f"{beams} beams, an attack roll each" if beams > 1 else "1 beam"
            if AGONIZING_BLAST in options:
                dice_ += f"{abilities.modifier('cha'):+d}".replace("+0", "")
        attacks.append(Attack(name=entry.name, kind="cantrip", to_hit=None if info.save else spell_attack,
                              save=f"DC {spell_dc} {info.save.title()}" if info.save and spell_dc else None,
                              damage=dice_, damage_type=info.damage_type or "",
                              range=info.range.replace(" feet", " ft."), notes=notes))
    return attacks


def whole_sheet(*, seed: int, class_index: str, ancestry: str, level: int, items: list[tuple[str, int]],
                spells: list[SpellEntry], origin: str | None, method: AbilityMethod = "4d6",
                spellbook: list[SpellEntry] = (), coins: Coins | None = None) -> tuple[Sheet, SheetDetail]:
    """Every number for one character: the core `Sheet` and the `SheetDetail` a GM plays from.

    `items` are the SRD item indexes carried with their quantities; `origin` is the story's background (an
    acolyte takes the SRD Acolyte background).
    """
    pack = load()
    klass, race = pack.classes[class_index], pack.races[ancestry]
    abilities, audit = ability_audit(seed, class_index, race, level, method)
    known = tuple(i for i in (find_spell(e.name)[0] for e in spells) if i)
    picked = choose(seed, class_index, ancestry, level, abilities, origin, known)
    wearing = worn(abilities, klass, race, level, [i for i, _ in items], picked.options)
    casting = spellcasting(klass, level, abilities)
    sheet = Sheet(
        abilities=abilities, hp=hit_points(klass, race, level, abilities.con), ac=wearing.ac,
        proficiency_bonus=proficiency_bonus(level), speed=speed(abilities, klass, race, level, wearing),
        size=race.size, saving_throws=list(klass.saving_throws),
        languages=[pack.languages[lang].name if lang in pack.languages else lang for lang in picked.languages],
        spellcasting=casting,
    )
    rest = detail(seed=seed, class_index=class_index, ancestry=ancestry, level=level, abilities=abilities,
                  audit=audit, choices=picked, items=items, spells=spells, spellbook=list(spellbook),
                  coins=coins or Coins(), spell_attack=casting.attack_bonus if casting else None,
                  spell_dc=casting.save_dc if casting else None)
    return sheet, rest


def purse(gold: float) -> Coins:
    """Leftover gold kept as coins: whole gold pieces, the rest in silver and copper."""
    copper = max(0, round(gold * 100))
    return Coins(gp=copper // 100, sp=copper % 100 // 10, cp=copper % 10)
