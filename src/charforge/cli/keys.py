"""`charforge keys set | list | path`: API keys in a 0600 file in the config dir."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from charforge.cli import complete, render
from charforge.cli.options import JsonOpt

app = typer.Typer(no_args_is_help=True)


@app.command("set")
def set_command(
    provider: Annotated[str, typer.Argument(help="anthropic, openai or openai-compatible.",
                                            autocompletion=complete.key_providers)],
    value: Annotated[str | None, typer.Option("--value", help="The key (default: prompt, or read from stdin).")] = None,
) -> None:
    """Save a provider's API key in keys.yaml (readable by you only)."""
    from charforge import keys

    if value is None:
        value = typer.prompt(f"{provider} key", hide_input=True) if sys.stdin.isatty() else sys.stdin.readline()
    path = keys.store(provider, value)
    render.notice(f"saved the {provider} key in {path}")


@app.command("list")
def list_command(json_: JsonOpt = False) -> None:
    """Show which providers have a key and where it comes from (never the key itself)."""
    from charforge import keys

    rows = keys.listing()
    if json_:
        sys.stdout.write(json.dumps([{"provider": p, "source": s} for p, s in rows], indent=2) + "\n")
        return
    render.table([(p, s or "no key") for p, s in rows], ("provider", "key from"))


@app.command("path")
def path_command() -> None:
    """Print the path of keys.yaml."""
    from charforge import keys

    sys.stdout.write(f"{keys.keys_file()}\n")
