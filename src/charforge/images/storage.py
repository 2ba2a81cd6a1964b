"""Where portraits land, and how: never outside the chosen folder, never half-written.

The folder is `--out DIR` or `<data dir>/portraits`. A file is named from the character's name reduced
to `[a-z0-9-]` (so `../../x` or `a/b\\c` cannot name another folder) plus the first 12 hex digits of the
image's sha256: the same image always gets the same name, and different images never collide. An
`--out` that is itself a symlink is refused: charforge writes where the user pointed, not where a link
leads (parents may be links, e.g. macOS's /tmp). Each image and its JSON sidecar are written to
temporary siblings, fsynced, then renamed; if anything fails, neither new file is left behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path

from pydantic import BaseModel, Field

from charforge.errors import UsageError
from charforge.redact import redact

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_SLUG = 60
HINT = "choose a folder you can write to with --out DIR"


class PortraitMeta(BaseModel):
    """What a sidecar records about how an image was made."""

    name: str | None = Field(description="The character's name.")
    prompt: str = Field(description="The prompt sent to the provider.")
    revised_prompt: str | None = Field(None, description="The prompt the provider says it really used.")
    provider: str
    model: str
    size: str
    seed: int | None = None
    style: str | None = None


class _SidecarHead(BaseModel):
    schema_version: str = "1.0"
    file: str = Field(description="The image's file name, in the same folder.")
    sha256: str = Field(description="Hex sha256 of the image file.")
    mime: str


class Sidecar(PortraitMeta, _SidecarHead):  # bases last-first: the JSON opens with schema_version and file
    """`<stem>.json` next to each image; its shape is public: add fields, never rename or drop one."""

    created: str = Field(description="When the file was written, ISO-8601 UTC.")
    charforge: str = Field(description="The charforge version that wrote it.")


class SavedPortrait(BaseModel):
    """One image on disk: `--format json` prints a list of these."""

    path: Path
    sidecar: Path
    sha256: str
    provider: str
    model: str


def slug(name: str | None) -> str:
    """`Brokk Stonefist` -> `brokk-stonefist`; anything outside [a-z0-9-] goes, so no name can be a path."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_SLUG].strip("-")
    return text or "portrait"


def default_folder() -> Path:
    from charforge.config import data_dir

    return data_dir() / "portraits"


def prepare_folder(out: Path | None) -> Path:
    """The resolved folder to write into, created if missing; checked before any provider is paid.

    Raises:
        UsageError: `out` is a symlink or a file, or the folder cannot be created or written.
    """
    folder = default_folder() if out is None else out
    for attempt in ("before", "after"):  # again after mkdir: a link could have appeared in between
        if out is not None and folder.is_symlink():
            raise UsageError(f"--out {out} is a symlink; charforge writes only into the folder you name",
                             hint=f"name the real folder: --out {folder.resolve()}")
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is not a folder", hint=HINT)
        if attempt == "before":
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"cannot create {folder}: {exc.strerror}", hint=HINT) from None
    try:  # the only reliable test (read-only mounts, ACLs): really create a file there
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write to {folder}: {exc.strerror}", hint=HINT) from None
    return folder.resolve()


def save(images: list[bytes], *, mime: str, folder: Path, meta: PortraitMeta, created: str) -> list[SavedPortrait]:
    """Write each image and its sidecar into `folder` (from `prepare_folder`); all or nothing.

    Raises:
        UsageError: a file cannot be written, or a name would land outside `folder`; nothing new is left.
    """
    from charforge import __version__

    placed: list[Path] = []  # new files from this call, removed again if a later one fails
    saved = []
    try:
        for data in images:
            digest = hashlib.sha256(data).hexdigest()
            stem = f"{slug(meta.name)}-{digest[:12]}"
            image, sidecar = _inside(folder, f"{stem}.{EXTENSIONS[mime]}"), _inside(folder, f"{stem}.json")
            record = Sidecar(**meta.model_dump(), file=image.name, sha256=digest, mime=mime, created=created,
                             charforge=__version__)
            text = redact(record.model_dump_json(indent=2)) + "\n"  # a prompt must never carry a key to disk
            placed += _write_pair(image, data, sidecar, text.encode("utf-8"))
            saved.append(SavedPortrait(path=image, sidecar=sidecar, sha256=digest, provider=meta.provider,
                                       model=meta.model))
    except BaseException as exc:
        for path in placed:
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write portraits to {folder}: {exc.strerror or exc}", hint=HINT) from None
        raise
    return saved


def _inside(folder: Path, name: str) -> Path:
    path = folder / name
    if path.resolve().parent != folder:  # a planted symlink with our name would lead elsewhere
        raise UsageError(f"refusing to write {path}: it leads outside {folder}", hint="remove it, or use another --out")
    return path


def _write_pair(image: Path, data: bytes, sidecar: Path, text: bytes) -> list[Path]:
    """Both files complete on disk before either becomes visible; returns the files that are new."""
    temps: list[Path] = []
    new = [path for path in (image, sidecar) if not path.exists()]
    try:
        temps = [_temporary(image, data), _temporary(sidecar, text)]
        os.replace(temps[0], image)
        try:
            os.replace(temps[1], sidecar)
        except BaseException:
            if image in new:
                image.unlink(missing_ok=True)
            raise
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    _sync_folder(image.parent)
    return new


def _temporary(path: Path, data: bytes) -> Path:
    """A hidden sibling holding `data`, fsynced; mode 0666 less the umask, like any file the user makes."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _sync_folder(folder: Path) -> None:
    """Make the renames durable too (POSIX); Windows cannot open a folder, and needs no such step."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
