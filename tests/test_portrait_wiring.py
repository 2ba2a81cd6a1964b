"""Portraits wired into the rest of charforge: the root command, npc --portrait, check and keys."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from charforge.errors import ExitCode


def test_portrait_command_is_mounted_and_deterministic(cli, tmp_path):
    out = tmp_path / "art"
    out.mkdir()
    args = ("portrait", "--provider", "offline", "--name", "Brokk", "--class", "fighter", "--seed", "3",
            "--out", str(out))
    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    [path] = [Path(line) for line in first.stdout.splitlines()]
    assert Image.open(path).format == "PNG" and path.with_suffix(".json").exists()
    data = path.read_bytes()
    assert cli(*args).exit_code == 0 and path.read_bytes() == data


def test_npc_portrait_attaches_the_image_path(cli, tmp_path):
    art = tmp_path / "art"
    art.mkdir()
    result = cli("npc", "--seed", "9", "--class", "bard", "--portrait", "--portrait-dir", str(art), "-f", "json")
    assert result.exit_code == 0, result.stderr
    image = Path(json.loads(result.stdout)["portrait"]["image"])
    assert image.parent == art and Image.open(image).size == (512, 512)
    sidecar = json.loads(image.with_suffix(".json").read_text())
    assert sidecar["provider"] == "offline" and sidecar["sha256"][:12] in image.name
    refused = cli("spells", "--portrait")
    assert refused.exit_code == ExitCode.USAGE


def test_check_covers_image_providers(cli):
    result = cli("check", "--provider", "images:stability", "--json")
    assert result.exit_code == ExitCode.PROVIDER
    [_, stability] = json.loads(result.stdout)
    assert stability["provider"] == "images:stability" and "STABILITY_API_KEY" in json.dumps(stability)


def test_keys_set_stability(cli, charforge_home):
    assert cli("keys", "set", "stability", "--value", "sk-stability-123456789").exit_code == 0
    listed = json.loads(cli("keys", "list", "--json").stdout)
    assert {"provider": "stability", "source": str(charforge_home / "config" / "keys.yaml")} in listed
