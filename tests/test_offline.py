"""The offline provider: deterministic, varied, legal, and distinct names within a batch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from charforge.models import Character, CharacterSpec
from charforge.providers.offline import OfflineProvider
from charforge.rules import stats
from charforge.rules.legality import audit
from charforge.rules.pack import load
from charforge.service import CharacterService

ROOT = Path(__file__).resolve().parents[1]
CLASSES = sorted(load().classes)


def npc(**fields) -> Character:
    return CharacterService(OfflineProvider()).npc(CharacterSpec(**fields))


def test_bench_script_audits_a_batch_across_classes_and_levels():
    result = subprocess.run([sys.executable, "bench/offline_npcs.py", "--count", "72", "--batch", "72"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"problems": 0' in result.stdout


def test_two_hundred_names_in_one_batch_are_distinct():
    service = CharacterService(OfflineProvider())
    names = [service.background(CharacterSpec(seed=seed, ancestry="dwarf")).name for seed in range(200)]
    assert len(set(names)) == 200


def test_stories_do_not_read_alike():
    stories = [npc(seed=seed, class_name="fighter").background for seed in range(40)]
    for section in ("early_life", "pivotal_moments", "recent_history", "unresolved_mysteries"):
        assert len({getattr(s, section) for s in stories}) == 40, section
    openings = {s.early_life.split(".")[0].split(" ", 1)[1] for s in stories}
    assert len(openings) > 25


def test_lengths_change_how_much_is_written():
    quick, full = npc(seed=3, length="quick").background, npc(seed=3, length="full").background
    assert len(full.early_life) > len(quick.early_life)
    assert len(full.hooks) > len(quick.hooks)


def test_no_template_slot_leaks_into_prose():
    for seed in range(60):
        text = npc(seed=seed).model_dump_json()
        assert "{" not in text.replace('{"', "").replace("{}", ""), seed


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(CLASSES), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_any_class_level_and_seed_is_legal_and_reproducible(class_name, level, seed):
    first = npc(class_name=class_name, level=level, seed=seed)
    assert audit(first) == []
    assert first.provenance.repairs == []
    assert npc(class_name=class_name, level=level, seed=seed) == first


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(CLASSES), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_character_survives_json(class_name, level, seed):
    character = npc(class_name=class_name, level=level, seed=seed)
    assert Character.model_validate_json(character.model_dump_json()) == character


def test_sheet_uses_the_rules_numbers():
    character = npc(class_name="wizard", ancestry="hill-dwarf", level=5, seed=9)
    race, klass = load().races["hill-dwarf"], load().classes["wizard"]
    assert character.hp == stats.hit_points(klass, race, 5, character.abilities.con)
    assert character.proficiency_bonus == 3
    assert character.spellcasting.slots == [4, 3, 2, 0, 0, 0, 0, 0, 0]


def test_a_full_story_moves_between_places_and_does_not_repeat_its_concept():
    for seed in range(20):
        story = npc(seed=seed, length="full").background
        text = " ".join(getattr(story, s) for s in ("early_life", "pivotal_moments", "recent_history",
                                                    "unresolved_mysteries"))
        character = npc(seed=seed, length="full")
        assert text.count(character.concept) <= 2, seed
