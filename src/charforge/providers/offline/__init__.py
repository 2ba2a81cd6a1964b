"""The offline provider: a whole character from seeded tables, with no key and no network."""

from __future__ import annotations

from typing import Any

from charforge.providers.offline.provider import OfflineProvider

__all__ = ["OfflineProvider", "build"]


def build(settings: Any = None, *, key: str | None = None, retry: Any = None) -> OfflineProvider:
    """The registry's factory: the offline provider has no settings, key or retries."""
    return OfflineProvider()
