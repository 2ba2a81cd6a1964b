"""`charforge check`: is each provider usable right now, and is charforge's own storage writable?

Text and image providers go through the same steps: is there a key (no network needed), then the
provider's own checks. A dead endpoint must fail within the check timeout, so providers are built
here with that timeout and at most two attempts. Image providers are labelled `images:<name>`.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time

from charforge import config, keys
from charforge.errors import CharforgeError
from charforge.models import Check, ProviderHealth
from charforge.providers import build
from charforge.providers.base import elapsed_ms
from charforge.registry import ImageProviderEntry, TextProviderEntry, registry

IMAGES = "images:"


def default_providers(settings: config.Settings) -> list[str]:
    """Worth checking when none is named: offline, providers with a key, a configured local server."""
    reg = registry()
    chosen = ["offline"]
    chosen += [e.name for e in reg.text_providers() if e.needs_key and keys.resolve(e.name)]
    compatible = settings.section("openai-compatible")
    if getattr(compatible, "base_url", None) or settings.provider == "openai-compatible":
        chosen.append("openai-compatible")
    chosen += [IMAGES + "offline"]
    chosen += [IMAGES + e.name for e in reg.image_providers() if e.needs_key and keys.resolve(e.name)]
    sdwebui = reg.images["sdwebui"]
    if settings.images.provider == "sdwebui" or os.environ.get(sdwebui.base_url_env or ""):
        chosen.append(IMAGES + "sdwebui")
    return chosen


def check_provider(label: str, settings: config.Settings, *, deep: bool, timeout: float) -> ProviderHealth:
    """One entry: `label` is a text provider's name or `images:<name>`; never raises for a provider problem."""
    if label.startswith(IMAGES):
        entry: TextProviderEntry | ImageProviderEntry = registry().image_provider(label.removeprefix(IMAGES))
    else:
        entry = registry().text_provider(label)
    checks: list[Check] = []
    if entry.key_env:
        key = keys.resolve(entry.name)
        if key is None and entry.needs_key:
            checks.append(Check(name="key", ok=False, detail=f"no key: set {entry.key_env} or run "
                                f"'charforge keys set {entry.name}'"))
            return ProviderHealth(provider=label, ok=False, checks=checks)
        checks.append(Check(name="key", ok=True, detail=f"from {key.source}" if key else "none needed"))
    try:
        if isinstance(entry, ImageProviderEntry):  # layered again: a model or URL belongs to the provider named
            settings = config.resolve({"images.provider": entry.name}).settings
        quick = _quick(settings, timeout)
        make = _image_checks if isinstance(entry, ImageProviderEntry) else _text_checks
        checks += make(entry.name, quick, deep)
    except CharforgeError as exc:
        checks.append(Check(name="build", ok=False, detail=str(exc)))
    return ProviderHealth(provider=label, ok=all(c.ok for c in checks), checks=checks)


def _quick(settings: config.Settings, timeout: float) -> config.Settings:
    """The settings with one attempt per call and every timeout capped at the check's."""
    # Two attempts, not one: a pooled connection the server closed meanwhile fails at once and is fine on the
    # next try; a dead endpoint still fails within the timeout (an unreachable server's retries fit in it).
    update: dict[str, object] = {"retry": settings.retry.model_copy(update={"max_attempts": 2}),
                                 "timeout": min(settings.timeout or timeout, timeout),
                                 "images": settings.images.model_copy(update={
                                     "timeout": min(settings.images.timeout, timeout),
                                     "connect_timeout": min(settings.images.connect_timeout, timeout)})}
    quick = settings.model_copy(update=update)
    for name, section in (settings.__pydantic_extra__ or {}).items():
        if hasattr(section, "connect_timeout"):
            quick.__pydantic_extra__[name] = section.model_copy(update={  # type: ignore[index]
                "timeout": min(section.timeout, timeout), "connect_timeout": min(section.connect_timeout, timeout)})
    return quick


def _text_checks(name: str, settings: config.Settings, deep: bool) -> list[Check]:
    return build(settings, name).provider.check(deep=deep)


def _image_checks(name: str, settings: config.Settings, deep: bool) -> list[Check]:
    from charforge.service.portraits import build as build_images

    return build_images(settings.for_images(), retry=settings.retry).check(deep=deep)


def check_local() -> ProviderHealth:
    """charforge's own files: writable dirs, a usable generation log, valid prompt templates."""
    checks = []
    for label, folder in (("config dir writable", config.config_dir()), ("data dir writable", config.data_dir())):
        started = time.monotonic()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
            checks.append(Check(name=label, ok=True, detail=str(folder), latency_ms=elapsed_ms(started)))
        except OSError as exc:
            checks.append(Check(name=label, ok=False, detail=f"{folder}: {exc.strerror}"))
    checks += [_database(), _templates()]
    return ProviderHealth(provider="charforge", ok=all(c.ok for c in checks), checks=checks)


def _database() -> Check:
    from charforge.store.db import default_path, open_db, write

    started = time.monotonic()
    try:
        conn = open_db()
        with write(conn):  # takes the write lock, then rolls nothing back: proves we could write
            pass
        conn.close()
    except (CharforgeError, OSError, sqlite3.Error) as exc:
        return Check(name="database writable", ok=False, detail=str(exc))
    return Check(name="database writable", ok=True, detail=str(default_path()), latency_ms=elapsed_ms(started))


def _templates() -> Check:
    from charforge.prompts import PromptService, catalog
    from charforge.service.planning import sample_context

    try:
        results = catalog.validate(PromptService(), None, sample_context)
    except CharforgeError as exc:
        return Check(name="templates valid", ok=False, detail=str(exc))
    bad = [problem for _, problem in results if problem]
    return Check(name="templates valid", ok=not bad, detail=bad[0] if bad else f"{len(results)} templates")


def run(settings: config.Settings, *, providers: list[str] | None, deep: bool, timeout: float) -> list[ProviderHealth]:
    """charforge's own files, then the named providers (or `default_providers`), text then images."""
    names = providers or default_providers(settings)
    for label in names:  # an unknown name is the user's mistake: say so before checking anything
        _ = registry().image_provider(label.removeprefix(IMAGES)) if label.startswith(IMAGES) \
            else registry().text_provider(label)
    return [check_local(), *(check_provider(n, settings, deep=deep, timeout=timeout) for n in names)]
