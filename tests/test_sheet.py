"""The whole sheet, hand-derived from SRD 5.1: each expected number below is worked out from the rule text, not
from charforge's tables."""

from __future__ import annotations

import pytest

from charforge.models import Abilities
from charforge.rules import sheet, stats
from charforge.rules.pack import load

PACK = load()


def abilities(**scores: int) -> Abilities:
    return Abilities.model_validate({"str": 10, "dex": 10, "con": 10, "int": 10, "wis": 10, "cha": 10, **scores})


def whole(class_index: str, level: int, ancestry: str = "human", items: tuple[tuple[str, int], ...] = (),
          seed: int = 1, origin: str = "sailor", spells: tuple = ()):
    return sheet.whole_sheet(seed=seed, class_index=class_index, ancestry=ancestry, level=level, items=list(items),
                             spells=list(spells), origin=origin, method="standard-array")


def test_primal_champion_raises_strength_and_constitution_by_four_up_to_24():
    # Standard array for a barbarian: STR 15, CON 14 (+ human +1 each = 16, 15); ten ASI points at 20 go
    # STR 16→20 (2 ASIs), CON 15→20 (2.5 ASIs: 15→17→19→20, the last point to DEX), then Primal Champion +4.
    final, audit = stats.ability_audit(1, "barbarian", PACK.races["human"], 20, "standard-array")
    assert audit.features == {"str": 4, "con": 4}
    assert (final.score("str"), final.score("con")) == (24, 24)
    nineteen, audit19 = stats.ability_audit(1, "barbarian", PACK.races["human"], 19, "standard-array")
    assert audit19.features == {} and nineteen.score("str") == 20


def test_the_ability_audit_adds_up_to_the_final_scores():
    for class_index in PACK.classes:
        for level in (1, 4, 10, 20):
            final, audit = stats.ability_audit(7, class_index, PACK.races["half-elf"], level)
            for ability in ("str", "dex", "con", "int", "wis", "cha"):
                total = (audit.base.score(ability) + audit.racial.get(ability, 0)
                         + audit.improvements.get(ability, 0) + audit.features.get(ability, 0))
                assert total == final.score(ability), (class_index, level, ability)


@pytest.mark.parametrize(("level", "bonus"), [(1, 0), (2, 10), (5, 10), (6, 15), (10, 20), (14, 25), (18, 30)])
def test_unarmored_movement_adds_to_a_monks_speed(level: int, bonus: int):
    monk = PACK.classes["monk"]
    unarmoured = sheet.Worn(None, False, 10)
    assert sheet.speed(abilities(), monk, PACK.races["human"], level, unarmoured) == 30 + bonus
    in_armour = sheet.Worn("leather-armor", False, 11)
    assert sheet.speed(abilities(), monk, PACK.races["human"], level, in_armour) == 30


def test_fast_movement_from_barbarian_five_but_not_in_heavy_armour():
    barbarian, human = PACK.classes["barbarian"], PACK.races["human"]
    assert sheet.speed(abilities(str=16), barbarian, human, 4, sheet.Worn(None, False, 10)) == 30
    assert sheet.speed(abilities(str=16), barbarian, human, 5, sheet.Worn(None, False, 10)) == 40
    assert sheet.speed(abilities(str=16), barbarian, human, 5, sheet.Worn("plate-armor", False, 18)) == 30


def test_heavy_armour_below_its_strength_costs_ten_feet_except_for_dwarves():
    fighter = PACK.classes["fighter"]
    plate = sheet.Worn("plate-armor", False, 18)  # plate needs STR 15
    assert sheet.speed(abilities(str=14), fighter, PACK.races["human"], 1, plate) == 20
    assert sheet.speed(abilities(str=15), fighter, PACK.races["human"], 1, plate) == 30
    assert sheet.speed(abilities(str=10), fighter, PACK.races["hill-dwarf"], 1, plate) == 25


def test_a_druid_never_counts_metal_armour():
    druid = PACK.classes["druid"]
    wearing = sheet.worn(abilities(dex=14), druid, PACK.races["human"], 5, ["scale-mail", "hide-armor", "shield"])
    assert wearing.armour == "hide-armor" and wearing.shield  # hide 12 + DEX 2 (max 2) + shield 2
    assert wearing.ac == 16


def test_a_level_one_paladin_or_ranger_has_no_spellcasting_yet():
    for class_index in ("paladin", "ranger"):
        klass = PACK.classes[class_index]
        assert stats.spellcasting(klass, 1, abilities(wis=16, cha=16)) is None
        assert stats.spellcasting(klass, 2, abilities(wis=16, cha=16)) is not None


def test_a_finesse_weapon_uses_the_better_of_strength_and_dexterity():
    # Standard-array rogue: DEX 15 +1 (human) = 16 → +3; proficiency +2 at level 1. Rapier: 1d8 piercing.
    _core, rest = whole("rogue", 1, items=(("rapier", 1), ("shortbow", 1)))
    rapier = next(a for a in rest.attacks if a.name == "Rapier")
    assert (rapier.to_hit, rapier.damage, rapier.damage_type) == (5, "1d8+3", "piercing")
    assert "Sneak Attack 1d6" in rapier.notes
    bow = next(a for a in rest.attacks if a.name == "Shortbow")
    assert bow.range == "80/320 ft." and bow.to_hit == 5


