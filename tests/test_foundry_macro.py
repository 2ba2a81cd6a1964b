"""The Foundry import macro in docs/ runs in Node against a stub of the Foundry API it uses, with real exported
actors: it must import every character file through importFromJSON, skip the batch index and anything that is not
a character, and survive a broken file. Skipped where Node is not installed (a fresh CI machine may lack it)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MACRO = Path(__file__).resolve().parents[1] / "docs" / "foundry-import-macro.js"
NODE = shutil.which("node") or shutil.which("nodejs")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (Debian: apt-get install nodejs)")

HARNESS = """
const files = %(files)s;
const log = {fetched: [], created: [], imported: [], updates: [], info: [], warn: [], folders: []};
globalThis.foundry = {applications: {apps: {FilePicker: {implementation: {
  browse: async (source, folder, options) => {
    log.browse = {source, folder, extensions: options.extensions};
    return {files: Object.keys(files)};
  }}}}}};
globalThis.fetch = async (path) => {
  log.fetched.push(path);
  const body = files[path];
  return {ok: body !== null, status: body === null ? 404 : 200, text: async () => body};
};
globalThis.game = {folders: []};
globalThis.Folder = {create: async (data) => { log.folders.push(data); return {id: "folder1", ...data}; }};
globalThis.Actor = {implementation: {create: async (data) => {
  log.created.push(data);
  return {
    importFromJSON: async (text) => { log.imported.push(JSON.parse(text).name); },
    update: async (data) => { log.updates.push(data); },
  };
}}};
globalThis.ui = {notifications: {info: (m) => log.info.push(m), warn: (m) => log.warn.push(m)}};
console.warn = (...args) => log.warn.push(JSON.stringify(args));
(async function macro() {
%(macro)s
})().then(() => process.stdout.write(JSON.stringify(log)), (e) => { console.error(e); process.exit(1); });
"""


def run_macro(files: dict[str, str | None], tmp_path: Path) -> dict:
    script = tmp_path / "harness.js"
    script.write_text(HARNESS % {"files": json.dumps(files), "macro": MACRO.read_text()})
    done = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def actors(tmp_path_factory):
    from typer.testing import CliRunner

    from charforge.cli import app

    home = tmp_path_factory.mktemp("home")
    made = {}
    for seed, klass in ((1, "wizard"), (2, "fighter")):
        result = CliRunner().invoke(app, ["npc", "--seed", str(seed), "--class", klass, "-f", "foundry"],
                                    env={"CHARFORGE_HOME": str(home)})
        assert result.exit_code == 0, result.output
        made[klass] = result.stdout
    return made


def test_the_macro_imports_each_character_and_skips_the_rest(actors, tmp_path):
    files = {
        "charforge/town/wizard.json": actors["wizard"],
        "charforge/town/fighter.json": actors["fighter"],
        "charforge/town/index.json": json.dumps({"batch": 1, "characters": []}),
        "charforge/town/notes.json": json.dumps({"type": "npc", "name": "not ours"}),
        "charforge/town/broken.json": "{ not json",
        "charforge/town/gone.json": None,
    }
    log = run_macro(files, tmp_path)
    assert log["browse"] == {"source": "data", "folder": "charforge/town", "extensions": [".json"]}
    assert "charforge/town/index.json" not in log["fetched"]
    names = [json.loads(actors[k])["name"] for k in ("wizard", "fighter")]
    assert log["imported"] == names
    assert [c["type"] for c in log["created"]] == ["character", "character"]
    assert log["folders"] == [{"name": "charforge import", "type": "Actor"}]
    assert log["updates"] == [{"folder": "folder1"}, {"folder": "folder1"}]
    assert log["info"] == ['charforge: imported 2 of 5 actors into "charforge import"']
    skipped = json.loads(log["warn"][0])[1]
    assert any("notes.json (not a character actor)" in s for s in skipped)
    assert any("broken.json" in s for s in skipped) and any("gone.json (HTTP 404)" in s for s in skipped)


def test_an_empty_folder_warns_and_imports_nothing(tmp_path):
    log = run_macro({"charforge/town/index.json": "{}"}, tmp_path)
    assert log["created"] == [] and log["warn"] == ["charforge: no .json files in Data/charforge/town"]
