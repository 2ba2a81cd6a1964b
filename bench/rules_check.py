"""An independent SRD 5.1 rules check of offline characters (issue 13's acceptance).

    python bench/rules_check.py                   # ~300 characters: every class x levels 1-20 x every ancestry
    python bench/rules_check.py --count 60 --seed-base 1000

Every fact checked here is written out below from the SRD 5.1 text (class tables, spell lists, starting
equipment, armour and weapon tables, racial traits). Nothing is read from `charforge.rules` or `srd51.json`
to decide what is right: the code under test may not grade itself. The one exception is the row "2b": it
compares the rules pack's class spell lists with the lists below (the pack is what is checked there).

Prints one row per check (characters checked, failures, the first three examples with the seed, class, level
and ancestry that reproduce them) and exits 1 if any check fails. `tests/test_rules_check.py` runs the same
checks on 60 characters.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Doc = dict[str, Any]

# ================================================================================================
# SRD 5.1 facts, encoded by hand
# ================================================================================================

ABILITIES = ("str", "dex", "con", "int", "wis", "cha")
CLASSES = ("barbarian", "bard", "cleric", "druid", "fighter", "monk", "paladin", "ranger", "rogue", "sorcerer",
           "warlock", "wizard")
ANCESTRIES = ("human", "dwarf", "hill-dwarf", "elf", "high-elf", "halfling", "lightfoot-halfling", "gnome",
              "rock-gnome", "half-elf", "half-orc", "dragonborn", "tiefling")

HIT_DIE = {"barbarian": 12, "fighter": 10, "paladin": 10, "ranger": 10, "bard": 8, "cleric": 8, "druid": 8,
           "monk": 8, "rogue": 8, "warlock": 8, "sorcerer": 6, "wizard": 6}
SAVES = {"barbarian": {"str", "con"}, "bard": {"dex", "cha"}, "cleric": {"wis", "cha"}, "druid": {"int", "wis"},
         "fighter": {"str", "con"}, "monk": {"str", "dex"}, "paladin": {"wis", "cha"}, "ranger": {"str", "dex"},
         "rogue": {"dex", "int"}, "sorcerer": {"con", "cha"}, "warlock": {"wis", "cha"}, "wizard": {"int", "wis"}}
CLASS_SKILL_COUNT = {"barbarian": 2, "bard": 3, "cleric": 2, "druid": 2, "fighter": 2, "monk": 2, "paladin": 2,
                     "ranger": 3, "rogue": 4, "sorcerer": 2, "warlock": 2, "wizard": 2}
# Ability Score Improvement levels (SRD class tables)
ASI_LEVELS = {c: (4, 8, 12, 16, 19) for c in CLASSES}
ASI_LEVELS["fighter"] = (4, 6, 8, 12, 14, 16, 19)
ASI_LEVELS["rogue"] = (4, 8, 10, 12, 16, 19)
# The one SRD subclass per class and the class level it is chosen at.
SUBCLASS = {"barbarian": ("berserker", 3), "bard": ("lore", 3), "cleric": ("life", 1), "druid": ("land", 2),
            "fighter": ("champion", 3), "monk": ("open-hand", 3), "paladin": ("devotion", 3),
            "ranger": ("hunter", 3), "rogue": ("thief", 3), "sorcerer": ("draconic", 1),
            "warlock": ("fiend", 1), "wizard": ("evocation", 2)}


def has_subclass(cls: str, level: int) -> bool:
    return level >= SUBCLASS[cls][1]


# Armour proficiency by class (Life Domain adds heavy armour at cleric 1).
ARMOR_PROF = {"barbarian": {"light", "medium", "shield"}, "bard": {"light"},
              "cleric": {"light", "medium", "heavy", "shield"}, "druid": {"light", "medium", "shield"},
              "fighter": {"light", "medium", "heavy", "shield"}, "monk": set(),
              "paladin": {"light", "medium", "heavy", "shield"}, "ranger": {"light", "medium", "shield"},
              "rogue": {"light"}, "sorcerer": set(), "warlock": {"light"}, "wizard": set()}
# Weapon proficiency: categories plus single weapons.
_ROGUEISH = {"simple", "Crossbow, hand", "Longsword", "Rapier", "Shortsword"}
_ARCANE = {"Dagger", "Dart", "Sling", "Quarterstaff", "Crossbow, light"}
WEAPON_PROF = {"barbarian": {"simple", "martial"}, "bard": _ROGUEISH, "cleric": {"simple"},
               "druid": {"Club", "Dagger", "Dart", "Javelin", "Mace", "Quarterstaff", "Scimitar", "Sickle", "Sling",
                         "Spear"},
               "fighter": {"simple", "martial"}, "monk": {"simple", "Shortsword"}, "paladin": {"simple", "martial"},
               "ranger": {"simple", "martial"}, "rogue": _ROGUEISH, "sorcerer": _ARCANE, "warlock": {"simple"},
               "wizard": _ARCANE}
RACE_WEAPONS = {"dwarf": {"Battleaxe", "Handaxe", "Light hammer", "Warhammer"},
                "hill-dwarf": {"Battleaxe", "Handaxe", "Light hammer", "Warhammer"},
                "high-elf": {"Longsword", "Shortsword", "Shortbow", "Longbow"}}

# Ancestries: base speed, size, fixed ability increases, fixed languages + free extra languages, racial skills.
BASE_SPEED = {a: 30 for a in ANCESTRIES} | {a: 25 for a in ("dwarf", "hill-dwarf", "halfling",
                                                           "lightfoot-halfling", "gnome", "rock-gnome")}
SMALL = {"halfling", "lightfoot-halfling", "gnome", "rock-gnome"}
DWARVES = {"dwarf", "hill-dwarf"}
RACIAL = {"human": dict.fromkeys(ABILITIES, 1), "dwarf": {"con": 2}, "hill-dwarf": {"con": 2, "wis": 1},
          "elf": {"dex": 2}, "high-elf": {"dex": 2, "int": 1}, "halfling": {"dex": 2},
          "lightfoot-halfling": {"dex": 2, "cha": 1}, "gnome": {"int": 2}, "rock-gnome": {"int": 2, "con": 1},
          "half-elf": {"cha": 2}, "half-orc": {"str": 2, "con": 1}, "dragonborn": {"str": 2, "cha": 1},
          "tiefling": {"int": 1, "cha": 2}}
LANGUAGES = {"human": ({"common"}, 1), "dwarf": ({"common", "dwarvish"}, 0),
             "hill-dwarf": ({"common", "dwarvish"}, 0), "elf": ({"common", "elvish"}, 0),
             "high-elf": ({"common", "elvish"}, 1), "halfling": ({"common", "halfling"}, 0),
             "lightfoot-halfling": ({"common", "halfling"}, 0), "gnome": ({"common", "gnomish"}, 0),
             "rock-gnome": ({"common", "gnomish"}, 0), "half-elf": ({"common", "elvish"}, 1),
             "half-orc": ({"common", "orc"}, 0), "dragonborn": ({"common", "draconic"}, 0),
             "tiefling": ({"common", "infernal"}, 0)}
BACKGROUND_LANGUAGES = 2  # Acolyte: two of your choice; charforge's own backgrounds give two as well
SRD_LANGUAGES = {"common", "dwarvish", "elvish", "giant", "gnomish", "goblin", "halfling", "orc", "abyssal",
                 "celestial", "draconic", "deep speech", "infernal", "primordial", "sylvan", "undercommon"}
SECRET_LANGUAGES = {"druidic", "thieves' cant"}
RACIAL_SKILLS = {"elf": 1, "high-elf": 1, "half-orc": 1, "half-elf": 2}  # Keen Senses, Menacing, Skill Versatility
RACIAL_SKILL_NAMES = {"elf": {"Perception"}, "high-elf": {"Perception"}, "half-orc": {"Intimidation"}}

SKILLS = {"Acrobatics": "dex", "Animal Handling": "wis", "Arcana": "int", "Athletics": "str", "Deception": "cha",
          "History": "int", "Insight": "wis", "Intimidation": "cha", "Investigation": "int", "Medicine": "wis",
          "Nature": "int", "Perception": "wis", "Performance": "cha", "Persuasion": "cha", "Religion": "int",
          "Sleight of Hand": "dex", "Stealth": "dex", "Survival": "wis"}


@dataclass(frozen=True)
class Armour:
    category: str  # light, medium, heavy, shield
    base: int
    dex_cap: int | None  # None: full Dex; 0: none
    str_min: int
    metal: bool
    cost: float
    weight: float


ARMOUR = {
    "Padded Armor": Armour("light", 11, None, 0, False, 5, 8),
    "Leather Armor": Armour("light", 11, None, 0, False, 10, 10),
    "Studded Leather Armor": Armour("light", 12, None, 0, False, 45, 13),
    "Hide Armor": Armour("medium", 12, 2, 0, False, 10, 12),
    "Chain Shirt": Armour("medium", 13, 2, 0, True, 50, 20),
    "Scale Mail": Armour("medium", 14, 2, 0, True, 50, 45),
    "Breastplate": Armour("medium", 14, 2, 0, True, 400, 20),
    "Half Plate Armor": Armour("medium", 15, 2, 0, True, 750, 40),
    "Ring Mail": Armour("heavy", 14, 0, 0, True, 30, 40),
    "Chain Mail": Armour("heavy", 16, 0, 13, True, 75, 55),
    "Splint Armor": Armour("heavy", 17, 0, 15, True, 200, 60),
    "Plate Armor": Armour("heavy", 18, 0, 15, True, 1500, 65),
    "Shield": Armour("shield", 2, None, 0, False, 10, 6),
}


@dataclass(frozen=True)
class Weapon:
    category: str  # simple / martial
    kind: str  # melee / ranged
    die: str
    damage_type: str
    props: frozenset[str]
    range: tuple[int, int] | None  # thrown or ammunition range
    weight: float
    versatile: str | None = None


def _w(category: str, kind: str, die: str, dtype: str, props: str, rng: tuple[int, int] | None, weight: float,
       versatile: str | None = None) -> Weapon:
    return Weapon(category, kind, die, dtype, frozenset(props.split()), rng, weight, versatile)


WEAPONS = {
    "Club": _w("simple", "melee", "1d4", "bludgeoning", "light", None, 2),
    "Dagger": _w("simple", "melee", "1d4", "piercing", "finesse light thrown", (20, 60), 1),
    "Greatclub": _w("simple", "melee", "1d8", "bludgeoning", "two-handed", None, 10),
    "Handaxe": _w("simple", "melee", "1d6", "slashing", "light thrown", (20, 60), 2),
    "Javelin": _w("simple", "melee", "1d6", "piercing", "thrown", (30, 120), 2),
    "Light hammer": _w("simple", "melee", "1d4", "bludgeoning", "light thrown", (20, 60), 2),
    "Mace": _w("simple", "melee", "1d6", "bludgeoning", "", None, 4),
    "Quarterstaff": _w("simple", "melee", "1d6", "bludgeoning", "versatile", None, 4, "1d8"),
    "Sickle": _w("simple", "melee", "1d4", "slashing", "light", None, 2),
    "Spear": _w("simple", "melee", "1d6", "piercing", "thrown versatile", (20, 60), 3, "1d8"),
    "Crossbow, light": _w("simple", "ranged", "1d8", "piercing", "ammunition loading two-handed", (80, 320), 5),
    "Dart": _w("simple", "ranged", "1d4", "piercing", "finesse thrown", (20, 60), 0.25),
    "Shortbow": _w("simple", "ranged", "1d6", "piercing", "ammunition two-handed", (80, 320), 2),
    "Sling": _w("simple", "ranged", "1d4", "bludgeoning", "ammunition", (30, 120), 0),
    "Battleaxe": _w("martial", "melee", "1d8", "slashing", "versatile", None, 4, "1d10"),
    "Flail": _w("martial", "melee", "1d8", "bludgeoning", "", None, 2),
    "Glaive": _w("martial", "melee", "1d10", "slashing", "heavy reach two-handed", None, 6),
    "Greataxe": _w("martial", "melee", "1d12", "slashing", "heavy two-handed", None, 7),
    "Greatsword": _w("martial", "melee", "2d6", "slashing", "heavy two-handed", None, 6),
    "Halberd": _w("martial", "melee", "1d10", "slashing", "heavy reach two-handed", None, 6),
    "Lance": _w("martial", "melee", "1d12", "piercing", "reach special", None, 6),
    "Longsword": _w("martial", "melee", "1d8", "slashing", "versatile", None, 3, "1d10"),
    "Maul": _w("martial", "melee", "2d6", "bludgeoning", "heavy two-handed", None, 10),
    "Morningstar": _w("martial", "melee", "1d8", "piercing", "", None, 4),
    "Pike": _w("martial", "melee", "1d10", "piercing", "heavy reach two-handed", None, 18),
    "Rapier": _w("martial", "melee", "1d8", "piercing", "finesse", None, 2),
    "Scimitar": _w("martial", "melee", "1d6", "slashing", "finesse light", None, 3),
    "Shortsword": _w("martial", "melee", "1d6", "piercing", "finesse light", None, 2),
    "Trident": _w("martial", "melee", "1d6", "piercing", "thrown versatile", (20, 60), 4, "1d8"),
    "War pick": _w("martial", "melee", "1d8", "piercing", "", None, 2),
    "Warhammer": _w("martial", "melee", "1d8", "bludgeoning", "versatile", None, 2, "1d10"),
    "Whip": _w("martial", "melee", "1d4", "slashing", "finesse reach", None, 3),
    "Blowgun": _w("martial", "ranged", "1", "piercing", "ammunition loading", (25, 100), 1),
    "Crossbow, hand": _w("martial", "ranged", "1d6", "piercing", "ammunition light loading", (30, 120), 3),
    "Crossbow, heavy": _w("martial", "ranged", "1d10", "piercing", "ammunition heavy loading two-handed",
                          (100, 400), 18),
    "Longbow": _w("martial", "ranged", "1d8", "piercing", "ammunition heavy two-handed", (150, 600), 2),
    "Net": _w("martial", "ranged", "", "", "special thrown", (5, 15), 3),
}

# Equipment packs: the weight of their SRD contents.
PACK_WEIGHT = {
    # backpack 5, ball bearings 2, crowbar 5, hammer 3, 10 pitons 2.5, hooded lantern 2, 2 oil 2, 5 rations 10,
    # tinderbox 1, waterskin 5, hempen rope 10 (string, bell, candles weigh nothing)
    "Burglar's Pack": 47.5,
    # chest 25, 2 map cases 2, fine clothes 6, lamp 1, 2 oil 2
    "Diplomat's Pack": 36,
    # backpack 5, crowbar 5, hammer 3, 10 pitons 2.5, 10 torches 10, tinderbox 1, 10 rations 20, waterskin 5, rope 10
    "Dungeoneer's Pack": 61.5,
    # backpack 5, bedroll 7, 2 costumes 8, 5 rations 10, waterskin 5, disguise kit 3
    "Entertainer's Pack": 38,
    # backpack 5, bedroll 7, mess kit 1, tinderbox 1, 10 torches 10, 10 rations 20, waterskin 5, rope 10
    "Explorer's Pack": 59,
    # backpack 5, blanket 3, tinderbox 1, 2 rations 4, waterskin 5 (vestments, censer, alms box, incense: no SRD weight)
    "Priest's Pack": 18,
    # backpack 5, book of lore 5 (ink, pen, parchment; the bag of sand and the knife are not in the SRD gear table)
    "Scholar's Pack": 10,
}
# Per-unit weights (lb) of the common SRD adventuring gear, tools and ammunition.
GEAR_WEIGHT = {
    "Arrow": 0.05, "Crossbow bolt": 0.075, "Sling bullet": 0.075, "Blowgun needle": 0.02,
    "Backpack": 5, "Bedroll": 7, "Blanket": 3, "Crowbar": 5, "Hammer": 3, "Hammer, sledge": 10,
    "Rope, hempen (50 feet)": 10, "Rope, silk (50 feet)": 5, "Torch": 1, "Rations (1 day)": 2, "Waterskin": 5,
    "Tinderbox": 1, "Lantern, hooded": 2, "Lantern, bullseye": 2, "Lamp": 1, "Oil (flask)": 1, "Amulet": 1,
    "Emblem": 0, "Reliquary": 2, "Component pouch": 2, "Crystal": 1, "Orb": 3, "Rod": 2, "Staff": 4, "Wand": 1,
    "Sprig of mistletoe": 0, "Totem": 0, "Wooden staff": 4, "Yew wand": 1, "Spellbook": 3, "Thieves' Tools": 1,
    "Ink (1 ounce bottle)": 0, "Ink pen": 0, "Book": 5, "Healer's Kit": 3, "Chain (10 feet)": 10,
    "Clothes, common": 3, "Clothes, costume": 4, "Clothes, fine": 6, "Clothes, traveler's": 4, "Shovel": 5,
    "Tent, two-person": 20, "Pot, iron": 10, "Grappling hook": 4, "Ladder (10-foot)": 25, "Mess Kit": 1,
    "Chest": 25, "Climber's Kit": 12, "Disguise Kit": 3, "Herbalism Kit": 3, "Forgery Kit": 5,
    "Poisoner's Kit": 2, "Navigator's Tools": 2, "Bagpipes": 6, "Drum": 3, "Dulcimer": 10, "Flute": 1,
    "Lute": 2, "Lyre": 2, "Horn": 2, "Pan flute": 2, "Shawm": 1, "Viol": 1, "Caltrops": 2,
    "Ball bearings (bag of 1,000)": 2, "Piton": 0.25, "Manacles": 6, "Mirror, steel": 0.5, "Pick, miner's": 10,
    "Pole (10-foot)": 7, "Quiver": 1, "Sack": 0.5, "Spyglass": 1, "Whetstone": 1, "Hourglass": 1, "Abacus": 2,
    "Acid (vial)": 1, "Alchemist's fire (flask)": 1, "Antitoxin (vial)": 0, "Holy water (flask)": 1,
    "Hunting trap": 25, "Lock": 1, "Robes": 4, "Scale, merchant's": 3, "Barrel": 70,
    "Basket": 2, "Bucket": 2, "Jug or pitcher": 4, "Flask or tankard": 1, "Bottle, glass": 2,
    "Block and tackle": 5, "Case, crossbow bolt": 1, "Case, map or scroll": 1, "Pouch": 1, "Fishing tackle": 4,
    "Spike, iron": 0.5, "Ram, portable": 35, "Alchemist's Supplies": 8, "Brewer's Supplies": 9,
    "Calligrapher's Supplies": 5, "Carpenter's Tools": 6, "Cartographer's Tools": 6, "Cobbler's Tools": 5,
    "Cook's utensils": 8, "Glassblower's Tools": 5, "Jeweler's Tools": 2, "Leatherworker's Tools": 5,
    "Mason's Tools": 8, "Painter's Supplies": 5, "Potter's Tools": 3, "Smith's Tools": 8, "Tinker's Tools": 10,
    "Weaver's Tools": 5, "Woodcarver's Tools": 5, "Dice Set": 0, "Playing Card Set": 0, "Candle": 0, "Bell": 0,
    "Chalk (1 piece)": 0, "Paper (one sheet)": 0, "Parchment (one sheet)": 0, "Perfume (vial)": 0,
    "Sealing wax": 0, "Signal whistle": 0, "Signet ring": 0, "Soap": 0, "Vial": 0, "Magnifying glass": 0,
    "Alms box": 0, "Block of incense": 0, "Censer": 0,
    "Poison, basic (vial)": 0, "String (10 feet)": 0,
}
ARCANE_FOCI = {"Crystal", "Orb", "Rod", "Staff", "Wand"}
DRUIDIC_FOCI = {"Sprig of mistletoe", "Totem", "Wooden staff", "Yew wand"}
HOLY_SYMBOLS = {"Amulet", "Emblem", "Reliquary"}
INSTRUMENTS = {"Bagpipes", "Drum", "Dulcimer", "Flute", "Lute", "Lyre", "Horn", "Pan flute", "Shawm", "Viol"}
AMMO = {"Arrow", "Crossbow bolt", "Sling bullet", "Blowgun needle", "Quiver", "Case, crossbow bolt"}


def _weapons(category: str, kind: str | None = None) -> set[str]:
    return {n for n, w in WEAPONS.items() if w.category == category and (kind is None or w.kind == kind)}


SIMPLE, SIMPLE_MELEE, SIMPLE_RANGED = _weapons("simple"), _weapons("simple", "melee"), _weapons("simple", "ranged")
MARTIAL, MARTIAL_MELEE = _weapons("martial"), _weapons("martial", "melee")
# What each class's SRD starting equipment can contain (any option of any choice).
KIT_ITEMS = {
    "barbarian": {"Greataxe", "Handaxe", "Explorer's Pack", "Javelin"} | MARTIAL_MELEE | SIMPLE,
    "bard": {"Rapier", "Longsword", "Diplomat's Pack", "Entertainer's Pack", "Leather Armor", "Dagger"}
    | SIMPLE | INSTRUMENTS,
    "cleric": {"Mace", "Warhammer", "Scale Mail", "Leather Armor", "Chain Mail", "Crossbow, light",
               "Crossbow bolt", "Priest's Pack", "Explorer's Pack", "Shield"} | SIMPLE | HOLY_SYMBOLS,
    "druid": {"Shield", "Scimitar", "Leather Armor", "Explorer's Pack"} | SIMPLE | DRUIDIC_FOCI,
    "fighter": {"Chain Mail", "Leather Armor", "Longbow", "Arrow", "Shield", "Crossbow, light", "Crossbow bolt",
                "Handaxe", "Dungeoneer's Pack", "Explorer's Pack"} | MARTIAL,
    "monk": {"Shortsword", "Dungeoneer's Pack", "Explorer's Pack", "Dart"} | SIMPLE,
    "paladin": {"Shield", "Javelin", "Priest's Pack", "Explorer's Pack", "Chain Mail"} | MARTIAL | SIMPLE_MELEE
    | HOLY_SYMBOLS,
    "ranger": {"Scale Mail", "Leather Armor", "Shortsword", "Dungeoneer's Pack", "Explorer's Pack", "Longbow",
               "Arrow", "Quiver"} | SIMPLE_MELEE,
    "rogue": {"Rapier", "Shortsword", "Shortbow", "Arrow", "Quiver", "Burglar's Pack", "Dungeoneer's Pack",
              "Explorer's Pack", "Leather Armor", "Dagger", "Thieves' Tools"},
    "sorcerer": {"Crossbow, light", "Crossbow bolt", "Component pouch", "Dungeoneer's Pack", "Explorer's Pack",
                 "Dagger"} | SIMPLE | ARCANE_FOCI,
    "warlock": {"Crossbow, light", "Crossbow bolt", "Component pouch", "Scholar's Pack", "Dungeoneer's Pack",
                "Leather Armor", "Dagger"} | SIMPLE | ARCANE_FOCI,
    "wizard": {"Quarterstaff", "Dagger", "Component pouch", "Scholar's Pack", "Explorer's Pack", "Spellbook"}
    | ARCANE_FOCI,
}
KIT_ITEMS["ranger"] |= {"Quiver"}
KIT_ITEMS["fighter"] |= {"Quiver"}

# -- spellcasting ---------------------------------------------------------------------------------

FULL_SLOTS = {
    1: [2], 2: [3], 3: [4, 2], 4: [4, 3], 5: [4, 3, 2], 6: [4, 3, 3], 7: [4, 3, 3, 1], 8: [4, 3, 3, 2],
    9: [4, 3, 3, 3, 1], 10: [4, 3, 3, 3, 2], 11: [4, 3, 3, 3, 2, 1], 12: [4, 3, 3, 3, 2, 1],
    13: [4, 3, 3, 3, 2, 1, 1], 14: [4, 3, 3, 3, 2, 1, 1], 15: [4, 3, 3, 3, 2, 1, 1, 1],
    16: [4, 3, 3, 3, 2, 1, 1, 1], 17: [4, 3, 3, 3, 2, 1, 1, 1, 1], 18: [4, 3, 3, 3, 3, 1, 1, 1, 1],
    19: [4, 3, 3, 3, 3, 2, 1, 1, 1], 20: [4, 3, 3, 3, 3, 2, 2, 1, 1]}
FULL_CASTERS = {"bard", "cleric", "druid", "sorcerer", "wizard"}
HALF_CASTERS = {"paladin", "ranger"}
CASTERS = FULL_CASTERS | HALF_CASTERS | {"warlock"}
CASTING_ABILITY = {"bard": "cha", "cleric": "wis", "druid": "wis", "sorcerer": "cha", "wizard": "int",
                   "paladin": "cha", "ranger": "wis", "warlock": "cha"}
# Spells known (bard, sorcerer, warlock, ranger), by class level.
SPELLS_KNOWN = {
    "bard": [4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 15, 16, 18, 19, 19, 20, 22, 22, 22],
    "sorcerer": [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 13, 14, 14, 15, 15, 15, 15],
    "warlock": [2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15],
    "ranger": [0, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11],
}
CANTRIPS_KNOWN = {"bard": (2, 3, 4), "cleric": (3, 4, 5), "druid": (2, 3, 4), "sorcerer": (4, 5, 6),
                  "warlock": (2, 3, 4), "wizard": (3, 4, 5)}  # at levels 1-3, 4-9, 10-20
PREPARES = {"cleric": "wis", "druid": "wis", "wizard": "int", "paladin": "cha"}  # + level (half for paladins)
ARCANUM = {11: 6, 13: 7, 15: 8, 17: 9}  # warlock level -> Mystic Arcanum spell level


def slots(cls: str, level: int) -> list[int]:
    """Spell slots for levels 1-9 (a warlock's pact slots at the pact slot level)."""
    out = [0] * 9
    if cls in FULL_CASTERS:
        table = FULL_SLOTS[level]
    elif cls in HALF_CASTERS:
        table = FULL_SLOTS[math.ceil(level / 2)] if level >= 2 else []
    elif cls == "warlock":
        count = 1 if level == 1 else 2 if level <= 10 else 3 if level <= 16 else 4
        table = [0] * (pact_level(level) - 1) + [count]
    else:
        table = []
    out[:len(table)] = table
    return out


def pact_level(level: int) -> int:
    return min(5, (level + 1) // 2)


def max_spell_level(cls: str, level: int) -> int:
    """The highest level of spell the class can cast at this level (Mystic Arcanum included)."""
    if cls == "warlock":
        return max([pact_level(level)] + [s for lv, s in ARCANUM.items() if level >= lv])
    s = slots(cls, level)
    return max((i + 1 for i, n in enumerate(s) if n), default=0)


def _levels(text: str) -> dict[str, int]:
    """'0: a, b | 1: c' -> {name: level}."""
    out: dict[str, int] = {}
    for part in text.split("|"):
        lv, names = part.split(":", 1)
        for name in names.split(","):
            if name.strip():
                out[norm(name)] = int(lv)
    return out


def norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'").strip().lower())


SPELL_LISTS = {
    "bard": _levels(
        "0: Dancing Lights, Light, Mage Hand, Mending, Message, Minor Illusion, Prestidigitation, True Strike,"
        " Vicious Mockery"
        "|1: Animal Friendship, Bane, Charm Person, Comprehend Languages, Cure Wounds, Detect Magic, Disguise Self,"
        " Faerie Fire, Feather Fall, Healing Word, Heroism, Hideous Laughter, Identify, Illusory Script,"
        " Longstrider, Silent Image, Sleep, Speak with Animals, Thunderwave, Unseen Servant"
        "|2: Animal Messenger, Blindness/Deafness, Calm Emotions, Detect Thoughts, Enhance Ability, Enthrall,"
        " Heat Metal, Hold Person, Invisibility, Knock, Lesser Restoration, Locate Animals or Plants,"
        " Locate Object, Magic Mouth, See Invisibility, Shatter, Silence, Suggestion, Zone of Truth"
        "|3: Bestow Curse, Clairvoyance, Dispel Magic, Fear, Glyph of Warding, Hypnotic Pattern, Major Image,"
        " Nondetection, Plant Growth, Sending, Speak with Dead, Speak with Plants, Stinking Cloud, Tiny Hut,"
        " Tongues"
        "|4: Compulsion, Confusion, Dimension Door, Freedom of Movement, Greater Invisibility,"
        " Hallucinatory Terrain, Locate Creature, Polymorph"
        "|5: Animate Objects, Awaken, Dominate Person, Dream, Geas, Greater Restoration, Hold Monster,"
        " Legend Lore, Mass Cure Wounds, Mislead, Modify Memory, Planar Binding, Raise Dead, Scrying, Seeming,"
        " Teleportation Circle"
        "|6: Eyebite, Find the Path, Guards and Wards, Mass Suggestion, Irresistible Dance, Programmed Illusion,"
        " True Seeing"
        "|7: Arcane Sword, Etherealness, Forcecage, Magnificent Mansion, Mirage Arcane, Project Image, Regenerate,"
        " Resurrection, Symbol, Teleport"
        "|8: Dominate Monster, Feeblemind, Glibness, Mind Blank, Power Word Stun"
        "|9: Foresight, Power Word Kill, True Polymorph"),
    "cleric": _levels(
        "0: Guidance, Light, Mending, Resistance, Sacred Flame, Spare the Dying, Thaumaturgy"
        "|1: Bane, Bless, Command, Create or Destroy Water, Cure Wounds, Detect Evil and Good, Detect Magic,"
        " Detect Poison and Disease, Guiding Bolt, Healing Word, Inflict Wounds, Protection from Evil and Good,"
        " Purify Food and Drink, Sanctuary, Shield of Faith"
        "|2: Aid, Augury, Blindness/Deafness, Calm Emotions, Continual Flame, Enhance Ability, Find Traps,"
        " Gentle Repose, Hold Person, Lesser Restoration, Locate Object, Prayer of Healing, Protection from Poison,"
        " Silence, Spiritual Weapon, Warding Bond, Zone of Truth"
        "|3: Animate Dead, Beacon of Hope, Bestow Curse, Clairvoyance, Create Food and Water, Daylight,"
        " Dispel Magic, Glyph of Warding, Magic Circle, Mass Healing Word, Meld into Stone, Protection from Energy,"
        " Remove Curse, Revivify, Sending, Speak with Dead, Spirit Guardians, Tongues, Water Walk"
        "|4: Banishment, Control Water, Death Ward, Divination, Freedom of Movement, Guardian of Faith,"
        " Locate Creature, Stone Shape"
        "|5: Commune, Contagion, Dispel Evil and Good, Flame Strike, Geas, Greater Restoration, Hallow,"
        " Insect Plague, Legend Lore, Mass Cure Wounds, Planar Binding, Raise Dead, Scrying"
        "|6: Blade Barrier, Create Undead, Find the Path, Forbiddance, Harm, Heal, Heroes' Feast, Planar Ally,"
        " True Seeing, Word of Recall"
        "|7: Conjure Celestial, Divine Word, Etherealness, Fire Storm, Plane Shift, Regenerate, Resurrection,"
        " Symbol"
        "|8: Antimagic Field, Control Weather, Earthquake, Holy Aura"
        "|9: Astral Projection, Gate, Mass Heal, True Resurrection"),
    "druid": _levels(
        "0: Druidcraft, Guidance, Mending, Poison Spray, Produce Flame, Resistance, Shillelagh"
        "|1: Animal Friendship, Charm Person, Create or Destroy Water, Cure Wounds, Detect Magic,"
        " Detect Poison and Disease, Entangle, Faerie Fire, Fog Cloud, Goodberry, Healing Word, Jump, Longstrider,"
        " Purify Food and Drink, Speak with Animals, Thunderwave"
        "|2: Animal Messenger, Barkskin, Darkvision, Enhance Ability, Find Traps, Flame Blade, Flaming Sphere,"
        " Gust of Wind, Heat Metal, Hold Person, Lesser Restoration, Locate Animals or Plants, Locate Object,"
        " Moonbeam, Pass without Trace, Protection from Poison, Spike Growth"
        "|3: Call Lightning, Conjure Animals, Daylight, Dispel Magic, Meld into Stone, Plant Growth,"
        " Protection from Energy, Sleet Storm, Speak with Plants, Water Breathing, Water Walk, Wind Wall"
        "|4: Blight, Confusion, Conjure Minor Elementals, Conjure Woodland Beings, Control Water, Dominate Beast,"
        " Freedom of Movement, Giant Insect, Hallucinatory Terrain, Ice Storm, Locate Creature, Polymorph,"
        " Stone Shape, Stoneskin, Wall of Fire"
        "|5: Antilife Shell, Awaken, Commune with Nature, Conjure Elemental, Contagion, Geas, Greater Restoration,"
        " Insect Plague, Mass Cure Wounds, Planar Binding, Reincarnate, Scrying, Tree Stride, Wall of Stone"
        "|6: Conjure Fey, Find the Path, Heal, Heroes' Feast, Move Earth, Sunbeam, Transport via Plants,"
        " Wall of Thorns, Wind Walk"
        "|7: Fire Storm, Mirage Arcane, Plane Shift, Regenerate, Reverse Gravity"
        "|8: Animal Shapes, Antipathy/Sympathy, Control Weather, Earthquake, Feeblemind, Sunburst"
        "|9: Foresight, Shapechange, Storm of Vengeance, True Resurrection"),
    "paladin": _levels(
        "1: Bless, Command, Cure Wounds, Detect Evil and Good, Detect Magic, Detect Poison and Disease,"
        " Divine Favor, Heroism, Protection from Evil and Good, Purify Food and Drink, Shield of Faith"
        "|2: Aid, Branding Smite, Find Steed, Lesser Restoration, Locate Object, Magic Weapon,"
        " Protection from Poison, Zone of Truth"
        "|3: Create Food and Water, Daylight, Dispel Magic, Magic Circle, Remove Curse, Revivify"
        "|4: Banishment, Death Ward, Locate Creature"
        "|5: Dispel Evil and Good, Geas, Raise Dead"),
    "ranger": _levels(
        "1: Alarm, Animal Friendship, Cure Wounds, Detect Magic, Detect Poison and Disease, Fog Cloud, Goodberry,"
        " Hunter's Mark, Jump, Longstrider, Speak with Animals"
        "|2: Animal Messenger, Barkskin, Darkvision, Find Traps, Lesser Restoration, Locate Animals or Plants,"
        " Locate Object, Pass without Trace, Protection from Poison, Silence, Spike Growth"
        "|3: Conjure Animals, Daylight, Nondetection, Plant Growth, Protection from Energy, Speak with Plants,"
        " Water Breathing, Water Walk, Wind Wall"
        "|4: Conjure Woodland Beings, Freedom of Movement, Locate Creature, Stoneskin"
        "|5: Commune with Nature, Tree Stride"),
    "sorcerer": _levels(
        "0: Acid Splash, Chill Touch, Dancing Lights, Fire Bolt, Light, Mage Hand, Mending, Message,"
        " Minor Illusion, Poison Spray, Prestidigitation, Ray of Frost, Shocking Grasp, True Strike"
        "|1: Burning Hands, Charm Person, Color Spray, Comprehend Languages, Detect Magic, Disguise Self,"
        " Expeditious Retreat, False Life, Feather Fall, Fog Cloud, Jump, Mage Armor, Magic Missile, Shield,"
        " Silent Image, Sleep, Thunderwave"
        "|2: Alter Self, Blindness/Deafness, Blur, Darkness, Darkvision, Detect Thoughts, Enhance Ability,"
        " Enlarge/Reduce, Gust of Wind, Hold Person, Invisibility, Knock, Levitate, Mirror Image, Misty Step,"
        " Scorching Ray, See Invisibility, Shatter, Spider Climb, Suggestion, Web"
        "|3: Blink, Clairvoyance, Counterspell, Daylight, Dispel Magic, Fear, Fireball, Fly, Gaseous Form, Haste,"
        " Hypnotic Pattern, Lightning Bolt, Major Image, Protection from Energy, Sleet Storm, Slow,"
        " Stinking Cloud, Tongues, Water Breathing, Water Walk"
        "|4: Banishment, Blight, Confusion, Dimension Door, Dominate Beast, Greater Invisibility, Ice Storm,"
        " Polymorph, Stoneskin, Wall of Fire"
        "|5: Animate Objects, Cloudkill, Cone of Cold, Creation, Dominate Person, Hold Monster, Insect Plague,"
        " Seeming, Telekinesis, Teleportation Circle, Wall of Stone"
        "|6: Chain Lightning, Circle of Death, Disintegrate, Eyebite, Globe of Invulnerability, Mass Suggestion,"
        " Move Earth, Sunbeam, True Seeing"
        "|7: Delayed Blast Fireball, Etherealness, Finger of Death, Fire Storm, Plane Shift, Prismatic Spray,"
        " Reverse Gravity, Teleport"
        "|8: Dominate Monster, Earthquake, Incendiary Cloud, Power Word Stun, Sunburst"
        "|9: Gate, Meteor Swarm, Power Word Kill, Time Stop, Wish"),
    "warlock": _levels(
        "0: Chill Touch, Eldritch Blast, Mage Hand, Minor Illusion, Poison Spray, Prestidigitation, True Strike"
        "|1: Charm Person, Comprehend Languages, Expeditious Retreat, Hellish Rebuke, Illusory Script,"
        " Protection from Evil and Good, Unseen Servant"
        "|2: Darkness, Enthrall, Hold Person, Invisibility, Mirror Image, Misty Step, Ray of Enfeeblement,"
        " Shatter, Spider Climb, Suggestion"
        "|3: Counterspell, Dispel Magic, Fear, Fly, Gaseous Form, Hypnotic Pattern, Magic Circle, Major Image,"
        " Remove Curse, Tongues, Vampiric Touch"
        "|4: Banishment, Blight, Dimension Door, Hallucinatory Terrain"
        "|5: Contact Other Plane, Dream, Hold Monster, Scrying"
        "|6: Circle of Death, Conjure Fey, Create Undead, Eyebite, Flesh to Stone, Mass Suggestion, True Seeing"
        "|7: Etherealness, Finger of Death, Forcecage, Plane Shift"
        "|8: Demiplane, Dominate Monster, Feeblemind, Glibness, Power Word Stun"
        "|9: Astral Projection, Foresight, Imprisonment, Power Word Kill, True Polymorph"),
    "wizard": _levels(
        "0: Acid Splash, Chill Touch, Dancing Lights, Fire Bolt, Light, Mage Hand, Mending, Message,"
        " Minor Illusion, Poison Spray, Prestidigitation, Ray of Frost, Shocking Grasp, True Strike"
        "|1: Alarm, Burning Hands, Charm Person, Color Spray, Comprehend Languages, Detect Magic, Disguise Self,"
        " Expeditious Retreat, False Life, Feather Fall, Find Familiar, Floating Disk, Fog Cloud, Grease,"
        " Hideous Laughter, Identify, Illusory Script, Jump, Longstrider, Mage Armor, Magic Missile,"
        " Protection from Evil and Good, Shield, Silent Image, Sleep, Thunderwave, Unseen Servant"
        "|2: Acid Arrow, Alter Self, Arcane Lock, Arcanist's Magic Aura, Blindness/Deafness, Blur,"
        " Continual Flame, Darkness, Darkvision, Detect Thoughts, Enlarge/Reduce, Flaming Sphere, Gentle Repose,"
        " Gust of Wind, Hold Person, Invisibility, Knock, Levitate, Locate Object, Magic Mouth, Magic Weapon,"
        " Mirror Image, Misty Step, Ray of Enfeeblement, Rope Trick, Scorching Ray, See Invisibility, Shatter,"
        " Spider Climb, Suggestion, Web"
        "|3: Animate Dead, Bestow Curse, Blink, Clairvoyance, Counterspell, Dispel Magic, Fear, Fireball, Fly,"
        " Gaseous Form, Glyph of Warding, Haste, Hypnotic Pattern, Lightning Bolt, Magic Circle, Major Image,"
        " Nondetection, Phantom Steed, Protection from Energy, Remove Curse, Sending, Sleet Storm, Slow,"
        " Stinking Cloud, Tiny Hut, Tongues, Vampiric Touch, Water Breathing"
        "|4: Arcane Eye, Banishment, Black Tentacles, Blight, Confusion, Conjure Minor Elementals, Control Water,"
        " Dimension Door, Fabricate, Faithful Hound, Fire Shield, Greater Invisibility, Hallucinatory Terrain,"
        " Ice Storm, Locate Creature, Phantasmal Killer, Polymorph, Private Sanctum, Resilient Sphere,"
        " Secret Chest, Stone Shape, Stoneskin, Wall of Fire"
        "|5: Animate Objects, Arcane Hand, Cloudkill, Cone of Cold, Conjure Elemental, Contact Other Plane,"
        " Creation, Dominate Person, Dream, Geas, Hold Monster, Legend Lore, Mislead, Modify Memory, Passwall,"
        " Planar Binding, Scrying, Seeming, Telekinesis, Telepathic Bond, Teleportation Circle, Wall of Force,"
        " Wall of Stone"
        "|6: Chain Lightning, Circle of Death, Contingency, Create Undead, Disintegrate, Eyebite, Flesh to Stone,"
        " Freezing Sphere, Globe of Invulnerability, Guards and Wards, Instant Summons, Irresistible Dance,"
        " Magic Jar, Mass Suggestion, Move Earth, Programmed Illusion, Sunbeam, True Seeing, Wall of Ice"
        "|7: Arcane Sword, Delayed Blast Fireball, Etherealness, Finger of Death, Forcecage, Magnificent Mansion,"
        " Mirage Arcane, Plane Shift, Prismatic Spray, Project Image, Reverse Gravity, Sequester, Simulacrum,"
        " Symbol, Teleport"
        "|8: Antimagic Field, Antipathy/Sympathy, Clone, Control Weather, Demiplane, Dominate Monster,"
        " Feeblemind, Incendiary Cloud, Maze, Mind Blank, Power Word Stun, Sunburst"
        "|9: Astral Projection, Foresight, Gate, Imprisonment, Meteor Swarm, Power Word Kill, Prismatic Wall,"
        " Shapechange, Time Stop, True Polymorph, Weird, Wish"),
}
# Spells a subclass adds: (class level gained, spell). Life Domain and Oath of Devotion spells are always
# prepared; the Fiend's expanded list may be chosen as warlock spells; Circle of the Land spells (one land).
SUBCLASS_SPELLS = {
    "cleric": [(1, "Bless"), (1, "Cure Wounds"), (3, "Lesser Restoration"), (3, "Spiritual Weapon"),
               (5, "Beacon of Hope"), (5, "Revivify"), (7, "Death Ward"), (7, "Guardian of Faith"),
               (9, "Mass Cure Wounds"), (9, "Raise Dead")],
    "paladin": [(3, "Protection from Evil and Good"), (3, "Sanctuary"), (5, "Lesser Restoration"),
                (5, "Zone of Truth"), (9, "Beacon of Hope"), (9, "Dispel Magic"), (13, "Freedom of Movement"),
                (13, "Guardian of Faith"), (17, "Commune"), (17, "Flame Strike")],
    "warlock": [(1, "Burning Hands"), (1, "Command"), (3, "Blindness/Deafness"), (3, "Scorching Ray"),
                (5, "Fireball"), (5, "Stinking Cloud"), (7, "Fire Shield"), (7, "Wall of Fire"),
                (9, "Flame Strike"), (9, "Hallow")],
}
LAND_CIRCLES = {  # druid level 3, 5, 7, 9: two spells of 2nd, 3rd, 4th, 5th level
    "arctic": ["Hold Person", "Spike Growth", "Sleet Storm", "Slow", "Freedom of Movement", "Ice Storm",
               "Commune with Nature", "Cone of Cold"],
    "coast": ["Mirror Image", "Misty Step", "Water Breathing", "Water Walk", "Control Water",
              "Freedom of Movement", "Conjure Elemental", "Scrying"],
    "desert": ["Blur", "Silence", "Create Food and Water", "Protection from Energy", "Blight",
               "Hallucinatory Terrain", "Insect Plague", "Wall of Stone"],
    "forest": ["Barkskin", "Spider Climb", "Call Lightning", "Plant Growth", "Divination", "Freedom of Movement",
               "Commune with Nature", "Tree Stride"],
    "grassland": ["Invisibility", "Pass without Trace", "Daylight", "Haste", "Divination", "Freedom of Movement",
                  "Dream", "Insect Plague"],
    "mountain": ["Spider Climb", "Spike Growth", "Lightning Bolt", "Meld into Stone", "Stone Shape", "Stoneskin",
                 "Passwall", "Wall of Stone"],
    "swamp": ["Darkness", "Acid Arrow", "Water Walk", "Stinking Cloud", "Freedom of Movement",
              "Locate Creature", "Insect Plague", "Scrying"],
}
ALL_SPELLS: dict[str, int] = {}
for _lists in SPELL_LISTS.values():
    ALL_SPELLS.update(_lists)
# Damaging cantrips: (die, damage type, save ability or None for a spell attack)
CANTRIP_ATTACKS = {"acid splash": ("1d6", "acid", "dex"), "chill touch": ("1d8", "necrotic", None),
                   "eldritch blast": ("1d10", "force", None), "fire bolt": ("1d10", "fire", None),
                   "poison spray": ("1d12", "poison", "con"), "produce flame": ("1d8", "fire", None),
                   "ray of frost": ("1d8", "cold", None), "sacred flame": ("1d8", "radiant", "dex"),
                   "shocking grasp": ("1d8", "lightning", None), "vicious mockery": ("1d4", "psychic", "wis")}
# Draconic Ancestry: colour -> (damage type, breath area, save)
DRAGONS = {"black": ("acid", "5 by 30 ft. line", "dex"), "blue": ("lightning", "5 by 30 ft. line", "dex"),
           "brass": ("fire", "5 by 30 ft. line", "dex"), "bronze": ("lightning", "5 by 30 ft. line", "dex"),
           "copper": ("acid", "5 by 30 ft. line", "dex"), "gold": ("fire", "15 ft. cone", "dex"),
           "green": ("poison", "15 ft. cone", "con"), "red": ("fire", "15 ft. cone", "dex"),
           "silver": ("cold", "15 ft. cone", "con"), "white": ("cold", "15 ft. cone", "con")}
# Racial spells: Infernal Legacy (tiefling) by character level; a high elf knows one wizard cantrip.
RACIAL_SPELLS = {"tiefling": [(1, "Thaumaturgy"), (3, "Hellish Rebuke"), (5, "Darkness")]}
HEALING = {norm(s) for s in ("Cure Wounds", "Healing Word", "Prayer of Healing", "Mass Healing Word",
                             "Mass Cure Wounds", "Heal", "Mass Heal", "Regenerate", "Goodberry", "Aid")}
HEALING_CLASSES = {"bard": 1, "cleric": 1, "druid": 1, "paladin": 2, "ranger": 2}

# ================================================================================================
# Derived numbers, computed here from the facts above
# ================================================================================================


def mod(score: int) -> int:
    return (score - 10) // 2


def prof_bonus(level: int) -> int:
    return 2 + (level - 1) // 4


def asis(cls: str, level: int) -> int:
    return sum(1 for lv in ASI_LEVELS[cls] if lv <= level)


def martial_arts_die(level: int) -> str:
    return "1d4" if level < 5 else "1d6" if level < 11 else "1d8" if level < 17 else "1d10"


def unarmored_movement(level: int) -> int:
    if level < 2:
        return 0
    return 10 if level < 6 else 15 if level < 10 else 20 if level < 14 else 25 if level < 18 else 30


def proficient_with(cls: str, ancestry: str, weapon: str) -> bool:
    profs = WEAPON_PROF[cls] | RACE_WEAPONS.get(ancestry, set())
    w = WEAPONS[weapon]
    return w.category in profs or weapon in profs


def fighting_style(cls: str, level: int) -> bool:
    return (cls == "fighter") or (cls in ("paladin", "ranger") and level >= 2)


def style_text(doc: Doc) -> str:
    return " ".join(f"{f.get('name', '')} {f.get('summary', '')}" for f in doc.get("features") or []).lower()


def styles(doc: Doc, cls: str, level: int) -> set[str]:
    """Fighting styles the sheet may have applied: the ones its features name (or any, with no features)."""
    if not fighting_style(cls, level):
        return set()
    text = style_text(doc).replace("unarmored defense", "")
    if not doc.get("features"):
        return {"archery", "dueling", "defense"}
    return {s for s in ("archery", "dueling", "defense") if s in text}


def carried(doc: Doc) -> list[tuple[str, int, str]]:
    return [(e["name"], e["quantity"], e["source"]) for e in doc.get("equipment") or []]


@dataclass
class Wearing:
    armour: str | None
    shield: bool
    ac: int


def best_ac(doc: Doc, *, defense: bool = False) -> Wearing:
    """The best legal AC among the armour carried: proficient, no metal for a druid; Unarmored Defense
    (barbarian with a shield allowed, monk without), Draconic Resilience; ties go to wearing no armour."""
    cls, level, a = doc["class"], doc["level"], doc["abilities"]
    dex = mod(a["dex"])
    names = {n for n, _, _ in carried(doc)}
    prof = ARMOR_PROF[cls]
    shield = "Shield" in names and "shield" in prof
    options = [Wearing(None, shield, 10 + dex + 2 * shield)]
    if cls == "barbarian":
        options.append(Wearing(None, shield, 10 + dex + mod(a["con"]) + 2 * shield))
    if cls == "monk":
        options.append(Wearing(None, False, 10 + dex + mod(a["wis"])))
    if cls == "sorcerer" and has_subclass(cls, level):
        options.append(Wearing(None, shield, 13 + dex + 2 * shield))
    for name in sorted(names):
        arm = ARMOUR.get(name)
        if not arm or arm.category == "shield" or arm.category not in prof or (cls == "druid" and arm.metal):
            continue
        bonus = dex if arm.dex_cap is None else 0 if arm.category == "heavy" else min(dex, arm.dex_cap)
        options.append(Wearing(name, shield, arm.base + bonus + 2 * shield + defense))
    best = options[0]
    for o in options[1:]:
        if o.ac > best.ac:
            best = o
    return best


def expected_speed(doc: Doc, wearing: Wearing) -> int:
    cls, level, anc = doc["class"], doc["level"], doc["ancestry"]
    feet = BASE_SPEED[anc]
    heavy = wearing.armour is not None and ARMOUR[wearing.armour].category == "heavy"
    if cls == "barbarian" and level >= 5 and not heavy:
        feet += 10
    if cls == "monk" and wearing.armour is None and not wearing.shield:
        feet += unarmored_movement(level)
    if heavy and doc["abilities"]["str"] < ARMOUR[wearing.armour].str_min and anc not in DWARVES:  # type: ignore
        feet -= 10
    return feet


def item_weight(name: str) -> float | None:
    if name in ARMOUR:
        return ARMOUR[name].weight
    if name in WEAPONS:
        return WEAPONS[name].weight
    if name in PACK_WEIGHT:
        return PACK_WEIGHT[name]
    return GEAR_WEIGHT.get(name)


def coins_gp(doc: Doc) -> float:
    c = doc.get("coins") or {}
    return c.get("pp", 0) * 10 + c.get("gp", 0) + c.get("ep", 0) / 2 + c.get("sp", 0) / 10 + c.get("cp", 0) / 100


def parse_damage(text: str) -> tuple[str, int] | None:
    m = re.fullmatch(r"\s*(\d+d\d+|\d+)\s*(?:([+-])\s*(\d+))?\s*", text or "")
    if not m:
        return None
    bonus = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
    return m.group(1), bonus


def die_size(dice: str) -> int:
    return int(dice.split("d")[1]) if "d" in dice else 0


# ================================================================================================
# The checks: each takes one character document and returns what is wrong with it
# ================================================================================================


def check_abilities(doc: Doc) -> list[str]:
    cls, level, anc = doc["class"], doc["level"], doc["ancestry"]
    out = []
    audit = doc.get("ability_audit")
    if not audit:
        return ["no ability_audit"]
    base, racial = audit["base"], audit.get("racial") or {}
    imp, feat = audit.get("improvements") or {}, audit.get("features") or {}
    for ab in ABILITIES:
        total = base[ab] + racial.get(ab, 0) + imp.get(ab, 0) + feat.get(ab, 0)
        if total != doc["abilities"][ab]:
            out.append(f"{ab.upper()} audit {base[ab]}+{racial.get(ab, 0)}+{imp.get(ab, 0)}+{feat.get(ab, 0)}"
                       f"={total} but the sheet says {doc['abilities'][ab]}")
        if not 3 <= base[ab] <= 18:
            out.append(f"base {ab.upper()} {base[ab]} outside 3-18")
        if base[ab] + racial.get(ab, 0) + imp.get(ab, 0) > 20:
            out.append(f"{ab.upper()} {base[ab] + racial.get(ab, 0) + imp.get(ab, 0)} above 20 before features")
        if imp.get(ab, 0) < 0:
            out.append(f"negative improvement to {ab.upper()}")
    if audit.get("method") == "standard-array" and sorted(base.values()) != [8, 10, 12, 13, 14, 15]:
        out.append(f"standard array base {sorted(base.values())}")
    want_racial = dict(RACIAL[anc])
    if anc == "half-elf":
        extra = {k: v for k, v in racial.items() if k != "cha"}
        if racial.get("cha") != 2 or sorted(extra.values()) != [1, 1]:
            out.append(f"half-elf racial bonuses {racial} (SRD: CHA +2 and two others +1)")
    elif {k: v for k, v in racial.items() if v} != want_racial:
        out.append(f"racial bonuses {racial}, SRD {want_racial}")
    n = asis(cls, level)
    points = sum(imp.values())
    pre = {ab: base[ab] + racial.get(ab, 0) + imp.get(ab, 0) for ab in ABILITIES}
    room = sum(20 - v for v in pre.values() if v < 20)  # a point is lost to the cap only if no score can take it
    if points > 2 * n or (points < 2 * n and room):
        out.append(f"{points} improvement points for {n} ASIs (levels {[x for x in ASI_LEVELS[cls] if x <= level]})")
    want_feat = {"str": 4, "con": 4} if cls == "barbarian" and level >= 20 else {}
    if {k: v for k, v in feat.items() if v} != want_feat:
        out.append(f"feature bonuses {feat} (SRD: {want_feat or 'none'})")
    cap = 24 if cls == "barbarian" and level >= 20 else 20
    for ab in ABILITIES:
        limit = cap if ab in ("str", "con") else 20
        if doc["abilities"][ab] > limit:
            out.append(f"{ab.upper()} {doc['abilities'][ab]} above {limit}")
    return out


def druid_land(doc: Doc) -> str | None:
    """The land a Circle of the Land druid names in its features ('Circle of the Land: Coast'), or the one
    whose circle spells match its always-prepared spells."""
    for f in doc.get("features") or []:
        m = re.match(r"circle of the land:\s*(\w+)", f.get("name", "").lower())
        if m and m.group(1) in LAND_CIRCLES:
            return m.group(1)
    prepared = {norm(s["name"]) for s in doc.get("spells") or [] if s.get("always_prepared")}
    if prepared:
        for land, spells in LAND_CIRCLES.items():
            if prepared <= {norm(x) for x in spells}:
                return land
    return None


def subclass_spells(doc: Doc) -> set[str]:
    """The subclass spells this character has gained: Life Domain, Oath of Devotion, its land's circle spells,
    the Fiend's expanded list (which a warlock may choose, not always prepared)."""
    cls, level = doc["class"], doc["level"]
    gained = {norm(s) for lv, s in SUBCLASS_SPELLS.get(cls, []) if level >= lv}
    if cls == "druid" and level >= 3 and (land := druid_land(doc)):
        count = 2 * sum(1 for lv in (3, 5, 7, 9) if level >= lv)
        gained |= {norm(s) for s in LAND_CIRCLES[land][:count]}
    return gained


def _allowed_offlist(doc: Doc) -> tuple[set[str], int]:
    """Spells off the class list this character may have (subclass spells gained), and how many spells from
    any class list (Magical Secrets)."""
    cls, level = doc["class"], doc["level"]
    secrets = 2 * sum(1 for lv in (6, 10, 14, 18) if level >= lv) if cls == "bard" else 0
    return subclass_spells(doc), secrets


def check_spell_lists(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    out = []
    spells = list(doc.get("spells") or [])
    book = list(doc.get("spellbook") or [])
    if cls not in CASTERS:
        return [f"a {cls} with spells {[s['name'] for s in spells]}"] if spells else []
    own = SPELL_LISTS[cls]
    allowed, secrets = _allowed_offlist(doc)
    tome = "pact of the tome" in style_text(doc)
    allowed = allowed | racial_spells(doc)
    elf_cantrip = doc["ancestry"] == "high-elf"
    top = max_spell_level(cls, level)
    offlist = 0
    for where, entries in (("spells", spells), ("spellbook", book)):
        for s in entries:
            key = norm(s["name"])
            if key not in ALL_SPELLS:
                out.append(f"{where}: {s['name']} is on no SRD class list")
                continue
            if ALL_SPELLS[key] != s["level"]:
                out.append(f"{s['name']} is level {ALL_SPELLS[key]} in the SRD, not {s['level']}")
            if key not in own and key not in allowed:
                if s["level"] == 0 and cls == "warlock" and tome:
                    pass
                elif s["level"] == 0 and elf_cantrip and key in SPELL_LISTS["wizard"]:
                    elf_cantrip = False  # High Elf: one wizard cantrip
                elif where == "spells":
                    offlist += 1
                    if offlist > secrets:
                        out.append(f"{s['name']} is not on the SRD {cls} list")
                else:
                    out.append(f"spellbook: {s['name']} is not on the SRD wizard list")
            if s["level"] > top:
                out.append(f"{s['name']} (level {s['level']}) above the highest slot a level-{level} {cls} has ({top})")
    if cls in ("cleric", "paladin", "druid"):  # domain, oath and circle spells are always prepared
        have = {norm(s["name"]) for s in spells}
        missing = sorted(subclass_spells(doc) - have)
        if cls == "druid" and level >= 3 and druid_land(doc) is None:
            out.append("a Circle of the Land druid without a land or circle spells")
        if missing:
            out.append(f"subclass spells missing: {missing}")
        land = druid_land(doc) if cls == "druid" else None
        for s in spells:
            if s.get("always_prepared") and norm(s["name"]) not in subclass_spells(doc):
                out.append(f"{s['name']} always prepared, not a {land or SUBCLASS[cls][0]} spell at level {level}")
    sc = doc.get("spellcasting")
    want = slots(cls, level)
    if any(want):
        if not sc:
            out.append("no spellcasting block")
        else:
            if sc.get("slots") != want:
                out.append(f"slots {sc.get('slots')}, SRD {want}")
            m = mod(doc["abilities"][CASTING_ABILITY[cls]])
            pb = prof_bonus(level)
            got = (sc.get("ability"), sc.get("save_dc"), sc.get("attack_bonus"))
            if got != (CASTING_ABILITY[cls], 8 + pb + m, pb + m):
                out.append(f"spellcasting {sc.get('ability')} DC {sc.get('save_dc')} {sc.get('attack_bonus'):+d}, "
                           f"SRD {CASTING_ABILITY[cls]} DC {8 + pb + m} {pb + m:+d}")
    if cls == "wizard" and book:
        names = {norm(s["name"]) for s in book}
        missing = [s["name"] for s in spells if s["level"] > 0 and norm(s["name"]) not in names]
        if missing:
            out.append(f"prepared but not in the spellbook: {missing}")
    return out


def racial_spells(doc: Doc) -> set[str]:
    return {norm(n) for lv, n in RACIAL_SPELLS.get(doc["ancestry"], []) if doc["level"] >= lv}


def racial_cantrips(doc: Doc) -> int:
    """Cantrips an ancestry adds beyond the class's: the high elf's wizard cantrip, the tiefling's Thaumaturgy."""
    return {"high-elf": 1, "tiefling": 1}.get(doc["ancestry"], 0)


def check_spell_counts(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    if cls not in CASTERS or max_spell_level(cls, level) == 0:
        return []
    spells = doc.get("spells") or []
    out = []
    secrets = 2 if cls == "bard" and level >= 6 else 0  # Additional Magical Secrets: spells or cantrips
    secret_cantrips = 0
    if cls in CANTRIPS_KNOWN:
        want = CANTRIPS_KNOWN[cls][0 if level < 4 else 1 if level < 10 else 2]
        want += cls == "druid" and level >= 2  # Circle of the Land (the SRD circle): Bonus Cantrip at 2nd level
        have = sum(1 for s in spells if s["level"] == 0)
        extra = have - want
        racial = min(max(extra, 0), racial_cantrips(doc))
        secret_cantrips = min(max(extra - racial, 0), secrets)
        if not 0 <= extra - racial - secret_cantrips <= 0:
            allowance = f" + {racial_cantrips(doc)} racial" if racial_cantrips(doc) else ""
            out.append(f"{have} cantrips, SRD {want}{allowance}")
    chosen = [s for s in spells if s["level"] > 0 and not s.get("always_prepared")]
    # a tiefling's Hellish Rebuke or Darkness is racial, or the class's own pick: either way is right
    racial = sum(1 for s in chosen if norm(s["name"]) in racial_spells(doc))
    if cls == "warlock":
        arcana = [s["name"] for s in chosen if s["level"] >= 6]
        chosen = [s for s in chosen if s["level"] < 6]
        want_arcana = sum(1 for lv in ARCANUM if level >= lv)
        if len(arcana) != want_arcana:
            out.append(f"{len(arcana)} Mystic Arcanum spells {arcana}, SRD {want_arcana}")
    if cls in SPELLS_KNOWN:
        want = SPELLS_KNOWN[cls][level - 1] + secrets - secret_cantrips
        if not len(chosen) - racial <= want <= len(chosen):
            lore = " incl. 2 Additional Magical Secrets" if cls == "bard" and level >= 6 else ""
            out.append(f"{len(chosen)} spells known, SRD {want}{lore}")
    elif cls in PREPARES:
        ab = mod(doc["abilities"][PREPARES[cls]])
        want = max(1, ab + (level // 2 if cls == "paladin" else level))
        sc = doc.get("spellcasting") or {}
        if sc.get("prepared") != want:
            out.append(f"prepares {sc.get('prepared')}, SRD {want}")
        if not len(chosen) - racial <= want <= len(chosen):
            out.append(f"{len(chosen)} spells prepared (besides subclass spells), SRD {want}")
    return out


def check_pack_spell_lists() -> tuple[int, list[str]]:
    """Row 2b: the rules pack's class spell lists against the SRD lists above (the pack is under test)."""
    from charforge.rules.pack import load  # only here: the pack is the subject of this row

    pack = load()
    out, checked = [], 0
    pack_lists: dict[str, set[str]] = {c: set() for c in SPELL_LISTS}
    known = {norm(s.name) for s in pack.spells.values()}
    for s in pack.spells.values():
        for c in s.classes:
            if c in pack_lists:
                pack_lists[c].add(norm(s.name))
    for cls, mine in SPELL_LISTS.items():
        for name in sorted(set(mine) | pack_lists[cls]):
            if name not in known:
                continue  # a spell the pack does not carry at all is not this row's business
            checked += 1
            if name in mine and name not in pack_lists[cls]:
                out.append(f"{name} missing from the {cls} list")
            elif name not in mine:
                out.append(f"{name} on the {cls} list, not in SRD 5.1")
    return checked, out


def check_kit(doc: Doc) -> list[str]:
    cls = doc["class"]
    out = []
    kit = [(n, q) for n, q, src in carried(doc) if src == "kit"]
    names = {n for n, _ in kit}
    allowed = set(KIT_ITEMS[cls])
    if doc["ancestry"] in SMALL and "Longbow" in allowed and "Longbow" not in names and "Shortbow" in names:
        allowed.add("Shortbow")  # a Small character's kit swaps the (Heavy) longbow for a shortbow: accepted
        names = (names - {"Shortbow"}) | {"Longbow"}
    for n in sorted(names - allowed):
        out.append(f"kit has {n}, not in the SRD {cls} starting equipment")
    if cls == "wizard" and "Dungeoneer's Pack" in names:
        out.append("wizard kit has a Dungeoneer's Pack (SRD: scholar's or explorer's)")
    if cls in ("paladin", "ranger"):
        ranged = sorted(names & SIMPLE_RANGED)
        if ranged:
            out.append(f"simple-melee slot gave ranged {ranged}")
    if cls == "barbarian" and names & (MARTIAL - MARTIAL_MELEE):
        out.append(f"martial-melee slot gave {sorted(names & (MARTIAL - MARTIAL_MELEE))}")
    if cls == "cleric" and "Warhammer" in names and not proficient_with(cls, doc["ancestry"], "Warhammer"):
        out.append("cleric kit has a Warhammer without proficiency (SRD: 'a warhammer (if proficient)')")
    if cls == "druid" and len(names & SIMPLE_RANGED) > 1:
        out.append(f"druid kit has {sorted(names & SIMPLE_RANGED)} (only one 'any simple weapon' slot)")
    return out


def check_speed(doc: Doc) -> list[str]:
    wearing = best_ac(doc, defense="defense" in styles(doc, doc["class"], doc["level"]))
    want = expected_speed(doc, wearing)
    if doc["speed"] != want:
        worn = wearing.armour or "no armour"
        return [f"speed {doc['speed']}, SRD {want} (wearing {worn}{' and a shield' if wearing.shield else ''}, "
                f"STR {doc['abilities']['str']})"]
    return []


def check_druid_metal(doc: Doc) -> list[str]:
    if doc["class"] != "druid":
        return []
    metal = [n for n, _, _ in carried(doc) if n in ARMOUR and ARMOUR[n].metal]
    return [f"druid carries metal armour {metal}"] if metal else []


def check_languages(doc: Doc) -> list[str]:
    anc = doc["ancestry"]
    fixed, extra = LANGUAGES[anc]
    langs = [norm(x).replace("-", " ") for x in doc.get("languages") or []]
    named = [norm(x).replace("-", " ") for x in (doc.get("proficiencies") or {}).get("languages") or []]
    out = []
    if len(set(langs)) != len(langs):
        out.append(f"duplicate languages {langs}")
    if named and set(named) != set(langs):
        out.append(f"languages {langs} but proficiencies.languages {named}")
    real = [x for x in set(langs) if x not in SECRET_LANGUAGES]
    if unknown := [x for x in real if x not in SRD_LANGUAGES]:
        out.append(f"not SRD languages: {unknown}")
    if missing := fixed - set(langs):
        out.append(f"missing the {anc}'s {sorted(missing)}")
    want = len(fixed) + extra + BACKGROUND_LANGUAGES
    if doc["class"] == "sorcerer" and has_subclass("sorcerer", doc["level"]):  # Dragon Ancestor: Draconic
        if "draconic" not in langs:
            out.append("a draconic sorcerer without Draconic (Dragon Ancestor)")
        want += "draconic" not in fixed
    if len(real) != want:
        out.append(f"{len(real)} languages {sorted(real)}; SRD: {len(fixed)} fixed + {extra} ancestry choice + "
                   f"{BACKGROUND_LANGUAGES} background{' + Draconic' if want > len(fixed) + extra + 2 else ''}"
                   f" = {want}")
    feature_names = {norm(f.get("name", "")) for f in doc.get("features") or []}
    for cls, secret in (("druid", "druidic"), ("rogue", "thieves' cant")):
        if doc["class"] == cls and secret not in langs and secret not in feature_names:
            out.append(f"a {cls} without {secret.title()} (as a language or a feature)")
    return out


def independent_weight(doc: Doc) -> tuple[float, list[str]]:
    """Weight of everything carried from the tables above; items not in them are weighed by the pack
    (only a fallback, listed)."""
    total, unknown = 0.0, []
    for name, qty, _ in carried(doc):
        w = item_weight(name)
        if w is None:
            unknown.append(name)
            w = _pack_weight(name)
        total += w * qty
    return total, unknown


def _pack_weight(name: str) -> float:
    from charforge.rules.pack import load  # only for items the tables above do not list

    for item in load().equipment.values():
        if item.name == name:
            return float(item.weight) / max(1, item.bundle)
    return 0.0


def check_carrying(doc: Doc) -> list[str]:
    cap = doc["abilities"]["str"] * 15
    weight, _ = independent_weight(doc)
    out = []
    if weight > cap + 1e-6:
        out.append(f"carries {weight:g} lb (SRD weights) > capacity {cap} (STR {doc['abilities']['str']} x 15)")
    c = doc.get("carrying")
    if c and c.get("capacity_lb") != cap:
        out.append(f"capacity_lb {c.get('capacity_lb')}, SRD {cap}")
    return out


def check_carried_weight(doc: Doc) -> list[str]:
    weight, _ = independent_weight(doc)
    c = doc.get("carrying")
    if not c:
        return ["no carrying block"]
    if abs(c["weight_lb"] - weight) > 1.0:
        heavy = sorted(((item_weight(n) or 0) * q, n) for n, q, _ in carried(doc))[-3:]
        return [f"weight_lb {c['weight_lb']:g}, SRD weights give {weight:g} (heaviest: "
                f"{', '.join(f'{n} {w:g}' for w, n in reversed(heavy))})"]
    return []


def check_half_casters(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    if (cls in HALF_CASTERS and level == 1) or cls not in CASTERS:
        out = []
        if doc.get("spellcasting") is not None:
            out.append(f"level-{level} {cls} has spellcasting {doc['spellcasting']}")
        racial = racial_spells(doc)
        own = [s["name"] for s in doc.get("spells") or [] if norm(s["name"]) not in racial]
        if doc["ancestry"] == "high-elf":
            elf = [n for n in own if norm(n) in SPELL_LISTS["wizard"] and SPELL_LISTS["wizard"][norm(n)] == 0][:1]
            own = [n for n in own if n not in elf]
        if own:
            out.append(f"level-{level} {cls} has spells {own}")
        cantrips = [a["name"] for a in doc.get("attacks") or [] if a.get("kind") == "cantrip"]
        if doc["ancestry"] == "high-elf":  # High Elf Cantrip: one wizard cantrip, cast with Intelligence
            elf = next((n for n in cantrips if SPELL_LISTS["wizard"].get(norm(n)) == 0), None)
            cantrips = [n for n in cantrips if n != elf]
        if cantrips:
            out.append("cantrip attacks without Spellcasting")
        return out
    return []


def check_shield_weapon(doc: Doc) -> list[str]:
    cls, anc = doc["class"], doc["ancestry"]
    names = {n for n, _, _ in carried(doc)}
    if "Shield" not in names or "shield" not in ARMOR_PROF[cls]:
        return []
    one_handed = [n for n in names if n in WEAPONS and "two-handed" not in WEAPONS[n].props and n != "Net"
                  and proficient_with(cls, anc, n)]
    if not one_handed:
        weapons = sorted(n for n in names if n in WEAPONS)
        return [f"a shield but no proficient one-handed weapon (weapons: {weapons})"]
    return []


def check_small_heavy(doc: Doc) -> list[str]:
    if doc["ancestry"] not in SMALL:
        return []
    heavy = sorted(n for n, _, _ in carried(doc) if n in WEAPONS and "heavy" in WEAPONS[n].props)
    return [f"Small {doc['ancestry']} carries Heavy {heavy}"] if heavy else []


def check_unspent_gold(doc: Doc) -> list[str]:
    cls, anc, a = doc["class"], doc["ancestry"], doc["abilities"]
    defense = "defense" in styles(doc, cls, doc["level"])
    now = best_ac(doc, defense=defense)
    purse = coins_gp(doc)
    carried_now, _ = independent_weight(doc)
    prof = ARMOR_PROF[cls]
    dex = mod(a["dex"])
    better = []
    for name, arm in ARMOUR.items():
        if arm.category == "shield" or arm.category not in prof or (cls == "druid" and arm.metal):
            continue
        if arm.str_min and a["str"] < arm.str_min and anc not in DWARVES:
            continue
        bonus = dex if arm.dex_cap is None else 0 if arm.category == "heavy" else min(dex, arm.dex_cap)
        ac = arm.base + bonus + 2 * now.shield + defense
        weight = carried_now - (ARMOUR[now.armour].weight if now.armour else 0) + arm.weight  # the old suit left
        if ac > now.ac and arm.cost <= purse and weight <= a["str"] * 15:
            better.append((ac, -arm.cost, name))
    if better:
        ac, cost, name = max(better)
        return [f"{purse:g} gp unspent in AC {now.ac} ({now.armour or 'no armour'}) while {name} "
                f"({-cost:g} gp, AC {ac}) was affordable"]
    return []


KIT_ARMOUR = {"cleric": ("Scale Mail", "Leather Armor", "Chain Mail"), "fighter": ("Chain Mail", "Leather Armor"),
              "ranger": ("Scale Mail", "Leather Armor")}


def check_kit_armour(doc: Doc) -> list[str]:
    """The armour a player takes from the kit's options: the one with the best AC for this character (heavy
    armour only with the Strength it asks), unless better armour was bought."""
    cls, anc, a = doc["class"], doc["ancestry"], doc["abilities"]
    if cls not in KIT_ARMOUR:
        return []
    dex = mod(a["dex"])
    options = {}
    for name in KIT_ARMOUR[cls]:
        arm = ARMOUR[name]
        if arm.category == "heavy" and a["str"] < arm.str_min and anc not in DWARVES:
            continue
        options[name] = arm.base + (dex if arm.dex_cap is None else 0 if arm.category == "heavy"
                                    else min(dex, arm.dex_cap))
    best = max(options.values())
    worn = best_ac(doc)
    body = worn.ac - 2 * worn.shield
    if body < best:
        choice = next(n for n, ac in options.items() if ac == best)
        kit = [n for n, _, src in carried(doc) if src == "kit" and n in ARMOUR and n != "Shield"]
        return [f"wears AC {body} armour ({worn.armour or 'none'}; kit {kit}) where the kit offered {choice} "
                f"(AC {best}) at STR {a['str']} DEX {a['dex']}"]
    return []


def check_coins(doc: Doc) -> list[str]:
    """Leftover gold kept as coins: budget - purchases = coins; purchases add up; armour at SRD prices."""
    out = []
    bought = sum(e["cost_gp"] for e in doc.get("equipment") or [] if e["source"] == "purchase")
    if abs(bought - doc.get("total_cost_gp", 0)) > 0.011:
        out.append(f"purchases add up to {bought:g} gp, total_cost_gp {doc.get('total_cost_gp')}")
    left = doc.get("budget_gp", 0) - doc.get("total_cost_gp", 0)
    if left < -0.001:
        out.append(f"spent {doc.get('total_cost_gp')} gp of a {doc.get('budget_gp')} gp budget")
    elif abs(coins_gp(doc) - left) > 0.011:
        out.append(f"coins {coins_gp(doc):g} gp, budget - purchases = {left:g} gp")
    for e in doc.get("equipment") or []:
        if e["source"] == "purchase" and e["name"] in ARMOUR:
            want = ARMOUR[e["name"]].cost * e["quantity"]
            if abs(e["cost_gp"] - want) > 0.001:
                out.append(f"{e['name']} bought for {e['cost_gp']:g} gp, SRD {want:g} gp")
    return out


def check_spell_spread(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    out = []
    if cls in SPELLS_KNOWN:
        table = SPELLS_KNOWN[cls]
        learned = {lv: table[lv - 1] - (table[lv - 2] if lv > 1 else 0) for lv in range(1, level + 1)}
        if cls == "bard" and level >= 6:
            learned[6] += 2  # Additional Magical Secrets (College of Lore)
        picks = [s for s in doc.get("spells") or [] if s["level"] > 0 and not s.get("always_prepared")
                 and not (cls == "warlock" and s["level"] >= 6)]
        label = "known"
    elif cls == "wizard" and doc.get("spellbook"):
        learned = {lv: 6 if lv == 1 else 2 for lv in range(1, level + 1)}
        picks = [s for s in doc["spellbook"] if s["level"] > 0]
        label = "in the spellbook"
    else:
        return []
    swaps = label == "known"  # on gaining a level, one known spell may be replaced by one of a castable level
    for k in range(2, 10):
        could = sum(n + (swaps and lv > 1) for lv, n in learned.items() if max_spell_level(cls, lv) >= k)
        have = sum(1 for s in picks if s["level"] >= k)
        if have > could:
            out.append(f"{have} spells of level {k}+ {label}; only {could} learned (or swapped in) at levels with "
                       f"level-{k} slots")
            break
    return out


def check_healing(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    if cls not in HEALING_CLASSES or level < HEALING_CLASSES[cls]:
        return []
    names = {norm(s["name"]) for s in doc.get("spells") or []}
    if not names & HEALING:
        return [f"no healing spell among {sorted(s['name'] for s in doc.get('spells') or [] if s['level'] > 0)}"]
    return []


def check_eldritch_blast(doc: Doc) -> list[str]:
    if doc["class"] != "warlock":
        return []
    names = {norm(s["name"]) for s in doc.get("spells") or []}
    return [] if "eldritch blast" in names else ["warlock without Eldritch Blast"]


def _skill_mod(doc: Doc, skill: str, proficient: bool, expertise: bool) -> int:
    cls, level = doc["class"], doc["level"]
    pb = prof_bonus(level)
    m = mod(doc["abilities"][SKILLS[skill]])
    if expertise:
        return m + 2 * pb
    if proficient:
        return m + pb
    if cls == "bard" and level >= 2:
        return m + pb // 2
    if cls == "fighter" and level >= 7 and SKILLS[skill] in ("str", "dex", "con"):
        return m + math.ceil(pb / 2)  # Remarkable Athlete
    return m


def check_skills(doc: Doc) -> list[str]:
    cls, level, anc = doc["class"], doc["level"], doc["ancestry"]
    lines = doc.get("skills") or []
    if not lines:
        return ["no skills on the sheet"]
    out = []
    by = {s["name"]: s for s in lines}
    if set(by) != set(SKILLS):
        out.append(f"skills listed {sorted(set(by) ^ set(SKILLS))} differ from the 18 SRD skills")
    for name, s in by.items():
        if name not in SKILLS:
            continue
        if s["ability"] != SKILLS[name]:
            out.append(f"{name} uses {s['ability']}, SRD {SKILLS[name]}")
        if s.get("expertise") and not s["proficient"]:
            out.append(f"{name}: expertise without proficiency")
        want = _skill_mod(doc, name, s["proficient"], s.get("expertise", False))
        if s["modifier"] != want:
            out.append(f"{name} {s['modifier']:+d}, SRD {want:+d}")
    n_prof = sum(1 for s in lines if s["proficient"])
    want_n = CLASS_SKILL_COUNT[cls] + 2 + RACIAL_SKILLS.get(anc, 0) + (3 if cls == "bard" and level >= 3 else 0)
    if n_prof != want_n:
        out.append(f"{n_prof} proficient skills, SRD {want_n} (class {CLASS_SKILL_COUNT[cls]} + background 2"
                   f" + ancestry {RACIAL_SKILLS.get(anc, 0)}{' + Lore 3' if cls == 'bard' and level >= 3 else ''})")
    for skill in RACIAL_SKILL_NAMES.get(anc, set()):
        if skill in by and not by[skill]["proficient"]:
            out.append(f"{anc} not proficient in {skill}")
    n_exp = sum(1 for s in lines if s.get("expertise"))
    tiers = {"rogue": (1, 6), "bard": (3, 10)}.get(cls, ())
    want_exp = 2 * sum(1 for lv in tiers if level >= lv)
    tools = sum(1 for lv in tiers if level >= lv) if cls == "rogue" else 0  # thieves' tools may take one
    if not want_exp - tools <= n_exp <= want_exp:
        out.append(f"{n_exp} skills with expertise, SRD {want_exp}")
    return out


def check_saves(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    pb = prof_bonus(level)
    want_prof = set(ABILITIES) if cls == "monk" and level >= 14 else SAVES[cls]
    if cls == "rogue" and level >= 15:  # Slippery Mind: proficiency in Wisdom saving throws
        want_prof = want_prof | {"wis"}
    out = []
    if set(doc.get("saving_throws") or []) != SAVES[cls] and set(doc.get("saving_throws") or []) != want_prof:
        out.append(f"saving_throws {doc.get('saving_throws')}, SRD {sorted(SAVES[cls])}")
    lines = {s["ability"]: s for s in doc.get("saves") or []}
    if set(lines) != set(ABILITIES):
        return [*out, f"saves listed for {sorted(lines)}"]
    aura = max(1, mod(doc["abilities"]["cha"])) if cls == "paladin" and level >= 6 else 0
    for ab, s in lines.items():
        if s["proficient"] != (ab in want_prof):
            out.append(f"{ab.upper()} save proficient={s['proficient']}, SRD {ab in want_prof}")
        want = mod(doc["abilities"][ab]) + (pb if ab in want_prof else 0)
        if s["modifier"] not in {want, want + aura}:
            out.append(f"{ab.upper()} save {s['modifier']:+d}, SRD {want:+d}"
                       f"{f' (or {want + aura:+d} with Aura of Protection)' if aura else ''}")
    return out


def check_derived(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    pb = prof_bonus(level)
    out = []
    if doc.get("proficiency_bonus") != pb:
        out.append(f"proficiency bonus {doc.get('proficiency_bonus')}, SRD {pb}")
    init = mod(doc["abilities"]["dex"])
    if cls == "bard" and level >= 2:
        init += pb // 2
    if cls == "fighter" and level >= 7:
        init += math.ceil(pb / 2)
    if doc.get("initiative") != init:
        out.append(f"initiative {doc.get('initiative')}, SRD {init:+d}")
    perception = next((s for s in doc.get("skills") or [] if s["name"] == "Perception"), None)
    pmod = _skill_mod(doc, "Perception", bool(perception and perception["proficient"]),
                      bool(perception and perception.get("expertise")))
    if doc.get("passive_perception") != 10 + pmod:
        out.append(f"passive Perception {doc.get('passive_perception')}, SRD {10 + pmod}")
    want_hd = f"{level}d{HIT_DIE[cls]}"
    if doc.get("hit_dice") != want_hd:
        out.append(f"hit dice {doc.get('hit_dice')}, SRD {want_hd}")
    return out


def check_attacks(doc: Doc) -> list[str]:
    cls, level, anc, a = doc["class"], doc["level"], doc["ancestry"], doc["abilities"]
    pb = prof_bonus(level)
    st = styles(doc, cls, level)
    out = []
    names = {n for n, _, _ in carried(doc)}
    seen = set()
    for atk in doc.get("attacks") or []:
        if atk.get("kind") != "weapon":
            continue
        name = atk["name"]
        seen.add(name)
        w = WEAPONS.get(name)
        if w is None or name == "Net":
            continue
        if name not in names:
            out.append(f"attack with {name}, not carried")
        finesse = "finesse" in w.props
        monk = (cls == "monk" and (name == "Shortsword" or (w.category == "simple" and w.kind == "melee"
                and not w.props & {"two-handed", "heavy"})))
        if finesse or monk:
            m = max(mod(a["str"]), mod(a["dex"]))
        elif w.kind == "ranged":
            m = mod(a["dex"])
        else:
            m = mod(a["str"])
        hit = m + (pb if proficient_with(cls, anc, name) else 0)
        hits = {hit} | ({hit + 2} if "archery" in st and w.kind == "ranged" else set())
        if atk.get("to_hit") not in hits:
            out.append(f"{name} to-hit {atk.get('to_hit')}, SRD {hit:+d}")
        dice = w.die
        if monk and die_size(martial_arts_die(level)) > die_size(dice):
            dice = martial_arts_die(level)
        dmg = parse_damage(atk.get("damage", ""))
        bonuses = {m} | ({m + 2} if "dueling" in st and w.kind == "melee" and "two-handed" not in w.props
                         else set())
        if dmg is None or dmg[0] != dice or dmg[1] not in bonuses:
            out.append(f"{name} damage {atk.get('damage')}, SRD {dice}{m:+d}")
        if atk.get("damage_type") != w.damage_type:
            out.append(f"{name} damage type {atk.get('damage_type')}, SRD {w.damage_type}")
        rng = (atk.get("range") or "").replace(" ", "")
        if "ammunition" in w.props and w.range and rng != f"{w.range[0]}/{w.range[1]}ft.":
            out.append(f"{name} range {atk.get('range')!r}, SRD {w.range[0]}/{w.range[1]} ft.")
        if w.kind == "melee" and not rng.startswith("10ft" if "reach" in w.props else "5ft") and (
                not w.range or f"{w.range[0]}/{w.range[1]}" not in rng):
            out.append(f"{name} range {atk.get('range')!r}")
    missing = sorted(n for n in names if n in WEAPONS and n != "Net" and n not in seen)
    if missing:
        out.append(f"carried weapons without an attack line: {missing}")
    return out


def check_cantrip_attacks(doc: Doc) -> list[str]:
    cls, level, a = doc["class"], doc["level"], doc["abilities"]
    if cls not in CASTING_ABILITY:
        return []
    pb = prof_bonus(level)
    m = mod(a[CASTING_ABILITY[cls]])
    tier = 1 + sum(1 for lv in (5, 11, 17) if level >= lv)
    lines = {norm(x["name"]): x for x in doc.get("attacks") or [] if x.get("kind") == "cantrip"}
    out = []
    for spell in doc.get("spells") or []:
        key = norm(spell["name"])
        if spell["level"] != 0 or key not in CANTRIP_ATTACKS:
            continue
        die, dtype, save = CANTRIP_ATTACKS[key]
        line = lines.get(key)
        if line is None:
            out.append(f"no attack line for the cantrip {spell['name']}")
            continue
        if save:
            want = f"DC {8 + pb + m} {save.capitalize()}"
            if line.get("to_hit") is not None or (line.get("save") or "").lower() != want.lower():
                out.append(f"{spell['name']} save {line.get('save')!r} to-hit {line.get('to_hit')}, SRD {want}")
        elif line.get("to_hit") != pb + m:
            out.append(f"{spell['name']} to-hit {line.get('to_hit')}, SRD {pb + m:+d}")
        dmg = parse_damage(line.get("damage", ""))
        dice = die if key == "eldritch blast" else f"{tier}{die[1:]}"  # a blast is one 1d10 per beam
        if dmg is None or dmg[0] != dice or dmg[1] not in (0, m):
            out.append(f"{spell['name']} damage {line.get('damage')!r}, SRD {dice}")
        if key == "eldritch blast" and not re.search(rf"\b{tier} beams?\b", line.get("notes", "") + " "
                                                     + line.get("name", "")):
            out.append(f"Eldritch Blast notes {line.get('notes')!r}, SRD {tier} beam(s)")
        if line.get("damage_type") != dtype:
            out.append(f"{spell['name']} damage type {line.get('damage_type')}, SRD {dtype}")
    return out


def check_breath_weapon(doc: Doc) -> list[str]:
    level, a = doc["level"], doc["abilities"]
    breaths = [x for x in doc.get("attacks") or [] if x.get("kind") == "breath"]
    if doc["ancestry"] != "dragonborn":
        return ["a breath weapon without Draconic Ancestry"] if breaths else []
    if not breaths:
        return ["dragonborn without a Breath Weapon attack"]
    b = breaths[0]
    colour = next((c for f in doc.get("features") or [] for c in DRAGONS
                   if f.get("name", "").lower() == f"draconic ancestry ({c})"), None)
    if colour is None:
        return ["no 'Draconic Ancestry (colour)' feature"]
    dtype, area, save = DRAGONS[colour]
    dc = 8 + mod(a["con"]) + prof_bonus(level)
    dice = "2d6" if level < 6 else "3d6" if level < 11 else "4d6" if level < 16 else "5d6"
    out = []
    if (b.get("save") or "").lower() != f"dc {dc} {save}":
        out.append(f"breath save {b.get('save')!r}, SRD DC {dc} {save.upper()}")
    if b.get("damage") != dice or b.get("damage_type") != dtype:
        out.append(f"breath {b.get('damage')} {b.get('damage_type')}, SRD {dice} {dtype} ({colour})")
    if b.get("range") != area:
        out.append(f"breath area {b.get('range')!r}, SRD {area}")
    if dtype not in (doc.get("resistances") or []):
        out.append(f"no resistance to {dtype} (Damage Resistance)")
    return out


DARKVISION = {"dwarf", "hill-dwarf", "elf", "high-elf", "gnome", "rock-gnome", "half-elf", "half-orc", "tiefling"}
RESIST = {"dwarf": {"poison"}, "hill-dwarf": {"poison"}, "tiefling": {"fire"}}  # dragonborn: by ancestry (10j)


def check_senses(doc: Doc) -> list[str]:
    anc = doc["ancestry"]
    out = []
    want = {"darkvision": 60} if anc in DARKVISION else {}
    if (doc.get("senses") or {}) != want:
        out.append(f"senses {doc.get('senses')}, SRD {want}")
    have = set(doc.get("resistances") or [])
    if anc != "dragonborn" and have != RESIST.get(anc, set()):
        out.append(f"resistances {sorted(have)}, SRD {sorted(RESIST.get(anc, set()))}")
    return out


INVOCATION_PREREQS = {  # SRD 5.1 Eldritch Invocations: (warlock level, pact boon or "eldritch blast")
    "agonizing blast": (0, "eldritch blast"), "eldritch spear": (0, "eldritch blast"),
    "repelling blast": (0, "eldritch blast"), "book of ancient secrets": (0, "pact of the tome"),
    "voice of the chain master": (0, "pact of the chain"), "thirsting blade": (5, "pact of the blade"),
    "lifedrinker": (12, "pact of the blade"), "chains of carceri": (15, "pact of the chain"),
    "mire the mind": (5, None), "one with shadows": (5, None), "sign of ill omen": (5, None),
    "bewitching whispers": (7, None), "dreadful word": (7, None), "sculptor of flesh": (7, None),
    "ascendant step": (9, None), "minions of chaos": (9, None), "otherworldly leap": (9, None),
    "whispers of the grave": (9, None), "master of myriad forms": (15, None),
    "visions of distant realms": (15, None), "witch sight": (15, None), "armor of shadows": (0, None),
    "beast speech": (0, None), "beguiling influence": (0, None), "devil's sight": (0, None),
    "eldritch sight": (0, None), "eyes of the rune keeper": (0, None), "fiendish vigor": (0, None),
    "gaze of two minds": (0, None), "mask of many faces": (0, None), "misty visions": (0, None),
    "thief of five fates": (0, None)}


def _count_at(level: int, table: dict[int, int]) -> int:
    return max((n for lv, n in table.items() if level >= lv), default=0)


def check_class_features(doc: Doc) -> list[str]:
    """The class-table numbers issue 13 asks the sheet to show: Rage uses and damage, Extra Attack, Ki and
    sorcery points, Metamagic, invocations (with prerequisites), the pact boon, fighting styles."""
    cls, level = doc["class"], doc["level"]
    feats = doc.get("features") or []
    names = [norm(f.get("name", "")) for f in feats]
    text = {norm(f.get("name", "")): f.get("summary", "") for f in feats}
    out = []

    def need(name: str, pattern: str | None = None) -> None:
        hit = next((n for n in names if n == name or n.startswith(name + " (")), None)
        if hit is None:
            out.append(f"no {name.title()} feature")
        elif pattern and not re.search(pattern, text[hit], re.IGNORECASE):
            out.append(f"{name.title()} {text[hit][-60:]!r} lacks {pattern!r}")

    if cls == "barbarian":
        uses = "unlimited" if level >= 20 else str(_count_at(level, {1: 2, 3: 3, 6: 4, 12: 5, 17: 6}))
        dmg = _count_at(level, {1: 2, 9: 3, 16: 4})
        need("rage", rf"{uses}\b.*\+{dmg}\b|\+{dmg}\b.*{uses}\b")
    if cls in ("barbarian", "fighter", "monk", "paladin", "ranger") and level >= 5:
        attacks = _count_at(level, {5: 2, 11: 3, 20: 4}) if cls == "fighter" else 2
        if not any(n.startswith("extra attack") and re.search(rf"\b{attacks} attacks", text[n]) for n in names):
            out.append(f"no Extra Attack with {attacks} attacks")
    if cls == "monk" and level >= 2:
        need("ki", rf"\b{level} ki points")
    if cls == "sorcerer" and level >= 2:
        need("font of magic", rf"\b{level} sorcery points")
        metamagic = sum(1 for n in names if n.startswith("metamagic:"))
        if metamagic != _count_at(level, {3: 2, 10: 3, 17: 4}):
            out.append(f"{metamagic} Metamagic options, SRD {_count_at(level, {3: 2, 10: 3, 17: 4})}")
    if cls == "warlock":
        invocations = [n.split(":", 1)[1].strip() for n in names if n.startswith("eldritch invocation:")]
        want = _count_at(level, {2: 2, 5: 3, 7: 4, 9: 5, 12: 6, 15: 7, 18: 8})
        if len(invocations) != want:
            out.append(f"{len(invocations)} invocations, SRD {want}")
        pacts = [n for n in names if n in ("pact of the chain", "pact of the blade", "pact of the tome")]
        if len(pacts) != (1 if level >= 3 else 0):
            out.append(f"pact boons {pacts} at level {level}")
        spells = {norm(x["name"]) for x in doc.get("spells") or []}
        for inv in invocations:
            lv, req = INVOCATION_PREREQS.get(inv, (None, None))
            if lv is None:
                out.append(f"invocation {inv!r} is not in SRD 5.1")
            elif level < lv or (req == "eldritch blast" and req not in spells) or (
                    req and req.startswith("pact") and req not in pacts):
                out.append(f"invocation {inv!r} needs level {lv}{f' and {req}' if req else ''}")
    if fighting_style(cls, level):
        want = 2 if cls == "fighter" and level >= 10 else 1  # Champion: Additional Fighting Style at 10
        have = sum(1 for n in names if n.startswith("fighting style:"))
        if have != want:
            out.append(f"{have} fighting styles, SRD {want}")
    return out


def check_sneak_attack(doc: Doc) -> list[str]:
    if doc["class"] != "rogue":
        return []
    dice = f"{math.ceil(doc['level'] / 2)}d6"
    feats = [f for f in doc.get("features") or [] if f.get("name") == "Sneak Attack"]
    if not feats:
        return ["no Sneak Attack feature"]
    if not re.search(rf"\b{dice}\b", feats[0].get("summary", "")):
        return [f"Sneak Attack {feats[0].get('summary')!r}, SRD {dice}"]
    return []


def check_unarmed(doc: Doc) -> list[str]:
    cls, level, a = doc["class"], doc["level"], doc["abilities"]
    strikes = [x for x in doc.get("attacks") or [] if x.get("kind") == "unarmed"]
    pb = prof_bonus(level)
    if cls != "monk":
        if not strikes:
            return []
        want_hit = mod(a["str"]) + pb
        return [] if strikes[0].get("to_hit") == want_hit else [
            f"unarmed strike to-hit {strikes[0].get('to_hit')}, SRD {want_hit:+d}"]
    if not strikes:
        return ["monk without an Unarmed Strike"]
    m = max(mod(a["str"]), mod(a["dex"]))
    out = []
    if strikes[0].get("to_hit") != m + pb:
        out.append(f"unarmed to-hit {strikes[0].get('to_hit')}, SRD {m + pb:+d}")
    dmg = parse_damage(strikes[0].get("damage", ""))
    die = martial_arts_die(level)
    if dmg != (die, m):
        out.append(f"unarmed damage {strikes[0].get('damage')}, SRD {die}{m:+d}")
    return out


def check_hp(doc: Doc) -> list[str]:
    cls, level, anc = doc["class"], doc["level"], doc["ancestry"]
    d = HIT_DIE[cls]
    con = mod(doc["abilities"]["con"])
    bonus = (1 if anc == "hill-dwarf" else 0) + (1 if cls == "sorcerer" and has_subclass(cls, level) else 0)
    first = max(1, d + con + bonus)
    low = first + (level - 1) * max(1, 1 + con + bonus)
    high = first + (level - 1) * max(1, d + con + bonus)
    average = first + (level - 1) * max(1, d // 2 + 1 + con + bonus)
    hp = doc["hp"]
    if not low <= hp <= high:
        return [f"HP {hp} outside SRD {low}-{high} (fixed {average}; d{d}, CON {con:+d}, +{bonus}/level)"]
    if hp != average:  # charforge takes the SRD's fixed value each level after the first
        return [f"HP {hp}, SRD fixed value {average} (d{d}, CON {con:+d}, +{bonus}/level)"]
    return []


def check_ac(doc: Doc) -> list[str]:
    cls, level = doc["class"], doc["level"]
    st = styles(doc, cls, level)
    plain = best_ac(doc)
    options = {plain.ac}
    if "defense" in st:
        options.add(best_ac(doc, defense=True).ac)
    if doc["ac"] not in options:
        worn = plain.armour or "no armour"
        return [f"AC {doc['ac']}, SRD best {plain.ac} ({worn}{' + shield' if plain.shield else ''}, "
                f"DEX {doc['abilities']['dex']})"]
    return []


@dataclass
class Check:
    id: str
    title: str
    run: Callable[[Doc], list[str]]


CHECKS = [
    Check("1", "ability scores (ASIs, audit, caps, Primal Champion)", check_abilities),
    Check("2", "class spell lists, spell levels and slots", check_spell_lists),
    Check("2c", "spell counts: cantrips, known, prepared, arcana", check_spell_counts),
    Check("3", "starting kits", check_kit),
    Check("4", "speed (base, Fast/Unarmored Movement, heavy armour)", check_speed),
    Check("5", "druids carry no metal armour", check_druid_metal),
    Check("6", "languages (ancestry + extra + background)", check_languages),
    Check("7", "carrying capacity (STR x 15, SRD weights)", check_carrying),
    Check("7b", "carried weight as reported (SRD weights)", check_carried_weight),
    Check("8", "no Spellcasting before it is gained", check_half_casters),
    Check("9a", "a shield goes with a one-handed weapon", check_shield_weapon),
    Check("9b", "Small characters carry no Heavy weapon", check_small_heavy),
    Check("9c", "gold unspent while better armour affordable, liftable", check_unspent_gold),
    Check("9d", "known spells spread across the levels learned", check_spell_spread),
    Check("9e", "a healing class has a healing spell", check_healing),
    Check("9f", "warlocks know Eldritch Blast", check_eldritch_blast),
    Check("9g", "the kit's best armour option for the build", check_kit_armour),
    Check("9h", "leftover gold kept as coins", check_coins),
    Check("10a", "skills: list, modifiers, counts, expertise", check_skills),
    Check("10b", "saving throws", check_saves),
    Check("10c", "proficiency, initiative, passive Perception, hit dice", check_derived),
    Check("10d", "weapon attacks: to-hit, damage, range", check_attacks),
    Check("10e", "rogue Sneak Attack dice", check_sneak_attack),
    Check("10f", "unarmed strike (monk Martial Arts die)", check_unarmed),
    Check("10g", "hit points (max at 1st, the fixed value after)", check_hp),
    Check("10h", "armour class (best legal among gear carried)", check_ac),
    Check("10l", "class features: Rage, Extra Attack, Ki, invocations...", check_class_features),
    Check("10i", "cantrip attacks: to-hit or save DC, dice by level", check_cantrip_attacks),
    Check("10j", "dragonborn breath weapon and resistance", check_breath_weapon),
    Check("10k", "darkvision and racial resistances", check_senses),
]
CHECK_IDS = [c.id for c in CHECKS] + ["2b"]

# ================================================================================================
# Generation and the report
# ================================================================================================


@dataclass(frozen=True)
class Case:
    seed: int
    cls: str
    level: int
    ancestry: str

    @property
    def label(self) -> str:
        return f"seed {self.seed} {self.cls} {self.level} {self.ancestry}"

    @property
    def command(self) -> str:
        return (f"charforge npc --class {self.cls} --level {self.level} --ancestry {self.ancestry} "
                f"--seed {self.seed} -f json")


def spread(count: int, seed_base: int) -> list[Case]:
    """Every class in turn; each class walks levels 1-20 and all 13 ancestries on different strides."""
    cases = []
    for i in range(count):
        c, k = i % len(CLASSES), i // len(CLASSES)
        level = (k * 7 + c * 3) % 20 + 1
        ancestry = ANCESTRIES[(k + c * 5) % len(ANCESTRIES)]
        cases.append(Case(seed_base + i, CLASSES[c], level, ancestry))
    return cases


def grid(levels: Iterable[int] = (1, 3, 7, 14, 20), seed_base: int = 13_000) -> list[Case]:
    """One character per class x level, the ancestry rotating through all 13 (the pytest set)."""
    cases = []
    for c, cls in enumerate(CLASSES):
        for j, level in enumerate(levels):
            i = c * 5 + j
            cases.append(Case(seed_base + i, cls, level, ANCESTRIES[i % len(ANCESTRIES)]))
    return cases


def generate(cases: Iterable[Case]) -> list[tuple[Case, Doc | None, str]]:
    """Each case through one in-process offline CharacterService, as `charforge npc -f json` would."""
    from charforge.models import CharacterSpec
    from charforge.providers.offline import OfflineProvider
    from charforge.service import CharacterService

    service = CharacterService(OfflineProvider())
    out: list[tuple[Case, Doc | None, str]] = []
    for case in cases:
        spec = CharacterSpec(class_name=case.cls, level=case.level, ancestry=case.ancestry, seed=case.seed)
        try:
            out.append((case, service.npc(spec).model_dump(mode="json", by_alias=True), ""))
        except Exception as exc:  # a character that cannot be made is a failure of its own
            out.append((case, None, f"{type(exc).__name__}: {exc}"))
    return out


@dataclass
class Result:
    id: str
    title: str
    checked: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (label, problem)


def run_checks(generated: list[tuple[Case, Doc | None, str]], ids: Iterable[str] | None = None,
               ) -> dict[str, Result]:
    wanted = set(ids or CHECK_IDS)
    results: dict[str, Result] = {}
    gen = Result("0", "characters generated")
    for case, doc, err in generated:
        gen.checked += 1
        if doc is None:
            gen.failures.append((case.label, err))
    results["0"] = gen
    for check in CHECKS:
        if check.id not in wanted:
            continue
        res = Result(check.id, check.title)
        for case, doc, _ in generated:
            if doc is None:
                continue
            res.checked += 1
            try:
                problems = check.run(doc)
            except Exception as exc:  # a document the check cannot read is wrong too
                problems = [f"check crashed: {type(exc).__name__}: {exc}"]
            if problems:
                more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
                res.failures.append((case.label, problems[0] + more))
        results[check.id] = res
    if "2b" in wanted:
        res = Result("2b", "rules pack class spell lists vs SRD 5.1")
        res.checked, problems = check_pack_spell_lists()
        res.failures = [("rules pack", p) for p in problems]
        results["2b"] = res
    return results


def characters_failing(res: Result) -> int:
    return len({label for label, _ in res.failures})


def report(results: dict[str, Result], examples: int = 3) -> str:
    lines = [f"{'check':<5} {'title':<56} {'checked':>7} {'failing':>7}"]
    for res in results.values():
        lines.append(f"{res.id:<5} {res.title:<56} {res.checked:>7} {characters_failing(res):>7}")
        shown, labels = 0, set()
        for label, problem in res.failures:
            if label in labels:
                continue
            labels.add(label)
            lines.append(f"        {label}: {problem}")
            shown += 1
            if shown >= examples:
                break
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=312, help="characters (default 312: 26 per class)")
    parser.add_argument("--seed-base", type=int, default=0, help="character i gets seed seed-base + i")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--only", help="comma-separated check ids, e.g. 1,2,10a")
    args = parser.parse_args()
    generated = generate(spread(args.count, args.seed_base))
    results = run_checks(generated, args.only.split(",") if args.only else None)
    print(report(results, args.examples))
    failing = [r.id for r in results.values() if r.failures]
    print(f"\n{len(generated)} characters; {len(results)} checks; failing: {', '.join(failing) or 'none'}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
