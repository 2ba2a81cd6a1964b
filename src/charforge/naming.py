"""Names for generated people: a given and a family name per base SRD race, never one already taken.

The built-in tables ship as `charforge/data/offline/names.json` and are read on first use, once per
process, so `charforge --help` never pays for them. A setting file's `names` (`SettingCanon.names`)
take over for the peoples it lists: given names come from its `given` list and, when it has both,
its `prefixes` + `suffixes` compounds; family names from its `family` list. A part the setting left
empty comes from the built-in table. When every combination the setting allows is taken, the name
comes from the built-in table instead, so a short list never stops a batch.
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection
from functools import cache
from importlib.resources import files

from charforge.models import NameTable

DRAWS = 200  # random tries before counting what is left; the built-in tables hold tens of thousands of names


@cache
def name_tables() -> dict[str, NameTable]:
    """The built-in name tables, keyed by base SRD race ('dwarf', 'half-elf', ...)."""
    text = files("charforge.data").joinpath("offline", "names.json").read_text(encoding="utf-8")
    return {people: NameTable.model_validate(table) for people, table in json.loads(text).items()}


def merge_names(people: str, own: NameTable | None) -> NameTable:
    """The table `make_name` draws from for `people`: the setting's `own` names, the built-in ones for gaps.

    Given names come from `own.given` and, only if it has both, `own.prefixes` + `own.suffixes`; if
    that leaves nothing, from the built-in given names and compounds. Family names come from
    `own.family`, or the built-in list if it is empty. Without `own`, this is the built-in table.

    Raises:
        KeyError: `people` is not a base SRD race (see `name_tables()`).
    """
    builtin = name_tables()[people]
    if own is None:
        return builtin
    first = own if own.given or (own.prefixes and own.suffixes) else builtin
    return NameTable(given=first.given, prefixes=first.prefixes, suffixes=first.suffixes,
                     family=own.family or builtin.family)


def make_name(rng: random.Random, people: str, taken: Collection[str], *,
              table: NameTable | None = None) -> tuple[str, str]:
    """A given and a family name for `people` whose "Given Family" is not in `taken`.

    Args:
        rng: the stream to draw from: the same stream state and `taken` give the same name.
        people: a base SRD race, e.g. 'dwarf' for a hill dwarf.
        taken: full names already used in the batch or setting (any container: only `in` is asked of it).
        table: the setting's own names for `people`, if it has any; drawn from first, as
            `merge_names` describes, then the built-in table once all its combinations are taken.

    Raises:
        KeyError: `people` is not a base SRD race.
        RuntimeError: 200 draws from the built-in table all collided (a bug: it holds thousands).

    Example:
        >>> make_name(random.Random(1), "dwarf", set(), table=NameTable(given=["Oda"], family=["Brine"]))
        ('Oda', 'Brine')
    """
    if table is not None:
        own = merge_names(people, table)
        name = _draw(rng, own, taken) or _left_over(rng, own, taken)
        if name is not None:
            return name
    name = _draw(rng, name_tables()[people], taken)
    if name is None:
        raise RuntimeError(f"name tables for {people} exhausted after {DRAWS} draws")
    return name


def family_name(rng: random.Random, people: str, *, table: NameTable | None = None) -> str:
    """A family name for `people` (the setting's own when `table` has any), for a given name the user chose."""
    return rng.choice(merge_names(people, table).family)


def _draw(rng: random.Random, table: NameTable, taken: Collection[str]) -> tuple[str, str] | None:
    for _ in range(DRAWS):
        given, family = _given(rng, table), rng.choice(table.family)
        if f"{given} {family}" not in taken:
            return given, family
    return None


def _given(rng: random.Random, table: NameTable) -> str:
    """Half whole names, half compounds when the table has both (the built-in ones always do)."""
    compounds = bool(table.prefixes and table.suffixes)
    whole = rng.random() < 0.5 if table.given and compounds else bool(table.given)
    return rng.choice(table.given) if whole else rng.choice(table.prefixes) + rng.choice(table.suffixes)


def _left_over(rng: random.Random, table: NameTable, taken: Collection[str]) -> tuple[str, str] | None:
    """After `DRAWS` collisions, count what is really left: a short setting list may be nearly used up."""
    compounds = [p + s for p in table.prefixes for s in table.suffixes] if table.prefixes and table.suffixes else []
    free = [(given, family) for given in dict.fromkeys([*table.given, *compounds])
            for family in dict.fromkeys(table.family) if f"{given} {family}" not in taken]
    return rng.choice(free) if free else None
