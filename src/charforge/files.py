"""Writing user files safely: check first, write to a temporary sibling, then rename.

A reader (or a crash) never sees half a file: `os.replace` is atomic on one filesystem.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from charforge.errors import UsageError

HINT = "choose a path you can write to"


def check_writable(path: Path) -> None:
    """Fail before any work is done if `path` cannot be written."""
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="give a file name, e.g. --out character.json")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: folder {path.parent} does not exist", hint=f"create it first or {HINT}")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"cannot write {path}: permission denied", hint=HINT)
    try:  # the only reliable test (root, read-only mounts, /proc): really create a file there
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", hint=HINT) from None


def atomic_write(path: Path, text: str) -> None:
    check_writable(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", hint=HINT) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
