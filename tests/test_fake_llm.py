"""The fake LLM server speaks well enough for the real anthropic and openai SDKs: answers parse, errors map."""

from __future__ import annotations

import contextlib
import json

import pytest

from fake_llm import FakeLLM, answer, max_tokens, overloaded, rate_limit, slow, text
from fake_llm import fake_llm as fake_llm  # the fixture, used by test_fixture_starts_and_stops

SPELLS_TOOL = {"name": "spells", "input_schema": {"type": "object"}}


@pytest.fixture
def server():
    with FakeLLM() as s:
        yield s


def anthropic_client(server: FakeLLM, **kw):
    import anthropic

    return anthropic.Anthropic(api_key="sk-test", base_url=server.url, max_retries=0, **kw)


def openai_client(server: FakeLLM, **kw):
    import openai

    return openai.OpenAI(api_key="sk-test", base_url=server.openai_url, max_retries=0, **kw)


def ask_anthropic(client, kind: str = "spells"):
    return client.messages.create(model="claude-sonnet-5-5", max_tokens=100,
                                  messages=[{"role": "user", "content": f"Task: {kind}"}],
                                  tools=[{**SPELLS_TOOL, "name": kind}], tool_choice={"type": "tool", "name": kind})


def ask_openai(client, kind: str = "spells", schema: bool = True):
    fmt = ({"type": "json_schema", "json_schema": {"name": kind, "schema": {"type": "object"}}} if schema
           else {"type": "json_object"})
    return client.chat.completions.create(model="gpt-5.5", messages=[{"role": "user", "content": f"Task: {kind}"}],
                                          response_format=fmt)


def test_anthropic_tool_use_answer_parses_and_request_is_recorded(server):
    msg = ask_anthropic(anthropic_client(server))
    block = msg.content[0]
    assert (block.type, block.name, msg.stop_reason) == ("tool_use", "spells", "tool_use")
    assert block.input == server.answers["spells"] and "cantrips" in block.input
    assert msg.usage.input_tokens > 0 and msg.usage.output_tokens > 0
    assert msg._request_id == "req_fake_1"
    [rec] = server.requests
    assert (rec.method, rec.path, rec.status, rec.step) == ("POST", "/v1/messages", 200, "ok")
    assert rec.body["tool_choice"] == {"type": "tool", "name": "spells"}
    assert rec.headers["authorization"] == "Bearer sk-test" and "anthropic-version" in rec.headers


def test_openai_json_schema_answer_parses(server):
    server.script(answer({"cantrips": ["Light"], "spells": []}))
    resp = ask_openai(openai_client(server))
    assert json.loads(resp.choices[0].message.content) == {"cantrips": ["Light"], "spells": []}
    assert (resp.choices[0].finish_reason, resp.model) == ("stop", "gpt-5.5")
    assert resp.usage.total_tokens == resp.usage.prompt_tokens + resp.usage.completion_tokens
    assert server.requests[0].body["response_format"]["json_schema"]["name"] == "spells"


def test_kind_from_task_text_and_answer_hooks(server):
    server.answer_for = lambda kind, body: {"kind": kind, "model": body["model"]}
    resp = openai_client(server).chat.completions.create(
        model="gpt-5.5", messages=[{"role": "user", "content": "Task: equipment"}])
    assert json.loads(resp.choices[0].message.content) == {"kind": "equipment", "model": "gpt-5.5"}
    msg = anthropic_client(server).messages.create(model="claude-sonnet-5-5", max_tokens=100,
                                                   messages=[{"role": "user", "content": "hi"}])
    assert json.loads(msg.content[0].text) == {"kind": "background", "model": "claude-sonnet-5-5"}


