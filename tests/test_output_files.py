"""Output files, OS errors, hostile input files and databases (issue 12).

Each case: one `error:` line naming the path and the reason, the documented exit code, no traceback, nothing
replaced or half-written. Hostile files run as a subprocess under a memory limit and a timeout, so a regression
fails instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from charforge.errors import ExitCode


def _one_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return lines[0]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test, then put it back."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda value: os.umask(value)
    os.umask(saved)


def _device(path: Path, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): the real ones are never put at risk."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("cannot make a device node here")
    return path


# 1. -o -


def test_dash_means_stdout(cli, tmp_path):
    result = cli("npc", "--seed", "1", "-o", "-", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["name"]
    assert not (tmp_path / "-").exists()


# 2. non-regular targets, symlinks, modes


def test_device_is_written_not_replaced(cli, tmp_path):
    null = _device(tmp_path / "null", 3)
    result = cli("npc", "--seed", "1", "-o", str(null), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_fifo_is_written_not_replaced(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("npc", "--seed", "1", "-o", str(fifo), "-f", "json")
    if result.exit_code != 0:  # unblock the reader before failing
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["name"]


def test_symlink_target_is_refused(cli, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("keep me\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = cli("npc", "--seed", "1", "-o", str(link), "-f", "json")
    assert result.exit_code == ExitCode.USAGE
    assert "refusing to write through a symlink" in _one_error(result.stderr)
    assert link.is_symlink() and real.read_text() == "keep me\n"


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640)])
def test_new_file_honours_umask(cli, tmp_path, umask, mask, expected):
    umask(mask)
    result = cli("npc", "--seed", "1", "-o", str(tmp_path / "new.json"))
    assert result.exit_code == 0, result.stderr
    assert _mode(tmp_path / "new.json") == expected


def test_overwritten_file_keeps_its_mode(cli, tmp_path, umask):
    umask(0o077)
    target = tmp_path / "old.json"
    target.write_text("old\n")
    target.chmod(0o644)
    result = cli("npc", "--seed", "1", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert _mode(target) == 0o644 and target.read_text() != "old\n"


def test_keys_and_database_stay_private(cli, charforge_home, umask):
    umask(0o022)
    assert cli("keys", "set", "anthropic", "--value", "sk-ant-test-0000").exit_code == 0
    assert cli("history", "list").exit_code == 0
    assert _mode(charforge_home / "config" / "keys.yaml") == 0o600
    assert _mode(charforge_home / "data" / "charforge.db") == 0o600


# 3. extension and --format


@pytest.mark.parametrize(("name", "looks_like"), [
    ("x.md", lambda text: text.startswith("---\n")),
    ("x.json", lambda text: json.loads(text)["name"]),
    ("x.yaml", lambda text: yaml.safe_load(text)["name"]),
    ("x.yml", lambda text: yaml.safe_load(text)["name"]),
    ("x.html", lambda text: text.lstrip().lower().startswith("<!doctype html")),
    ("x.txt", lambda text: not text.startswith(("---", "{", "<"))),
    ("x.dat", lambda text: not text.startswith(("---", "{", "<"))),  # unknown: the default format (text)
])
def test_format_is_inferred_from_the_extension(cli, tmp_path, name, looks_like):
    result = cli("npc", "--seed", "1", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert looks_like((tmp_path / name).read_text(encoding="utf-8"))


def test_pdf_is_inferred_from_the_extension(cli, tmp_path):
    pytest.importorskip("weasyprint")
    result = cli("npc", "--seed", "1", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")


def test_extension_and_format_must_agree(cli, tmp_path):
    result = cli("npc", "--seed", "1", "-o", str(tmp_path / "x.json"), "-f", "text")
    assert result.exit_code == ExitCode.USAGE
    line = _one_error(result.stderr)
    assert ".json" in line and "text" in line
    assert not (tmp_path / "x.json").exists()


def test_matching_extension_and_format(cli, tmp_path):
    result = cli("npc", "--seed", "1", "-o", str(tmp_path / "x.yml"), "-f", "YAML")
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load((tmp_path / "x.yml").read_text())["name"]


# 4. OSError: one line, the path and the reason


@pytest.mark.parametrize(("out", "reason"), [
    ("/nonexistent/dir/x.json", "does not exist"),
    ("/proc/x.json", ""),
])
def test_unwritable_output(cli, out, reason):
    result = cli("npc", "--seed", "1", "-o", out)
    assert result.exit_code == ExitCode.USAGE
    line = _one_error(result.stderr)
    assert out in line and reason in line


def test_disk_full_on_output_file(cli, tmp_path):
    full = _device(tmp_path / "full", 7)
    result = cli("npc", "--seed", "1", "-o", str(full), "-f", "json")
    assert result.exit_code == ExitCode.USAGE
    line = _one_error(result.stderr)
    assert str(full) in line and "No space left on device" in line
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_unreadable_setting_and_from_files(cli, tmp_path):
    folder = tmp_path / "setting.yaml"
    folder.mkdir()
    result = cli("npc", "--seed", "1", "--setting", str(folder))
    assert result.exit_code == ExitCode.USAGE
    assert str(folder) in _one_error(result.stderr)
    result = cli("portrait", "--from", str(folder), "--dry-run")
    assert result.exit_code == ExitCode.USAGE
    assert str(folder) in _one_error(result.stderr)


def _run(*args: str, stdout=subprocess.PIPE, env: dict[str, str] | None = None, timeout: float = 30):
    """charforge as a process, with 1 GiB of address space at most."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-m", "charforge", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env={**os.environ, **(env or {})}, timeout=timeout, preexec_fn=limit)


