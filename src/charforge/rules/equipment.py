"""Starting kits, budgets and the shop: which SRD items a character may carry and buy."""

from __future__ import annotations

from functools import cache

from charforge.rules import dice
from charforge.rules.pack import ClassInfo, Grant, RaceInfo, load
from charforge.rules.stats import is_proficient

# Not for sale in the shop a character gets: ships, carts and horses need a story, not a budget.
SHOP_EXCLUDES = frozenset({"mounts-and-vehicles"})
# charforge's choice: what adventurers actually buy, offered first when the list must be short.
STAPLES = (
    "healers-kit", "rope-hempen-50-feet", "rope-silk-50-feet", "lantern-hooded", "lantern-bullseye", "crowbar",
    "grappling-hook", "antitoxin-vial", "tent-two-person", "bedroll", "rations-1-day", "waterskin", "tinderbox",
    "torch", "oil-flask", "chalk-1-piece", "spyglass", "magnifying-glass", "book", "ink-1-ounce-bottle", "ink-pen",
    "parchment-one-sheet", "mirror-steel", "hunting-trap", "fishing-tackle", "caltrops", "ball-bearings-bag-of-1000",
    "manacles", "lock", "holy-water-flask", "alchemists-fire-flask", "acid-vial", "climbers-kit", "disguise-kit",
    "clothes-fine", "clothes-travelers", "signet-ring", "perfume-vial", "dice-set", "playing-card-set",
    "thieves-tools", "herbalism-kit", "lute", "flute", "navigators-tools", "cartographers-tools", "poisoners-kit",
    "forgery-kit", "hourglass", "whetstone",
)
SHORTLIST = 60


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
    equipment = load().equipment
    return [index for index in _buyable(class_index, ancestry) if equipment[index].cost_gp <= budget]


@cache
def _buyable(class_index: str, ancestry: str) -> tuple[str, ...]:
    """Everything a class and ancestry may buy at any price (a batch asks for the same pair thousands of times)."""
    pack = load()
    klass, race = pack.classes[class_index], pack.races[ancestry]
    return tuple(index for index, item in pack.equipment.items()
                 if item.category not in SHOP_EXCLUDES and usable(index, klass, race))


def shortlist(shop_items: list[str], kit: list[tuple[str, int]], limit: int = SHORTLIST) -> list[str]:
    """A short, useful slice of the shop for a prompt: staples first, then weapons and armour.

    Anything in the full shop stays legal to buy; this only keeps prompts small.
    """
    pack = load()
    carried = {index for index, _ in kit}
    allowed = [i for i in shop_items if i not in carried]
    available = set(allowed)
    staples = [i for i in STAPLES if i in available]
    arms = sorted((i for i in allowed if pack.equipment[i].armor or pack.equipment[i].weapon),
                  key=lambda i: -pack.equipment[i].cost_gp)
    chosen = list(dict.fromkeys([*staples, *arms]))[:limit]
    return sorted(chosen, key=lambda i: (pack.equipment[i].category, pack.equipment[i].name))
