"""Anthropic, OpenAI and OpenAI-compatible providers: the real SDKs against a fake server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from charforge.config import RetrySettings, Settings, resolve
from charforge.errors import ExitCode, FilledAnswerError, ProviderAuthError, ProviderTransientError
from charforge.models import CharacterSpec
from charforge.providers import resilience
from charforge.providers.hosted import HostedProvider
from charforge.providers.resilience import RateLimiter
from charforge.rules.legality import audit
from charforge.service import CharacterService
from fake_llm import FakeLLM, answer, bad_request, not_found, overloaded, rate_limit, server_error, text, unauthorized
from fake_llm import fake_llm as fake_llm

KEY = "sk-test-0123456789abcdef-SECRET"


@pytest.fixture
def anthropic_env(fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)
    return fake_llm


@pytest.fixture
def openai_env(fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_url)
    return fake_llm


class FakeClock:
    """The retry loop's and the limiter's clock: sleeping moves it on at once and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch):
    """Every hosted provider built in this test waits on a fake clock: retries and limiter waits alike."""
    clock = FakeClock()
    monkeypatch.setattr(HostedProvider, "sleep", staticmethod(clock.sleep))
    monkeypatch.setattr(HostedProvider, "clock", staticmethod(clock))
    resilience.use_limiter_factory(lambda provider, model, *, rpm, tpm, read_headers:
                                   RateLimiter(rpm=rpm, tpm=tpm, clock=clock, sleep=clock.sleep))
    yield clock
    resilience.use_limiter_factory(None)


def fast_settings(**changes) -> Settings:
    """Settings from the environment, but waiting milliseconds, not seconds, between attempts."""
    return resolve().settings.model_copy(update={"retry": RetrySettings(backoff=0.01, max_wait=0.05), **changes})


@pytest.mark.parametrize(("provider", "model"), [("anthropic", "claude-sonnet-5-5"), ("openai", "gpt-5.5")])
def test_npc_through_each_sdk(cli, anthropic_env, openai_env, provider, model):
    result = cli("npc", "--provider", provider, "--class", "wizard", "--level", "3", "--seed", "9", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["provenance"]["provider"], doc["provenance"]["model"]) == (provider, model)
    assert doc["name"] == "Wren Halloway"  # the fake's canned story
    assert doc["spells"] and all(s["level"] <= 2 for s in doc["spells"])
    paths = {r.path for r in anthropic_env.requests}
    assert paths == ({"/v1/messages"} if provider == "anthropic" else {"/v1/chat/completions"})
    first = anthropic_env.requests[0]
    if provider == "anthropic":
        assert first.body["tool_choice"] == {"type": "tool", "name": "npc"}  # one call for the whole character
        assert "<character>" in first.body["messages"][0]["content"]  # the Anthropic variant of the template
    else:
        assert first.body["response_format"]["type"] == "json_schema"
        assert first.body["seed"] == 9
    assert first.headers.get("x-stainless-retry-count") == "0"


