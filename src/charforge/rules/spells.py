"""Which spells a class may know at a level, and how many of each kind."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from charforge.models import Abilities
from charforge.rules.pack import load
from charforge.rules.stats import modifier


@dataclass(frozen=True)
class SpellGroup:
    """`count` spells, each of one of `levels`: cantrips, the known/prepared list, or one Mystic Arcanum."""

    label: str
    levels: frozenset[int]
    count: int


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
        groups.append(SpellGroup("cantrips", frozenset({0}), row.cantrips_known))
    if top:
        if klass.caster in ("full", "half"):
            base = level if klass.caster == "full" else level // 2
            count = max(1, modifier(abilities.score(klass.spellcasting_ability)) + base)
            label = "prepared spells"
        else:
            count, label = row.spells_known or 0, "spells known"
        groups.append(SpellGroup(label, frozenset(range(1, top + 1)), count))
    groups += [SpellGroup(f"mystic arcanum ({n}th level)", frozenset({n}), 1) for n in row.arcanum]
    return [g for g in _cap(class_index, groups) if g.count]


def _cap(class_index: str, groups: list[SpellGroup]) -> list[SpellGroup]:
    """Never ask for more spells than the class list holds at those levels."""
    return [SpellGroup(g.label, g.levels, min(g.count, len(candidates(class_index, g.levels)))) for g in groups]


@cache
def candidates(class_index: str, levels: frozenset[int]) -> tuple[str, ...]:
    """Spell indexes on the class list at the given spell levels, by level then name."""
    spells = load().spells
    found = [i for i, s in spells.items() if class_index in s.classes and s.level in levels]
    return tuple(sorted(found, key=lambda i: (spells[i].level, spells[i].name)))
