"""`--format foundry` against the dnd5e system itself (5.3.3), for one character of each class at levels 1, 5, 11, 20.

Nothing here reads back what charforge meant to write: the field paths are dnd5e's (tests/foundry_schema.py and
its snapshot), the links are the compendium index's, the spell slots are worked out the way dnd5e works them out
from the class item (its tables, copied with their source into tests/data/foundry/dnd5e-5.3.3-spellcasting.json),
and the AC is dnd5e's formula for the calculation mode over the armour equipped.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from charforge.errors import ExitCode
from charforge.export import render
from charforge.export.foundry_index import entry, load_index
from charforge.models import Character, CharacterSpec
from charforge.providers.offline import OfflineProvider
from charforge.rules.lookup import find_item, find_spell
from charforge.rules.pack import load
from charforge.service.characters import CharacterService
from foundry_schema import unknown_paths

CLASSES = sorted(load().classes)
LEVELS = (1, 5, 11, 20)
CASES = [(c, lvl) for c in CLASSES for lvl in LEVELS]
SPELLCASTING = json.loads((Path(__file__).parent / "data" / "foundry" / "dnd5e-5.3.3-spellcasting.json").read_text())
# dnd5e's `CONFIG.DND5E.weaponProficienciesMap`: a weapon type -> the category proficiency that covers it.
WEAPON_CATEGORY = {"simpleM": "sim", "simpleR": "sim", "martialM": "mar", "martialR": "mar"}
# dnd5e's `CONFIG.DND5E.armorClasses` formulas, over the ability modifiers.
UNARMORED = {"unarmoredMonk": ("dex", "wis"), "unarmoredBarb": ("dex", "con")}


@pytest.fixture(scope="module")
def characters(tmp_path_factory) -> dict[tuple[str, int], tuple[Character, dict]]:
    """Each class at each level, offline, seeded, with its exported actor."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHARFORGE_HOME", str(tmp_path_factory.mktemp("home")))
        service = CharacterService(OfflineProvider())
        made = {}
        for n, (class_name, level) in enumerate(CASES):
            character = service.npc(CharacterSpec(class_name=class_name, level=level, seed=4100 + n))
            made[class_name, level] = (character, json.loads(render(character, "foundry")))
        return made


def items(actor: dict, kind: str | None = None) -> list[dict]:
    return [i for i in actor["items"] if kind is None or i["type"] == kind]


@cache
def compendium_uuids() -> frozenset[str]:
    """Every document the index holds: its entries and the contents of its packs."""
    entries = load_index()["entries"].values()
    return frozenset({e["uuid"] for e in entries} | {c["uuid"] for e in entries for c in e.get("contents") or []})


def mod(score: int) -> int:
    return (score - 10) // 2


# -- (1) dnd5e's fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("class_name", "level"), CASES)
def test_every_written_path_is_a_field_dnd5e_stores(characters, class_name, level):
    _, actor = characters[class_name, level]
    assert unknown_paths(actor) == []


REQUIRED = ("name", "type", "img", "system.abilities.str.value", "system.attributes.hp.value",
            "system.attributes.ac.calc", "system.attributes.movement.walk",
            "system.details.biography.value", "system.currency.gp", "prototypeToken.actorLink", "_stats.systemId",
            "_stats.systemVersion")


def test_a_playable_character_has_what_dnd5e_needs(characters):
    for (class_name, level), (character, actor) in characters.items():
        for path in REQUIRED:
            node = actor
            for part in path.split("."):
                node = node[part]
            assert node is not None, (class_name, level, path)
        [klass] = items(actor, "class")
        assert (klass["system"]["identifier"], klass["system"]["levels"]) == (class_name, level)
        hit_die = f"d{load().classes[class_name].hit_die}"
        assert (klass["system"]["hd"]["denomination"], klass["system"]["hd"]["spent"]) == (hit_die, 0)
        assert len(items(actor, "race")) == 1
        assert len(items(actor, "subclass")) == (1 if character.subclass else 0)
        assert actor["system"]["details"]["originalClass"] == klass["_id"]
        assert actor["system"]["details"]["race"] == items(actor, "race")[0]["_id"]
        ids = [i["_id"] for i in actor["items"]]
        assert len(ids) == len(set(ids)) and all(len(i) == 16 and i.isalnum() for i in ids)
        assert actor["_stats"] == {**actor["_stats"], "systemId": "dnd5e", "systemVersion": "5.3.3",
                                   "compendiumSource": None}


