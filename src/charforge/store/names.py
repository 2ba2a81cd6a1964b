"""The name registry: every name generated for a setting, kept across runs and processes."""

from __future__ import annotations

import sqlite3

from charforge.store.db import utcnow_iso, write


class NameRegistry:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def owners(self, setting: str) -> dict[str, str | None]:
        """Every name of the setting (in the order taken) and who took it, where known."""
        rows = self.conn.execute("SELECT name, owner FROM setting_names WHERE setting = ? ORDER BY created, name",
                                 (setting,))
        return {row["name"]: row["owner"] for row in rows}

    def add(self, setting: str, name: str, *, owner: str | None = None) -> bool:
        """Record a name; False when the setting already had it for another owner (another process may have
        raced us). The same `owner` adding it again (a job run twice after a crash) gets True."""
        with write(self.conn):
            cursor = self.conn.execute("INSERT OR IGNORE INTO setting_names (setting, name, created, owner) "
                                       "VALUES (?, ?, ?, ?)", (setting, name, utcnow_iso(), owner))
            if cursor.rowcount == 1:
                return True
            row = self.conn.execute("SELECT owner FROM setting_names WHERE setting = ? AND name = ?",
                                    (setting, name)).fetchone()
        return owner is not None and row is not None and row["owner"] == owner