def test_npc_through_an_openai_compatible_server(cli, fake_llm):
    result = cli("npc", "--provider", "openai-compatible", "--base-url", fake_llm.openai_url, "--model", "gpt-5.5",
                 "--seed", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    provenance = json.loads(result.stdout)["provenance"]
    assert (provenance["provider"], provenance["model"]) == ("openai-compatible", "gpt-5.5")
    assert fake_llm.requests[0].path == "/v1/chat/completions" and "max_tokens" in fake_llm.requests[0].body


def test_auto_picks_the_provider_with_a_key(cli, anthropic_env):
    doc = cli.json("background", "--seed", "1")
    assert doc["provenance"]["provider"] == "anthropic"


def test_openai_compatible_falls_back_when_json_schema_is_rejected(cli, fake_llm):
    fake_llm.reject_json_schema = True
    result = cli("spells", "--provider", "openai-compatible", "--base-url", fake_llm.openai_url, "--model", "gpt-5.5",
                 "--class", "cleric", "--level", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    formats = [(r.body.get("response_format") or {}).get("type") for r in fake_llm.requests]
    assert formats[:2] == ["json_schema", "json_object"] and set(formats[2:]) <= {"json_object"}
    assert "JSON Schema" in fake_llm.requests[1].body["messages"][0]["content"]
    assert "max_tokens" in fake_llm.requests[1].body


def test_transient_failures_are_retried_until_success(anthropic_env):
    anthropic_env.fail_randomly(0.3, seed=7, slow_seconds=1.0)
    service, _ = CharacterService.from_settings(fast_settings(provider="anthropic", timeout=0.3))
    for seed in range(50):
        doc = service.background(CharacterSpec(seed=seed))
        assert doc.provenance.provider == "anthropic"
    attempts = [call.attempts for call in service.calls]
    failed = [r for r in anthropic_env.requests if r.step != "ok"]
    assert len(failed) >= 10 and sum(attempts) == len(anthropic_env.requests)
    assert max(attempts) > 1 and all(call.error is None for call in service.calls)


def test_retry_after_is_honoured_and_capped(anthropic_env, fake_time, caplog):
    anthropic_env.script(rate_limit(retry_after=0.4), overloaded(), server_error(503))
    service, _ = CharacterService.from_settings(
        fast_settings(provider="anthropic", retry=RetrySettings(backoff=0.01, max_wait=0.3)))
    with caplog.at_level("INFO", logger="charforge"):
        service.background(CharacterSpec(seed=1))
    assert [r.step for r in anthropic_env.requests] == ["rate_limit", "overloaded", "server_error", "ok"]
    assert fake_time.slept[0] == pytest.approx(0.3)  # asked for 0.4 s, capped at max_wait 0.3 s
    assert len(fake_time.slept) == 3 and fake_time.slept[1] <= 0.02 and fake_time.slept[2] <= 0.04  # backoff
    assert "retrying in" in caplog.text and "status 429" in caplog.text


def test_malformed_json_is_retried_then_reported(anthropic_env):
    anthropic_env.script(text("not json {"))
    service, _ = CharacterService.from_settings(fast_settings(provider="anthropic"))
    assert service.background(CharacterSpec(seed=1)).name == "Wren Halloway"
    anthropic_env.script(*[text("still not json")] * 6)  # every attempt: the service asks once more, and gets it
    repairs = service.background(CharacterSpec(seed=1)).provenance.repairs
    assert repairs[0].action == "asked the provider to correct them" and service.notices == []
    anthropic_env.script(*[text("still not json")] * 12)
    strict, _ = CharacterService.from_settings(fast_settings(provider="anthropic", strict=True))
    with pytest.raises(FilledAnswerError):
        strict.background(CharacterSpec(seed=1))


def test_schema_breaking_answers_are_filled_or_refused_under_strict(cli, anthropic_env):
    anthropic_env.script(answer({"name": "Nobody"}), answer({"name": "Nobody"}))
    result = cli("background", "--seed", "1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Nobody"
    assert "13 of 14 background fields came from the offline generator" in result.stderr
    anthropic_env.script(answer({"name": "Nobody"}), answer({"name": "Nobody"}))
    result = cli("background", "--seed", "1", "--strict")
    assert result.exit_code == ExitCode.GENERATION
    assert "--strict: 13 of 14 background fields would come from the offline generator" in result.stderr


@pytest.mark.parametrize("step", [unauthorized(), not_found(), bad_request()])
def test_permanent_errors_fail_at_once(anthropic_env, step):
    anthropic_env.script(step)
    service, _ = CharacterService.from_settings(fast_settings(provider="anthropic"))
    with pytest.raises(Exception) as caught:
        service.background(CharacterSpec(seed=1))
    assert len(anthropic_env.requests) == 1
    assert not getattr(caught.value, "retryable", True)


def test_rejected_key_is_one_line_exit_4_and_fast(cli, openai_env, fake_time):
    openai_env.require_key = "sk-some-other-key"
    result = cli("npc", "--provider", "openai")
    assert [r.status for r in openai_env.requests] == [401] and fake_time.slept == []  # asked once, never waited
    assert result.exit_code == ExitCode.PROVIDER
    assert result.stderr.startswith("error: openai rejected the API key (401")
    assert "OPENAI_API_KEY" in result.stderr
    assert KEY not in result.stderr + result.stdout


def test_connection_refused_names_the_url(cli, monkeypatch, fake_time):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    result = cli("background", "--provider", "anthropic", "--base-url", dead, "--timeout", "2",
                 env={"CHARFORGE_RETRY_MAX_ATTEMPTS": "2", "CHARFORGE_RETRY_BACKOFF": "0.01"})
    assert len(fake_time.slept) == 1 and fake_time.slept[0] <= 0.01  # two attempts, one short wait between
    assert result.exit_code == ExitCode.PROVIDER
    assert f"cannot connect to anthropic at {dead}" in result.stderr


def test_missing_key_is_a_config_error(cli):
    result = cli("npc", "--provider", "anthropic")
    assert result.exit_code == ExitCode.CONFIG
    assert "ANTHROPIC_API_KEY" in result.stderr and "charforge keys set anthropic" in result.stderr


def test_errors_carry_their_class(anthropic_env):
    anthropic_env.script(*[overloaded()] * 3)
    service, _ = CharacterService.from_settings(fast_settings(provider="anthropic",
                                                              retry=RetrySettings(max_attempts=3, backoff=0.01)))
    with pytest.raises(ProviderTransientError, match="overloaded"):
        service.background(CharacterSpec(seed=1))
    anthropic_env.script(unauthorized())
    with pytest.raises(ProviderAuthError):
        service.background(CharacterSpec(seed=1))


def test_llm_answers_are_repaired_into_legal_characters(anthropic_env):
    anthropic_env.answers["spells"] = {"cantrips": ["Eldritch Sneeze", "Fire Bolt"], "spells": ["Wish", "Magic Misile"]}
    anthropic_env.answers["equipment"] = {"purchases": [{"name": "Bag of Holding", "quantity": 1}], "trinkets": []}
    service, _ = CharacterService.from_settings(fast_settings(provider="anthropic"))
    character = service.npc(CharacterSpec(class_name="wizard", level=4, seed=3))
    assert audit(character) == []
    assert {r.action for r in character.provenance.repairs} >= {"dropped", "read as 'Magic Missile'"}


def test_every_call_is_in_the_generation_log_with_attempts_and_cost(cli, anthropic_env):
    anthropic_env.answers["spells"] = {"cantrips": [], "spells": []}  # a fighter has none: nothing to repair
    anthropic_env.script(rate_limit(retry_after=0.01))
    assert cli("npc", "--seed", "5", "--class", "fighter", "--format", "json").exit_code == 0
    rows = json.loads(cli("history", "list", "--json").stdout)
    [row] = rows  # one call for the whole character
    assert (row["kind"], row["provider"], row["command"], row["attempts"]) == ("npc", "anthropic", "npc", 2)
    assert row["input_tokens"] > 0 and row["cost_usd"] > 0 and row["price_date"]
    assert (row["template"], row["template_version"]) == ("npc", "1.1")
    assert "Task: npc" in row["request"]["user"]
    shown = json.loads(cli("history", "show", row["id"][:12], "--json").stdout)
    assert shown["response"] == row["response"]
    usage = json.loads(cli("history", "usage", "--json").stdout)
    assert usage[0]["calls"] == 1 and usage[0]["provider"] == "anthropic"
    assert cli("npc", "--seed", "5", "--no-log").exit_code == 0
    assert len(json.loads(cli("history", "list", "--json").stdout)) == 1


def test_failed_calls_are_logged_too(cli, anthropic_env):
    anthropic_env.script(unauthorized())
    assert cli("background", "--seed", "1").exit_code == ExitCode.PROVIDER
    [row] = json.loads(cli("history", "list", "--errors", "--json").stdout)
    assert row["error"].startswith("ProviderAuthError: anthropic rejected the API key")
    assert row["response"] is None


def test_default_models_are_current_in_the_installed_sdks():
    """One place chooses the defaults; they must be models the SDKs list and do not mark deprecated."""
    import typing

    from anthropic._data.deprecated_models import DEPRECATED_MODELS
    from anthropic.types.model_param import ModelParam
    from openai.types.image_model import ImageModel
    from openai.types.shared.chat_model import ChatModel

    from charforge.registry import registry

    def listed(alias) -> set[str]:
        return {a for arg in typing.get_args(alias) for a in (typing.get_args(arg) or [arg]) if isinstance(a, str)}

    anthropic_model = registry().text_provider("anthropic").default_model
    assert anthropic_model in listed(ModelParam) and anthropic_model not in DEPRECATED_MODELS
    assert registry().text_provider("openai").default_model in listed(ChatModel)
    image_model = registry().image_provider("openai").default_model
    assert image_model in listed(ImageModel) and image_model not in {"gpt-image-1", "dall-e-2", "dall-e-3"}
