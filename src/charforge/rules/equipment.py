"""Starting kits, budgets and the shop: which SRD items a character may carry and buy.

The kit's options are chosen for the character by `choose_kit`, which compares whole kits with the
measures in `rules.loadout` (AC worn well, weapons, fit, weight), so the choice is a player's, not a coin's.
"""

from __future__ import annotations

import itertools
import logging
import random
from dataclasses import dataclass
from functools import cache

from charforge.models import Abilities
from charforge.rules import dice
from charforge.rules.loadout import (
    SMALL_SWAPS,
    Lines,
    Wearer,
    archer,
    armour_value,
    arsenal_value,
    arsenal_values,
    carrying,
    fit,
    is_shield,
    legal,
    price,
    proficiency_level,
    range_value,
    refusal,
    two_handed,
    two_handed_with_shield,
    weapon_value,
    weight_lb,
)
from charforge.rules.pack import ClassInfo, Grant, RaceInfo, load
from charforge.rules.stats import ability_scores, is_proficient

log = logging.getLogger(__name__)

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


def starting_kit(seed: int, class_index: str, ancestry: str, abilities: Abilities | None = None, *,
                 level: int = 1) -> list[tuple[str, int]]:
    """The class's starting equipment with each option chosen for the character, as a player would (seeded).

    `abilities` default to those `seed` rolls (4d6) for a level-`level` character; see `choose_kit`.
    """
    if abilities is None:
        abilities = ability_scores(seed, class_index, load().races[ancestry], level)
    return merge(choose_kit(seed, Wearer(class_index, ancestry, abilities, level)))


@dataclass(frozen=True)
class _Option:
    grants: tuple[Grant, ...]
    melee_only: bool  # an "any simple melee weapon" slot: the choice's other option is one melee weapon


def choose_kit(seed: int, wearer: Wearer) -> Lines:
    """The class's starting equipment with each option chosen for this character (seeded), unmerged.

    Whole kits are compared, because options interact (a shield in one, a two-handed weapon in another):
    only usable items, then within carrying capacity, then no two-handed weapon with a shield, then (for an
    archer) the best bow, the best AC worn well, the best weapons, the focus and pack that fit the class,
    less weight; the seed breaks ties. If even the lightest kit is too heavy, gear that is neither armour
    nor weapon stays behind.
    """
    rng = dice.stream(seed, "kit")
    fixed = [(_swap(g.item, wearer), g.quantity) for g in wearer.klass.starting_equipment if g.item]
    choices = [_options(choice.options, wearer) for choice in wearer.klass.starting_choices]
    taste = _taste(rng, choices)
    best: tuple[tuple, Lines] | None = None
    picked: dict[tuple, tuple[str, ...]] = {}  # `_members` for this seed's taste: kits share most of their slots
    for light in (False, True):  # the lightest picks only when the best ones are too heavy to carry
        for picks in itertools.product(*choices):
            kit = fixed + _resolve(picks, [i for i, _ in fixed], wearer, taste, light=light, memo=picked)
            rank = (*_rank(kit, wearer), rng.random())
            if best is None or rank > best[0]:
                best = (rank, kit)
        if best and best[0][1]:  # within carrying capacity
            break
    assert best is not None  # product() of no choices still yields one empty pick
    return _leave_behind(best[1], wearer)


def _swap(index: str, wearer: Wearer) -> str:
    """A Small character's Heavy weapon becomes its SMALL_SWAPS counterpart (a ranger's longbow, a shortbow)."""
    if index in SMALL_SWAPS and refusal(index, wearer.class_index, wearer.ancestry):
        return SMALL_SWAPS[index]
    return index


def _options(options: list[list[Grant]], wearer: Wearer) -> list[_Option]:
    """The options this character can use (all of them if none is usable), Heavy weapons swapped for Small ones."""
    equipment = load().equipment
    melee_only = any(len(o) == 1 and o[0].item and (w := equipment[o[0].item].weapon) and w.range == "melee"
                     for o in options)
    swapped = [_Option(tuple(g.model_copy(update={"item": _swap(g.item, wearer)}) if g.item else g for g in o),
                       melee_only) for o in options]
    usable = [o for o in swapped if all(legal(g.item, wearer.class_index, wearer.ancestry, wearer.level)
                                        for g in o.grants if g.item)]
    return usable or swapped


def _taste(rng: random.Random, choices: list[list[_Option]]) -> dict[str, dict[str, int]]:
    """A seeded order of each category's members, for picks nothing else decides (which holy symbol)."""
    categories = load().categories
    names = dict.fromkeys(str(g.category) for options in choices for o in options for g in o.grants if g.category)
    return {name: {m: k for k, m in enumerate(rng.sample(categories[name], len(categories[name])))}
            for name in names}


def _resolve(picks: tuple[_Option, ...], carried: list[str], wearer: Wearer, taste: dict[str, dict[str, int]],
             *, light: bool, memo: dict[tuple, tuple[str, ...]]) -> Lines:
    """The lines of one combination of options, each category pick made for the kit around it."""
    lines = [(g.item, g.quantity) for o in picks for g in o.grants if g.item]
    carried = carried + [i for i, _ in lines]
    for option in picks:
        for grant in option.grants:
            if grant.category:
                for index in _members(grant, option.melee_only, carried, wearer, taste[grant.category], light=light,
                                      memo=memo):
                    lines.append((index, 1))
                    carried.append(index)
    return lines


