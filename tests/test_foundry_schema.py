"""The dnd5e field snapshot and its checker (tests/foundry_schema.py), tested against dnd5e's own documents."""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from foundry_schema import SNAPSHOT, snapshot, unknown_paths, written_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(__file__).resolve().parent / "data" / "foundry" / "samples"
# Read when the module is collected: the autouse fixture of conftest.py clears CHARFORGE_* for each test.
DND5E_REPO = Path(os.environ.get("CHARFORGE_DND5E_REPO", "/work/.mirror/foundryvtt+dnd5e/repo"))
REF = "release-5.3.3"

ITEM_TYPES = ("weapon", "spell", "equipment", "consumable", "tool", "loot", "container", "feat", "class", "subclass",
              "race", "background")
ACTIVITY_TYPES = ("attack", "cast", "check", "damage", "enchant", "forward", "heal", "order", "save", "summon",
                  "transform", "utility")
FIELDS = [  # (document kind, path) that dnd5e 5.3.3 stores
    ("actor.character", "system.attributes.ac.calc"),
    ("actor.character", "system.attributes.ac.flat"),
    ("actor.character", "system.attributes.hp.value"),
    ("actor.character", "system.abilities.*.value"),
    ("actor.character", "system.abilities.*.proficient"),
    ("actor.character", "system.skills.*.value"),
    ("actor.character", "system.traits.weaponProf.value"),
    ("actor.character", "system.traits.weaponProf.value[]"),
    ("actor.character", "system.traits.armorProf.value[]"),
    ("actor.character", "system.traits.languages.value[]"),
    ("actor.character", "system.attributes.senses.ranges.*"),
    ("actor.character", "system.spells.*.value"),
    ("actor.character", "system.currency.*"),
    ("actor.character", "system.details.biography.value"),
    ("item.weapon", "system.damage.base.number"),
    ("item.weapon", "system.damage.base.denomination"),
    ("item.weapon", "system.damage.base.bonus"),
    ("item.weapon", "system.damage.base.types[]"),
    ("item.weapon", "system.damage.versatile.denomination"),
    ("item.weapon", "system.type.baseItem"),
    ("item.weapon", "system.equipped"),
    ("item.weapon", "system.proficient"),
    ("item.weapon", "system.activities.*"),
    ("item.equipment", "system.equipped"),
    ("item.equipment", "system.armor.value"),
    ("item.tool", "system.type.baseItem"),
    ("item.container", "system.capacity.weight.value"),
    ("item.consumable", "system.container"),
    ("item.spell", "system.method"),
    ("item.spell", "system.prepared"),
    ("item.spell", "system.level"),
    ("item.spell", "system.properties[]"),
    ("item.class", "system.spellcasting.progression"),
    ("item.class", "system.spellcasting.ability"),
    ("item.class", "system.levels"),
    ("item.class", "system.hd.denomination"),
    ("item.class", "system.advancement.*"),
    ("item.subclass", "system.classIdentifier"),
    ("activity.attack", "damage.parts[].denomination"),
    ("activity.save", "save.ability[]"),
    ("activity.cast", "spell.uuid"),
    ("advancement.Trait", "configuration.grants[]"),
    ("advancement.ItemGrant", "configuration.items[].uuid"),
    ("core.actor", "prototypeToken.actorLink"),
    ("core.actor", "prototypeToken.sight.enabled"),
    ("core.actor", "prototypeToken.texture.src"),
    ("core.item", "_stats.compendiumSource"),
]
NOT_FIELDS = [  # (document kind, path) that dnd5e derives in prepareData or no longer stores
    ("actor.character", "system.attributes.prof"),
    ("actor.character", "system.details.level"),
    ("actor.character", "system.spells.pact.level"),
    ("actor.character", "system.spells.*.level"),
    ("actor.character", "system.spells.*.max"),
    ("actor.character", "system.abilities.*.mod"),
    ("actor.character", "system.attributes.ac.value"),
    ("actor.character", "system.attributes.senses.darkvision"),
    ("item.weapon", "system.damage.base.formula"),
    ("item.weapon", "system.damage.parts"),
    ("item.weapon", "system.crewed"),
    ("item.spell", "system.preparation"),
    ("item.spell", "system.preparation.mode"),
    ("item.spell", "system.components"),
    ("item.class", "system.hitDice"),
]


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text())


