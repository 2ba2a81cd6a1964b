"""The one retry loop and the client-side rate limiter every provider shares.

SDK clients are built with `max_retries=0`; retries happen only here. Providers translate their
SDK's exceptions into `ProviderTransientError` (retry), `ProviderAuthError` / `ProviderRequestError`
(fail at once) or `MalformedAnswerError` (retry: the next answer is usually fine). Waits use
exponential backoff with jitter unless the provider said how long (`retry-after`), always capped by
`max_wait` and by what is left of the call's deadline. A 429 pauses the limiter for every caller
in the process that uses the same provider and model.
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
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from charforge.config import RetrySettings
from charforge.errors import CharforgeError

T = TypeVar("T")
log = logging.getLogger(__name__)
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0


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
    limiter: RateLimiter | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[T, int]:
    """Run `fn` until it succeeds, fails for good, or the attempts or deadline run out.

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

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.info("%s %s attempt %d failed (status %s: %s); retrying in %.2fs", provider, model, state.attempt_number,
                 getattr(exc, "status", None), exc, state.upcoming_sleep)

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
                    limiter.acquire()
                result = fn()
    except CharforgeError as exc:
        exc.attempts = attempts  # the generation log records how hard we tried
        raise
    return result, attempts


# -- rate limiting ---------------------------------------------------------------------------


@dataclass
class RateLimiter:
    """Requests- and tokens-per-minute buckets for one (provider, model), shared by threads and tasks.

    Limits come from config, or are learned from the provider's rate-limit headers. `pause()` holds
    every caller back until a moment (after a 429). Waiting happens outside the lock.
    """

    rpm: float | None = None
    tpm: float | None = None
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _requests: float | None = None
    _tokens: float | None = None
    _updated: float | None = None
    _paused_until: float = 0.0

    def _refill(self, now: float) -> None:
        elapsed = 0.0 if self._updated is None else now - self._updated
        self._updated = now
        if self.rpm:
            self._requests = min(self.rpm, (self.rpm if self._requests is None else self._requests)
                                 + elapsed * self.rpm / 60)
        if self.tpm:
            self._tokens = min(self.tpm, (self.tpm if self._tokens is None else self._tokens)
                               + elapsed * self.tpm / 60)

    def _reserve(self, tokens: int) -> float:
        """Take a request (and tokens) if available; else how long to wait before asking again."""
        with self._lock:
            now = self.clock()
            self._refill(now)
            if now < self._paused_until:
                return self._paused_until - now
            waits = []
            if self.rpm and self._requests is not None and self._requests < 1:
                waits.append((1 - self._requests) * 60 / self.rpm)
            if self.tpm and self._tokens is not None and tokens and self._tokens < min(tokens, self.tpm):
                waits.append((min(tokens, self.tpm) - self._tokens) * 60 / self.tpm)
            if waits:
                return max(waits)
            if self.rpm and self._requests is not None:
                self._requests -= 1
            if self.tpm and self._tokens is not None:
                self._tokens -= tokens
            return 0.0

    def acquire(self, tokens: int = 0, *, sleep: Callable[[float], None] = time.sleep) -> None:
        while (delay := self._reserve(tokens)) > 0:
            sleep(delay)

    async def acquire_async(self, tokens: int = 0) -> None:
        while (delay := self._reserve(tokens)) > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock() + seconds)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn limits and remaining budget from `anthropic-ratelimit-*` / `x-ratelimit-*` headers."""
        lowered = {k.lower(): v for k, v in headers.items()}

        def header(kind: str, part: str) -> str | None:
            return lowered.get(f"anthropic-ratelimit-{kind}-{part}") or lowered.get(f"x-ratelimit-{part}-{kind}")

        for kind in ("requests", "tokens"):
            limit, remaining = _number(header(kind, "limit")), _number(header(kind, "remaining"))
            reset = _reset_seconds(header(kind, "reset"))
            with self._lock:
                if limit and kind == "requests" and not self.rpm:
                    self.rpm = limit
                if limit and kind == "tokens" and not self.tpm:
                    self.tpm = limit
            if remaining is not None and remaining <= 0 and reset:
                log.info("rate limit for %s exhausted; holding requests for %.1fs", kind, reset)
                self.pause(reset)


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


_limiters: dict[tuple[str, str], RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter(provider: str, model: str, *, rpm: int | None = None, tpm: int | None = None) -> RateLimiter:
    """The process-wide limiter for (provider, model)."""
    with _limiters_lock:
        found = _limiters.get((provider, model))
        if found is None:
            found = _limiters[(provider, model)] = RateLimiter(rpm=rpm, tpm=tpm)
        return found
