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


# 4. keys remove


def test_keys_remove_asks_on_stderr_then_removes():
    from charforge import keys

    assert run("keys", "set", "openai", "--value", "sk-test-remove").exit_code == 0
    kept = run("keys", "remove", "openai", input="n\n")
    assert kept.exit_code == 0 and "left as it is" in kept.stderr
    assert "openai" in kept.stderr and kept.stdout == ""
    assert keys.stored() == {"openai": "sk-test-remove"}
    eof = run("keys", "remove", "openai", input="")
    assert eof.exit_code == 0 and "left as it is" in eof.stderr
    removed = run("keys", "remove", "openai", input="y\n")
    assert removed.exit_code == 0, removed.stderr
    assert keys.stored() == {}


def test_keys_remove_with_nothing_stored_does_not_ask():
    result = run("keys", "remove", "OpenAI", input="y\n")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "?" not in result.stderr and "no stored openai key" in result.stderr


def test_keys_remove_yes_skips_the_question():
    from charforge import keys

    run("keys", "set", "anthropic", "--value", "sk-ant-test")
    result = run("keys", "remove", "anthropic", "--yes")
    assert result.exit_code == 0 and "?" not in result.stderr
    assert keys.stored() == {}


def test_keys_remove_unknown_provider_is_a_usage_error():
    result = run("keys", "remove", "bogus", "--yes")
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.stderr


# 5. confirmations and the editor


APPEND = {"EDITOR": "sed -i 1i#mine", "VISUAL": ""}  # an editor that changes the file, validly


def _override(name: str):
    from charforge.prompts.service import user_dir

    return user_dir() / f"{name}.yaml"


def test_prompts_reset_without_override_does_not_ask():
    result = run("prompts", "reset", "background", input="n\n")
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "?" not in result.stderr and result.stdout == ""
    assert "no user override" in result.stderr


@pytest.mark.parametrize("answer", ["n\n", ""], ids=["no", "eof"])
def test_prompts_reset_no_or_eof_leaves_it(answer):
    assert run("prompts", "edit", "background", env=APPEND).exit_code == 0
    assert _override("background").exists()
    result = run("prompts", "reset", "background", input=answer)
    assert result.exit_code == 0, result.stderr
    assert "left as it is" in result.stderr and "?" in result.stderr and result.stdout == ""
    assert _override("background").exists()


def test_prompts_reset_yes_removes():
    run("prompts", "edit", "background", env=APPEND)
    result = run("prompts", "reset", "background", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert not _override("background").exists()


@pytest.mark.parametrize("editor", ["false", "/nonexistent/editor"])
def test_prompts_edit_with_a_failing_editor_leaves_no_override(editor):
    result = run("prompts", "edit", "spells", env={"EDITOR": editor, "VISUAL": ""})
    assert result.exit_code == ExitCode.CONFIG, result.stderr
    assert "$EDITOR" in result.stderr and "Traceback" not in result.stderr
    assert not _override("spells").exists()


def test_prompts_edit_failing_editor_keeps_an_existing_override():
    run("prompts", "edit", "spells", env=APPEND)
    before = _override("spells").read_text()
    result = run("prompts", "edit", "spells", env={"EDITOR": "false", "VISUAL": ""})
    assert result.exit_code == ExitCode.CONFIG
    assert _override("spells").read_text() == before


def test_prompts_edit_unchanged_leaves_no_override():
    result = run("prompts", "edit", "equipment", env={"EDITOR": "true", "VISUAL": ""})
    assert result.exit_code == 0, result.stderr
    assert not _override("equipment").exists()
    assert "unchanged" in result.stderr


# 6. config show sources, history ids, '-' reads stdin


def test_config_show_prints_effective_values_and_their_source():
    rows = json.loads(run("config", "show", "--json").stdout)
    assert rows["anthropic.model"] == {"value": "claude-sonnet-5-5", "source": "default (anthropic)"}
    assert rows["openai-compatible.base_url"] == {"value": "http://localhost:11434/v1",
                                                  "source": "default (openai-compatible)"}
    assert rows["images.model"] == {"value": "charforge-offline-portrait-1", "source": "default (offline)"}
    assert rows["provider"] == {"value": "auto", "source": "default"}
    table = run("config", "show").stdout
    assert "anthropic.model\tnull" not in table
    assert 'anthropic.model\t"claude-sonnet-5-5"\tdefault (anthropic)' in table


def test_config_show_names_the_layer_that_set_a_value(monkeypatch):
    monkeypatch.setenv("CHARFORGE_LENGTH", "quick")
    monkeypatch.setenv("CHARFORGE_ANTHROPIC__MODEL", "claude-test")
    rows = json.loads(run("config", "show", "--json").stdout)
    assert rows["length"] == {"value": "quick", "source": "environment"}
    assert rows["anthropic.model"] == {"value": "claude-test", "source": "environment"}


def test_history_list_never_cuts_the_id_column(monkeypatch):
    import io
    import sys

    from charforge.cli import history
    from charforge.store.generations import CallRecord, GenerationLog

    long_id = "01JAAAAAAAAAAAAAAAAAAAAAAA"
    with GenerationLog() as log:
        log.record(CallRecord(id=long_id, time="2026-11-24T09:00:00Z", command="npc", provider="openai-compatible",
                              model="a-rather-long-model-name-v2", kind="background", request={}, response="{}",
                              error="rate limited (429) after six attempts at the server"))

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys, "stdout", out)
    history.list_command(limit=20, provider=None, command=None, errors=False, json_=False)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()).splitlines()  # colour codes take no columns
    assert any(long_id in line for line in lines), "\n".join(lines)
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)


def test_from_dash_reads_the_character_from_stdin():
    character = run("npc", "--seed", "3", "--class", "wizard", "-f", "json").stdout
    result = run("portrait", "--from", "-", "--dry-run", "-f", "json", input=character)
    assert result.exit_code == 0, result.stderr
    assert "wizard" in result.stdout.lower()


def test_replay_dash_reads_the_document_from_stdin():
    document = run("npc", "--seed", "3", "--class", "wizard", "-f", "json").stdout
    result = run("npc", "--replay", "-", "-f", "json", input=document)
    assert result.exit_code == 0, result.stderr
    replayed, original = json.loads(result.stdout), json.loads(document)
    assert {k: v for k, v in replayed.items() if k != "provenance"} == \
        {k: v for k, v in original.items() if k != "provenance"}


@pytest.mark.parametrize("args", [("portrait", "--from", "-", "--dry-run"), ("npc", "--replay", "-")],
                         ids=["from", "replay"])
@pytest.mark.parametrize("stdin", ["", "{not json"], ids=["empty", "invalid"])
def test_dash_with_bad_stdin_is_one_usage_line(args, stdin):
    result = run(*args, input=stdin)
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert f"{args[1]} -" in result.stderr and "Traceback" not in result.stderr
    assert "No such file" not in result.stderr  # '-' is stdin, not a file named '-'
    assert ("stdin is empty" in result.stderr) == (stdin == "")
    assert result.stderr.count("error:") == 1 and result.stdout == ""
    assert not __import__("pathlib").Path("-").exists()


@pytest.mark.parametrize("path", [("portrait",), ("npc",)])
def test_dash_is_documented_in_help(path):
    assert "'-' reads stdin" in " ".join(run(*path, "--help", env={"COLUMNS": "200"}).stdout.split())
