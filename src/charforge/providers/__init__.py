"""Text providers, one module each, built through the registry (`charforge.registry`).

Provider modules are imported only when that provider is built, so `charforge --help` never pays
for an SDK it does not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from charforge import keys
from charforge.errors import ConfigError
from charforge.registry import registry

if TYPE_CHECKING:
    from charforge.config import Settings
    from charforge.providers.base import TextProvider


@dataclass(frozen=True)
class Selection:
    provider: TextProvider
    notice: str | None  # what to tell the user about the choice, once, on stderr


def choose(settings: Settings) -> tuple[str, str | None]:
    """The provider name 'auto' stands for: the first `auto` provider with a key, else offline."""
    if settings.provider != "auto":
        return settings.provider, None
    candidates = [e for e in registry().text_providers() if e.auto]
    for entry in candidates:
        if keys.resolve(entry.name):
            return entry.name, None
    names = " or ".join(e.key_env for e in candidates if e.key_env)
    return "offline", f"using the offline generator: no LLM provider is configured (set {names} to use one)"


def describe(settings: Settings) -> tuple[str, str]:
    """(provider, model) the settings would use, without building anything or needing a key."""
    name, _ = choose(settings)
    section = settings.for_provider(name)
    return name, getattr(section, "model", None) or registry().text_provider(name).default_model


def build(settings: Settings, name: str | None = None) -> Selection:
    """Build the provider the settings ask for (or `name`); a provider that needs a key gets it or a ConfigError."""
    notice = None
    if name is None:
        name, notice = choose(settings)
    entry = registry().text_provider(name)
    key = keys.resolve(name) if entry.key_env else None
    if key is None and entry.needs_key:
        raise ConfigError(f"no API key for {name}", hint=f"set {entry.key_env} or run 'charforge keys set {name}'")
    provider = entry.load()(settings.for_provider(name), key=key.value if key else None, retry=settings.retry)
    return Selection(provider, notice)
