"""The structured-output mode that worked for each server, in charforge.db (`structured_modes`, m005).

Promise: `StoredModes` keeps the `providers.structured.ModeMemory` contract (the store cannot import it; the
protocol is structural). One row per (provider, base URL without a trailing slash). Every operation opens the
database, does one short statement and closes it, so threads and processes share it safely; a write is one
`BEGIN IMMEDIATE` upsert. A storage problem (read-only home, a locked or broken file) is logged and treated as
"nothing remembered": the memory only saves one rejected request, and must never fail a generation.

Why SQLite and not a JSON file beside it: workers in several processes learn modes at the same time, and
charforge.db already gives them one writer at a time and atomic commits; a JSON file would need its own lock.

Example:
    memory = StoredModes()                       # charforge.db in the data dir, read per call
    memory.remember("openai-compatible", "http://localhost:8080/v1", "json_object")
    memory.recall("openai-compatible", "http://localhost:8080/v1/")   # -> "json_object"
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from charforge.errors import ConfigError
from charforge.store.db import open_db, utcnow_iso, write

log = logging.getLogger(__name__)


class StoredModes:
    """Remembered structured-output modes in the database at `path` (default: charforge.db, per call)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path

    def recall(self, provider: str, base_url: str) -> str | None:
        row = self._run("SELECT mode FROM structured_modes WHERE provider = ? AND base_url = ?",
                        (provider, _key(base_url)), read=True)
        return row[0] if row else None

    def remember(self, provider: str, base_url: str, mode: str) -> None:
        self._run("INSERT INTO structured_modes (provider, base_url, mode, updated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (provider, base_url) "
                  "DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
                  (provider, _key(base_url), mode, utcnow_iso()))

    def forget(self, provider: str, base_url: str) -> None:
        self._run("DELETE FROM structured_modes WHERE provider = ? AND base_url = ?", (provider, _key(base_url)))

    def _run(self, sql: str, params: tuple[str, ...], *, read: bool = False) -> sqlite3.Row | None:
        try:
            conn = open_db(self.path)
        except ConfigError as exc:
            log.warning("structured-output memory unavailable: %s", exc)
            return None
        try:
            if read:
                return conn.execute(sql, params).fetchone()
            with write(conn):
                conn.execute(sql, params)
            return None
        except sqlite3.Error as exc:
            log.warning("structured-output memory unavailable: %s", exc)
            return None
        finally:
            conn.close()


def _key(base_url: str) -> str:
    return base_url.rstrip("/")
