"""CLI conventions (issue 12): each command lists only its own options, plain metavars, help that reads as
sentences with examples, global flags anywhere, case-insensitive choices, confirmations that ask only when there
is something to do, and an editor that fails leaves nothing behind."""

from __future__ import annotations

import inspect
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from charforge.cli import app
from charforge.errors import ExitCode

PARTS = ("background", "equipment", "spells")


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "80", **(env or {})})


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group, as the words that reach it."""
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []

    def walk(group, prefix: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            paths.append((*prefix, name))
            if hasattr(command, "commands"):
                walk(command, (*prefix, name))

    walk(root, ())
    return paths


def leaf_paths() -> list[tuple[str, ...]]:
    groups = {p[:-1] for p in command_paths()}
    return [p for p in command_paths() if p not in groups]


# 1. the generation commands, split


@pytest.mark.parametrize("kind", PARTS)
def test_part_commands_list_only_their_own_options(kind):
    help_text = run(kind, "--help").stdout
    for foreign in ("--replay", "--portrait", "--portrait-dir", "foundry", "html", "pdf"):
        assert foreign not in help_text, foreign
    assert "--format" in help_text and "json" in help_text


@pytest.mark.parametrize("kind", PARTS)
@pytest.mark.parametrize("flag", [["--replay", "x.json"], ["--portrait"], ["--portrait-dir", "d"]])
def test_part_commands_refuse_npc_only_options(kind, flag):
    result = run(kind, *flag)
    assert result.exit_code == ExitCode.USAGE
    assert "No such option" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("fmt", ["foundry", "html", "pdf"])
def test_part_commands_refuse_character_formats_before_any_generation(fmt):
    result = run("spells", "--class", "wizard", "-f", fmt)
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert result.stdout == "" and "note:" not in result.stderr  # no generation notice: nothing was generated
    assert not (__import__("charforge").config.data_dir() / "charforge.db").exists()


def test_npc_keeps_its_options():
    help_text = run("npc", "--help").stdout
    for own in ("--replay", "--portrait", "--portrait-dir", "foundry", "pdf"):
        assert own in help_text


# 2. help and metavars

UGLY = re.compile(r"<(bool|int|str|float|file|dir|path)>|list\[|\brange\b|\[x[<>]=|<[a-z_]+\|")


@pytest.mark.parametrize("path", [(), *command_paths()], ids=lambda p: " ".join(p) or "root")
def test_help_has_plain_metavars(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert not UGLY.search(result.stdout), UGLY.search(result.stdout).group(0)


def test_flags_have_no_metavar_and_values_have_plain_ones():
    help_text = run("npc", "--help", env={"COLUMNS": "200"}).stdout
    assert re.search(r"--dry-run +Print exactly", help_text)
    assert re.search(r"--help +-h +Show this", help_text)
    assert re.search(r"--level +INT ", help_text)
    assert re.search(r"--name +TEXT ", help_text)
    assert re.search(r"--template +FILE ", help_text)
    root_help = run("--help", env={"COLUMNS": "200"}).stdout
    assert re.search(r"--verbose +-v +-v info", root_help)


@pytest.mark.parametrize("path", leaf_paths(), ids=" ".join)
def test_help_paragraphs_are_not_broken_mid_sentence(path):
    command = typer.main.get_command(app)
    for word in path:
        command = command.commands[word]
    wide = run(*path, "--help", env={"COLUMNS": "400"}).stdout
    body = inspect.cleandoc(command.help or "").partition("\f")[0]
    for paragraph in body.split("\n\n"):
        if paragraph.startswith("\b"):
            continue
        assert " ".join(paragraph.split()) in wide, paragraph


@pytest.mark.parametrize("path", leaf_paths(), ids=" ".join)
def test_every_command_help_has_examples(path):
    help_text = run(*path, "--help", env={"COLUMNS": "200"}).stdout
    assert "Examples" in help_text
    command = "charforge " + " ".join(path)
    examples = [line for line in help_text.split("Examples", 1)[1].splitlines() if command in line]
    assert 2 <= len(examples) <= 3, examples


# 3. global flags after the command, case-insensitive choices


@pytest.mark.parametrize("flag", ["-v", "-q", "--debug", "--verbose", "--quiet", "-vv"])
def test_global_flags_work_after_the_command(flag):
    result = run("npc", "--seed", "1", flag, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "character"


def test_quiet_after_the_command_silences_notices():
    loud = run("npc", "--seed", "1", "-f", "json")
    quiet = run("npc", "--seed", "1", "-f", "json", "-q")
    assert "note:" in loud.stderr and "note:" not in quiet.stderr


def test_a_value_that_looks_like_a_global_flag_stays_a_value():
    result = run("npc", "--seed", "1", "--concept", "-q", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["provenance"]["spec"]["concept"] == "-q"


@pytest.mark.parametrize("args", [
    ("npc", "--seed", "1", "-f", "JSON"),
    ("npc", "--seed", "1", "--length", "QUICK", "-f", "json"),
    ("npc", "--seed", "1", "--provider", "OFFLINE", "-f", "json"),
    ("portrait", "--dry-run", "-f", "JSON"),
    ("portrait", "--dry-run", "--style", "Ink Sketch"),
    ("schema", "CHARACTER"),
])
def test_choices_are_case_insensitive(args):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
