"""The offline tables as data: they load, only when needed, and a setting file can extend them."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from charforge.errors import UsageError
from charforge.models import BackgroundAnswer, CharacterSpec, NameTable
from charforge.naming import make_name, merge_names, name_tables
from charforge.providers.offline import OfflineProvider
from charforge.providers.offline.tables import FILLED, SLOTS, check_fragments, stories, table, table_names
from charforge.rules.pack import load
from charforge.service import CharacterService, settle
from charforge.service.canon import load_canon
from charforge.service.planning import plan

ROOT = Path(__file__).resolve().parents[1]
GIVEN = ["Aldra", "Brokk", "Dagny", "Eitri", "Frida", "Gunnhild", "Hakon", "Ingrid"]
FAMILY = ["Coalbeard", "Deepdelve", "Flintmantle", "Ironhollow", "Mossforge", "Slagwright", "Tinderhelm", "Vaultkeep"]
EVERY_SLOT = "MARKER-7Q " + " ".join("{" + slot + "}" for slot in SLOTS)


def setting(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "hold.yaml"
    path.write_text("name: Ironhold\nplace: a mountain hold\n" + body)
    return path


def dwarf_setting(tmp_path: Path, given=GIVEN, family=FAMILY) -> Path:
    return setting(tmp_path, f"names:\n  dwarf:\n    given: {given}\n    family: {family}\n")


def builtin_name(people: str, name: str) -> bool:
    """Could the built-in table have made `name` ("Given Family")?"""
    builtin = name_tables()[people]
    given, family = name.split(" ", 1)
    compounds = {p + s for p in builtin.prefixes for s in builtin.suffixes}
    return (given in builtin.given or given in compounds) and family in builtin.family


def test_data_files_load_and_every_table_is_non_empty():
    peoples = {race.parent or index for index, race in load().races.items()}
    assert set(name_tables()) == peoples
    for people, names in name_tables().items():
        assert names.given and names.prefixes and names.suffixes and names.family, people
    assert "hooks" in stories() and "appearance.hair" in table_names() and "class_roles.wizard" in table_names()
    for name in table_names():
        assert table(name) and all(isinstance(text, str) and text.strip() for text in table(name)), name
    check_fragments({name: table(name) for name in table_names()})  # the built-ins keep the rules settings must
    assert set(FILLED) <= set(table_names())


def test_every_dwarf_in_a_setting_with_dwarf_names_gets_one_of_them(tmp_path):
    path = dwarf_setting(tmp_path)
    service = CharacterService(OfflineProvider())
    names = [service.background(CharacterSpec(seed=seed, ancestry=("dwarf", "hill-dwarf")[seed % 2],
                                              setting=str(path))).name for seed in range(30)]
    assert len(set(names)) == 30
    for name in names:
        given, family = name.split(" ", 1)
        assert given in GIVEN and family in FAMILY, name
    elf = service.background(CharacterSpec(seed=1, ancestry="high-elf", setting=str(path))).name
    assert builtin_name("elf", elf)  # a people the setting has no names for keeps the built-in ones


def test_when_the_settings_combinations_run_out_names_come_from_the_built_in_table(tmp_path):
    path = dwarf_setting(tmp_path, given=["Aldra", "Brokk"], family=["Coalbeard", "Deepdelve"])
    service = CharacterService(OfflineProvider())
    names = [service.background(CharacterSpec(seed=seed, ancestry="dwarf", setting=str(path))).name
             for seed in range(10)]
    assert len(set(names)) == 10
    own = [n for n in names if n.split(" ", 1)[0] in ("Aldra", "Brokk")]
    assert sorted(own) == ["Aldra Coalbeard", "Aldra Deepdelve", "Brokk Coalbeard", "Brokk Deepdelve"]
    assert all(builtin_name("dwarf", n) for n in names if n not in own)


def test_the_last_free_combination_is_found_before_falling_back():
    given, family = [f"G{i}" for i in range(30)], [f"F{i}" for i in range(30)]
    taken = {f"{g} {f}" for g in given for f in family} - {"G7 F23"}
    own = NameTable(given=given, family=family)
    for seed in range(5):
        assert make_name(random.Random(seed), "dwarf", taken, table=own) == ("G7", "F23")
    taken.add("G7 F23")
    assert builtin_name("dwarf", " ".join(make_name(random.Random(0), "dwarf", taken, table=own)))


def test_a_setting_fills_only_the_parts_it_names():
    builtin = name_tables()["gnome"]
    only_family = merge_names("gnome", NameTable(family=["Cogsworth"]))
    assert only_family.given == builtin.given and only_family.family == ["Cogsworth"]
    compounds = NameTable(prefixes=["Bim"], suffixes=["ble"])
    assert merge_names("gnome", compounds).family == builtin.family
    assert make_name(random.Random(3), "gnome", set(), table=compounds)[0] == "Bimble"
    half = merge_names("gnome", NameTable(prefixes=["Bim"]))  # a prefix with no suffix makes no compound
    assert half.given == builtin.given


def test_a_taken_name_is_renamed_from_the_settings_names(tmp_path):
    path = dwarf_setting(tmp_path)
    planned = plan(CharacterSpec(seed=4, ancestry="hill-dwarf", setting=str(path)))
    answer = BackgroundAnswer.model_validate({
        "name": "Oda Brinecombe", "alignment": "neutral", "concept": "a lamplighter",
        "background": {"origin": "lamplighter", "early_life": "A.", "pivotal_moments": "B.", "recent_history": "C.",
                       "unresolved_mysteries": "D.", "personality_traits": ["E"], "ideals": ["F"], "bonds": ["G"],
                       "flaws": ["H"], "appearance": "I.", "hooks": ["J"]}})
    settled, repairs = settle.story(planned, answer, {"Oda Brinecombe"})
    given, family = settled.name.split(" ", 1)
    assert given in GIVEN and family in FAMILY and any(r.field == "name" for r in repairs)


def test_setting_fragments_join_the_built_in_tables(tmp_path):
    path = setting(tmp_path, f"fragments:\n  hooks: ['{EVERY_SLOT}']\n"
                             "  appearance.hair: ['has hair dyed MARKER-HAIR']\n")
    service = CharacterService(OfflineProvider())
    backgrounds = [service.background(CharacterSpec(seed=seed, length="full", setting=str(path))).background
                   for seed in range(80)]
    hooks = [hook for b in backgrounds for hook in b.hooks if hook.startswith("MARKER-7Q ")]
    assert hooks and all("{" not in hook and "}" not in hook for hook in hooks)
    assert any("MARKER-HAIR" in b.appearance for b in backgrounds)
    plain = [b.hooks for b in (CharacterService(OfflineProvider()).background(CharacterSpec(seed=s, length="full"))
                               .background for s in range(80))]
    assert not any("MARKER" in hook for hooks in plain for hook in hooks)  # another run, no setting: untouched


@pytest.mark.parametrize(("body", "message"), [
    ("fragments:\n  hookz: ['A hook.']\n", "fragments: unknown table 'hookz'"),
    ("fragments:\n  hooks: ['A debt to {nmae}.']\n", "fragments.hooks[0]: unknown slot {nmae}"),
    ("fragments:\n  hooks: ['fine', '{name.upper}']\n", "fragments.hooks[1]: unknown slot {name.upper}"),
    ("fragments:\n  hooks: ['{name:>9}']\n", "fragments.hooks[0]: unknown slot {name:>9}"),
    ("fragments:\n  hooks: ['An open {brace']\n", "fragments.hooks[0]: "),
    ("fragments:\n  flaws: ['I distrust {faction}.']\n", "fragments.flaws[0]: {faction} is not filled in 'flaws'"),
    ("fragments:\n  hooks: ['  ']\n", "fragments.hooks[0]: empty fragment"),
    ("names:\n  dwarves: {given: [Brokk]}\n", "names: unknown people 'dwarves'"),
])
def test_bad_fragments_and_names_are_one_line_usage_errors(cli, tmp_path, body, message):
    path = setting(tmp_path, body)
    result = cli("npc", "--provider", "offline", "--setting", str(path), "--seed", "1")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: --setting {path}: {message}"), result.stderr
    assert "hint:" in result.stderr


def test_the_unknown_table_hint_lists_every_table(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_canon(str(setting(tmp_path, "fragments:\n  hookz: ['A hook.']\n")))
    hint = caught.value.hint
    assert "hooks" in hint and "early_life" in hint and "appearance.<build|" in hint and "|wizard>" in hint


def test_the_tables_are_read_only_when_a_character_is_made():
    probe = """
import sys
from charforge.cli import main
sys.argv = ["charforge", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
from charforge import naming
from charforge.providers.offline import tables
print("loaded", naming.name_tables.cache_info().currsize, tables.stories.cache_info().currsize, file=sys.stderr)
"""
    def loaded(*args: str) -> str:
        result = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True,
                                timeout=60)
        return result.stderr.strip().splitlines()[-1]

    assert loaded("--help") == "loaded 0 0"
    assert loaded("npc", "--provider", "offline", "--seed", "1", "--no-log", "-f", "json") == "loaded 1 1"
