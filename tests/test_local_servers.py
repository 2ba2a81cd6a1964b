"""Local and misbehaving servers (issue 11, provider side), with the real SDKs against fakes on 127.0.0.1.

Structured-output modes and their fallback and memory, broken 2xx bodies, the hint for each class of error, the
retry status line, and the budget of a refused connection. The fakes answer the way the servers' own code does
(see tests/fake_local.py and the docstring of providers/openai_compatible.py).
"""

from __future__ import annotations

import io
import json
import socket
import sys
import textwrap

import pytest

from charforge.cli import render
from charforge.config import RetrySettings, resolve
from charforge.errors import ExitCode, ProviderTransientError
from charforge.models import CharacterSpec
from charforge.providers import build, resilience
from charforge.providers.structured import LocalModeMemory
from charforge.service import CharacterService, hooks
from charforge.store import db
from charforge.store.generations import GenerationLog
from charforge.store.modes import StoredModes
from fake_images import FakeImages, broken
from fake_images import fake_images as fake_images
from fake_llm import not_found, rate_limit, server_error, unauthorized
from fake_llm import status as scripted
from fake_local import FakeLocal, cut, fastapi_422, html, llama_cpp_error, plain_500, wrong_shape
from fake_local import fake_local as fake_local

MODES_SCHEMA = {
    "structured_modes": textwrap.dedent("""\
        CREATE TABLE structured_modes (
            provider TEXT NOT NULL,
            base_url TEXT NOT NULL,
            mode TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (provider, base_url)
        )"""),
}
FAST = {"CHARFORGE_RETRY_BACKOFF": "0.001", "CHARFORGE_RETRY_MAX_WAIT": "0.01"}
KEY = "sk-test-0123456789abcdef-SECRET"


def local(fake: FakeLocal, *args: str, command: str = "npc"):
    """The arguments of a generation against the fake local server."""
    return (command, "--provider", "openai-compatible", "--base-url", fake.openai_url, "--model", "local-model",
            "--seed", "3", "--format", "json", *args)


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# -- structured-output modes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("rejection", [llama_cpp_error(400), fastapi_422(), llama_cpp_error(500),
                                       llama_cpp_error(501, "json_schema is not supported")],
                         ids=["400", "422", "500", "501"])
def test_a_rejected_json_schema_costs_one_request_once(cli, fake_local, rejection):
    fake_local.reject["json_schema"] = rejection
    first = cli(*local(fake_local))
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["provenance"]["provider"] == "openai-compatible"
    assert len(fake_local.failed()) == 1 and fake_local.modes()[:2] == ["json_schema", "json_object"]
    assert StoredModes().recall("openai-compatible", fake_local.openai_url + "/") == "json_object"
    with GenerationLog() as log:  # the rejected request counts among the first call's attempts
        assert log.rows_where(limit=0)[-1].attempts == 2

    fake_local.requests.clear()
    second = cli(*local(fake_local))
    assert second.exit_code == 0, second.stderr
    assert fake_local.failed() == [] and set(fake_local.modes()) == {"json_object"}


def test_a_server_rejecting_json_object_too_ends_in_prompt_mode(cli, fake_local):
    fake_local.reject = {"json_schema": llama_cpp_error(500), "json_object": llama_cpp_error(400, "unknown field")}
    result = cli(*local(fake_local))
    assert result.exit_code == 0, result.stderr
    assert fake_local.modes()[:3] == ["json_schema", "json_object", "prompt"] and len(fake_local.failed()) == 2
    prompt_request = fake_local.chat()[2].body
    assert "response_format" not in prompt_request and "JSON Schema" in prompt_request["messages"][0]["content"]


def test_a_500_that_says_nothing_about_the_request_is_retried_not_a_fallback(cli, fake_local):
    fake_local.script(*[scripted(*plain_500())] * 2)
    result = cli(*local(fake_local), env=FAST)
    assert result.exit_code == 0, result.stderr
    assert set(fake_local.modes()) == {"json_schema"} and len(fake_local.failed()) == 2  # retried, same mode
    assert StoredModes().recall("openai-compatible", fake_local.openai_url) == "json_schema"


