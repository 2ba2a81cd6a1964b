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

from charforge.errors import CharforgeError, ConfigError, UsageError
from charforge.registry import registry
from charforge.sections import ImageSettings, MockSettings, ProviderSettings, RetrySettings, StructuredOutput
from charforge.validation import first_location, first_message

__all__ = ["MockSettings", "ProviderSettings", "RetrySettings", "Settings", "resolve"]

APP = "charforge"
ENV_PREFIX = "CHARFORGE_"
_IMAGE_OWNED = ("images.model", "images.base_url")  # belong to the image provider in effect where they were set


class Settings(BaseModel):
    """Every setting. Top-level keys beyond these fields are provider sections (`anthropic:`, `mock:`, or a
    plugin's), each validated by the settings model its registry entry names; see `section()`."""

    model_config = ConfigDict(extra="allow")

    provider: str = Field("auto", description="Text provider; 'auto' picks one for you.")
    model: str | None = Field(None, description="Model for this run (the --model flag).")
    base_url: str | None = Field(None, description="Base URL for this run (the --base-url flag).")
    timeout: float | None = Field(None, gt=0, description="Answer timeout for this run (the --timeout flag).")
    structured_output: StructuredOutput | None = Field(
        None, description="Structured-output mode for this run (the --structured-output flag).")
    log: bool = Field(True, description="Record each provider call in the generation log.")
    repair_rounds: int = Field(1, ge=0, le=3, description="Times a flawed answer goes back to the model to fix.")
    strict: bool = Field(False, description="Fail (exit 5) instead of filling fields an answer lacks from the "
                         "offline generator.")
    format: str = Field("text", description="Output format when --format is not given.")
    length: Literal["quick", "standard", "full"] = Field("standard", description="Story length preset.")
    ability_method: Literal["4d6", "standard-array"] = Field("4d6", description="How ability scores are made.")
    retry: RetrySettings = Field(default_factory=RetrySettings)
    images: ImageSettings = Field(default_factory=ImageSettings, description="Portrait settings.")

    def section(self, name: str) -> BaseModel | None:
        """Provider `name`'s own section as its settings model (None for providers without one)."""
        model = registry().text_provider(name).settings_model
        if model is None:
            return None
        value = (self.__pydantic_extra__ or {}).get(name)
        return value if isinstance(value, model) else model.model_validate(value or {})

    def for_provider(self, name: str) -> BaseModel | None:
        """A provider's section with this run's --model / --base-url / --timeout / --structured-output and its
        defaults applied. --timeout bounds the connection too: a run asked to give up after 5 s must not wait
        10 s for a connection.

        Raises:
            UsageError: --structured-output names a mode this provider does not have.
        """
        entry = registry().text_provider(name)
        section = self.section(name)
        if not isinstance(section, ProviderSettings):
            return section
        mode = self.structured_output or section.structured_output
        if problem := structured_problem(name, mode):
            raise UsageError(f"--structured-output: {problem}", hint="use --structured-output auto")
        timeout = self.timeout or section.timeout
        return section.model_copy(update={
            "model": self.model or section.model or entry.default_model,
            "base_url": self.base_url or section.base_url or entry.default_base_url,
            "timeout": timeout, "connect_timeout": min(section.connect_timeout, timeout),
            "structured_output": mode,
        })

    def for_images(self) -> ImageSettings:
        """The `images:` section with the image provider's default model, URL and size filled in."""
        entry = registry().image_provider(self.images.provider)
        images = self.images
        return images.model_copy(update={"model": images.model or entry.default_model,
                                          "base_url": images.base_url or entry.default_base_url,
                                          "size": images.size or entry.default_size})


def structured_problem(name: str, mode: str) -> str | None:
    """Why provider `name` cannot use structured-output `mode` (None: it can); its registry entry lists its modes."""
    modes = registry().text_provider(name).capabilities.structured
    if mode == "auto" or mode in modes:
        return None
    return f"{name} has no structured-output mode {mode!r}; choose one of: {', '.join(['auto', *modes])}"


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


