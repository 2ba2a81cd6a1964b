from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from charforge.cli import app


@pytest.fixture(autouse=True)
def charforge_home(tmp_path, monkeypatch):
    """Every test gets its own config and data dirs, no provider keys, and no developer's .env."""
    home = tmp_path / "home"
    monkeypatch.setenv("CHARFORGE_HOME", str(home))
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "CHARFORGE_PROVIDER", "CHARFORGE_FORMAT",
                "CHARFORGE_LENGTH", "CHARFORGE_DEBUG", "CHARFORGE_MOCK_FAIL", "CHARFORGE_MOCK_SCENARIO"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return home


class Cli:
    """Run charforge in-process, as a user would, keeping stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):
        return self.runner.invoke(app, list(args), env=env)

    def json(self, *args: str) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()
