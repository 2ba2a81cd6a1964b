"""`charforge check`: is each provider usable right now, and is charforge's own storage writable?

Checks that need no network come first (is there a key?). A dead endpoint must fail within the
check timeout, so providers are built here with that timeout and a single attempt.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time

from pydantic import BaseModel

from charforge import config, keys
from charforge.errors import CharforgeError
from charforge.providers import build
from charforge.providers.base import Check, elapsed_ms


class ProviderHealth(BaseModel):
    """One entry of `charforge check --json`."""

    provider: str
    ok: bool
    checks: list[Check]


def default_providers(settings: config.Settings) -> list[str]:
    """Providers worth checking when none is named: local ones, those with a key, a configured local server."""
    chosen = ["offline"]
    chosen += [n for n in config.LLM_PROVIDERS if config.PROVIDERS[n].needs_key and keys.resolve(n)]
    if settings.openai_compatible.base_url or settings.provider == "openai-compatible":
        chosen.append("openai-compatible")
    return chosen


def check_provider(name: str, settings: config.Settings, *, deep: bool, timeout: float) -> ProviderHealth:
    checks: list[Check] = []
    if name in config.PROVIDERS:
        facts = config.PROVIDERS[name]
        key = keys.resolve(name)
        if key is None and facts.needs_key:
            checks.append(Check(name="key", ok=False, detail=f"no key: set {facts.key_env} or run "
                                f"'charforge keys set {name}'"))
            return ProviderHealth(provider=name, ok=False, checks=checks)
        checks.append(Check(name="key", ok=True, detail=f"from {key.source}" if key else "none needed"))
        section = settings.for_provider(name)
        quick = section.model_copy(update={"timeout": min(section.timeout, timeout),
                                           "connect_timeout": min(section.connect_timeout, timeout)})
        settings = settings.model_copy(update={
            name.replace("-", "_"): quick, "timeout": quick.timeout,
            "retry": settings.retry.model_copy(update={"max_attempts": 1})})
    try:
        provider = build(settings, name).provider
        checks += provider.check(deep=deep)
    except CharforgeError as exc:
        checks.append(Check(name="build", ok=False, detail=str(exc)))
    return ProviderHealth(provider=name, ok=all(c.ok for c in checks), checks=checks)


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

    try:
        results = catalog.validate(PromptService(), None)
    except CharforgeError as exc:
        return Check(name="templates valid", ok=False, detail=str(exc))
    bad = [problem for _, problem in results if problem]
    return Check(name="templates valid", ok=not bad, detail=bad[0] if bad else f"{len(results)} templates")


def run(settings: config.Settings, *, providers: list[str] | None, deep: bool, timeout: float) -> list[ProviderHealth]:
    """charforge's own files, then text providers, then image providers (named `images:<provider>`)."""
    from charforge.images.health import check_images

    text = [n for n in providers or default_providers(settings) if not n.startswith("images:")]
    images = [n.removeprefix("images:") for n in providers or [] if n.startswith("images:")]
    results = [check_local(), *(check_provider(n, settings, deep=deep, timeout=timeout) for n in text)]
    if images or not providers:
        results += check_images(images or None, deep=deep, timeout=timeout)
    return results
