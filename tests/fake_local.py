"""A fake local OpenAI-compatible server (llama.cpp, Ollama, vLLM, LM Studio) on 127.0.0.1, built on FakeLLM.

On top of FakeLLM's scripted replies it can:

- reject a structured-output mode the way real servers do (`reject["json_schema"] = llama_cpp_error(500, ...)`):
  any chat request whose `response_format.type` is that mode gets the scripted status and body;
- answer 200 with a body that cannot be read (`script(cut())`, `html()`, `wrong_shape()`), on any route, the
  Anthropic one included.

Every request is in `requests` (FakeLLM's log), with the status it got.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from fake_llm import FakeLLM, Recorded
from fake_llm import _Handler as FakeLLMHandler

# What llama.cpp's server says for a response_format type it does not take: `invalid_argument` (400) today; builds
# that threw `runtime_error` answered 500 (tools/server/server-common.cpp, oaicompat_chat_params_parse).
LLAMA_CPP_MESSAGE = 'response_format type must be one of "text" or "json_object", but got: json_schema'


@dataclass(frozen=True)
class Raw:
    """A reply sent byte for byte: for bodies no SDK can read."""

    name: str
    body: bytes
    status: int = 200
    content_type: str = "application/json"


def cut() -> Raw:
    """A chat completion cut off mid-body (a proxy dropped the rest), with a content-length that matches."""
    return Raw("cut", b'{"id": "chatcmpl-cut", "object": "chat.completion", "created": 1700000000, "choi')


def html() -> Raw:
    return Raw("html", b"<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html")


def wrong_shape() -> Raw:
    return Raw("wrong_shape", b'{"result": "ok", "choices": "none", "content": "none"}')


def llama_cpp_error(status: int, message: str = LLAMA_CPP_MESSAGE) -> tuple[int, dict]:
    kind = {400: "invalid_request_error", 501: "not_supported_error"}.get(status, "server_error")
    return status, {"error": {"code": status, "message": message, "type": kind}}


def fastapi_422() -> tuple[int, dict]:
    """What a FastAPI/pydantic server (vLLM, many proxies) answers for a field its request model forbids."""
    return 422, {"object": "error", "detail": [{"type": "extra_forbidden", "loc": ["body", "response_format",
                 "json_schema"], "msg": "Extra inputs are not permitted", "input": {"name": "npc"}}]}


def plain_500() -> tuple[int, dict]:
    """A 500 that says nothing about the request: a crash, retried as transient."""
    return 500, {"error": {"code": 500, "message": "CUDA error: out of memory", "type": "server_error"}}


class FakeLocal(FakeLLM):
    def __init__(self) -> None:
        super().__init__()
        self.models = ["local-model", "gpt-5.5"]
        self.reject: dict[str, tuple[int, dict]] = {}  # response_format type -> (status, body)

    def chat(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v1/chat/completions"]

    def failed(self) -> list[Recorded]:
        return [r for r in self.requests if (r.status or 0) >= 400]

    def modes(self) -> list[str]:
        """The structured-output mode of each chat request, in order."""
        return [((r.body or {}).get("response_format") or {}).get("type") or "prompt" for r in self.chat()]


class _Handler(FakeLLMHandler):
    server_fake: FakeLocal

    def _handle(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0]
        mode = ((body or {}).get("response_format") or {}).get("type") if isinstance(body, dict) else None
        with fake._lock:
            step = fake._queue[0] if fake._queue and path != "/v1/models" else None
            if isinstance(step, Raw):
                fake._queue.popleft()
        if path == "/v1/chat/completions" and mode in fake.reject:
            status, payload = fake.reject[mode]
            self._send(Raw(f"reject {mode}", json.dumps(payload).encode(), status), body, raw)
        elif isinstance(step, Raw):
            self._send(step, body, raw)
        else:  # everything else is FakeLLM's: give it the body back to read
            self.rfile = io.BytesIO(raw)  # same bytes, so content-length still holds
            super()._handle()

    def _send(self, reply: Raw, body: object, raw: bytes) -> None:
        fake = self.server_fake
        rec = Recorded(self.command, self.path.split("?", 1)[0], {k.lower(): v for k, v in self.headers.items()},
                       body, time.monotonic(), status=reply.status, step=reply.name)
        with fake._lock:
            fake.requests.append(rec)
        self.send_response(reply.status)
        self.send_header("content-type", reply.content_type)
        self.send_header("content-length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()


FakeLocal.handler = _Handler


@pytest.fixture
def fake_local() -> Iterator[FakeLocal]:
    """A started FakeLocal, stopped after the test."""
    with FakeLocal() as server:
        yield server
