"""Text providers, one module each, and the one place that picks and builds them.

Provider modules are imported only when that provider is built, so `charforge --help` never pays
for an SDK it does not use.
"""

from __future__ import annotations

from dataclasses import dataclass

from charforge import keys
from charforge.config import LLM_PROVIDERS, PROVIDERS, Settings
from charforge.errors import ConfigError
from charforge.providers.base import TextProvider


@dataclass(frozen=True)
class Selection:
    provider: TextProvider
    notice: str | None  # what to tell the user about the choice, once, on stderr


def choose(settings: Settings) -> tuple[str, str | None]:
    """The provider name 'auto' stands for: the first LLM provider with a key, else offline."""
    if settings.provider != "auto":
        return settings.provider, None
    for name in LLM_PROVIDERS:
        if PROVIDERS[name].needs_key and keys.resolve(name):
            return name, None
    names = " or ".join(PROVIDERS[n].key_env for n in LLM_PROVIDERS if PROVIDERS[n].needs_key)
    return "offline", f"using the offline generator: no LLM provider is configured (set {names} to use one)"


def describe(settings: Settings) -> tuple[str, str]:
    """(provider, model) the settings would use, without building anything or needing a key."""
    name, _ = choose(settings)
    if name in PROVIDERS:
        return name, settings.for_provider(name).model or PROVIDERS[name].default_model
    from charforge.providers.mock import MODEL as MOCK_MODEL
    from charforge.providers.offline.provider import MODEL as OFFLINE_MODEL

    return name, OFFLINE_MODEL if name == "offline" else MOCK_MODEL


def build(settings: Settings, name: str | None = None) -> Selection:
    """Build the provider the settings ask for (or `name`)."""
    notice = None
    if name is None:
        name, notice = choose(settings)
    if name == "offline":
        from charforge.providers.offline import OfflineProvider

        return Selection(OfflineProvider(), notice)
    if name == "mock":
        from charforge.providers.mock import MockProvider

        mock = settings.mock
        return Selection(MockProvider(scenario=mock.scenario, fixtures=mock.fixtures, fail=mock.fail), notice)
    return Selection(_build_llm(name, settings), notice)


def _build_llm(name: str, settings: Settings) -> TextProvider:
    facts = PROVIDERS[name]
    key = keys.resolve(name)
    if key is None and facts.needs_key:
        raise ConfigError(f"no API key for {name}",
                          hint=f"set {facts.key_env} or run 'charforge keys set {name}'")
    options = dict(settings=settings.for_provider(name), key=key.value if key else "not-needed",
                   retry=settings.retry)
    if name == "anthropic":
        from charforge.providers.anthropic import AnthropicProvider

        return AnthropicProvider(**options)
    if name == "openai":
        from charforge.providers.openai import OpenAIProvider

        return OpenAIProvider(**options)
    from charforge.providers.openai_compatible import OpenAICompatibleProvider

    return OpenAICompatibleProvider(**options)
