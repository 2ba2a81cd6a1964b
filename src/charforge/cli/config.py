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

    rows = config.effective(config.resolve())
    if json_:
        sys.stdout.write(json.dumps({k: {"value": v, "source": s} for k, (v, s) in rows.items()}, indent=2) + "\n")
        return
    render.table([(k, json.dumps(v), s) for k, (v, s) in rows.items()], ("setting", "value", "source"))


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
