"""Secrets never leave the process: every key charforge reads is registered here and scrubbed from
log records, error lines and anything else that passes through `redact()`."""

from __future__ import annotations

import logging
import threading

_lock = threading.Lock()
_secrets: set[str] = set()
MASK = "[redacted]"
MIN_SECRET = 8  # shorter values (e.g. 'none' placeholders) would mangle ordinary text


def register(secret: str | None) -> None:
    if secret and len(secret) >= MIN_SECRET:
        with _lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Formats the record's message, scrubs it, and freezes it so no handler sees the raw arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
