"""A fake server on 127.0.0.1 that speaks Anthropic Message Batches and OpenAI Batch + Files, for the real SDKs.

Anthropic: `POST /v1/messages/batches`, `GET /v1/messages/batches/{id}`, `POST .../{id}/cancel` and the results
URL (absolute, on this server) returning JSONL. OpenAI: `POST /v1/files` (multipart), `GET /v1/files/{id}/content`,
`POST /v1/batches`, `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`. Results come back in reverse order.

Knobs:
    polls: how many status polls (GETs of a batch) report it in progress before it ends.
    answer(custom_id, body) -> dict: each request's answer (default: a valid `PortraitPrompt`).
    outcomes[custom_id]: errored (invalid request), overloaded (server error), expired, canceled, or malformed
        (a succeeded request whose answer is not JSON); anything else is answered.
    failed: a message: OpenAI batches end `failed` with it (their input rejected as a whole).
    script(Fail(...)): an HTTP error for the next request (whose path starts with `Fail.path`, if given).
    requests: every request as (method, path, body, status); `usage[custom_id]` the tokens reported.
"""

from __future__ import annotations

import email
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from local_server import LocalServer, QuietHandler

OUTCOMES = ("errored", "overloaded", "expired", "canceled", "malformed")
NOT_JSON = "Here is your portrait: a painted elf"


def portrait(custom_id: str, body: dict) -> dict:
    return {"prompt": f"A painted portrait of a weathered human fighter ({custom_id})", "style": "painted"}


@dataclass
class Logged:
    method: str
    path: str
    body: Any
    status: int = 200


@dataclass(frozen=True)
class Fail:
    status: int = 429
    path: str | None = None
    retry_after: str | None = "0"  # no real waiting in the retry loop


@dataclass
class Batch:
    id: str
    api: str  # anthropic | openai
    requests: list[tuple[str, dict]]
    polls_left: int
    created: int = field(default_factory=lambda: int(time.time()))
    input_file_id: str = ""
    canceled: bool = False
    ended: bool = False
    files: dict[str, str] = field(default_factory=dict)  # output / error -> file id


