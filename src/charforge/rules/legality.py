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
)
from charforge.rules.equipment import line_cost
from charforge.rules.lookup import find_item, find_spell
from charforge.rules.pack import load
from charforge.rules.spell_picks import ceiling_for, place, settle_spells  # noqa: F401 (settle_spells: callers)
from charforge.rules.spells import (
    SpellGroup,
    always_prepared_options,
    ceilings,
    class_list,
    spell_groups,
    spellbook_ladder,
    spellbook_size,
    too_high,
)
from charforge.rules.stats import armor_class, hit_points, is_proficient, proficiency_bonus


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
    """Each spell an SRD spell of its level on the character's list (expanded list and Magical Secrets included),
    in the counts the groups give, learnable by this level (`spell_picks.ceiling_for`), and the subclass's
    always-prepared spells exactly (one land's, for a Circle of the Land druid)."""
    spells = load().spells
    problems: list[str] = []
    level, class_index = character.level, character.class_name
    allowed = class_list(class_index, level)
    taken: dict[str, list[str]] = {g.label: [] for g in groups}
    fixed: set[str] = set()
    for entry in character.spells:
        index, near = find_spell(entry.name)
        if index is None or near or spells[index].level != entry.level:
            problems.append(f"{entry.name!r} is not an SRD spell of level {entry.level}")
        elif index in fixed or any(index in t for t in taken.values()):
            problems.append(f"{entry.name!r} is listed twice")
        elif entry.always_prepared:
            fixed.add(index)
        elif group := place(class_index, level, groups, taken, index, learnable=False):
            taken[group.label].append(index)
        elif index not in allowed:
            problems.append(f"{entry.name!r} is not on the {class_index} list")
        else:
            problems.append(f"{entry.name!r} is one spell too many or beyond the character's level")
    for group in groups:
        if len(taken[group.label]) < group.count:
            problems.append(f"{group.count - len(taken[group.label])} {group.label} missing")
        ceiling = ceiling_for(class_index, level, group)
        high = too_high((spells[i].level for i in taken[group.label]), ceiling) if ceiling else None
        if high is not None:
            problems.append(f"more {group.label} of level {high}+ than a level-{level} {class_index} could have "
                            "learned")
    if frozenset(fixed) not in always_prepared_options(class_index, level):
        problems.append(f"always-prepared spells {sorted(spells[i].name for i in fixed)} are not the subclass's")
    return problems + _audit_spellbook(character)


def _audit_spellbook(character: Character) -> list[str]:
    """A wizard's spellbook: 6 + 2 per level after the first, each learnable when written, holding every prepared
    spell. Nobody else has one. (A character made before spellbooks existed has none: not checked.)"""
    spells = load().spells
    book = [find_spell(e.name)[0] for e in character.spellbook]
    if character.class_name != "wizard":
        return ["only a wizard has a spellbook"] if book else []
    if not book:
        return []
    level, problems = character.level, []
    if None in book or len(set(book)) != len(book) or not set(book) <= class_list("wizard", level):
        problems.append("the spellbook holds a spell twice or one that is not a wizard spell")
    elif len(book) != spellbook_size(level) or too_high((spells[i].level for i in book if i),
                                                         ceilings(spellbook_ladder(level))) is not None:
        problems.append(f"a level-{level} wizard's spellbook holds {spellbook_size(level)} spells, each learnable "
                        "when written")
    missing = {e.name for e in character.spells if e.level > 0 and not e.always_prepared} - {
        e.name for e in character.spellbook}
    if missing:
        problems.append(f"prepared spells not in the spellbook: {sorted(missing)}")
    return problems
