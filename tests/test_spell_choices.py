"""Spell choices a player would make (issue 13, item 9): spread over the levels they were learned at, the
class's staples first, a healer's healing, a warlock's Eldritch Blast, a wizard's spellbook, subclass spells.

The rules are SRD 5.1 (Spellcasting of each class; Wizard: Your Spellbook; Divine Domain, Sacred Oath and
Circle Spells; the Fiend's Expanded Spell List); the staples are charforge's choice (`rules.spell_staples`).
"""

from __future__ import annotations

import pytest

from charforge.models import Abilities, CharacterSpec, SpellsAnswer
from charforge.providers.offline import OfflineProvider
from charforge.rules import spell_picks, spells, stats
from charforge.rules.legality import _audit_spells, settle_spells
from charforge.rules.pack import load
from charforge.rules.spell_staples import DAMAGING_CANTRIPS, HEALERS, HEALING, SIGNATURE_CANTRIPS, STAPLES
from charforge.service import CharacterService, planning

PACK = load()
CLASSES = sorted(PACK.classes)
CASTERS = sorted(c for c, k in PACK.classes.items() if k.caster)
HAS_SUBCLASS_SPELLS = bool(PACK.subclasses.get("life") and PACK.subclasses["life"].spells)
needs_subclass_spells = pytest.mark.skipif(not HAS_SUBCLASS_SPELLS, reason="the rules pack has no subclass spells yet")


def abilities(**scores: int) -> Abilities:
    return Abilities.model_validate({"str": 10, "dex": 10, "con": 10, "int": 10, "wis": 10, "cha": 10, **scores})


def npc(**fields):
    return CharacterService(OfflineProvider()).npc(CharacterSpec(**fields))


def names(indexes) -> set[str]:
    return {PACK.spells[i].name for i in indexes}


def spell_problems(character) -> list[str]:
    """What the audit finds wrong with the character's spells (the gear has its own tests)."""
    return _audit_spells(character, spells.spell_groups(character.class_name, character.level, character.abilities))


def index_of(name: str) -> str:
    return next(i for i, s in PACK.spells.items() if s.name == name)


def settled(seed: int, class_index: str, level: int, answer: SpellsAnswer | None = None, **scores: int):
    """Settle `answer` (by default the offline suggestion) for a character with these scores."""
    groups = spells.spell_groups(class_index, level, abilities(**scores) if scores else
                                 stats.ability_scores(seed, class_index, PACK.races["human"], level))
    if answer is None:
        picks = spell_picks.choose(seed, class_index, level, groups)
        answer = SpellsAnswer(cantrips=sorted(names(picks.get("cantrips", []))),
                              spells=sorted(names(i for label, p in picks.items() if label != "cantrips" for i in p)))
    entries, repairs = settle_spells(answer, class_index, groups, seed, level=level)
    return groups, entries, repairs


# -- the reviewed data ------------------------------------------------------------------------------


def test_staples_are_srd_spells_on_their_class_list():
    for class_index, staples in STAPLES.items():
        assert len(set(staples)) == len(staples), class_index
        for index in staples:
            assert index in PACK.spells, (class_index, index)
            assert class_index in PACK.spells[index].classes, (class_index, index)
    assert set(STAPLES) == set(CASTERS)
    assert all(i in PACK.spells for i in HEALING | DAMAGING_CANTRIPS)
    assert all(PACK.spells[i].level == 0 for i in DAMAGING_CANTRIPS)
    assert all(i in STAPLES[c] for c, i in SIGNATURE_CANTRIPS.items())


def test_damaging_cantrips_agree_with_the_pack_when_it_knows_damage():
    with_damage = {i for i, s in PACK.spells.items() if s.level == 0 and s.damage_type}
    if not with_damage:
        pytest.skip("the rules pack has no spell damage yet")
    assert with_damage == DAMAGING_CANTRIPS


# -- the examples ------------------------------------------------------------------------------


def test_a_level_3_bard_learned_its_spells_at_levels_1_to_3():
    # Bard table: 4 spells known at 1st level, 5 at 2nd (both 1st-level only), 6 at 3rd (2nd-level slots).
    for seed in range(20):
        levels = [s.level for s in npc(class_name="bard", level=3, seed=seed).spells if s.level]
        assert len(levels) == 6 and levels.count(2) <= 1 and levels.count(1) >= 5, (seed, levels)


