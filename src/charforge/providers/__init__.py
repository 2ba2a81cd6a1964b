"""Text providers, one module each, and the one place that picks and builds them.

Provider modules are imported only when that provider is built, so `charforge --help` never pays
for an SDK it does not use.
"""

from __future__ import annotations

from dataclasses import dataclass

from charforge.config import Settings
from charforge.providers.base import TextProvider


@dataclass(frozen=True)
class Selection:
    provider: TextProvider
    notice: str | None  # what to tell the user about the choice, once, on stderr


def build(settings: Settings) -> Selection:
    """The provider the settings ask for; 'auto' means the first with a key, else offline."""
    name = settings.provider
    if name == "auto":
        from charforge.providers.offline import OfflineProvider

        return Selection(OfflineProvider(), "using the offline generator: no LLM provider is configured")
    if name == "offline":
        from charforge.providers.offline import OfflineProvider

        return Selection(OfflineProvider(), None)
    if name == "mock":
        from charforge.providers.mock import MockProvider

        mock = settings.mock
        return Selection(MockProvider(scenario=mock.scenario, fixtures=mock.fixtures, fail=mock.fail), None)
    raise AssertionError(f"config.ProviderName allows {name!r} but no provider is built for it")
