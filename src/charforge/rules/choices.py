"""The build choices a player makes that change the sheet: skills, expertise, languages, tools, background,
fighting style, invocations, metamagic and the other feature options.

Seeded (`dice.stream(seed, ...)`), so a character is reproducible, and weighted toward what a player of
that class would pick. The SRD leaves these to the player; the preferences below are charforge's choice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache

from charforge.models import Abilities
from charforge.rules import dice, spell_picks
from charforge.rules.pack import ClassInfo, Feature, RaceInfo, load
from charforge.rules.stats import has_subclass

# charforge's choice: the skills each class reaches for first (a player's usual picks), best first.
SKILL_TASTE: dict[str, tuple[str, ...]] = {
    "barbarian": ("perception", "athletics", "survival", "intimidation"),
    "bard": ("persuasion", "deception", "performance", "insight", "perception", "stealth", "acrobatics"),
    "cleric": ("insight", "medicine", "religion", "persuasion"),
    "druid": ("perception", "nature", "survival", "medicine", "insight"),
    "fighter": ("athletics", "perception", "intimidation", "survival"),
    "monk": ("stealth", "acrobatics", "insight", "athletics"),
    "paladin": ("athletics", "persuasion", "insight", "intimidation"),
    "ranger": ("perception", "stealth", "survival", "nature", "athletics"),
    "rogue": ("stealth", "perception", "sleight-of-hand", "acrobatics", "deception", "investigation", "insight"),
    "sorcerer": ("persuasion", "deception", "arcana", "insight"),
    "warlock": ("deception", "arcana", "intimidation", "investigation"),
    "wizard": ("arcana", "investigation", "history", "insight"),
}
# Expertise (Rogue 1 and 6, Bard 3 and 10): two proficient skills each time.
EXPERTISE = {"rogue-expertise-1": 2, "rogue-expertise-2": 2, "bard-expertise-1": 2, "bard-expertise-2": 2}
# charforge's choice, best first: feature options a player of the class usually takes.
OPTION_TASTE = (
    *(f"eldritch-invocation-{name}" for name in (
        "agonizing-blast", "armor-of-shadows", "devils-sight", "repelling-blast", "mask-of-many-faces",
        "thirsting-blade", "eldritch-spear", "book-of-ancient-secrets", "misty-visions", "fiendish-vigor",
        "one-with-shadows", "ascendant-step")),
    "metamagic-quickened-spell", "metamagic-twinned-spell", "metamagic-careful-spell", "metamagic-subtle-spell",
    "metamagic-extended-spell", "metamagic-empowered-spell", "metamagic-heightened-spell",
    "hunters-prey-colossus-slayer", "defensive-tactics-multiattack-defense", "multiattack-volley",
    "superior-hunters-defense-uncanny-dodge",
)
# Backgrounds: the SRD has one (Acolyte). Any other origin is a custom background built by the SRD's rule:
# two skills of the player's choice and two languages, no SRD feature.
ACOLYTE_WORDS = ("acolyte", "priest", "priestess", "temple", "novice", "monastery", "cleric", "shrine")
CUSTOM_BACKGROUND_SKILLS = 2
CUSTOM_BACKGROUND_LANGUAGES = 2
# Languages a people's neighbours speak, for extra picks (charforge's choice; standard languages first).
# High Elf Cantrip (SRD 5.1): one wizard cantrip. charforge's choice, best first: a damaging one.
HIGH_ELF_CANTRIP = "high-elf-cantrip"
RACIAL_CANTRIP_TASTE = ("fire-bolt", "ray-of-frost", "shocking-grasp", "chill-touch", "light", "prestidigitation")
LANGUAGE_TASTE = ("elvish", "dwarvish", "halfling", "gnomish", "orc", "giant", "goblin", "draconic", "celestial",
                  "sylvan", "infernal", "primordial", "abyssal", "undercommon", "deep-speech")


@dataclass
class Choices:
    """What was chosen for one character. Skill and language sources are kept so the sheet can say where each
    proficiency came from."""

    background: str | None  # "acolyte", or None for a custom background
    skills: dict[str, str] = field(default_factory=dict)  # skill index -> source
    expertise: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # language indexes, the ancestry's first
    tools: list[str] = field(default_factory=list)  # item indexes
    options: list[str] = field(default_factory=list)  # chosen feature options (fighting style, invocations...)
    dragon: str | None = None  # dragonborn draconic ancestry colour
    racial_cantrip: str | None = None  # High Elf Cantrip: a wizard cantrip, cast with Intelligence


def choose(seed: int, class_index: str, ancestry: str, level: int, abilities: Abilities,
           origin: str | None, known_spells: tuple[str, ...] = ()) -> Choices:
    pack = load()
    klass, race = pack.classes[class_index], pack.races[ancestry]
    rng = dice.stream(seed, "choices")
    acolyte = "acolyte" in pack.backgrounds and origin and any(w in origin.lower() for w in ACOLYTE_WORDS)
    background = "acolyte" if acolyte else None
    picked = Choices(background=background)
    for skill in _race_skills(race):
        picked.skills.setdefault(skill, "ancestry")
    if klass.skill_choices:
        for skill in _best_skills(klass.skill_choices.from_, klass.skill_choices.choose, class_index, abilities,
                                  picked.skills, rng):
            picked.skills[skill] = "class"
    _background_skills(picked, class_index, abilities, rng)
    for pick in (race.skill_choices, parent_race(race).skill_choices if race.parent else None):
        if pick:
            for skill in _best_skills(pick.from_, pick.choose, class_index, abilities, picked.skills, rng):
                picked.skills[skill] = "ancestry"
    lore = _subclass_skills(klass, level)
    if lore:
        for skill in _best_skills(list(pack.skills), lore, class_index, abilities, picked.skills, rng):
            picked.skills[skill] = "subclass"
    picked.expertise = _expertise(class_index, level, picked.skills)
    picked.languages = _languages(race, picked.background, rng)
    if has_subclass(klass, level, "draconic") and "draconic" not in picked.languages:
        picked.languages.append("draconic")  # Dragon Ancestor: you speak, read and write Draconic
    picked.tools = _tools(klass, race, rng)
    picked.options = _options(seed, class_index, level, abilities)
    if HIGH_ELF_CANTRIP in race.traits:
        picked.racial_cantrip = next((i for i in RACIAL_CANTRIP_TASTE if i not in known_spells), None)
    if (race.parent or ancestry) == "dragonborn" and pack.draconic_ancestries:
        picked.dragon = rng.choice(sorted(pack.draconic_ancestries))
    return picked


def parent_race(race: RaceInfo) -> RaceInfo:
    """The base race of a subrace (a hill dwarf's dwarf); a race without subraces is its own."""
    return load().races[race.parent] if race.parent else race


def _race_skills(race: RaceInfo) -> list[str]:
    return list(dict.fromkeys([*parent_race(race).skills, *race.skills]))


def _best_skills(options: list[str], n: int, class_index: str, abilities: Abilities, known: dict[str, str],
                 rng: random.Random) -> list[str]:
    """The `n` options a player of this class would take: its favourite skills, then its best abilities."""
    skills = load().skills
    taste = SKILL_TASTE.get(class_index, ())
    free = [s for s in options if s in skills and s not in known]

    def score(skill: str) -> tuple[float, ...]:
        liked = len(taste) - taste.index(skill) if skill in taste else 0
        return (liked + 2 * abilities.modifier(skills[skill].ability), rng.random())

    return sorted(free, key=score, reverse=True)[:n]


def _background_skills(picked: Choices, class_index: str, abilities: Abilities, rng: random.Random) -> None:
    """Acolyte's two skills (another of the player's choice for one already known, as the SRD allows), or a
    custom background's two."""
    pack = load()
    fixed = pack.backgrounds[picked.background].skills if picked.background else []
    wanted = [s for s in fixed if s not in picked.skills]
    for skill in wanted:
        picked.skills[skill] = "background"
    extra = (len(fixed) if fixed else CUSTOM_BACKGROUND_SKILLS) - len(wanted)
    for skill in _best_skills(list(pack.skills), extra, class_index, abilities, picked.skills, rng):
        picked.skills[skill] = "background"


def _subclass_skills(klass: ClassInfo, level: int) -> int:
    """Bonus Proficiencies of the College of Lore (3 skills at bard 3): the only SRD subclass that adds skills."""
    return 3 if klass.subclass == "lore" and level >= load().subclasses["lore"].level else 0


def _expertise(class_index: str, level: int, skills: dict[str, str]) -> list[str]:
    pack = load()
    gained = [f for row in pack.classes[class_index].levels[:level] for f in row.features if f in EXPERTISE]
    taste = SKILL_TASTE.get(class_index, ())
    ranked = sorted(skills, key=lambda s: (taste.index(s) if s in taste else len(taste), s))
    return ranked[: sum(EXPERTISE[f] for f in gained)]


def _languages(race: RaceInfo, background: str | None, rng: random.Random) -> list[str]:
    """The ancestry's languages, its free extra ones, and the background's two."""
    pack = load()
    by_name = {lang.name.lower(): index for index, lang in pack.languages.items()}
    known = [by_name.get(name.lower(), name.lower()) for name in [*parent_race(race).languages, *race.languages]]
    known = list(dict.fromkeys(known))
    extra = race.extra_languages + (parent_race(race).extra_languages if race.parent else 0)
    extra += pack.backgrounds[background].languages if background else CUSTOM_BACKGROUND_LANGUAGES
    pool = [lang for lang in LANGUAGE_TASTE if lang in pack.languages and lang not in known]
    standard = [lang for lang in pool if pack.languages[lang].type == "standard"]
    exotic = [lang for lang in pool if pack.languages[lang].type == "exotic"]
    rng.shuffle(standard)
    rng.shuffle(exotic)
    return known + (standard + exotic)[:extra]


def _tools(klass: ClassInfo, race: RaceInfo, rng: random.Random) -> list[str]:
    tools = list(klass.tools)
    for pick in (klass.tool_choices, race.tool_choices, parent_race(race).tool_choices if race.parent else None):
        if pick:
            tools += rng.sample([t for t in pick.from_ if t not in tools], min(pick.choose, len(pick.from_)))
    return list(dict.fromkeys(tools))


def _options(seed: int, class_index: str, level: int, abilities: Abilities) -> list[str]:
    """Options for every feature gained that asks for them, in taste order, prerequisites met."""
    pack = load()
    klass = pack.classes[class_index]
    rng = dice.stream(seed, "feature-options")
    chosen: list[str] = []
    land = spell_picks.land(seed, class_index)  # the spells follow the land, so the land is the spell picker's
    for parent, count in _option_slots(klass, level):
        if land in children(parent):
            chosen.append(land)
            continue
        pool = [i for i in children(parent) if i not in chosen and _allowed(pack.features[i], level, chosen)]
        ranked = sorted(pool, key=lambda i: (_taste(i, klass, abilities), rng.random()))
        chosen += ranked[:count]
    return chosen


# Options whose number known is a class-table column, not one pick per feature gained.
COUNTED_BY_TABLE = {"eldritch-invocations-1": "invocations_known", "metamagic-1": "metamagic_known"}


def _option_slots(klass: ClassInfo, level: int) -> list[tuple[str, int]]:
    """(feature whose options are picked, how many) for the features this character has that ask for options.

    A later feature may pick again from an earlier one's list (Additional Fighting Style, Metamagic at 10th);
    Eldritch Invocations and Metamagic count from the class table's columns.
    """
    pack = load()
    counts: dict[str, int] = {}
    for index in gained_features(klass, level):
        feature = pack.features[index]
        root = feature.options or (index if children(index) else None)
        if root is None:
            continue
        if root in COUNTED_BY_TABLE:
            counts[root] = int(klass.at(level).specific.get(COUNTED_BY_TABLE[root], 0))
        else:
            counts[root] = counts.get(root, 0) + (feature.choose or 1)
    return list(counts.items())


def gained_features(klass: ClassInfo, level: int) -> list[str]:
    """Class and subclass feature indexes a character of `klass` has at `level`, in the order gained."""
    pack = load()
    own = [f for row in klass.levels[:level] for f in row.features if f in pack.features]
    sub = pack.subclasses.get(klass.subclass or "")
    if sub is not None and level >= sub.level:
        own += [i for i, gained in _subclass_features(klass.subclass) if gained <= level]
    return list(dict.fromkeys(own))


@cache  # a pure function of the pack, which never changes in a process (sorting all its features per sheet was slow)
def _subclass_features(subclass: str) -> tuple[tuple[str, int], ...]:
    """(index, level) of a subclass's own features (not options), by level, then pack order."""
    return tuple((i, f.level) for i, f in sorted(load().features.items(), key=lambda kv: kv[1].level)
                 if f.owner == subclass and f.subclass and f.parent is None)


@cache
def children(parent: str) -> tuple[str, ...]:
    """The options of a feature that asks for a choice (fighting styles of 'fighter-fighting-style', ...)."""
    return tuple(sorted(i for i, f in load().features.items() if f.parent == parent))


def _allowed(option: Feature, level: int, chosen: list[str]) -> bool:
    need = option.requires
    if int(need.get("level", 0)) > level:
        return False
    return "feature" not in need or need["feature"] in chosen


def _taste(index: str, klass: ClassInfo, abilities: Abilities) -> int:
    """Lower is better. Fighting styles follow the character's build; the rest follow `OPTION_TASTE`."""
    if "fighting-style" in index:
        ranged = abilities.modifier("dex") > abilities.modifier("str")
        order = ("archery", "defense", "dueling") if ranged else ("defense", "great-weapon-fighting", "dueling")
        return next((n for n, style in enumerate(order) if index.endswith(style)), len(order))
    return OPTION_TASTE.index(index) if index in OPTION_TASTE else len(OPTION_TASTE)
