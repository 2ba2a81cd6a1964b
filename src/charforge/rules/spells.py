"""Which spells a class may know at a level, and how many of each kind.

Rules only (SRD 5.1 class tables and subclass features); which of the legal spells a character
picks is `rules.spell_picks`' business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from charforge.models import Abilities
from charforge.rules.pack import load
from charforge.rules.stats import modifier

CANTRIPS, PREPARED, KNOWN = "cantrips", "prepared spells", "spells known"
SECRETS = "additional magical secrets"
# SRD 5.1, Bard: Magical Secrets at 10th, 14th and 18th level: two of the spells known may come from any class.
MAGICAL_SECRETS = {"bard": (10, 14, 18)}
# SRD 5.1, College of Lore: Additional Magical Secrets at 6th level: two more spells from any class (cantrips or
# levels the bard can cast then, so 3rd at most), on top of the spells known. Subclass -> (class level, spells).
ADDITIONAL_SECRETS = {"lore": (6, 2)}
SECRETS_PER_FEATURE = 2
# SRD 5.1, Wizard: Spellcasting, "Spellbook": six 1st-level wizard spells at 1st level, and two wizard spells
# of levels you can cast each time you gain a wizard level.
SPELLBOOK_START, SPELLBOOK_PER_LEVEL = 6, 2


@dataclass(frozen=True)
class SpellGroup:
    """`count` spells, each of one of `levels`: cantrips, the known/prepared list, or one Mystic Arcanum."""

    label: str
    levels: frozenset[int]
    count: int


@dataclass(frozen=True)
class Rung:
    """One class level's worth of learning: `new` spells, each of level 1..`top` (the highest castable then)."""

    level: int
    top: int
    new: int


@cache  # a pure function of the pack, which never changes in a process; asked thousands of times a batch
def max_spell_level(class_index: str, level: int) -> int:
    slots = load().classes[class_index].at(level).slots
    return max((n for n, count in enumerate(slots, start=1) if count), default=0)


def spell_groups(class_index: str, level: int, abilities: Abilities) -> list[SpellGroup]:
    """What the character must pick. Empty for classes without spellcasting at this level."""
    klass = load().classes[class_index]
    if klass.caster is None:
        return []
    row = klass.at(level)
    top = max_spell_level(class_index, level)
    groups = []
    if row.cantrips_known:
        groups.append(SpellGroup(CANTRIPS, frozenset({0}), row.cantrips_known + bonus_cantrips(class_index, level)))
    if top:
        if klass.caster in ("full", "half"):
            base = level if klass.caster == "full" else level // 2
            count = max(1, modifier(abilities.score(klass.spellcasting_ability)) + base)
            label = PREPARED
        else:
            count, label = row.spells_known or 0, KNOWN
        groups.append(SpellGroup(label, frozenset(range(1, top + 1)), count))
    if top and (extra := additional_secrets(class_index, level)):
        learned_at = ADDITIONAL_SECRETS[klass.subclass or ""][0]
        groups.append(SpellGroup(SECRETS, frozenset(range(max_spell_level(class_index, learned_at) + 1)), extra))
    groups += [SpellGroup(f"mystic arcanum ({n}th level)", frozenset({n}), 1) for n in row.arcanum]
    return [g for g in _cap(class_index, groups) if g.count]


# Subclass features that teach one more cantrip of the class (SRD 5.1, Circle of the Land: Bonus Cantrip).
BONUS_CANTRIP_FEATURES = ("bonus-cantrip",)


def bonus_cantrips(class_index: str, level: int) -> int:
    """Extra class cantrips the class's subclass teaches by `level`."""
    pack = load()
    subclass = pack.classes[class_index].subclass
    return sum(1 for index in BONUS_CANTRIP_FEATURES if (f := pack.features.get(index)) is not None
               and f.owner == subclass and level >= f.level)


def _cap(class_index: str, groups: list[SpellGroup]) -> list[SpellGroup]:
    """Never ask for more spells than the class list holds at those levels (any class's, for secrets)."""
    return [g if g.label == SECRETS else
            SpellGroup(g.label, g.levels, min(g.count, len(candidates(class_index, g.levels)))) for g in groups]


def additional_secrets(class_index: str, level: int) -> int:
    """Spells from any class a subclass adds on top of the spells known (a Lore bard's two at 6th level)."""
    subclass = load().classes[class_index].subclass or ""
    gate, count = ADDITIONAL_SECRETS.get(subclass, (0, 0))
    return count if subclass in load().subclasses and gate and level >= gate else 0


def secrets_known(class_index: str, level: int) -> int:
    """How many of the spells known may come from any class's list (a bard's Magical Secrets)."""
    return SECRETS_PER_FEATURE * sum(level >= gate for gate in MAGICAL_SECRETS.get(class_index, ()))


@cache
def candidates(class_index: str, levels: frozenset[int]) -> tuple[str, ...]:
    """Spell indexes on the class list at the given spell levels, by level then name."""
    spells = load().spells
    found = [i for i, s in spells.items() if class_index in s.classes and s.level in levels]
    return tuple(sorted(found, key=lambda i: (spells[i].level, spells[i].name)))


def prepares(class_index: str) -> bool:
    """Clerics, druids, paladins and wizards prepare from their list; the others know a fixed list."""
    return load().classes[class_index].caster in ("full", "half")


