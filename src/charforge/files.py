"""User and package files: YAML read with errors that name the file and line; writes that are
checked first, then made to a temporary sibling and renamed, so a reader (or a crash) never sees
half a file (`os.replace` is atomic on one filesystem).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from charforge.errors import CharforgeError, UsageError

HINT = "choose a path you can write to"


def read_yaml(path: Path, *, error: type[CharforgeError], hint: str) -> Any:
    """Parse a YAML file; an unreadable file or bad YAML becomes `error` naming the file and line."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read ({exc})", hint="check the file and its permissions") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise error(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})", hint=hint) from None


def bundled(installed: str, checkout: str, marker: str) -> Path | None:
    """A data folder shipped in the wheel as charforge/<installed>, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / installed, package.parents[1] / checkout):
        if (candidate / marker).exists():
            return candidate
    return None


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


def atomic_write(path: Path, text: str | bytes, *, sync: bool = True, checked: bool = False) -> None:
    """Write `text` (UTF-8) or bytes (a PDF) to a temporary sibling, then rename it over `path`.

    Args:
        sync: flush to disk before the rename; a bulk export of thousands of files skips it per file.
        checked: the caller already ran `check_writable` on this folder (a bulk export, once).
    """
    if not checked:
        check_writable(path)
    tmp: str | None = None
    try:
        if checked:  # a bulk export: one writer per name, so a fixed temporary name will do (mkstemp costs more)
            tmp = str(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        else:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")) as handle:
            handle.write(text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", hint=HINT) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
