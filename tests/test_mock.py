"""A provider that invents things: every answer is validated and repaired into a legal character."""

from __future__ import annotations

import json

import pytest

from charforge.config import MockSettings, Settings
from charforge.errors import ExitCode, GenerationError, ProviderError
from charforge.models import CharacterSpec
from charforge.providers.mock import MockProvider
from charforge.rules.legality import audit
from charforge.service import CharacterService
from charforge.service.salvage import FILLED


def service(scenario: str = "default", fail: list[str] | None = None) -> CharacterService:
    return CharacterService(MockProvider(scenario=scenario, fail=fail))


@pytest.mark.parametrize("class_name", ["wizard", "sorcerer", "cleric", "fighter", "warlock"])
@pytest.mark.parametrize("level", [1, 3, 9, 17])
def test_invented_spells_and_items_are_repaired_into_a_legal_character(class_name, level):
    character = service("invented").npc(CharacterSpec(class_name=class_name, level=level, seed=level))
    assert audit(character) == []
    problems = " | ".join(r.problem for r in character.provenance.repairs)
    assert "'Vorpal Toothpick' is not SRD equipment" in problems
    if character.spells:
        assert "'Eldritch Sneeze' is not an SRD spell" in problems


def test_near_misses_are_read_as_the_real_thing():
    character = service("invented").npc(CharacterSpec(class_name="wizard", level=3, seed=1))
    actions = [r.action for r in character.provenance.repairs]
    assert "read as 'Magic Missile'" in actions
    assert "read as 'Lantern, hooded'" in actions
    assert any(s.name == "Magic Missile" for s in character.spells)


def test_the_providers_name_is_replaced_by_the_users():
    character = service().npc(CharacterSpec(name="Odile Marsh", class_name="rogue", seed=2))
    assert character.name == "Odile Marsh"
    assert any(r.field == "name" for r in character.provenance.repairs)


def test_mock_records_requests_with_the_legal_options():
    mock = MockProvider()
    CharacterService(mock).spells(CharacterSpec(class_name="wizard", level=5, seed=1))
    request = mock.history[0]  # a second request is the repair round: the fixture lacks a cantrip
    assert request.kind == "spells" and "Task: spells" in request.user
    assert {c.label for c in request.brief.spell_choices} == {"cantrips", "prepared spells"}
    assert "Fireball" in next(c for c in request.brief.spell_choices if c.label == "prepared spells").options


@pytest.mark.parametrize("fault", ["rate_limit", "server_error", "timeout", "auth"])
def test_transport_faults_are_provider_errors(fault):
    with pytest.raises(ProviderError):
        service(fail=[fault]).background(CharacterSpec(seed=1))


@pytest.mark.parametrize("fault", ["bad_json", "wrong_shape"])
def test_unusable_answers_are_asked_again_then_filled_or_refused_under_strict(fault):
    svc = service(fail=[fault])
    assert svc.background(CharacterSpec(seed=1)).name == "Wren Halloway"  # the correction was whole
    assert len(svc.provider.history) == 2 and svc.notices == []
    svc = service(fail=[fault, fault])
    document = svc.background(CharacterSpec(seed=1))
    assert {r.action for r in document.provenance.repairs} >= {FILLED}
    assert svc.notices[0].startswith("14 of 14 background fields came from the offline generator")
    with pytest.raises(GenerationError, match="--strict: 14 of 14 background fields"):
        CharacterService(MockProvider(fail=[fault, fault]), Settings(strict=True)).background(CharacterSpec(seed=1))


def test_faults_are_consumed_one_per_call():
    svc = service(fail=["ok", "bad_json"])
    svc.background(CharacterSpec(seed=1))
    assert len(svc.provider.history) == 1
    svc.background(CharacterSpec(seed=2))  # bad JSON, then the correction round
    assert len(svc.provider.history) == 3 and svc.provider.fail == []


def test_cli_exit_codes_for_mock_faults(cli):
    result = cli("npc", "--provider", "mock", "--seed", "1", env={"CHARFORGE_MOCK_FAIL": "rate_limit"})
    assert (result.exit_code, result.stdout) == (ExitCode.PROVIDER, "")
    assert result.stderr.startswith("error: mock: 429")
    result = cli("npc", "--provider", "mock", "--seed", "1", env={"CHARFORGE_MOCK_FAIL": "bad_json,bad_json"})
    assert result.exit_code == 0 and "17 of 19 npc fields came from the offline generator" in result.stderr
    result = cli("npc", "--provider", "mock", "--seed", "1", "--strict",
                 env={"CHARFORGE_MOCK_FAIL": "bad_json,bad_json"})
    assert result.exit_code == ExitCode.GENERATION and "--strict: 17 of 19 npc fields" in result.stderr
    result = cli("npc", "--provider", "mock", env={"CHARFORGE_MOCK_FAIL": "explode"})
    assert result.exit_code == ExitCode.CONFIG and "unknown mock fault" in result.stderr
    doc = json.loads(cli("npc", "--provider", "mock", "--format", "json", "--seed", "1",
                         env={"CHARFORGE_MOCK_SCENARIO": "invented"}).stdout)
    assert doc["provenance"]["provider"] == "mock" and doc["provenance"]["repairs"]


def test_settings_select_mock():
    svc, notice = CharacterService.from_settings(Settings(provider="mock", mock=MockSettings(scenario="invented")))
    assert svc.provider.name == "mock" and notice is None