def test_forced_json_object_sends_the_schema_the_way_servers_take_it(cli, fake_local):
    result = cli(*local(fake_local, "--structured-output", "json_object"))
    assert result.exit_code == 0, result.stderr
    bodies = [r.body for r in fake_local.chat()]
    assert bodies and all(b["response_format"]["type"] == "json_object" for b in bodies)
    schema = bodies[0]["response_format"]["schema"]  # llama.cpp's form; Ollama and vLLM ignore the extra key
    assert schema["type"] == "object" and "name" in schema["properties"]
    assert "guided_json" not in bodies[0]  # vLLM refuses json_object and guided_json together
    assert json.dumps(schema) in bodies[0]["messages"][0]["content"]  # and always in the prompt
    assert StoredModes().recall("openai-compatible", fake_local.openai_url) is None  # a forced mode is not learned


def test_forced_mode_never_falls_back_and_says_how_to_let_it(cli, fake_local):
    fake_local.reject["json_schema"] = llama_cpp_error(500)
    result = cli(*local(fake_local, "--structured-output", "json_schema"), env=FAST)
    assert result.exit_code == ExitCode.PROVIDER and result.stdout == ""
    assert fake_local.modes() == ["json_schema"]  # one request: not retried, no fallback
    assert errors(result.stderr) == [
        f"error: openai-compatible at {fake_local.openai_url} does not accept structured output 'json_schema' (500): "
        f"{llama_cpp_error(500)[1]['error']['message']}"]
    assert "hint: use --structured-output auto" in result.stderr


def test_the_mode_is_a_setting_of_each_section_env_and_config(cli, fake_local, charforge_home):
    result = cli(*local(fake_local), env={"CHARFORGE_OPENAI_COMPATIBLE_STRUCTURED_OUTPUT": "prompt"})
    assert result.exit_code == 0, result.stderr
    assert set(fake_local.modes()) == {"prompt"}
    config = charforge_home / "config" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("openai-compatible:\n  structured_output: json_object\n")
    fake_local.requests.clear()
    assert cli(*local(fake_local)).exit_code == 0 and set(fake_local.modes()) == {"json_object"}
    fake_local.requests.clear()  # the flag wins over config
    assert cli(*local(fake_local, "--structured-output", "prompt")).exit_code == 0
    assert set(fake_local.modes()) == {"prompt"}


def test_a_mode_the_provider_lacks_is_a_clear_error(cli, charforge_home):
    result = cli("npc", "--provider", "anthropic", "--structured-output", "json_object")
    assert result.exit_code == ExitCode.USAGE
    assert errors(result.stderr) == ["error: --structured-output: anthropic has no structured-output mode "
                                     "'json_object'; choose one of: auto, tool"]
    result = cli("npc", "--provider", "offline", env={"CHARFORGE_OPENAI_STRUCTURED_OUTPUT": "prompt"})
    assert result.exit_code == ExitCode.CONFIG
    assert "setting 'openai.structured_output' from environment: openai has no structured-output mode 'prompt'; " \
           "choose one of: auto, json_schema" in result.stderr
    assert cli("npc", "--provider", "anthropic", "--structured-output", "tool", "--dry-run").exit_code == 0


def test_check_shows_the_remembered_mode_and_deep_probes_again(cli, fake_local):
    fake_local.reject["json_schema"] = llama_cpp_error(400)
    assert cli(*local(fake_local)).exit_code == 0
    env = {"CHARFORGE_OPENAI_COMPATIBLE_BASE_URL": fake_local.openai_url,
           "CHARFORGE_OPENAI_COMPATIBLE_MODEL": "local-model"}

    def mode_check(*args: str) -> str:
        result = cli("check", "--provider", "openai-compatible", "--json", *args, env=env)
        assert result.exit_code == 0, result.stdout + result.stderr
        checks = {c["name"]: c for c in json.loads(result.stdout)[1]["checks"]}
        return checks["structured output"]["detail"]

    fake_local.requests.clear()
    assert mode_check().startswith(f"json_object (remembered for {fake_local.openai_url}")
    assert fake_local.chat() == []  # a plain check sends no generation
    fake_local.reject.clear()  # the server was upgraded: json_schema works now
    assert mode_check("--deep").startswith("json_schema (probed now")
    assert fake_local.modes() == ["json_schema"]
    assert StoredModes().recall("openai-compatible", fake_local.openai_url) == "json_schema"