def without_pack_keys(value):
    """Drop `_key`, which the pack tool adds in packs/_source/ and Foundry never stores."""
    if isinstance(value, dict):
        return {k: without_pack_keys(v) for k, v in value.items() if k != "_key"}
    if isinstance(value, list):
        return [without_pack_keys(v) for v in value]
    return value


def test_snapshot_names_its_release_and_sources():
    data = snapshot()
    assert SNAPSHOT.name == f"dnd5e-{data['dnd5e']}-fields.json"
    assert (data["dnd5e"], data["ref"]) == ("5.3.3", REF)
    for path in ("module/data/actor/character.mjs", "module/data/actor/templates/attributes.mjs",
                 "module/data/item/weapon.mjs", "module/data/item/templates/physical-item.mjs",
                 "module/data/shared/damage-field.mjs", "module/data/item/fields/spellcasting-field.mjs",
                 "module/data/activity/base-activity.mjs"):
        assert path in data["source"]
    kinds = {key for key in data if key.startswith(("actor.", "item.", "activity.", "advancement."))}
    assert {f"item.{t}" for t in ITEM_TYPES} | {f"activity.{t}" for t in ACTIVITY_TYPES} <= kinds
    for key in kinds | {"core.actor", "core.item"}:
        assert data[key] == sorted(set(data[key])), key


@pytest.mark.parametrize(("kind", "path"), FIELDS)
def test_snapshot_has_the_stored_field(kind, path):
    assert path in snapshot()[kind]


@pytest.mark.parametrize(("kind", "path"), NOT_FIELDS)
def test_snapshot_lacks_the_derived_value(kind, path):
    assert path not in snapshot()[kind]


def test_written_paths_uses_the_snapshots_wildcards():
    actor = {
        "name": "Ada", "type": "character",
        "system": {"abilities": {"str": {"value": 15}}, "traits": {"weaponProf": {"value": ["sim", "mar"]}},
                   "currency": {"gp": 12}, "details": {"biography": {"value": "<p>Hi</p>"}}},
        "flags": {"charforge": {"seed": 7}},
        "items": [{"name": "Dagger", "type": "weapon",
                   "system": {"damage": {"base": {"number": 1, "denomination": 4, "types": []}},
                              "activities": {"dnd5eactivity000": {"type": "attack", "damage": {"parts": []}}}}}],
    }
    assert written_paths(actor) == {
        "name", "type", "system", "system.abilities", "system.abilities.*", "system.abilities.*.value",
        "system.traits", "system.traits.weaponProf", "system.traits.weaponProf.value",
        "system.traits.weaponProf.value[]", "system.currency", "system.currency.*", "system.details",
        "system.details.biography", "system.details.biography.value", "flags", "flags.charforge",
        "flags.charforge.seed", "items", "items[]", "items[].name", "items[].type", "items[].system",
        "items[].system.damage", "items[].system.damage.base", "items[].system.damage.base.number",
        "items[].system.damage.base.denomination", "items[].system.damage.base.types",
        "items[].system.activities", "items[].system.activities.*", "items[].system.activities.*.type",
        "items[].system.activities.*.damage", "items[].system.activities.*.damage.parts",
    }
    assert unknown_paths(actor) == []


def test_unknown_paths_names_each_made_up_field():
    actor = sample("premade-quillathe-level-5.json")
    assert unknown_paths(actor) == []
    broken = copy.deepcopy(actor)
    broken["system"]["spells"]["pact"]["level"] = 3
    broken["system"]["attributes"]["prof"] = 3
    broken["system"]["charforge"] = {"seed": 1}
    longbow = next(item for item in broken["items"] if item["name"] == "Longbow")
    longbow["system"]["damage"]["base"]["formula"] = "1d8"
    attack = next(iter(longbow["system"]["activities"].values()))
    attack["damage"]["parts"] = [{"formula": "1d6", "number": 1}]
    ranger = next(item for item in broken["items"] if item["name"] == "Ranger")
    ranger["system"]["advancement"]["made-up"] = {"type": "Lifestyle", "level": 1}
    broken["items"].append({"name": "Trinket", "type": "gizmo", "system": {}})
    magic_weapon = next(item for item in broken["items"] if item["name"] == "Magic Weapon")
    magic_weapon["system"]["activities"] = list(magic_weapon["system"]["activities"].values())
    hunter = next(item for item in broken["items"] if item["name"] == "Hunter")
    hunter["system"]["advancement"] = list(hunter["system"]["advancement"].values())  # dnd5e 4.x stored a list
    assert unknown_paths(broken) == [
        "items[Hunter].system.advancement[]",
        "items[Longbow].system.activities[attack].damage.parts[].formula",
        "items[Longbow].system.damage.base.formula",
        "items[Magic Weapon].system.activities[]",
        "items[Ranger].system.advancement[Lifestyle].type",
        "items[Trinket].type",
        "system.attributes.prof",
        "system.charforge",
        "system.spells.pact.level",
    ]


