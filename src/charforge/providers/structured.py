"""How a provider is asked for JSON (its structured-output mode), and what a server accepted before.

Modes, strongest first: `json_schema` (the server holds the answer to the schema), `json_object` (the server
holds it to JSON; the schema rides along where servers read it, and is stated in the prompt) and `prompt`
(the schema in the prompt alone). Anthropic has one mode, `tool` (a forced tool whose input is the schema).
The setting `structured_output` picks one, or `auto`: start from the mode remembered for the server, else
the strongest, and step down when the server rejects one. A forced mode never steps down.

What worked is remembered per (provider, base URL) in a `ModeMemory`, so the next run does not pay the
rejected request again. Providers cannot import the store (sibling rooms), so the memory is injected: a
provider takes `mode_memory=`, and by default asks `mode_memory()` for the process-wide one the service
installed at start-up (`use_mode_memory`, like `resilience.use_limiter_factory`). Without one, a provider
remembers for its own lifetime only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

AUTO = "auto"
FALLBACK = ("json_schema", "json_object", "prompt")  # the order `auto` tries an OpenAI-style server's modes


class ModeMemory(Protocol):
    """The structured-output mode that worked for a server, kept between runs.

    Every implementation keeps this contract: `recall` returns what the last `remember` stored for the same
    (provider, base URL) after normalising a trailing slash, or None after `forget` or when nothing is
    known; none of them raises for a storage problem (the memory only saves a request, so a broken one must
    not fail a generation: it logs and forgets).
    """

    def recall(self, provider: str, base_url: str) -> str | None: ...

    def remember(self, provider: str, base_url: str, mode: str) -> None: ...

    def forget(self, provider: str, base_url: str) -> None: ...


class LocalModeMemory:
    """A `ModeMemory` in this process only (tests, and library users who install nothing)."""

    def __init__(self) -> None:
        self._modes: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def recall(self, provider: str, base_url: str) -> str | None:
        with self._lock:
            return self._modes.get((provider, base_url.rstrip("/")))

    def remember(self, provider: str, base_url: str, mode: str) -> None:
        with self._lock:
            self._modes[(provider, base_url.rstrip("/"))] = mode

    def forget(self, provider: str, base_url: str) -> None:
        with self._lock:
            self._modes.pop((provider, base_url.rstrip("/")), None)


_factory: Callable[[], ModeMemory] | None = None


def use_mode_memory(factory: Callable[[], ModeMemory] | None) -> None:
    """Give every provider built from now on the memory `factory()` returns; None: each remembers alone.

    `charforge.service` installs `store.modes.StoredModes` at import, so every entry point (the CLI, the
    worker, `charforge check`, library use) has it before it builds a provider. The factory is called per
    provider, so a memory that reads `CHARFORGE_HOME` per call follows it.

    Example:
        structured.use_mode_memory(lambda: StoredModes(db.default_path()))
    """
    global _factory
    _factory = factory


def mode_memory() -> ModeMemory | None:
    """The installed memory, or None when nothing was installed."""
    return _factory() if _factory is not None else None