def _defaults() -> dict[str, Any]:
    """Every setting's default, flattened: the core fields and each registered provider's section.

    Plugins are loaded here (a few milliseconds), so their sections, variables and base-URL variables are
    settings like the built-ins'."""
    flat = flatten(Settings().model_dump())
    for entry in registry().text_providers():
        if (model := entry.settings_model) is not None:
            flat.update(flatten(model().model_dump(), f"{entry.name}."))
    return flat


def _from_variables(variables: dict[str, str | None], known: set[str]) -> dict[str, Any]:
    """CHARFORGE_MOCK_FAIL=a,b -> {"mock.fail": ["a", "b"]}; unrelated variables are ignored."""
    flat: dict[str, Any] = {}
    for name, value in variables.items():
        if not name.startswith(ENV_PREFIX) or value is None:
            continue
        key = name.removeprefix(ENV_PREFIX).lower().replace("__", ".")
        key = next((k for k in known if k.replace(".", "_").replace("-", "_") == key), key)
        if key not in known:
            continue  # CHARFORGE_HOME, CHARFORGE_DEBUG and friends are not settings
        flat[key] = [v.strip() for v in value.split(",") if v.strip()] if key == "mock.fail" else value
    return flat


def _read_config_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    from charforge.files import read_yaml

    data = read_yaml(path, error=ConfigError,
                     hint="fix the file or remove it; 'charforge config path' shows where it is")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}",
                          hint="see 'charforge config show' for the settings and their form")
    return flatten(data)


def _dotenv() -> dict[str, str | None]:
    if not dotenv_file().is_file():
        return {}
    from dotenv import dotenv_values

    return dict(dotenv_values(dotenv_file()))


def _merge(layers: list[tuple[str, dict[str, Any], dict[str, str | None]]], merged: dict[str, Any],
           ) -> dict[str, str]:
    """Apply the layers in order onto `merged`; returns where each value came from.

    The SDKs' own variables (OPENAI_BASE_URL and friends) count as settings of the provider they speak for,
    below charforge's own variables in the same layer. An image model or base URL belongs to the image
    provider in effect where it was set: when a later layer switches provider, they are dropped, because an
    OpenAI model name means nothing to Stability.
    """
    reg = registry()
    sources = dict.fromkeys(merged, "default")
    owned: list[tuple[str, str, Any, str]] = []  # (key, image provider it belongs to, value, source)
    image_provider = merged["images.provider"]
    for source, values, variables in layers:
        for name, entry in reg.text.items():
            if entry.base_url_env and variables.get(entry.base_url_env):
                values.setdefault(f"{name}.base_url", variables[entry.base_url_env])
        image_provider = values.get("images.provider", image_provider)
        owned += [("images.base_url", name, variables[entry.base_url_env], source)
                  for name, entry in reg.images.items() if entry.base_url_env and variables.get(entry.base_url_env)]
        for key, value in values.items():
            if key in _IMAGE_OWNED:
                owned.append((key, image_provider, value, source))
            else:
                merged[key], sources[key] = value, source
    for key, owner, value, source in owned:
        if owner == image_provider:
            merged[key], sources[key] = value, source
    return sources