class FakeBatches(LocalServer):
    def __init__(self, *, polls: int = 1, answer: Callable[[str, dict], dict] = portrait) -> None:
        super().__init__()
        self.polls, self.answer = polls, answer
        self.outcomes: dict[str, str] = {}
        self.failed: str | None = None
        self.requests: list[Logged] = []
        self.batches: dict[str, Batch] = {}
        self.files: dict[str, bytes] = {}
        self.usage: dict[str, tuple[int, int]] = {}
        self._ids = itertools.count(1)

    def calls(self, method: str, pattern: str) -> list[Logged]:
        """Logged requests of `method` whose path matches the regular expression `pattern` in full."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):04d}"

    def _fail(self, path: str) -> Fail | None:
        with self._lock:
            if self._queue and (self._queue[0].path is None or path.startswith(self._queue[0].path)):
                return self._queue.popleft()
        return None

    def _poll(self, batch: Batch) -> None:
        with self._lock:
            if batch.polls_left > 0:
                batch.polls_left -= 1
            elif not batch.ended:
                batch.ended = True
                if batch.api == "openai" and not self.failed:
                    self._write_openai_files(batch)

    # -- answers ---------------------------------------------------------------------------------------------
    def _outcome(self, batch: Batch, custom_id: str) -> str:
        return self.outcomes.get(custom_id, "canceled" if batch.canceled else "ok")

    def _content(self, custom_id: str, body: dict, outcome: str) -> tuple[str, dict]:
        content = NOT_JSON if outcome == "malformed" else json.dumps(self.answer(custom_id, body))
        usage = (max(1, len(json.dumps(body)) // 4), max(1, len(content) // 4))
        self.usage[custom_id] = usage
        return content, {"input_tokens": usage[0], "output_tokens": usage[1]}

    def _anthropic_line(self, batch: Batch, custom_id: str, params: dict) -> dict:
        outcome = self._outcome(batch, custom_id)
        if outcome in ("expired", "canceled"):
            return {"custom_id": custom_id, "result": {"type": outcome}}
        if outcome in ("errored", "overloaded"):
            kind = "invalid_request_error" if outcome == "errored" else "overloaded_error"
            error = {"type": "error", "error": {"type": kind, "message": f"{outcome} (fake)"}}
            return {"custom_id": custom_id, "result": {"type": "errored", "error": error}}
        content, usage = self._content(custom_id, params, outcome)
        tool = (params.get("tools") or [{}])[0].get("name", "answer")
        block = ({"type": "text", "text": content} if outcome == "malformed" else
                 {"type": "tool_use", "id": f"toolu_{custom_id}", "name": tool, "input": json.loads(content)})
        message = {"id": f"msg_{custom_id}", "type": "message", "role": "assistant", "model": params.get("model"),
                   "content": [block], "stop_reason": "end_turn" if outcome == "malformed" else "tool_use",
                   "stop_sequence": None, "usage": usage}
        return {"custom_id": custom_id, "result": {"type": "succeeded", "message": message}}

    def _write_openai_files(self, batch: Batch) -> None:
        output, errors = [], []
        for n, (custom_id, line) in enumerate(batch.requests):
            outcome, body = self._outcome(batch, custom_id), line["body"]
            record: dict[str, Any] = {"id": f"batch_req_{n}", "custom_id": custom_id, "response": None, "error": None}
            if outcome in ("expired", "canceled"):
                code = "batch_expired" if outcome == "expired" else "batch_cancelled"
                errors.append(record | {"error": {"code": code, "message": f"{outcome} (fake)"}})
            elif outcome in ("errored", "overloaded"):
                status, kind = (400, "invalid_request_error") if outcome == "errored" else (500, "server_error")
                error = {"message": f"{outcome} (fake)", "type": kind, "param": None, "code": None}
                errors.append(record | {"response": {"status_code": status, "request_id": f"req_{n}",
                                                     "body": {"error": error}}})
            else:
                content, usage = self._content(custom_id, body, outcome)
                completion = {"id": f"chatcmpl-{n}", "object": "chat.completion", "created": batch.created,
                              "model": body.get("model"), "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": content, "refusal": None}}],
                              "usage": {"prompt_tokens": usage["input_tokens"],
                                        "completion_tokens": usage["output_tokens"],
                                        "total_tokens": usage["input_tokens"] + usage["output_tokens"]}}
                output.append(record | {"response": {"status_code": 200, "request_id": f"req_{n}",
                                                     "body": completion}})
        for name, records in (("output", output), ("error", errors)):
            if records:
                batch.files[name] = file_id = self._new_id("file-out")
                self.files[file_id] = "".join(json.dumps(r) + "\n" for r in reversed(records)).encode()

    # -- wire objects ----------------------------------------------------------------------------------------
    def anthropic_batch(self, batch: Batch) -> dict:
        outcomes = [self._outcome(batch, c) for c, _ in batch.requests]
        counts = dict.fromkeys(("processing", "succeeded", "errored", "canceled", "expired"), 0)
        for outcome in outcomes:
            key = ("processing" if not batch.ended else "succeeded" if outcome in ("ok", "malformed")
                   else "errored" if outcome == "overloaded" else outcome)
            counts[key] += 1
        status = "ended" if batch.ended else "canceling" if batch.canceled else "in_progress"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(batch.created))
        return {"id": batch.id, "type": "message_batch", "processing_status": status, "request_counts": counts,
                "created_at": stamp, "expires_at": stamp, "ended_at": stamp if batch.ended else None,
                "cancel_initiated_at": stamp if batch.canceled else None, "archived_at": None,
                "results_url": f"{self.url}/v1/messages/batches/{batch.id}/results" if batch.ended else None}

    def openai_batch(self, batch: Batch) -> dict:
        status = ("in_progress" if not batch.ended and not batch.canceled else "cancelling" if not batch.ended
                  else "failed" if self.failed else "cancelled" if batch.canceled else "completed")
        failed = sum(self._outcome(batch, c) not in ("ok", "malformed") for c, _ in batch.requests)
        done = batch.ended and not self.failed
        return {"id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions", "completion_window": "24h",
                "input_file_id": batch.input_file_id, "status": status, "created_at": batch.created,
                "metadata": {"charforge": "1"}, "output_file_id": batch.files.get("output"),
                "error_file_id": batch.files.get("error"),
                "errors": {"object": "list", "data": [{"code": "invalid", "message": self.failed, "line": 1}]}
                if self.failed and batch.ended else None,
                "request_counts": {"total": len(batch.requests), "completed": len(batch.requests) - failed if done
                                   else 0, "failed": failed if done else 0}}


class _Handler(QuietHandler):
    server_fake: FakeBatches

    def _handle(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        path = self.path.split("?", 1)[0]
        ctype = self.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            message = email.message_from_bytes(f"content-type: {ctype}\r\n\r\n".encode() + raw)
            body: Any = {p.get_param("name", header="content-disposition"): p.get_payload(decode=True).decode()
                         for p in message.get_payload()}
        else:
            body = json.loads(raw) if raw else None
        logged = Logged(self.command, path, body)
        with fake._lock:
            fake.requests.append(logged)
        if (fail := fake._fail(path)) is not None:
            error = {"type": "rate_limit_error" if fail.status == 429 else "api_error", "message": "fake failure"}
            headers = {"retry-after": fail.retry_after} if fail.retry_after is not None else {}
            return self._send(logged, fail.status, {"type": "error", "error": error}, headers)  # both SDKs read it
        status, payload = self._route(fake, path, body)
        self._send(logged, status, payload)

    def _route(self, fake: FakeBatches, path: str, body: Any) -> tuple[int, Any]:
        parts, method = path.strip("/").split("/")[1:], self.command  # without the leading "v1"
        if method == "POST" and parts == ["messages", "batches"]:
            batch = Batch(fake._new_id("msgbatch_"), "anthropic",
                          [(r["custom_id"], r["params"]) for r in body["requests"]], fake.polls)
            fake.batches[batch.id] = batch
            return 200, fake.anthropic_batch(batch)
        if method == "POST" and parts == ["files"]:
            file_id = fake._new_id("file-in")
            fake.files[file_id] = body["file"].encode()
            return 200, {"id": file_id, "object": "file", "bytes": len(body["file"]), "created_at": int(time.time()),
                         "filename": "charforge-batch.jsonl", "purpose": body["purpose"], "status": "processed"}
        if method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            return (200, fake.files[parts[1]]) if parts[1] in fake.files else (404, {"error": {"message": "no file"}})
        if method == "POST" and parts == ["batches"]:
            lines = [json.loads(line) for line in fake.files[body["input_file_id"]].decode().splitlines()]
            batch = Batch(fake._new_id("batch_"), "openai", [(line["custom_id"], line) for line in lines], fake.polls,
                          input_file_id=body["input_file_id"])
            fake.batches[batch.id] = batch
            return 200, fake.openai_batch(batch) | {"status": "validating"}
        anthropic = parts[:2] == ["messages", "batches"]
        batch = fake.batches.get(parts[2 if anthropic else 1]) if len(parts) > (2 if anthropic else 1) else None
        rest = parts[3 if anthropic else 2:]
        if batch is None:
            return 404, {"type": "error", "error": {"type": "not_found_error", "message": f"no route {path}"}}
        if method == "POST" and rest == ["cancel"]:
            batch.canceled = True
        elif method == "GET" and rest == ["results"]:
            lines = [fake._anthropic_line(batch, custom_id, params) for custom_id, params in reversed(batch.requests)]
            return 200, "".join(json.dumps(line) + "\n" for line in lines)
        else:
            fake._poll(batch)
        return 200, fake.anthropic_batch(batch) if anthropic else fake.openai_batch(batch)

    def _send(self, logged: Logged, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        logged.status = status
        binary = isinstance(payload, bytes | str)
        data = payload.encode() if isinstance(payload, str) else payload if binary else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/binary" if binary else "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


FakeBatches.handler = _Handler


@pytest.fixture
def fake_batches() -> Iterator[FakeBatches]:
    """A started FakeBatches, stopped after the test."""
    with FakeBatches() as server:
        yield server
