"""`charforge providers`: every text provider, image provider and export format, built in or added by a plugin."""

from __future__ import annotations

import json
import sys

import typer

from charforge.cli import render
from charforge.cli.options import JsonOpt

app = typer.Typer()


@app.command("providers")
def providers_command(json_: JsonOpt = False) -> None:
    """List text providers, image providers and export formats, with the plugin that added each.

    With --json: {"text": [...], "images": [...], "formats": [...], "plugin_errors": [...]}, each entry with
    name, origin, description and (providers) key_env, default_model and capabilities.
    """
    from charforge.service.catalog import listing

    found = listing()
    if json_:
        sys.stdout.write(json.dumps(found.model_dump(), indent=2) + "\n")
        return
    rows = [(row.what, row.name, row.origin, row.key_env or "-", row.detail, row.description)
            for row in found.rows()]
    render.table(rows, ("what", "name", "origin", "key variable", "model / extension", "description"))
    for problem in found.plugin_errors:
        render.notice(f"plugin not loaded: {problem}")
