from __future__ import annotations

import json
import os
from typing import Any

import pytest
from typer.testing import CliRunner

from charforge.cli import app

# The fake-key run (issue 12): `CHARFORGE_TEST_FAKE_KEY=1 pytest` puts CANARY wherever a test sets a key, then
# greps every file under the tests' tmp dirs and every captured stream for it: only keys.yaml files may hold it.
# Read here, at import: the autouse fixture below clears every CHARFORGE_* variable for each test.
CANARY = "sk-ant-charforge-canary-0123456789"
FAKE_KEY_RUN = os.environ.get("CHARFORGE_TEST_FAKE_KEY", "") not in ("", "0")
_streams_seen: list[tuple[str, str]] = []  # (test id, text) of every CliRunner result and captured section


def _is_key_variable(name: str) -> bool:
    return name.upper().endswith("_API_KEY")


def _looks_like_key(value: object) -> bool:
    return isinstance(value, str) and value.startswith("sk-") and len(value) >= 12


if FAKE_KEY_RUN:
    _setenv = pytest.MonkeyPatch.setenv

    def _setenv_canary(self, name, value, prepend=None):
        return _setenv(self, name, CANARY if _is_key_variable(name) else value, prepend)

    pytest.MonkeyPatch.setenv = _setenv_canary  # every test's monkeypatch.setenv("..._API_KEY", ...)


def pytest_collection_modifyitems(session, config, items):
    """Under the fake-key run, module constants that hold a key (`KEY = "sk-..."`) become the canary."""
    if not FAKE_KEY_RUN:
        return
    for module in {item.module for item in items if getattr(item, "module", None) is not None}:
        for name, value in list(vars(module).items()):
            if name.isupper() and _looks_like_key(value):
                setattr(module, name, CANARY)


def pytest_runtest_logreport(report):
    if FAKE_KEY_RUN:
        for title, text in report.sections:
            _streams_seen.append((f"{report.nodeid} [{title}]", text))
        if report.longrepr is not None:
            _streams_seen.append((f"{report.nodeid} [report]", str(report.longrepr)))


def pytest_sessionfinish(session, exitstatus):
    """Under the fake-key run: the canary may appear only in keys.yaml files; anything else fails the run."""
    if not FAKE_KEY_RUN:
        return
    base = session.config._tmp_path_factory.getbasetemp()
    files = [p for p in base.rglob("*") if p.is_file() and not p.is_symlink()]
    leaks = [str(p) for p in files if p.name != "keys.yaml" and CANARY.encode() in _read(p)]
    holders = sum(1 for p in files if p.name == "keys.yaml" and CANARY.encode() in _read(p))
    leaks += [where for where, text in _streams_seen if CANARY in text]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"fake-key run: {len(files)} files under {base} ({holders} keys.yaml with the key), "
             f"{len(_streams_seen)} captured streams; {len(leaks)} leak(s)", *(f"  leak: {x}" for x in leaks)]
    for line in lines:
        reporter.write_line(line) if reporter else print(line)
    if leaks:
        session.exitstatus = 1


def _read(path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


@pytest.fixture(autouse=True)
def charforge_home(tmp_path, monkeypatch):
    """Every test gets its own config and data dirs, no provider keys, and no developer's .env."""
    home = tmp_path / "home"
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "STABILITY_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL",
                "STABILITY_BASE_URL", "CHARFORGE_PROMPTS_DIR"):
        monkeypatch.delenv(var, raising=False)
    for var in [v for v in os.environ if v.startswith("CHARFORGE_")]:
        monkeypatch.delenv(var, raising=False)  # no developer setting leaks in; CHARFORGE_HOME is set below
    monkeypatch.setenv("CHARFORGE_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home


class Cli:
    """Run charforge in-process, as a user would, keeping stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):
        if FAKE_KEY_RUN:
            args = tuple(CANARY if _looks_like_key(a) else a for a in args)  # `keys set X --value sk-...`
            env = env and {k: CANARY if _is_key_variable(k) and v else v for k, v in env.items()}
        result = self.runner.invoke(app, list(args), env=env)
        if FAKE_KEY_RUN:
            for text in (result.stdout, result.stderr):
                _streams_seen.append((f"charforge {' '.join(args)}"[:200], text))
        return result

    def json(self, *args: str) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()
