"""One input policy for every free-text value a user gives charforge, whichever command or file it comes by.

A value must be valid UTF-8 (Python hands argv over with surrogateescape, so a stray byte arrives as a
lone surrogate like '\\udcff'), hold no control character (C0, DEL, C1: that covers ANSI escapes, tabs
and newlines), not be empty or blank, and stay within its documented maximum length. The limits are the
same in every command and in batch and setting files; README.md ("Inputs") lists them.

A document named by an option (`portrait --from`, `npc --replay`) may be '-', the Unix convention for stdin,
so `charforge npc -f json | charforge portrait --from -` works (a file named `-` is reachable as `./-`).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from charforge.errors import UsageError

NAME_MAX = 100  # --name; also --ancestry, --class, --alignment
CONCEPT_MAX = 500  # --concept
BACKGROUND_MAX = 500  # --background
SETTING_MAX = 200  # --setting as plain words
PATH_MAX = 4096  # --setting naming a .yaml file
VAR_MAX = 500  # each --var value
PROMPT_MAX = 10_000  # a portrait prompt (what image providers accept)
HINT = "use printable UTF-8 text; limits: name 100, concept and background 500, setting 200, --var 500 characters"


def problem(value: str, limit: int) -> str | None:
    """Why `value` breaks the policy, or None when it is fine."""
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return "not valid UTF-8"
    if bad := next((c for c in value if unicodedata.category(c) == "Cc"), None):
        return f"control character U+{ord(bad):04X} is not allowed"
    if not value.strip():
        return "must not be empty"
    if len(value) > limit:
        return f"at most {limit} characters (got {len(value)})"
    return None


def check_text(option: str, value: str, limit: int) -> str:
    """`value` itself when it keeps the policy.

    Raises:
        UsageError: one line naming `option`, e.g. "--name: must not be empty".
    """
    if reason := problem(value, limit):
        raise UsageError(f"{option}: {reason}", hint=HINT)
    return value


def check_argv(args: list[str]) -> None:
    """Refuse any command-line word that is not valid UTF-8, naming its option, before a command sees it.

    Raises:
        UsageError: "--name: not valid UTF-8 (Bad\\xff)"; a positional argument is shown by its value.
    """
    for i, arg in enumerate(args):
        if not any(0xD800 <= ord(c) <= 0xDFFF for c in arg):
            continue
        if arg.startswith("--") and "=" in arg:
            option = arg.split("=", 1)[0]
        elif i and args[i - 1].startswith("-") and not any(0xD800 <= ord(c) <= 0xDFFF for c in args[i - 1]):
            option = args[i - 1]
        else:
            raise UsageError(f"argument '{printable(arg)}': not valid UTF-8", hint=HINT)
        raise UsageError(f"{option}: not valid UTF-8 ({printable(arg)})", hint=HINT)


def printable(value: str, limit: int = 60) -> str:
    """`value` safe for a terminal and for UTF-8: bad bytes and control characters as escapes, shortened."""
    text = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_document(path: Path, *, option: str) -> str:
    """The text of `path`, or of stdin when `path` is '-'.

    Args:
        path: the path the user gave.
        option: the option that named it, e.g. "--from", for the error line.

    Raises:
        OSError, UnicodeDecodeError: the file (or stdin) cannot be read or is not UTF-8.
        UsageError: '-' was given and stdin is empty.
    """
    if str(path) != "-":
        return path.read_text(encoding="utf-8")
    stream = getattr(sys.stdin, "buffer", None)
    text = stream.read().decode("utf-8") if stream is not None else sys.stdin.read()
    if not text.strip():
        raise UsageError(f"{option} -: stdin is empty", hint="pipe in a document from 'charforge npc --format json'")
    return text
