"""The bad-input sweep: every command and subcommand, fed a wrong type, an out-of-range number, an unknown choice
and hostile text in each of its options, answers with one `error:` line and a documented exit code — never a
traceback, never "internal error", never exit 1.

The command tree is read from the CLI itself, so a new command or option is swept without editing this file.
"""

from __future__ import annotations

import enum

import pytest
from typer.main import get_command

from charforge.cli import app
from charforge.errors import ExitCode

ROOT = get_command(app)
USER_MISTAKE_CODES = {ExitCode.USAGE, ExitCode.CONFIG}  # what a bad flag value may exit with
# Options whose whole job is to start something long-running or interactive even when given a good value.
SKIP = {("worker", "--poll"), ("worker", "--lease")}
# Text options whose values are checked against a list: any command that has one must refuse these.
NAMED_VALUES = {"--level": ["0", "99"], "--format": ["bogus-format"], "--provider": ["bogus"], "--class": ["bogus"],
                "--ancestry": ["bogus"], "--alignment": ["bogus"], "--template": ["no-such-template"]}
HOSTILE_TEXT = ("", "\x1b[31mred\x1b[0m", "bad\udcffbytes", "x" * 100_000)


def commands(group=ROOT, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            found += commands(command, (*path, name))
        else:
            found.append(((*path, name), command))
    return found


def bad_values(param) -> list[str]:
    """Values this option must refuse: the wrong type, out of range, an unknown choice."""
    kind = param.type_descriptor.annotation
    if max(param.opts, key=len) == "--level":
        return ["not-a-number"]  # out of range: NAMED_VALUES
    info = param.type_descriptor.parameter_info
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return ["no-such-choice"]
    if kind in (int, float):
        values = ["not-a-number"]
        if getattr(info, "max", None) is not None:
            values.append(str(info.max + 1_000_000))
        if getattr(info, "min", None) is not None:
            values.append(str(info.min - 1_000_000))
        return values
    return []


def cases() -> list[tuple[tuple[str, ...], list[str]]]:
    swept = []
    for path, command in commands():
        for param in command.params:
            if param.param_type_name != "option" or param.is_flag or param.hidden:
                continue
            flag = max(param.opts, key=len)
            if (path[-1], flag) in SKIP:
                continue
            named = [] if path == ("history", "list") else NAMED_VALUES.get(flag, [])  # a filter may match none
            for value in bad_values(param) + named:
                swept.append((path, [flag, value]))
    return swept


CASES = cases()


def test_the_sweep_reaches_every_command():
    swept = {path for path, _ in CASES}
    assert len(commands()) >= 30
    assert {("npc",), ("batch", "submit"), ("jobs", "list"), ("history", "list"), ("check",)} <= swept


@pytest.mark.parametrize(("path", "args"), CASES, ids=[" ".join((*p, *a)) for p, a in CASES])
def test_a_bad_option_value_is_one_line_with_a_documented_code(cli, path, args):
    result = cli(*path, *args)
    assert result.exit_code in USER_MISTAKE_CODES, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.startswith("error:") or "\nerror:" in result.stderr, result.stderr


TEXT_OPTIONS = [("npc", "--name"), ("npc", "--concept"), ("npc", "--background"), ("npc", "--setting"),
                ("background", "--name"), ("portrait", "--name"), ("npc", "--var")]


@pytest.mark.parametrize(("command", "flag"), TEXT_OPTIONS)
@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=["empty", "ansi", "non-utf8", "huge"])
def test_hostile_text_is_refused_in_one_line(cli, command, flag, text):
    value = f"tone={text}" if flag == "--var" else text
    result = cli(command, flag, value)
    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr[:300])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert len(result.stderr) < 2_000  # the value is not echoed back whole
    assert "\x1b[31m" not in result.stderr


@pytest.mark.parametrize("klass", ["barbarian", "wizard"])
def test_a_missing_template_fails_whether_or_not_the_class_casts(cli, klass):
    """A barbarian's spells document asks the provider nothing, yet a bad --template is still a mistake."""
    result = cli("spells", "--class", klass, "--template", "no-such-template")
    assert result.exit_code == ExitCode.USAGE and "no such file" in result.stderr
