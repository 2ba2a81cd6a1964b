"""The name registry: every name generated for a setting, kept across runs and processes."""

from __future__ import annotations

import sqlite3

from charforge.store.db import utcnow_iso, write


class NameRegistry:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def names(self, setting: str) -> list[str]:
        rows = self.conn.execute("SELECT name FROM setting_names WHERE setting = ? ORDER BY created, name", (setting,))
        return [row["name"] for row in rows]

    def add(self, setting: str, name: str) -> bool:
        """Record a name; False when the setting already had it (another process may have raced us)."""
        with write(self.conn):
            cursor = self.conn.execute("INSERT OR IGNORE INTO setting_names VALUES (?, ?, ?)",
                                       (setting, name, utcnow_iso()))
        return cursor.rowcount == 1