def resolve(flags: dict[str, Any] | None = None) -> Resolved:
    """Merge every layer and validate once; a bad value names the layer it came from.

    Args:
        flags: command-line values by dotted setting name (`provider`, `images.model`); None values are ignored.
    """
    merged = _defaults()
    known = set(merged)
    dotenv = _dotenv()
    sources = _merge([
        ("config.yaml", _read_config_file(config_file()), {}),
        (".env", _from_variables(dotenv, known), dotenv),
        ("environment", _from_variables(dict(os.environ), known), dict(os.environ)),
        ("flag", {k: v for k, v in (flags or {}).items() if v is not None}, {}),
    ], merged)
    nested = _nest(merged)
    core = {k: v for k, v in nested.items() if k in Settings.model_fields}
    try:
        settings = Settings.model_validate(core)
    except ValidationError as exc:
        raise _invalid(first_location(exc), first_message(exc), sources) from None
    for name, value in nested.items():
        if name not in core:
            settings.__pydantic_extra__[name] = _section(name, value, sources)
            _check_structured(name, getattr(settings.__pydantic_extra__[name], "structured_output", None),
                              f"{name}.structured_output", sources)
    reg = registry()
    for key, kind, value in (("provider", "text", settings.provider), ("images.provider", "images",
                             settings.images.provider), ("format", "exporters", settings.format)):
        if not (value == "auto" and kind == "text") and not reg.knows(kind, value):
            listed = {"text": lambda: ["auto", *reg.text], "images": lambda: list(reg.images),
                      "exporters": lambda: list(reg.exporters)}[kind]()
            raise _invalid(key, f"unknown {value!r}; choose one of: {', '.join(listed)}", sources)
    if settings.structured_output and settings.provider != "auto" \
            and isinstance(settings.section(settings.provider), ProviderSettings):
        _check_structured(settings.provider, settings.structured_output, "structured_output", sources)
    if (entry := reg.images[settings.images.provider]).models and settings.images.model \
            and settings.images.model not in entry.models:
        raise _invalid("images.model", f"{entry.name} has no model {settings.images.model!r}; choose one of: "
                       f"{', '.join(entry.models)}", sources)
    return Resolved(settings=settings, sources=sources)


def effective(resolved: Resolved) -> dict[str, tuple[Any, str]]:
    """Every setting as `config show` prints it: dotted key -> (value in effect, where it came from).

    A provider's model, base URL or image size left unset is filled from its registry entry, as the run would
    fill it (`Settings.for_provider`, `Settings.for_images`), with the source `default (<provider>)`.
    """
    reg = registry()
    fills: dict[str, tuple[Any, str]] = {}
    for entry in reg.text_providers():
        fills[f"{entry.name}.model"] = (entry.default_model, entry.name)
        fills[f"{entry.name}.base_url"] = (entry.default_base_url, entry.name)
    image = reg.image_provider(resolved.settings.images.provider)
    fills.update({"images.model": (image.default_model, image.name),
                  "images.base_url": (image.default_base_url, image.name),
                  "images.size": (image.default_size, image.name)})
    rows: dict[str, tuple[Any, str]] = {}
    for key, value in flatten(resolved.settings.model_dump(mode="json", by_alias=True)).items():
        source = resolved.sources.get(key, "default")
        if value is None and fills.get(key, (None,))[0] is not None:
            value, owner = fills[key]
            source = f"default ({owner})"
        rows[key] = (value, source)
    return rows


def _section(name: str, value: Any, sources: dict[str, str]) -> BaseModel:
    """A provider's section, validated by the model its registry entry names."""
    reg = registry()
    entry = reg.text.get(name) if reg.knows("text", name) else None
    model = entry.settings_model if entry is not None else None
    if model is None:
        raise _invalid(name, "unknown setting" if entry is None else f"{name} has no settings", sources,
                       hint="fix or remove it; 'charforge config show' lists every setting")
    try:
        return model.model_validate(value if isinstance(value, dict) else {})
    except ValidationError as exc:
        raise _invalid(f"{name}.{first_location(exc)}", first_message(exc), sources) from None


def _check_structured(name: str, mode: str | None, key: str, sources: dict[str, str]) -> None:
    if mode is not None and (problem := structured_problem(name, mode)):
        raise _invalid(key, problem, sources, hint="set it to auto, or remove it")


def _invalid(key: str, message: str, sources: dict[str, str], *, hint: str | None = None) -> CharforgeError:
    """A bad value as one line naming the layer it came from: a flag is a usage error, anything else config."""
    source = sources.get(key) or next((s for k, s in sources.items() if k.startswith(f"{key}.")), "config.yaml")
    if source == "flag":
        return UsageError(f"--{key.rsplit('.', 1)[-1].replace('_', '-')}: {message}",
                          hint="see --help for allowed values")
    where = {"config.yaml": str(config_file()), ".env": str(dotenv_file())}.get(source, source)
    return ConfigError(f"setting {key!r} from {where}: {message}",
                       hint=hint or "fix or remove it; 'charforge config show' lists every setting")
