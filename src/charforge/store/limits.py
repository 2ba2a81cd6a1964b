"""Rate limits shared by every process on one charforge database: one `rate_limits` row per (provider, model).

Promise: N worker processes on one database together stay within one provider's limits, as one process would.
Every reservation is one short `BEGIN IMMEDIATE` transaction: refill the buckets for the time since the row was
last written, then take a request and the estimated tokens, or compute how long to wait. The wait happens
outside the transaction, so a waiting process never holds the write lock. A 429 pause (`pause`) and limits
learned from a reply's headers (`observe`) are written to the row, so every process sees them at its next
reservation. Limits a process was configured with win over learned ones, for that process.

Buckets hold two seconds' worth of their rate, at least one request (`burst`; the same rule as
`providers.resilience.burst`, which the store cannot import): a bucket holding a full minute would let a fresh
worker fire 300 requests at once at a 300 rpm server that counts over short windows (10 per 2 s). A request
estimated at more tokens than the bucket holds waits for a full bucket and leaves it in debt (a negative level),
so the average stays within the limit too; `settle` corrects the estimate once the reply's usage is known.

Times are wall-clock seconds (`time.time()`): monotonic clocks are not shared between processes. A clock stepped
backwards gives at most one extra burst, because refills are capped at the bucket's capacity. The clock and the
sleep are injected (`SharedLimits(path, clock=..., sleep=...)`), so tests advance a fake clock instead of waiting.

Example:
    from charforge.providers import resilience
    resilience.use_limiter_factory(SharedLimits(db.default_path()))   # at worker start-up
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from charforge.buckets import at_most, burst
from charforge.store.db import open_db, write

__all__ = ["LimitState", "SharedLimiter", "SharedLimits", "burst"]

log = logging.getLogger(__name__)
# What `providers.resilience.read_rate_limits` returns: (rpm, tpm, seconds to hold every request).
ReadHeaders = Callable[[Mapping[str, str]], Any]  # -> providers.resilience.RateLimitNews
# A shorter wait is float noise (a bucket refilled for exactly the computed wait, a few ulps short): grant. It
# must be above the clock's resolution, or sleeping it would not move a wall-clock reading (~1e9 s) at all.
_NOISE_S = 1e-6
_COLUMNS = "rpm, tpm, requests, tokens, updated_at, paused_until"



@dataclass(frozen=True)
class LimitState:
    """One (provider, model)'s row, refilled to `updated_at`: limits in force, bucket levels, pause."""

    rpm: float | None
    tpm: float | None
    requests: float | None  # None: no request limit known yet, nothing to track
    tokens: float | None  # None: no token limit known yet; negative: a debt
    updated_at: float
    paused_until: float


def _level(level: float | None, per_minute: float | None, elapsed: float) -> float | None:
    """A bucket's level `elapsed` seconds later; a bucket seen for the first time starts full. Without a limit
    in force (another process may have one configured) the level is left as it is."""
    if not per_minute:
        return level
    cap = burst(per_minute)
    return min(cap, (cap if level is None else level) + elapsed * per_minute / 60)



def _wait(state: LimitState, tokens: int, now: float) -> float:
    """Seconds until a request and `tokens` may go (0: now). A request bigger than the token bucket waits for
    a full one and then owes the rest."""
    waits = [0.0, state.paused_until - now]
    if state.rpm and state.requests is not None and state.requests < 1:
        waits.append((1 - state.requests) * 60 / state.rpm)
    if state.tpm and state.tokens is not None and tokens:
        need = min(tokens, burst(state.tpm))
        if state.tokens < need:
            waits.append((need - state.tokens) * 60 / state.tpm)
    return max(waits) if max(waits) >= _NOISE_S else 0.0


class SharedLimits:
    """The `rate_limits` table of one database file; calling it builds the limiter for one (provider, model).

    It is the factory `providers.resilience.use_limiter_factory` takes. Each thread gets its own connection on
    first use (sqlite3 connections belong to the thread that opened them), opened with `db.open_db`, so the
    table is migrated into place.

    Args:
        path: the database file, normally `db.default_path()`.
        clock: wall-clock seconds, shared by every process (default `time.time`).
        sleep: how limiters built here wait (default `time.sleep`).

    Raises:
        ConfigError: (on first use) the database cannot be opened.
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.path, self.clock, self.sleep = path, clock, sleep
        self._local = threading.local()

    def __call__(self, provider: str, model: str, *, rpm: float | None = None, tpm: float | None = None,
                 read_headers: ReadHeaders) -> SharedLimiter:
        return SharedLimiter(self, provider, model, rpm=rpm, tpm=tpm, read_headers=read_headers)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = open_db(self.path)
        return conn

    def close(self) -> None:
        """Close this thread's connection (other threads' close when the threads end); the next use reopens."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()


