"""What `charforge prompts` needs beyond rendering: listing layers, validating, diffing, resetting.

Validation goes further than loading: each template is rendered for every provider variant with a
sample character, so a sandbox violation or an undefined name fails here, not mid-batch.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from charforge.errors import UsageError
from charforge.prompts.service import PromptService, TemplateError, builtin_dir, user_dir
from charforge.registry import registry


class Entry(BaseModel):
    """One line of `charforge prompts list`."""

    name: str
    version: str
    source: str
    path: str
    overridden: bool  # a layer above the built-in one provides this name
    variants: list[str]


def entries(service: PromptService) -> list[Entry]:
    found = []
    for name in service.names():
        located = service.find(name)
        try:
            spec = service.load(located.path).spec
            version, blocks = spec.version, set(spec.providers)
        except TemplateError:
            version, blocks = "(invalid)", set()
        files = {p for p in registry().prompt_variants() if service.find(name, p).path != located.path}
        found.append(Entry(name=name, version=version, source=located.source, path=str(located.path),
                           overridden=located.source != "builtin" and (builtin_dir() / f"{name}.yaml").exists(),
                           variants=sorted(files | blocks)))
    return found


Sample = Callable[[str], dict[str, Any]]  # kind -> a real context to render against (the service's)


def validate_file(path: Path, sample: Sample, service: PromptService | None = None) -> None:
    """Raise TemplateError unless the file loads and renders for the generic text and every variant."""
    service = service or PromptService()
    compiled = service.load(path)
    single = PromptService(template_file=path)
    for provider in ("generic", *compiled.spec.providers):
        single.render(compiled.spec.name, provider, sample(compiled.spec.name))


def validate(service: PromptService, target: str | None, sample: Sample) -> list[tuple[str, str | None]]:
    """(file, problem or None) for a name, a file path, or every template in every layer.

    `sample(kind)` gives the context each template is rendered with: the service layer builds it from a
    real character, so this module needs nothing above it.
    """
    if target and Path(target).suffix in (".yaml", ".yml"):
        paths = [Path(target)]
    elif target:
        paths = _files(service, target)
        if not paths:
            raise UsageError(f"no template named {target!r}", hint="see 'charforge prompts list'")
    else:
        paths = [p for name in service.names() for p in _files(service, name)]
    results = []
    for path in paths:
        try:
            validate_file(path, sample, service)
            results.append((str(path), None))
        except TemplateError as exc:
            results.append((str(path), str(exc)))
    return results


def _files(service: PromptService, name: str) -> list[Path]:
    return [p for _, folder in service.layers() for p in sorted(folder.glob(f"{name}.yaml"))
            + sorted(folder.glob(f"{name}.*.yaml")) if p.is_file()]


def diff(name: str) -> str:
    """Unified diff of the user override against the built-in template ('' when identical)."""
    ours, theirs = builtin_dir() / f"{name}.yaml", user_dir() / f"{name}.yaml"
    if not theirs.exists():
        raise UsageError(f"{name!r} has no user override at {theirs}",
                         hint=f"'charforge prompts edit {name}' makes one")
    base = ours.read_text(encoding="utf-8").splitlines(keepends=True) if ours.exists() else []
    return "".join(difflib.unified_diff(base, theirs.read_text(encoding="utf-8").splitlines(keepends=True),
                                        fromfile=f"builtin/{name}.yaml", tofile=f"user/{name}.yaml"))


def copy_to_user(name: str) -> Path:
    """The user override for `name`, copied from the built-in template if it does not exist yet."""
    target = user_dir() / f"{name}.yaml"
    if not target.exists():
        source = builtin_dir() / f"{name}.yaml"
        if not source.exists():
            raise UsageError(f"no built-in template named {name!r}", hint="see 'charforge prompts list'")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target


def reset(name: str) -> list[Path]:
    """Remove the user override (and its provider variants); returns what was removed."""
    removed = [p for p in [user_dir() / f"{name}.yaml", *sorted(user_dir().glob(f"{name}.*.yaml"))] if p.exists()]
    if not removed:
        raise UsageError(f"{name!r} has no user override", hint="nothing to reset")
    for path in removed:
        path.unlink()
    return removed
