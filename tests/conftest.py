from __future__ import annotations

import json
import os
from typing import Any

import pytest
from typer.testing import CliRunner

from charforge.cli import app


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
        return self.runner.invoke(app, list(args), env=env)

    def json(self, *args: str) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()
