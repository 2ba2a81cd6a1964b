"""Where a document goes: `-o -` (or no -o) is stdout; a file's extension and --format must agree, and without
--format the extension chooses it (the registry's exporter extensions say which format makes which file)."""

from __future__ import annotations

from pathlib import Path

SAME_AS = {".yml": ".yaml", ".htm": ".html", ".markdown": ".md"}  # spellings of a registered extension


def target(out: Path | None, fmt: str | None) -> tuple[Path | None, str | None]:
    """(-o, --format) as given -> (the file, or None for stdout; the format, or None for the configured default).

    Raises:
        UsageError: the file's extension belongs to other formats than --format.
    """
    if out is None or str(out) == "-":
        return None, fmt
    from charforge.errors import UsageError
    from charforge.registry import registry

    suffix = SAME_AS.get(out.suffix.lower(), out.suffix.lower())
    formats = [e.name for e in registry().all_exporters() if e.extension == suffix]
    if not formats:  # an extension no format claims: --format, else the default
        return out, fmt
    if fmt is None:
        return out, formats[0]
    entry = registry().exporter(fmt)
    if entry.name not in formats:
        raise UsageError(f"-o {out} is a {out.suffix} file but --format is {entry.name}",
                         hint=f"use --format {' or '.join(formats)}, or name the file {out.stem}{entry.extension}")
    return out, entry.name
