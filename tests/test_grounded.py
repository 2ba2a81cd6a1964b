"""Grounded generation: whatever a model answers, the character is legal, faithful and reproducible."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from charforge.config import RetrySettings, resolve
from charforge.models import CharacterSpec
from charforge.rules.legality import audit
from charforge.rules.pack import load
from charforge.service import CharacterService
from fake_llm import FakeLLM, max_tokens
from fake_llm import fake_llm as fake_llm

PACK = load()
CLASSES = sorted(PACK.classes)
INVENTED_SPELLS = ["Eldritch Sneeze", "Chromatic Torrent", "Mordenkainen's Lawnmower", "Wish", "Meteor Swarm"]
INVENTED_ITEMS = ["Vorpal Toothpick", "Bag of Infinite Rations", "Plate Armor", "Potion of Vast Healing"]


def story(name: str = "Ansel Marrow") -> dict:
    return {"name": name, "alignment": "neutral-good", "concept": "a lamplighter who counts the dark",
            "background": {"origin": "lamplighter", "early_life": "A.", "pivotal_moments": "B.",
                           "recent_history": "C.", "unresolved_mysteries": "D.", "personality_traits": ["E"],
                           "ideals": ["F"], "bonds": ["G"], "flaws": ["H"], "appearance": "I.", "hooks": ["J"]}}


def inventive(kind: str, body: dict) -> dict:
    """A model that answers the schema with invented, misspelt and out-of-level picks, and quantities."""
    rng = random.Random(json.dumps(body["messages"], sort_keys=True))
    real = rng.sample(sorted(s.name for s in PACK.spells.values()), 6)
    misspelt = [name[:-1] + name[-1].upper() + "e" for name in rng.sample(real, 2)]
    return {**story(), "purchases": [{"name": n, "quantity": rng.randint(1, 30)} for n in INVENTED_ITEMS]
            + [{"name": "Lanturn, hooded", "quantity": 1}, {"name": "Rope, hempen (50 feet)", "quantity": 999}],
            "trinkets": ["a jar of bottled thunder"], "cantrips": INVENTED_SPELLS[:2] + real[:4],
            "spells": INVENTED_SPELLS + misspelt + real, "portrait": "A lamplighter at dusk."}


@pytest.fixture
def service_with(fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)

    def make() -> CharacterService:
        settings = resolve().settings.model_copy(update={"provider": "anthropic",
                                                         "retry": RetrySettings(backoff=0.01, max_wait=0.05)})
        return CharacterService.from_settings(settings)[0]

    return make


def test_a_hundred_characters_from_an_inventive_model_are_all_legal(fake_llm: FakeLLM, service_with):
    fake_llm.answer_for = inventive
    service = service_with()
    for i in range(100):
        character = service.npc(CharacterSpec(class_name=CLASSES[i % 12], level=1 + (i * 7) % 20, seed=i))
        assert audit(character) == [], (i, audit(character))
        problems = " | ".join(r.problem for r in character.provenance.repairs)
        assert "'Vorpal Toothpick' is not SRD equipment" in problems
        if character.spellcasting and character.spells:
            assert "'Eldritch Sneeze' is not an SRD spell" in problems
        assert character.total_cost_gp <= character.budget_gp
    assert len(fake_llm.requests) == 200  # each character: an answer, then one repair round


def test_the_repair_round_sends_the_problems_back(fake_llm: FakeLLM, service_with):
    fake_llm.answer_for = inventive
    service_with().npc(CharacterSpec(class_name="wizard", level=3, seed=1))
    first, second = fake_llm.requests
    note = second.body["messages"][0]["content"]
    assert "A rules check found these problems" in note and "Eldritch Sneeze" in note
    assert "Your previous answer was" not in first.body["messages"][0]["content"]


@pytest.mark.parametrize("case", ["near misses", "wrong levels", "too many cantrips", "changed name"])
def test_other_kinds_of_wrong_answers(fake_llm: FakeLLM, service_with, case):
    answer = {**story(), "purchases": [], "trinkets": [], "cantrips": [], "spells": [], "portrait": "p"}
    if case == "near misses":
        answer |= {"cantrips": ["Fire Bolt", "Mage hand", "Lihgt"], "spells": ["Magic Misile", "Sheild", "Slep"],
                   "purchases": [{"name": "rope hempen 50 feet", "quantity": 1}]}
    elif case == "wrong levels":
        answer |= {"cantrips": ["Fire Bolt"], "spells": ["Fireball", "Wish", "Cure Wounds", "Magic Missile"]}
    elif case == "too many cantrips":
        answer |= {"cantrips": ["Fire Bolt", "Light", "Mage Hand", "Ray of Frost", "Shocking Grasp", "Message"]}
    fake_llm.answers["npc"] = answer
    spec = CharacterSpec(class_name="wizard", level=1, seed=4, name="Given Name" if case == "changed name" else None)
    character = service_with().npc(spec)
    assert audit(character) == []
    assert character.provenance.repairs
    names = {s.name for s in character.spells}
    if case == "near misses":
        assert {"Light", "Mage Hand", "Magic Missile", "Shield", "Sleep"} <= names
        assert any(e.name == "Rope, hempen (50 feet)" for e in character.equipment)
    if case == "wrong levels":
        assert "Fireball" not in names and "Wish" not in names and "Magic Missile" in names
    if case == "too many cantrips":
        assert sum(1 for s in character.spells if s.level == 0) == 3
    if case == "changed name":
        assert character.name == "Given Name"


def test_cut_off_answers_are_asked_again_with_more_room(fake_llm: FakeLLM, service_with):
    fake_llm.script(max_tokens())
    service_with().background(CharacterSpec(seed=1))
    first, second = fake_llm.requests
    assert second.body["max_tokens"] == 2 * first.body["max_tokens"]


def run(args: list[str], home, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    result = subprocess.run([sys.executable, "-m", "charforge", *args], capture_output=True, text=True, timeout=60,
                            env={**environ, "CHARFORGE_HOME": str(home), **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_offline_npc_is_byte_identical_across_processes_and_replays(charforge_home, tmp_path):
    args = ["npc", "--seed", "2024", "--class", "druid", "--level", "7", "--format", "json"]
    first = run(args, charforge_home, PYTHONHASHSEED="1")
    assert run(args, charforge_home, PYTHONHASHSEED="987") == first  # nothing depends on hash randomisation
    saved = tmp_path / "druid.json"
    saved.write_text(first)
    assert run(["npc", "--replay", str(saved), "--format", "json"], charforge_home) == first


def test_replay_of_an_llm_character_sends_the_same_inputs(cli, fake_llm: FakeLLM, monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_url)
    fake_llm.answers["spells"] = {"cantrips": [], "spells": []}
    saved = tmp_path / "npc.json"
    assert cli("npc", "--provider", "openai", "--class", "rogue", "--seed", "8", "-f", "json", "-o", str(saved),
               "--model", "gpt-5.4-mini").exit_code == 0
    monkeypatch.delenv("CHARFORGE_PROVIDER", raising=False)
    assert cli("npc", "--replay", str(saved), "-f", "json").exit_code == 0
    first, second = fake_llm.requests[0].body, fake_llm.requests[-1].body
    assert first == second and second["model"] == "gpt-5.4-mini"


def test_replay_refuses_what_it_cannot_use(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x"}')
    result = cli("npc", "--replay", str(bad))
    assert result.exit_code == 2 and "not a charforge character document" in result.stderr
    spells = cli("spells", "--replay", str(bad))  # the per-command split: only npc has --replay
    assert spells.exit_code == 2 and "No such option" in spells.stderr and spells.stdout == ""


SETTING = """\
name: Saltmarrow Reach
place: a fishing town on a tidal marsh
era: the year the dykes broke
tone: damp and stubborn
places: [the Lantern Steps, Gullet Quay, the Drowned Chapel]
factions: [the Tidewardens, the Eel-Tithe Collectors]
ancestry_weights: {halfling: 5, human: 3, hill-dwarf: 1}
naming: plain marsh names, often after tools or weather
npcs:
  - {name: Oda Brinecombe, role: harbourmaster}