def test_a_monks_unarmed_strike_uses_the_martial_arts_die():
    # Standard-array human monk: DEX 15+1, +2 at the 4th-level ASI = 18 (+4); WIS 14+1 = 15 (+2).
    # Level 5: Martial Arts d6, proficiency +3.
    core, rest = whole("monk", 5)
    strike = next(a for a in rest.attacks if a.kind == "unarmed")
    assert (strike.to_hit, strike.damage) == (7, "1d6+4")
    assert core.ac == 10 + 4 + 2  # Unarmored Defense: 10 + DEX + WIS
    assert core.speed == 40


def test_rogue_sneak_attack_dice_and_expertise_on_the_sheet():
    core, rest = whole("rogue", 5)
    sneak = next(f for f in rest.features if f.name == "Sneak Attack")
    assert "3d6" in sneak.summary
    experts = [s for s in rest.skills if s.expertise]
    assert len(experts) == 2  # Expertise: two skills at 1st level, two more at 6th
    assert all(s.modifier == abilities_mod(core, s.ability) + 2 * core.proficiency_bonus for s in experts)


def abilities_mod(core, ability: str) -> int:
    return core.abilities.modifier(ability)


def test_a_half_elf_speaks_common_elvish_one_extra_and_two_from_the_background():
    core, rest = whole("bard", 1, ancestry="half-elf")
    assert core.languages[:2] == ["Common", "Elvish"]
    assert len(core.languages) == 5 and len(set(core.languages)) == 5
    skill_sources = [s.source for s in rest.skills if s.proficient]
    assert skill_sources.count("ancestry") == 2  # Skill Versatility


def test_a_human_acolyte_takes_insight_and_religion_and_the_acolyte_feature():
    core, rest = whole("fighter", 1, origin="acolyte of the dawn temple")
    sources = {s.name: s.source for s in rest.skills if s.proficient}
    assert sources.get("Insight") == "background" or sources.get("Insight") == "class"
    assert sources.get("Religion") == "background"
    assert rest.background_feature is not None and rest.background_feature.name == "Shelter of the Faithful"
    assert len(core.languages) == 4  # Common, one extra (human), two (Acolyte)


def test_saves_initiative_passive_perception_and_hit_dice_follow_the_rules():
    core, rest = whole("bard", 2)
    prof = core.proficiency_bonus
    for line in rest.saves:
        expected = core.abilities.modifier(line.ability) + (prof if line.ability in ("dex", "cha") else 0)
        assert line.modifier == expected and line.proficient == (line.ability in ("dex", "cha"))
    assert rest.initiative == core.abilities.modifier("dex") + prof // 2  # Jack of All Trades
    perception = next(s for s in rest.skills if s.name == "Perception")
    assert rest.passive_perception == 10 + perception.modifier
    assert rest.hit_dice == "2d8"


def test_draconic_resilience_adds_hit_points_and_unarmoured_armour_class():
    # Standard-array sorcerer: CHA 15, CON 14 (+1 human = 15, +2), DEX 13 +1 = 14 (+2). Level 1: 6 + 2 + 1.
    core, rest = whole("sorcerer", 1)
    assert core.hp == 6 + 2 + 1
    assert core.ac == 13 + 2
    assert rest.subclass is not None and rest.subclass.index == "draconic"


def test_a_life_cleric_is_proficient_with_heavy_armour():
    _core, rest = whole("cleric", 1)
    assert "heavy" in rest.proficiencies.armor


def test_a_high_elf_knows_a_wizard_cantrip_cast_with_intelligence():
    # Standard-array fighter: INT is its 5th priority (10), +1 high elf = 11 (+0); proficiency +2.
    core, rest = whole("fighter", 1, ancestry="high-elf")
    bolt = next(a for a in rest.attacks if a.name == "Fire Bolt")
    assert (bolt.to_hit, bolt.damage, bolt.range) == (2 + core.abilities.modifier("int"), "1d10", "120 ft.")
    trait = next(f for f in rest.features if f.name == "High Elf Cantrip")
    assert "Fire Bolt" in trait.summary


def test_a_circle_of_the_land_druid_learns_a_bonus_cantrip_at_second_level():
    from charforge.rules.spells import spell_groups

    def cantrips(level: int) -> int:
        return next(g.count for g in spell_groups("druid", level, abilities(wis=16)) if 0 in g.levels)

    assert (cantrips(1), cantrips(2), cantrips(4), cantrips(10)) == (2, 3, 4, 5)


def test_slippery_mind_adds_wisdom_saves_from_rogue_fifteen():
    for level, expected in ((14, False), (15, True)):
        core, rest = whole("rogue", level)
        wis = next(s for s in rest.saves if s.ability == "wis")
        assert wis.proficient is expected
        assert wis.modifier == core.abilities.modifier("wis") + (core.proficiency_bonus if expected else 0)


def test_the_rogue_of_issue_13_reads_as_a_sheet_in_text(cli):
    """`charforge npc --class rogue --level 5 --seed 1` as text: everything a GM needs without the JSON."""
    text = cli("npc", "--class", "rogue", "--level", "5", "--seed", "1", "-f", "text").stdout
    for label in ("Armor Class", "Hit Points", "Speed", "Initiative", "Saving Throws", "Skills",
                  "passive Perception", "Attacks", "Features and traits", "Equipment", "Coins"):
        assert label in text, label
    assert "DEX" in text and "(+4)" in text  # abilities with their modifiers
    assert "Sneak Attack" in text and "3d6" in text
    attack = next(line for line in text.splitlines() if line.lstrip().startswith("Shortsword")
                  or line.lstrip().startswith("Dagger"))
    assert "+7" in attack and "piercing" in attack  # to-hit and damage
