"""A scriptable fake Anthropic + OpenAI HTTP server on 127.0.0.1 for tests.

The real SDKs (anthropic 2.14 / openai 3.57) talk to it over a socket and accept its bodies; replies are scripted.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from local_server import LocalServer, QuietHandler

KINDS = ("background", "equipment", "spells", "portrait")  # "npc" answers are assembled from these
DEFAULTS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "mock" / "default"
TRANSIENT = ("rate_limit", "overloaded", "server_error", "slow")
TASK_RE = re.compile(r"Task: (background|equipment|spells|portrait|npc)")


@dataclass
class Recorded:
    """One request as the server saw it; `status` and `step` are filled in when it is answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    time: float
    status: int | None = None
    step: str | None = None


@dataclass(frozen=True)
class Step:
    """One scripted reply. `error` = (anthropic type, openai type, openai code, message) for error replies."""

    name: str
    status: int = 200
    answer: dict | None = None
    text: str | None = None
    truncated: bool = False
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: dict | None = None
    error: tuple[str, str, str | None, str] | None = None
    openai_status: int | None = None


def ok(headers: dict[str, str] | None = None) -> Step:
    return Step("ok", headers=dict(headers or {}))


def answer(obj: dict, headers: dict[str, str] | None = None) -> Step:
    return Step("answer", answer=obj, headers=dict(headers or {}))


def text(s: str) -> Step:
    return Step("text", text=s)


def max_tokens() -> Step:
    return Step("max_tokens", truncated=True)


def slow(seconds: float, then: Step | None = None) -> Step:
    return replace(then or ok(), name="slow", delay=seconds)


def rate_limit(retry_after: float | None = 1, retry_after_ms: int | None = None) -> Step:
    headers = {}
    if retry_after is not None:
        headers["retry-after"] = f"{retry_after:g}"
    if retry_after_ms is not None:
        headers["retry-after-ms"] = str(retry_after_ms)
    return Step("rate_limit", 429, headers=headers,
                error=("rate_limit_error", "requests", "rate_limit_exceeded", "Rate limit reached (fake)"))


def overloaded() -> Step:
    return Step("overloaded", 529, openai_status=503,
                error=("overloaded_error", "server_error", None, "Overloaded (fake)"))


def server_error(status: int = 500) -> Step:
    return Step("server_error", status, error=("api_error", "server_error", None, "Internal server error (fake)"))


def unauthorized() -> Step:
    return Step("unauthorized", 401,
                error=("authentication_error", "invalid_request_error", "invalid_api_key", "Invalid API key (fake)"))


def not_found(message: str = "model not found (fake)") -> Step:
    return Step("not_found", 404, error=("not_found_error", "invalid_request_error", "model_not_found", message))


def bad_request(message: str = "invalid request (fake)") -> Step:
    return Step("bad_request", 400, error=("invalid_request_error", "invalid_request_error", None, message))


def status(code: int, body: dict, headers: dict[str, str] | None = None) -> Step:
    return Step("status", code, body=body, headers=dict(headers or {}))


class FakeLLM(LocalServer):
    """Fake `/v1/messages`, `/v1/chat/completions` and `/v1/models`; use as a context manager or call start/stop."""

    def __init__(self) -> None:
        super().__init__()
        self.models: list[str] = ["claude-sonnet-5-5", "claude-haiku-5-5", "gpt-5.5", "gpt-5.4-mini"]
        self.answers: dict[str, dict] = {k: json.loads((DEFAULTS_DIR / f"{k}.json").read_text()) for k in KINDS}
        self.answer_for: Callable[[str, dict], dict] | None = None
        self.reject_json_schema = False
        self.require_key: str | None = None
        self.requests: list[Recorded] = []
        self._models_queue: deque[Step] = deque()
        self._random: tuple[float, random.Random, tuple[str, ...], float, float] | None = None

    # -- scripting (script() comes from LocalServer) ---------------------------------------------------------------
    def script_models(self, *steps: Step) -> None:
        with self._lock:
            self._models_queue.extend(steps)

    def fail_randomly(self, rate: float, seed: int, kinds: tuple[str, ...] = TRANSIENT, slow_seconds: float = 2.0,
                      retry_after: float = 0.01) -> None:
        """With an empty script, each generation request fails transiently with probability `rate` (seeded)."""
        self._random = (rate, random.Random(seed), tuple(kinds), slow_seconds, retry_after)

    def _next_step(self, models: bool) -> Step:
        with self._lock:
            queue = self._models_queue if models else self._queue
            if queue:
                return queue.popleft()
            if models or self._random is None:
                return ok()
            rate, rng, kinds, slow_seconds, retry_after = self._random
            if rng.random() >= rate:
                return ok()
            kind = rng.choice(kinds)
        return {"rate_limit": lambda: rate_limit(retry_after), "overloaded": overloaded,
                "server_error": server_error, "slow": lambda: slow(slow_seconds)}[kind]()

    # -- answers -------------------------------------------------------------------------------------------------
    def _kind(self, body: dict, anthropic: bool) -> str:
        if anthropic and body.get("tools"):
            return str(body["tools"][0].get("name", "background"))
        schema = (body.get("response_format") or {}).get("json_schema") or {}
        if not anthropic and schema.get("name"):
            return str(schema["name"])
        found = TASK_RE.search(json.dumps([body.get("system"), body.get("messages")]))
        return found.group(1) if found else "background"

    def _answer(self, step: Step, kind: str, body: dict) -> dict:
        if step.answer is not None:
            return step.answer
        if self.answer_for is not None:
            return self.answer_for(kind, body)
        if kind == "npc" and "npc" not in self.answers:
            parts = ("background", "equipment", "spells")
            merged = {k: v for part in parts for k, v in self.answers.get(part, {}).items()}
            return merged | {"portrait": self.answers.get("portrait", {}).get("prompt", "")}
        return self.answers.get(kind, {})


