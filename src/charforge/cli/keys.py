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


@app.command("remove")
def remove_command(
    provider: Annotated[str, typer.Argument(help="The provider whose stored key to delete, e.g. openai.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a provider's key from keys.yaml (keys from the environment or .env are not touched)."""
    from charforge import keys
    from charforge.errors import UsageError
    from charforge.registry import registry

    provider = provider.lower()
    registry().key_variable(provider)  # UsageError for a provider that takes no key
    if provider not in keys.stored():
        keys.remove(provider)  # says there is nothing to remove, before any question
        raise UsageError(f"no stored {provider} key")
    if not yes and not render.confirm(f"delete the stored {provider} key from {keys.keys_file()}?"):
        render.left_as_it_is(f"the {provider} key")
        return
    path = keys.remove(provider)
    render.notice(f"removed the {provider} key from {path}")
