"""The installed `charforge` script and `python -m charforge`, as real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("charforge", path=str(Path(sys.executable).parent)) or shutil.which("charforge")


def run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    return subprocess.run(args, capture_output=True, text=True, timeout=60,
                          env={**environ, "CHARFORGE_HOME": str(home), **env})


@pytest.mark.skipif(SCRIPT is None, reason="charforge is not installed as a console script")
def test_installed_script_generates_a_character(charforge_home):
    first = run([SCRIPT, "npc", "--seed", "42", "--format", "json"], charforge_home)
    assert first.returncode == 0, first.stderr
    doc = json.loads(first.stdout)
    assert doc["provenance"]["seed"] == 42
    assert run([SCRIPT, "npc", "--seed", "42", "--format", "json"], charforge_home).stdout == first.stdout


def test_python_dash_m_and_exit_codes(charforge_home):
    ok = run([sys.executable, "-m", "charforge", "--version"], charforge_home)
    assert ok.returncode == 0 and ok.stdout.startswith("charforge ")
    bad = run([sys.executable, "-m", "charforge", "spells", "--class", "necromancer"], charforge_home)
    assert bad.returncode == 2 and bad.stderr.startswith("error: unknown class 'necromancer'")
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("args", [["--help"], ["npc", "--provider", "offline", "--seed", "1", "--format", "json"]])
def test_provider_sdks_are_not_imported(charforge_home, args):
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['charforge', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('charforge', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('anthropic', 'openai', 'httpx', 'httpx2'))\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    result = run([sys.executable, "-c", probe], charforge_home)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rsplit("HEAVY=", 1)[1] == ""
