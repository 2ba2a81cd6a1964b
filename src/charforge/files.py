"""User and package files: YAML read with limits (size, depth, aliases) and errors that name the file and
line; writes that are checked first, then made to a temporary sibling and renamed, so a reader (or a crash)
never sees half a file (`os.replace` is atomic on one filesystem). Every OSError becomes one line naming the
path and the reason.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any

from charforge.errors import CharforgeError, UsageError

HINT = "choose a path you can write to"
MAX_INPUT_BYTES = 8 * 1024 * 1024  # config, setting, template and batch files; a bigger one is a mistake
MAX_DEPTH = 64  # nesting levels in a YAML file (the composer recurses: 1,000 levels would crash it)
MAX_ALIASES = 100  # YAML aliases (*name) in one file
MAX_NODES = 1_000_000  # values in a YAML file with every alias expanded: a "billion laughs" file has 10**9


def reason(exc: OSError) -> str:
    """Why an OS call failed, in the system's words: "No space left on device", "Permission denied"."""
    return exc.strerror or str(exc)


def read_text(path: Path, *, error: type[CharforgeError], hint: str, encoding: str = "utf-8") -> str:
    """A user's text file, at most MAX_INPUT_BYTES; unreadable, too big or not text becomes `error` naming it."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read ({reason(exc)})", hint="check the file and its permissions") from None
    if len(data) > MAX_INPUT_BYTES:
        raise error(f"{path}: larger than {MAX_INPUT_BYTES // 2**20} MB", hint=hint)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start})", hint=hint) from None


def read_yaml(path: Path, *, error: type[CharforgeError], hint: str) -> Any:
    """Parse a YAML file; an unreadable file or bad YAML becomes `error` naming the file and line."""
    return read_yaml_node(path, error=error, hint=hint)[0]


def read_yaml_node(path: Path, *, error: type[CharforgeError], hint: str) -> tuple[Any, Any]:
    """The data in a YAML file and its node tree (for line numbers; None for an empty file).

    Files come from users and from other people's repositories, so the parser has limits: MAX_INPUT_BYTES,
    MAX_DEPTH levels, MAX_ALIASES aliases and MAX_NODES values once aliases are expanded. Past one, `error`.
    """
    import yaml

    text = read_text(path, error=error, hint=hint)
    loader = _limited_loader()(text)
    try:
        node = loader.get_single_node()
        if node is not None and loader.aliases:
            _expanded_size(node, {})
        return (None if node is None else loader.construct_document(node)), node
    except _TooBig as exc:
        raise error(f"{path}: refused: {exc}", hint=hint) from None
    except RecursionError:
        raise error(f"{path}: refused: nested too deeply", hint=hint) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise error(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})", hint=hint) from None
    finally:
        loader.dispose()


class _TooBig(Exception):
    pass


def _limited_loader() -> type:
    import yaml

    class LimitedLoader(yaml.SafeLoader):
        """SafeLoader that counts nesting and aliases while composing, before any value is built."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.depth = self.aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise _TooBig(f"more than {MAX_ALIASES} YAML aliases")
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return LimitedLoader


def _expanded_size(node: Any, seen: dict[int, int | None]) -> int:
    """How many values `node` stands for with every alias expanded (an alias bomb is small until expanded)."""
    import yaml

    key = id(node)
    if key in seen:
        if seen[key] is None:
            raise _TooBig("a YAML alias refers to itself")
        return seen[key]  # type: ignore[return-value]
    seen[key] = None
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, seen) + _expanded_size(v, seen) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, seen) for item in node.value)
    else:
        size = 1
    if size > MAX_NODES:
        raise _TooBig(f"more than {MAX_NODES:,} values once its YAML aliases are expanded")
    seen[key] = size
    return size


def bundled(installed: str, checkout: str, marker: str) -> Path | None:
    """A data folder shipped in the wheel as charforge/<installed>, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / installed, package.parents[1] / checkout):
        if (candidate / marker).exists():
            return candidate
    return None


def check_writable(path: Path) -> None:
    """Fail before any work is done if `path` cannot be written (or is a symlink, which charforge refuses)."""
    if path.is_symlink():
        raise UsageError(f"{path}: refusing to write through a symlink",
                         hint=f"write to {os.path.realpath(path)} itself, or remove the link")
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="give a file name, e.g. --out character.json")
    if path.parent.exists() and not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: {path.parent} is not a directory", hint=HINT)
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: folder {path.parent} does not exist", hint=f"create it first or {HINT}")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"cannot write {path}: permission denied", hint=HINT)
    if path.exists() and not path.is_file():
        return  # a device or a FIFO: written in place, so its folder need not be writable
    try:  # the only reliable test (root, read-only mounts, /proc): really create a file there
        fd, tmp = _temporary(path)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {reason(exc)}", hint=HINT) from None


def atomic_write(path: Path, text: str | bytes, *, sync: bool = True, checked: bool = False) -> None:
    """Write `text` (UTF-8) or bytes (a PDF) to a temporary sibling, then rename it over `path`.

    A new file gets 0666 less the umask, as any file the user makes; a replaced file keeps its mode. An existing
    device or FIFO (`-o /dev/null`, a named pipe) is written in place, never replaced; a symlink is refused.

    Args:
        sync: flush to disk before the rename; a bulk export of thousands of files skips it per file.
        checked: the caller already ran `check_writable` on this folder (a bulk export, once).

    Raises:
        UsageError: the path is a symlink, or the OS refused (naming the path and the reason: disk full, ...).
    """
    if not checked:
        check_writable(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {reason(exc)}", hint=HINT) from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise UsageError(f"{path}: refusing to write through a symlink", hint="write to the file itself")
    tmp: str | None = None
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_in_place(path, data)
            return
        if checked:  # a bulk export: one writer per name, so a fixed temporary name will do
            tmp = str(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
        else:
            fd, tmp = _temporary(path)
        if st is not None:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {reason(exc)}", hint=HINT) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _temporary(path: Path) -> tuple[int, str]:
    """A new hidden sibling of `path`, mode 0666 less the umask (mkstemp would make it 0600)."""
    for _ in range(100):
        name = str(path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp"))
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {path}")


def _write_in_place(path: Path, data: bytes) -> None:
    """Write to a device or FIFO as a shell redirection would (O_NOFOLLOW: no symlink swapped in meanwhile)."""
    fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
