"""`batch submit --mode provider`: jobs go through the providers' batch APIs and come back into the same rows.

The worker runs as a real process against the fake batch server (tests/fake_batches.py), which speaks
Anthropic Message Batches and OpenAI Batch to the real SDKs; the database is a real file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from charforge.errors import ExitCode
from charforge.models import Character
from charforge.providers.mock import MockProvider
from charforge.store.queue import JobQueue, JobState
from fake_batches import FakeBatches

NPC_ANSWER = MockProvider().answer("npc")  # a whole, schema-valid npc answer; settling makes it legal


def npc_answer(custom_id: str, body: dict) -> dict:
    return NPC_ANSWER


def provider_env(fake: FakeBatches, name: str) -> dict[str, str]:
    url = fake.url if name == "anthropic" else f"{fake.url}/v1"
    variable = "ANTHROPIC" if name == "anthropic" else "OPENAI"
    return {f"{variable}_API_KEY": "test-key", f"{variable}_BASE_URL": url}


def charforge(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "charforge", *args], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def states() -> dict[str, int]:
    with JobQueue() as queue:
        return {str(state): n for state, n in queue.counts().items() if n}


def wait_for(condition, *, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {states()}"
        time.sleep(0.05)  # polling the real database, not standing in for a clock


@pytest.mark.slow
@pytest.mark.parametrize("name", ["anthropic", "openai"])
def test_a_worker_killed_between_submit_and_results_finishes_each_job_once(cli, name, monkeypatch):
    with FakeBatches(polls=10_000, answer=npc_answer) as fake:  # batches stay in progress until released
        env = provider_env(fake, name)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        submitted = cli("batch", "submit", "--count", "50", "--provider", name, "--mode", "provider", "--seed", "3",
                        "--json")
        assert submitted.exit_code == 0, submitted.stderr
        first = charforge("worker", "--poll", "0.1", env=env)
        try:
            wait_for(lambda: states() == {"submitted": 50}, what="all 50 jobs submitted")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        assert len(fake.batches) == 1  # one provider batch holds the 50 requests
        for batch in fake.batches.values():
            batch.polls_left = 0  # the provider finishes while no worker is running
        second = charforge("worker", "--drain", "--poll", "0.1", env=env)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 0, err

    assert states() == {"succeeded": 50}
    creates = "/v1/messages/batches" if name == "anthropic" else "/v1/batches"
    assert len(fake.calls("POST", creates)) == 1  # submitted once: the restart reconciled, it did not resubmit
    with JobQueue() as queue:
        jobs = queue.jobs_where(state=JobState.SUCCEEDED)
        assert sorted(job.attempts for job in jobs) == [1] * 50
        characters = [Character.model_validate(job.result) for job in jobs]
    assert len({c.name for c in characters}) == 50  # settling renamed the fixture's one name 49 times
    assert all(c.provenance.provider == name for c in characters)
    costs = [c.provenance.usage.cost_usd for c in characters]
    assert all(cost is None or cost >= 0 for cost in costs)


def test_failed_requests_go_back_to_the_queue_and_succeed_in_the_next_provider_batch(cli, monkeypatch):
    with FakeBatches(polls=0, answer=npc_answer) as fake:
        env = provider_env(fake, "anthropic")
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        assert cli("batch", "submit", "--count", "4", "--provider", "anthropic", "--mode", "provider",
                   "--seed", "1").exit_code == 0
        with JobQueue() as queue:
            ids = [job.id for job in queue.jobs_where()]
        fake.outcomes.update({ids[0]: "expired", ids[1]: "overloaded", ids[2]: "malformed"})
        first = charforge("worker", "--drain", "--poll", "0.05", env=env)
        first.communicate(timeout=60)
        fake.outcomes.clear()
        # what backs off is due a few seconds later; a user in a hurry (and this test) says "now"
        assert cli("jobs", "retry", "--state", "failed").exit_code == 0
        second = charforge("worker", "--drain", "--poll", "0.05", env=env)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
    assert states() == {"succeeded": 4}
    with JobQueue() as queue:
        retried = {job.id: [e.kind for e in job.errors] for job in queue.jobs_where() if job.errors}
    assert set(retried) == set(ids[:3])  # each failed once with its reason on record, then succeeded
    assert len(fake.calls("POST", "/v1/messages/batches")) >= 2


def test_provider_mode_needs_a_provider_with_a_batch_api(cli):
    result = cli("batch", "submit", "--count", "2", "--provider", "offline", "--mode", "provider")
    assert result.exit_code == ExitCode.USAGE
    assert "batch API" in result.stderr and result.stdout == ""
