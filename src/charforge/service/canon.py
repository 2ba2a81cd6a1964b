"""Setting canon: `--setting FILE` (YAML) names a place, its factions, its people and its naming.

A `--setting` value that is not a .yaml/.yml file is a few words of free text, as before.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from charforge.errors import UsageError
from charforge.files import read_yaml
from charforge.models import SettingCanon
from charforge.naming import name_tables
from charforge.providers.offline.tables import check_fragments
from charforge.rules.pack import load
from charforge.validation import first_error


def is_file(value: str | None) -> bool:
    return bool(value) and Path(value).suffix.lower() in (".yaml", ".yml")


def load_canon(value: str | None) -> SettingCanon | None:
    """The canon in the file `value` names, or None for a free-text setting."""
    if not is_file(value):
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        raise UsageError(f"--setting {value}: no such file", hint="give a setting YAML file, or plain words")
    data = read_yaml(path, error=UsageError, hint="fix the setting file's YAML")
    try:
        canon = SettingCanon.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"--setting {value}: {first_error(exc)}",
                         hint="keys: name, place, era, tone, description, places, factions, "
                              "ancestry_weights, naming, npcs, names, fragments") from None
    unknown = sorted(set(canon.ancestry_weights) - set(load().races))
    if unknown:
        raise UsageError(f"--setting {value}: ancestry_weights: unknown ancestry {unknown[0]!r}",
                         hint=f"use SRD indexes: {', '.join(sorted(load().races))}")
    _check_offline_tables(canon, value)
    return canon


def _check_offline_tables(canon: SettingCanon, value: str) -> None:
    """The setting's `names` and `fragments` must name tables the offline generator has."""
    if canon.names:
        peoples = sorted(name_tables())
        unknown = sorted(set(canon.names) - set(peoples))
        if unknown:
            raise UsageError(f"--setting {value}: names: unknown people {unknown[0]!r}",
                             hint=f"use a base SRD race: {', '.join(peoples)}")
    if canon.fragments:
        try:
            check_fragments(canon.fragments)
        except UsageError as exc:
            raise UsageError(f"--setting {value}: {exc}", hint=exc.hint) from None
