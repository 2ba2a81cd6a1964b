"""Starting kits, budgets and the shop: which SRD items a character may carry and buy."""

from __future__ import annotations

from charforge.rules import dice
from charforge.rules.pack import ClassInfo, Grant, RaceInfo, load
from charforge.rules.stats import is_proficient

# Not for sale in the shop a character gets: ships, carts and horses need a story, not a budget.
SHOP_EXCLUDES = frozenset({"mounts-and-vehicles"})


def usable(index: str, klass: ClassInfo, race: RaceInfo) -> bool:
    return is_proficient(load().equipment[index], index, klass, race)


def starting_kit(seed: int, class_index: str, ancestry: str) -> list[tuple[str, int]]:
    """The class's starting equipment with each choice made (seeded) among options it can use."""
    pack = load()
    klass, race = pack.classes[class_index], pack.races[ancestry]
    rng = dice.stream(seed, "kit")
    kit: list[tuple[str, int]] = [(g.item, g.quantity) for g in klass.starting_equipment if g.item]
    for choice in klass.starting_choices:
        options = [opt for opt in choice.options if _all_usable(opt, klass, race)] or choice.options
        for grant in rng.choice(options):
            if grant.item:
                kit.append((grant.item, grant.quantity))
            else:
                members = [i for i in pack.categories[grant.category] if usable(i, klass, race)]
                kit += [(i, 1) for i in rng.sample(members, min(grant.choose, len(members)))]
    return merge(kit)


def _all_usable(option: list[Grant], klass: ClassInfo, race: RaceInfo) -> bool:
    return all(usable(g.item, klass, race) for g in option if g.item)


def merge(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Combine repeated items, keeping first-seen order."""
    totals: dict[str, int] = {}
    for index, quantity in lines:
        totals[index] = totals.get(index, 0) + quantity
    return list(totals.items())


def budget_gp(seed: int, class_index: str, level: int) -> float:
    """SRD starting wealth for the class (rolled, seeded), times the character level.

    The per-level scaling is charforge's choice so a level-20 fighter can afford plate.
    """
    wealth = load().classes[class_index].starting_wealth
    rolled = sum(dice.roll(dice.stream(seed, "wealth"), wealth.dice, wealth.sides))
    return float(rolled * wealth.multiplier * level)


def line_cost(index: str, quantity: int) -> float:
    return round(load().equipment[index].unit_price_gp * quantity, 2)


def shop(class_index: str, ancestry: str, budget: float) -> list[str]:
    """Items the character may buy: SRD gear within budget, weapons and armour it is proficient with."""
    pack = load()
    klass, race = pack.classes[class_index], pack.races[ancestry]
    return [
        index for index, item in pack.equipment.items()
        if item.category not in SHOP_EXCLUDES and item.cost_gp <= budget and usable(index, klass, race)
    ]