def test_text_and_max_tokens_steps(server):
    server.script(text("not json {"), max_tokens(), max_tokens())
    client = anthropic_client(server)
    msg = ask_anthropic(client)
    assert [b.type for b in msg.content] == ["text"] and msg.content[0].text == "not json {"
    cut = ask_anthropic(client)
    assert cut.stop_reason == "max_tokens" and cut.content[0].text == json.dumps(server.answers["spells"])[:56]
    resp = ask_openai(openai_client(server))
    assert resp.choices[0].finish_reason == "length"


def test_models_list_in_both_shapes(server):
    server.models = ["claude-sonnet-5-5", "gpt-5.5"]
    assert [m.id for m in anthropic_client(server).models.list()] == ["claude-sonnet-5-5", "gpt-5.5"]
    assert [m.id for m in openai_client(server).models.list()] == ["claude-sonnet-5-5", "gpt-5.5"]


def test_rate_limit_maps_to_rate_limit_error_with_retry_after(server):
    import anthropic
    import openai

    server.script(rate_limit(retry_after=2), rate_limit(retry_after=None, retry_after_ms=250))
    with pytest.raises(anthropic.RateLimitError) as a_exc:
        ask_anthropic(anthropic_client(server))
    assert a_exc.value.response.headers["retry-after"] == "2" and a_exc.value.type == "rate_limit_error"
    with pytest.raises(openai.RateLimitError) as o_exc:
        ask_openai(openai_client(server))
    assert o_exc.value.response.headers["retry-after-ms"] == "250" and o_exc.value.code == "rate_limit_exceeded"


def test_overloaded_is_529_for_anthropic_and_503_for_openai(server):
    import anthropic
    import openai

    server.script(overloaded(), overloaded())
    with pytest.raises(anthropic.OverloadedError):
        ask_anthropic(anthropic_client(server))
    with pytest.raises(openai.InternalServerError) as o_exc:
        ask_openai(openai_client(server))
    assert o_exc.value.status_code == 503


def test_slow_step_trips_the_client_timeout(server):
    import anthropic

    server.script(slow(5))
    with pytest.raises(anthropic.APITimeoutError):  # had the client waited the server out, it would have an answer
        ask_anthropic(anthropic_client(server, timeout=0.3))
    assert [r.step for r in server.requests] == [None]  # one attempt, given up on before the server answered it
    assert ask_anthropic(anthropic_client(server)).stop_reason == "tool_use"  # the server is still healthy


def test_reject_json_schema(server):
    import openai

    server.reject_json_schema = True
    with pytest.raises(openai.BadRequestError) as exc:
        ask_openai(openai_client(server))
    assert exc.value.param == "response_format"
    resp = ask_openai(openai_client(server), schema=False)
    assert json.loads(resp.choices[0].message.content) == server.answers["spells"]


def test_require_key_and_unknown_path(server):
    import anthropic
    import openai

    server.require_key = "sk-right"
    with pytest.raises(anthropic.AuthenticationError):
        ask_anthropic(anthropic_client(server))
    with pytest.raises(openai.AuthenticationError) as exc:
        ask_openai(openai_client(server))
    assert exc.value.code == "invalid_api_key"
    server.require_key = None
    with pytest.raises(openai.NotFoundError):
        openai_client(server).embeddings.create(model="x", input="y")


def test_fail_randomly_is_deterministic_per_seed():
    def run(seed: int) -> list[int]:
        import openai

        with FakeLLM() as s:
            s.fail_randomly(0.5, seed, kinds=("rate_limit", "overloaded", "server_error"))
            client = openai_client(s)
            for _ in range(12):
                with contextlib.suppress(openai.APIStatusError):
                    ask_openai(client)
            assert s.requests[0].status is not None
            return [r.status for r in s.requests]

    first = run(7)
    assert first == run(7) and first != run(8)
    assert {200, 429} <= set(first) and len(first) == 12


def test_fixture_starts_and_stops(fake_llm):
    assert fake_llm.openai_url == fake_llm.url + "/v1"
    assert [m.id for m in openai_client(fake_llm).models.list()] == fake_llm.models
