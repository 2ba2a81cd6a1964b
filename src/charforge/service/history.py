"""The generation log read back (`charforge history`), and opened for commands that record into it.

The CLI asks here rather than opening the store: this is where "which database, and is it on" is decided.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from charforge.store.generations import CallRecord, GenerationLog, UsageRow

__all__ = ["CallRecord", "UsageRow", "call", "generation_log", "recent_calls", "usage"]


def recent_calls(*, limit: int, provider: str | None = None, command: str | None = None,
                 errors_only: bool = False) -> list[CallRecord]:
    """Logged provider calls, newest first."""
    with GenerationLog() as log:
        return log.rows_where(limit=limit, provider=provider, command=command, errors_only=errors_only)


def call(id_or_prefix: str) -> CallRecord:
    """One logged call by id or an unambiguous start of one (UsageError otherwise)."""
    with GenerationLog() as log:
        return log.get(id_or_prefix)


def usage(*, since: str | None = None) -> tuple[list[UsageRow], list[str]]:
    """Calls, tokens and estimated cost per day, provider, model and command; and the price tables' dates."""
    with GenerationLog() as log:
        rows = log.usage(since=since)
    dates = sorted({r.price_date for r in rows if r.price_date})
    if not dates:
        from charforge.prices import load_prices

        dates = [load_prices().date]
    return rows, dates


def generation_log(*, enabled: bool) -> AbstractContextManager[GenerationLog | None]:
    """The log to record into, closed on exit; None when logging is off (`--no-log`, `log: false`)."""
    return GenerationLog() if enabled else nullcontext(None)
