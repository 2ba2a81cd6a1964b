"""Turn a provider's picks into legal spells and gear, and audit a finished character.

`settle_*` never fail: what is wrong is corrected (near misses), dropped, or replaced from the
legal candidates, and every change is reported as a `Repair`. `audit` re-derives the rules from a
finished document alone, so tests and benchmarks can prove a character legal without trusting us.
"""

from __future__ import annotations

from functools import cache

from charforge.models import (
    Character,
    EquipmentAnswer,
    EquipmentItem,
    Repair,
)
from charforge.rules.equipment import line_cost
from charforge.rules.loadout import Cart, Lines, Wearer, carrying, proficient, refusal
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
from charforge.rules.stats import hit_points, proficiency_bonus, worn


def settle_purchases(answer: EquipmentAnswer, shop: list[str], budget: float, *, wearer: Wearer,
                     kit: Lines) -> tuple[list[EquipmentItem], list[Repair]]:
    """The legal part of a provider's purchases: SRD items from `shop`, nothing the rules keep from `wearer`
    (a druid's metal armour, a Small character's Heavy weapon), within `budget` and within what the character
    can carry besides its `kit` (Strength x 15 lb). Each thing dropped or cut down is a `Repair`."""
    items = load().equipment
    allowed = set(shop)
    repairs: list[Repair] = []
    cart = Cart(wearer, list(kit), budget)
    for pick in answer.purchases:
        index, near = find_item(pick.name)
        if index is None:
            repairs.append(Repair(field="equipment", problem=f"{pick.name!r} is not SRD equipment",
                                  action="dropped"))
            continue
        name = items[index].name
        if near:
            repairs.append(Repair(field="equipment", problem=f"{pick.name!r} is misspelt", action=f"read as {name!r}"))
        if reason := refusal(index, wearer.class_index, wearer.ancestry):
            repairs.append(Repair(field="equipment", problem=f"{name!r}: {reason}", action="dropped"))
            continue
        if index not in allowed:
            repairs.append(Repair(field="equipment", problem=f"{name!r} is not for sale to this "
                                  "character (proficiency, budget or kind)", action="dropped"))
            continue
        quantity = pick.quantity
        while quantity and not cart.affordable(index, quantity):
            quantity -= 1
        if quantity < pick.quantity:
            repairs.append(Repair(field="equipment", problem=f"{pick.quantity} x {name!r} is over budget",
                                  action=f"bought {quantity}" if quantity else "dropped"))
        wanted = quantity
        while quantity and not cart.portable(index, quantity):
            quantity -= 1
        if quantity < wanted:
            repairs.append(Repair(field="equipment", problem=f"{wanted} x {name!r} is more than the character can "
                                  f"carry ({wearer.capacity_lb} lb: STR x 15)",
                                  action=f"bought {quantity}" if quantity else "dropped"))
        if quantity:
            cart.add(index, quantity)
    lines = [EquipmentItem(name=items[i].name, quantity=q, source="purchase", cost_gp=line_cost(i, q))
             for i, q in cart.bought.items()]
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
    gear, indexes = _audit_equipment(character)
    problems += gear
    expected = {
        "hp": hit_points(klass, race, level, abilities.con),
        "ac": _expected_ac(character, indexes),
        "proficiency_bonus": proficiency_bonus(level),
    }
    if proficiency_bonus(level) != klass.at(level).proficiency_bonus:
        problems.append("proficiency formula disagrees with the class table")
    problems += [f"{k} is {getattr(character, k)}, rules say {v}" for k, v in expected.items()
                 if getattr(character, k) != v]
    return problems


def _audit_equipment(character: Character) -> tuple[list[str], list[str]]:
    """What is wrong with the gear (not SRD, not proficient, refused by a rule, too heavy, over budget), and the
    indexes of the items carried."""
    problems, lines = [], []
    who = (character.class_name, character.ancestry)
    for line in character.equipment:
        index, near = find_item(line.name)
        if index is None or near:
            problems.append(f"{line.name!r} is not an SRD item")
            continue
        lines.append((index, line.quantity))
        if not proficient(index, *who, character.level):
            problems.append(f"not proficient with {line.name!r}")
        if reason := refusal(index, *who):
            problems.append(f"{line.name!r}: {reason}")
    weight, capacity = carrying(lines, character.abilities.str_)
    if weight > capacity:
        problems.append(f"carries {weight:g} lb, more than its capacity of {capacity} lb (STR x 15)")
    purchases = round(sum(i.cost_gp for i in character.equipment if i.source == "purchase"), 2)
    if purchases != round(character.total_cost_gp, 2) or purchases > character.budget_gp:
        problems.append(f"purchases cost {purchases} gp, total {character.total_cost_gp}, budget {character.budget_gp}")
    return problems, [i for i, _ in lines]


def _expected_ac(character: Character, indexes: list[str]) -> int:
    """The AC the rules give for the armour carried, as the sheet computes it (`stats.worn`), with the options
    the sheet lists (a Defense fighting style)."""
    pack = load()
    named = {line.name for line in character.features}
    options = [index for index, name in _option_names() if name in named]
    return worn(character.abilities, pack.classes[character.class_name], pack.races[character.ancestry],
                character.level, indexes, options).ac


@cache  # a pure function of the pack, which never changes in a process
def _option_names() -> tuple[tuple[str, str], ...]:
    """(index, name) of every feature option (fighting styles, invocations...), in pack order."""
    return tuple((index, feature.name) for index, feature in load().features.items() if feature.parent)


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
