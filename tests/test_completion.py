"""Shell completion (docs/completion.md): the scripts Typer installs, and the values each option completes.

Completion runs charforge with `_CHARFORGE_COMPLETE=complete_bash` and the words typed so far in COMP_WORDS /
COMP_CWORD, exactly what the installed bash script does; it prints one candidate per line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charforge.cli import app

SCRIPT = shutil.which("charforge", path=str(Path(sys.executable).parent)) or shutil.which("charforge")


def complete(line: str) -> list[str]:
    """The candidates bash would be offered for the last word of `line` (a trailing space: a new empty word)."""
    words = line.split(" ")
    env = {"_CHARFORGE_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    result = CliRunner().invoke(app, [], env=env, prog_name="charforge")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize(("line", "expected"), [
    ("charforge npc --class wi", ["wizard"]),
    ("charforge spells --class b", ["barbarian", "bard"]),
    ("charforge batch submit --class ro", ["rogue"]),
    ("charforge portrait --class f", ["fighter"]),
    ("charforge npc --ancestry hi", ["high-elf", "hill-dwarf"]),
    ("charforge background --alignment chaotic", ["chaotic-good", "chaotic-neutral", "chaotic-evil"]),
    ("charforge npc --provider open", ["openai", "openai-compatible"]),
    ("charforge check --provider of", ["offline"]),
    ("charforge portrait --provider st", ["stability"]),
    ("charforge npc --format ya", ["yaml"]),
    ("charforge prompts show b", ["background"]),
    ("charforge prompts edit sp", ["spells"]),
    ("charforge keys set st", ["stability"]),
])
def test_option_values_complete(line, expected):
    assert complete(line) == expected


def test_every_class_and_ancestry_is_offered():
    assert complete("charforge npc --class ") == ["barbarian", "bard", "cleric", "druid", "fighter", "monk",
                                                  "paladin", "ranger", "rogue", "sorcerer", "warlock", "wizard"]
    assert {"dragonborn", "hill-dwarf", "lightfoot-halfling", "rock-gnome", "tiefling"} <= set(
        complete("charforge npc --ancestry "))


def test_template_names_include_your_overrides(charforge_home):
    user = charforge_home / "config" / "prompts"
    user.mkdir(parents=True)
    (user / "tavern.yaml").write_text("name: tavern\n", encoding="utf-8")
    (user / "background.anthropic.yaml").write_text("name: background\n", encoding="utf-8")
    assert complete("charforge prompts show ") == ["background", "equipment", "npc", "portrait", "spells", "tavern"]


def test_commands_complete():
    assert complete("charforge pro") == ["providers", "prompts"]


def test_help_lists_install_and_show_completion():
    result = CliRunner().invoke(app, ["--help"], prog_name="charforge", env={"COLUMNS": "200"})
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o default -F _charforge_completion charforge"),
                                               ("zsh", "#compdef charforge"), ("fish", "complete --command charforge")])
def test_show_completion_prints_each_shells_script(shell, marker, monkeypatch):
    # Outside a test Typer detects the shell charforge runs under; this variable makes it take the shell's name.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="charforge")
    assert result.exit_code == 0
    assert marker in result.stdout and "_CHARFORGE_COMPLETE=complete_" in result.stdout


def test_completing_imports_no_rules_until_asked():
    """Completion functions import their data only when called, so `charforge --help` stays cheap."""
    code = ("import sys, charforge.cli; "
            "print(any(m.startswith(('charforge.rules', 'charforge.prompts')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(SCRIPT is None, reason="charforge is not installed as a console script")
def test_installed_script_completes_through_the_environment_protocol(charforge_home):
    env = {**os.environ, "CHARFORGE_HOME": str(charforge_home), "_CHARFORGE_COMPLETE": "complete_bash",
           "COMP_WORDS": "charforge npc --class wi", "COMP_CWORD": "3"}
    done = subprocess.run([SCRIPT], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["wizard"]
