"""A fake OpenAI-compatible server for batch work: latency, a token-bucket rate limit, seeded faults, a request log.

    python tests/fake_ratelimited.py --port 0 --latency 0.2 --capacity 10 --refill 5 --fault-rate 0.2 --seed 1

Standalone, it prints `listening on http://127.0.0.1:PORT` on its first line of stdout and serves until SIGTERM or
SIGINT; `GET /control/log` returns the request log and `POST /control/faults {"rate": 0}` changes the faults.
In a test, use `RateLimitedLLM` as a context manager (a thread in the test process).

`/v1/chat/completions`:
- Every request takes a token from one bucket (capacity 10, refilled 5 per second by default). With none left it
  is answered at once with 429 and `retry-after` (seconds until a token is back). Every reply carries OpenAI's
  `x-ratelimit-limit-requests` (the refill rate as a per-minute figure: 300), `x-ratelimit-remaining-requests`
  (whole tokens left) and `x-ratelimit-reset-requests` (time until the bucket is full again, "1.4s" or "250ms").
- An admitted request is answered after `latency` seconds. With probability `fault_rate` (a seeded RNG, so a run
  is repeatable for the same order of requests) it fails instead: `429` (a 429 the bucket did not cause, with
  retry-after 1 s), `500`, `overload` (529 by default, OpenAI-style error body), `timeout` (the answer comes
  after `hang` seconds, beyond the client's timeout) or `malformed` (a 200 whose JSON body is cut in half).
  `script("malformed", "ok")` queues exact outcomes ("ok" or a fault's name) that come before any random one.
- Otherwise: a valid answer for the request's JSON schema (`response_format.json_schema.name`). For `npc` it reads
  the prompt (tests/fake_llm.py's answers are the prose): a name no earlier request got, the given alignment,
  concept and background, exactly the cantrips and spells asked for from the lists given, no purchases. So a
  character costs one request and needs no repair round. Other kinds get fake_llm's canned answers.

The log (`requests`) holds every request: when it arrived and was answered (seconds on this server's monotonic
clock), its status, and why (`ok`, `bucket` for a 429 the bucket caused, or the fault's name).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import signal
import sys
import threading
import time
from dataclasses import asdict, dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

sys.path.insert(0, str(Path(__file__).resolve().parent))  # standalone: import the sibling test modules
from fake_llm import FakeLLM, ok
from local_server import LocalServer, QuietHandler

FAULTS = ("429", "500", "overload", "timeout", "malformed")
_SYLLABLES = ("ba", "cor", "da", "el", "fen", "gar", "hal", "is", "jor", "ka", "lim", "mo", "nes", "or", "pel",
              "quin", "ros", "sa", "tam", "ul", "vor", "wen", "xa", "yor", "zel")
_SPELL_LINE = re.compile(r"^(cantrips|spells): exactly (\d+) .*? from: (.+)$", re.MULTILINE)


@dataclass
class Entry:
    """One request: arrival and reply times (server seconds), method, path, status and why."""

    arrived: float
    method: str
    path: str
    status: int | None = None
    answered: float | None = None
    why: str | None = None


class Bucket:
    """Token bucket: `capacity` tokens, `refill` per second; `take()` under the server's lock."""

    def __init__(self, capacity: float, refill: float, clock: Any) -> None:
        self.capacity, self.refill, self.clock = capacity, refill, clock
        self.tokens, self.updated = float(capacity), clock()

    def take(self) -> tuple[bool, float, float]:
        """(admitted, tokens left, seconds until the next token); refills first."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.refill)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True, self.tokens, 0.0
        return False, self.tokens, (1 - self.tokens) / self.refill

    def reset_s(self) -> float:
        return (self.capacity - self.tokens) / self.refill


def duration(seconds: float) -> str:
    """OpenAI's reset format: '250ms' under a second, else '1.4s'."""
    return f"{max(1, round(seconds * 1000))}ms" if seconds < 1 else f"{seconds:.3g}s"