def _members(grant: Grant, melee_only: bool, carried: list[str], wearer: Wearer, taste: dict[str, int], *,
             light: bool, memo: dict[tuple, tuple[str, ...]]) -> list[str]:
    """`grant.choose` distinct members: what adds most to the weapons carried (or, for the light variant of a
    kit, weighs least), never a two-handed weapon beside a shield, melee weapons in a melee slot.

    `memo` holds earlier answers for the same wearer and `taste`; the key is everything about `carried` the
    choice reads: a shield, the weapons (as `arsenal_value` counts them) and which members are carried already.
    """
    equipment = load().equipment
    shield = any(is_shield(i) for i in carried)
    key = (grant.category, grant.choose, melee_only, light, shield,
           tuple(sorted(i for i in carried if equipment[i].weapon)), frozenset(i for i in carried if i in taste))
    if key not in memo:
        memo[key] = tuple(_best_members(grant, melee_only, carried, wearer, taste, light=light, shield=shield))
    return list(memo[key])


def _best_members(grant: Grant, melee_only: bool, carried: list[str], wearer: Wearer, taste: dict[str, int], *,
                  light: bool, shield: bool) -> list[str]:
    equipment = load().equipment
    members = list(taste)
    usable = [m for m in members if legal(m, wearer.class_index, wearer.ancestry, wearer.level)]
    preferred = [m for m in usable if not (shield and two_handed(m))
                 and not (melee_only and not (equipment[m].weapon and equipment[m].weapon.range == "melee"))]
    pool = [m for m in preferred if m not in carried] or preferred or usable or members  # no second longbow
    chosen: list[str] = []
    for _ in range(min(grant.choose, len(pool))):
        arsenals = arsenal_values([*carried, *chosen], (m for m in pool if m not in chosen), wearer)

        def key(m: str, arsenals: dict[str, float] = arsenals) -> tuple:
            """Most added to the weapons carried, then a melee sidearm, the best in itself."""
            gain, own = -arsenals[m], -weapon_value(m, wearer, shield=shield)
            sidearm = not (equipment[m].weapon and equipment[m].weapon.range == "melee")
            return (weight_lb(m), gain, own, taste[m]) if light else (gain, sidearm, own, taste[m])
        chosen.append(min((m for m in pool if m not in chosen), key=key))
    return chosen


def _rank(kit: Lines, wearer: Wearer) -> tuple:
    items = [i for i, _ in kit]
    pairs = [i for i, q in kit for _ in range(min(q, 2))]  # two shortswords can be wielded together
    weight = round(sum(weight_lb(i, q) for i, q in kit), 2)
    unusable = sum(not legal(i, wearer.class_index, wearer.ancestry, wearer.level) for i in items)
    shoots = range_value(items, wearer) if archer(wearer) else 0.0
    return (-unusable, weight <= wearer.capacity_lb, not two_handed_with_shield(items), shoots,
            armour_value(items, wearer), round(arsenal_value(pairs, wearer), 2), fit(items, wearer.class_index),
            -weight)


def _leave_behind(kit: Lines, wearer: Wearer) -> Lines:
    """The kit, less what it cannot carry: gear that is neither armour nor weapon, heaviest first (a pack), stays
    behind until the rest is within capacity. A STR 4 druid cannot take a 59 lb explorer's pack on the road."""
    equipment = load().equipment
    kept = list(kit)
    spare = sorted((line for line in kit if not (equipment[line[0]].armor or equipment[line[0]].weapon)),
                   key=lambda line: -weight_lb(*line))
    for line in spare:
        if carrying(kept, wearer.abilities.str_)[0] <= wearer.capacity_lb:
            break
        kept.remove(line)
        log.debug("%s left behind: too heavy for STR %d", line[0], wearer.abilities.str_)
    return kept


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
    return price(index, quantity)


def shop(class_index: str, ancestry: str, budget: float, *, level: int = 1) -> list[str]:
    """Items the character may buy: SRD gear within budget, weapons and armour it is proficient with (its
    subclass's armour too, from `level`), nothing the rules keep from it (`loadout.refusal`)."""
    equipment = load().equipment
    buyable = _buyable(class_index, ancestry, proficiency_level(class_index, level))
    return [index for index in buyable if equipment[index].cost_gp <= budget]


@cache
def _buyable(class_index: str, ancestry: str, level: int) -> tuple[str, ...]:
    """Everything a class and ancestry may buy at any price (a batch asks for the same pair thousands of times)."""
    return tuple(index for index, item in load().equipment.items()
                 if item.category not in SHOP_EXCLUDES and legal(index, class_index, ancestry, level))


def shortlist(shop_items: list[str], kit: list[tuple[str, int]], limit: int = SHORTLIST, *,
              first: list[str] = ()) -> list[str]:
    """A short, useful slice of the shop for a prompt: `first` (the suggested purchases), staples, then weapons
    and armour.

    Anything in the full shop stays legal to buy; this only keeps prompts small.
    """
    pack = load()
    carried = {index for index, _ in kit}
    allowed = [i for i in shop_items if i not in carried]
    available = set(allowed)
    staples = [i for i in first if i in shop_items] + [i for i in STAPLES if i in available]
    arms = sorted((i for i in allowed if pack.equipment[i].armor or pack.equipment[i].weapon),
                  key=lambda i: -pack.equipment[i].cost_gp)
    chosen = list(dict.fromkeys([*staples, *arms]))[:limit]
    return sorted(chosen, key=lambda i: (pack.equipment[i].category, pack.equipment[i].name))
