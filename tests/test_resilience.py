"""The retry loop and the rate limiter, with an injected clock and sleep: no real waiting."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time

import pytest

from charforge.config import RetrySettings
from charforge.errors import MalformedAnswerError, ProviderAuthError, ProviderTransientError
from charforge.providers.resilience import RateLimiter, backoff, call, retry_after


class Script:
    """A function that fails with the given errors, then returns 'done'."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def run(fn, **policy):
    slept: list[float] = []
    result = call(fn, provider="test", model="m", policy=RetrySettings(**policy), sleep=slept.append)
    return result, slept


def test_transient_errors_are_retried_with_growing_jittered_waits():
    fn = Script(ProviderTransientError("500", status=500), ProviderTransientError("502", status=502),
                MalformedAnswerError("not json"))
    (value, attempts), slept = run(fn)
    assert (value, attempts, fn.calls) == ("done", 4, 4)
    assert 0.375 <= slept[0] <= 0.5 and 0.75 <= slept[1] <= 1.0 and 1.5 <= slept[2] <= 2.0


def test_retry_after_wins_and_is_capped():
    fn = Script(ProviderTransientError("429", status=429, retry_after=2.5),
                ProviderTransientError("429", status=429, retry_after=500))
    (_, attempts), slept = run(fn, max_wait=60)
    assert slept == [2.5, 60] and attempts == 3


def test_permanent_errors_are_not_retried():
    fn = Script(ProviderAuthError("401", status=401))
    with pytest.raises(ProviderAuthError) as caught:
        run(fn)
    assert fn.calls == 1 and caught.value.attempts == 1


def test_attempts_run_out_and_the_last_error_is_raised_with_the_count():
    fn = Script(*[ProviderTransientError(f"try {n}", status=503) for n in range(10)])
    with pytest.raises(ProviderTransientError, match="try 2") as caught:
        run(fn, max_attempts=3)
    assert caught.value.attempts == 3


def test_backoff_is_capped():
    assert all(6.0 <= backoff(n) <= 8.0 for n in range(5, 12))


@pytest.mark.parametrize(("headers", "seconds"), [
    ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
    ({"Retry-After": "3"}, 3.0),
    ({"retry-after": "1.5"}, 1.5),
    ({}, None),
    ({"retry-after": "soon"}, None),
])
def test_retry_after_headers(headers, seconds):
    assert retry_after(headers) == seconds


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_requests_per_minute():
    clock = Clock()
    limiter = RateLimiter(rpm=60, clock=clock)
    for _ in range(2):
        limiter.acquire(sleep=clock.sleep)
    assert clock.now == 0  # a burst of two seconds' worth
    limiter.acquire(sleep=clock.sleep)
    assert clock.now == pytest.approx(1.0)  # one request a second once the burst is spent


def test_tokens_per_minute():
    clock = Clock()
    limiter = RateLimiter(tpm=6000, clock=clock)  # 100 tokens a second, a bucket of 200
    limiter.acquire(6000, sleep=clock.sleep)  # a full bucket lets it go, leaving a debt of 5800
    limiter.acquire(3000, sleep=clock.sleep)  # waits for a full bucket again: 6000 tokens' worth of time
    assert clock.now == pytest.approx(60.0)


def test_pause_holds_everyone_back():
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.pause(5)
    limiter.acquire(sleep=clock.sleep)
    assert clock.now == pytest.approx(5.0)


def test_a_429_pauses_the_shared_limiter():
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    fn = Script(ProviderTransientError("429", status=429, retry_after=4))
    call(fn, provider="test", model="m", policy=RetrySettings(), limiter=limiter, sleep=clock.sleep)
    assert clock.now == pytest.approx(4.0)  # the retry waited for the pause, not twice as long


def test_limits_are_learned_from_headers():
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.observe({"anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-tokens-limit": "40000"})
    assert (limiter.rpm, limiter.tpm) == (50, 40000)
    limiter.observe({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m30s"})
    limiter.acquire(sleep=clock.sleep)
    assert clock.now == pytest.approx(90.0)


class Busy(float):
    """A limit whose every reading lets other threads run: it widens any gap between a check and its update."""

    def __bool__(self) -> bool:
        time.sleep(0)  # gives up the GIL, so another thread runs in the middle of the reader's critical section
        return float(self) != 0


class Refused(Exception):
    """The limiter asked a caller to wait: the burst is spent."""


def refuse(_seconds: float) -> None:
    raise Refused


def contend(limiter: RateLimiter, *, threads: int = 8, tries: int = 100) -> int:
    """Let `threads` callers take requests at one frozen moment until told to wait; how many were granted."""
    granted: list[int] = []
    ready = threading.Barrier(threads)

    def worker() -> None:
        ready.wait()
        taken = 0
        try:
            for _ in range(tries):
                limiter.acquire(sleep=refuse)
                taken += 1
        except Refused:
            pass
        granted.append(taken)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    return sum(granted)


def test_thread_safe_under_contention():
    # The clock never advances, so exactly one burst (400 requests) may be granted, however the threads interleave.
    for _ in range(5):
        limiter = RateLimiter(rpm=Busy(12000), clock=Clock())
        assert contend(limiter) == 400
        assert limiter._requests == pytest.approx(0)
        assert limiter._reserve(0)[0] == pytest.approx(0.005)  # the 401st waits for the refill


def test_the_contention_test_catches_an_unlocked_limiter():
    """The test above can fail: without its lock the same limiter grants more than one burst."""
    over = []
    for _ in range(10):
        limiter = RateLimiter(rpm=Busy(12000), clock=Clock())
        limiter._lock = contextlib.nullcontext()  # what a limiter without the lock would do
        over.append(contend(limiter) - 400)
    assert max(over) > 0, over


def test_asyncio_callers_share_the_same_limiter():
    clock = Clock()
    limiter = RateLimiter(rpm=60, clock=clock)  # a burst of 2

    async def main():
        await limiter.acquire_async()
        await limiter.acquire_async()
        return limiter._reserve(0)[0]

    assert asyncio.run(main()) == pytest.approx(1.0)  # the third request must wait a second


def test_an_unreachable_server_is_retried_only_within_its_budget():
    clock = Clock()
    errors = [ProviderTransientError("cannot connect") for _ in range(10)]
    for error in errors:
        error.budget = 2.0  # what HostedProvider sets: the request timeout
    fn = Script(*errors)
    with pytest.raises(ProviderTransientError):
        call(fn, provider="test", model="m", policy=RetrySettings(max_attempts=10, backoff=0.5), sleep=clock.sleep,
             clock=clock)
    assert clock.now == pytest.approx(2.0) and fn.calls == 4  # waits 0.5, 1, then the 0.5 left


def test_the_deadline_stops_the_loop():
    clock = Clock()
    fn = Script(*[ProviderTransientError("503", status=503, retry_after=30) for _ in range(10)])
    with pytest.raises(ProviderTransientError):
        call(fn, provider="test", model="m", policy=RetrySettings(max_attempts=10, deadline=70), sleep=clock.sleep,
             clock=clock)
    assert clock.now == pytest.approx(70) and fn.calls == 4
