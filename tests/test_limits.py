"""Rate limits: one contract for the in-process `RateLimiter` and the database-backed `SharedLimiter`, on a fake
clock with recorded sleeps; then what only the shared one promises (a second connection, real processes), the
factory seam in `resilience`, and a hosted provider reserving estimated tokens and settling them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from charforge.config import RetrySettings, resolve
from charforge.errors import ProviderTransientError
from charforge.models import CharacterSpec
from charforge.providers import resilience
from charforge.providers.hosted import estimated_tokens
from charforge.providers.resilience import RateLimiter, burst, call, read_rate_limits
from charforge.service import CharacterService
from charforge.store.limits import SharedLimiter, SharedLimits
from fake_llm import FakeLLM
from fake_llm import fake_llm as fake_llm

# What m004_rate_limits gives a blank database; tests/test_store.py pins the whole schema with it.
LIMITS_SCHEMA = {
    "rate_limits": textwrap.dedent("""\
        CREATE TABLE rate_limits (
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            rpm REAL,
            tpm REAL,
            requests REAL,
            tokens REAL,
            updated_at REAL NOT NULL,
            paused_until REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (provider, model)
        )"""),
}
T0 = 1_800_000_000.0  # a wall-clock reading, as the shared limiter stores them


class Clock:
    """A clock that moves only when someone sleeps; every sleep is recorded."""

    def __init__(self, start: float = T0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert len(self.slept) < 10_000, "the limiter is spinning: its waits do not move the clock"
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "limits.db"


@pytest.fixture(params=["process", "database"])
def make(request, clock, db_path):
    """Build a limiter of either kind on the fake clock: the contract tests run against both."""
    if request.param == "process":
        yield lambda **limits: RateLimiter(clock=clock, sleep=clock.sleep, **limits)
        return
    shared = SharedLimits(db_path, clock=clock, sleep=clock.sleep)
    yield lambda **limits: shared("test", "m", read_headers=read_rate_limits, **limits)
    shared.close()


@pytest.fixture
def default_limiters():
    """Whatever a test installs, the process goes back to its own limiters afterwards."""
    yield
    resilience.use_limiter_factory(None)


# --- the contract ------------------------------------------------------------------------------------------------


def test_the_burst_is_two_seconds_worth_and_at_least_one():
    assert [burst(rpm) for rpm in (600, 60, 30, 10)] == [20, 2, 1, 1]


def test_requests_are_paced_after_a_two_second_burst(make, clock):
    limiter = make(rpm=600)  # 10 a second, a bucket of 20
    granted = [limiter.acquire() - T0 for _ in range(25)]
    assert granted[:20] == [0] * 20
    assert granted[20:] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])
    assert clock.slept == pytest.approx([0.1] * 5)


def test_a_slow_rate_still_lets_one_request_through(make, clock):
    limiter = make(rpm=10)  # two seconds' worth is a third of a request: the bucket holds one
    assert [limiter.acquire() - T0 for _ in range(3)] == pytest.approx([0, 6, 12])


def test_tokens_block_a_request_larger_than_what_is_left_and_settle_gives_back_the_unused(make, clock):
    limiter = make(tpm=6000)  # 100 tokens a second, a bucket of 200
    assert limiter.acquire(150) == T0  # 50 left
    assert limiter.acquire(100) - T0 == pytest.approx(0.5)  # waits for the missing 50
    limiter.settle(100, 20)  # it used 20: 80 come back
    assert limiter.acquire(80) - T0 == pytest.approx(0.5)  # no wait
    limiter.settle(0, 40)  # a reply bigger than its estimate takes the difference
    assert limiter.acquire(1) - T0 == pytest.approx(0.91)


def test_a_request_bigger_than_the_bucket_waits_for_a_full_one_then_owes_the_rest(make, clock):
    limiter = make(tpm=6000)
    limiter.acquire(200)
    assert limiter.acquire(1000) - T0 == pytest.approx(2.0)  # the bucket refilled, 800 owed
    assert limiter.acquire(1) - T0 == pytest.approx(2.0 + 8.01)


def test_tokens_without_a_token_limit_cost_nothing(make, clock):
    limiter = make(rpm=600)
    for _ in range(20):
        limiter.acquire(100_000)
    limiter.settle(100_000, 0)
    assert clock.slept == []


def test_pause_holds_everyone_back(make, clock):
    limiter = make(rpm=600)
    limiter.pause(5)
    limiter.pause(2)  # a shorter pause does not shorten the longer one
    assert limiter.acquire() - T0 == pytest.approx(5.0)


def test_limits_are_learned_from_headers(make, clock):
    limiter = make()
    limiter.observe({"anthropic-ratelimit-requests-limit": "60", "anthropic-ratelimit-tokens-limit": "6000"})
    assert [limiter.acquire(100) - T0 for _ in range(3)] == pytest.approx([0, 0, 1])  # 2 a burst, 1 a second
    limiter.observe({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m30s"})
    assert limiter.acquire() - T0 == pytest.approx(91.0)


def test_configured_limits_win_over_learned_ones(make, clock):
    limiter = make(rpm=60)
    limiter.observe({"x-ratelimit-limit-requests": "6000"})
    assert [limiter.acquire() - T0 for _ in range(3)] == pytest.approx([0, 0, 1])


def test_a_429_pauses_the_limiter_and_refunds_the_reserved_tokens(make, clock):
    limiter = make(tpm=6000)
    failures = [ProviderTransientError("429", status=429, retry_after=4)]

    def fn() -> str:
        if failures:
            raise failures.pop()
        return "done"

    assert call(fn, provider="test", model="m", policy=RetrySettings(), limiter=limiter, tokens=150,
                sleep=clock.sleep, clock=clock) == ("done", 2)
    assert clock.now - T0 == pytest.approx(4.0)  # the retry waited for the pause, the refund made the tokens ready
    assert limiter.acquire(50) - T0 == pytest.approx(4.0)  # 200 - 150: only the successful attempt kept its share


def test_asyncio_callers_get_the_same_pacing(make, clock):
    import asyncio

    limiter = make(rpm=60)

    async def main():
        return [await limiter.acquire_async(), await limiter.acquire_async()]

    assert asyncio.run(main()) == [T0, T0]


# --- shared through the database ----------------------------------------------------------------------------------


def second(db_path: Path, clock: Clock, **limits) -> SharedLimiter:
    """Another process, as far as SQLite can tell: its own SharedLimits, so its own connection."""
    return SharedLimits(db_path, clock=clock, sleep=clock.sleep)("test", "m", read_headers=read_rate_limits, **limits)


def test_a_second_limiter_on_the_same_file_shares_the_buckets(db_path, clock):
    one, two = second(db_path, clock, rpm=600), second(db_path, clock, rpm=600)
    for _ in range(10):
        one.acquire()
        two.acquire()
    assert two.acquire() - T0 == pytest.approx(0.1)  # the 21st request in the burst window waits, whoever asks
    assert one.acquire() - T0 == pytest.approx(0.2)


def test_a_pause_and_learned_limits_are_seen_by_a_second_limiter(db_path, clock):
    one, two = second(db_path, clock), second(db_path, clock)
    one.observe({"anthropic-ratelimit-requests-limit": "60"})
    one.pause(5)
    assert two.state().rpm == 60 and two.state().paused_until == T0 + 5
    assert [two.acquire() - T0 for _ in range(3)] == pytest.approx([5, 5, 6])


def test_configured_limits_stay_with_the_process_that_set_them(db_path, clock):
    configured, learning = second(db_path, clock, rpm=60), second(db_path, clock)
    configured.observe({"x-ratelimit-limit-requests": "6000"})  # ignored: config wins here
    assert learning.state().rpm is None
    learning.observe({"x-ratelimit-limit-requests": "6000"})
    assert (configured.state().rpm, learning.state().rpm) == (60, 6000)


def test_a_clock_stepped_back_does_not_stall_the_limiter(db_path, clock):
    limiter = second(db_path, clock, rpm=600)
    for _ in range(20):
        limiter.acquire()
    clock.now -= 3600  # an NTP step: refills are capped at a burst, so counting time twice later costs one at most
    assert limiter.acquire() - (T0 - 3600) == pytest.approx(0.1)  # paced as before, not held for an hour


def test_the_row_holds_what_the_limiter_did(db_path, clock):
    limiter = second(db_path, clock, tpm=6000)
    limiter.acquire(150)
    row = limiter.limits.connection().execute("SELECT * FROM rate_limits").fetchone()
    assert dict(row) == {"provider": "test", "model": "m", "rpm": None, "tpm": None, "requests": None,
                         "tokens": 50.0, "updated_at": T0, "paused_until": 0.0}


def test_each_thread_gets_its_own_connection(db_path, clock):
    import threading

    shared = SharedLimits(db_path, clock=clock, sleep=clock.sleep)
    limiter = shared("test", "m", rpm=12000, read_headers=read_rate_limits)  # a burst of 400
    connections, granted = [], []

    def worker():
        for _ in range(50):
            granted.append(limiter.acquire(sleep=pytest.fail))
        connections.append(shared.connection())
        shared.close()  # this thread's

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 400 and len({id(conn) for conn in connections}) == 8
    assert limiter.state().requests == pytest.approx(0)


PAUSER = """
import sys
from pathlib import Path
from charforge.providers.resilience import read_rate_limits
from charforge.store.limits import SharedLimits
limiter = SharedLimits(Path(sys.argv[1]))("test", "m", read_headers=read_rate_limits)
limiter.observe({"x-ratelimit-limit-requests": "60"})
limiter.pause(300)
"""


def test_a_pause_and_a_learned_limit_cross_to_another_process(db_path):
    done = subprocess.run([sys.executable, "-c", PAUSER, str(db_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    clock = Clock(start=time.time())  # the real wall clock, as the other process wrote it, then faked forward
    limiter = SharedLimits(db_path, clock=clock, sleep=clock.sleep)("test", "m", read_headers=read_rate_limits)
    granted = [limiter.acquire() for _ in range(3)]
    assert 240 < clock.slept[0] <= 300  # what is left of the other process's pause
    assert granted[1] == granted[0] and granted[2] - granted[0] == pytest.approx(1.0)  # its learned 60 rpm


PACED = """
import json, sys, time
from pathlib import Path
from charforge.providers.resilience import read_rate_limits
from charforge.store.limits import SharedLimits
here = Path(sys.argv[1])
slept = []
def sleep(seconds):
    slept.append(seconds)
    time.sleep(seconds)