class RateLimitedLLM(LocalServer):
    """The server; a context manager. Attributes may be changed while it runs (`set_faults` for the faults).

    Args:
        latency: seconds before an admitted request is answered.
        capacity, refill: the token bucket (tokens, tokens per second); refill=0 turns the limit off.
        fault_rate: probability an admitted request fails; `faults` are the kinds, chosen uniformly.
        seed: the fault RNG's seed (and the names' starting point).
        hang: how long a `timeout` fault takes to answer.
        overload_status: the status of an `overload` fault (529, Anthropic's; 503 is the common one).
        port: 0 for any free port.
    """

    def __init__(self, *, latency: float = 0.2, capacity: float = 10, refill: float = 5.0, fault_rate: float = 0.0,
                 faults: tuple[str, ...] = FAULTS, seed: int = 0, hang: float = 5.0, overload_status: int = 529,
                 port: int = 0) -> None:
        super().__init__()
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {FAULTS}")
        self.latency, self.hang, self.overload_status, self.port = latency, hang, overload_status, port
        self.clock = time.monotonic
        self.started = self.clock()
        self.bucket = Bucket(capacity, refill, self.clock)
        self.requests: list[Entry] = []
        self.answers = FakeLLM()  # not started: only its answers and its reading of a request's kind are used
        self._names = random.Random(seed).randrange(len(_SYLLABLES) ** 2)
        self.set_faults(fault_rate, faults, seed)

    def set_faults(self, rate: float, faults: tuple[str, ...] | None = None, seed: int | None = None) -> None:
        with self._lock:
            self.fault_rate = rate
            self.faults = tuple(faults or getattr(self, "faults", FAULTS))
            if seed is not None:
                self.rng = random.Random(seed)

    def start(self) -> Self:
        self._stopping.clear()
        handler = type("Handler", (_Handler,), {"server_fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    # -- what the tests and benches read ------------------------------------------------------------------------
    def log(self) -> list[dict[str, Any]]:
        """The request log as dicts, times in seconds since the server started (`clock`: the raw arrival time)."""
        with self._lock:
            entries = [asdict(e) for e in self.requests]
        for entry in entries:
            entry["clock"] = entry["arrived"]  # time.monotonic(): one clock for every process on this machine
            entry["arrived"] = round(entry["arrived"] - self.started, 6)
            if entry["answered"] is not None:
                entry["answered"] = round(entry["answered"] - self.started, 6)
        return entries

    # -- deciding a reply ---------------------------------------------------------------------------------------
    def admit(self, entry: Entry) -> tuple[str, dict[str, str]]:
        """Log the request, take a token, roll for a fault: (why, rate-limit headers)."""
        with self._lock:
            self.requests.append(entry)
            if self.bucket.refill <= 0:
                return self._fault(), {}
            admitted, left, wait = self.bucket.take()
            headers = {"x-ratelimit-limit-requests": f"{self.bucket.refill * 60:g}",
                       "x-ratelimit-remaining-requests": str(math.floor(left)),
                       "x-ratelimit-reset-requests": duration(self.bucket.reset_s())}
            if not admitted:
                return "bucket", {**headers, "retry-after": f"{math.ceil(wait * 1000) / 1000:g}"}
            return self._fault(), headers

    def _fault(self) -> str:
        if self._queue:  # scripted outcomes (`script("malformed", "ok")`) come first, one per admitted request
            return str(self._queue.popleft())
        if self.fault_rate and self.rng.random() < self.fault_rate:
            return self.rng.choice(self.faults)
        return "ok"

    def npc_answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """An `npc` answer that settles without repairs: see the module docstring."""
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
        answer = self.answers._answer(ok(), "npc", body)
        answer = json.loads(json.dumps(answer))  # a copy: the canned answers are shared

        def given(label: str) -> str | None:
            found = re.search(rf"^{label}: (.+)$", prompt, re.MULTILINE)
            value = found.group(1).strip() if found else None
            return None if value is None or value.startswith("(") else value

        answer["name"] = given("Name") or self._new_name()
        answer["alignment"] = given("Alignment") or "neutral"
        answer["concept"] = given("Concept") or answer.get("concept", "")
        if origin := given("Background"):
            answer["background"]["origin"] = origin
        answer["purchases"], answer["trinkets"] = [], ["a bone die with one face filed blank"]
        answer["cantrips"], answer["spells"] = [], []
        for field, count, options in _SPELL_LINE.findall(prompt):
            answer[field] += [o.strip() for o in options.split(", ")][: int(count)]
        return answer

    def _new_name(self) -> str:
        with self._lock:
            n = self._names
            self._names += 1
        digits = []
        for _ in range(4):
            n, d = divmod(n, len(_SYLLABLES))
            digits.append(_SYLLABLES[d])
        return f"{digits[0]}{digits[1]}".capitalize() + " " + f"{digits[2]}{digits[3]}wick".capitalize()


class _Handler(QuietHandler):
    server_fake: RateLimitedLLM

    def _handle(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        path = self.path.split("?", 1)[0]
        if path.startswith("/control/"):
            self._control(path, raw)
            return
        entry = Entry(fake.clock(), self.command, path)
        if (self.command, path) == ("GET", "/v1/models"):
            with fake._lock:
                fake.requests.append(entry)
            self._reply(entry, 200, {"object": "list", "data": [{"id": "m", "object": "model", "created": 0,
                                                                 "owned_by": "fake"}]}, "ok")
            return
        if (self.command, path) != ("POST", "/v1/chat/completions"):
            with fake._lock:
                fake.requests.append(entry)
            self._reply(entry, 404, _error("not a route of the fake server", "invalid_request_error"), "not_found")
            return
        why, headers = fake.admit(entry)
        if why == "bucket":
            self._reply(entry, 429, _error("Rate limit reached (fake bucket)", "requests", "rate_limit_exceeded"),
                        why, headers)
            return
        wait = fake.hang if why == "timeout" else fake.latency
        if wait and fake._stopping.wait(wait):
            return
        if why == "429":
            self._reply(entry, 429, _error("Rate limit reached (fake fault)", "requests", "rate_limit_exceeded"),
                        why, {**headers, "retry-after": "1"})
        elif why == "500":
            self._reply(entry, 500, _error("Internal server error (fake)", "server_error"), why, headers)
        elif why == "overload":
            self._reply(entry, fake.overload_status, _error("Overloaded (fake)", "overloaded_error"), why, headers)
        else:
            body = json.loads(raw) if raw else {}
            self._reply(entry, 200, self._completion(body), why, headers, truncate=why == "malformed")

    def _completion(self, body: dict[str, Any]) -> dict[str, Any]:
        fake = self.server_fake
        kind = fake.answers._kind(body, anthropic=False)
        answer = fake.npc_answer(body) if kind == "npc" else fake.answers._answer(ok(), kind, body)
        content = json.dumps(answer)
        usage_in, usage_out = max(1, len(json.dumps(body)) // 4), max(1, len(content) // 4)
        return {"id": f"chatcmpl-fake-{len(fake.requests)}", "object": "chat.completion", "created": int(time.time()),
                "model": body.get("model", "m"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": usage_in, "completion_tokens": usage_out,
                          "total_tokens": usage_in + usage_out}}

    def _control(self, path: str, raw: bytes) -> None:
        fake = self.server_fake
        if path == "/control/log":
            self._send(200, json.dumps(fake.log()).encode())
        elif path == "/control/faults" and self.command == "POST":
            change = json.loads(raw or b"{}")
            fake.set_faults(float(change.get("rate", 0)), tuple(change["faults"]) if "faults" in change else None,
                            change.get("seed"))
            self._send(200, json.dumps({"rate": fake.fault_rate, "faults": fake.faults}).encode())
        else:
            self._send(404, b'{"error": "unknown control"}')

    def _reply(self, entry: Entry, status: int, payload: dict[str, Any], why: str,
               headers: dict[str, str] | None = None, *, truncate: bool = False) -> None:
        data = json.dumps(payload).encode()
        if truncate:
            data = data[: len(data) // 2]
        entry.status, entry.why = status, why
        self._send(status, data, headers)
        entry.answered = self.server_fake.clock()

    def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (its timeout fired during a hang)


def _error(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--capacity", type=float, default=10)
    parser.add_argument("--refill", type=float, default=5.0, help="tokens per second; 0 turns the limit off")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--faults", default=",".join(FAULTS), help=f"comma-separated, of: {', '.join(FAULTS)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang", type=float, default=5.0, help="seconds a timeout fault takes to answer")
    parser.add_argument("--overload-status", type=int, default=529)
    parser.add_argument("--log", type=Path, help="write the request log (JSON) here on exit")
    args = parser.parse_args(argv)
    server = RateLimitedLLM(latency=args.latency, capacity=args.capacity, refill=args.refill,
                            fault_rate=args.fault_rate, faults=tuple(filter(None, args.faults.split(","))),
                            seed=args.seed, hang=args.hang, overload_status=args.overload_status, port=args.port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with server:
        print(f"listening on {server.url}", flush=True)
        while not stop.wait(0.5):
            pass
        if args.log:
            args.log.write_text(json.dumps(server.log()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
