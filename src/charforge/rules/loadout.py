"""What a character carries: the rules of carrying and wielding, and the choices a player would make.

The rules are SRD 5.1: a druid will not wear armour or use a shield made of metal; nobody carries more
than Strength x 15 lb; heavy armour below its Strength score costs 10 ft. of speed (dwarves excepted);
a Small creature has disadvantage with Heavy weapons, so charforge never hands it one.

The choices are charforge's, seeded so a character is reproducible: among the starting-kit options, the
best AC the character can wear well, then the weapons that suit its abilities (never a two-handed weapon
with a shield), then a focus and pack that fit the class, all within what it can carry; and a shopping
plan in a fixed order (armour upgrade, shield, ammunition, staples, class items) within budget and
capacity, the rest kept as coins; a suit bought replaces the kit's. Every preference table below is marked
as charforge's choice. `equipment.choose_kit` makes the kit choice with the measures defined here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from charforge.models import Abilities
from charforge.rules.pack import ClassInfo, RaceInfo, load
from charforge.rules.stats import armor_class, armor_proficiencies, is_proficient, refuses_metal, strains

CARRY_PER_STR = 15  # SRD 5.1, Lifting and Carrying: capacity is the Strength score x 15 lb
# SRD 5.1, Equipment Packs: the source lists each pack's contents but no weight, so the rules pack says 0 lb.
# These are the contents' weights summed (used only while the pack says 0) and the contents themselves.
PACK_WEIGHT_LB = {"burglars-pack": 47.5, "diplomats-pack": 36.0, "dungeoneers-pack": 61.5,
                  "entertainers-pack": 38.0, "explorers-pack": 59.0, "priests-pack": 18.0, "scholars-pack": 10.0}
PACK_CONTENTS = {
    "burglars-pack": ("backpack", "ball-bearings-bag-of-1000", "string-10-feet", "bell", "candle", "crowbar",
                      "hammer", "piton", "lantern-hooded", "oil-flask", "rations-1-day", "tinderbox", "waterskin",
                      "rope-hempen-50-feet"),
    "diplomats-pack": ("chest", "case-map-or-scroll", "clothes-fine", "ink-1-ounce-bottle", "ink-pen", "lamp",
                       "oil-flask", "paper-one-sheet", "perfume-vial", "sealing-wax", "soap"),
    "dungeoneers-pack": ("backpack", "crowbar", "hammer", "piton", "torch", "tinderbox", "rations-1-day",
                         "waterskin", "rope-hempen-50-feet"),
    "entertainers-pack": ("backpack", "bedroll", "clothes-costume", "candle", "rations-1-day", "waterskin",
                          "disguise-kit"),
    "explorers-pack": ("backpack", "bedroll", "mess-kit", "tinderbox", "torch", "rations-1-day", "waterskin",
                       "rope-hempen-50-feet"),
    "priests-pack": ("backpack", "blanket", "candle", "tinderbox", "rations-1-day", "waterskin", "alms-box",
                     "block-of-incense", "censer", "vestments"),
    "scholars-pack": ("backpack", "book", "ink-1-ounce-bottle", "ink-pen", "parchment-one-sheet",
                      "little-bag-of-sand", "small-knife"),
}
# SRD 5.1 weapons name no ammunition; these are the pairs the Weapons table implies.
AMMUNITION = {"longbow": "arrow", "shortbow": "arrow", "crossbow-light": "crossbow-bolt",
              "crossbow-hand": "crossbow-bolt", "crossbow-heavy": "crossbow-bolt", "sling": "sling-bullet",
              "blowgun": "blowgun-needle"}
# charforge's choice: a Small character's kit swaps a Heavy weapon for the nearest one it can wield well.
SMALL_SWAPS = {"longbow": "shortbow", "crossbow-heavy": "crossbow-light", "greataxe": "battleaxe",
               "greatsword": "longsword", "maul": "warhammer"}
# charforge's choice: 10 ft. of speed lost to heavy armour weighs like 4 points of AC when choosing a kit, so a
# STR 10, DEX 16 fighter takes leather and a longbow rather than chain mail she can barely move in.
STRAIN_AC = 4
# charforge's choice: a loading weapon fires once per action however many attacks the character has, so it
# counts 1.5 points of damage less: a longbow (1d8) beats a heavy crossbow (1d10) for an archer.
LOADING_COST = 1.5
# charforge's choice: a thrown dagger or handaxe is gone after one throw, so at range it counts 2 points less.
THROWN_COST = 2
# charforge's choice: fighters and rangers with more DEX than STR fight at range first, so their kit is chosen for
# the bow before the AC (a bow takes both hands: no shield).
ARCHER_CLASSES = frozenset({"fighter", "ranger"})
# charforge's choice: the focus each spellcaster holds, and the packs each class prefers, best first.
FOCUS = {"cleric": "holy-symbols", "paladin": "holy-symbols", "druid": "druidic-foci",
         "sorcerer": "arcane-foci", "warlock": "arcane-foci", "wizard": "arcane-foci"}
PACK_TASTE = {
    "barbarian": ("explorers-pack",), "bard": ("entertainers-pack", "diplomats-pack"),
    "cleric": ("priests-pack", "explorers-pack"), "druid": ("explorers-pack",),
    "fighter": ("explorers-pack", "dungeoneers-pack"), "monk": ("explorers-pack", "dungeoneers-pack"),
    "paladin": ("priests-pack", "explorers-pack"), "ranger": ("explorers-pack", "dungeoneers-pack"),
    "rogue": ("burglars-pack", "dungeoneers-pack", "explorers-pack"),
    "sorcerer": ("explorers-pack", "dungeoneers-pack"), "warlock": ("scholars-pack", "dungeoneers-pack"),
    "wizard": ("scholars-pack", "explorers-pack"),
}
# charforge's choice: what every adventurer should have (skipped when the kit or its pack has it), then a few
# things each class makes good use of. Bought in this order while money and strength last.
ESSENTIALS = (("healers-kit", 1), ("rope-hempen-50-feet", 1), ("rations-1-day", 5), ("waterskin", 1),
           ("tinderbox", 1))
CLASS_GEAR: dict[str, tuple[tuple[str, int], ...]] = {
    "barbarian": (("whetstone", 1), ("grappling-hook", 1)),
    "bard": (("disguise-kit", 1), ("clothes-fine", 1)),
    "cleric": (("holy-water-flask", 2),),
    "druid": (("herbalism-kit", 1),),
    "fighter": (("whetstone", 1), ("grappling-hook", 1)),
    "monk": (("caltrops", 1), ("climbers-kit", 1)),
    "paladin": (("holy-water-flask", 2), ("whetstone", 1)),
    "ranger": (("hunting-trap", 1), ("climbers-kit", 1)),
    "rogue": (("caltrops", 1), ("ball-bearings-bag-of-1000", 1), ("grappling-hook", 1)),
    "sorcerer": (("component-pouch", 1),),
    "warlock": (("book", 1), ("component-pouch", 1)),
    "wizard": (("ink-1-ounce-bottle", 1), ("ink-pen", 1), ("parchment-one-sheet", 10), ("component-pouch", 1)),
}

Lines = list[tuple[str, int]]


@dataclass(frozen=True)
class Wearer:
    """Whoever carries the gear: every rule and choice here depends on these four facts.

    Example: `Wearer("fighter", "human", abilities, level=5)`; `capacity_lb` is STR x 15.
    """

    class_index: str
    ancestry: str
    abilities: Abilities
    level: int = 1
    # Values already worked out for this wearer: a kit choice compares dozens of kits that share most items.
    memo: dict[tuple, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def klass(self) -> ClassInfo:
        return load().classes[self.class_index]

    @property
    def race(self) -> RaceInfo:
        return load().races[self.ancestry]

    @property
    def capacity_lb(self) -> int:
        return self.abilities.str_ * CARRY_PER_STR


# -- rules ------------------------------------------------------------------------------------


def refusal(index: str, class_index: str, ancestry: str) -> str | None:
    """Why the rules keep this character from using `index`, or None: what the shop, settling and audit share."""
    pack = load()
    item = pack.equipment[index]
    if item.armor and item.armor.metal and refuses_metal(pack.classes[class_index]):
        return "druids do not wear metal armour or shields"
    if item.weapon and "heavy" in item.weapon.properties and pack.races[ancestry].size == "Small":
        return "a Small character cannot wield a Heavy weapon well"
    return None


def proficient(index: str, class_index: str, ancestry: str, level: int = 1) -> bool:
    """Proficiency with a weapon or armour, counting the armour a subclass grants (Life Domain: heavy)."""
    pack = load()
    item, klass = pack.equipment[index], pack.classes[class_index]
    if item.armor:
        return item.armor.category in armor_proficiencies(klass, level)
    return is_proficient(item, index, klass, pack.races[ancestry])


def legal(index: str, class_index: str, ancestry: str, level: int = 1) -> bool:
    """Proficient and not refused (cached: a kit choice and a shop ask about the same items hundreds of times)."""
    return _legal(index, class_index, ancestry, proficiency_level(class_index, level))


@cache
def _legal(index: str, class_index: str, ancestry: str, level: int) -> bool:
    return proficient(index, class_index, ancestry, level) and refusal(index, class_index, ancestry) is None


@cache  # a pure function of the pack, which never changes in a process; `legal` asks it every call
def proficiency_level(class_index: str, level: int) -> int:
    """The lowest level with the same armour and weapon proficiencies as `level` (only a subclass adds any)."""
    pack = load()
    subclass = pack.subclasses.get(pack.classes[class_index].subclass or "")
    return subclass.level if subclass and subclass.proficiencies and level >= subclass.level else 1


@cache  # a pure function of the pack, which never changes in a process; kit choices weigh the same lines often
def weight_lb(index: str, quantity: int = 1) -> float:
    """What `quantity` of an item weighs (a price buys `bundle` of some items: 20 arrows weigh 1 lb)."""
    item = load().equipment[index]
    return (item.weight or PACK_WEIGHT_LB.get(index, 0.0)) / item.bundle * quantity


def carrying(lines: Lines, strength: int) -> tuple[float, int]:
    """(weight carried, carrying capacity) in lb for (item index, quantity) lines; coins are not counted."""
    return round(sum(weight_lb(i, q) for i, q in lines), 2), strength * CARRY_PER_STR


def strained(index: str, wearer: Wearer) -> bool:
    """Heavy armour below its Strength score: the wearer loses 10 ft. of speed (a dwarf does not)."""
    return strains(load().equipment[index].armor, wearer.abilities.str_, wearer.race)


# -- how good a set of gear is ----------------------------------------------------------------------


@cache  # a pure function of the pack, which never changes in a process; kit choices ask it constantly
def is_shield(index: str) -> bool:
    armor = load().equipment[index].armor
    return armor is not None and armor.category == "shield"


@cache  # a pure function of the pack, which never changes in a process
def is_body_armour(index: str) -> bool:
    armor = load().equipment[index].armor
    return armor is not None and armor.category != "shield"


def armour_value(items: list[str], wearer: Wearer) -> int:
    """The AC the best armour among `items` gives, less STRAIN_AC when it is heavy armour too heavy to wear well."""
    key = ("ac", *sorted(_indexes("armor").intersection(items)))
    if key not in wearer.memo:
        wearer.memo[key] = _armour_value(list(key[1:]), wearer)
    return int(wearer.memo[key])


@cache  # a pure function of the pack, which never changes in a process: the cache keys here are built from these
def _indexes(kind: str) -> frozenset[str]:
    """The indexes of every "armor" (shields too), "shield" or "weapon" item."""
    equipment = load().equipment
    if kind == "shield":
        return frozenset(i for i in equipment if is_shield(i))
    return frozenset(i for i, item in equipment.items() if getattr(item, kind))


def _armour_value(items: list[str], wearer: Wearer) -> int:
    abilities, klass, race, level = wearer.abilities, wearer.klass, wearer.race, wearer.level
    shields = [i for i in items if is_shield(i)]
    best = armor_class(abilities, klass, race, shields, level=level)
    for index in dict.fromkeys(i for i in items if is_body_armour(i)):
        ac = armor_class(abilities, klass, race, [index, *shields], level=level)
        best = max(best, ac - (STRAIN_AC if strained(index, wearer) else 0))
    return best


@cache
def _average(expr: str) -> float:
    match = re.fullmatch(r"(\d+)d(\d+)", expr or "")
    return int(match[1]) * (int(match[2]) + 1) / 2 if match else 0.0


def weapon_value(index: str, wearer: Wearer, *, shield: bool = False) -> float:
    """Average damage of a hit: the dice (two-handed when versatile and no shield) plus the ability the weapon
    attacks with (a monk's monk weapons and finesse weapons take the better of STR and DEX). Special weapons
    (lance, net) count for nothing: charforge never picks them for a kit; loading ones LOADING_COST less."""
    abilities = wearer.abilities
    return _weapon_value(index, wearer.class_index == "monk", (abilities.str_ - 10) // 2, (abilities.dex - 10) // 2,
                         shield)


@cache
def _weapon_value(index: str, monk: bool, strength: int, dexterity: int, shield: bool) -> float:
    weapon = load().equipment[index].weapon
    if weapon is None or "special" in weapon.properties:
        return 0.0
    if "finesse" in weapon.properties or (monk and "monk" in weapon.properties):
        mod = max(strength, dexterity)
    else:
        mod = dexterity if weapon.range == "ranged" else strength
    dice_ = weapon.two_handed_damage if weapon.two_handed_damage and not shield else weapon.damage
    return _average(dice_) + mod - (LOADING_COST if "loading" in weapon.properties else 0)


def arsenal_value(items: list[str], wearer: Wearer) -> float:
    """The best weapon, plus half the best one of the other reach (melee or at range), so a kit that can do both
    beats one that cannot (charforge's measure). Thrown weapons count at range too, THROWN_COST less (the plan
    buys a bow its arrows). Two light melee weapons (an item listed twice counts twice) add the off-hand's dice
    when no shield is carried: SRD 5.1 two-weapon fighting, whose second attack adds no ability modifier."""
    weapons, abilities = _indexes("weapon"), wearer.abilities
    return _arsenal_value(tuple(sorted(i for i in items if i in weapons)), not _indexes("shield").isdisjoint(items),
                          wearer.class_index == "monk", (abilities.str_ - 10) // 2, (abilities.dex - 10) // 2)


def arsenal_values(items: list[str], extras: Iterable[str], wearer: Wearer) -> dict[str, float]:
    """`arsenal_value([*items, m], wearer)` for each `m` of `extras`, `items`' share worked out once (a kit choice
    asks it for every member of a category)."""
    weapons, shields, abilities = _indexes("weapon"), _indexes("shield"), wearer.abilities
    base, shield = sorted(i for i in items if i in weapons), not shields.isdisjoint(items)
    facts = (wearer.class_index == "monk", (abilities.str_ - 10) // 2, (abilities.dex - 10) // 2)
    return {m: _arsenal_value(tuple(sorted([*base, m])) if m in weapons else tuple(base), shield or m in shields,
                              *facts) for m in extras}


# A pure function of the pack, which never changes in a process, and of what `weapon_value` reads of the wearer, so
# every character with the same modifiers shares it (kit choices ask tens of thousands of times a batch); bounded,
# so a long-running worker's memory stays flat.
@lru_cache(maxsize=1 << 14)
def _arsenal_value(weapons: tuple[str, ...], shield: bool, monk: bool, strength: int, dexterity: int) -> float:
    equipment = load().equipment

    def value(index: str, *, shield: bool = False) -> float:  # weapon_value for this wearer
        return _weapon_value(index, monk, strength, dexterity, shield)

    melee = ranged = 0.0
    for index in set(weapons):
        weapon = equipment[index].weapon
        if weapon is None:
            continue
        worth = value(index, shield=shield)
        if weapon.range == "melee":
            melee = max(melee, worth)
        if weapon.range == "ranged":
            ranged = max(ranged, worth)
        elif "thrown" in weapon.properties:
            ranged = max(ranged, worth - THROWN_COST)
    light = sorted((i for i in weapons
                    if (w := equipment[i].weapon) and w.range == "melee" and "light" in w.properties),
                   key=lambda i: -value(i))
    if len(light) >= 2 and not shield:
        melee = max(melee, value(light[0]) + _average(equipment[light[1]].weapon.damage))  # type: ignore[union-attr]
    return max(melee, ranged) + min(melee, ranged) / 2


def archer(wearer: Wearer) -> bool:
    return wearer.class_index in ARCHER_CLASSES and wearer.abilities.dex > wearer.abilities.str_


def range_value(items: list[str], wearer: Wearer) -> float:
    """The best weapon that shoots (bows, crossbows, slings; thrown weapons do not count), for an archer."""
    equipment = load().equipment
    return max((weapon_value(i, wearer) for i in set(items)
                if (w := equipment[i].weapon) and w.range == "ranged" and "thrown" not in w.properties), default=0.0)


@cache  # a pure function of the pack, which never changes in a process
def two_handed(index: str) -> bool:
    weapon = load().equipment[index].weapon
    return weapon is not None and "two-handed" in weapon.properties


def two_handed_with_shield(items: list[str]) -> bool:
    return any(is_shield(i) for i in items) and any(two_handed(i) for i in items)


def fit(items: list[str], class_index: str) -> int:
    """How well the focus and pack suit the class (charforge's FOCUS and PACK_TASTE)."""
    categories = load().categories
    focus = FOCUS.get(class_index)
    score = 10 if focus and any(i in categories[focus] for i in items) else 0
    taste = PACK_TASTE.get(class_index, ())
    return score + max((len(taste) - taste.index(i) for i in items if i in taste), default=0)


def price(index: str, quantity: int) -> float:
    """Market price of a line (unit price x quantity), as every budget check adds it up."""
    return round(load().equipment[index].unit_price_gp * quantity, 2)


# -- purchases ---------------------------------------------------------------------------------------


def kept_kit(kit: Lines, bought: list[str], wearer: Wearer) -> Lines:
    """The kit less the armour a bought suit replaces (no better AC than it): a player sells or stores the old
    suit rather than carry two (charforge's choice), so a STR 6 druid can still trade leather for hide."""
    new = [i for i in bought if is_body_armour(i)]
    if not new:
        return list(kit)
    best = max(armour_value([i], wearer) for i in new)
    return [(i, q) for i, q in kit if not (is_body_armour(i) and armour_value([i], wearer) <= best)]


@dataclass
class Cart:
    """Purchases so far against the budget and what the character can carry; settling uses it too, so a plan
    made here never needs a repair there."""

    wearer: Wearer
    kit: Lines
    budget: float
    bought: dict[str, int] = field(default_factory=dict)
    spent: float = 0.0

    @property
    def lines(self) -> Lines:
        """What is carried: the kit (less the armour a purchase replaced) and the purchases."""
        return [*kept_kit(self.kit, list(self.bought), self.wearer), *self.bought.items()]

    @property
    def items(self) -> list[str]:
        return [i for i, _ in self.lines]

    def affordable(self, index: str, quantity: int) -> bool:
        return self.spent + price(index, quantity) <= self.budget

    def portable(self, index: str, quantity: int) -> bool:
        bought = {**self.bought, index: self.bought.get(index, 0) + quantity}
        lines = [*kept_kit(self.kit, list(bought), self.wearer), *bought.items()]
        return round(sum(weight_lb(i, q) for i, q in lines), 2) <= self.wearer.capacity_lb

    def add(self, index: str, quantity: int) -> None:
        self.bought[index] = self.bought.get(index, 0) + quantity
        self.spent += price(index, quantity)

    def held(self) -> set[str]:
        """Everything carried, the contents of its packs included."""
        items = set(self.items)
        return items.union(*(PACK_CONTENTS.get(i, ()) for i in items))


def shopping_plan(wearer: Wearer, kit: Lines, budget: float, shop: list[str]) -> Lines:
    """What charforge buys for the character, in this order while money and strength last: the best armour
    upgrade it can wear well, a shield when it fights one-handed, one bundle of ammunition per kind its weapons
    shoot, the ESSENTIALS its kit lacks, then its class's CLASS_GEAR. Only `shop` items; the rest is coins.
    """
    cart = Cart(wearer, list(kit), budget)
    allowed = set(shop)
    steps = (_armour_upgrade, _shield, _ammunition, _essentials, _class_gear)
    for step in steps:  # each step sees what the ones before it bought
        for index, quantity in step(cart, allowed):
            if index in allowed and cart.affordable(index, quantity) and cart.portable(index, quantity):
                cart.add(index, quantity)
    return list(cart.bought.items())


def _armour_upgrade(cart: Cart, allowed: set[str]) -> Lines:
    """The armour that raises AC most (worn well: no Strength shortfall), the cheapest and lightest of equals.
    Unarmored Defense counts, so a barbarian buys armour only when it beats 10 + DEX + CON."""
    equipment = load().equipment
    wearer, items = cart.wearer, cart.items
    offers = [i for i in sorted(allowed) if is_body_armour(i) and not strained(i, wearer)
              and cart.affordable(i, 1) and cart.portable(i, 1)]
    best = max(offers, default=None, key=lambda i: (armour_value([*items, i], wearer), -price(i, 1), -weight_lb(i),
                                                    not equipment[i].armor.stealth_disadvantage))  # type: ignore[union-attr]
    return [(best, 1)] if best and armour_value([*items, best], wearer) > armour_value(items, wearer) else []


def _shield(cart: Cart, allowed: set[str]) -> Lines:
    """A shield for a character who has none and carries no two-handed weapon (its hands are free for one)."""
    if any(is_shield(i) for i in cart.items) or any(two_handed(i) for i in cart.items):
        return []
    return [(i, 1) for i in sorted(allowed) if is_shield(i)][:1]


def _essentials(cart: Cart, allowed: set[str]) -> Lines:
    held = cart.held()
    return [(i, q) for i, q in ESSENTIALS if i not in held]


def _ammunition(cart: Cart, allowed: set[str]) -> Lines:
    """One bundle more (20 arrows, 20 bolts...) of each kind of ammunition the weapons carried shoot."""
    equipment = load().equipment
    kinds = dict.fromkeys(AMMUNITION[i] for i in cart.items if i in AMMUNITION)
    return [(ammo, equipment[ammo].bundle) for ammo in kinds if ammo in equipment]


def _class_gear(cart: Cart, allowed: set[str]) -> Lines:
    held = cart.held()
    return [(i, q) for i, q in CLASS_GEAR.get(cart.wearer.class_index, ()) if i not in held]