@pytest.mark.parametrize("class_index", sorted(HEALERS))
def test_every_healer_has_a_healing_spell(class_index):
    for level in (1, 2, 3, 7):
        for seed in range(8):
            character = npc(class_name=class_index, level=level, seed=seed)
            if not any(s.level == 1 for s in character.spells):
                assert level == 1 and class_index in ("paladin", "ranger")  # Spellcasting starts at 2nd level
                continue
            assert names(map(index_of, (s.name for s in character.spells))) & names(HEALING), (level, seed)


def test_warlocks_know_eldritch_blast_and_every_caster_a_damaging_cantrip():
    for seed in range(10):
        assert "Eldritch Blast" in {s.name for s in npc(class_name="warlock", level=1, seed=seed).spells}
        for class_index in ("bard", "cleric", "druid", "sorcerer", "wizard"):
            cantrips = {s.name for s in npc(class_name=class_index, level=1, seed=seed).spells if s.level == 0}
            assert cantrips & names(DAMAGING_CANTRIPS), (class_index, seed)


def test_level_1_paladins_and_rangers_have_no_spells_even_when_a_provider_offers_some():
    from charforge.service import settle

    for class_index in ("paladin", "ranger"):
        for seed in range(5):
            assert npc(class_name=class_index, level=1, seed=seed).spells == []
            plan = planning.plan(CharacterSpec(class_name=class_index, level=1, seed=seed))
            assert planning.brief(plan, taken_names=[]).spell_choices == []
            spell_list, repairs = settle.spells(plan, SpellsAnswer(cantrips=[], spells=["Cure Wounds"]))
            assert spell_list.spells == [] and repairs[0].action == "dropped"
            assert spell_picks.always_prepared(seed, class_index, 1) == []


# -- spread --------------------------------------------------------------------------------------------


def test_a_known_casters_levels_follow_the_class_table():
    ceiling = spells.ceilings(spells.ladder("sorcerer", 9))
    assert ceiling[1] == 10 and ceiling[5] == 1 and ceiling[4] == 3  # learned at 9th; at 7th, 8th and 9th
    with_swaps = spells.ceilings(spells.ladder("bard", 3), swaps=True)
    assert with_swaps[2] == 2  # the 3rd-level spell, and one swapped in at 3rd level
    assert spells.too_high([2, 2, 2, 1, 1, 1], with_swaps) == 2
    assert spells.too_high([2, 2, 1, 1, 1, 1], with_swaps) is None


def test_prepared_casters_spread_their_preparations_over_their_slot_levels():
    _, entries, _ = settled(4, "cleric", 9, wis=18)  # 4 + 9 = 13 prepared; slots 4/3/3/3/1
    prepared = [e.level for e in entries if e.level and not e.always_prepared]
    assert len(prepared) == 13
    assert [prepared.count(k) for k in range(1, 6)] == [3, 3, 3, 3, 1]


def test_quotas_follow_slots_and_room():
    assert spell_picks._quotas(8, {1: 4, 2: 3, 3: 2}, {1: 20, 2: 20, 3: 20}) == {1: 3, 2: 3, 3: 2}
    assert spell_picks._quotas(8, {1: 4, 2: 3, 3: 2}, {1: 20, 2: 20, 3: 1}) == {1: 4, 2: 3, 3: 1}
    assert sum(spell_picks._quotas(25, dict(enumerate([4, 3, 3, 3, 3, 2, 2, 1, 1], 1)),
                                   dict.fromkeys(range(1, 10), 9)).values()) == 25


# -- the wizard's spellbook ------------------------------------------------------------------------------


def test_a_wizards_spellbook_holds_six_then_two_a_level_and_its_prepared_spells():
    assert spells.spellbook_size(1) == 6 and spells.spellbook_size(20) == 44
    for level in (1, 2, 5, 11, 20):
        book = spell_picks.spellbook(3, level)
        assert len(book) == len(set(book)) == spells.spellbook_size(level)
        assert spells.too_high([PACK.spells[i].level for i in book],
                               spells.ceilings(spells.spellbook_ladder(level))) is None
        _, entries, _ = settled(3, "wizard", level, int=16)
        prepared = {index_of(e.name) for e in entries if e.level}
        assert prepared <= set(book) and len(prepared) == 3 + level
        assert spell_picks.spellbook(3, level, sorted(prepared)) == book
    assert {PACK.spells[i].level for i in spell_picks.spellbook(3, 1)} == {1}


