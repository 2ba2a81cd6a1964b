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
OutputFormat = Literal["text", "markdown", "json", "yaml", "foundry"]
ProviderName = Literal["auto", "offline", "mock", "anthropic", "openai", "openai-compatible"]
LLM_PROVIDERS = ("anthropic", "openai", "openai-compatible")  # 'auto' tries the first two in this order


class ProviderFacts(BaseModel):
    """What charforge knows about an LLM provider before building it: where keys and URLs come from."""

    key_env: str
    base_url_env: str | None
    default_model: str  # one place: chosen among the installed SDKs' current (not deprecated) models
    default_base_url: str | None
    needs_key: bool = True


PROVIDERS: dict[str, ProviderFacts] = {
    "anthropic": ProviderFacts(key_env="ANTHROPIC_API_KEY", base_url_env="ANTHROPIC_BASE_URL",
                               default_model="claude-sonnet-5-5", default_base_url=None),
    "openai": ProviderFacts(key_env="OPENAI_API_KEY", base_url_env="OPENAI_BASE_URL",
                            default_model="gpt-5.5", default_base_url=None),
    # Ollama's OpenAI-compatible endpoint; llama.cpp's server is http://localhost:8080/v1.
    "openai-compatible": ProviderFacts(key_env="OPENAI_COMPATIBLE_API_KEY", base_url_env=None,
                                       default_model="llama3.1", default_base_url="http://localhost:11434/v1",
                                       needs_key=False),
}


# Every key charforge may read: the text providers' and the image-only ones (stability).
KEY_ENVS: dict[str, str] = {**{name: facts.key_env for name, facts in PROVIDERS.items()},
                            "stability": "STABILITY_API_KEY"}


class MockSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field("default", description="Folder of canned answers under the mock fixtures.")
    fixtures: Path | None = Field(None, description="Fixtures folder (default: the bundled one).")
    fail: list[str] = Field(default_factory=list, description="Failures to inject, one per call, in order.")


class ProviderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(None, description="Model id (default: charforge's choice for the provider).")
    base_url: str | None = Field(None, description="API base URL; OpenAI-style URLs end in /v1.")
    timeout: float = Field(60.0, gt=0, description="Seconds to wait for an answer.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a connection.")
    max_tokens: int | None = Field(None, ge=256, description="Most tokens an answer may use (default: the template's).")
    temperature: float | None = Field(None, ge=0, le=2, description="Sampling temperature (provider default if unset).")
    rpm: int | None = Field(None, gt=0, description="Client-side limit: requests per minute.")
    tpm: int | None = Field(None, gt=0, description="Client-side limit: tokens per minute.")


class RetrySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(6, ge=1, le=50, description="Attempts per provider call, the first included.")
    max_wait: float = Field(60.0, gt=0, description="Longest single wait, even if the provider asks for more.")
    deadline: float = Field(300.0, gt=0, description="Give up on a call after this many seconds in all.")
    backoff: float = Field(0.5, gt=0, description="First wait when the provider gave no retry-after; doubles.")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    provider: ProviderName = Field("auto", description="Text provider; 'auto' picks one for you.")
    model: str | None = Field(None, description="Model for this run (the --model flag).")
    base_url: str | None = Field(None, description="Base URL for this run (the --base-url flag).")
    timeout: float | None = Field(None, gt=0, description="Answer timeout for this run (the --timeout flag).")
    log: bool = Field(True, description="Record each provider call in the generation log.")
    repair_rounds: int = Field(1, ge=0, le=3, description="Times a flawed answer goes back to the model to fix.")
    format: OutputFormat = Field("text", description="Output format when --format is not given.")
    length: Literal["quick", "standard", "full"] = Field("standard", description="Story length preset.")
    ability_method: Literal["4d6", "standard-array"] = Field("4d6", description="How ability scores are made.")
    mock: MockSettings = Field(default_factory=MockSettings)
    anthropic: ProviderSettings = Field(default_factory=ProviderSettings)
    openai: ProviderSettings = Field(default_factory=ProviderSettings)
    openai_compatible: ProviderSettings = Field(default_factory=ProviderSettings, alias="openai-compatible")
    retry: RetrySettings = Field(default_factory=RetrySettings)
    images: dict[str, Any] = Field(default_factory=dict, description="Portrait settings, checked by "
                                   "charforge.images.settings (provider, model, base_url, size, quality, …).")

    def for_provider(self, name: str) -> ProviderSettings:
        """A provider's settings with this run's --model / --base-url / --timeout and defaults applied."""
        facts = PROVIDERS[name]
        base = getattr(self, name.replace("-", "_"))
        return base.model_copy(update={
            "model": self.model or base.model or facts.default_model,
            "base_url": self.base_url or base.base_url or facts.default_base_url,
            "timeout": self.timeout or base.timeout,
        })


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
    known = set(flatten(Settings().model_dump(by_alias=True)))
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


def _provider_urls(variables: dict[str, str | None]) -> dict[str, Any]:
    """The SDKs' own variables (ANTHROPIC_BASE_URL, OPENAI_BASE_URL) count as charforge settings."""
    return {f"{name}.base_url": variables[facts.base_url_env] for name, facts in PROVIDERS.items()
            if facts.base_url_env and variables.get(facts.base_url_env)}


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


def _read_dotenv(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    values = dotenv_values(path)
    return {**_provider_urls(values), **_from_variables(values)}


def resolve(flags: dict[str, Any] | None = None) -> Resolved:
    """Merge every layer and validate once; a bad value names the layer it came from."""
    layers = [
        ("config.yaml", _read_config_file(config_file())),
        (".env", _read_dotenv(dotenv_file())),
        ("environment", {**_provider_urls(dict(os.environ)), **_from_variables(dict(os.environ))}),
        ("flag", {k: v for k, v in (flags or {}).items() if v is not None}),
    ]
    merged = flatten(Settings().model_dump(by_alias=True))
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
