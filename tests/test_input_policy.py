"""Issue 12: one input policy for every free-text value, and the same validation whatever the provider.

Each test reproduces a report from the issue; they ran red before the fix. argv arrives decoded with
surrogateescape, so a byte that is not UTF-8 reaches charforge as a lone surrogate such as '\\udcff'.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from charforge import inputs
from charforge.errors import ExitCode

BAD_BYTE = "Bad\udcff"  # what Python makes of argv b"Bad\xff"


def _one_line_usage_error(result, option: str) -> None:
    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {option}"), result.stderr
    assert len(lines) == 2 and lines[1].startswith("hint:"), result.stderr
    result.stderr.encode("utf-8")  # what we print is always valid UTF-8
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "option"), [
    (("npc", "--name", BAD_BYTE, "-f", "json"), "--name"),
    (("npc", "--name", ""), "--name"),
    (("npc", "--name", "   "), "--name"),
    (("npc", "--name", "x" * 100_000), "--name"),
    (("portrait", "--name", "x" * 100_000), "--name"),
    (("portrait", "--name", ""), "--name"),
    (("npc", "--name", "Red\x1b[31mAlert"), "--name"),
    (("background", "--concept", "a\x9bb"), "--concept"),
    (("background", "--concept", "c" * (inputs.CONCEPT_MAX + 1)), "--concept"),
    (("background", "--background", "line\nbreak"), "--background"),
    (("npc", "--setting", "s" * (inputs.SETTING_MAX + 1)), "--setting"),
    (("npc", "--setting", BAD_BYTE), "--setting"),
    (("npc", "--var", "tone=grim\x07"), "--var tone"),
    (("npc", "--var", "tone=" + "g" * (inputs.VAR_MAX + 1)), "--var tone"),
    (("npc", "--var", "tone="), "--var tone"),
    (("history", "show", "\udcff"), "argument '\\xff'"),
])
def test_free_text_policy_is_the_same_in_every_command(cli, args, option):
    result = cli(*args)
    _one_line_usage_error(result, option)
    if "x" * 100_000 in args:
        assert "at most 100 characters" in result.stderr and "should have" not in result.stderr


def test_limits_are_inclusive_and_documented_in_one_place(cli):
    name = "N" * inputs.NAME_MAX
    doc = cli.json("npc", "--seed", "3", "--name", name, "--concept", "c" * inputs.CONCEPT_MAX)
    assert doc["name"] == name
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for limit in (inputs.NAME_MAX, inputs.CONCEPT_MAX, inputs.SETTING_MAX, inputs.VAR_MAX):
        assert str(limit) in readme


def test_batch_rows_get_the_same_policy(cli, tmp_path):
    spec = tmp_path / "town.yaml"
    spec.write_text("rows:\n  - {name: ''}\n", encoding="utf-8")
    result = cli("batch", "submit", str(spec))
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert "batch row 1: name: must not be empty" in result.stderr
    spec.write_text(json.dumps({"rows": [{"concept": "x\x1by"}]}), encoding="utf-8")
    result = cli("batch", "submit", str(spec))
    assert result.exit_code == ExitCode.USAGE and "batch row 1: concept: control character" in result.stderr


# -- item 2: user mistakes are usage errors, offline too -------------------------------------------


@pytest.mark.parametrize("weights", ["{elf: -1}", "{elf: 0, human: 0}", "{elf: .nan}"])
def test_bad_ancestry_weights_are_usage_errors(cli, tmp_path, weights):
    (tmp_path / "town.yaml").write_text(f"name: Varr\nancestry_weights: {weights}\n", encoding="utf-8")
    result = cli("npc", "--setting", "town.yaml")
    _one_line_usage_error(result, "--setting town.yaml: ancestry_weights")


@pytest.mark.parametrize(("args", "says"), [
    (("check", "--provider", "bogus"), "unknown text provider 'bogus'"),
    (("check", "--provider", "images:bogus"), "unknown image provider 'bogus'"),
    (("npc", "--var", "nosuch=1"), "--var nosuch: "),
    (("npc", "--var", "tone=bogus"), "--var tone='bogus': not one of"),
    (("background", "--var", "tone=bogus"), "--var tone='bogus': not one of"),
])
def test_template_variables_and_providers_fail_the_same_offline(cli, args, says):
    result = cli(*args, "--provider", "offline") if args[0] != "check" else cli(*args)
    assert result.exit_code == ExitCode.USAGE, (result.exit_code, result.stderr)
    assert says in result.stderr and "internal error" not in result.stderr
    assert cli(*args[:1], "--var", "tone=grim", "--seed", "1").exit_code == 0 if args[0] != "check" else True


# -- item 3: plain words and styles change the offline result -------------------------------------------


def test_plain_words_setting_changes_the_offline_story(cli):
    plain = cli.json("background", "--seed", "5")
    varr = cli.json("background", "--seed", "5", "--setting", "the port of Varr")
    story = json.dumps(varr["background"])
    assert "the port of Varr" in story and plain["background"] != varr["background"]


def test_portrait_styles_give_different_offline_images_and_keep_both_sidecars(cli, tmp_path):
    out = tmp_path / "art"
    paths = {}
    for style in ("painted", "token", "ink sketch"):
        result = cli("portrait", "--seed", "1", "--name", "Lugon", "--class", "rogue", "--style", style,
                     "-o", str(out))
        assert result.exit_code == 0, result.stderr
        [paths[style]] = [Path(line) for line in result.stdout.splitlines()]
    assert len({p.read_bytes() for p in paths.values()}) == 3
    for style, path in paths.items():
        assert json.loads(path.with_suffix(".json").read_text())["style"] == style