# -- (2) compendium links --------------------------------------------------------------------------------


def test_every_item_links_to_a_compendium_document_in_the_index(characters):
    for (class_name, level), (_, actor) in characters.items():
        for item in actor["items"]:
            assert item["_stats"]["compendiumSource"] in compendium_uuids(), (class_name, level, item["name"])


def test_every_spell_and_item_the_character_has_is_exported(characters):
    for (class_name, level), (character, actor) in characters.items():
        sources = {i["_stats"]["compendiumSource"] for i in actor["items"]}
        for spell in [*character.spells, *character.spellbook]:
            assert entry("spell", find_spell(spell.name)[0])["uuid"] in sources, (class_name, level, spell.name)
        for line in character.equipment:
            assert entry("item", find_item(line.name)[0])["uuid"] in sources, (class_name, level, line.name)
        assert "unmapped" not in actor["flags"]["charforge"], (class_name, level)


def test_the_sheets_features_are_embedded(characters):
    """Each class, subclass and ancestry feature on the sheet that dnd5e's compendium has is an embedded item."""
    pack = load()
    for (class_name, level), (character, actor) in characters.items():
        sources = {i["_stats"]["compendiumSource"] for i in items(actor, "feat")}
        race = pack.races[character.ancestry]
        owners = {class_name, character.subclass.index if character.subclass else None, character.ancestry,
                  race.parent}
        for line in character.features:
            found = [entry("feature", i) for i, f in pack.features.items() if f.name == line.name and f.owner in owners]
            uuids = {e["uuid"] for e in found if e}
            assert not uuids or uuids & sources, (class_name, level, line.name)


# -- (3) weapons -------------------------------------------------------------------------------------------


def test_weapons_have_base_damage_and_are_proficient(characters):
    for (class_name, level), (_, actor) in characters.items():
        prof = set(actor["system"]["traits"]["weaponProf"]["value"])
        for weapon in items(actor, "weapon"):
            system = weapon["system"]
            base = system["damage"]["base"]
            assert base["number"] >= 1 and base["denomination"] >= 4 and base["types"], weapon["name"]
            kind = system["type"]
            by_trait = WEAPON_CATEGORY[kind["value"]] in prof or kind["baseItem"] in prof
            assert system.get("proficient") == 1 or (system.get("proficient") is None and by_trait), (
                class_name, level, weapon["name"])
            assert system["equipped"] is True


# -- (4) spell slots, computed as dnd5e computes them -------------------------------------------------------


def dnd5e_slots(actor: dict) -> tuple[list[int], tuple[int, int]]:
    """Slot maxima for levels 1-9 and (pact slots, pact level), from the class item as dnd5e 5.3.3 prepares them
    for a single-classed character: `SlotSpellcasting.computeProgression` (one class, a divisor above 1: the class
    levels divided and rounded up), then `MultiLevelSpellcasting`/`SingleLevelSpellcasting.prepareSlots`, where a
    numeric `override` replaces the table's count."""
    [klass] = items(actor, "class")
    levels = klass["system"]["levels"]
    progression = SPELLCASTING["progression"].get(klass["system"]["spellcasting"]["progression"])
    caster = {"spell": 0, "pact": 0}
    if progression:
        divisor = progression["divisor"]
        rounding = math.ceil if progression["roundUp"] else math.floor
        caster[progression["method"]] = rounding(levels / divisor)
        if divisor > 1 and caster[progression["method"]]:
            caster[progression["method"]] = math.ceil(levels / divisor)
    spells = actor["system"]["spells"]
    table = SPELLCASTING["SPELL_SLOT_TABLE"]
    row = table[min(caster["spell"], len(table)) - 1] if caster["spell"] else []
    multi = []
    for n in range(1, 10):
        override = spells.get(f"spell{n}", {}).get("override")
        multi.append(override if isinstance(override, int) else (row[n - 1] if n <= len(row) else 0))
    pact_level = max(0, min(caster["pact"], SPELLCASTING["maxLevel"]))
    steps = [v for k, v in SPELLCASTING["pactCastingProgression"].items() if int(k) <= pact_level]
    step = steps[-1] if steps else None
    override = spells.get("pact", {}).get("override")
    pact_max = override if isinstance(override, int) else (step["slots"] if step else 0)
    return multi, (pact_max, step["level"] if step and pact_max else 0)


