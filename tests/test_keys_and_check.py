"""Keys (where they come from, the 0600 file, never leaked) and `charforge check`."""

from __future__ import annotations

import json
import stat
import time

from charforge.errors import ExitCode
from fake_llm import FakeLLM, rate_limit, server_error, unauthorized
from fake_llm import fake_llm as fake_llm

KEY = "sk-ant-api03-SuperSecretValue-0123456789"


def test_keys_set_writes_a_private_file_and_list_never_shows_the_key(cli, charforge_home, monkeypatch):
    result = cli("keys", "set", "anthropic", "--value", KEY)
    assert result.exit_code == 0, result.stderr
    path = charforge_home / "config" / "keys.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listed = json.loads(cli("keys", "list", "--json").stdout)
    assert {"provider": "anthropic", "source": str(path)} in listed
    assert {"provider": "openai", "source": None} in listed
    assert {"provider": "stability", "source": None} in listed
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-from-the-environment-123")
    assert {"provider": "anthropic", "source": "environment"} in json.loads(cli("keys", "list", "--json").stdout)
    assert KEY not in cli("keys", "list").stdout
    assert cli("keys", "path").stdout.strip() == str(path)


def test_keys_from_dotenv_come_before_the_keys_file(cli, tmp_path):
    cli("keys", "set", "openai", "--value", "sk-stored-key-123456")
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-dotenv-key-123456\n")
    assert {"provider": "openai", "source": ".env"} in json.loads(cli("keys", "list", "--json").stdout)


def test_keys_set_rejects_unknown_providers_and_blank_keys(cli):
    assert cli("keys", "set", "skynet", "--value", "x" * 20).exit_code == ExitCode.USAGE
    assert cli("keys", "set", "openai", "--value", "  ").exit_code == ExitCode.USAGE


def test_the_key_never_reaches_output_files_or_logs(cli, fake_llm: FakeLLM, charforge_home, tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)
    cli("keys", "set", "anthropic", "--value", KEY)
    fake_llm.script(rate_limit(retry_after=0.01), server_error(), unauthorized())
    env = {"CHARFORGE_RETRY_BACKOFF": "0.01"}
    failed = cli("-vv", "--debug", "--log-file", str(tmp_path / "run.log"), "npc", "--provider", "anthropic",
                 env=env)
    assert failed.exit_code == ExitCode.PROVIDER
    assert "Traceback" in failed.stderr and "retrying in" in failed.stderr
    ok = cli("-vv", "npc", "--provider", "anthropic", "--format", "json", "--out", str(tmp_path / "npc.json"), env=env)
    assert ok.exit_code == 0, ok.stderr
    history = cli("check", "--provider", "anthropic", "--deep", "--json")
    assert fake_llm.requests and all(r.headers.get("authorization") == f"Bearer {KEY}" or
                                     r.headers.get("x-api-key") == KEY for r in fake_llm.requests)
    for output in (failed.stdout, failed.stderr, ok.stdout, ok.stderr, history.stdout, history.stderr):
        assert KEY not in output
    for path in [*charforge_home.rglob("*"), tmp_path / "run.log", tmp_path / "npc.json"]:
        if path.is_file() and path.name != "keys.yaml":
            assert KEY.encode() not in path.read_bytes(), path


def test_check_offline_only_is_healthy(cli):
    result = cli("check", "--json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert [r["provider"] for r in report] == ["charforge", "offline", "images:offline"]
    assert all(set(c) == {"name", "ok", "detail", "latency_ms"} for r in report for c in r["checks"])


def test_check_healthy_fake_endpoint(cli, fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_url)
    result = cli("check", "--provider", "openai", "--deep", "--json")
    assert result.exit_code == 0, result.stdout
    [_, openai] = json.loads(result.stdout)
    assert openai["ok"] and [c["name"] for c in openai["checks"]] == [
        "key", "reachable and authenticated", "model listed", "generation"]
    assert openai["checks"][1]["latency_ms"] is not None


def test_check_unlisted_model_and_rejected_key(cli, fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)
    fake_llm.models = ["claude-haiku-5-5"]
    result = cli("check", "--provider", "anthropic", "--json")
    assert result.exit_code == ExitCode.PROVIDER
    checks = {c["name"]: c for c in json.loads(result.stdout)[1]["checks"]}
    assert checks["reachable and authenticated"]["ok"] and not checks["model listed"]["ok"]
    fake_llm.script_models(unauthorized())
    result = cli("check", "--provider", "anthropic", "--json")
    assert "rejected the API key" in json.loads(result.stdout)[1]["checks"][1]["detail"]


def test_check_dead_port_fails_fast(cli, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-123456")
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)  # the SDK's own retries and ours both sleep through it
    result = cli("check", "--provider", "openai-compatible", "--json",
                 env={"CHARFORGE_OPENAI_COMPATIBLE_BASE_URL": "http://127.0.0.1:9/v1"})
    assert waits == []  # one try, no waiting: a dead port fails at once
    assert result.exit_code == ExitCode.PROVIDER
    report = json.loads(result.stdout)[1]
    assert not report["ok"] and "cannot connect to openai-compatible at http://127.0.0.1:9/v1" in str(report)


def test_check_missing_key_is_reported_not_raised(cli):
    result = cli("check", "--provider", "openai")
    assert result.exit_code == ExitCode.PROVIDER
    assert "OPENAI_API_KEY" in result.stdout
