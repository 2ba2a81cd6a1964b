"""Security invariants that hold for the whole source tree (issue 12): no shell, no os.system."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import charforge

SRC = Path(charforge.__file__).parent


def shell_calls(tree: ast.AST) -> list[int]:
    """Lines that start a shell: os.system/os.popen, subprocess's getoutput, or any call passing shell=<not False>."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        shell = any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                    for k in node.keywords)
        if shell or name in ("system", "popen", "getoutput", "getstatusoutput", "startfile"):
            found.append(node.lineno)
    return found


def test_no_source_file_starts_a_shell():
    offenders = {str(path.relative_to(SRC)): lines for path in sorted(SRC.rglob("*.py"))
                 if (lines := shell_calls(ast.parse(path.read_text(), str(path))))}
    assert offenders == {}


@pytest.mark.parametrize("code", ["subprocess.run(cmd, shell=True)", "os.system('ls')", "subprocess.Popen(c, shell=1)",
                                  "os.popen('ls')", "run(cmd, shell=flag)"])
def test_the_scan_finds_a_shell(code):
    assert shell_calls(ast.parse(code)) == [1]


def test_the_scan_lets_argument_lists_through():
    assert shell_calls(ast.parse("subprocess.run(['vi', path], check=False, shell=False)")) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/cron.d/x", "..", "a/../../b", "..\\..\\win"])
def test_a_batch_character_file_stays_in_the_output_folder(tmp_path, name):
    from charforge.service.batch_files import file_name, prepare

    out = tmp_path / "out"
    out.mkdir()
    written = out / file_name(name, "job-0123456789abcdef", prepare("json", out))
    assert written.resolve().parent == out.resolve() and not written.name.startswith(".")


def test_a_batch_file_finds_its_setting_beside_it_and_never_outside_its_folder(cli, tmp_path, monkeypatch):
    """A setting a batch file names is read from the batch file's folder, whatever the current folder, and a
    path that leaves that folder is refused before anything is queued."""
    spec_dir, outside, elsewhere = tmp_path / "spec", tmp_path / "outside", tmp_path / "elsewhere"
    for folder in (spec_dir, outside, elsewhere):
        folder.mkdir()
    (spec_dir / "town.yaml").write_text("name: Varr\nplace: a river town\n")
    (outside / "secret.yaml").write_text("name: Secret\n")
    (spec_dir / "ok.yaml").write_text("rows:\n  - {class: wizard, setting: town.yaml}\n")
    (spec_dir / "escape.yaml").write_text("rows:\n  - {class: wizard, setting: ../outside/secret.yaml}\n")
    secret = outside / "secret.yaml"
    (spec_dir / "absolute.yaml").write_text(f"defaults: {{setting: {secret}}}\nrows: [{{class: bard}}]\n")
    monkeypatch.chdir(elsewhere)
    ok = cli("batch", "submit", str(spec_dir / "ok.yaml"), "--provider", "offline", "--json")
    assert ok.exit_code == 0, ok.stderr
    for name in ("escape.yaml", "absolute.yaml"):
        refused = cli("batch", "submit", str(spec_dir / name), "--provider", "offline")
        assert refused.exit_code == 2, refused.stderr
        assert "outside the batch file's folder" in refused.stderr and "Traceback" not in refused.stderr