class _Handler(QuietHandler):
    server_fake: FakeLLM

    def _handle(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = self.path.split("?", 1)[0]
        rec = Recorded(self.command, path, headers, body, time.monotonic())
        with fake._lock:
            fake.requests.append(rec)
            n = len(fake.requests)
        anthropic = "anthropic-version" in headers or path.startswith("/v1/messages")
        route = {("POST", "/v1/messages"): "messages", ("POST", "/v1/chat/completions"): "chat",
                 ("GET", "/v1/models"): "models"}.get((self.command, path))
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
        if route is None:
            step = not_found(f"{self.command} {path} is not a route of the fake server")
        elif fake.require_key is not None and key != fake.require_key:
            step = unauthorized()
        elif route == "chat" and fake.reject_json_schema and \
                ((body or {}).get("response_format") or {}).get("type") == "json_schema":
            step = status(400, {"error": {"message": "response_format json_schema is not supported",
                                          "type": "invalid_request_error", "param": "response_format", "code": None}})
        else:
            step = fake._next_step(models=route == "models")
        if step.delay and fake._stopping.wait(step.delay):
            return
        code, payload = self._render(step, route, anthropic, body if isinstance(body, dict) else {}, len(raw), n)
        rec.status, rec.step = code, step.name
        data = json.dumps(payload).encode()
        try:
            self.send_response(code)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", f"req_fake_{n}")
            self.send_header("x-request-id", f"req_fake_{n}")
            for name, value in step.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired during a slow step)

    def _render(self, step: Step, route: str | None, anthropic: bool, body: dict, nbytes: int,
                n: int) -> tuple[int, dict]:
        fake = self.server_fake
        if step.body is not None:
            return step.status, step.body
        if step.error is not None:
            a_type, o_type, o_code, message = step.error
            if anthropic:
                return step.status, {"type": "error", "error": {"type": a_type, "message": message}}
            return step.openai_status or step.status, {"error": {"message": message, "type": o_type, "param": None,
                                                                 "code": o_code}}
        if route == "models":
            return 200, self._models(anthropic)
        kind = fake._kind(body, anthropic)
        content = step.text if step.text is not None else json.dumps(fake._answer(step, kind, body))
        if step.truncated:
            content = content[: len(content) // 2]
        usage_in, usage_out = max(1, nbytes // 4), max(1, len(content) // 4)
        model = body.get("model", "fake-model")
        if route == "messages":
            tool = body.get("tools") and step.text is None and not step.truncated
            block = ({"type": "tool_use", "id": "toolu_1", "name": kind, "input": json.loads(content)} if tool
                     else {"type": "text", "text": content})
            stop = "max_tokens" if step.truncated else "tool_use" if tool else "end_turn"
            return 200, {"id": f"msg_fake_{n}", "type": "message", "role": "assistant",
                         "model": model, "content": [block], "stop_reason": stop, "stop_sequence": None,
                         "usage": {"input_tokens": usage_in, "output_tokens": usage_out}}
        return 200, {"id": f"chatcmpl-fake-{n}", "object": "chat.completion",
                     "created": int(time.time()), "model": model,
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                                  "finish_reason": "length" if step.truncated else "stop", "logprobs": None}],
                     "usage": {"prompt_tokens": usage_in, "completion_tokens": usage_out,
                               "total_tokens": usage_in + usage_out}}

    def _models(self, anthropic: bool) -> dict:
        ids = self.server_fake.models
        if anthropic:
            data = [{"type": "model", "id": m, "display_name": m, "created_at": "2026-01-01T00:00:00Z",
                     "lifecycle": "active"} for m in ids]
            return {"data": data, "has_more": False, "first_id": ids[0] if ids else None,
                    "last_id": ids[-1] if ids else None}
        return {"object": "list", "data": [{"id": m, "object": "model", "created": 1767225600, "owned_by": "fake"}
                                           for m in ids]}


FakeLLM.handler = _Handler

@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A started FakeLLM, stopped after the test."""
    with FakeLLM() as server:
        yield server