def test_the_sheets_spellbook_is_the_one_the_prepared_spells_came_from():
    _, entries, _ = settled(6, "wizard", 9, int=18)
    book = spell_picks.spellbook_entries(6, "wizard", 9, entries)
    assert [e.name for e in book] == sorted(names(spell_picks.spellbook(6, 9)), key=lambda n: (
        PACK.spells[index_of(n)].level, n))
    assert {e.name for e in entries if e.level} <= {e.name for e in book} and len(book) == 22
    assert spell_picks.spellbook_entries(6, "sorcerer", 9, entries) == []


def test_a_providers_prepared_spells_are_written_into_the_spellbook():
    book = spell_picks.spellbook(8, 5)
    wanted = [i for i in ("fireball", "counterspell", "magic-missile", "shield") if i not in book][:2]
    assert wanted, "seed 8 already has these"
    answer = SpellsAnswer(cantrips=[], spells=names(wanted))
    _, entries, repairs = settled(8, "wizard", 5, answer, int=16)
    prepared = [index_of(e.name) for e in entries if e.level]
    new_book = spell_picks.spellbook(8, 5, prepared)
    assert set(wanted) <= set(prepared) <= set(new_book) and len(new_book) == spells.spellbook_size(5)
    assert spell_picks.spellbook(8, 5, wanted) == new_book  # the caller can rebuild it from the prepared list
    assert all(r.action.startswith("added") for r in repairs)


def test_a_wizard_cannot_prepare_more_high_spells_than_its_book_could_hold():
    # Level 5: the book got 2 spells while 3rd level was castable.
    answer = SpellsAnswer(cantrips=[], spells=["Fireball", "Counterspell", "Fly", "Haste"])
    _, entries, repairs = settled(2, "wizard", 5, answer, int=16)
    assert sum(e.level == 3 for e in entries) == 2
    assert sum(r.action == "dropped" for r in repairs) == 2


# -- settling a provider's picks -----------------------------------------------------------------------------


def test_an_empty_answer_settles_into_the_suggestion():
    for class_index, level in (("bard", 6), ("cleric", 5), ("warlock", 13), ("wizard", 9), ("ranger", 4)):
        _, suggested, no_repairs = settled(5, class_index, level)
        _, filled, repairs = settled(5, class_index, level, SpellsAnswer(cantrips=[], spells=[]))
        assert filled == suggested and no_repairs == []
        assert all(r.problem.startswith("too few") for r in repairs)


def test_a_known_caster_keeps_only_what_it_could_have_learned():
    # A level-3 bard: five 2nd-level spells are more than it could have learned (one) and swapped in (one).
    answer = SpellsAnswer(cantrips=[], spells=["Shatter", "Silence", "Suggestion", "Invisibility", "Hold Person"])
    _, entries, repairs = settled(1, "bard", 3, answer, cha=16)
    assert [e.level for e in entries if e.level].count(2) == 2
    assert [r.action for r in repairs].count("dropped") == 3


def test_any_providers_picks_settle_into_spells_the_audit_accepts():
    import random
    from types import SimpleNamespace

    names_ = sorted(s.name for s in PACK.spells.values())
    for class_index in CASTERS:
        for level in (1, 2, 3, 6, 10, 14, 19):
            for seed in range(3):
                rng = random.Random(f"{class_index}{level}{seed}")
                answer = SpellsAnswer(cantrips=rng.sample(names_, 4), spells=rng.sample(names_, 25))
                groups, entries, _ = settled(seed, class_index, level, answer)
                character = SimpleNamespace(class_name=class_index, level=level, spells=entries, spellbook=[])
                assert _audit_spells(character, groups) == [], (class_index, level, seed)


def test_the_offline_provider_takes_the_briefs_suggestions():
    plan = planning.plan(CharacterSpec(class_name="druid", level=4, seed=12))
    brief = planning.brief(plan, taken_names=[])
    answer = OfflineProvider().answer("spells", brief)
    for choice in brief.spell_choices:
        assert len(choice.suggested) == choice.count and set(choice.suggested) <= set(choice.options)
    assert answer["cantrips"] == brief.spell_choices[0].suggested
    assert answer["spells"] == brief.spell_choices[1].suggested
    for class_index, level in (("bard", 6), ("warlock", 11), ("cleric", 3)):
        brief = planning.brief(planning.plan(CharacterSpec(class_name=class_index, level=level, seed=5)),
                               taken_names=[])
        for choice in brief.spell_choices:
            assert len(choice.suggested) == choice.count and set(choice.suggested) <= set(choice.options), choice.label


