"""Prompt templates: layered overrides, validation with file and line, the sandbox, dry runs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml

from charforge.errors import ExitCode
from charforge.prompts import PromptService
from charforge.prompts.service import builtin_dir
from charforge.service.planning import sample_context
from fake_llm import FakeLLM
from fake_llm import fake_llm as fake_llm

MARKER = "MARKER-7f3a: write like a ship's log"


@pytest.fixture
def user_prompts(charforge_home):
    folder = charforge_home / "config" / "prompts"
    folder.mkdir(parents=True)
    return folder


class _Block(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, as people write templates (and so line numbers mean something)."""


_Block.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def override(folder, name="background", filename=None, **fields) -> Path:
    """Write a copy of the built-in template with some fields replaced; returns its path."""
    data = yaml.safe_load((builtin_dir() / f"{name}.yaml").read_text()) | fields
    path = folder / (filename or f"{name}.yaml")
    path.write_text(yaml.dump(data, Dumper=_Block, sort_keys=False, allow_unicode=True))
    return path


def test_a_user_override_changes_what_the_provider_receives(cli, user_prompts, fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_url)
    override(user_prompts, user=MARKER + "\n")
    dry = cli("background", "--provider", "openai", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert MARKER in plan["user"] and plan["template"]["source"] == "user"
    assert fake_llm.requests == []  # a dry run calls nothing
    listed = {e["name"]: e for e in json.loads(cli("prompts", "list", "--json").stdout)}
    assert (listed["background"]["source"], listed["background"]["overridden"]) == ("user", True)
    assert cli("background", "--provider", "openai", "--seed", "1").exit_code == 0
    assert MARKER in fake_llm.requests[-1].body["messages"][1]["content"]
    (user_prompts / "background.yaml").unlink()
    assert cli("background", "--provider", "openai", "--seed", "1").exit_code == 0
    assert MARKER not in fake_llm.requests[-1].body["messages"][1]["content"]
    listed = {e["name"]: e for e in json.loads(cli("prompts", "list", "--json").stdout)}
    assert listed["background"]["source"] == "builtin"


def test_an_edited_override_is_picked_up_on_the_next_call(user_prompts):
    service = PromptService()
    override(user_prompts, user="first version")
    assert service.render("background", "openai", sample_context("background")).user == "first version"
    time.sleep(0.01)
    override(user_prompts, user="second, longer version")
    assert service.render("background", "openai", sample_context("background")).user == "second, longer version"


def test_provider_variant_files_beat_the_generic_file_in_a_layer(user_prompts):
    override(user_prompts, user="generic override")
    override(user_prompts, filename="background.anthropic.yaml", user="ANTHROPIC FILE", providers={})
    service = PromptService()
    assert service.render("background", "anthropic", sample_context("background")).user.startswith("ANTHROPIC FILE")
    assert service.render("background", "openai", sample_context("background")).user == "generic override"


def test_builtin_provider_blocks_apply():
    service = PromptService()
    context = sample_context("npc")
    assert "<character>" in service.render("npc", "anthropic", context).user
    assert "Contract:" in service.render("npc", "openai", context).system
    generic = service.render("npc", "openai-compatible", context)
    assert "<character>" not in generic.user and "Contract:" not in generic.system


BROKEN = {
    "bad jinja": ({"user": "fine\n{% if %}\n"}, "Expected an expression"),
    "undeclared variable": ({"user": "{{ favourite_colour }}"}, "undeclared variable 'favourite_colour'"),
    "unknown key": ({"colour": "blue"}, "colour: unknown key"),
    "bad output": ({"output": "Elephant"}, "no model named 'Elephant'"),
    "bad yaml": (None, "not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_templates_fail_with_file_line_and_problem(cli, user_prompts, fake_llm: FakeLLM, monkeypatch, case):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_url)
    fields, needle = BROKEN[case]
    path = override(user_prompts, **(fields or {}))
    if fields is None:
        path.write_text(path.read_text().replace("output: BackgroundAnswer", "output: [unclosed"))
    text = path.read_text().splitlines()
    line = next((n for n, t in enumerate(text, start=1) if "{% if %}" in t or "[unclosed" in t or "colour" in t
                 or "Elephant" in t), None)
    checked = cli("prompts", "validate", "background")
    assert checked.exit_code == ExitCode.USAGE
    generated = cli("background", "--provider", "openai", "--seed", "1")
    assert generated.exit_code == ExitCode.USAGE
    for result in (checked, generated):
        [error] = [e for e in result.stderr.splitlines() if e.startswith("error:")]
        assert f"{path}:" in error and needle in error
        if case == "bad yaml":  # PyYAML reports where it noticed, which can be the next line
            assert f"{path}:{line}:" in error or f"{path}:{line + 1}:" in error
        else:
            assert f"{path}:{line}:" in error
    assert fake_llm.requests == []  # nothing was sent


@pytest.mark.parametrize("attack", ["{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}",
                                    "{{ abilities.__class__.__subclasses__() }}"])
def test_the_sandbox_refuses_python_internals(cli, user_prompts, attack):
    override(user_prompts, user=attack)
    result = cli("prompts", "validate", "background")
    assert result.exit_code == ExitCode.USAGE
    assert "refused by the sandbox" in result.stderr or "unsafe" in result.stderr
    generated = cli("background", "--provider", "mock", "--dry-run")
    assert generated.exit_code == ExitCode.USAGE and "Traceback" not in generated.stderr


def test_template_file_prompts_dir_and_vars(cli, tmp_path, monkeypatch):
    custom = tmp_path / "mine"
    custom.mkdir()
    override(custom, user="from the prompts dir, tone {{ tone }}")
    result = json.loads(cli("background", "--prompts-dir", str(custom), "--dry-run", "-f", "json",
                            "--var", "tone=grim").stdout)
    assert result["user"] == "from the prompts dir, tone grim" and result["template"]["source"] == "prompts-dir"
    monkeypatch.setenv("CHARFORGE_PROMPTS_DIR", str(custom))
    assert json.loads(cli("background", "--dry-run", "-f", "json").stdout)["user"].endswith("tone grounded")
    single = override(tmp_path, filename="one.yaml", user="SINGLE")
    assert json.loads(cli("background", "--template", str(single), "--dry-run", "-f", "json").stdout)[
        "template"]["source"] == "file"
    bad = cli("background", "--dry-run", "--var", "tone=silly")
    assert bad.exit_code == ExitCode.USAGE and "not one of" in bad.stderr
    unknown = cli("background", "--dry-run", "--var", "mood=dark")
    assert unknown.exit_code == ExitCode.USAGE and "declares no such variable" in unknown.stderr


def test_provenance_and_log_name_the_template(cli, fake_llm: FakeLLM, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-key-123456")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)
    doc = cli.json("npc", "--seed", "2")
    template = doc["provenance"]["template"]
    assert (template["name"], template["version"], template["source"]) == ("npc", "1.1", "builtin")
    assert len(template["sha256"]) == 64
    dry = json.loads(cli("npc", "--seed", "2", "--dry-run", "-f", "json").stdout)
    assert dry["template"]["sha256"] == template["sha256"]  # the same messages, byte for byte


def test_prompts_show_path_diff_reset_edit(cli, user_prompts, tmp_path, monkeypatch):
    shown = cli("prompts", "show", "npc", "--provider", "anthropic").stdout
    assert "# npc 1.1 (builtin" in shown and "<character>" in shown
    assert cli("prompts", "show", "npc", "--raw").stdout == (builtin_dir() / "npc.yaml").read_text()
    assert str(user_prompts) in cli("prompts", "path").stdout
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/Task: spells/Task: spells (edited)/' \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    edited = cli("prompts", "edit", "spells")
    assert edited.exit_code == 0, edited.stderr
    assert "+  Task: spells (edited)" in cli("prompts", "diff", "spells").stdout
    assert cli("prompts", "reset", "spells", "--yes").exit_code == 0
    assert not (user_prompts / "spells.yaml").exists()
    assert cli("prompts", "diff", "spells").exit_code == ExitCode.USAGE
    refused = cli("prompts", "reset", "spells", "--yes")
    assert refused.exit_code == ExitCode.USAGE


def test_edit_reports_an_invalid_result(cli, user_prompts, tmp_path, monkeypatch):
    editor = tmp_path / "breaker.sh"
    editor.write_text("#!/bin/sh\necho 'colour: blue' >> \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = cli("prompts", "edit", "portrait")
    assert result.exit_code == ExitCode.USAGE and "colour: unknown key" in result.stderr


def test_every_builtin_template_is_valid(cli):
    result = json.loads(cli("prompts", "validate", "--json").stdout)
    assert {os.path.basename(r["path"]) for r in result} == {
        "background.yaml", "equipment.yaml", "spells.yaml", "portrait.yaml", "npc.yaml"}
    assert all(r["ok"] for r in result), result


def test_check_reports_an_invalid_template(cli, user_prompts):
    override(user_prompts, user="{{ favourite_colour }}")
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.PROVIDER
    [local] = [r for r in json.loads(result.stdout) if r["provider"] == "charforge"]
    templates = next(c for c in local["checks"] if c["name"] == "templates valid")
    assert not templates["ok"] and "favourite_colour" in templates["detail"]


def test_render_bench_runs():
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "bench/prompt_render.py", "--cached", "20", "--uncached", "3"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["speedup"] > 1
