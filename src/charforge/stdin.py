"""Documents a user hands in by an option (`portrait --from`, `npc --replay`): a file, or stdin for '-'.

'-' is the Unix convention for stdin, so `charforge npc -f json | charforge portrait --from -` works; a file
named `-` is still reachable as `./-`. Reading errors are left to the caller, which names its option.
"""

from __future__ import annotations

import sys
from pathlib import Path

from charforge.errors import UsageError

STDIN = "-"


def read_document(path: Path, *, option: str) -> str:
    """The text of `path`, or of stdin when `path` is '-'.

    Args:
        path: the path the user gave.
        option: the option that named it, e.g. "--from", for the error line.

    Raises:
        OSError, UnicodeDecodeError: the file (or stdin) cannot be read or is not UTF-8.
        UsageError: '-' was given and stdin is empty.
    """
    if str(path) != STDIN:
        return path.read_text(encoding="utf-8")
    stream = getattr(sys.stdin, "buffer", None)
    text = stream.read().decode("utf-8") if stream is not None else sys.stdin.read()
    if not text.strip():
        raise UsageError(f"{option} -: stdin is empty", hint="pipe in a document from 'charforge npc --format json'")
    return text