"""


def test_setting_canon_shapes_offline_characters_and_keeps_two_hundred_names_distinct(charforge_home, tmp_path):
    town = tmp_path / "town.yaml"
    town.write_text(SETTING)
    names, ancestries, stories = [], [], []
    for run_no in range(4):  # four separate runs share the setting's name registry
        service = CharacterService.from_settings(resolve().settings)[0]
        for i in range(50):
            character = service.npc(CharacterSpec(seed=1000 * run_no + i, setting=str(town)))
            names.append(character.name)
            ancestries.append(character.ancestry)
            stories.append(character.background.model_dump_json())
    assert len(set(names)) == 200 and "Oda Brinecombe" not in names
    assert set(ancestries) <= {"halfling", "lightfoot-halfling", "human", "hill-dwarf"}
    assert sum("Tidewardens" in s or "Eel-Tithe" in s for s in stories) > 50
    assert sum("Gullet Quay" in s or "Lantern Steps" in s or "Drowned Chapel" in s for s in stories) > 100


def test_setting_canon_reaches_the_model_and_llm_names_stay_unique(cli, fake_llm: FakeLLM, tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)
    town = tmp_path / "town.yaml"
    town.write_text(SETTING)
    fake_llm.answers["npc"] = {**story("Oda Brinecombe"), "purchases": [], "trinkets": [], "cantrips": [],
                               "spells": [], "portrait": "p"}
    dry = json.loads(cli("npc", "--setting", str(town), "--dry-run", "-f", "json").stdout)["user"]
    assert "This is canon: do not contradict it" in dry and "the Tidewardens" in dry and "Oda Brinecombe" in dry
    docs = [cli.json("npc", "--setting", str(town), "--class", "fighter", "--seed", str(i)) for i in range(3)]
    names = [d["name"] for d in docs]
    assert len(set(names)) == 3 and "Oda Brinecombe" not in names
    assert all(any(r["field"] == "name" for r in d["provenance"]["repairs"]) for d in docs)


def test_bad_setting_files(cli, tmp_path):
    town = tmp_path / "town.yaml"
    town.write_text("name: X\ncolour: blue\n")
    result = cli("npc", "--setting", str(town))
    assert result.exit_code == 2 and "colour: unknown key" in result.stderr
    town.write_text("name: X\nancestry_weights: {orc: 1}\n")
    assert "unknown ancestry 'orc'" in cli("npc", "--setting", str(town)).stderr
    assert cli("npc", "--setting", str(tmp_path / "missing.yaml")).exit_code == 2
    assert cli("npc", "--setting", "a foggy river town", "--seed", "1").exit_code == 0  # plain words still work