@pytest.mark.parametrize("memory", [LocalModeMemory, StoredModes], ids=["local", "stored"])
def test_mode_memory_contract(memory, charforge_home):
    modes = memory()
    assert modes.recall("openai-compatible", "http://localhost:8080/v1") is None
    modes.remember("openai-compatible", "http://localhost:8080/v1/", "json_object")
    assert modes.recall("openai-compatible", "http://localhost:8080/v1") == "json_object"
    assert modes.recall("other", "http://localhost:8080/v1") is None
    modes.remember("openai-compatible", "http://localhost:8080/v1", "prompt")
    assert modes.recall("openai-compatible", "http://localhost:8080/v1/") == "prompt"
    modes.forget("openai-compatible", "http://localhost:8080/v1")
    assert modes.recall("openai-compatible", "http://localhost:8080/v1") is None


def test_a_broken_memory_never_fails_a_generation(tmp_path):
    folder = tmp_path / "not-a-database"
    folder.write_bytes(b"this is not SQLite" * 100)
    modes = StoredModes(folder)
    modes.remember("openai-compatible", "http://x/v1", "prompt")
    assert modes.recall("openai-compatible", "http://x/v1") is None


def test_the_migration_creates_the_table(charforge_home):
    conn = db.open_db()
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'structured_modes'").fetchone()[0]
    assert sql == MODES_SCHEMA["structured_modes"]


# -- broken 2xx bodies -----------------------------------------------------------------------------------------------


@pytest.fixture
def hosted_env(fake_local: FakeLocal, monkeypatch) -> FakeLocal:
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.setenv(var, KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_local.url)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_local.openai_url)
    monkeypatch.setenv("CHARFORGE_OPENAI_COMPATIBLE_BASE_URL", fake_local.openai_url)
    for var, value in FAST.items():
        monkeypatch.setenv(var, value)
    return fake_local


