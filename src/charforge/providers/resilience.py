"""The one retry loop and the client-side rate limiter every provider shares.

SDK clients are built with `max_retries=0`; retries happen only here. Providers translate their
SDK's exceptions into `ProviderTransientError` (retry), `ProviderAuthError` / `ProviderRequestError`
(fail at once) or `MalformedAnswerError` (retry: the next answer is usually fine). Waits use
exponential backoff with jitter unless the provider said how long (`retry-after`), always capped by
`max_wait` and by what is left of the call's deadline. A 429 pauses the limiter for every caller
that uses the same provider and model: in this process (`RateLimiter`, the default), or in every
process on one database once `use_limiter_factory` installed the shared limiters of `store/limits.py`.
Each wait is announced to the process-wide `RetryObserver` (none by default; the CLI installs one that shows a
status line on a terminal, see `use_retry_observer`), which is told again when the call settles.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from charforge.buckets import at_most, burst
from charforge.config import RetrySettings
from charforge.errors import CharforgeError

T = TypeVar("T")
log = logging.getLogger(__name__)
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
# A shorter wait is float noise (a bucket refilled for exactly the computed wait, a few ulps short): grant. It
# must be above the clock's resolution, or sleeping it would not move a wall-clock reading (~1e9 s) at all.
_NOISE_S = 1e-6


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, CharforgeError) and exc.retryable


def backoff(attempt: int, base: float = BACKOFF_BASE, rng: random.Random | None = None) -> float:
    """~0.5 s, 1, 2, 4, 8, 8 …, each shortened by up to a quarter so clients do not retry in step."""
    jitter = 1 - 0.25 * (rng or random).random()
    return min(BACKOFF_CAP, base * 2 ** (attempt - 1)) * jitter


def call(
    fn: Callable[[], T],
    *,
    provider: str,
    model: str,
    policy: RetrySettings,
    limiter: Limiter | None = None,
    tokens: int = 0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[T, int]:
    """Run `fn` until it succeeds, fails for good, or the attempts or deadline run out.

    Every attempt first takes a request and `tokens` (the request's estimated tokens) from `limiter`.
    Returns the result and the number of attempts. Raises the last error when giving up.
    """
    started = clock()

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        advised = getattr(exc, "retry_after", None)
        seconds = advised if advised is not None else backoff(state.attempt_number, policy.backoff)
        seconds = min(seconds, policy.max_wait)
        seconds = max(0.0, min(seconds, _deadline(exc) - (clock() - started)))
        if limiter is not None and getattr(exc, "status", None) == 429:
            limiter.pause(seconds)
        return seconds

    observer = _observer  # read once: one call talks to one observer, even if another is installed meanwhile

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.info("%s %s attempt %d failed (status %s: %s); retrying in %.2fs", provider, model, state.attempt_number,
                 getattr(exc, "status", None), exc, state.upcoming_sleep)
        if observer is not None:
            observer.retrying(RetryEvent(provider=provider, model=model, attempt=state.attempt_number,
                                         max_attempts=policy.max_attempts, wait=state.upcoming_sleep or 0.0,
                                         reason=str(exc).splitlines()[0] if exc is not None else ""))

    def _deadline(exc: BaseException | None) -> float:
        """The whole call's deadline, or an error's own budget (an unreachable server: the timeout)."""
        budget = getattr(exc, "budget", None)
        return min(policy.deadline, budget) if budget is not None else policy.deadline

    def out_of_time(state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        return clock() - started >= _deadline(exc)

    retrying = Retrying(
        stop=stop_after_attempt(policy.max_attempts) | out_of_time,
        wait=wait, retry=retry_if_exception(_retryable), sleep=sleep, before_sleep=before_sleep, reraise=True,
    )
    attempts = 0
    try:
        for attempt in retrying:
            with attempt:
                attempts = attempt.retry_state.attempt_number
                if limiter is not None:
                    limiter.acquire(tokens)
                try:
                    result = fn()
                except CharforgeError as exc:
                    if limiter is not None and tokens and getattr(exc, "status", None) == 429:
                        limiter.settle(tokens, 0)  # a refused request used nothing; its retry reserves again
                    raise
    except CharforgeError as exc:
        exc.attempts = attempts  # the generation log records how hard we tried
        raise
    finally:
        if observer is not None and attempts > 1:
            observer.settled()  # success or the last failure: the status line goes before anything is printed
    return result, attempts


@dataclass(frozen=True)
class RetryEvent:
    """One wait of the retry loop: attempt `attempt` of `max_attempts` failed for `reason`; next in `wait` s."""

    provider: str
    model: str
    attempt: int
    max_attempts: int
    wait: float
    reason: str


class RetryObserver(Protocol):
    """Told about every wait of every retried call in this process (`use_retry_observer`).

    `retrying` comes before each wait; `settled` once, when a call that waited at least once has ended
    (successfully or not). Both are called from the thread making the call, and must not raise.
    """

    def retrying(self, event: RetryEvent) -> None: ...

    def settled(self) -> None: ...


_observer: RetryObserver | None = None


def use_retry_observer(observer: RetryObserver | None) -> RetryObserver | None:
    """Announce retries to `observer` from now on (None: to nobody, the default); returns the previous one.

    The CLI installs `cli.render.RetryStatus` through `charforge.service.hooks` for commands run on a
    terminal, so this module never talks to the terminal itself.
    """
    global _observer
    previous, _observer = _observer, observer
    return previous


# -- rate limiting ---------------------------------------------------------------------------


class Limiter(Protocol):
    """What `call` and the providers need from a rate limiter for one (provider, model).

    Kept by `RateLimiter` (this process) and `charforge.store.limits.SharedLimiter` (every process on one
    database). `acquire` waits, outside any lock, until a request and `tokens` estimated tokens may go, and
    returns the limiter clock's reading when they were granted; `settle` corrects the token bucket once a
    reply's real usage is known; `pause` holds every caller back (after a 429); `observe` learns limits from
    a reply's rate-limit headers (`read_rate_limits`). Limits given at construction win over learned ones.
    """

    def acquire(self, tokens: int = 0, *, sleep: Callable[[float], None] | None = None) -> float: ...

    async def acquire_async(self, tokens: int = 0) -> float: ...

    def settle(self, reserved_tokens: int, used_tokens: int) -> None: ...

    def pause(self, seconds: float) -> None: ...

    def observe(self, headers: Mapping[str, str]) -> None: ...



class RateLimitNews(NamedTuple):
    """What one reply's rate-limit headers say: the limits, what is left, and how long every request must hold."""

    rpm: float | None
    tpm: float | None
    hold: float  # seconds; > 0 when the server says a budget is spent: until its next request or token comes
    requests_left: float | None = None  # the server's count: requests sent before the limit was known used some
    tokens_left: float | None = None


def read_rate_limits(headers: Mapping[str, str]) -> RateLimitNews:
    """Read `anthropic-ratelimit-*` and `x-ratelimit-*` (OpenAI) headers; absent ones read as unknown."""
    lowered = {k.lower(): v for k, v in headers.items()}

    def header(kind: str, part: str) -> str | None:
        return lowered.get(f"anthropic-ratelimit-{kind}-{part}") or lowered.get(f"x-ratelimit-{part}-{kind}")

    limits, left, hold = {}, {}, 0.0
    for kind in ("requests", "tokens"):
        limits[kind] = _number(header(kind, "limit")) or None
        left[kind] = remaining = _number(header(kind, "remaining"))
        reset = _reset_seconds(header(kind, "reset"))
        if remaining is not None and remaining <= 0 and reset:
            # `reset` is when the budget is whole again; the next request is due when one more unit has come
            # back, a 1/limit of a minute later (the servers refill continuously).
            wait = min(reset, 60 / limits[kind]) if limits[kind] else reset
            log.info("rate limit for %s exhausted; holding requests for %.2fs", kind, wait)
            hold = max(hold, wait)
    return RateLimitNews(rpm=limits["requests"], tpm=limits["tokens"], hold=hold, requests_left=left["requests"],
                         tokens_left=left["tokens"])


@dataclass
class RateLimiter:
    """Requests- and tokens-per-minute buckets for one (provider, model), shared by threads and tasks.

    Limits come from config, or are learned from the provider's rate-limit headers. Each bucket holds
    `burst()`: two seconds' worth. `pause()` holds every caller back until a moment (after a 429).
    Waiting happens outside the lock. Only this process sees it: see `use_limiter_factory`.
    """

    rpm: float | None = None
    tpm: float | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _requests: float | None = None
    _tokens: float | None = None
    _updated: float | None = None
    _paused_until: float = 0.0

    def _refill(self, now: float) -> None:
        elapsed = 0.0 if self._updated is None else max(0.0, now - self._updated)
        self._updated = now
        if self.rpm:
            cap = burst(self.rpm)
            self._requests = min(cap, (cap if self._requests is None else self._requests) + elapsed * self.rpm / 60)
        if self.tpm:
            cap = burst(self.tpm)
            self._tokens = min(cap, (cap if self._tokens is None else self._tokens) + elapsed * self.tpm / 60)

    def _reserve(self, tokens: int) -> tuple[float, float]:
        """Take a request (and tokens) if available: (0, now); else (seconds to wait before asking again, now)."""
        with self._lock:
            now = self.clock()
            self._refill(now)
            waits = [0.0, self._paused_until - now]
            if self.rpm and self._requests is not None and self._requests < 1:
                waits.append((1 - self._requests) * 60 / self.rpm)
            if self.tpm and self._tokens is not None and tokens:
                need = min(tokens, burst(self.tpm))  # a bigger request waits for a full bucket, then owes the rest
                if self._tokens < need:
                    waits.append((need - self._tokens) * 60 / self.tpm)
            if max(waits) >= _NOISE_S:
                return max(waits), now
            if self.rpm and self._requests is not None:
                self._requests -= 1
            if self.tpm and self._tokens is not None:
                self._tokens -= tokens
            return 0.0, now

    def acquire(self, tokens: int = 0, *, sleep: Callable[[float], None] | None = None) -> float:
        """Wait until a request and `tokens` estimated tokens may go; returns the clock reading at the grant."""
        while True:
            delay, now = self._reserve(tokens)
            if delay <= 0:
                return now
            (sleep or self.sleep)(delay)

    async def acquire_async(self, tokens: int = 0) -> float:
        while True:
            delay, now = self._reserve(tokens)
            if delay <= 0:
                return now
            await asyncio.sleep(delay)

    def settle(self, reserved_tokens: int, used_tokens: int) -> None:
        """Give back what a request reserved but did not use (or take what it used beyond its estimate)."""
        with self._lock:
            self._refill(self.clock())
            if self.tpm and self._tokens is not None:
                self._tokens = min(burst(self.tpm), self._tokens + reserved_tokens - used_tokens)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + seconds)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn limits (unless configured) and a spent budget from a reply's rate-limit headers."""
        news = read_rate_limits(headers)
        with self._lock:
            self._refill(self.clock())  # the time so far refills at the old rate
            self.rpm = self.rpm or news.rpm
            self.tpm = self.tpm or news.tpm
            # never more than the server says is left: requests sent before the limit was known count too
            self._requests = at_most(self._requests, news.requests_left, self.rpm)
            self._tokens = at_most(self._tokens, news.tokens_left, self.tpm)
        if news.hold:
            self.pause(news.hold)



