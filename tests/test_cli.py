"""The commands as a user runs them (in-process through Typer's runner)."""

from __future__ import annotations

import json
import os

import pytest
import typer
import yaml

from charforge.cli import app
from charforge.errors import ExitCode
from charforge.models import SCHEMA_VERSION
from charforge.rules.pack import load

PACK = load()


def test_npc_json_is_a_complete_character(cli):
    result = cli("npc", "--seed", "42", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    for key in ("schema_version", "name", "ancestry", "class", "level", "alignment", "abilities", "hp", "ac",
                "proficiency_bonus", "spells", "equipment", "trinkets", "background", "provenance"):
        assert key in doc, key
    assert doc["schema_version"] == SCHEMA_VERSION
    assert set(doc["abilities"]) == {"str", "dex", "con", "int", "wis", "cha"}
    assert doc["ancestry"] in PACK.races and doc["class"] in PACK.classes
    assert {"early_life", "pivotal_moments", "recent_history", "unresolved_mysteries"} <= set(doc["background"])
    provenance = doc["provenance"]
    assert {k: provenance[k] for k in ("seed", "provider", "model", "rules", "template", "repairs")} == {
        "seed": 42, "provider": "offline", "model": "charforge-offline-1", "rules": "srd-5.1", "template": None,
        "repairs": []}
    assert provenance["spec"]["seed"] == 42 and provenance["spec"]["class"] is None  # what was asked for
    assert provenance["usage"]["calls"] == 1
    assert all(set(item) >= {"name", "quantity"} for item in doc["equipment"])
    assert "using the offline generator" in result.stderr


def test_same_seed_same_document_other_seed_other_character(cli):
    first = cli("npc", "--seed", "42", "--format", "json").stdout
    assert cli("npc", "--seed", "42", "--format", "json").stdout == first
    other = json.loads(cli("npc", "--seed", "43", "--format", "json").stdout)
    mine = json.loads(first)
    assert other["name"] != mine["name"]
    assert other["background"]["early_life"] != mine["background"]["early_life"]


def test_given_fields_are_kept(cli):
    doc = cli.json("npc", "--name", "Ilse Varga", "--class", "Cleric", "--ancestry", "hill-dwarf", "--level", "7",
                   "--alignment", "LG", "--concept", "retired siege engineer", "--seed", "5")
    assert (doc["name"], doc["class"], doc["ancestry"], doc["level"]) == ("Ilse Varga", "cleric", "hill-dwarf", 7)
    assert (doc["alignment"], doc["concept"]) == ("lawful-good", "retired siege engineer")


def test_spells_wizard_level_5(cli):
    doc = cli.json("spells", "--class", "wizard", "--level", "5", "--seed", "1")
    assert (doc["class"], doc["level"]) == ("wizard", 5)
    levels = [s["level"] for s in doc["spells"]]
    assert max(levels) <= 3
    assert levels.count(0) == PACK.classes["wizard"].at(5).cantrips_known == 4
    for spell in doc["spells"]:
        index = next(i for i, s in PACK.spells.items() if s.name == spell["name"])
        assert "wizard" in PACK.spells[index].classes


def test_paladin_level_1_has_no_spells_and_warlock_has_pact_slots(cli):
    assert cli.json("spells", "--class", "paladin", "--level", "1")["spells"] == []
    warlock = cli.json("spells", "--class", "warlock", "--level", "5", "--seed", "3")
    assert warlock["spellcasting"]["pact_magic"] is True
    assert warlock["spellcasting"]["slots"] == [0, 0, 2, 0, 0, 0, 0, 0, 0]


def test_equipment_json_contract(cli):
    doc = cli.json("equipment", "--class", "fighter", "--level", "3", "--seed", "8")
    assert {"class", "level", "equipment", "total_cost_gp", "budget_gp"} <= set(doc)
    assert doc["total_cost_gp"] <= doc["budget_gp"]
    names = {item.name for item in PACK.equipment.values()}
    assert all(item["name"] in names for item in doc["equipment"])


def test_background_formats(cli):
    args = ("background", "--seed", "11", "--class", "bard")
    as_yaml = yaml.safe_load(cli(*args, "--format", "yaml").stdout)
    assert as_yaml == cli.json(*args)
    markdown = cli(*args, "--format", "markdown").stdout
    assert markdown.startswith("---\n") and f"\n# {as_yaml['name']}\n" in markdown and "### Early life" in markdown
    text = cli(*args, "--format", "text").stdout
    assert as_yaml["name"] in text and "\x1b[" not in text  # piped: no colour codes


def test_out_writes_the_file_and_nothing_on_stdout(cli, tmp_path):
    target = tmp_path / "hero.json"
    result = cli("npc", "--seed", "4", "--format", "json", "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text())["provenance"]["seed"] == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".hero")] == []


def test_settings_layers(cli, tmp_path, charforge_home):
    (charforge_home / "config").mkdir(parents=True)
    (charforge_home / "config" / "config.yaml").write_text("format: yaml\nlength: quick\n")
    (tmp_path / ".env").write_text("CHARFORGE_LENGTH=full\n")
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["format"] == {"value": "yaml", "source": "config.yaml"}
    assert shown["length"] == {"value": "full", "source": ".env"}
    assert shown["provider"] == {"value": "auto", "source": "default"}
    result = cli("config", "show", "--json", env={"CHARFORGE_LENGTH": "standard"})
    assert json.loads(result.stdout)["length"] == {"value": "standard", "source": "environment"}
    assert yaml.safe_load(cli("background", "--seed", "2").stdout)["kind"] == "background"  # format from config
    assert cli("background", "--seed", "2", "--format", "json").stdout.startswith("{")  # flag beats config


def test_config_path_honours_charforge_home(cli, charforge_home):
    paths = json.loads(cli("config", "path", "--json").stdout)
    assert paths["config_file"] == str(charforge_home / "config" / "config.yaml")
    assert paths["data_dir"] == str(charforge_home / "data")


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("npc", "--level", "0"), ExitCode.USAGE, "--level"),
        (("npc", "--level", "21"), ExitCode.USAGE, "less than or equal to 20"),
        (("npc", "--class", "necromancer"), ExitCode.USAGE, "wizard"),
        (("npc", "--ancestry", "../etc"), ExitCode.USAGE, "hill-dwarf"),
        (("npc", "--alignment", "chaotic stupid"), ExitCode.USAGE, "lawful-good"),
        (("npc", "--format", "docx"), ExitCode.USAGE, "json"),
        (("npc", "--provider", "skynet"), ExitCode.USAGE, "offline"),
        (("npc", "--seed", "-1"), ExitCode.USAGE, "--seed"),
        (("npc", "--out", "/nonexistent/dir/x.json"), ExitCode.USAGE, "does not exist"),
        (("frobnicate",), ExitCode.USAGE, "No such command"),
    ],
)
def test_bad_input_is_one_line_with_the_fix(cli, args, code, needle):
    result = cli(*args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_unwritable_out_path(cli, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    # Root may write anywhere on disk, but nobody can create files in /proc.
    target = locked / "x.json" if os.geteuid() != 0 else "/proc/charforge-x.json"
    result = cli("npc", "--out", str(target))
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert result.stderr.startswith(f"error: cannot write {target}")
    assert result.stdout == ""


def test_out_path_that_is_a_directory(cli, tmp_path):
    result = cli("npc", "--out", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE and "is a directory" in result.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [("format: [unclosed\n", "not valid YAML"), ("- a list\n", "expected a mapping"),
     ("format: docx\n", "format"), ("colour: blue\n", "colour")],
)
def test_malformed_config_yaml_is_a_config_error(cli, charforge_home, content, needle):
    (charforge_home / "config").mkdir(parents=True)
    (charforge_home / "config" / "config.yaml").write_text(content)
    result = cli("npc", "--seed", "1", "--out", "never")  # no extension: never.json would choose --format json
    assert result.exit_code == ExitCode.CONFIG, result.stderr
    assert needle in result.stderr and "config.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not os.path.exists("never")


def test_debug_shows_the_traceback(cli):
    result = cli("--debug", "npc", "--class", "necromancer")
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback (most recent call last)" in result.stderr
    assert "charforge.errors.UsageError: unknown class 'necromancer'" in result.stderr


def test_every_command_has_help(cli):
    groups = {"config": ("show", "path"), "keys": ("set", "list", "path"), "history": ("list", "show", "usage"),
              "prompts": ("list", "show", "path", "edit", "validate", "diff", "reset"), "batch": ("submit",),
              "jobs": ("list", "show", "retry", "cancel", "export", "prune")}
    commands = ([c] for c in ("schema", "npc", "background", "equipment", "spells", "portrait", "check", "providers",
                              "worker", *groups))
    commands = [*commands, *([g, c] for g, subs in groups.items() for c in subs)]
    for args in ([], *commands):
        args = [*args, "--help"]
        result = cli(*args)
        assert result.exit_code == 0, args
        assert "Usage" in result.stdout
    registered = set(typer.main.get_command(app).commands)
    assert registered == {"background", "equipment", "spells", "npc", "portrait", "check", "config", "keys",
                          "history", "prompts", "schema", "providers", "batch", "worker", "jobs"}


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("charforge ")


def test_character_json_opens_with_who_it_is_about(cli):
    keys = list(cli.json("npc", "--seed", "1"))
    assert keys[:8] == ["schema_version", "kind", "name", "ancestry", "class", "level", "alignment", "concept"]
    assert keys[-1] == "provenance"


def test_verbose_logs_go_to_stderr_and_the_log_file(cli, tmp_path):
    log_file = tmp_path / "charforge.log"
    result = cli("-v", "--log-file", str(log_file), "npc", "--seed", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)  # logs never reach stdout
    assert "asking offline" in result.stderr
    assert "planned" in log_file.read_text()
    quiet = cli("npc", "--seed", "3", "--format", "json")
    assert "asking offline" not in quiet.stderr


def test_no_log_needs_no_writable_data_dir(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {"CHARFORGE_HOME": str(blocker / "home")}  # nothing can be created under a regular file
    assert cli("npc", "--seed", "1", "--no-log", "--format", "json", env=env).exit_code == 0
    logged = cli("npc", "--seed", "1", env=env)
    assert logged.exit_code == ExitCode.CONFIG and logged.stdout == ""
    assert "hint:" in logged.stderr and "--no-log" in logged.stderr  # the hint names the way out
