"""Process-wide hooks the layers below cannot install themselves: the mode memory and the retry observer.

Providers cannot import the store, and the CLI cannot import the providers (docs/architecture.md), so the
service layer connects them. `install_mode_memory` runs when `charforge.service` is imported, before any entry
point (the CLI, the worker, `charforge check`, library use) can build a provider: that one line is the whole
wiring, and neither `providers.build` nor `CharacterService` needs to know. `observing_retries` is what a
command uses to show retries on a terminal while it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from charforge.providers import structured

if TYPE_CHECKING:  # the retry loop (tenacity, asyncio, ssl) is imported only when an observer is installed:
    from charforge.providers.resilience import RetryEvent, RetryObserver  # an offline run never needs it

__all__ = ["RetryEvent", "RetryObserver", "install_mode_memory", "observing_retries"]


def install_mode_memory(path: Path | None = None) -> None:
    """Give every provider built from now on the modes remembered in charforge.db at `path` (default: the data
    dir's, looked up per provider, so CHARFORGE_HOME is always honoured)."""
    from charforge.store.modes import StoredModes

    structured.use_mode_memory(lambda: StoredModes(path))


@contextmanager
def observing_retries(observer: RetryObserver | None) -> Iterator[None]:
    """Announce every retry to `observer` while the block runs (None: change nothing), then restore the previous.

    Example:
        with hooks.observing_retries(render.retry_status()):
            document = service.npc(spec)
    """
    if observer is None:
        yield
        return
    from charforge.providers import resilience

    previous = resilience.use_retry_observer(observer)
    try:
        yield
    finally:
        resilience.use_retry_observer(previous)
