"""Settings and paths. One home for everything a user can configure.

Layers, later wins: defaults < `config.yaml` in the config dir < `.env` in the working directory <
environment (`CHARFORGE_*`) < command-line flags. `resolve()` remembers where each value came from,
so `charforge config show` can say. Paths are computed on every call, never at import time, so
`CHARFORGE_HOME` set by a test or a script is always honoured.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from charforge.errors import ConfigError, UsageError

APP = "charforge"
ENV_PREFIX = "CHARFORGE_"
OutputFormat = Literal["text", "markdown", "json", "yaml"]
ProviderName = Literal["auto", "offline", "mock"]  # grows as providers are built


class MockSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field("default", description="Folder of canned answers under the mock fixtures.")
    fixtures: Path | None = Field(None, description="Fixtures folder (default: the bundled one).")
    fail: list[str] = Field(default_factory=list, description="Failures to inject, one per call, in order.")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: ProviderName = Field("auto", description="Text provider; 'auto' picks one for you.")
    format: OutputFormat = Field("text", description="Output format when --format is not given.")
    length: Literal["quick", "standard", "full"] = Field("standard", description="Story length preset.")
    ability_method: Literal["4d6", "standard-array"] = Field("4d6", description="How ability scores are made.")
    mock: MockSettings = Field(default_factory=MockSettings)


class Resolved(BaseModel):
    settings: Settings
    sources: dict[str, str]  # dotted key -> "default" | "config.yaml" | ".env" | "environment" | "flag"


def home() -> Path | None:
    value = os.environ.get("CHARFORGE_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    if root := home():
        return root / "config"
    from platformdirs import user_config_path

    return user_config_path(APP)


def data_dir() -> Path:
    if root := home():
        return root / "data"
    from platformdirs import user_data_path

    return user_data_path(APP)


def config_file() -> Path:
    return config_dir() / "config.yaml"


def dotenv_file() -> Path:
    return Path.cwd() / ".env"


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for dotted, value in flat.items():
        *parents, leaf = dotted.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def _from_variables(variables: dict[str, str | None]) -> dict[str, Any]:
    """CHARFORGE_MOCK_FAIL=a,b -> {"mock.fail": ["a", "b"]}; unrelated variables are ignored."""
    known = set(flatten(Settings().model_dump()))
    flat: dict[str, Any] = {}
    for name, value in variables.items():
        if not name.startswith(ENV_PREFIX) or value is None:
            continue
        key = name.removeprefix(ENV_PREFIX).lower().replace("__", ".")
        key = next((k for k in known if k.replace(".", "_") == key), key)
        if key not in known:
            continue  # CHARFORGE_HOME, CHARFORGE_DEBUG and friends are not settings
        flat[key] = [v.strip() for v in value.split(",") if v.strip()] if key == "mock.fail" else value
    return flat


def _read_config_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", hint="check the file's permissions") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})",
                          hint="fix the file or remove it; 'charforge config path' shows where it is") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}",
                          hint="see 'charforge config show' for the settings and their form")
    return flatten(data)


def _read_dotenv(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return _from_variables(dotenv_values(path))


def resolve(flags: dict[str, Any] | None = None) -> Resolved:
    """Merge every layer and validate once; a bad value names the layer it came from."""
    layers = [
        ("config.yaml", _read_config_file(config_file())),
        (".env", _read_dotenv(dotenv_file())),
        ("environment", _from_variables(dict(os.environ))),
        ("flag", {k: v for k, v in (flags or {}).items() if v is not None}),
    ]
    merged = flatten(Settings().model_dump())
    sources = dict.fromkeys(merged, "default")
    for source, values in layers:
        merged.update(values)
        sources.update(dict.fromkeys(values, source))
    try:
        settings = Settings.model_validate(_nest(merged))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        source = sources.get(key, "config.yaml")
        where = {"config.yaml": str(config_file()), ".env": str(dotenv_file())}.get(source, source)
        if source == "flag":
            raise UsageError(f"--{key.replace('_', '-')}: {err['msg']}", hint="see --help for allowed values") from None
        raise ConfigError(f"setting {key!r} from {where}: {err['msg']}",
                          hint="fix or remove it; 'charforge config show' lists every setting") from None
    return Resolved(settings=settings, sources=sources)