@pytest.mark.parametrize("provider", ["anthropic", "openai", "openai-compatible"])
@pytest.mark.parametrize("body", [cut, html, wrong_shape])
def test_a_broken_200_is_retried(cli, hosted_env, provider, body):
    hosted_env.script(body())
    result = cli("background", "--provider", provider, "--seed", "1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [r.status for r in hosted_env.requests] == [200, 200] and hosted_env.requests[0].step == body().name


@pytest.mark.parametrize("provider", ["anthropic", "openai", "openai-compatible"])
def test_a_broken_200_that_never_recovers_is_exit_4_with_one_line(cli, hosted_env, provider):
    hosted_env.script(*[cut()] * 6)
    result = cli("background", "--provider", provider, "--seed", "1", "--format", "json")
    assert result.exit_code == ExitCode.PROVIDER and result.stdout == ""
    assert len(hosted_env.requests) == 6  # every attempt of the one loop, none of the SDK's own
    [line] = errors(result.stderr)
    assert line.startswith(f"error: {provider} answered 200 with a body charforge could not read (JSONDecodeError:")
    assert "internal error" not in result.stderr and "hint: the answer from" in result.stderr


def test_a_broken_image_answer_is_retried_then_exit_4(cli, fake_images: FakeImages, monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_images.openai_url)
    for var, value in FAST.items():
        monkeypatch.setenv(var, value)
    args = ("portrait", "--provider", "openai", "--seed", "1", "--out", str(tmp_path / "out"))
    not_an_image = b'{"created": 1, "data": [{"b64_json": "bm90IGFuIGltYWdl"}]}'  # base64 of "not an image"
    fake_images.script(broken(), broken(b"<html>502</html>", "text/html"), broken(b'{"created": 1, "data": "x"}'),
                       broken(not_an_image))
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert len(fake_images.generations()) == 5
    fake_images.script(*[broken()] * 6)
    result = cli(*args)
    assert result.exit_code == ExitCode.PROVIDER
    [line] = errors(result.stderr)
    assert line.startswith("error: openai answered 200 with a body charforge could not read (JSONDecodeError:")


# -- honest hints -----------------------------------------------------------------------------------------------------


def one_try(provider: str, **settings: object):
    """The provider the CLI would build, with a single attempt."""
    resolved = resolve().settings.model_copy(update={"retry": RetrySettings(max_attempts=1), **settings})
    return build(resolved, provider).provider


def failure(provider: str, fake: FakeLocal, *steps) -> str:
    fake.script(*steps)
    spec = CharacterSpec(seed=1)
    with pytest.raises(Exception) as caught:
        CharacterService(one_try(provider)).background(spec)
    return f"{caught.value}\nhint: {caught.value.hint}"


@pytest.mark.parametrize(("step", "expected", "unexpected"), [
    (unauthorized, "use a valid key: set OPENAI_COMPATIBLE_API_KEY or run 'charforge keys set openai-compatible'",
     "rate"),
    (lambda: not_found("model 'nope' not found"), "the model or the URL is wrong: check --model and --base-url",
     "rate"),
    (lambda: rate_limit(1), "lower the rate: set rpm/tpm under 'openai-compatible:' in config.yaml", "server's log"),
    (lambda: server_error(500), "failed; try again later, and check the server's log", "rate"),
    (lambda: server_error(503), "failed; try again later", "rpm"),
])
def test_each_error_class_gets_its_own_hint(hosted_env, step, expected, unexpected):
    text = failure("openai-compatible", hosted_env, step())
    assert expected in text and unexpected not in text.split("hint:", 1)[1]


def test_a_hosted_key_error_names_the_providers_variable(hosted_env):
    assert "set ANTHROPIC_API_KEY or run 'charforge keys set anthropic'" in failure("anthropic", hosted_env,
                                                                                   unauthorized())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: connecting is refused


def test_a_refused_local_server_asks_whether_it_is_running(cli):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    result = cli("background", "--provider", "openai-compatible", "--base-url", url, "--timeout", "0.5")
    assert result.exit_code == ExitCode.PROVIDER
    assert errors(result.stderr) == [f"error: cannot connect to openai-compatible at {url}"]
    assert f"hint: is the server running? try `curl {url}/models`" in result.stderr


class Clock:
    def __init__(self) -> None:
        self.now, self.slept = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_refused_connection_with_timeout_5_ends_within_its_budget():
    url = f"http://127.0.0.1:{closed_port()}/v1"
    settings = resolve({"provider": "openai-compatible", "base_url": url, "timeout": 5}).settings
    provider = build(settings).provider
    assert (provider.settings.timeout, provider.settings.connect_timeout) == (5, 5)  # --timeout bounds connecting
    clock = Clock()
    provider.sleep, provider.clock = clock.sleep, clock
    with pytest.raises(ProviderTransientError) as caught:
        CharacterService(provider).background(CharacterSpec(seed=1))
    assert sum(clock.slept) == pytest.approx(5.0) and caught.value.attempts == 5  # 0.5, 1, 2, then what is left
    assert clock.now < 7


# -- visible retries --------------------------------------------------------------------------------------------------


def terminal() -> tuple[render.RetryStatus, io.StringIO]:
    out = io.StringIO()
    return render.RetryStatus(out), out


def test_retries_show_one_status_line_that_is_cleared():
    status, out = terminal()
    failures = [ProviderTransientError("openai-compatible failed (500): boom", status=500)] * 2

    def flaky() -> str:
        if failures:
            raise failures.pop()
        return "done"

    with hooks.observing_retries(status):
        assert resilience.call(flaky, provider="openai-compatible", model="m", policy=RetrySettings(),
                               sleep=lambda s: None) == ("done", 3)
    text = out.getvalue()
    assert "openai-compatible: attempt 1/6 failed, retrying in 0." in text
    assert "s: openai-compatible failed (500): boom" in text
    assert "attempt 2/6" in text and "\n" not in text  # one line, rewritten in place
    assert text.endswith("\r\x1b[2K")  # erased when the call succeeded
    assert resilience._observer is None  # the block restored the previous observer


def test_the_cli_shows_retries_on_a_terminal_only(cli, fake_local, monkeypatch):
    status, out = terminal()
    monkeypatch.setattr(render, "retry_status", lambda: status)
    fake_local.script(scripted(*plain_500()))
    result = cli(*local(fake_local), env=FAST)
    assert result.exit_code == 0, result.stderr
    assert "openai-compatible: attempt 1/6 failed, retrying in" in out.getvalue()
    assert out.getvalue().endswith("\r\x1b[2K")
    assert "attempt" not in result.stderr  # the status line went to the terminal, not into the output


def test_nothing_extra_when_stderr_is_not_a_terminal(cli, fake_local, monkeypatch):
    fake_local.script(scripted(*plain_500()))
    result = cli(*local(fake_local), env=FAST)
    assert result.exit_code == 0 and "attempt" not in result.stderr and "\x1b" not in result.stderr
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert render.retry_status() is None


@pytest.mark.parametrize(("quiet", "verbose", "shown"), [(False, 0, True), (True, 0, False), (False, 1, False)])
def test_the_status_line_is_for_a_terminal_without_q_or_v(monkeypatch, quiet, verbose, shown):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setitem(render.QUIET, "on", quiet)
    monkeypatch.setitem(render.VERBOSE, "level", verbose)
    assert (render.retry_status() is not None) is shown
