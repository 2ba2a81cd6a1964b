"""The generation log: one row per provider call, so `charforge history` can show what was asked, what came back
and what it cost.

Rows are written once and never updated. The request is stored as JSON text (never pickled) and read back
through `CallRecord`, so what leaves this module is always validated. Costs are estimates made when the call
was recorded, with the date of the price table used kept beside them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from charforge.errors import UsageError
from charforge.store.db import iso_utc, new_id, open_db, utcnow_iso, write

_COLUMNS = ("id", "time", "command", "provider", "model", "kind", "template", "template_version", "request",
            "response", "input_tokens", "output_tokens", "cached_tokens", "cost_usd", "price_date", "latency_ms",
            "attempts", "error")
_LIST_HINT = "'charforge history list' shows recent ids"


class CallRecord(BaseModel):
    """One provider call as logged. `input_tokens` counts every prompt token, `cached_tokens` included."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="ULID; assigned by GenerationLog.record when not given.")
    time: str = Field(default_factory=utcnow_iso, description="When the call was made, ISO-8601 UTC.")
    command: str = Field(description="The charforge command that made the call, e.g. 'npc'.")
    provider: str
    model: str
    kind: str = Field(description="background | equipment | spells | portrait.")
    template: str | None = None
    template_version: str | None = None
    request: dict[str, Any] = Field(description="What was sent, as plain JSON.")
    response: str | None = Field(None, description="The raw answer text.")
    input_tokens: int = Field(0, ge=0)
    output_tokens: int = Field(0, ge=0)
    cached_tokens: int = Field(0, ge=0)
    cost_usd: float | None = Field(None, description="Estimated cost; None when the model's price is unknown.")
    price_date: str | None = Field(None, description="Date of the price table the estimate came from.")
    latency_ms: int = Field(0, ge=0)
    attempts: int = Field(1, ge=1)
    error: str | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _canonical_time(cls, value: Any) -> Any:
        """Store one format in UTC, so comparing the text compares the times."""
        if isinstance(value, datetime):
            return iso_utc(value)
        if isinstance(value, str):
            try:
                return iso_utc(datetime.fromisoformat(value))
            except ValueError:
                raise ValueError(f"not an ISO-8601 time: {value!r}") from None
        return value


class UsageRow(BaseModel):
    """Sums for one day, provider, model and command."""

    day: str = Field(description="YYYY-MM-DD, UTC.")
    provider: str
    model: str
    command: str
    calls: int
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    cost_usd: float | None = Field(description="Sum of the estimates; None when no call had one.")
    price_date: str | None = Field(description="Newest price table the estimates came from.")
    errors: int


class GenerationLog:
    """Record and query provider calls.

    Args:
        conn: an open connection (from `db.open_db`), a database path, or None for the default database.
            A log that opened its own connection closes it on `close()` or at the end of a `with` block.

    Example:
        with GenerationLog() as log:
            log.record(CallRecord(command="npc", provider="mock", model="charforge-mock-1", kind="background",
                                  request={"kind": "background"}, response="{}"))
    """

    def __init__(self, conn: sqlite3.Connection | Path | None = None, *, buffered: bool = False) -> None:
        self._owned = not isinstance(conn, sqlite3.Connection)
        self.conn = conn if isinstance(conn, sqlite3.Connection) else open_db(conn)
        self.buffered = buffered  # records wait for `flush()`: a batch worker writes a chunk's calls at once
        self._pending: list[dict[str, object]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self.conn.close()

    def record(self, call: CallRecord) -> str:
        """Store one call (or hold it until `flush()` when buffered) and return its id (a new ULID unless the
        record has one)."""
        row = call.model_dump(mode="json")
        row["id"] = call.id or new_id()
        row["request"] = json.dumps(row["request"], ensure_ascii=False)
        self._pending.append(row)
        if not self.buffered:
            self.flush()
        return str(row["id"])

    def flush(self) -> None:
        """Write the held records in one transaction."""
        if not self._pending:
            return
        placeholders = ", ".join(f":{name}" for name in _COLUMNS)
        with write(self.conn):
            self.conn.executemany(f"INSERT INTO generations ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                                  self._pending)
        self._pending.clear()

    def rows_where(self, *, limit: int = 20, provider: str | None = None, command: str | None = None,
                   errors_only: bool = False) -> list[CallRecord]:
        """The newest calls first, optionally filtered; `limit` of 0 or less means all."""
        clauses, params = [], []
        if provider is not None:
            clauses.append("provider = ?")
            params.append(provider)
        if command is not None:
            clauses.append("command = ?")
            params.append(command)
        if errors_only:
            clauses.append("error IS NOT NULL")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT * FROM generations {where} ORDER BY time DESC, id DESC LIMIT ?"
        return [_from_row(row) for row in self.conn.execute(sql, (*params, limit if limit > 0 else -1))]

    def get(self, id_or_prefix: str) -> CallRecord:
        """The call with this id, or the only one whose id starts with it (case-insensitive for ULIDs).

        Raises:
            UsageError: no call matches, or the prefix matches more than one.
        """
        wanted = id_or_prefix.strip()
        if not wanted:
            raise UsageError("no generation id given", hint=_LIST_HINT)
        if row := self.conn.execute("SELECT * FROM generations WHERE id = ?", (wanted,)).fetchone():
            return _from_row(row)
        rows: list[sqlite3.Row] = []
        for prefix in dict.fromkeys((wanted, wanted.upper())):
            # A range on the primary key, not LIKE: '%' and '_' in the input stay literal, and the index is used.
            rows = self.conn.execute("SELECT * FROM generations WHERE id >= ? AND id < ? ORDER BY id LIMIT 4",
                                     (prefix, prefix + "\U0010ffff")).fetchall()
            if rows:
                break
        if not rows:
            raise UsageError(f"no generation with id {wanted!r}", hint=_LIST_HINT)
        if len(rows) > 1:
            shown = ", ".join(row["id"] for row in rows[:3]) + (", ..." if len(rows) > 3 else "")
            raise UsageError(f"id prefix {wanted!r} matches several generations: {shown}",
                             hint="give more characters of the id")
        return _from_row(rows[0])

    def usage(self, *, since: str | None = None) -> list[UsageRow]:
        """Sums per day (UTC), provider, model and command, oldest day first.

        Args:
            since: YYYY-MM-DD; only calls on or after that day count.

        Raises:
            UsageError: `since` is not a date.
        """
        if since is not None:
            try:
                since = date.fromisoformat(since).isoformat()
            except ValueError:
                raise UsageError(f"--since {since!r} is not a date", hint="use YYYY-MM-DD, e.g. 2026-11-01") from None
        rows = self.conn.execute("""
            SELECT substr(time, 1, 10) AS day, provider, model, command, count(*) AS calls,
                   sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                   sum(cached_tokens) AS cached_tokens,
                   sum(cost_usd) AS cost_usd,  -- NULL when every row's cost is NULL
                   max(price_date) AS price_date, sum(error IS NOT NULL) AS errors
            FROM generations WHERE ? IS NULL OR time >= ?
            GROUP BY day, provider, model, command ORDER BY day, provider, model, command""", (since, since))
        return [UsageRow.model_validate({**dict(row), "cost_usd": _round(row["cost_usd"])}) for row in rows]


def _round(cost: float | None) -> float | None:
    return None if cost is None else round(cost, 6)  # float sums drift in the last digits


def _from_row(row: sqlite3.Row) -> CallRecord:
    return CallRecord.model_validate({**dict(row), "request": json.loads(row["request"])})