def test_unknown_paths_lets_anything_under_open_paths():
    actor = sample("premade-quillathe-level-5.json")
    actor["flags"] = {"charforge": {"spec": {"class": "ranger", "levels": [1, 2]}}}
    actor["prototypeToken"]["flags"] = {"any": {"thing": 1}}
    ranger = next(item for item in actor["items"] if item["type"] == "class")
    hit_points = next(a for a in ranger["system"]["advancement"].values() if a["type"] == "HitPoints")
    hit_points["value"] = {"1": "max", "2": 6}  # HitPoints advancement values are free-form
    assert unknown_paths(actor) == []


@pytest.mark.parametrize("name", ["premade-quillathe-level-5.json", "srd-thieves-tools.json",
                                  "srd-extra-attack.json"])
def test_dnd5e_documents_fit_the_snapshot(name):
    document = sample(name)
    assert written_paths(document)
    assert unknown_paths(document) == []


def test_the_premade_covers_every_item_type_charforge_writes():
    actor = sample("premade-quillathe-level-5.json")
    assert {item["type"] for item in actor["items"]} == set(ITEM_TYPES)


@pytest.mark.parametrize(("name", "unknown"), [("srd-longsword.json", ["system.crewed"]),
                                               ("srd-fireball.json", ["system.preparation"])])
def test_srd_documents_saved_by_dnd5e_4_keep_a_field_5_3_drops(name, unknown):
    document = sample(name)
    assert document["_stats"]["systemVersion"].startswith("4.")
    assert unknown_paths(document) == unknown


needs_mirror = pytest.mark.skipif(not DND5E_REPO.exists(), reason=f"no dnd5e repository at {DND5E_REPO}")


@needs_mirror
def test_dnd5e_heroes_report(capsys):
    """The starter heroes (stored by dnd5e 4.1.0): which of their paths 5.3.3 no longer stores. Informative."""
    listing = subprocess.run(["git", "-C", str(DND5E_REPO), "ls-tree", "--name-only", REF,
                              "packs/_source/heroes/"], capture_output=True, text=True, check=True).stdout.split()
    heroes = [path for path in listing if path.endswith(".yml") and not path.endswith("_folder.yml")]
    assert heroes
    report: dict[str, set[str]] = {}
    for path in heroes:
        text = subprocess.run(["git", "-C", str(DND5E_REPO), "show", f"{REF}:{path}"], capture_output=True,
                              text=True, check=True).stdout
        hero = without_pack_keys(yaml.safe_load(text))
        types = {item["name"]: item["type"] for item in hero["items"]}
        for found in unknown_paths(hero):
            name, _, rest = found.removeprefix("items[").partition("]")
            where = f"items[{types[name]}]{rest}" if found.startswith("items[") else found
            report.setdefault(where, set()).add(Path(path).stem)
    with capsys.disabled():
        print(f"\ndnd5e {REF} heroes (systemVersion 4.1.0): paths not in the 5.3.3 snapshot")
        for where, names in sorted(report.items()):
            print(f"  {where}  ({len(names)} of {len(heroes)})")


@needs_mirror
def test_dnd5e_premade_characters_fit_the_snapshot():
    """dnd5e's 12 level-17 premade characters (actors24, stored by 5.3.0-5.3.2), with 1,100-odd items."""
    archive = subprocess.run(["git", "-C", str(DND5E_REPO), "archive", REF,
                              "packs/_source/actors24/premades/level-17/"],
                             capture_output=True, check=True).stdout
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    checked = 0
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.endswith("_folder.yml"):
                continue
            actor = without_pack_keys(yaml.load(tar.extractfile(member), Loader=loader))
            # Spells saved before dnd5e 5.3.0 was released still hold sourceClass, which 5.3 renamed sourceItem.
            stale = [p for p in unknown_paths(actor) if not p.endswith("].system.sourceClass")]
            assert stale == [], member.name
            checked += 1
    assert checked == 12


@needs_mirror
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_committed_snapshot_matches_a_fresh_extraction():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "foundry_fields.py"), "--check",
                           "--repo", str(DND5E_REPO)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
