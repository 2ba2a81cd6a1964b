"""Provider batch mode: the real anthropic and openai SDKs against a fake batch server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from charforge.errors import ProviderRequestError, ProviderTransientError
from charforge.models import Abilities, Brief, PortraitPrompt
from charforge.providers.anthropic import AnthropicProvider
from charforge.providers.base import GenerationRequest
from charforge.providers.batches import BatchAPI, BatchStatus, batch_api
from charforge.providers.openai import OpenAIProvider
from charforge.providers.openai_compatible import OpenAICompatibleProvider
from charforge.sections import ProviderSettings, RetrySettings
from fake_batches import Fail, FakeBatches
from fake_batches import fake_batches as fake_batches
from fake_llm import FakeLLM
from fake_llm import fake_llm as fake_llm

RETRY = RetrySettings(max_attempts=2, backoff=0.01)
CREATE = {"anthropic": "/v1/messages/batches", "openai": "/v1/batches"}


def job_id(n: int) -> str:
    return f"01JDQ{n:021d}"  # 26 characters, like the queue's ULIDs


def request(seed: int) -> GenerationRequest:
    brief = Brief(seed=seed, name="Mira", ancestry="human", ancestry_name="Human", people="human",
                  class_name="fighter", class_title="Fighter", level=1, alignment="neutral", origin=None,
                  concept="a weathered veteran", setting=None, length="quick",
                  abilities=Abilities.model_validate(dict.fromkeys(("str", "dex", "con", "int", "wis", "cha"), 10)))
    return GenerationRequest(kind="portrait", brief=brief, schema=PortraitPrompt.model_json_schema(),
                             system="Answer with a JSON object matching the schema.",
                             user=f"Task: portrait\nWrite a portrait prompt (seed {seed}).")


def build(name: str, server: FakeBatches | FakeLLM, **settings) -> AnthropicProvider | OpenAIProvider:
    if name == "anthropic":
        return AnthropicProvider(ProviderSettings(base_url=server.url, **settings), key="test-key", retry=RETRY)
    return OpenAIProvider(ProviderSettings(base_url=server.openai_url, **settings), key="test-key", retry=RETRY)


def until_ended(provider: BatchAPI, batch_id: str) -> tuple[list[BatchStatus], BatchStatus]:
    seen = []
    for _ in range(10):
        seen.append(status := provider.status(batch_id))
        if status.ended:
            return seen, status
    raise AssertionError(f"batch {batch_id} never ended: {seen[-1]}")


both = pytest.mark.parametrize("name", ["anthropic", "openai"])


@both
def test_a_batch_is_submitted_polled_and_read_by_custom_id(fake_batches, name):
    provider = build(name, fake_batches)
    items = [(job_id(n), request(n)) for n in range(5)]
    batch_id = provider.submit(items)
    seen, final = until_ended(provider, batch_id)
    assert [s.state for s in seen] == ["in_progress", "ended"]
    assert (final.total, final.succeeded, final.failed, final.processing) == (5, 5, 0, 0)
    results = list(provider.results(batch_id))
    assert [r.custom_id for r in results] == [cid for cid, _ in reversed(items)]  # not in submission order
    for item in results:
        assert item.ok and not item.error
        assert item.custom_id in PortraitPrompt.model_validate_json(item.reply.text).prompt
        usage = item.reply.usage
        assert (usage.input_tokens, usage.output_tokens) == fake_batches.usage[item.custom_id]
        assert item.reply.model == provider.model


@both
def test_failed_items_say_whether_to_try_again(fake_batches, name):
    fake_batches.outcomes = {job_id(1): "errored", job_id(2): "overloaded", job_id(3): "expired",
                             job_id(4): "canceled", job_id(5): "malformed"}
    provider = build(name, fake_batches)
    batch_id = provider.submit([(job_id(n), request(n)) for n in range(6)])
    _, final = until_ended(provider, batch_id)
    assert (final.succeeded, final.failed) == (2, 4)  # a malformed answer is a success to the provider
    items = {item.custom_id: item for item in provider.results(batch_id)}
    got = {n: (items[job_id(n)].error_kind, items[job_id(n)].retryable) for n in range(6)}
    errored, overloaded = (("invalid_request_error", False), ("overloaded_error", True)) if name == "anthropic" \
        else (("invalid_request_error", False), ("server_error", True))
    assert got == {0: (None, False), 1: errored, 2: overloaded, 3: ("expired", True), 4: ("canceled", True),
                   5: ("malformed", True)}
    assert items[job_id(0)].ok and not any(items[job_id(n)].ok for n in range(1, 6))
    assert "not a JSON object" in items[job_id(5)].error


@both
def test_a_429_on_create_is_retried_by_the_one_loop(fake_batches, name):
    fake_batches.script(Fail(429, path=CREATE[name]))
    provider = build(name, fake_batches)
    batch_id = provider.submit([(job_id(n), request(n)) for n in range(3)])
    assert [c.status for c in fake_batches.calls("POST", CREATE[name])] == [429, 200]
    assert len(fake_batches.calls("POST", "/v1/files")) == (1 if name == "openai" else 0)  # the upload is not redone
    assert batch_id in fake_batches.batches
    fake_batches.script(Fail(503, path=CREATE[name]), Fail(429, path=CREATE[name]))
    with pytest.raises(ProviderTransientError):  # RETRY allows two attempts
        provider.submit([(job_id(9), request(9))])


@both
def test_a_restarted_worker_polls_and_reads_a_batch_it_did_not_create(fake_batches, name):
    batch_id = build(name, fake_batches).submit([(job_id(n), request(n)) for n in range(4)])
    restarted = build(name, fake_batches)  # a new process: nothing but the batch id survives
    until_ended(restarted, batch_id)
    assert sorted(item.custom_id for item in restarted.results(batch_id)) == [job_id(n) for n in range(4)]


@both
def test_results_before_the_end_are_refused_and_cancel_ends_a_batch(fake_batches, name):
    fake_batches.polls = 3
    provider = build(name, fake_batches)
    batch_id = provider.submit([(job_id(n), request(n)) for n in range(2)])
    with pytest.raises(ProviderRequestError, match="has not ended"):
        provider.results(batch_id)
    assert provider.cancel(batch_id).provider_status in ("canceling", "cancelling")
    _, final = until_ended(provider, batch_id)
    assert final.provider_status in ("ended", "cancelled")
    assert {(i.error_kind, i.retryable) for i in provider.results(batch_id)} == {("canceled", True)}


@both
def test_a_batch_request_is_what_attempt_sends(fake_batches, fake_llm, name):
    generation = request(7)
    realtime = build(name, fake_llm, temperature=0.7, max_tokens=900)
    realtime.generate(generation)
    build(name, fake_batches, temperature=0.7, max_tokens=900).submit([(job_id(1), generation)])
    sent = fake_llm.requests[0].body
    if name == "anthropic":
        [batched] = fake_batches.calls("POST", CREATE[name])[0].body["requests"]
        assert batched == {"custom_id": job_id(1), "params": sent}
        assert (sent["temperature"], sent["tool_choice"]) == (0.7, {"type": "tool", "name": "portrait"})
    else:
        [line] = [json.loads(line) for line in fake_batches.calls("POST", "/v1/files")[0].body["file"].splitlines()]
        assert line == {"custom_id": job_id(1), "method": "POST", "url": "/v1/chat/completions", "body": sent}
        assert (sent["model"], sent["seed"], sent["max_completion_tokens"]) == (realtime.model, 7, 900)
        assert sent["response_format"]["json_schema"]["name"] == "portrait" and len(sent["messages"]) == 2
        batch = fake_batches.calls("POST", "/v1/batches")[0].body
        assert (batch["endpoint"], batch["completion_window"], batch["metadata"]) == \
            ("/v1/chat/completions", "24h", {"charforge": "1"})


def test_answers_come_from_the_callback(fake_batches):
    fake_batches.answer = lambda custom_id, body: {"prompt": f"{custom_id} in {body['model']}", "style": "inked"}
    provider = build("openai", fake_batches)
    batch_id = provider.submit([(job_id(1), request(1))])
    until_ended(provider, batch_id)
    [item] = provider.results(batch_id)
    assert json.loads(item.reply.text) == {"prompt": f"{job_id(1)} in {provider.model}", "style": "inked"}


def test_an_openai_batch_that_failed_as_a_whole_is_an_error(fake_batches):
    fake_batches.failed = "the input file has an invalid line"
    provider = build("openai", fake_batches)
    batch_id = provider.submit([(job_id(1), request(1))])
    assert until_ended(provider, batch_id)[1].provider_status == "failed"
    with pytest.raises(ProviderRequestError, match="invalid line"):
        provider.results(batch_id)


def test_only_providers_whose_entry_says_so_batch(fake_batches):
    assert batch_api(build("anthropic", fake_batches)) is not None
    assert batch_api(build("openai", fake_batches)) is not None
    compatible = OpenAICompatibleProvider(ProviderSettings(base_url=fake_batches.openai_url), key=None, retry=RETRY)
    assert batch_api(compatible) is None
    with pytest.raises(ProviderRequestError, match="no batch API"):
        compatible.submit([(job_id(1), request(1))])
    assert fake_batches.requests == []


@pytest.mark.parametrize("ids", [[], ["same", "same"], ["not a ulid!"], ["x" * 65]])
def test_a_batch_that_cannot_be_sent_is_a_caller_bug(fake_batches, ids):
    with pytest.raises(ValueError):
        build("anthropic", fake_batches).submit([(i, request(1)) for i in ids])
    assert fake_batches.requests == []
