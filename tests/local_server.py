"""What every fake HTTP server in the tests shares: a real socket on 127.0.0.1, a lifecycle, a script queue."""

from __future__ import annotations

import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


class QuietHandler(BaseHTTPRequestHandler):
    """Keep-alive, no Nagle (else headers and body go out as two segments and delayed ACK adds 40 ms), no stderr
    noise; every method goes to `_handle`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        raise NotImplementedError


class LocalServer:
    """Subclasses set `handler` (a BaseHTTPRequestHandler whose `server_fake` attribute is the fake)."""

    handler: ClassVar[type[BaseHTTPRequestHandler]]

    def __init__(self) -> None:
        self._queue: deque[Any] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # wakes handlers sleeping in slow steps
        self._httpd: ThreadingHTTPServer | None = None

    def start(self) -> Self:
        self._stopping.clear()
        handler = type("Handler", (self.handler,), {"server_fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def openai_url(self) -> str:
        return self.url + "/v1"

    def script(self, *steps: Any) -> None:
        """Queue replies, consumed one per request in order."""
        with self._lock:
            self._queue.extend(steps)
