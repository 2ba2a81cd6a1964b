"""`charforge config show | path`: what is set, where it came from, where files live."""

from __future__ import annotations

import json
import sys

import typer

from charforge.cli import render
from charforge.cli.options import JsonOpt

app = typer.Typer(no_args_is_help=True)


@app.command("show")
def show_command(json_: JsonOpt = False) -> None:
    """Show every setting, its value and the layer it came from."""
    from charforge import config

    resolved = config.resolve()
    values = config.flatten(resolved.settings.model_dump(mode="json", by_alias=True))
    if json_:
        rows = {k: {"value": v, "source": resolved.sources[k]} for k, v in values.items()}
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    render.table([(k, json.dumps(v), resolved.sources[k]) for k, v in values.items()], ("setting", "value", "source"))


@app.command("path")
def path_command(json_: JsonOpt = False) -> None:
    """Show where charforge reads config and keeps data (CHARFORGE_HOME moves both)."""
    from charforge import config

    paths = {"config_dir": config.config_dir(), "config_file": config.config_file(), "data_dir": config.data_dir(),
             "dotenv": config.dotenv_file()}
    if json_:
        sys.stdout.write(json.dumps({k: str(v) for k, v in paths.items()}, indent=2) + "\n")
        return
    render.table([(k, str(v), "exists" if v.exists() else "absent") for k, v in paths.items()],
                 ("what", "path", "state"))