limiter = SharedLimits(here / "shared.db", sleep=sleep)("test", "m", rpm=600, read_headers=read_rate_limits)
limiter.state()  # connected and migrated before the start line
(here / f"ready-{sys.argv[2]}").touch()
while not (here / "go").exists():
    time.sleep(0.001)
print(json.dumps({"granted": [limiter.acquire() for _ in range(40)], "slept": sum(slept)}))
"""


@pytest.mark.slow
def test_two_processes_share_one_rate(tmp_path):
    """rpm=600 is a burst of 20 then 10 a second, for both processes together: 80 requests take 6 s, not 3."""
    SharedLimits(tmp_path / "shared.db").connection()  # one migration before the race
    procs = [subprocess.Popen([sys.executable, "-c", PACED, str(tmp_path), str(i)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the children to import, not standing in for a clock
    (tmp_path / "go").touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    grants = sorted(t for r in results for t in r["granted"])
    assert len(grants) == 80
    # The token bucket's promise, over every window the grants span: at most 20 + 10 per second in it. Slowness
    # can only spread the grants out, so this holds however loaded the machine is.
    worst = max(j - i + 1 - 10 * (grants[j] - grants[i]) for i in range(80) for j in range(i, 80))
    assert worst <= 20 + 1e-6
    assert grants[-1] - grants[0] >= 6 - 1e-6  # 60 requests beyond the burst at 10 a second
    first, other = (r["granted"] for r in results)
    assert min(first[-1], other[-1]) > max(first[0], other[0])  # they ran at the same time, so they competed
    assert all(r["slept"] > 0 for r in results)


# --- the seam and the hosted providers ----------------------------------------------------------------------------


def test_the_factory_seam_switches_the_process_to_shared_limiters(db_path, clock, default_limiters):
    assert isinstance(resilience.limiter("test", "seam", rpm=60), RateLimiter)
    resilience.use_limiter_factory(SharedLimits(db_path, clock=clock, sleep=clock.sleep))
    shared = resilience.limiter("test", "seam", rpm=60)
    assert isinstance(shared, SharedLimiter) and resilience.limiter("test", "seam") is shared
    assert shared.rpm == 60
    resilience.use_limiter_factory(None)
    assert isinstance(resilience.limiter("test", "seam"), RateLimiter)


def test_importing_resilience_does_not_load_sqlite():
    code = ("import sys, charforge.providers.resilience\n"
            "print('sqlite3' in sys.modules, 'charforge.store' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stderr


class Recording(RateLimiter):
    """A RateLimiter that remembers what it was asked."""

    def __init__(self, **limits) -> None:
        super().__init__(**limits)
        self.asked: list[tuple[str, int, int]] = []

    def acquire(self, tokens: int = 0, *, sleep=None) -> float:
        self.asked.append(("acquire", tokens, 0))
        return super().acquire(tokens, sleep=sleep)

    def settle(self, reserved_tokens: int, used_tokens: int) -> None:
        self.asked.append(("settle", reserved_tokens, used_tokens))
        super().settle(reserved_tokens, used_tokens)


def test_a_hosted_provider_reserves_its_estimate_and_settles_the_real_usage(fake_llm: FakeLLM, monkeypatch,
                                                                           default_limiters):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-0123456789abcdef")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.url)
    made: list[Recording] = []

    def factory(provider, model, *, rpm, tpm, read_headers) -> Recording:
        made.append(Recording(rpm=rpm, tpm=tpm))
        return made[-1]

    resilience.use_limiter_factory(factory)
    service, _ = CharacterService.from_settings(resolve().settings.model_copy(update={"provider": "anthropic"}))
    service.background(CharacterSpec(seed=1))
    [limiter], [record], [sent] = made, service.calls, fake_llm.requests
    chars = len(sent.body["system"]) + len(sent.body["messages"][0]["content"]) + \
        len(json.dumps(sent.body["tools"][0]["input_schema"]))
    estimate = -(-chars // 4) + sent.body["max_tokens"]
    assert limiter.asked == [("acquire", estimate, 0),
                             ("settle", estimate, record.input_tokens + record.output_tokens)]


def test_the_estimate_is_a_quarter_of_the_characters_plus_the_output_room():
    from charforge.models import Abilities, Brief
    from charforge.providers.base import GenerationRequest

    brief = Brief(seed=0, name="T", ancestry="human", ancestry_name="Human", people="human", class_name="fighter",
                  class_title="Fighter", level=1, alignment="neutral", origin=None, concept="", setting=None,
                  length="quick", abilities=Abilities.model_validate(dict.fromkeys(("str", "dex", "con", "int",
                                                                                    "wis", "cha"), 10)))
    request = GenerationRequest(kind="portrait", brief=brief, schema={"type": "object"}, system="s" * 400,
                                user="u" * 399)
    assert estimated_tokens(request, 1000) == (400 + 399 + len('{"type": "object"}') + 3) // 4 + 1000
