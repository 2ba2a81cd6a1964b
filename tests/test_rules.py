"""Hand-checked SRD 5.1 numbers: HP, AC, proficiency, slots, spell counts, kits and budgets."""

from __future__ import annotations

import pytest

from charforge.models import Abilities
from charforge.rules import equipment, spells, stats
from charforge.rules.pack import load

PACK = load()


def abilities(**scores: int) -> Abilities:
    base = {"str": 10, "dex": 10, "con": 10, "int": 10, "wis": 10, "cha": 10}
    return Abilities.model_validate({**base, **scores})


@pytest.mark.parametrize(("score", "mod"), [(1, -5), (8, -1), (9, -1), (10, 0), (11, 0), (12, 1), (20, 5), (30, 10)])
def test_modifier(score, mod):
    assert stats.modifier(score) == mod


@pytest.mark.parametrize(("level", "bonus"), [(1, 2), (4, 2), (5, 3), (8, 3), (9, 4), (13, 5), (17, 6), (20, 6)])
def test_proficiency_bonus_matches_formula_and_every_class_table(level, bonus):
    assert stats.proficiency_bonus(level) == bonus
    assert {c.at(level).proficiency_bonus for c in PACK.classes.values()} == {bonus}


@pytest.mark.parametrize(
    ("class_index", "ancestry", "level", "con", "hp"),
    [
        ("wizard", "human", 1, 14, 8),  # d6 max 6 + 2
        ("wizard", "human", 5, 14, 8 + 4 * (4 + 2)),  # fixed average 4 per level after the first
        ("fighter", "human", 1, 16, 13),  # d10 + 3
        ("fighter", "human", 3, 16, 13 + 2 * (6 + 3)),
        ("barbarian", "half-orc", 20, 20, 17 + 19 * (7 + 5)),  # d12
        ("sorcerer", "hill-dwarf", 2, 12, (6 + 1) + (4 + 1) + 2 + 2),  # Dwarven Toughness, Draconic Resilience
        ("wizard", "human", 4, 3, (6 - 4) + 3 * 1),  # CON -4: never below 1 HP a level
    ],
)
def test_hit_points(class_index, ancestry, level, con, hp):
    assert stats.hit_points(PACK.classes[class_index], PACK.races[ancestry], level, con) == hp


@pytest.mark.parametrize(
    ("class_index", "items", "scores", "ac"),
    [
        ("wizard", [], {"dex": 14}, 12),  # unarmoured 10 + DEX
        ("fighter", ["chain-mail"], {"dex": 18}, 16),  # heavy: no DEX
        ("fighter", ["chain-mail", "shield"], {"dex": 8}, 18),
        ("fighter", ["scale-mail"], {"dex": 18}, 16),  # medium: DEX capped at +2
        ("rogue", ["studded-leather-armor"], {"dex": 18}, 16),  # light: full DEX
        ("wizard", ["chain-mail"], {"dex": 14}, 12),  # not proficient: the armour does not count
        ("cleric", ["leather-armor", "breastplate"], {"dex": 12}, 15),  # the best armour carried is worn
        ("barbarian", ["shield"], {"dex": 14, "con": 16}, 17),  # Unarmored Defense 10+2+3, shield allowed
        ("monk", [], {"dex": 16, "wis": 16}, 16),  # Unarmored Defense 10+3+3
        ("barbarian", ["hide-armor"], {"dex": 14, "con": 18}, 16),  # unarmoured beats hide (12+2)
    ],
)
def test_armor_class(class_index, items, scores, ac):
    got = stats.armor_class(abilities(**scores), PACK.classes[class_index], PACK.races["human"], items)
    assert got == ac