def test_picks_are_seeded():
    groups = spells.spell_groups("sorcerer", 12, abilities(cha=18))
    assert spell_picks.choose(1, "sorcerer", 12, groups) == spell_picks.choose(1, "sorcerer", 12, groups)
    assert any(spell_picks.choose(s, "sorcerer", 12, groups) != spell_picks.choose(1, "sorcerer", 12, groups)
               for s in range(2, 6))


def test_a_bards_magical_secrets_come_from_other_classes():
    # Magical Secrets (Bard 10, 14, 18): two of the spells known each time, from any class.
    groups = spells.spell_groups("bard", 10, abilities(cha=16))
    known = spell_picks.choose(4, "bard", 10, groups)[spells.KNOWN]
    own = spells.class_list("bard", 10)
    assert len(known) == 14 and sum(i not in own for i in known) == 2
    # A provider's picks from other classes: as many as the secrets allow (the Lore bard's extra two take
    # spells of 3rd level at most, learned at 6th), the rest dropped as off the list.
    answer = SpellsAnswer(cantrips=[], spells=["Cone of Cold", "Wall of Force", "Flame Strike", "Banishment"])
    _, entries, repairs = settled(4, "bard", 10, answer, cha=16)
    assert {"Cone of Cold", "Wall of Force"} <= {e.name for e in entries}
    assert [r.problem for r in repairs if r.action == "dropped"] == [
        "'Flame Strike' is not on the bard list", "'Banishment' is not on the bard list"]


@needs_subclass_spells
def test_a_lore_bard_learns_two_more_spells_from_any_class_at_6th_level():
    assert all(g.label != spells.SECRETS for g in spells.spell_groups("bard", 5, abilities(cha=16)))
    groups = spells.spell_groups("bard", 6, abilities(cha=16))
    secrets = next(g for g in groups if g.label == spells.SECRETS)
    assert secrets.count == 2 and secrets.levels == frozenset({0, 1, 2, 3})  # what a 6th-level bard can cast
    picks = spell_picks.choose(0, "bard", 6, groups)[spells.SECRETS]
    assert not set(picks) & spells.class_list("bard", 6) and all(1 <= PACK.spells[i].level <= 3 for i in picks)
    assert spell_problems(npc(class_name="bard", level=14, seed=3)) == []


# -- subclass spells -----------------------------------------------------------------------------------------


@needs_subclass_spells
def test_life_domain_spells_are_always_prepared_and_not_counted():
    _, entries, _ = settled(2, "cleric", 1, wis=16)
    fixed = {e.name for e in entries if e.always_prepared}
    assert fixed == {"Bless", "Cure Wounds"}
    prepared = [e for e in entries if e.level and not e.always_prepared]
    assert len(prepared) == 3 + 1 and not fixed & {e.name for e in prepared}
    assert "Healing Word" in {e.name for e in prepared}  # the healer's healing spell is not the domain's
    _, entries5, _ = settled(2, "cleric", 5, wis=16)
    assert {"Revivify", "Spiritual Weapon"} <= {e.name for e in entries5 if e.always_prepared}


@needs_subclass_spells
def test_oath_spells_start_with_the_oath_and_circle_spells_follow_the_land():
    assert not any(e.always_prepared for e in settled(0, "paladin", 2, cha=16)[1])
    assert {e.name for e in settled(0, "paladin", 3, cha=16)[1] if e.always_prepared} == {
        "Protection from Evil and Good", "Sanctuary"}
    assert not any(e.always_prepared for e in settled(0, "druid", 2, wis=16)[1])
    lands = set()
    for seed in range(30):
        land = spell_picks.land(seed, "druid")
        fixed = {spells_index for spells_index in spell_picks.always_prepared(seed, "druid", 3)}
        assert fixed == set(PACK.features[land].spells[3])
        lands.add(land)
    assert lands == set(spells.lands("druid")) and len(lands) == 7