def test_stdout_disk_full(charforge_home):
    with open("/dev/full", "w") as full:
        result = _run("schema", stdout=full)
    assert result.returncode == ExitCode.USAGE
    line = _one_error(result.stderr)
    assert "stdout" in line and "No space left on device" in line


def test_stdout_closed_pipe_is_quiet(charforge_home):
    process = subprocess.Popen([sys.executable, "-m", "charforge", "schema"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # the reader went away, as `| head -0` does
    stderr = process.stderr.read()
    process.wait(30)
    assert "Traceback" not in stderr and "internal error" not in stderr and "Exception ignored" not in stderr, stderr


# 5. hostile files

BOMB = "\n".join(['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]) + "\n"
NESTED = "[" * 10_000 + "]" * 10_000 + "\n"


def _hostile(tmp_path: Path, kind: str, body: str) -> tuple[list[str], dict[str, str], int]:
    path = tmp_path / f"{kind}.yaml"
    path.write_text(body)
    if kind == "config":
        home = tmp_path / "home"
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "config" / "config.yaml").write_text(body)
        return ["npc", "--seed", "1"], {"CHARFORGE_HOME": str(home)}, ExitCode.CONFIG
    if kind == "setting":
        return ["npc", "--seed", "1", "--setting", str(path)], {}, ExitCode.USAGE
    if kind == "template":
        return ["background", "--seed", "1", "--dry-run", "--template", str(path)], {}, ExitCode.USAGE
    return ["batch", "submit", str(path)], {}, ExitCode.USAGE


@pytest.mark.parametrize("kind", ["config", "setting", "template", "batch"])
@pytest.mark.parametrize("body", [BOMB, NESTED], ids=["alias-bomb", "nested"])
def test_hostile_yaml(tmp_path, charforge_home, kind, body):
    args, env, code = _hostile(tmp_path, kind, body)
    result = _run(*args, env=env)
    assert result.returncode == code, result.stderr
    _one_error(result.stderr)


@pytest.mark.parametrize(("name", "body"), [
    ("nested.jsonl", "[" * 10_000 + "]" * 10_000 + "\n"),
    ("nested-object.jsonl", '{"a":' * 10_000 + "1" + "}" * 10_000 + "\n"),
    ("huge-field.csv", "name,class\n" + '"' + "x" * 200_000 + '",wizard\n'),
    ("broken.csv", 'name,class\n"unterminated,wizard\n'),
])
def test_hostile_batch_specs(cli, tmp_path, name, body):
    (tmp_path / name).write_text(body)
    result = cli("batch", "submit", str(tmp_path / name))
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert name in _one_error(result.stderr)


def test_oversized_yaml_is_refused(cli, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("rows:\n  - {class: wizard}\n# " + "z" * 20_000_000 + "\n")
    result = cli("batch", "submit", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert "big.yaml" in _one_error(result.stderr)


# 6. databases


def _database(home: Path) -> Path:
    (home / "data").mkdir(parents=True, exist_ok=True)
    return home / "data" / "charforge.db"


def test_corrupted_database(cli, charforge_home):
    db = _database(charforge_home)
    junk = os.urandom(64 * 1024)
    db.write_bytes(junk)
    result = cli("history", "list")
    assert result.exit_code == ExitCode.CONFIG
    assert str(db) in _one_error(result.stderr) and "move" in result.stderr
    assert db.read_bytes() == junk


def test_foreign_database(cli, charforge_home):
    db = _database(charforge_home)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    before = db.read_bytes()
    result = cli("history", "list")
    assert result.exit_code == ExitCode.CONFIG
    line = _one_error(result.stderr)
    assert str(db) in line and "not a charforge database" in line
    assert db.read_bytes() == before
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["customers"]


def test_database_from_a_newer_charforge(cli, charforge_home):
    from charforge.store.db import open_db

    db = _database(charforge_home)
    open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    result = cli("history", "list")
    assert result.exit_code == ExitCode.CONFIG
    line = _one_error(result.stderr)
    assert str(db) in line and "newer charforge" in line
    assert "upgrade" in result.stderr


@pytest.mark.parametrize("body", [BOMB, NESTED], ids=["alias-bomb", "nested"])
def test_the_keys_file_and_the_price_override_are_read_with_the_same_limits(cli, charforge_home, body):
    from charforge import config, prices
    from charforge.errors import ConfigError

    keys = config.config_dir() / "keys.yaml"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text(body)
    result = cli("keys", "list")
    assert result.exit_code == 3 and "cannot read" in result.stderr and "Traceback" not in result.stderr
    override = charforge_home / "prices.yaml"
    override.write_text(body)
    with pytest.raises(ConfigError):
        prices._read_override(override)
