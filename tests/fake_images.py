"""A scriptable fake image server on 127.0.0.1: OpenAI Images, Stability v2beta and an SD WebUI in one.

The real openai SDK and `requests` talk to it over a socket. Generation requests take the next scripted
`Step` (default: success); every request is recorded, multipart forms parsed, so tests can assert what
went over the wire.
"""

from __future__ import annotations

import base64
import email
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from local_server import LocalServer, QuietHandler

REVISED = "A stout dwarf fighter in a painterly style (revised by the fake)"
MODERATION_MESSAGE = "Your request was rejected by the safety system"


def tiny_png(colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] | None = None
    status: int | None = None


@dataclass(frozen=True)
class Step:
    """One scripted answer to a generation request; rendered in the dialect of the route that takes it."""

    name: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""  # `broken`: the body sent as is
    content_type: str = "application/json"


def ok() -> Step:
    return Step("ok")


def rate_limit(retry_after: float = 1) -> Step:
    return Step("rate_limit", 429, {"retry-after": f"{retry_after:g}"})


def moderation() -> Step:
    return Step("moderation", 400)  # Stability answers its moderation with 403


def server_error(status: int = 500) -> Step:
    return Step("server_error", status)


def unauthorized() -> Step:
    return Step("unauthorized", 401)


def out_of_credits() -> Step:
    return Step("out_of_credits", 402)


def url_only() -> Step:
    return Step("url_only")


def broken(raw: bytes = b'{"created": 1700000000, "data": [{"b64_json": "iVBORw0KGgo', content_type: str =
           "application/json") -> Step:
    """A 200 whose body cannot be read: cut off (the default), not JSON, or JSON of another shape."""
    return Step("broken", raw=raw, content_type=content_type)


class FakeImages(LocalServer):
    """Use as a context manager; `url` is the base for Stability and the WebUI, `openai_url` for the SDK."""

    def __init__(self) -> None:
        super().__init__()
        self.png = tiny_png()
        self.require_key: str | None = None
        self.requests: list[Recorded] = []

    def next_step(self) -> Step:
        with self._lock:
            return self._queue.popleft() if self._queue else ok()

    def generations(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]


def _form(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a multipart/form-data body (files included, as text)."""
    message = email.message_from_bytes(f"content-type: {content_type}\r\n\r\n".encode() + body)
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True).decode()
            for part in message.get_payload()}


class _Handler(QuietHandler):
    server_fake: FakeImages

    def _handle(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = self.path.split("?", 1)[0]
        rec = Recorded(self.command, path, headers, raw)
        if headers.get("content-type", "").startswith("multipart/form-data"):
            rec.form = _form(headers["content-type"], raw)
        elif raw:
            rec.json = json.loads(raw)
        with fake._lock:
            fake.requests.append(rec)
        key = headers.get("authorization", "").removeprefix("Bearer ")
        if path.startswith("/files/"):
            self._send(200, fake.png, "image/png")
        elif fake.require_key is not None and key != fake.require_key and not path.startswith("/sdapi/"):
            self._error(path, unauthorized())
        elif (self.command, path) == ("GET", "/v1/models"):
            self._json(200, {"object": "list", "data": [{"id": m, "object": "model", "created": 1700000000,
                                                         "owned_by": "fake"} for m in ("gpt-image-2", "gpt-5.5")]})
        elif (self.command, path) == ("GET", "/v1/user/account"):
            self._json(200, {"id": "user-fake", "email": "gm@example.com", "organizations": []})
        elif (self.command, path) == ("GET", "/sdapi/v1/sd-models"):
            self._json(200, [{"title": "v1-5-pruned-emaonly.safetensors [6ce0161689]",
                              "model_name": "v1-5-pruned-emaonly"}])
        elif self.command == "POST" and path in ("/v1/images/generations", "/v2beta/stable-image/generate/core",
                                                 "/v2beta/stable-image/generate/ultra", "/sdapi/v1/txt2img"):
            step = fake.next_step()
            if step.name == "ok" or step.name == "url_only":
                self._image(path, step, rec)
            elif step.name == "broken":
                self._send(200, step.raw, step.content_type)
            else:
                self._error(path, step)
        else:
            self._json(404, {"error": {"message": f"{self.command} {path} is not a route of the fake",
                                       "type": "invalid_request_error", "param": None, "code": None}})
        rec.status = self._status

    def _image(self, path: str, step: Step, rec: Recorded) -> None:
        fake = self.server_fake
        encoded = base64.b64encode(fake.png).decode()
        if path.startswith("/v2beta/"):
            self._send(200, fake.png, "image/png", {"finish-reason": "SUCCESS", "seed": "12345"})
        elif path.startswith("/sdapi/"):
            self._json(200, {"images": [encoded] * int(rec.json.get("batch_size", 1)), "parameters": {},
                             "info": "{}"})
        else:
            n = int((rec.json or {}).get("n", 1))
            item = ({"url": f"{fake.url}/files/portrait.png?sig=fake-signature"} if step.name == "url_only"
                    else {"b64_json": encoded, "revised_prompt": REVISED})
            self._json(200, {"created": 1700000000, "data": [item] * n, "output_format": "png",
                             "usage": {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
                                       "input_tokens_details": {"text_tokens": 50, "image_tokens": 0}}})

    def _error(self, path: str, step: Step) -> None:
        stability = path.startswith(("/v2beta/", "/v1/user/"))
        messages = {"rate_limit": ("rate_limit_exceeded", "requests", "Rate limit reached (fake)"),
                    "moderation": ("moderation_blocked", "image_generation_user_error", MODERATION_MESSAGE),
                    "server_error": ("server_error", "server_error", "Internal server error (fake)"),
                    "unauthorized": ("invalid_api_key", "invalid_request_error", "Incorrect API key (fake)"),
                    "out_of_credits": ("payment_required", "invalid_request_error", "You lack sufficient credits")}
        code, kind, message = messages[step.name]
        if stability and step.name == "moderation":
            self._json(403, {"id": "err-fake", "name": "content_moderation",
                             "errors": ["Your request was flagged by our content moderation system, as a result "
                                        "your request was denied and you were not charged."]}, step.headers)
        elif stability:
            self._json(step.status, {"id": "err-fake", "name": code, "errors": [message]}, step.headers)
        else:
            self._json(step.status, {"error": {"message": message, "type": kind, "param": None, "code": code}},
                       step.headers)

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json", headers)

    def _send(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self._status = status
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.send_header("x-request-id", "req_fake")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


FakeImages.handler = _Handler

@pytest.fixture
def fake_images() -> Iterator[FakeImages]:
    """A started FakeImages, stopped after the test."""
    with FakeImages() as server:
        yield server