# -- what the subclass adds ---------------------------------------------------------------------


@cache
def lands(class_index: str) -> tuple[str, ...]:
    """The subclass options that carry their own spells: the Circle of the Land's lands (SRD 5.1, Druid: Circle
    Spells), as feature indexes ("circle-of-the-land-arctic", ...). Empty for every other class."""
    subclass = load().classes[class_index].subclass
    return tuple(sorted(i for i, f in load().features.items() if f.owner == subclass and f.parent and f.spells))


def subclass_spells(class_index: str, level: int, land: str | None = None) -> list[str]:
    """Spell indexes the class's SRD subclass grants by `level`: domain, oath or circle spells, or a patron's
    expanded list. Nothing before the subclass is chosen or before each spell's own class-level gate.

    A Circle of the Land druid's spells are its land's (`land`, one of `lands()`); without one it has none.
    """
    pack = load()
    info = pack.subclasses.get(pack.classes[class_index].subclass or "")
    if info is None or level < info.level:
        return []
    table = pack.features[land].spells if land in lands(class_index) else info.spells
    return list(dict.fromkeys(s for gate, names in sorted(table.items()) if gate <= level for s in names))


def always_prepared(class_index: str, level: int, land: str | None = None) -> list[str]:
    """Subclass spells a prepared caster always has ready, not counted against the number it prepares."""
    return subclass_spells(class_index, level, land) if prepares(class_index) else []


def always_prepared_options(class_index: str, level: int) -> list[frozenset[str]]:
    """Every legal set of always-prepared spells at `level`: one per land for a Circle of the Land druid."""
    return list(dict.fromkeys(frozenset(always_prepared(class_index, level, land))
                              for land in lands(class_index) or (None,)))


@cache
def class_list(class_index: str, level: int) -> frozenset[str]:
    """Every spell the character may pick: the class list, plus a known caster's expanded list (the Fiend's)."""
    on_list = {i for i, s in load().spells.items() if class_index in s.classes}
    extra = set() if prepares(class_index) else set(subclass_spells(class_index, level))
    return frozenset(on_list | extra)


def options(class_index: str, level: int, levels: frozenset[int], *, land: str | None = None,
            anywhere: bool = False) -> list[str]:
    """The spells offered for a group of `levels`: the class list with the expanded list, minus what the
    subclass already keeps prepared (picking those would waste a choice). By level, then name.

    With `anywhere` (Magical Secrets), every class's spells instead.
    """
    return list(_options(class_index, level, levels, land, anywhere))


@cache  # a pure function of the pack, which never changes in a process; the picker and settling ask it often
def _options(class_index: str, level: int, levels: frozenset[int], land: str | None,
             anywhere: bool) -> tuple[str, ...]:
    spells = load().spells
    fixed = set(always_prepared(class_index, level, land))
    pool = spells if anywhere else class_list(class_index, level)
    found = [i for i in pool if spells[i].level in levels and i not in fixed]
    return tuple(sorted(found, key=lambda i: (spells[i].level, spells[i].name)))


# -- when each spell could have been learned ----------------------------------------------------


def ladder(class_index: str, level: int) -> list[Rung]:
    """A known caster's spells learned level by level: the class table's `spells_known` differences."""
    return list(_ladder(class_index, level))


@cache  # a pure function of the pack, which never changes in a process
def _ladder(class_index: str, level: int) -> tuple[Rung, ...]:
    rungs, before = [], 0
    for row in load().classes[class_index].levels[:level]:
        known = row.spells_known or 0
        rungs.append(Rung(row.level, max_spell_level(class_index, row.level), known - before))
        before = known
    return tuple(rungs)


def spellbook_ladder(level: int) -> list[Rung]:
    """A wizard's spellbook entries level by level: six at 1st, two more at every wizard level after."""
    return list(_spellbook_ladder(level))


@cache  # a pure function of the pack, which never changes in a process
def _spellbook_ladder(level: int) -> tuple[Rung, ...]:
    return tuple(Rung(n, max_spell_level("wizard", n), SPELLBOOK_START if n == 1 else SPELLBOOK_PER_LEVEL)
                 for n in range(1, level + 1))


def spellbook_size(level: int) -> int:
    return SPELLBOOK_START + SPELLBOOK_PER_LEVEL * (level - 1)


def ceilings(rungs: Iterable[Rung], *, swaps: bool = False) -> dict[int, int]:
    """For each spell level k, the most spells of level k or higher that could have been learned.

    With `swaps`, each level after the first may also replace one known spell with one castable then
    (SRD 5.1: bard, ranger, sorcerer and warlock "Spells Known"). Because the levels castable only grow,
    a list is reachable exactly when no ceiling is exceeded.
    """
    rungs = list(rungs)
    return {k: sum(r.new + (swaps and r.level > 1) for r in rungs if r.top >= k) for k in range(1, 10)}


def too_high(levels: Iterable[int], ceiling: dict[int, int]) -> int | None:
    """The lowest spell level whose ceiling `levels` (the spells' levels) exceeds; None when they fit."""
    levels = list(levels)
    return next((k for k in range(1, 10) if sum(n >= k for n in levels) > ceiling[k]), None)
