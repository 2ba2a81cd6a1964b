"""The offline provider: a whole character from seeded tables, with no key and no network."""

from charforge.providers.offline.provider import OfflineProvider

__all__ = ["OfflineProvider"]
