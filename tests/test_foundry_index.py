"""The committed index of dnd5e's SRD compendium covers what charforge produces, in the shape the export reads."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from charforge.export.foundry_index import entry, load_index
from charforge.rules.equipment import SHOP_EXCLUDES
from charforge.rules.pack import load

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("build_foundry_index", ROOT / "scripts" / "build_foundry_index.py")
build = sys.modules["build_foundry_index"] = importlib.util.module_from_spec(_spec)  # a dataclass needs its module
_spec.loader.exec_module(build)

PACK = load()
INDEX = load_index()
REPO = build.default_repo()  # read before the autouse fixture clears CHARFORGE_* variables
UUID = re.compile(r"^Compendium\.dnd5e\.([a-z0-9]+)\.Item\.([A-Za-z0-9]{16})$")
KEYS = {"uuid", "pack", "_id", "name", "type", "img", "system", "effects"}
# The 2014-rules Item packs of dnd5e 5.3.3's system.json.
SRD_ITEM_PACKS = {"dnd5e.spells", "dnd5e.items", "dnd5e.classes", "dnd5e.subclasses", "dnd5e.classfeatures",
                  "dnd5e.races", "dnd5e.backgrounds"}


def documents(entries):
    """Every document in the index: the entries and, recursively, the contents of containers."""
    for found in entries:
        yield found
        yield from documents(found.get("contents", []))


def test_header_records_version_and_license():
    assert INDEX["dnd5e"] == "5.3.3"
    assert INDEX["ref"] == "release-5.3.3"
    assert INDEX["core"] == {"minimum": "13.347", "verified": "14"}
    assert INDEX["license"] == "CC-BY-4.0"
    assert "System Reference Document 5.1" in INDEX["attribution"]
    assert "creativecommons.org/licenses/by/4.0" in INDEX["attribution"]
    assert "MIT" in INDEX["attribution"]
    assert set(INDEX["packs"]) <= SRD_ITEM_PACKS


@pytest.mark.parametrize(("kind", "indexes"), [
    ("spell", PACK.spells),
    ("item", [i for i, item in PACK.equipment.items() if item.category not in SHOP_EXCLUDES]),
    ("class", PACK.classes),
    ("subclass", PACK.subclasses),
    ("race", PACK.races),
    ("background", PACK.backgrounds),
])
def test_everything_charforge_produces_has_an_entry(kind, indexes):
    exempt = build.NO_ENTRY if kind == "item" else {}
    missing = [i for i in indexes if i not in exempt and entry(kind, i) is None]
    assert missing == []
    assert all(entry(kind, i) is None for i in exempt)  # an exclusion that has an entry is stale


def test_keys_name_charforge_indexes():
    known = {"spell": PACK.spells, "item": PACK.equipment, "class": PACK.classes, "subclass": PACK.subclasses,
             "race": PACK.races, "background": PACK.backgrounds, "background-feature": PACK.backgrounds,
             "feature": PACK.features}
    stray = [key for key in INDEX["entries"] if key.split(":", 1)[1] not in known.get(key.split(":", 1)[0], ())]
    assert stray == []


def test_features_mostly_covered():
    mapped = [i for i in PACK.features if entry("feature", i) is not None]
    assert len(mapped) >= 376, f"{len(mapped)} of {len(PACK.features)} features have a dnd5e document"


def test_every_uuid_is_well_formed_and_names_a_recorded_pack():
    for found in documents(INDEX["entries"].values()):
        assert set(found) >= KEYS, found.get("uuid")
        match = UUID.match(found["uuid"])
        assert match, found["uuid"]
        assert found["pack"] == f"dnd5e.{match[1]}" and found["_id"] == match[2]
        assert found["pack"] in INDEX["packs"]
        assert isinstance(found["system"], dict) and isinstance(found["effects"], list)


def test_entries_are_2014_rules():
    assert {found["system"]["source"].get("rules") for found in INDEX["entries"].values()} == {"2014"}


def test_containers_list_their_contents():
    for key, found in INDEX["entries"].items():
        assert ("contents" in found) == (found["type"] == "container"), key
        for content in found.get("contents", []):
            assert content["system"]["container"] == found["_id"]
            assert content["quantity"] == content["system"]["quantity"]


def test_entry_is_a_copy():
    first = entry("spell", "fire-bolt")
    first["system"]["level"] = 9
    assert entry("spell", "fire-bolt")["system"]["level"] == 0
    assert entry("spell", "no-such-spell") is None


def test_spot_checks():
    fire_bolt = entry("spell", "fire-bolt")
    assert fire_bolt["uuid"] == "Compendium.dnd5e.spells.Item.EOmsUcFQJTfG2oio"
    assert fire_bolt["type"] == "spell" and fire_bolt["system"]["activities"]
    wizard = entry("class", "wizard")
    assert wizard["uuid"] == "Compendium.dnd5e.classes.Item.wZK2Q0rXB0AQo8h3"
    assert wizard["system"]["spellcasting"]["progression"] == "full"
    longsword = entry("item", "longsword")
    assert longsword["type"] == "weapon"
    assert longsword["system"]["damage"]["base"]["denomination"] == 8
    assert longsword["system"]["type"]["baseItem"] == "longsword"
    arrow = entry("item", "arrow")
    assert arrow["type"] == "consumable" and arrow["system"]["type"]["value"] == "ammo"
    assert arrow["system"]["quantity"] == 1  # per piece; charforge sells them by 20
    pack = entry("item", "explorers-pack")
    assert pack["type"] == "container"
    assert {c["name"]: c["quantity"] for c in pack["contents"]}["Torch"] == 10
    assert entry("item", "thieves-tools")["type"] == "tool"
    assert entry("item", "crossbow-light")["name"] == "Light Crossbow"
    assert entry("item", "string-10-feet")["system"]["container"] is None  # bought alone, not in a pack
    assert entry("background-feature", "acolyte")["name"] == "Shelter of the Faithful"


@pytest.mark.skipif(not (REPO / "HEAD").exists() and not (REPO / ".git").exists(),
                    reason=f"no dnd5e git mirror at {REPO} (set CHARFORGE_DND5E_REPO); the index is built at dev time")
def test_index_is_what_the_build_script_makes():
    result = subprocess.run([sys.executable, "scripts/build_foundry_index.py", "--check", "--repo", str(REPO)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