def test_spell_slots_full_caster_and_pact_magic():
    wizard, warlock = PACK.classes["wizard"], PACK.classes["warlock"]
    assert wizard.at(5).slots == [4, 3, 2, 0, 0, 0, 0, 0, 0]
    assert wizard.at(20).slots == [4, 3, 3, 3, 3, 2, 2, 1, 1]
    # Pact Magic: few slots, all of the highest level the warlock can cast.
    assert warlock.at(1).slots == [1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert warlock.at(5).slots == [0, 0, 2, 0, 0, 0, 0, 0, 0]
    assert warlock.at(11).slots == [0, 0, 0, 0, 3, 0, 0, 0, 0]
    casting = stats.spellcasting(warlock, 5, abilities(cha=16))
    assert casting is not None and casting.pact_magic and casting.save_dc == 8 + 3 + 3


def test_half_casters_start_at_level_two():
    assert spells.spell_groups("paladin", 1, abilities(cha=16)) == []
    assert spells.spell_groups("ranger", 1, abilities(wis=16)) == []
    [prepared] = spells.spell_groups("paladin", 2, abilities(cha=16))
    assert (prepared.count, prepared.levels) == (3 + 1, frozenset({1}))  # CHA mod + half level


def test_spell_counts_for_known_prepared_and_arcanum():
    by_label = {g.label: g for g in spells.spell_groups("wizard", 5, abilities(int=16))}
    assert by_label["cantrips"].count == 4
    assert by_label["prepared spells"].count == 3 + 5 and by_label["prepared spells"].levels == frozenset({1, 2, 3})
    warlock = {g.label: g for g in spells.spell_groups("warlock", 13, abilities(cha=20))}
    assert warlock["spells known"].count == 12 and max(warlock["spells known"].levels) == 5
    assert {g.levels for g in warlock.values() if "arcanum" in g.label} == {frozenset({6}), frozenset({7})}
    assert spells.spell_groups("fighter", 20, abilities()) == []


def test_candidates_are_on_the_class_list_and_castable():
    found = spells.candidates("wizard", frozenset({1, 2, 3}))
    assert "fireball" in found and "magic-missile" in found
    assert "cure-wounds" not in found and "cone-of-cold" not in found
    assert all("wizard" in PACK.spells[i].classes and 1 <= PACK.spells[i].level <= 3 for i in found)


def test_racial_bonuses_and_improvements():
    human = stats.ability_scores(7, "wizard", PACK.races["human"], 1, "standard-array")
    assert human.model_dump() == {"str": 9, "dex": 14, "con": 15, "int": 16, "wis": 13, "cha": 11}
    # Half-elf: +2 CHA, +1 to the two abilities the class values most (not CHA).
    half_elf = stats.ability_scores(7, "bard", PACK.races["half-elf"], 1, "standard-array")
    assert (half_elf.cha, half_elf.dex, half_elf.con) == (17, 15, 14)
    # Level 4 and 8 improvements: +4 to INT caps at 20, the rest goes to the next priority.
    wizard8 = stats.ability_scores(7, "wizard", PACK.races["human"], 8, "standard-array")
    assert (wizard8.int_, wizard8.con) == (20, 15)


def test_rolled_scores_are_seeded_and_in_range():
    first = stats.roll_scores(99, "4d6")
    assert first == stats.roll_scores(99, "4d6")
    assert all(3 <= s <= 18 for s in first)
    assert any(stats.roll_scores(seed, "4d6") != first for seed in range(5))


def test_kit_uses_only_what_the_class_can_wield_and_budget_follows_starting_wealth():
    for seed in range(30):
        kit = equipment.starting_kit(seed, "wizard", "human")
        assert ("spellbook", 1) in kit
        assert all(equipment.usable(i, PACK.classes["wizard"], PACK.races["human"]) for i, _ in kit)
        budget = equipment.budget_gp(seed, "wizard", 3)
        assert 4 * 10 * 3 <= budget <= 16 * 10 * 3  # 4d4 x 10 gp, times level
    assert "plate-armor" not in equipment.shop("wizard", "human", 10_000)
    assert "plate-armor" in equipment.shop("fighter", "human", 1500)
    assert "plate-armor" not in equipment.shop("fighter", "human", 1499)


def test_batch_seeds_are_stable_and_distinct():
    from charforge.rules.dice import derive

    seeds = [derive(7, i) for i in range(1000)]
    assert seeds[:3] == [derive(7, 0), derive(7, 1), derive(7, 2)] and len(set(seeds)) == 1000
    assert derive(7, 5) != derive(8, 5) and all(0 <= s < 2**32 for s in seeds)
