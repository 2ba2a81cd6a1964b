"""Turn a provider's picks into legal spells and gear, and audit a finished character.

`settle_*` never fail: what is wrong is corrected (near misses), dropped, or replaced from the
legal candidates, and every change is reported as a `Repair`. `audit` re-derives the rules from a
finished document alone, so tests and benchmarks can prove a character legal without trusting us.
"""

from __future__ import annotations

from charforge.models import (
    Character,
    EquipmentAnswer,
    EquipmentItem,
    Repair,
    SpellEntry,
    SpellsAnswer,
)
from charforge.rules import dice
from charforge.rules.equipment import line_cost
from charforge.rules.lookup import find_item, find_spell
from charforge.rules.pack import load
from charforge.rules.spells import SpellGroup, candidates, spell_groups
from charforge.rules.stats import armor_class, hit_points, is_proficient, proficiency_bonus


def settle_spells(answer: SpellsAnswer, class_index: str, groups: list[SpellGroup],
                  seed: int) -> tuple[list[SpellEntry], list[Repair]]:
    spells = load().spells
    repairs: list[Repair] = []
    chosen: dict[str, SpellGroup] = {}
    remaining = {g.label: g.count for g in groups}
    for name in [*answer.cantrips, *answer.spells]:
        index, near = find_spell(name)
        if index is None:
            repairs.append(Repair(field="spells", problem=f"{name!r} is not an SRD spell", action="dropped"))
            continue
        if near:
            repairs.append(Repair(field="spells", problem=f"{name!r} is misspelt",
                                  action=f"read as {spells[index].name!r}"))
        if index in chosen:
            continue
        if class_index not in spells[index].classes:
            repairs.append(Repair(field="spells", problem=f"{spells[index].name!r} is not on the {class_index} list",
                                  action="dropped"))
            continue
        group = next((g for g in groups if spells[index].level in g.levels and remaining[g.label]), None)
        if group is None:
            repairs.append(Repair(field="spells", problem=f"{spells[index].name!r} (level {spells[index].level}) "
                                  "is beyond what the character can know or cast", action="dropped"))
            continue
        chosen[index] = group
        remaining[group.label] -= 1
    rng = dice.stream(seed, "spell-fill")
    for group in groups:
        pool = [i for i in candidates(class_index, group.levels) if i not in chosen]
        for index in rng.sample(pool, min(remaining[group.label], len(pool))):
            chosen[index] = group
            repairs.append(Repair(field="spells", problem=f"too few {group.label}",
                                  action=f"added {spells[index].name!r}"))
    ordered = sorted(chosen, key=lambda i: (spells[i].level, spells[i].name))
    return [SpellEntry(name=spells[i].name, level=spells[i].level, school=spells[i].school) for i in ordered], repairs


def settle_purchases(answer: EquipmentAnswer, shop: list[str],
                     budget: float) -> tuple[list[EquipmentItem], list[Repair]]:
    items = load().equipment
    allowed = set(shop)
    repairs: list[Repair] = []
    bought: dict[str, int] = {}
    spent = 0.0
    for pick in answer.purchases:
        index, near = find_item(pick.name)
        if index is None:
            repairs.append(Repair(field="equipment", problem=f"{pick.name!r} is not SRD equipment",
                                  action="dropped"))
            continue
        if near:
            repairs.append(Repair(field="equipment", problem=f"{pick.name!r} is misspelt",
                                  action=f"read as {items[index].name!r}"))
        if index not in allowed:
            repairs.append(Repair(field="equipment", problem=f"{items[index].name!r} is not for sale to this "
                                  "character (proficiency, budget or kind)", action="dropped"))
            continue
        quantity = pick.quantity
        while quantity and spent + line_cost(index, quantity) > budget:
            quantity -= 1
        if quantity < pick.quantity:
            repairs.append(Repair(field="equipment", problem=f"{pick.quantity} x {items[index].name!r} is over budget",
                                  action=f"bought {quantity}" if quantity else "dropped"))
        if quantity:
            bought[index] = bought.get(index, 0) + quantity
            spent += line_cost(index, quantity)
    lines = [EquipmentItem(name=items[i].name, quantity=q, source="purchase", cost_gp=line_cost(i, q))
             for i, q in bought.items()]
    return lines, repairs


def audit(character: Character) -> list[str]:
    """Every way `character` breaks SRD 5.1 rules or its own numbers; empty when legal."""
    pack = load()
    problems: list[str] = []
    klass = pack.classes.get(character.class_name)
    race = pack.races.get(character.ancestry)
    if klass is None or race is None or not 1 <= character.level <= 20:
        return [f"unknown class/ancestry/level: {character.class_name}/{character.ancestry}/{character.level}"]
    level, abilities = character.level, character.abilities
    problems += _audit_spells(character, spell_groups(character.class_name, level, abilities))
    indexes = []
    for line in character.equipment:
        index, near = find_item(line.name)
        if index is None or near:
            problems.append(f"{line.name!r} is not an SRD item")
            continue
        indexes.append(index)
        if not is_proficient(pack.equipment[index], index, klass, race):
            problems.append(f"not proficient with {line.name!r}")
    purchases = round(sum(i.cost_gp for i in character.equipment if i.source == "purchase"), 2)
    if purchases != round(character.total_cost_gp, 2) or purchases > character.budget_gp:
        problems.append(f"purchases cost {purchases} gp, total {character.total_cost_gp}, budget {character.budget_gp}")
    expected = {
        "hp": hit_points(klass, race, level, abilities.con),
        "ac": armor_class(abilities, klass, race, indexes),
        "proficiency_bonus": proficiency_bonus(level),
    }
    if proficiency_bonus(level) != klass.at(level).proficiency_bonus:
        problems.append("proficiency formula disagrees with the class table")
    problems += [f"{k} is {getattr(character, k)}, rules say {v}" for k, v in expected.items()
                 if getattr(character, k) != v]
    return problems


def _audit_spells(character: Character, groups: list[SpellGroup]) -> list[str]:
    spells = load().spells
    problems = []
    remaining = {g.label: g.count for g in groups}
    for entry in character.spells:
        index, near = find_spell(entry.name)
        if index is None or near or spells[index].level != entry.level:
            problems.append(f"{entry.name!r} is not an SRD spell of level {entry.level}")
            continue
        if character.class_name not in spells[index].classes:
            problems.append(f"{entry.name!r} is not on the {character.class_name} list")
            continue
        group = next((g for g in groups if entry.level in g.levels and remaining[g.label]), None)
        if group is None:
            problems.append(f"{entry.name!r} is one spell too many or beyond the character's level")
            continue
        remaining[group.label] -= 1
    problems += [f"{n} {label} missing" for label, n in remaining.items() if n]
    return problems