@needs_subclass_spells
def test_the_fiends_expanded_spells_join_the_warlocks_options():
    assert "fireball" not in spells.candidates("warlock", frozenset({3}))
    assert "fireball" in spell_picks.options(0, "warlock", 5, frozenset({1, 2, 3}))
    assert "fireball" not in spell_picks.options(0, "warlock", 4, frozenset({1, 2}))
    _, entries, repairs = settled(0, "warlock", 5, SpellsAnswer(cantrips=[], spells=["Fireball"]), cha=16)
    assert "Fireball" in {e.name for e in entries} and not any(e.always_prepared for e in entries)
    assert not any(r.action == "dropped" for r in repairs)


@needs_subclass_spells
def test_the_audit_accepts_subclass_spells_and_flags_wrong_ones():
    for class_index, level in (("cleric", 5), ("druid", 9), ("paladin", 13), ("warlock", 9), ("wizard", 7)):
        character = npc(class_name=class_index, level=level, seed=21)
        assert spell_problems(character) == [], class_index
    cleric = npc(class_name="cleric", level=3, seed=4)
    dropped = cleric.model_copy(update={"spells": [e for e in cleric.spells if e.name != "Bless"]})
    assert any("always-prepared" in p for p in spell_problems(dropped))
    flagged = [e.model_copy(update={"always_prepared": True}) if e.level == 2 and not e.always_prepared else e
               for e in cleric.spells]
    assert spell_problems(cleric.model_copy(update={"spells": flagged})) != []


def test_the_audit_flags_spells_a_known_caster_could_not_have_learned():
    bard = npc(class_name="bard", level=3, seed=2)
    assert spell_problems(bard) == []
    cantrips = [e for e in bard.spells if e.level == 0]
    known = spell_picks.entries(["healing-word", "sleep", "charm-person", "shatter", "silence", "suggestion"])
    assert spell_problems(bard.model_copy(update={"spells": cantrips + known})) == [
        "more spells known of level 2+ than a level-3 bard could have learned"]


# -- every class, every level -------------------------------------------------------------------------------


def test_every_class_and_level_picks_legal_plausible_spells():
    for class_index in CLASSES:
        for level in range(1, 21):
            for seed in (0, 1, 7):
                groups, entries, repairs = settled(seed, class_index, level)
                _check(seed, class_index, level, groups, entries)
                assert repairs == [], (class_index, level, seed)


def _check(seed, class_index, level, groups, entries):
    where = (class_index, level, seed)
    picks = spell_picks.choose(seed, class_index, level, groups)
    chosen = [index_of(e.name) for e in entries if not e.always_prepared]
    fixed = {index_of(e.name) for e in entries if e.always_prepared}
    assert fixed == set(spell_picks.always_prepared(seed, class_index, level)), where
    assert sorted(chosen) == sorted(i for p in picks.values() for i in p), where  # the suggestion, settled as is
    assert len(chosen) == len(set(chosen)) and not fixed & set(chosen), where
    for group in groups:  # the counts, each spell castable and on the list (or a Magical Secret), learnable
        assert len(picks[group.label]) == group.count, where
        for n, index in enumerate(picks[group.label]):
            assert spell_picks.accepts(class_index, level, group, picks[group.label][:n], index), (where, index)
    own = spells.class_list(class_index, level)
    assert sum(i not in own for i in chosen) <= (spells.secrets_known(class_index, level)
                                                 + spells.additional_secrets(class_index, level)), where
    levels = [PACK.spells[i].level for i in picks.get(spells.KNOWN, picks.get(spells.PREPARED, []))]
    if spells.KNOWN in picks:  # learned level by level, without swaps
        assert spells.too_high(levels, spells.ceilings(spells.ladder(class_index, level))) is None, where
    top = spells.max_spell_level(class_index, level)
    if spells.PREPARED in picks and len(levels) >= 4 and top > 1:
        assert levels.count(top) <= len(levels) / 2, where  # a mix, not all top-level
    if spells.CANTRIPS in picks:
        assert set(chosen) & DAMAGING_CANTRIPS, where
    if class_index == "warlock":
        assert "eldritch-blast" in chosen, where
    if class_index in HEALERS and 1 in levels:
        assert set(chosen) & HEALING, where
    if class_index == "wizard" and levels:
        book = spell_picks.spellbook(seed, level, chosen)
        assert len(book) == 6 + 2 * (level - 1) and set(picks[spells.PREPARED]) <= set(book), where