@pytest.mark.parametrize(("class_name", "level"), CASES)
def test_spell_slots_dnd5e_computes_from_the_class_item_are_charforges(characters, class_name, level):
    character, actor = characters[class_name, level]
    multi, (pact, pact_level) = dnd5e_slots(actor)
    casting = character.spellcasting
    slots = casting.slots if casting else [0] * 9
    if casting and casting.pact_magic:
        assert multi == [0] * 9
        assert (pact, pact_level) == (max(slots), slots.index(max(slots)) + 1)
    else:
        assert (multi, pact) == (slots, 0)
    for key, slot in actor["system"]["spells"].items():  # every slot full
        assert slot["value"] == (pact if key == "pact" else multi[int(key[5:]) - 1])
    [klass] = items(actor, "class")
    ability = load().classes[class_name].spellcasting_ability
    assert klass["system"]["spellcasting"]["ability"] == (ability or "")


def test_spells_are_prepared_as_dnd5e_5_stores_them(characters):
    for (class_name, level), (character, actor) in characters.items():
        exported = {i["_stats"]["compendiumSource"]: i["system"] for i in items(actor, "spell")
                    if i["system"]["sourceItem"].startswith(("class:", "subclass:"))}
        today = {s.name for s in character.spells}
        arcanum = set(load().classes[class_name].at(level).arcanum)
        for spell in [*character.spells, *(s for s in character.spellbook if s.name not in today)]:
            system = exported[entry("spell", find_spell(spell.name)[0])["uuid"]]
            state = (system["method"], system["prepared"])
            if spell.always_prepared:
                assert state == ("spell", 2) and system["sourceItem"].startswith("subclass:"), spell.name
            elif spell.name not in today:  # the rest of a wizard's spellbook
                assert state == ("spell", 0), spell.name
            elif class_name == "warlock" and spell.level in arcanum:  # Mystic Arcanum: at will, once a long rest
                assert (*state, system["uses"]["max"]) == ("atwill", 0, "1"), spell.name
                assert system["uses"]["recovery"] == [{"period": "lr", "type": "recoverAll"}], spell.name
            else:
                assert state == ("pact" if class_name == "warlock" else "spell", 1), spell.name
                assert system["sourceItem"] == f"class:{class_name}", spell.name