def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the provider asked us to wait: `retry-after-ms` wins, then `retry-after` (seconds or a date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if (ms := _number(lowered.get("retry-after-ms"))) is not None:
        return max(0.0, ms / 1000)
    value = lowered.get("retry-after")
    if value is None:
        return None
    if (seconds := _number(value)) is not None:
        return max(0.0, seconds)
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _reset_seconds(value: str | None) -> float | None:
    """OpenAI sends durations ('1s', '6m0s', '250ms'); Anthropic sends an RFC 3339 time."""
    if not value:
        return None
    if parts := re.findall(r"([\d.]+)(ms|h|m|s)", value):
        scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
        return sum(float(n) * scale[unit] for n, unit in parts)
    from datetime import UTC, datetime

    try:
        return max(0.0, (datetime.fromisoformat(value.replace("Z", "+00:00")) - datetime.now(UTC)).total_seconds())
    except ValueError:
        return None


class LimiterFactory(Protocol):
    """Builds the limiter for (provider, model); `store.limits.SharedLimits` is one."""

    def __call__(self, provider: str, model: str, *, rpm: float | None, tpm: float | None,
                 read_headers: Callable[[Mapping[str, str]], RateLimitNews]) -> Limiter: ...


_limiters: dict[tuple[str, str], Limiter] = {}
_limiters_lock = threading.Lock()
_factory: LimiterFactory | None = None


def limiter(provider: str, model: str, *, rpm: int | None = None, tpm: int | None = None) -> Limiter:
    """The process-wide limiter for (provider, model): a `RateLimiter`, or the installed factory's."""
    with _limiters_lock:
        found = _limiters.get((provider, model))
        if found is None:
            if _factory is None:
                found = RateLimiter(rpm=rpm, tpm=tpm)
            else:
                found = _factory(provider, model, rpm=rpm, tpm=tpm, read_headers=read_rate_limits)
            _limiters[(provider, model)] = found
        return found


def use_limiter_factory(factory: LimiterFactory | None) -> None:
    """Build limiters with `factory` from now on; None goes back to this process's own `RateLimiter`s.

    The worker calls it at start-up with `charforge.store.limits.SharedLimits(path)`, so every worker on
    one database shares one set of buckets, 429 pauses and learned limits (this module cannot import the
    store: providers and store are sibling layers). Limiters handed out before are forgotten here, but
    providers built before keep theirs: call it before building any.

    Example:
        resilience.use_limiter_factory(SharedLimits(db.default_path()))
    """
    global _factory
    with _limiters_lock:
        _factory = factory
        _limiters.clear()