class SharedLimiter:
    """Requests- and tokens-per-minute buckets for one (provider, model), shared through the database.

    Keeps the `providers.resilience.Limiter` contract, as `RateLimiter` does within one process.

    Args:
        limits: the database the buckets live in.
        rpm, tpm: configured limits; they win over learned ones for this process. None: learn them.
        read_headers: turns a reply's headers into (rpm, tpm, seconds to hold); the providers' header formats
            are theirs to know (`providers.resilience.read_rate_limits`).
    """

    def __init__(self, limits: SharedLimits, provider: str, model: str, *, rpm: float | None = None,
                 tpm: float | None = None, read_headers: ReadHeaders) -> None:
        self.limits, self.provider, self.model = limits, provider, model
        self.rpm, self.tpm, self.read_headers = rpm, tpm, read_headers

    def __repr__(self) -> str:
        return f"SharedLimiter({self.provider!r}, {self.model!r}, rpm={self.rpm}, tpm={self.tpm})"

    def acquire(self, tokens: int = 0, *, sleep: Callable[[float], None] | None = None) -> float:
        """Wait until a request and `tokens` estimated tokens may go; returns the clock reading at the grant."""
        while True:
            delay, now = self._reserve(tokens)
            if delay <= 0:
                return now
            log.debug("%s %s: waiting %.2fs for the shared rate limit", self.provider, self.model, delay)
            (sleep or self.limits.sleep)(delay)

    async def acquire_async(self, tokens: int = 0) -> float:
        """`acquire` for asyncio callers; the transaction itself is short and synchronous, as a queue claim is."""
        import asyncio

        while True:
            delay, now = self._reserve(tokens)
            if delay <= 0:
                return now
            await asyncio.sleep(delay)

    def settle(self, reserved_tokens: int, used_tokens: int) -> None:
        """Give back what a request reserved but did not use (or take what it used beyond its estimate)."""
        if reserved_tokens == used_tokens:
            return

        def correct(state: LimitState, now: float) -> LimitState:
            if state.tokens is None or not state.tpm:
                return state
            return replace(state, tokens=min(burst(state.tpm), state.tokens + reserved_tokens - used_tokens))

        self._change(correct)

    def pause(self, seconds: float) -> None:
        """Hold every process's requests for `seconds` (a 429's retry-after)."""
        self._change(lambda state, now: replace(state, paused_until=max(state.paused_until, now + seconds)))

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn limits and a spent budget from a reply's rate-limit headers, for every process.

        A limit this process was configured with is not overwritten by what the server says (config wins).
        """
        news = self.read_headers(headers)
        hold = news.hold
        learned = (None if self.rpm else news.rpm, None if self.tpm else news.tpm)
        if not (any(learned) or hold or news.requests_left is not None or news.tokens_left is not None):
            return  # most replies of a server without rate-limit headers: no transaction
        if hold:
            log.info("%s %s: rate limit spent; every process holds for %.1fs", self.provider, self.model, hold)

        def change(state: LimitState, now: float) -> LimitState:
            # never more than the server says is left: requests sent before the limit was known count too
            rpm, tpm = state.rpm or learned[0], state.tpm or learned[1]
            return replace(state, paused_until=max(state.paused_until, now + hold),
                           requests=at_most(state.requests, news.requests_left, rpm),
                           tokens=at_most(state.tokens, news.tokens_left, tpm))

        self._change(change, learned=learned)

    def state(self) -> LimitState:
        """The row as it stands now (refilled, with this process's configured limits in force); read-only."""
        conn = self.limits.connection()
        row = conn.execute(f"SELECT {_COLUMNS} FROM rate_limits WHERE provider = ? AND model = ?",
                           (self.provider, self.model)).fetchone()
        return self._refilled(row, self.limits.clock())

    def _reserve(self, tokens: int) -> tuple[float, float]:
        """One transaction: take a request and `tokens` if available, (0, now); else (seconds to wait, now)."""
        result = (0.0, 0.0)

        def reserve(state: LimitState, now: float) -> LimitState:
            nonlocal result
            result = (_wait(state, tokens, now), now)
            if result[0] > 0:
                return state
            requests, left = state.requests, state.tokens
            if state.rpm and requests is not None:
                requests -= 1
            if state.tpm and left is not None:
                left -= tokens
            return replace(state, requests=requests, tokens=left)

        self._change(reserve)
        return result

    def _change(self, change: Callable[[LimitState, float], LimitState], *,
                learned: tuple[float | None, float | None] = (None, None)) -> None:
        """Refill the row, apply `change`, and store it with any newly `learned` limits, in one write transaction.

        The clock is read inside the lock, so the processes' readings come in the order of their writes. Only
        learned limits are stored: configured ones stay the configured process's own.
        """
        conn = self.limits.connection()
        with write(conn):
            now = self.limits.clock()
            row = conn.execute(f"SELECT {_COLUMNS} FROM rate_limits WHERE provider = ? AND model = ?",
                               (self.provider, self.model)).fetchone()
            after = change(self._refilled(row, now), now)
            rpm = learned[0] or (row["rpm"] if row else None)
            tpm = learned[1] or (row["tpm"] if row else None)
            conn.execute(f"INSERT OR REPLACE INTO rate_limits (provider, model, {_COLUMNS}) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (self.provider, self.model, rpm, tpm, after.requests, after.tokens, now, after.paused_until))

    def _refilled(self, row: sqlite3.Row | None, now: float) -> LimitState:
        """The row's buckets refilled to `now` under the limits in force: configured, else learned."""
        if row is None:
            rpm, tpm = self.rpm, self.tpm
            return LimitState(rpm=rpm, tpm=tpm, requests=_level(None, rpm, 0), tokens=_level(None, tpm, 0),
                              updated_at=now, paused_until=0.0)
        rpm, tpm = self.rpm or row["rpm"], self.tpm or row["tpm"]
        elapsed = max(0.0, now - row["updated_at"])
        return LimitState(rpm=rpm, tpm=tpm, requests=_level(row["requests"], rpm, elapsed),
                          tokens=_level(row["tokens"], tpm, elapsed), updated_at=now,
                          paused_until=row["paused_until"])
