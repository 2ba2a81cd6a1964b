"""`charforge check`: provider health for humans (a table) and cron (JSON and the exit code)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from charforge.cli import render
from charforge.cli.options import JsonOpt, ProviderOpt

app = typer.Typer()


@app.command("check")
def check_command(
    provider: ProviderOpt = None,
    deep: Annotated[bool, typer.Option("--deep", help="Also make one small generation per provider.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds before a provider counts as down.")]
    = 10.0,
    json_: JsonOpt = False,
) -> None:
    """Check each provider (key, reachable, authenticated, model listed), charforge's files and templates.

    Without --provider: every text provider with a key and every image provider with a key, plus
    offline. --provider images:stability checks one image provider.

    Exit 0 when everything checked is healthy, 4 otherwise. With --json, print a list of
    {provider, ok, checks: [{name, ok, detail, latency_ms}]}.
    """
    from charforge import config
    from charforge.errors import ExitCode
    from charforge.service import health

    settings = config.resolve().settings
    results = health.run(settings, providers=[provider] if provider else None, deep=deep, timeout=timeout)
    if json_:
        sys.stdout.write(json.dumps([r.model_dump() for r in results], indent=2) + "\n")
    else:
        render.table([(r.provider, c.name, "ok" if c.ok else "FAIL", c.detail,
                       "" if c.latency_ms is None else f"{c.latency_ms} ms") for r in results for c in r.checks],
                     ("provider", "check", "result", "detail", "latency"))
    if not all(r.ok for r in results):
        raise typer.Exit(ExitCode.PROVIDER)