def test_prepared_casters_prepare_as_many_spells_as_their_class_item_allows(characters):
    """dnd5e counts the class's spells with prepared 1 against the class item's preparation formula (cleric,
    druid, wizard: ability modifier + levels; paladin: + half the levels)."""
    for (class_name, level), (character, actor) in characters.items():
        casting = character.spellcasting
        if casting is None or casting.prepared is None:
            continue
        [klass] = items(actor, "class")
        formula = klass["system"]["spellcasting"]["preparation"]["formula"]
        found = re.fullmatch(r"@abilities\.(\w+)\.mod \+ (?:floor\()?@classes\.(\w+)\.levels(?: / (\d)\))?", formula)
        assert found and (found[1], found[2]) == (casting.ability, class_name), formula
        allowed = max(1, mod(actor["system"]["abilities"][found[1]]["value"]) + level // int(found[3] or 1))
        counted = [i for i in items(actor, "spell") if i["system"]["level"] > 0 and i["system"]["prepared"] == 1
                   and i["system"]["sourceItem"] == f"class:{class_name}"]
        assert len(counted) == casting.prepared == allowed, (class_name, level)


# -- (5) armour and AC ---------------------------------------------------------------------------------------


def dnd5e_ac(actor: dict) -> tuple[str, int]:
    """The AC mode dnd5e uses (the actor's, or one an enabled effect overrides it with) and the AC it computes:
    the mode's formula over the equipped armour, plus the equipped shield and enabled AC bonus effects."""
    system = actor["system"]
    calc = system["attributes"]["ac"]["calc"]
    bonus = 0
    for effect in (e for i in actor["items"] for e in i.get("effects") or [] if not e.get("disabled")):
        for change in effect.get("changes") or []:
            if change["key"] == "system.attributes.ac.calc":
                calc = change["value"]
            elif change["key"] == "system.attributes.ac.bonus":
                bonus += int(change["value"])
    score = {k: v["value"] for k, v in system["abilities"].items()}
    worn = [i for i in items(actor, "equipment") if i["system"]["equipped"]]
    armour = [i for i in worn if i["system"]["type"]["value"] in ("light", "medium", "heavy")]
    shield = sum(i["system"]["armor"]["value"] for i in worn if i["system"]["type"]["value"] == "shield")
    if calc == "default" and armour:
        data = armour[0]["system"]
        dex = 0 if data["type"]["value"] == "heavy" else min(data["armor"]["dex"] if data["armor"]["dex"] is not None
                                                            else 99, mod(score["dex"]))
        base = data["armor"]["value"] + dex
    elif calc in UNARMORED:
        base = 10 + sum(mod(score[a]) for a in UNARMORED[calc])
    elif calc == "draconic":
        base = 13 + mod(score["dex"])
    else:
        assert calc == "default", calc
        base = 10 + mod(score["dex"])
    return calc, base + shield + bonus


def test_armour_is_equipped_and_dnd5e_computes_the_sheets_ac(characters):
    wearing = 0
    for (class_name, level), (character, actor) in characters.items():
        calc, ac = dnd5e_ac(actor)
        assert ac == character.ac, (class_name, level, calc)
        armour = [i for i in items(actor, "equipment") if i["system"]["type"]["value"] in ("light", "medium", "heavy")
                  and i["system"]["equipped"]]
        assert len(armour) <= 1
        wearing += len(armour)
        if armour:
            assert calc == "default"
        elif class_name == "monk":
            assert calc == "unarmoredMonk"
        elif class_name == "barbarian":
            assert calc == "unarmoredBarb"
    assert wearing >= len(CLASSES)  # most of the set wears armour


# -- (6) money, gear, the rest of the sheet -------------------------------------------------------------------


def test_currency_is_the_coins_carried(characters):
    for (_, _), (character, actor) in characters.items():
        assert actor["system"]["currency"] == character.coins.model_dump()


def test_ammunition_is_counted_per_piece_and_packs_hold_their_contents(characters):
    for (_, _), (character, actor) in characters.items():
        ids = {i["_id"]: i for i in actor["items"]}
        for item in actor["items"]:
            inside = item["system"].get("container")
            assert inside is None or ids[inside]["type"] == "container"
        arrows = sum(line.quantity for line in character.equipment if line.name == "Arrow")
        exported = [i for i in items(actor, "consumable") if i["name"] == "Arrow" and not i["system"]["container"]]
        assert sum(i["system"]["quantity"] for i in exported) == arrows
        assert all(i["system"]["type"]["value"] == "ammo" for i in exported)
        for pack in items(actor, "container"):
            assert pack["system"]["quantity"] == 1


def dnd5e_walk(actor: dict) -> int:
    """The walking speed dnd5e shows: the actor's, plus what enabled effects add (Fast Movement, Unarmored
    Movement: a number or a class's scale value, `@scale.monk.unarmored-movement`)."""
    [klass] = items(actor, "class")
    scales = {}
    for advancement in klass["system"]["advancement"].values():
        if advancement["type"] == "ScaleValue":
            steps = {int(k): v.get("value") for k, v in advancement["configuration"]["scale"].items()}
            reached = [lvl for lvl in steps if lvl <= klass["system"]["levels"]]
            scales[f"@scale.{klass['system']['identifier']}.{advancement['configuration']['identifier']}"] = (
                steps[max(reached)] if reached else 0)
    walk = int(actor["system"]["attributes"]["movement"]["walk"])
    for effect in (e for i in actor["items"] for e in i.get("effects") or [] if not e.get("disabled")):
        for change in effect.get("changes") or []:
            if change["key"] == "system.attributes.movement.walk" and change["mode"] == 2:
                walk += int(scales.get(change["value"], change["value"]))
    return walk


def test_dnd5e_shows_the_sheets_speed(characters):
    for (class_name, level), (character, actor) in characters.items():
        assert dnd5e_walk(actor) == character.speed, (class_name, level)


def dnd5e_hp(actor: dict) -> int:
    """The hit point maximum dnd5e computes when `max` is not overridden (`CharacterData.prepareDerivedData`,
    `HitPointsAdvancement.getAdjustedTotal`): each level's hit points from the class's Hit Points advancement
    ("max": the hit die, "avg": half of it + 1) plus the CON modifier, at least 1 a level, then the per-level
    and overall bonuses."""
    hp = actor["system"]["attributes"]["hp"]
    if hp["max"] is not None:
        return hp["max"]
    [klass] = items(actor, "class")
    die = int(klass["system"]["hd"]["denomination"][1:])
    [taken] = [a["value"] for a in klass["system"]["advancement"].values() if a["type"] == "HitPoints"]
    con = mod(actor["system"]["abilities"]["con"]["value"])
    per = {"max": die, "avg": die // 2 + 1}
    total = sum(max(1, per[v] + con) for v in taken.values())
    bonuses = hp["bonuses"]
    return total + int(bonuses["level"] or 0) * klass["system"]["levels"] + int(bonuses["overall"] or 0)


def test_dnd5e_computes_the_sheets_hit_points(characters):
    for (class_name, level), (character, actor) in characters.items():
        assert actor["system"]["attributes"]["hp"]["max"] is None  # computed, not an override
        assert dnd5e_hp(actor) == actor["system"]["attributes"]["hp"]["value"] == character.hp, (class_name, level)


def test_the_ability_score_advancements_add_up_to_the_scores(characters):
    """Base scores + the race's and the class's Ability Score Improvement advancements (+ Primal Champion) are
    the actor's scores: the advancement history dnd5e keeps agrees with the sheet."""
    for (class_name, level), (character, actor) in characters.items():
        audit = character.ability_audit
        total = {a: audit.base.score(a) + audit.features.get(a, 0) for a in actor["system"]["abilities"]}
        for origin in [*items(actor, "race"), *items(actor, "class")]:
            for advancement in origin["system"]["advancement"].values():
                if advancement["type"] == "AbilityScoreImprovement":
                    for ability, points in (advancement["value"] or {}).get("assignments", {}).items():
                        total[ability] += points
        assert total == {a: v["value"] for a, v in actor["system"]["abilities"].items()}, (class_name, level)


def test_skills_saves_languages_and_senses(characters):
    for (class_name, level), (character, actor) in characters.items():
        system = actor["system"]
        by_name = {s.name: s for s in character.skills}
        expected = {s.name: 2 if s.expertise else 1 if s.proficient else 0 for s in by_name.values()}
        codes = {v["value"] for v in system["skills"].values()}
        assert codes <= {0, 1, 2} and sum(v["value"] for v in system["skills"].values()) >= sum(expected.values())
        for save in character.saves:
            if save.proficient:
                assert system["abilities"][save.ability]["proficient"] == 1, (class_name, level, save.ability)
        assert len(system["traits"]["languages"]["value"]) >= len(character.languages)
        assert system["attributes"]["senses"]["ranges"].get("darkvision", 0) == character.senses.get("darkvision", 0)
        token = actor["prototypeToken"]
        assert (token["actorLink"], token["disposition"], token["sight"]["enabled"]) == (True, 1, True)


def test_features_dnd5e_reads_as_character_flags(characters):
    fighter, barbarian = characters["fighter", 20][1], characters["barbarian", 20][1]
    assert fighter["flags"]["dnd5e"] == {"remarkableAthlete": True, "weaponCriticalThreshold": 18}  # Champion
    assert barbarian["flags"]["dnd5e"]["meleeCriticalDamageDice"] == 3  # Brutal Critical (3 dice)
    assert "dnd5e" not in characters["wizard", 5][1]["flags"]


# -- (7) the same character, the same bytes -------------------------------------------------------------------


def test_the_same_character_exports_the_same_bytes(cli):
    args = ("npc", "--seed", "9", "--class", "warlock", "--level", "11", "--format", "foundry")
    first, second = cli(*args), cli(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    actor = json.loads(first.stdout)
    assert actor["type"] == "character" and actor["flags"]["charforge"]["seed"] == 9


def test_foundry_is_for_whole_characters(cli):
    result = cli("spells", "--class", "wizard", "--format", "foundry")
    assert result.exit_code == ExitCode.USAGE and "npc" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["npc", "--seed", "1", "--format", "json"]])
def test_only_the_foundry_format_reads_the_compendium_index(charforge_home, args):
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['charforge', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('charforge', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        "sys.stderr.write('LOADED=' + ','.join(sorted(m for m in sys.modules if 'foundry' in m)))\n"
    )
    env = {**os.environ, "CHARFORGE_HOME": str(charforge_home)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rsplit("LOADED=", 1)[1] == ""
